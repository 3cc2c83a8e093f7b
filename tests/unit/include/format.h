/* Host unit tests format with the C library (lib/format.h is for freestanding builds). */
#include <stdio.h>
