/* The isolation audit over every built domain's stage 2 (isolation.c). */
#ifndef HV_ISOLATION_H
#define HV_ISOLATION_H

/* Panics if a machine frame is RAM of two domains or a coloured frame has a wrong colour. */
void isolation_check(void);

#endif
