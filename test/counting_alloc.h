/* An allocator that counts live blocks and bytes, keeps the peak, and can
 * fail the Nth allocation: for the tests' failure sweeps and the
 * benchmark's memory figures and "fire allocates nothing" check. */
#ifndef DOSM_COUNTING_ALLOC_H
#define DOSM_COUNTING_ALLOC_H

#include <dosm.h>

typedef struct test_alloc {
    long fail_at;   /* 1-based allocation number to fail; 0: never */
    long count;     /* allocations so far */
    long live;      /* blocks not yet freed */
    size_t bytes, peak;
} test_alloc;

dosm_allocator test_allocator(test_alloc *t);

#endif
