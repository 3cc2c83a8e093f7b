/* Seeds for guests (KASLR, RNG): not cryptographic, see random.c. */
#ifndef HV_RANDOM_H
#define HV_RANDOM_H
#include "types.h"

void random_stir(const void *bytes, size_t len);
uint64_t random_u64(void);

#endif
