/*
 * pt_chain.c -- plain and keyed hashes of the audit log's chain (see
 * pt_chain.h).
 */
#include "pt_chain.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <nettle/hmac.h>

#include "pt_sha256.h"

typedef struct chain_keys {
    size_t n;
    unsigned char key[PT_CHAIN_MAX_KEYS][32];
} chain_keys;

static int hex_value(int c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* The hash of "prev|text": plain with key NULL, else HMAC under key. */
static void entry_hash(const unsigned char *key, const unsigned char *prev,
                       size_t plen, const unsigned char *text, size_t tlen,
                       char hex[65])
{
    unsigned char d[32];

    if (!key) {
        pt_sha256 s;
        pt_sha256_init(&s);
        pt_sha256_update(&s, prev, plen);
        pt_sha256_update(&s, "|", 1);
        pt_sha256_update(&s, text, tlen);
        pt_sha256_final(&s, d);
    } else {
        struct hmac_sha256_ctx h;
        hmac_sha256_set_key(&h, 32, key);
        hmac_sha256_update(&h, plen, prev);
        hmac_sha256_update(&h, 1, (const uint8_t *)"|");
        hmac_sha256_update(&h, tlen, text);
        hmac_sha256_digest(&h, 32, d);
        memset(&h, 0, sizeof h);
    }
    pt_sha256_digest_hex(d, hex);
}

static void sql_chain(sqlite3_context *ctx, int argc, sqlite3_value **v)
{
    const chain_keys *k = sqlite3_user_data(ctx);
    const unsigned char *prev, *text;
    char hex[65];

    (void)argc;
    if (sqlite3_value_type(v[1]) == SQLITE_NULL)
        return;
    prev = sqlite3_value_text(v[0]);
    text = sqlite3_value_text(v[1]);
    if (!text || (!prev && sqlite3_value_type(v[0]) != SQLITE_NULL)) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    entry_hash(k && k->n ? k->key[k->n - 1] : NULL,
               prev ? prev : (const unsigned char *)"",
               prev ? (size_t)sqlite3_value_bytes(v[0]) : 0, text,
               (size_t)sqlite3_value_bytes(v[1]), hex);
    sqlite3_result_text(ctx, hex, 64, SQLITE_TRANSIENT);
}

static void sql_chain_check(sqlite3_context *ctx, int argc,
                            sqlite3_value **v)
{
    const chain_keys *k = sqlite3_user_data(ctx);
    const unsigned char *prev = sqlite3_value_text(v[0]);
    const unsigned char *text = sqlite3_value_text(v[1]);
    const char *hash = (const char *)sqlite3_value_text(v[2]);
    size_t plen = (size_t)sqlite3_value_bytes(v[0]);
    size_t tlen = (size_t)sqlite3_value_bytes(v[1]);
    char hex[65];
    size_t i;

    (void)argc;
    if (!prev || !text || !hash) {
        sqlite3_result_int(ctx, -1);
        return;
    }
    entry_hash(NULL, prev, plen, text, tlen, hex);
    if (strcmp(hex, hash) == 0) {
        sqlite3_result_int(ctx, 0);
        return;
    }
    for (i = 0; k && i < k->n; i++) {
        entry_hash(k->key[i], prev, plen, text, tlen, hex);
        if (strcmp(hex, hash) == 0) {
            sqlite3_result_int(ctx, (int)i + 1);
            return;
        }
    }
    sqlite3_result_int(ctx, -1);
}

static void sql_chain_keys(sqlite3_context *ctx, int argc, sqlite3_value **v)
{
    const chain_keys *k = sqlite3_user_data(ctx);

    (void)argc;
    (void)v;
    sqlite3_result_int(ctx, k ? (int)k->n : 0);
}

static void keys_free(void *p)
{
    if (p)
        memset(p, 0, sizeof(chain_keys));
    free(p);
}

/* Read the keys of `path` into k.  LIMS_OK or an error naming the file. */
static lims_status load(const char *path, chain_keys *k, char *err,
                        size_t errlen)
{
    FILE *f = fopen(path, "r");
    char line[256];
    unsigned long n = 0;
    struct stat st;
    size_t len, i;

    if (!f) {
        snprintf(err, errlen, "%s: cannot open the chain key file: %s", path,
                 strerror(errno));
        return LIMS_ERR_IO;
    }
    if (fstat(fileno(f), &st) == 0 && (st.st_mode & (S_IRWXG | S_IRWXO))) {
        fclose(f);
        snprintf(err, errlen,
                 "%s: the chain key file may be read by others: make it "
                 "readable by its owner only (chmod 600)",
                 path);
        return LIMS_ERR_INPUT;
    }
    while (fgets(line, sizeof line, f)) {
        n++;
        len = strcspn(line, "\r\n");
        if (len == sizeof line - 1) {
            fclose(f);
            snprintf(err, errlen, "%s:%lu: line too long for a key", path, n);
            return LIMS_ERR_INPUT;
        }
        line[len] = 0;
        if (len == 0 || line[0] == '#')
            continue;
        if (len != 64 || k->n == PT_CHAIN_MAX_KEYS) {
            fclose(f);
            snprintf(err, errlen,
                     "%s:%lu:1: %s", path, n,
                     len != 64 ? "a key is 64 hex digits (32 bytes)"
                               : "too many keys");
            return LIMS_ERR_INPUT;
        }
        for (i = 0; i < 32; i++) {
            int hi = hex_value(line[2 * i]), lo = hex_value(line[2 * i + 1]);
            if (hi < 0 || lo < 0) {
                fclose(f);
                memset(line, 0, sizeof line);
                snprintf(err, errlen,
                         "%s:%lu:%zu: a key is 64 hex digits (32 bytes)",
                         path, n, hi < 0 ? 2 * i + 1 : 2 * i + 2);
                return LIMS_ERR_INPUT;
            }
            k->key[k->n][i] = (unsigned char)(hi << 4 | lo);
        }
        k->n++;
    }
    memset(line, 0, sizeof line);
    fclose(f);
    if (k->n == 0) {
        snprintf(err, errlen, "%s: the chain key file holds no key", path);
        return LIMS_ERR_INPUT;
    }
    return LIMS_OK;
}

lims_status pt_chain_register(sqlite3 *db, const char *key_file, char *err,
                              size_t errlen)
{
    chain_keys *k = NULL;
    lims_status rc;
    int ok;

    if (key_file && *key_file) {
        if (!(k = calloc(1, sizeof *k))) {
            snprintf(err, errlen, "out of memory");
            return LIMS_ERR_NOMEM;
        }
        if ((rc = load(key_file, k, err, errlen))) {
            keys_free(k);
            return rc;
        }
    }
    /* the keys belong to ptlims_chain_keys(), registered last: SQLite
     * frees them with it (and the keys it replaces), also when registering
     * it fails */
    ok = sqlite3_create_function_v2(db, "ptlims_chain", 2,
                                    SQLITE_UTF8 | SQLITE_DETERMINISTIC, k,
                                    sql_chain, NULL, NULL,
                                    NULL) == SQLITE_OK &&
         sqlite3_create_function_v2(db, "ptlims_chain_check", 3,
                                    SQLITE_UTF8 | SQLITE_DETERMINISTIC, k,
                                    sql_chain_check, NULL, NULL,
                                    NULL) == SQLITE_OK;
    if (!ok)
        keys_free(k);
    else
        ok = sqlite3_create_function_v2(db, "ptlims_chain_keys", 0,
                                        SQLITE_UTF8, k, sql_chain_keys, NULL,
                                        NULL, keys_free) == SQLITE_OK;
    if (!ok) {
        snprintf(err, errlen, "registering the chain functions: %s",
                 sqlite3_errmsg(db));
        return LIMS_ERR_DB;
    }
    return LIMS_OK;
}
