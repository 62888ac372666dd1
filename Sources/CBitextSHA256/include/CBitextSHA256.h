#ifndef CBITEXT_SHA256_H
#define CBITEXT_SHA256_H

#include <stddef.h>
#include <stdint.h>

/// Whether this processor has the SHA-256 instructions (x86 SHA extensions); when it does,
/// `cbitext_sha256_blocks` compresses several times faster than portable code.
int cbitext_sha256_accelerated(void);

/// Compresses `count` 64-byte blocks at `data` into `state` (a..h) with the SHA extensions.
/// Call only when `cbitext_sha256_accelerated()` returned 1.
void cbitext_sha256_blocks(uint32_t state[8], const uint8_t *data, size_t count);

/// Compresses `count` blocks of each of two independent messages, `data_a` into `state_a` and
/// `data_b` into `state_b`, interleaved (about twice the throughput of two calls of
/// `cbitext_sha256_blocks`). Call only when `cbitext_sha256_accelerated()` returned 1.
void cbitext_sha256_blocks_two(uint32_t state_a[8], const uint8_t *data_a, uint32_t state_b[8], const uint8_t *data_b, size_t count);

#endif
