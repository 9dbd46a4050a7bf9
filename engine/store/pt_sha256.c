/*
 * pt_sha256.c -- SHA-256 through GNU Nettle (see pt_sha256.h); tested
 * against the FIPS 180-2 appendix B examples (tests/plugins/test_sha256.c).
 */
#include "pt_sha256.h"

void pt_sha256_init(pt_sha256 *s)
{
    sha256_init(&s->ctx);
    s->n = 0;
}

void pt_sha256_flush(pt_sha256 *s, const void *data, size_t len)
{
    if (s->n)
        sha256_update(&s->ctx, s->n, s->buf);
    s->n = 0;
    if (len)
        sha256_update(&s->ctx, len, data);
}

void pt_sha256_final(pt_sha256 *s, unsigned char out[PT_SHA256_SIZE])
{
    pt_sha256_flush(s, NULL, 0);
    sha256_digest(&s->ctx, PT_SHA256_SIZE, out);
}

void pt_sha256_digest_hex(const unsigned char d[PT_SHA256_SIZE],
                          char hex[PT_SHA256_HEX_SIZE])
{
    static const char digits[] = "0123456789abcdef";
    int i;

    for (i = 0; i < PT_SHA256_SIZE; i++) {
        hex[2 * i] = digits[d[i] >> 4];
        hex[2 * i + 1] = digits[d[i] & 15];
    }
    hex[2 * PT_SHA256_SIZE] = 0;
}

void pt_sha256_hex(const void *data, size_t len, char hex[PT_SHA256_HEX_SIZE])
{
    unsigned char d[PT_SHA256_SIZE];
    pt_sha256 s;

    pt_sha256_init(&s);
    pt_sha256_update(&s, data, len);
    pt_sha256_final(&s, d);
    pt_sha256_digest_hex(d, hex);
}
