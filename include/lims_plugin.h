/*
 * lims_plugin.h -- the ptlims ABI, version 1.
 *
 * This one header is everything a LIMS host needs.  It describes two kinds
 * of shared object:
 *
 *   - a scheme plug-in (dehumidifier.so, fuel-sulfur.so) describes one kind
 *     of comparison: measurands, units, conditions, checks, limit keys and
 *     the evaluation policy.  It exports
 *         const lims_plugin *lims_plugin_entry_v1(void);
 *     and holds no database, no file and no state;
 *   - the engine (libptlims.so) keeps the record for every scheme it is
 *     given: laboratories, rounds and results recorded through structured
 *     calls or imported from CSV, evaluations, scores, comparisons, the
 *     participation plan, corrective actions, integrity, multi-site sync
 *     and the audit workbook.  It exports
 *         const lims_engine *lims_engine_entry_v1(void);
 *
 * A host opens an engine instance on a database, gives it the schemes it
 * loaded (scheme_add) and calls the engine.  Both entry points return a
 * pointer to a static, immutable table.  The host checks
 * LIMS_ABI_MAJOR(t->abi) == LIMS_ABI_MAJOR_VERSION and refuses the object
 * otherwise.  Structures only ever grow at the end; a reader uses a member
 * only when the structure's `size` covers it (see LIMS_HAS_MEMBER).
 *
 * Version 1 was redefined before any release (0.1.0): the record-keeping
 * members moved from the scheme descriptor to lims_engine.
 *
 * Errors.  Every fallible call returns a lims_status (0 = LIMS_OK) and writes
 * a NUL-terminated message into a caller-owned buffer `err` of `errlen`
 * bytes (errlen may be 0, then nothing is written).  Messages about input
 * name the place: "results.csv:14:3: value \"1,2\" is not a number".
 * Status values are never renumbered; new ones are appended;
 * lims_status_text() names each.
 *
 * Memory.  Whatever a library allocates it frees: outputs either go into
 * caller buffers or come with a paired release function.  Strings inside a
 * descriptor are static and live as long as the object stays loaded.
 * Pointers handed to a callback are valid during the call only.
 *
 * Threading.  Every function member carries a tag: [any thread], or
 * [instance thread] for an instance that belongs to one thread at a time
 * (different instances may be used concurrently).  Nothing touches
 * process-global state: no setlocale(), no signal handlers, no exit().
 * Numbers are parsed and written in the "C" locale of the calling thread
 * (uselocale), whatever the process locale is.  GSL's global error handler
 * is the host's business: the reference host switches it off once at start.
 */
#ifndef LIMS_PLUGIN_H
#define LIMS_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LIMS_ABI_MAJOR_VERSION 1
#define LIMS_ABI_MINOR_VERSION 0
#define LIMS_ABI_MAKE(major, minor) (((uint32_t)(major) << 16) | (minor))
#define LIMS_ABI_MAJOR(abi) ((uint32_t)(abi) >> 16)
#define LIMS_ABI_MINOR(abi) ((uint32_t)(abi)&0xffffu)
#define LIMS_ABI_VERSION                                                      \
    LIMS_ABI_MAKE(LIMS_ABI_MAJOR_VERSION, LIMS_ABI_MINOR_VERSION)

/* The name of the entry symbol for ABI major version 1. */
#define LIMS_PLUGIN_ENTRY_V1 "lims_plugin_entry_v1"
/* The name of the engine library's entry symbol for ABI major version 1. */
#define LIMS_ENGINE_ENTRY_V1 "lims_engine_entry_v1"

/* True when a size-first structure `s` (pointer) contains `member`. */
#define LIMS_HAS_MEMBER(s, type, member)                                      \
    ((s)->size >= offsetof(type, member) + sizeof(((type *)0)->member))

/* Status codes.  Append only; never renumber. */
typedef enum lims_status {
    LIMS_OK = 0,
    LIMS_ERR_INPUT = 1,       /* bad user input; message names the place */
    LIMS_ERR_NOMEM = 2,       /* allocation failed */
    LIMS_ERR_DB = 3,          /* database error (message from SQLite) */
    LIMS_ERR_IO = 4,          /* file could not be read or written */
    LIMS_ERR_ABI = 5,         /* structure too small / version mismatch */
    LIMS_ERR_CANCELLED = 6,   /* services->cancelled() said stop */
    LIMS_ERR_UNSUPPORTED = 7, /* this plug-in does not do that */
    LIMS_ERR_STATE = 8,       /* not allowed now (e.g. round is closed) */
    LIMS_ERR_INTERNAL = 9     /* a bug: please report it */
} lims_status;

/* [any thread] A short English name of a status, never NULL. */
static inline const char *lims_status_text(lims_status st)
{
    switch (st) {
    case LIMS_OK:
        return "ok";
    case LIMS_ERR_INPUT:
        return "bad input";
    case LIMS_ERR_NOMEM:
        return "out of memory";
    case LIMS_ERR_DB:
        return "database error";
    case LIMS_ERR_IO:
        return "file could not be read or written";
    case LIMS_ERR_ABI:
        return "ABI version or structure size mismatch";
    case LIMS_ERR_CANCELLED:
        return "cancelled";
    case LIMS_ERR_UNSUPPORTED:
        return "not supported";
    case LIMS_ERR_STATE:
        return "not allowed in this state";
    case LIMS_ERR_INTERNAL:
        return "internal error";
    }
    return "unknown status";
}

/* Log levels for lims_services.log. */
typedef enum lims_log_level {
    LIMS_LOG_DEBUG = 0,
    LIMS_LOG_INFO = 1,
    LIMS_LOG_WARN = 2,
    LIMS_LOG_ERROR = 3
} lims_log_level;

struct lims_plugin;

/*
 * What the host gives a plug-in instance.  Size-first; all callbacks may be
 * NULL.  The table and the strings it points to must stay valid until the
 * instance is closed.  Callbacks are called on the thread that called into
 * the plug-in.
 */
typedef struct lims_services {
    size_t size; /* sizeof(lims_services) as the host compiled it */
    uint32_t abi;
    void *host; /* passed back to every callback */

    /* Database file (created and migrated by open if missing). */
    const char *db_path;

    /* Diagnostics: warnings the user should see (out-of-range method, …). */
    void (*log)(void *host, lims_log_level level, const char *msg);

    /* Configuration lookup: returns a string owned by the host, or NULL. */
    const char *(*config)(void *host, const char *key);

    /* Cancellation: long operations poll this and stop with
     * LIMS_ERR_CANCELLED, leaving the database unchanged. */
    int (*cancelled)(void *host);

    /* Progress of a long operation, for a progress bar: `stage` names it
     * ("import": done and total in bytes of the file; "report": rows of
     * the workbook written), total 0 when unknown.  May be NULL.  Called
     * at most about ten times a second, and once more with done == total
     * when the stage ends; a plug-in never prints anything itself. */
    void (*progress)(void *host, const char *stage, unsigned long long done,
                     unsigned long long total);
} lims_services;

/* One measurand of a scheme. */
typedef struct lims_measurand {
    size_t size;
    const char *id;      /* "leakage_current_op", "sulfur" */
    const char *name_en; /* "Leakage current at operating temperature" */
    const char *name_zh; /* "操作溫度下洩漏電流" */
    const char *unit;    /* canonical unit: "mA", "W", "mg/kg" */
    const char *units;   /* accepted units, comma separated: "uA,µA,mA,A" */
    double min, max;     /* plausible range in the canonical unit */
} lims_measurand;

/* A result as reported, before checking.  Strings are NUL-terminated and
 * owned by the caller; NULL means "not given". */
typedef struct lims_result_in {
    size_t size;
    const char *measurand;
    double value; /* parsed from the text as reported */
    const char *unit;
    double U;  /* expanded uncertainty in `unit`; NAN when not given */
    double k;  /* coverage factor; NAN when not given */
    const char *method;
    /* The texts as reported (may be NULL): when given, a conversion by a
     * power of ten is done on the decimal text, so 0.452 % m/m becomes
     * exactly the double nearest 4520 mg/kg. */
    const char *value_text;
    const char *U_text;
} lims_result_in;

/* Which field of a lims_result_in a check failed on. */
typedef enum lims_field {
    LIMS_FIELD_NONE = 0,
    LIMS_FIELD_MEASURAND = 1,
    LIMS_FIELD_VALUE = 2,
    LIMS_FIELD_UNIT = 3,
    LIMS_FIELD_U = 4,
    LIMS_FIELD_K = 5,
    LIMS_FIELD_METHOD = 6
} lims_field;

/* A checked result in canonical units. */
typedef struct lims_result_out {
    size_t size;
    double value; /* in the measurand's canonical unit */
    double U;     /* in the canonical unit, NAN when not given */
    double scale; /* value_canonical = value_reported * scale */
    lims_field bad_field; /* on LIMS_ERR_INPUT: the field at fault */
} lims_result_out;

/* Rules a scheme sets for evaluating a round. */
typedef struct lims_policy {
    size_t size;
    /* Smallest number of results for which a consensus assigned value
     * (Algorithm A) is used. */
    unsigned min_consensus;
    /* Smallest number of results for which σ_pt may be taken from the
     * round itself (|z| >= 3 must be reachable: (n-1)/sqrt(n) >= 3). */
    unsigned min_sigma_from_round;
    /* En boundary: 1 = |En| <= 1 satisfactory; 0 = ISO: signal at >= 1. */
    int en_le_one_satisfactory;
} lims_policy;

/* Result of an import. */
typedef struct lims_import_summary {
    size_t size;
    unsigned long rows;         /* data rows read */
    unsigned long laboratories; /* laboratories added or updated */
    unsigned long rounds;       /* rounds added */
    unsigned long results;      /* results added */
    /* rows recorded already, as they are; when it equals rows, the file
     * was recorded already and nothing of it was written */
    unsigned long already;
} lims_import_summary;

/* Result of evaluating one round. */
typedef struct lims_eval_summary {
    size_t size;
    unsigned long groups;  /* measurand x item groups evaluated */
    unsigned long scores;  /* scores written */
    unsigned long signals; /* questionable + unsatisfactory */
} lims_eval_summary;

/* What goes into a workbook. */
typedef struct lims_report_request {
    size_t size;
    const char *out_path; /* .xlsx; written to a temporary file, renamed */
    const char *lab;      /* laboratory code the workbook is for */
    const char *from;     /* ISO date, inclusive, or NULL */
    const char *to;       /* ISO date, inclusive, or NULL */
    const char *lang;     /* "zh-TW" (default) or "en" */
    /* "YYYY-MM-DDTHH:MM:SS" (UTC) written as the workbook's date, so the
     * same data and date give the same bytes; NULL: the current time. */
    const char *generated_at;
    /* appended: the laboratory's time zone for "generated at" ("Asia/Taipei"
     * when NULL; "UTC", a zone name ptlims knows, or "+HH:MM"); dates
     * written as text as 民國 dates (0 ISO with the 民國 year, 1
     * "114/08/04", 2 "114年8月4日"); the document number and revision in
     * the laboratory's document control; who prepared, reviewed and
     * approved the workbook (names, NULL: left to be filled in) */
    const char *tz;
    int roc_dates;
    const char *document_no;
    const char *revision;
    const char *prepared_by;
    const char *reviewed_by;
    const char *approved_by;
    /* appended: the ISO dates of those sign-offs, shown on the cover;
     * NULL: left to be filled in */
    const char *prepared_on;
    const char *reviewed_on;
    const char *approved_on;
} lims_report_request;

/* A condition a scheme records with each result (rated voltage, appliance
 * class, …): a results CSV column of that name. */
typedef enum lims_condition_kind {
    LIMS_CONDITION_TEXT = 0,
    LIMS_CONDITION_NUMBER = 1, /* in `unit`, within [min, max] */
    LIMS_CONDITION_CHOICE = 2  /* one of `choices` */
} lims_condition_kind;

typedef struct lims_condition {
    size_t size;
    const char *name; /* CSV column: "appliance_class" */
    const char *name_en;
    const char *name_zh;
    lims_condition_kind kind;
    const char *unit;    /* NUMBER: "V", "W", "" */
    double min, max;     /* NUMBER */
    const char *choices; /* CHOICE: comma separated, "0,0I,I,II,III" */
} lims_condition;

/* A recorded condition, as name and text. */
typedef struct lims_condition_value {
    const char *name;
    const char *value;
} lims_condition_value;

/* Which limit applies to a result (lims_plugin.limit_key). */
typedef struct lims_limit_key {
    size_t size;
    char measurand[64]; /* limit_spec.measurand: "leakage_current" */
    char category[96];  /* limit_spec.category: "class I portable" */
    double rated_power; /* W, for per-kW limits and power deviation; NAN */
} lims_limit_key;

/* One score as listed by lims_plugin.scores.  Pointers are valid only
 * during the callback.  Scores that do not apply are NAN. */
typedef struct lims_score_row {
    size_t size;
    const char *round;
    const char *scheme;
    const char *measurand;
    const char *item;
    const char *lab;
    const char *value_text; /* as reported */
    const char *unit;       /* as reported */
    double value;           /* canonical unit */
    double x_pt, u_x_pt, sigma_pt;
    const char *assigned;   /* "reference", "consensus", "fixed" */
    double D, D_pct, z, z_prime, zeta, En;
    const char *primary;    /* which score the verdict is on: "En", "z", … */
    const char *verdict;    /* "satisfactory", "questionable",
                               "unsatisfactory", "not scored" */
    /* The result against the limit in force: "conforms",
     * "does not conform", "not assessed"; the limit (canonical unit, NAN
     * when none) and whether the result sits near it. */
    const char *conformity;
    double limit;
    int near_limit;
    /* The version of the result scored, and the latest version recorded
     * with its text and unit: a later version than the one scored is a
     * correction the round's evaluation has not seen yet (the score is
     * of a superseded value until the round is evaluated again). */
    unsigned version, latest_version;
    const char *latest_value_text, *latest_unit;
    /* appended: the measurand's canonical unit, the unit of value, x_pt,
     * u_x_pt, sigma_pt, D and limit */
    const char *canonical_unit;
} lims_score_row;

/* Called once per score row; return non-zero to stop early. */
typedef int (*lims_score_cb)(void *ctx, const lims_score_row *row);

/* One round in which both a laboratory and the reference laboratory
 * reported a measurand and item (lims_plugin.compare).  Pointers are valid
 * only during the callback; NAN where a number does not apply. */
typedef struct lims_compare_row {
    size_t size;
    const char *round;
    const char *opened; /* ISO date */
    const char *measurand;
    const char *item;
    const char *unit;   /* canonical unit */
    const char *method; /* the laboratory's method as reported */
    double lab_value, lab_U;
    double ref_value, ref_U;
    double diff;  /* lab - ref */
    double limit; /* R of the method at the mean of the two (the 95 %
                     limit for two single results, ISO 4259); NAN when the
                     method has no precision data */
    double En;
    const char *verdict; /* "agree", "disagree", "not assessed" */
    /* trend up to and including this round, per measurand */
    double en_mean;    /* running mean of En */
    unsigned signals;  /* |En| >= 1 within the last `window` rounds */
    int same_sign_run; /* length of the current run of differences of one
                          sign (negative: below the reference) */
    /* appended: the sub-discipline the trend runs over.  Rows come series
     * by series (measurand, then matrix, then technique), oldest first
     * within one, and the trend restarts with each series. */
    const char *matrix;    /* the item's product (round_item, else the
                              round's matrix); "" when none */
    const char *technique; /* the principle of the laboratory's method
                              ("UV fluorescence"); "" when not known */
} lims_compare_row;

typedef int (*lims_compare_cb)(void *ctx, const lims_compare_row *row);

/* One row of a laboratory's proficiency-testing participation plan: a
 * sub-discipline (technique x property x product) with its risk level and
 * required frequency over a span of years (lims_plugin.plan_add, .plans).
 * Rounds count towards a row when the laboratory reported in them a result
 * of `scheme`, of a measurand beginning with `measurand` (NULL: any) by a
 * method beginning with `method` (NULL: any).  Strings are owned by the
 * caller (plan_add) or valid only during the callback (plans). */
typedef struct lims_plan_entry {
    size_t size;
    long long id; /* set when listed; ignored by plan_add */
    const char *lab;
    const char *technique; /* "UV fluorescence" */
    const char *property;  /* "sulfur content" */
    const char *product;   /* "diesel" */
    const char *scheme;    /* plug-in id */
    const char *measurand; /* prefix of a measurand id, or NULL */
    const char *method;    /* prefix of the method text, or NULL */
    const char *risk;      /* "low", "medium", "high" */
    double per_year;       /* rounds required a year; 0.25: one in 4 years */
    int year_from, year_to; /* calendar years, inclusive */
    const char *note;
} lims_plan_entry;

typedef int (*lims_plan_cb)(void *ctx, const lims_plan_entry *e);

/* A corrective action (lims_plugin.capa_add, .capas).  The triggering
 * result is named by round, lab, measurand and item (item NULL: the only
 * one).  Strings as for lims_plan_entry; dates are ISO "YYYY-MM-DD". */
typedef struct lims_capa_entry {
    size_t size;
    long long id; /* set when listed; ignored by capa_add */
    const char *round;
    const char *lab;
    const char *measurand;
    const char *item;
    const char *trigger; /* NULL on capa_add: written from the score */
    const char *root_cause;
    const char *action;
    const char *owner;
    const char *opened; /* NULL on capa_add: today (UTC) */
    const char *due;
    const char *closed;      /* NULL while open */
    const char *verified_by; /* NULL while open */
    const char *verdict;     /* listed: the result's verdict */
    /* appended (schema 015), all optional: the CAR number; the impact on
     * results already issued; the effectiveness check: what was checked,
     * its ISO date and its outcome, "effective" or "not effective" (given
     * with the other two).  An action on a gap in the participation plan
     * instead of a result: plan_id (the plan row's id, as `plan list`
     * shows it) and plan_year (a year of the cycle that fell short), with
     * round, measurand and item NULL; lab, when given, must be the plan
     * row's (listed: it is). */
    const char *car_no;
    const char *impact;
    const char *effectiveness;
    const char *effective_on;
    const char *effective;
    long long plan_id; /* 0: an action on a result */
    int plan_year;
} lims_capa_entry;

typedef int (*lims_capa_cb)(void *ctx, const lims_capa_entry *e);

/* The method and limit data a judgement rests on (lims_engine.methods;
 * schemas 002 and 008), each row with its status ("published",
 * "unverified", "missing") and source.  Numbers are NAN where the row has
 * none; strings live for the callback only. */

/* One edition of a test method, with its scope in scope_unit. */
typedef struct lims_method_edition {
    size_t size;
    const char *code, *scheme, *principle;
    const char *unit;    /* of X in the precision equations */
    const char *edition; /* "19a", "older edition", "not stated" */
    double issued;       /* its year */
    double scope_min, scope_max;
    const char *scope_unit;
    const char *status, *source;
} lims_method_edition;

/* One precision row of the edition given just before it: r = r_a (X +
 * r_b)^r_c and R = R_a (X + R_b)^R_c for x_from <= X < x_to, r_a (R_a)
 * NAN when the row gives no r (R) equation. */
typedef struct lims_method_precision {
    size_t size;
    const char *product; /* NULL: the general row */
    double x_from, x_to;
    double r_a, r_b, r_c, R_a, R_b, R_c;
    const char *status, *source;
} lims_method_precision;

/* One limit (limit_spec): value in unit, or alt_value in alt_unit
 * ("greater" or "lesser" by alt_rule), at most cap; in force from
 * effective_from (inclusive) to effective_to (exclusive), NULL: open. */
typedef struct lims_limit_info {
    size_t size;
    const char *scheme, *measurand, *category, *kind;
    double value;
    const char *unit;
    double alt_value;
    const char *alt_unit, *alt_rule;
    double cap;
    const char *standard, *edition, *clause;
    const char *effective_from, *effective_to;
    const char *status, *source;
} lims_limit_info;

/* Return non-zero to stop the listing. */
typedef int (*lims_method_edition_cb)(void *ctx,
                                      const lims_method_edition *e);
typedef int (*lims_method_precision_cb)(void *ctx,
                                        const lims_method_precision *p);
typedef int (*lims_limit_cb)(void *ctx, const lims_limit_info *l);

/* Multi-site consolidation (lims_plugin.sync_export, .sync_apply; README
 * "Multi-site").  A changeset carries records by their natural keys
 * (laboratory code, round code, round x laboratory x measurand x item x
 * version), never by the integer ids of one database. */
typedef struct lims_sync_request {
    size_t size;
    const char *path;  /* export: changeset to write; apply: to read */
    const char *since; /* export: only rounds opened on or after this ISO
                          date, with their results (NULL: all) */
    const char *site;  /* export: this site's name, recorded in the file
                          (NULL: the database file name) */
    int all_or_nothing; /* apply: any conflict and nothing is applied */
} lims_sync_request;

typedef struct lims_sync_summary {
    size_t size;
    char site[64];           /* the site the changeset came from */
    char exported_at[24];    /* when, "YYYY-MM-DDTHH:MM:SSZ" */
    unsigned long changes;   /* records in the changeset */
    unsigned long added;     /* apply: records added here */
    unsigned long present;   /* apply: already here, identical */
    unsigned long conflicts; /* apply: records not applied */
} lims_sync_summary;

/* A record of a changeset that was not applied.  One call per column that
 * differs, or one call with column NULL when the record could not be added
 * at all (reason says why).  Pointers valid only during the callback. */
typedef struct lims_sync_conflict {
    size_t size;
    const char *table;  /* "laboratory", "round", "result", … */
    const char *key;    /* natural key, parts joined by '/' */
    const char *column; /* the column that differs, or NULL */
    const char *here;   /* its value in this database (NULL: SQL NULL) */
    const char *theirs; /* its value in the changeset (NULL: SQL NULL) */
    const char *reason; /* "differs", "round is closed", … */
} lims_sync_conflict;

typedef int (*lims_sync_conflict_cb)(void *ctx, const lims_sync_conflict *c);

/* Integrity (lims_plugin.verify; README "Integrity").  What verify
 * checked; on a broken record the first problem is in the error message
 * and every problem goes to the host's log. */
typedef struct lims_verify_summary {
    size_t size;
    unsigned long entries;  /* audit log entries whose chain was checked */
    unsigned long rows;     /* recorded rows compared with their seals */
    unsigned long problems; /* broken links, changed rows, missing triggers */
    char head[65];          /* hash of the last entry: write it down
                               outside the database as an anchor */
    /* In (read when size covers it): a head
     * written down earlier, or "".  When the audit log holds no entry
     * with that hash, the latest operations were rolled back or the file
     * was replaced, and verify reports it as a problem. */
    char expect_head[65];
} lims_verify_summary;

/* A correction of a result (lims_plugin.correct_result): a new version of
 * the latest result of round x lab x measurand x item, with a reason.
 * Strings are the texts as reported; NULL or "" where not given. */
typedef struct lims_correction {
    size_t size;
    const char *round, *lab, *measurand;
    const char *item;   /* NULL: "1" */
    const char *value;  /* as reported, e.g. "9.6" */
    const char *unit;   /* as reported */
    const char *U;      /* expanded uncertainty in unit, or NULL */
    const char *k;      /* coverage factor, or NULL (2 when U is given) */
    const char *reason; /* required */
} lims_correction;

/* An amendment of a recorded round or laboratory, for lims_engine.amend:
 * the fields to change, by name, with their new texts ("" clears an
 * optional field), the reason and who made it.  Round fields: title,
 * provider, opened, closed, reference_lab (a laboratory code), and of one
 * measurand (measurand; NULL when the round has only one): assigned,
 * x_pt, u_x_pt, sigma_pt, sigma_pt_basis, matrix.  Laboratory fields:
 * name, name_zh, accreditation.  A corrective action ("capa", code its
 * id) or a plan row ("plan", code its id): the columns of a capa or plan
 * file.  The one field "void" (value "") voids the round, "result" (code
 * ROUND/LAB/MEASURAND[/ITEM]), laboratory, action or plan row instead:
 * it stays in the record, marked with who, when and why, and counts
 * nowhere; LIMS_ERR_STATE when it is voided already.  Strings need to
 * live only during the call. */
typedef struct lims_amendment {
    size_t size;
    const char *what;      /* "round", "laboratory", "result", "capa",
                              "plan" */
    const char *code;      /* the round's or the laboratory's code, … */
    const char *measurand; /* for a round's measurand settings */
    const char *const *fields, *const *values;
    size_t n_fields;
    const char *reason; /* required */
    const char *by;     /* who, or NULL */
} lims_amendment;

/* Looking at the record (lims_engine.look): what to list and the filters
 * (NULL: any).  what: "rounds" (scheme, from, to, status: "open" or
 * "closed"), "round" (the measurand settings of `round`), "evaluations"
 * (of `round`), "results" (round, lab, measurand), "history" (the audit
 * trail of `round` or of `lab`, or all), "warnings" (round, lab),
 * "status" (what needs attention: stale or missing evaluations, signals
 * without a corrective action, overdue corrective actions), and the
 * whole record as the files an import takes, each cell named by its
 * column: "export laboratories", "export rounds", "export results",
 * "export plan", "export capa" (no filter). */
typedef struct lims_look_request {
    size_t size;
    const char *what;
    const char *round, *lab, *measurand, *scheme;
    const char *from, *to; /* YYYY-MM-DD, on the day a round opened */
    const char *status;
} lims_look_request;

/* One value of a listed row: its name (the same name for the same thing
 * in every list), its type, its text and, for numbers, its value. */
typedef enum lims_cell_type {
    LIMS_CELL_NULL = 0,
    LIMS_CELL_TEXT = 1,
    LIMS_CELL_INTEGER = 2,
    LIMS_CELL_REAL = 3
} lims_cell_type;

typedef struct lims_cell {
    const char *name;
    lims_cell_type type;
    const char *text; /* "" for NULL */
    double number;    /* INTEGER and REAL */
} lims_cell;

/* One row; the cells are valid only during the call.  Non-zero stops. */
typedef int (*lims_look_cb)(void *ctx, const lims_cell *cells, size_t n);

/* An open connection of a plug-in to one database; opaque. */
typedef struct lims_instance lims_instance;

/* lims_plugin.transaction operations. */
typedef enum lims_tx {
    LIMS_TX_BEGIN = 0,
    LIMS_TX_COMMIT = 1,
    LIMS_TX_ROLLBACK = 2
} lims_tx;

/* A laboratory, for lims_engine.laboratory_add.  Texts; NULL where not
 * given.  Strings need to live only during the call. */
typedef struct lims_laboratory {
    size_t size;
    const char *code; /* "TC-BR" */
    const char *name;
    const char *name_zh;
    const char *role; /* "branch", "reference" or "external" */
    const char *accreditation; /* e.g. the TAF number */
} lims_laboratory;

/* A round and one of its measurands, for lims_engine.round_add: the
 * columns of a rounds file (README "CSV files"), as texts; NULL where not
 * given.  A second call with the same code and another measurand adds the
 * measurand to the round. */
typedef struct lims_round {
    size_t size;
    const char *code, *scheme, *measurand;
    const char *type; /* "pt" (default), "ilc", "bilateral" */
    const char *title, *provider, *provider_accreditation;
    const char *opened, *closed; /* ISO dates */
    const char *reference_lab;   /* laboratory code */
    const char *assigned;        /* "reference", "consensus", "fixed" */
    const char *x_pt, *u_x_pt, *sigma_pt, *sigma_pt_basis;
    const char *matrix, *estimator, *sigma_pt_method, *override_reason;
    /* appended: the provider's final report (number, ISO date) and its
     * official x_pt, u(x_pt) and sigma_pt, for official_item or every
     * item (the rounds file's columns of the same names) */
    const char *report_no, *report_date, *official_item;
    const char *official_x_pt, *official_u_x_pt, *official_sigma_pt;
    /* appended: a matrix per item, "D-1=diesel; FO-1=fuel oil" (the
     * rounds file's item_matrix) */
    const char *item_matrix;
} lims_round;

/* A result as reported, for lims_engine.result_add: the columns of a
 * results file, as texts (the value exactly as the laboratory wrote it);
 * NULL where not given; conditions by the names the scheme declares. */
typedef struct lims_result {
    size_t size;
    const char *round, *lab, *measurand;
    const char *item; /* NULL: "1" */
    const char *value, *unit;
    const char *U, *k; /* expanded uncertainty in `unit`, coverage factor */
    const char *method, *instrument, *analyst;
    const char *tested_on; /* ISO date */
    const char *remarks;
    const lims_condition_value *conditions;
    size_t n_conditions;
    /* appended: the score the provider reported for it, as text, and
     * which ("z", "z'", "zeta", "En"); NULL: not reported */
    const char *official_score, *official_kind;
} lims_result;

/* One accepted unit of a measurand: value_canonical = value * 10^pow10,
 * converted on the decimal text so 0.452 % m/m is exactly 4520 mg/kg.
 * Arrays of this struct are frozen (no size member). */
typedef struct lims_unit {
    const char *measurand; /* lims_measurand.id */
    const char *name;      /* as written: "µA", "% m/m" */
    int pow10;
} lims_unit;

/*
 * A scheme: what one kind of comparison knows, and nothing else.  The
 * engine (lims_engine below) does the record keeping for every scheme it is
 * given; a scheme plug-in holds no database, no file and no state.  All
 * members are data or pure functions: [any thread].
 */
typedef struct lims_plugin {
    size_t size;
    uint32_t abi;        /* LIMS_ABI_VERSION the plug-in was built with */
    const char *id;      /* scheme id: "dehumidifier", "fuel-sulfur" */
    const char *version; /* plug-in version, "1.0.0" */
    const char *name_en;
    const char *name_zh;
    size_t n_measurands;
    const lims_measurand *measurands;
    /* Every accepted unit of every measurand; the engine converts with
     * this table and checks the measurand's plausible range. */
    size_t n_units;
    const lims_unit *units;
    /* The conditions recorded with each result of this scheme. */
    size_t n_conditions;
    const lims_condition *conditions;

    /* [any thread] The scheme's own checks of a result as reported, made
     * before the engine's unit conversion and range check; may be NULL.
     * LIMS_ERR_INPUT with a message (without file position) and
     * out->bad_field set when it fails. */
    lims_status (*check_result)(const lims_result_in *in,
                                lims_result_out *out, char *err,
                                size_t errlen);

    /* [any thread] The scheme's evaluation rules. */
    void (*policy)(lims_policy *out);

    /* [any thread] Which limit of the limit_spec table applies to a result
     * of `measurand` with the round's `matrix` (may be NULL) and the
     * result's conditions.  LIMS_OK and *out, or LIMS_ERR_UNSUPPORTED when
     * no limit applies (not enough conditions given, or a measurand
     * without limits), with the reason in err. */
    lims_status (*limit_key)(const char *measurand, const char *matrix,
                             const lims_condition_value *conditions,
                             size_t n_conditions, lims_limit_key *out,
                             char *err, size_t errlen);

    /* [any thread] An optional interface by name (CLAP's get_extension):
     * the way a scheme grows without a new ABI version.  May be NULL;
     * returns NULL for a name it does not know. */
    const void *(*get_extension)(const char *name);
} lims_plugin;

typedef const lims_plugin *(*lims_plugin_entry_v1_fn)(void);

/*
 * The engine: record keeping for every scheme it is given.  One shared
 * library (libptlims.so) built once; a host links it or dlopen()s it and
 * calls lims_engine_entry_v1() for this table.  Every function member is
 * non-NULL.  Threading tags: [any thread]; [instance thread]: one thread at
 * a time per instance, different instances concurrently; [write
 * transaction]: the call writes in one transaction of its own, or in a
 * savepoint of the host's (see transaction).
 */
typedef struct lims_engine {
    size_t size;
    uint32_t abi;        /* LIMS_ABI_VERSION the engine was built with */
    const char *version; /* engine version, "0.1.0" */

    /* [any thread] Open the database named by svc->db_path, creating or
     * migrating it.  A database newer than the engine is refused
     * (LIMS_ERR_STATE).  *out is released with close(). */
    lims_status (*open)(const lims_services *svc, lims_instance **out,
                        char *err, size_t errlen);
    /* [instance thread] */
    void (*close)(lims_instance *inst);

    /* [instance thread] Give the instance a scheme: results, rounds and
     * plan rows of that scheme id are then checked and evaluated by it.
     * The descriptor must outlive the instance.  LIMS_ERR_ABI for another
     * ABI major version or a descriptor too small; LIMS_ERR_STATE when a
     * scheme of that id was given already. */
    lims_status (*scheme_add)(lims_instance *inst, const lims_plugin *scheme,
                              char *err, size_t errlen);

    /* [instance thread, write transaction] Record a laboratory (added, or
     * its name, role and accreditation updated), a round with one of its
     * measurands, or a result.  Each is checked exactly as a row of a CSV
     * file is -- import_csv is a client of the same path -- and a refusal
     * names the call and the field: "result_add: U: U must be positive". */
    lims_status (*laboratory_add)(lims_instance *inst,
                                  const lims_laboratory *lab, char *err,
                                  size_t errlen);
    lims_status (*round_add)(lims_instance *inst, const lims_round *round,
                             char *err, size_t errlen);
    lims_status (*result_add)(lims_instance *inst, const lims_result *result,
                              char *err, size_t errlen);

    /* [any thread] Check one result against its scheme (the scheme's own
     * checks, the unit table, the plausible range) and convert it to the
     * canonical unit. */
    lims_status (*check_result)(const lims_plugin *scheme,
                                const lims_result_in *in,
                                lims_result_out *out, char *err,
                                size_t errlen);

    /* [instance thread, write transaction] Import one CSV file
     * (laboratories, rounds or results; see README): all rows or none. */
    lims_status (*import_csv)(lims_instance *inst, const char *path,
                              lims_import_summary *out, char *err,
                              size_t errlen);

    /* [instance thread, write transaction] Evaluate (or re-evaluate) every
     * measurand and item of a round and store the evaluations and scores.  round NULL:
     * every open round that has results, in one transaction. */
    lims_status (*evaluate_round)(lims_instance *inst, const char *round,
                                  lims_eval_summary *out, char *err,
                                  size_t errlen);

    /* [instance thread] List the stored scores of laboratory `lab` (NULL: every laboratory),
     * ordered by round date, round, measurand, item and laboratory. */
    lims_status (*scores)(lims_instance *inst, const char *lab,
                          lims_score_cb cb, void *ctx, char *err,
                          size_t errlen);

    /* [instance thread] Write the audit workbook for one laboratory. */
    lims_status (*write_report)(lims_instance *inst,
                                const lims_report_request *req, char *err,
                                size_t errlen);

    /* [instance thread] Branch versus reference: every round in which laboratory `lab` and
     * laboratory `ref` both reported (measurand NULL: all), oldest first,
     * with the trend over the last `window` rounds (0: 4). */
    lims_status (*compare)(lims_instance *inst, const char *lab,
                           const char *ref, const char *measurand,
                           unsigned window, lims_compare_cb cb, void *ctx,
                           char *err, size_t errlen);

    /* [instance thread; plan_add: write transaction] The participation
     * plan (ISO/IEC 17025 7.7.2, TAF-CNLA-R05).
     * plan_add records one row in one transaction (with an audit-log
     * entry) and returns its id in *id (may be NULL); LIMS_ERR_INPUT names
     * the field at fault (unknown laboratory, risk not low/medium/high,
     * per_year <= 0, year_to < year_from, a row for the same sub-discipline
     * and first year already recorded).  plans lists the rows of `lab`
     * (NULL: all), by laboratory, technique, property, product and first
     * year.  One thread at a time per instance. */
    lims_status (*plan_add)(lims_instance *inst, const lims_plan_entry *e,
                            long long *id /* OUT */, char *err,
                            size_t errlen);
    lims_status (*plans)(lims_instance *inst, const char *lab,
                         lims_plan_cb cb, void *ctx, char *err,
                         size_t errlen);

    /* [instance thread; capa_add, capa_close: write transaction] The
     * corrective-action register (ISO/IEC 17025 7.7.3, 7.10).
     * capa_add records an action for a result that has a score, in one
     * transaction with an audit-log entry; *id (may be NULL) is its id.
     * root_cause, action, owner and due are required.  capa_close sets the
     * closing date and who verified the action's effect; LIMS_ERR_STATE
     * when it is already closed, LIMS_ERR_INPUT for an unknown id or a
     * closing date before the opening date.  capas lists the actions on
     * results of `lab` (NULL: all), oldest first.  One thread at a time
     * per instance. */
    lims_status (*capa_add)(lims_instance *inst, const lims_capa_entry *e,
                            long long *id /* OUT */, char *err,
                            size_t errlen);
    lims_status (*capa_close)(lims_instance *inst, long long id,
                              const char *closed, const char *verified_by,
                              char *err, size_t errlen);
    lims_status (*capas)(lims_instance *inst, const char *lab,
                         lims_capa_cb cb, void *ctx, char *err,
                         size_t errlen);

    /* [instance thread; sync_apply: write transaction] Multi-site
     * consolidation with SQLite's session extension.
     * sync_export writes the laboratories, schemes, rounds, round
     * measurands, results and their conditions as a changeset file (req:
     * path, since, site); evaluations and scores are not carried, they
     * are recomputed where the records are merged.  sync_apply adds a
     * changeset's records to this database in one transaction: a record
     * already here and identical is skipped, one that differs is a
     * conflict (reported through cb, may be NULL, and the audit log) and
     * this database keeps its own; nothing is ever overwritten.  With
     * req->all_or_nothing any conflict rolls everything back
     * (LIMS_ERR_STATE).  out (may be NULL) gets the counts.  One thread
     * at a time per instance. */
    lims_status (*sync_export)(lims_instance *inst,
                               const lims_sync_request *req,
                               lims_sync_summary *out, char *err,
                               size_t errlen);
    lims_status (*sync_apply)(lims_instance *inst,
                              const lims_sync_request *req,
                              lims_sync_conflict_cb cb, void *ctx,
                              lims_sync_summary *out, char *err,
                              size_t errlen);

    /* [instance thread] Integrity (schema 004).  verify recomputes the audit log's hash
     * chain, compares every recorded row with its last audit entry and
     * checks the logging triggers: LIMS_OK when all is intact, else
     * LIMS_ERR_STATE naming the first broken link (entry or row id and
     * what differs).  out (may be NULL) gets the counts and the head
     * hash.  Read-only. */
    lims_status (*verify)(lims_instance *inst, lims_verify_summary *out,
                          char *err, size_t errlen);
    /* [instance thread, write transaction] Close an open round: from then on its results, measurands,
     * evaluations and scores cannot change (LIMS_ERR_STATE if closed). */
    lims_status (*close_round)(lims_instance *inst, const char *round,
                               char *err, size_t errlen);
    /* [instance thread, write transaction] Correct a result of an open round: version n+1 with the reason; the
     * scheme checks the new value.  *version (may be NULL) gets n+1. */
    lims_status (*correct_result)(lims_instance *inst,
                                  const lims_correction *c,
                                  unsigned *version, char *err,
                                  size_t errlen);

    /* [instance thread] Group several calls into one transaction: LIMS_TX_BEGIN, the calls
     * (each then works in a savepoint: a failing call is undone alone and
     * the host decides), LIMS_TX_COMMIT or LIMS_TX_ROLLBACK.  Other
     * connections wait while it is open.  LIMS_ERR_STATE for a BEGIN
     * inside a transaction or a COMMIT/ROLLBACK outside one. */
    lims_status (*transaction)(lims_instance *inst, lims_tx op, char *err,
                               size_t errlen);

    /* [instance thread, write transaction] The record's life after its
     * first import, each change sealed and chained in the audit log with
     * its reason and who made it (`by`, may be NULL); nothing is deleted.
     * reopen_round opens a closed round again (LIMS_ERR_STATE when it is
     * open); closing it again needs a fresh evaluation.  amend changes the
     * settings of an open round, of a laboratory, a corrective action or
     * a plan row, or voids an item (lims_amendment); a refusal names the
     * field and changes nothing; LIMS_ERR_STATE for a closed round. */
    lims_status (*reopen_round)(lims_instance *inst, const char *round,
                                const char *reason, const char *by,
                                char *err, size_t errlen);
    lims_status (*amend)(lims_instance *inst, const lims_amendment *a,
                         char *err, size_t errlen);

    /* [instance thread] List a part of the record (lims_look_request),
     * row by row, oldest first.  An unknown round or laboratory is
     * LIMS_ERR_INPUT naming the nearest recorded code.  Read-only. */
    lims_status (*look)(lims_instance *inst, const lims_look_request *req,
                        lims_look_cb cb, void *ctx, char *err,
                        size_t errlen);

    /* [instance thread] The method and limit data judgements rest on:
     * every edition of every method of `scheme` (NULL: every scheme), by
     * code and oldest first, each followed by its precision rows, then
     * every limit.  A callback returning non-zero stops the listing
     * (LIMS_ERR_CANCELLED). */
    lims_status (*methods)(lims_instance *inst, const char *scheme,
                           lims_method_edition_cb on_edition,
                           lims_method_precision_cb on_precision,
                           lims_limit_cb on_limit, void *ctx, char *err,
                           size_t errlen);
} lims_engine;

typedef const lims_engine *(*lims_engine_entry_v1_fn)(void);

#if defined(__GNUC__)
#define LIMS_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define LIMS_PLUGIN_EXPORT
#endif

/* The one symbol a v1 scheme plug-in exports.  [any thread]; returns a
 * static descriptor, never NULL. */
LIMS_PLUGIN_EXPORT const lims_plugin *lims_plugin_entry_v1(void);

/* The one symbol the engine library exports.  [any thread]; returns a
 * static table, never NULL. */
LIMS_PLUGIN_EXPORT const lims_engine *lims_engine_entry_v1(void);

#ifdef __cplusplus
}
#endif
#endif /* LIMS_PLUGIN_H */
