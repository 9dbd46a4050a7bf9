/*
 * pt_sha256.c -- SHA-256 as specified in FIPS 180-4, section 6.2.
 *
 * Written from the standard for the audit log's hash chain; tested against
 * the FIPS 180-2 appendix B examples (tests/plugins/test_sha256.c).
 */
#include "pt_sha256.h"

#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_SHA_NI 1
#endif

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static uint32_t rotr(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32 - n));
}

static void compress(pt_sha256 *s, const unsigned char *p)
{
    uint32_t w[64], a, b, c, d, e, f, g, h, t1, t2;
    int i;

    for (i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
    for (i = 16; i < 64; i++) {
        uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^
                      (w[i - 15] >> 3);
        uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^
                      (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3];
    e = s->h[4], f = s->h[5], g = s->h[6], h = s->h[7];
    for (i = 0; i < 64; i++) {
        t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) +
             ((e & f) ^ (~e & g)) + K[i] + w[i];
        t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) +
             ((a & b) ^ (a & c) ^ (b & c));
        h = g, g = f, f = e, e = d + t1;
        d = c, c = b, b = a, a = t1 + t2;
    }
    s->h[0] += a, s->h[1] += b, s->h[2] += c, s->h[3] += d;
    s->h[4] += e, s->h[5] += f, s->h[6] += g, s->h[7] += h;
}

#ifdef HAVE_SHA_NI
/* compress() with the SHA extensions.  The instructions keep the state as
 * two vectors, (a, b, e, f) and (c, d, g, h), and do two rounds each;
 * sha256msg1 and sha256msg2 extend the message schedule four words at a
 * time: w[i..i+3] from w[i-16..i-13], w[i-15..i-12], w[i-7..i-4] and
 * w[i-4..i-1]. */
__attribute__((target("sha,sse4.1"))) static void
compress_ni(uint32_t h[8], const unsigned char *p)
{
    const __m128i swap = _mm_set_epi64x(0x0c0d0e0f08090a0bll,
                                        0x0405060700010203ll);
    __m128i abef, cdgh, abef0, cdgh0, t, k, w[4];
    int i;

    t = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[0]), 0xb1);
    cdgh = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[4]), 0x1b);
    abef = _mm_alignr_epi8(t, cdgh, 8);
    cdgh = _mm_blend_epi16(cdgh, t, 0xf0);
    abef0 = abef;
    cdgh0 = cdgh;
#pragma GCC unroll 16
    for (i = 0; i < 16; i++) {
        if (i < 4)
            w[i] = _mm_shuffle_epi8(
                _mm_loadu_si128((const __m128i *)(p + 16 * i)), swap);
        k = _mm_add_epi32(w[i & 3],
                          _mm_loadu_si128((const __m128i *)&K[4 * i]));
        cdgh = _mm_sha256rnds2_epu32(cdgh, abef, k);
        if (i >= 3 && i < 15) {
            /* w[i+1] (slot (i+1) & 3 holds msg1 of w[i-3], w[i-2]) */
            t = _mm_alignr_epi8(w[i & 3], w[(i - 1) & 3], 4);
            w[(i + 1) & 3] = _mm_sha256msg2_epu32(
                _mm_add_epi32(w[(i + 1) & 3], t), w[i & 3]);
        }
        abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(k, 0x0e));
        if (i >= 1 && i < 13)
            w[(i - 1) & 3] = _mm_sha256msg1_epu32(w[(i - 1) & 3], w[i & 3]);
    }
    abef = _mm_add_epi32(abef, abef0);
    cdgh = _mm_add_epi32(cdgh, cdgh0);
    t = _mm_shuffle_epi32(abef, 0x1b);
    cdgh = _mm_shuffle_epi32(cdgh, 0xb1);
    _mm_storeu_si128((__m128i *)&h[0], _mm_blend_epi16(t, cdgh, 0xf0));
    _mm_storeu_si128((__m128i *)&h[4], _mm_alignr_epi8(cdgh, t, 8));
}
#endif

/* One 64-byte block p into the state. */
static void block(pt_sha256 *s, const unsigned char *p)
{
#ifdef HAVE_SHA_NI
    if (s->sha_ni) {
        compress_ni(s->h, p);
        return;
    }
#endif
    compress(s, p);
}

void pt_sha256_init(pt_sha256 *s)
{
    static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372,
                                   0xa54ff53a, 0x510e527f, 0x9b05688c,
                                   0x1f83d9ab, 0x5be0cd19};
    memcpy(s->h, h0, sizeof h0);
    s->bytes = 0;
    s->used = 0;
#ifdef HAVE_SHA_NI
    s->sha_ni = __builtin_cpu_supports("sha") &&
                __builtin_cpu_supports("sse4.1");
#else
    s->sha_ni = 0;
#endif
}

void pt_sha256_update(pt_sha256 *s, const void *data, size_t len)
{
    const unsigned char *p = data;
    size_t take;

    s->bytes += len;
    while (len > 0) {
        if (s->used == 0 && len >= 64) {
            block(s, p); /* whole blocks straight from the input */
            take = 64;
        } else {
            take = 64 - s->used < len ? 64 - s->used : len;
            memcpy(s->block + s->used, p, take);
            s->used += take;
            if (s->used == 64) {
                block(s, s->block);
                s->used = 0;
            }
        }
        p += take;
        len -= take;
    }
}

void pt_sha256_final(pt_sha256 *s, unsigned char out[PT_SHA256_SIZE])
{
    uint64_t bits = s->bytes * 8;
    int i;

    s->block[s->used++] = 0x80;
    if (s->used > 56) {
        memset(s->block + s->used, 0, 64 - s->used);
        block(s, s->block);
        s->used = 0;
    }
    memset(s->block + s->used, 0, 56 - s->used);
    for (i = 0; i < 8; i++)
        s->block[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
    block(s, s->block);
    for (i = 0; i < 8; i++) {
        out[4 * i] = (unsigned char)(s->h[i] >> 24);
        out[4 * i + 1] = (unsigned char)(s->h[i] >> 16);
        out[4 * i + 2] = (unsigned char)(s->h[i] >> 8);
        out[4 * i + 3] = (unsigned char)s->h[i];
    }
}

void pt_sha256_hex(const void *data, size_t len, char hex[PT_SHA256_HEX_SIZE])
{
    static const char digits[] = "0123456789abcdef";
    unsigned char d[PT_SHA256_SIZE];
    pt_sha256 s;
    int i;

    pt_sha256_init(&s);
    pt_sha256_update(&s, data, len);
    pt_sha256_final(&s, d);
    for (i = 0; i < PT_SHA256_SIZE; i++) {
        hex[2 * i] = digits[d[i] >> 4];
        hex[2 * i + 1] = digits[d[i] & 15];
    }
    hex[64] = 0;
}
