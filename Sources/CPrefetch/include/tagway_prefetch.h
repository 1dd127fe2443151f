#ifndef TAGWAY_PREFETCH_H
#define TAGWAY_PREFETCH_H

/// Starts bringing the cache line holding `address` in, for a write soon. A hint: it never
/// faults and changes nothing, whatever the address. Swift has no prefetch of its own; this
/// inlines into the caller as one instruction (`prefetchw` or `prefetcht0`).
static inline __attribute__((always_inline)) void tagway_prefetch(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

#endif
