/*
 * pt_sha256.h -- SHA-256 (FIPS 180-4), for the hash-chained audit log and
 * any other digest of the record.
 *
 * A thin layer over GNU Nettle's audited implementation (Debian
 * nettle-dev), which uses the x86 SHA extensions where the processor has
 * them.  Incremental: init, update any number of times, final.  No global
 * state; any thread.
 *
 * The canonical forms hashed here (seals, the state) feed a row to the
 * hash a few bytes at a time; short pieces are gathered in a block of
 * their own and handed to Nettle a block at a time, so that a row costs a
 * few calls instead of two per column.  The digest is the same.
 */
#ifndef PT_SHA256_H
#define PT_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include <nettle/sha2.h>

#define PT_SHA256_SIZE 32
#define PT_SHA256_HEX_SIZE 65 /* 64 hex digits and a NUL */

typedef struct pt_sha256 {
    struct sha256_ctx ctx;
    size_t n;                            /* bytes waiting in buf */
    unsigned char buf[SHA256_BLOCK_SIZE];
} pt_sha256;

void pt_sha256_init(pt_sha256 *s);
/* Hands the waiting bytes and then data[0..len) to Nettle. */
void pt_sha256_flush(pt_sha256 *s, const void *data, size_t len);

static inline void pt_sha256_update(pt_sha256 *s, const void *data,
                                    size_t len)
{
    if (len <= sizeof s->buf - s->n) {
        unsigned char *to = s->buf + s->n;
        const unsigned char *from = data;

        s->n += len;
        while (len--)
            *to++ = *from++;
    } else {
        pt_sha256_flush(s, data, len);
    }
}
/* Finish and write the 32-byte digest to out; s must be re-initialised
 * before reuse. */
void pt_sha256_final(pt_sha256 *s, unsigned char out[PT_SHA256_SIZE]);

/* A digest as 64 lowercase hex digits in hex[65]. */
void pt_sha256_digest_hex(const unsigned char d[PT_SHA256_SIZE],
                          char hex[PT_SHA256_HEX_SIZE] /* OUT */);

/* The digest of data[0..len) as 64 lowercase hex digits in hex[65]. */
void pt_sha256_hex(const void *data, size_t len,
                   char hex[PT_SHA256_HEX_SIZE] /* OUT */);

#endif /* PT_SHA256_H */
