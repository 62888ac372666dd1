// mimalloc's options through its own header, so that the option is named rather than
// numbered (its enum has changed between versions). Release builds on Linux link mimalloc
// (Package.swift); other builds do not, so the function is a weak reference, null there.
#include "CBitextAllocator.h"
#include <stdlib.h>

#if __has_include(<mimalloc.h>)
#include <mimalloc.h>
#pragma weak mi_option_set
#define CBITEXT_HAS_MIMALLOC 1
#endif

int cbitext_allocator_return_freed_memory_after(long milliseconds) {
#ifdef CBITEXT_HAS_MIMALLOC
    if (mi_option_set == NULL) return 0;
    if (getenv("MIMALLOC_DECOMMIT_DELAY") != NULL || getenv("MIMALLOC_PURGE_DELAY") != NULL) return 1;
    mi_option_set(mi_option_decommit_delay, milliseconds);
    return 1;
#else
    (void)milliseconds;
    return 0;
#endif
}
