/*
 * pt_sha256.h -- SHA-256 (FIPS 180-4), for the hash-chained audit log and
 * any other digest of the record.
 *
 * Small and dependency-free so that every plug-in can chain its audit
 * entries without linking a crypto library.  Incremental: init, update any
 * number of times, final.  No global state; any thread.  Where the
 * processor has the x86 SHA extensions the compression function uses them
 * (several times faster), otherwise it is plain C.
 */
#ifndef PT_SHA256_H
#define PT_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define PT_SHA256_SIZE 32
#define PT_SHA256_HEX_SIZE 65 /* 64 hex digits and a NUL */

typedef struct pt_sha256 {
    uint32_t h[8];
    uint64_t bytes;      /* message length so far */
    unsigned char block[64];
    size_t used;         /* bytes in block */
    int sha_ni;          /* compress with the x86 SHA extensions */
} pt_sha256;

/* Start a digest; sha_ni is set when the processor has the SHA
 * extensions (a caller may clear it to use the plain C function). */
void pt_sha256_init(pt_sha256 *s);
void pt_sha256_update(pt_sha256 *s, const void *data, size_t len);
/* Finish and write the 32-byte digest to out; s must be re-initialised
 * before reuse. */
void pt_sha256_final(pt_sha256 *s, unsigned char out[PT_SHA256_SIZE]);

/* The digest of data[0..len) as 64 lowercase hex digits in hex[65]. */
void pt_sha256_hex(const void *data, size_t len,
                   char hex[PT_SHA256_HEX_SIZE] /* OUT */);

#endif /* PT_SHA256_H */
