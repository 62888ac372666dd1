// SHA-256 compression with the x86 SHA extensions (SHA-NI). The portable version lives in
// Swift (BitextPipeline/Running/SHA256.swift); this file only exists for speed: the manifest
// hashes every input and output, and the instructions do it at several GB/s.
#include "CBitextSHA256.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

static const uint32_t round_constants[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

int cbitext_sha256_accelerated(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("sha") && __builtin_cpu_supports("sse4.1");
}

__attribute__((target("sha,sse4.1,ssse3")))
void cbitext_sha256_blocks(uint32_t state[8], const uint8_t *data, size_t count) {
    // The instructions keep the state as two registers, (A,B,E,F) and (C,D,G,H), highest
    // lane first.
    __m128i abcd = _mm_loadu_si128((const __m128i *)&state[0]);
    __m128i efgh = _mm_loadu_si128((const __m128i *)&state[4]);
    __m128i badc = _mm_shuffle_epi32(abcd, 0xB1);
    __m128i hgfe = _mm_shuffle_epi32(efgh, 0x1B);
    __m128i abef = _mm_alignr_epi8(badc, hgfe, 8);
    __m128i cdgh = _mm_blend_epi16(hgfe, badc, 0xF0);
    // Message words are big-endian.
    const __m128i byteswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);

    for (size_t block = 0; block < count; block++, data += 64) {
        const __m128i saved_abef = abef;
        const __m128i saved_cdgh = cdgh;
        __m128i w[16];  // four message words per group of four rounds
        // Unrolled, so that `w` lives in registers and the first groups lose their branch.
#pragma clang loop unroll(full)
        for (int g = 0; g < 16; g++) {
            if (g < 4) {
                w[g] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 16 * g)), byteswap);
            } else {
                // W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16], four at a time.
                __m128i partial = _mm_sha256msg1_epu32(w[g - 4], w[g - 3]);
                partial = _mm_add_epi32(partial, _mm_alignr_epi8(w[g - 1], w[g - 2], 4));
                w[g] = _mm_sha256msg2_epu32(partial, w[g - 1]);
            }
            __m128i wk = _mm_add_epi32(w[g], _mm_loadu_si128((const __m128i *)&round_constants[4 * g]));
            cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);
            wk = _mm_shuffle_epi32(wk, 0x0E);
            abef = _mm_sha256rnds2_epu32(abef, cdgh, wk);
        }
        abef = _mm_add_epi32(abef, saved_abef);
        cdgh = _mm_add_epi32(cdgh, saved_cdgh);
    }

    __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
    __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
    _mm_storeu_si128((__m128i *)&state[0], _mm_blend_epi16(feba, dchg, 0xF0));
    _mm_storeu_si128((__m128i *)&state[4], _mm_alignr_epi8(dchg, feba, 8));
}

// Two messages at once. One message's rounds form a single dependency chain, so a core runs
// them at the latency of `sha256rnds2`, not at its throughput: the rounds of a second, unrelated
// message fit in between, and hashing both costs little more than hashing one. The code is the
// loop above with every register doubled (suffixes _a and _b).
__attribute__((target("sha,sse4.1,ssse3")))
void cbitext_sha256_blocks_two(uint32_t state_a[8], const uint8_t *data_a, uint32_t state_b[8], const uint8_t *data_b, size_t count) {
    __m128i abcd_a = _mm_loadu_si128((const __m128i *)&state_a[0]);
    __m128i efgh_a = _mm_loadu_si128((const __m128i *)&state_a[4]);
    __m128i abcd_b = _mm_loadu_si128((const __m128i *)&state_b[0]);
    __m128i efgh_b = _mm_loadu_si128((const __m128i *)&state_b[4]);
    __m128i badc_a = _mm_shuffle_epi32(abcd_a, 0xB1), hgfe_a = _mm_shuffle_epi32(efgh_a, 0x1B);
    __m128i badc_b = _mm_shuffle_epi32(abcd_b, 0xB1), hgfe_b = _mm_shuffle_epi32(efgh_b, 0x1B);
    __m128i abef_a = _mm_alignr_epi8(badc_a, hgfe_a, 8), cdgh_a = _mm_blend_epi16(hgfe_a, badc_a, 0xF0);
    __m128i abef_b = _mm_alignr_epi8(badc_b, hgfe_b, 8), cdgh_b = _mm_blend_epi16(hgfe_b, badc_b, 0xF0);
    const __m128i byteswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);

    for (size_t block = 0; block < count; block++, data_a += 64, data_b += 64) {
        const __m128i saved_abef_a = abef_a, saved_cdgh_a = cdgh_a;
        const __m128i saved_abef_b = abef_b, saved_cdgh_b = cdgh_b;
        __m128i w_a[16], w_b[16];
#pragma clang loop unroll(full)
        for (int g = 0; g < 16; g++) {
            if (g < 4) {
                w_a[g] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data_a + 16 * g)), byteswap);
                w_b[g] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data_b + 16 * g)), byteswap);
            } else {
                __m128i partial_a = _mm_sha256msg1_epu32(w_a[g - 4], w_a[g - 3]);
                __m128i partial_b = _mm_sha256msg1_epu32(w_b[g - 4], w_b[g - 3]);
                partial_a = _mm_add_epi32(partial_a, _mm_alignr_epi8(w_a[g - 1], w_a[g - 2], 4));
                partial_b = _mm_add_epi32(partial_b, _mm_alignr_epi8(w_b[g - 1], w_b[g - 2], 4));
                w_a[g] = _mm_sha256msg2_epu32(partial_a, w_a[g - 1]);
                w_b[g] = _mm_sha256msg2_epu32(partial_b, w_b[g - 1]);
            }
            const __m128i k = _mm_loadu_si128((const __m128i *)&round_constants[4 * g]);
            __m128i wk_a = _mm_add_epi32(w_a[g], k);
            __m128i wk_b = _mm_add_epi32(w_b[g], k);
            cdgh_a = _mm_sha256rnds2_epu32(cdgh_a, abef_a, wk_a);
            cdgh_b = _mm_sha256rnds2_epu32(cdgh_b, abef_b, wk_b);
            wk_a = _mm_shuffle_epi32(wk_a, 0x0E);
            wk_b = _mm_shuffle_epi32(wk_b, 0x0E);
            abef_a = _mm_sha256rnds2_epu32(abef_a, cdgh_a, wk_a);
            abef_b = _mm_sha256rnds2_epu32(abef_b, cdgh_b, wk_b);
        }
        abef_a = _mm_add_epi32(abef_a, saved_abef_a);
        cdgh_a = _mm_add_epi32(cdgh_a, saved_cdgh_a);
        abef_b = _mm_add_epi32(abef_b, saved_abef_b);
        cdgh_b = _mm_add_epi32(cdgh_b, saved_cdgh_b);
    }

    __m128i feba_a = _mm_shuffle_epi32(abef_a, 0x1B), dchg_a = _mm_shuffle_epi32(cdgh_a, 0xB1);
    __m128i feba_b = _mm_shuffle_epi32(abef_b, 0x1B), dchg_b = _mm_shuffle_epi32(cdgh_b, 0xB1);
    _mm_storeu_si128((__m128i *)&state_a[0], _mm_blend_epi16(feba_a, dchg_a, 0xF0));
    _mm_storeu_si128((__m128i *)&state_a[4], _mm_alignr_epi8(dchg_a, feba_a, 8));
    _mm_storeu_si128((__m128i *)&state_b[0], _mm_blend_epi16(feba_b, dchg_b, 0xF0));
    _mm_storeu_si128((__m128i *)&state_b[4], _mm_alignr_epi8(dchg_b, feba_b, 8));
}

#else

int cbitext_sha256_accelerated(void) { return 0; }
void cbitext_sha256_blocks(uint32_t state[8], const uint8_t *data, size_t count) {
    (void)state; (void)data; (void)count;
}
void cbitext_sha256_blocks_two(uint32_t state_a[8], const uint8_t *data_a, uint32_t state_b[8], const uint8_t *data_b, size_t count) {
    (void)state_a; (void)data_a; (void)state_b; (void)data_b; (void)count;
}

#endif
