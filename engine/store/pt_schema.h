/*
 * pt_schema.h -- the SQLite schema migrations, generated from schemas/.
 *
 * pt_schema_migrations[i] upgrades a database from user_version i to i + 1;
 * the array ends with a null pointer.  pt_schema_version is the number of
 * migrations: the user_version this code writes and the newest it reads.
 */
#ifndef PT_SCHEMA_H
#define PT_SCHEMA_H

extern const char *const pt_schema_migrations[];
extern const int pt_schema_version;

/* The first schema with the seal table (005). */
#define PT_SCHEMA_SEALS 5
/* The first schema with result_pack (006, pt_pack.h). */
#define PT_SCHEMA_PACKS 6

#endif /* PT_SCHEMA_H */
