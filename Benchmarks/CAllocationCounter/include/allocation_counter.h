#ifndef TAGWAY_ALLOCATION_COUNTER_H
#define TAGWAY_ALLOCATION_COUNTER_H
#include <stdint.h>

/// Heap allocations (malloc, calloc, realloc, aligned allocations) made by this process so far.
/// The benchmark reads it before and after a run to report allocations per read.
uint64_t tagway_allocation_count(void);

/// Bytes of heap in use now (glibc's mallinfo2: small blocks plus mmapped ones), to measure what
/// a structure holds: in use after building it minus in use before.
uint64_t tagway_heap_in_use(void);

#endif
