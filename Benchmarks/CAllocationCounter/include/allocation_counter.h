#ifndef TAGWAY_ALLOCATION_COUNTER_H
#define TAGWAY_ALLOCATION_COUNTER_H
#include <stdint.h>

/// Heap allocations (malloc, calloc, realloc, aligned allocations) made by this process so far.
/// The benchmark reads it before and after a run to report allocations per read.
uint64_t tagway_allocation_count(void);

#endif
