/*
 * zipread.h -- a small reader of .xlsx (zip) files for the report tests.
 *
 * The tests must look inside the workbook on a fresh Debian machine that has
 * only the build dependencies, so no unzip(1): this walks the zip's central
 * directory and inflates a member with zlib (which libxlsxwriter already
 * needs).  Header-only so that each test stays one .c file.
 */
#ifndef PT_TEST_ZIPREAD_H
#define PT_TEST_ZIPREAD_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Reads a whole file; returns a malloc'd buffer (NUL-terminated) and its
 * size in *n, or NULL. */
static inline unsigned char *zr_slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    long len;

    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 &&
        fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)len + 1))) {
        if (fread(buf, 1, (size_t)len, f) != (size_t)len) {
            free(buf);
            buf = NULL;
        } else {
            buf[len] = '\0';
            *n = (size_t)len;
        }
    }
    fclose(f);
    return buf;
}

static inline unsigned zr_u16(const unsigned char *p)
{
    return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static inline unsigned long zr_u32(const unsigned char *p)
{
    return (unsigned long)p[0] | (unsigned long)p[1] << 8 |
           (unsigned long)p[2] << 16 | (unsigned long)p[3] << 24;
}

/* Calls fn(name, name_len, central_entry, arg) for each member; stops and
 * returns 1 when fn returns non-zero; -1 if the zip is malformed. */
static inline int zr_each(const unsigned char *zip, size_t n,
                          int (*fn)(const char *, size_t, const unsigned char *,
                                    void *),
                          void *arg)
{
    size_t eocd, cd, count;

    if (n < 22)
        return -1;
    for (eocd = n - 22;; eocd--) {
        if (zr_u32(zip + eocd) == 0x06054b50UL)
            break;
        if (eocd == 0)
            return -1;
    }
    count = zr_u16(zip + eocd + 10);
    cd = zr_u32(zip + eocd + 16);
    for (size_t i = 0; i < count; i++) {
        size_t nlen, xlen, clen;

        if (cd + 46 > n || zr_u32(zip + cd) != 0x02014b50UL)
            return -1;
        nlen = zr_u16(zip + cd + 28);
        xlen = zr_u16(zip + cd + 30);
        clen = zr_u16(zip + cd + 32);
        if (cd + 46 + nlen > n)
            return -1;
        if (fn((const char *)zip + cd + 46, nlen, zip + cd, arg))
            return 1;
        cd += 46 + nlen + xlen + clen;
    }
    return 0;
}

struct zr_find {
    const char *name;
    const unsigned char *entry;
};

static inline int zr_match(const char *name, size_t len,
                           const unsigned char *entry, void *arg)
{
    struct zr_find *f = arg;

    if (strlen(f->name) == len && memcmp(f->name, name, len) == 0) {
        f->entry = entry;
        return 1;
    }
    return 0;
}

/* The member `name` inflated, NUL-terminated, malloc'd; NULL if absent or
 * unreadable. */
static inline char *zr_read(const unsigned char *zip, size_t n,
                            const char *name)
{
    struct zr_find f = {name, NULL};
    size_t off, csize, usize, data;
    unsigned method;
    char *out;

    if (zr_each(zip, n, zr_match, &f) != 1)
        return NULL;
    method = zr_u16(f.entry + 10);
    csize = zr_u32(f.entry + 20);
    usize = zr_u32(f.entry + 24);
    off = zr_u32(f.entry + 42);
    if (off + 30 > n || zr_u32(zip + off) != 0x04034b50UL)
        return NULL;
    data = off + 30 + zr_u16(zip + off + 26) + zr_u16(zip + off + 28);
    if (data + csize > n || !(out = malloc(usize + 1)))
        return NULL;
    if (method == 0 && csize == usize) {
        memcpy(out, zip + data, usize);
    } else if (method == 8) {
        z_stream z;
        int rc;

        memset(&z, 0, sizeof z);
        if (inflateInit2(&z, -MAX_WBITS) != Z_OK) {
            free(out);
            return NULL;
        }
        z.next_in = (unsigned char *)(zip + data);
        z.avail_in = (uInt)csize;
        z.next_out = (unsigned char *)out;
        z.avail_out = (uInt)usize;
        rc = inflate(&z, Z_FINISH);
        inflateEnd(&z);
        if (rc != Z_STREAM_END || z.total_out != usize) {
            free(out);
            return NULL;
        }
    } else {
        free(out);
        return NULL;
    }
    out[usize] = '\0';
    return out;
}

/* The member `name` of the zip file at `path`; see zr_read(). */
static inline char *zr_read_file(const char *path, const char *name)
{
    size_t n;
    unsigned char *zip = zr_slurp(path, &n);
    char *out = zip ? zr_read(zip, n, name) : NULL;

    free(zip);
    return out;
}

#endif /* PT_TEST_ZIPREAD_H */
