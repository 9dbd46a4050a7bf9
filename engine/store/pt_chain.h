/*
 * pt_chain.h -- the audit log's hash chain, plain or keyed.
 *
 * Each entry's hash is computed from the previous entry's hash and the
 * entry's canonical text (schema 004).  Plain, it is SHA-256 of
 * "PREV|TEXT", which anyone with sqlite3 can recompute after changing the
 * record.  Keyed, it is HMAC-SHA-256 (RFC 2104, GNU Nettle) of the same
 * bytes under a key kept outside the database, in a key file the host
 * names in its configuration (lims_services.config, key
 * "chain_key_file"); without the key nobody can write a chain that
 * verifies.  Both are 64 hex digits.
 *
 * The key file holds one key a line, 64 hex digits (32 bytes); blank lines
 * and lines beginning with '#' are ignored.  The last key writes; every
 * key verifies, so a key is rotated by appending a new line and keeping
 * the old ones.  The file must be readable by its owner only.
 *
 * The SQL functions registered on every connection ptlims opens:
 *   ptlims_chain(prev, text)        the hash of a new entry (the trigger
 *                                   audit_log_chain of schema 009 calls it)
 *   ptlims_chain_check(prev, text, hash)
 *                                   0 when hash is the plain hash, the
 *                                   1-based number of the key whose HMAC
 *                                   it is, -1 when neither
 *   ptlims_chain_keys()             how many keys the connection holds
 */
#ifndef PT_CHAIN_H
#define PT_CHAIN_H

#include <sqlite3.h>
#include <stddef.h>

#include "lims_plugin.h"

/* The most keys a key file may hold. */
#define PT_CHAIN_MAX_KEYS 64

/* Register the chain functions on db, keyed with the keys of key_file
 * when it is not NULL.  LIMS_ERR_IO or LIMS_ERR_INPUT name the file
 * (missing, readable by others, a line that is not a key). */
lims_status pt_chain_register(sqlite3 *db, const char *key_file, char *err,
                              size_t errlen);

#endif /* PT_CHAIN_H */
