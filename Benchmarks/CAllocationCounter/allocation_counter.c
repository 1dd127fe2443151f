// Counts heap allocations in the benchmark process.
//
// The executable defines malloc and friends; the dynamic linker binds every library's calls
// (the Swift runtime's included) to these, and they forward to glibc's own entry points
// (__libc_malloc …). No LD_PRELOAD, no hooks (glibc removed __malloc_hook): only the benchmark
// links this target, the gateway never does.
#include "allocation_counter.h"
#include <errno.h>
#include <malloc.h>
#include <stddef.h>
#include <stdatomic.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);
extern void __libc_free(void *pointer);

static _Atomic uint64_t allocations;

uint64_t tagway_allocation_count(void) { return atomic_load_explicit(&allocations, memory_order_relaxed); }

uint64_t tagway_heap_in_use(void) {
    struct mallinfo2 info = mallinfo2();
    return (uint64_t)info.uordblks + (uint64_t)info.hblkhd;
}

static void counted(void) { atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed); }

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TAGWAY_UNDER_ASAN 1
#endif
#endif

// Under AddressSanitizer its own allocator must see every allocation: the counter steps aside
// (allocations then read 0), instead of hiding the heap from the sanitizer.
#ifndef TAGWAY_UNDER_ASAN

void *malloc(size_t size) { counted(); return __libc_malloc(size); }
void *calloc(size_t count, size_t size) { counted(); return __libc_calloc(count, size); }
void *realloc(void *pointer, size_t size) { counted(); return __libc_realloc(pointer, size); }
void free(void *pointer) { __libc_free(pointer); }
void *memalign(size_t alignment, size_t size) { counted(); return __libc_memalign(alignment, size); }
void *aligned_alloc(size_t alignment, size_t size) { counted(); return __libc_memalign(alignment, size); }

int posix_memalign(void **out, size_t alignment, size_t size) {
    counted();
    void *pointer = __libc_memalign(alignment, size);
    if (pointer == NULL && size != 0) return ENOMEM;
    *out = pointer;
    return 0;
}
#endif
