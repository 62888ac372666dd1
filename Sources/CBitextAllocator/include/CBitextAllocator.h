#ifndef CBITEXT_ALLOCATOR_H
#define CBITEXT_ALLOCATOR_H

/// Asks the allocator that release builds link (mimalloc) to return freed memory to the system
/// after `milliseconds` instead of its default 25, unless the environment already sets that
/// delay (MIMALLOC_DECOMMIT_DELAY or MIMALLOC_PURGE_DELAY). Returns 1 when mimalloc took the
/// setting, 0 when this process allocates with something else (debug and sanitizer builds).
int cbitext_allocator_return_freed_memory_after(long milliseconds);

#endif
