/*
 * pt_report.h -- the ISO/IEC 17025 clause 7.7 audit workbook.
 *
 * The caller fills a pt_report (an in-memory picture of one laboratory's
 * proficiency-testing record) and pt_report_write() turns it into an .xlsx
 * workbook with libxlsxwriter.  This layer knows nothing of SQLite: it reads
 * only the structures below.  All strings are UTF-8, NUL-terminated and owned
 * by the caller; NULL and "" both mean "not given".  Numbers that do not
 * apply are NAN and leave their cell empty.
 *
 * The workbook is reproducible: the same pt_report gives the same bytes
 * (document dates come from pt_report.generated_at, never from the clock).
 * It is written to "<path>.tmp" and renamed over <path>, so a failure never
 * leaves half a workbook.  Thread-safe for different output paths (two
 * writers of the same path share "<path>.tmp"); no global state is touched:
 * libxlsxwriter formats numbers in the calling thread's locale, so
 * pt_report_write() switches that thread to the "C" numeric locale with
 * uselocale() for the duration of the call and then restores it.
 *
 * What the workbook holds, sheet by sheet: Cover (laboratory, period,
 * document number, the statement that each round was analysed with its
 * counts, sign-off with names and dates, the data SHA-256 and the audit
 * log's head), Index (laboratory, period,
 * software, the SHA-256 of the data, and the ISO/IEC 17025 clause ->
 * evidence map with links), PT plan (plan by sub-discipline and plan vs
 * actual per year, gaps flagged), Rounds, Results (one row per own result,
 * rows with own != 0), Trend (scores over time per measurand, with charts),
 * Branch vs reference, Corrective actions (every questionable or
 * unsatisfactory own result, with its actions), Measurement uncertainty,
 * Equipment and traceability, Method parameters, All results (every
 * participant's result by code with x_pt and the scores, continued on
 * "All results (2)" ... when one sheet cannot hold them), then round
 * sheets, named after the round's code, with the round's details, the
 * evaluation of each group, every participant's result by code, a sorted
 * bar chart of the scores and a histogram of the results.
 *
 * Round sheets: every round has one when there are at most
 * max_round_sheets rounds (PT_REPORT_ROUND_SHEETS unless set).  Beyond
 * that, a workbook of thousands of sheets helps nobody: the
 * max_round_sheets / 4 most recent rounds get one, then the rounds in
 * which the laboratory had a questionable or unsatisfactory result, most
 * recent first, then the most recent of the others, up to
 * max_round_sheets in all.  The Rounds sheet says for each round whether
 * it has a sheet and why; a round without one links to its first row on
 * All results.
 *
 * Large records: the participants' results need not be in memory.  With
 * a pt_report_source they are asked for round by round while the workbook
 * is written, and the workbook is always written in libxlsxwriter's
 * constant-memory mode: every sheet writes its rows top to bottom, each
 * row goes to disk as it is written, strings inline (at 1e4 results that
 * is 16 MiB instead of 68, and a fifth less time than keeping every cell
 * until the end).
 */
#ifndef PT_REPORT_H
#define PT_REPORT_H

#include <stddef.h>

#define PT_REPORT_ROUND_SHEETS 100 /* round sheets at most, by default */

typedef enum pt_report_status {
    PT_REPORT_OK = 0,
    PT_REPORT_ERR_ARG = 1,   /* a required field is missing */
    PT_REPORT_ERR_NOMEM = 2,
    PT_REPORT_ERR_WRITE = 3, /* libxlsxwriter or the file system failed */
    PT_REPORT_ERR_SOURCE = 4 /* pt_report_source could not give the rows */
} pt_report_status;

const char *pt_report_strerror(pt_report_status st);

typedef enum pt_report_lang {
    PT_REPORT_ZH_TW = 0, /* Traditional Chinese first, English beneath */
    PT_REPORT_EN = 1
} pt_report_lang;

typedef enum pt_report_verdict {
    PT_VERDICT_NONE = 0, /* not scored */
    PT_VERDICT_SATISFACTORY = 1,
    PT_VERDICT_QUESTIONABLE = 2,
    PT_VERDICT_UNSATISFACTORY = 3
} pt_report_verdict;

/* One evaluated measurand x item of a round. */
typedef struct pt_report_group {
    const char *measurand;   /* id, "sulfur" */
    const char *measurand_name; /* display name in the report's language */
    const char *item;        /* test item code */
    const char *unit;        /* canonical unit */
    const char *assigned;    /* "reference", "consensus", "fixed" */
    const char *sigma_basis; /* how σ_pt was set, free text */
    const char *reason;      /* why this scoring was chosen */
    double x_pt, u_x_pt, sigma_pt;
    size_t n;                /* results in the group */
    int iterations;          /* Algorithm A iterations, 0 when not used */
    /* appended: the provider's official x_pt, u(x_pt) and sigma_pt as its
     * report gives them (NULL: not recorded), and whether each agrees
     * with the recomputed value at the official's reported decimals
     * (pt_stats_agrees_rounded: 1 agrees, 0 differs beyond rounding, -1
     * not compared) */
    const char *official_x_pt, *official_u_x_pt, *official_sigma_pt;
    int x_pt_agrees, u_x_pt_agrees, sigma_pt_agrees;
    /* appended: the product the items are of ("diesel", "fuel oil, low
     * sulfur"), NULL or "" when not recorded */
    const char *matrix;
} pt_report_group;

/* One round. */
typedef struct pt_report_round {
    const char *code;     /* "DH-2025-01" */
    const char *scheme;   /* plug-in id */
    const char *title;
    const char *type;     /* "pt", "ilc", "bilateral" */
    const char *provider;
    const char *provider_accreditation;
    const char *opened;   /* ISO date, YYYY-MM-DD */
    const char *closed;   /* ISO date or NULL */
    const char *status;   /* "open", "closed" */
    size_t participants;
    const pt_report_group *groups;
    size_t n_groups;
    /* appended: the laboratory whose result is the assigned value where a
     * group's `assigned` is "reference" (code, name in the report's
     * language, accreditation); NULL when the round has none.  Only this
     * laboratory, the own one and the provider are ever named. */
    const char *reference_lab;
    const char *reference_name;
    const char *reference_accreditation;
    const char *scheme_name; /* the scheme's name in the report's language;
                                NULL: show `scheme` */
    /* appended: the provider's final report, its number and ISO date;
     * NULL: not recorded */
    const char *report_no, *report_date;
} pt_report_round;

/* One result with its scores.  `lab` is the participant code; `own` is
 * non-zero for the workbook's laboratory (only its name is ever shown). */
typedef struct pt_report_row {
    size_t round;       /* index into pt_report.rounds */
    size_t group;       /* index into that round's groups */
    const char *lab;
    int own;
    const char *value_text; /* as reported */
    const char *unit_text;  /* as reported */
    double value;       /* canonical unit */
    double U, k;        /* canonical unit */
    const char *method;
    double D, D_pct, z, z_prime, zeta, En;
    const char *primary; /* "En", "z", "z'", "zeta" or NULL */
    pt_report_verdict verdict;
    /* appended for the audit sheets (all optional) */
    const char *instrument;
    const char *tested_on;  /* ISO date or NULL */
    const char *limit_text; /* the limit in force as stated, "10 mg/kg
                               (Taiwan motor-fuel sulfur limit)"; NULL:
                               none, and `limit` is not read */
    double limit;           /* that limit in the canonical unit, or NAN */
    /* appended: non-zero for the result that is the round's assigned
     * value (the reference laboratory's own result where x_pt is
     * "reference"): it is not scored, its scores are left blank */
    int is_reference;
    /* appended, the laboratory's own rows only: who tested, remarks as
     * recorded, the version of the result (1: as first reported) and why
     * a later version was made; NULL: not recorded */
    const char *analyst, *remarks;
    int version;
    const char *version_reason;
    /* appended: the score the provider reported for this result, as
     * text, and which score it is ("z", "z'", "zeta", "En"); NULL: not
     * recorded.  official_recomputed is ptlims's score of that kind and
     * official_agrees whether the official is it rounded to the
     * official's decimals (1), differs beyond rounding (0), or cannot be
     * compared (-1). */
    const char *official_score, *official_kind;
    double official_recomputed;
    int official_agrees;
    /* appended, own rows: the replicates as recorded ("8.6;8.8"); NULL:
     * none */
    const char *replicates;
} pt_report_row;

/* One row of the participation plan with what was actually done: rounds
 * counted in each year year_from .. year_to (actual[year - year_from]). */
typedef struct pt_report_plan {
    const char *technique, *property, *product; /* the sub-discipline */
    const char *scheme, *measurand, *method; /* what counts (prefixes) */
    const char *risk;                        /* "low", "medium", "high" */
    double per_year; /* rounds required a year; 0.25: one in 4 years */
    int year_from, year_to;
    const char *note;
    const unsigned *actual; /* year_to - year_from + 1 counts */
    const char *const *rounds; /* per year: codes counted, "A, B"; NULL */
    /* appended: scheme and measurand in the report's language; NULL
     * shows the ids */
    const char *scheme_name, *measurand_name;
} pt_report_plan;

/* A corrective action on the result rows[row] (an own row), or, with row
 * (size_t)-1, on a gap of the plan row plans[plan] in year plan_year. */
typedef struct pt_report_capa {
    size_t row;
    long long id;
    const char *trigger, *root_cause, *action, *owner;
    const char *opened, *due, *closed, *verified_by; /* ISO dates, names */
    /* appended: the CAR number, the impact on results already issued,
     * the effectiveness check (what was checked, its ISO date and its
     * outcome, "effective" or "not effective"); NULL: not recorded */
    const char *car_no, *impact, *effectiveness, *effective_on, *effective;
    size_t plan;   /* with row (size_t)-1 */
    int plan_year;
} pt_report_capa;

#define PT_REPORT_NO_ROW ((size_t)-1) /* pt_report_capa.row of a plan gap */

/* One round in which the laboratory and a reference laboratory both
 * reported (lims_compare_row), oldest first within a measurand. */
typedef struct pt_report_compare {
    const char *ref_lab; /* code only */
    const char *round, *opened, *measurand, *measurand_name, *item, *unit;
    const char *method;
    double lab_value, lab_U, ref_value, ref_U, diff, limit, En;
    const char *verdict; /* "agree", "disagree", "not assessed" */
    double en_mean;
    unsigned signals;
    int same_sign_run;
    /* appended: what decided the verdict: "En" (|En| beyond its limit),
     * "R" (|difference| > R), "En, R" (both), or for an agreement the
     * criteria met ("En, R", "En", "R"); NULL: not given */
    const char *basis;
    /* the method whose precision gave R and its edition as recorded ("":
     * not stated); NULL when R is not given */
    const char *precision_method, *precision_edition;
    /* appended: the series the trend runs over, with the measurand: the
     * item's matrix and the technique (lims_compare_row); NULL or "":
     * not known */
    const char *matrix, *technique;
} pt_report_compare;

/* A test method with its precision as data (schemas/002). */
typedef struct pt_report_method {
    const char *code, *scheme, *principle, *edition, *unit;
    double scope_min, scope_max; /* NAN: open */
    const char *repeatability;   /* "r = 0.1788 (X)^0.75 for X < 400" */
    const char *reproducibility;
    const char *status; /* "published", "unverified", "missing" */
    const char *source;
    const char *scheme_name; /* appended: NULL shows `scheme` */
} pt_report_method;

/* A limit in force (limit_spec). */
typedef struct pt_report_limit {
    const char *scheme, *measurand, *category, *kind; /* kind "max"/"min" */
    const char *value_text; /* "0.75 mA or 0.75 mA/kW, whichever is …" */
    const char *standard, *edition, *clause;
    const char *effective_from, *effective_to; /* ISO dates or NULL */
    const char *status, *source;
    /* appended: names in the report's language; NULL shows the ids */
    const char *scheme_name, *measurand_name;
} pt_report_limit;

/* Every participant's results, given round by round while the workbook is
 * written, so that a large record is never held in memory at once (the
 * plug-ins read them from their database).  Called only from the thread
 * that called pt_report_write(). */
typedef struct pt_report_source {
    /* The results of rounds[round], every participant's: group by group in
     * the order of the round's groups, and within a group in the order to
     * show; each row's `round` is `round`.  Sets *rows to an array of *n
     * rows that stays valid, with its strings, until the next call.
     * Rounds are asked for in order once each, then again for the round
     * sheets.  Returns PT_REPORT_OK, or a status with a message in
     * err[errlen]. */
    pt_report_status (*round_rows)(void *ctx, size_t round,
                                   const pt_report_row **rows /* OUT */,
                                   size_t *n /* OUT */, char *err,
                                   size_t errlen);
    /* The hex SHA-256 of the data the workbook was made from, asked for
     * once every round has been read (shown instead of
     * pt_report.data_sha256); NULL: none. */
    const char *(*digest)(void *ctx);
    void *ctx;
    size_t n_rows; /* the results of all rounds together */
} pt_report_source;

typedef struct pt_report {
    pt_report_lang lang;
    const char *lab_code;
    const char *lab_name;
    const char *lab_accreditation;
    const char *period_from;  /* ISO date or NULL */
    const char *period_to;
    const char *generated_at; /* ISO date-time "YYYY-MM-DDTHH:MM:SS", UTC;
                                 also the document's created date */
    const char *software;     /* "ptlims 0.1.0" */
    const pt_report_round *rounds;
    size_t n_rounds;
    /* ordered as they should appear; with a source, only the laboratory's
     * own results (own != 0) are read from here */
    const pt_report_row *rows;
    size_t n_rows;
    const char *criteria;     /* how verdicts were decided, e.g.
                                 "|z| <= 2 satisfactory; |En| <= 1 ...";
                                 shown under the colour legend; optional */
    /* appended for the audit sheets; NULL/0 leaves a sheet with a note */
    const char *data_sha256; /* hex digest of the data read, or NULL */
    const pt_report_plan *plans;
    size_t n_plans;
    const pt_report_capa *capas; /* any order; rows[capa.row].own != 0 */
    size_t n_capas;
    const pt_report_compare *compares;
    size_t n_compares;
    const pt_report_method *methods;
    size_t n_methods;
    const pt_report_limit *limits;
    size_t n_limits;
    /* appended: told as the participants' results are written how many
     * are done (of n_rows, or of source->n_rows); NULL: not told */
    void (*progress)(void *ctx, size_t done, size_t total);
    void *progress_ctx;
    /* appended: the participants' results; NULL: they are all in rows */
    const pt_report_source *source;
    size_t max_round_sheets; /* 0: PT_REPORT_ROUND_SHEETS */
    size_t max_sheet_rows;   /* results a sheet of All results holds before
                                the next one; 0: as many as Excel allows
                                (1,048,576 rows a sheet) */
    /* appended: the document's number and revision in the laboratory's
     * document control, printed in every page footer and on the cover;
     * NULL: none */
    const char *document_no, *revision;
    /* the laboratory's time zone "generated at" is shown in, with the
     * 民國 year of that local date: "Asia/Taipei" (NULL or "": that),
     * "UTC", another zone of the table in pt_report_date.c, or a fixed
     * offset "+08:00"; any other text is refused */
    const char *tz;
    /* how dates written as text are shown: 0 "2025-08-04（民國114年）",
     * 1 "114/08/04", 2 "114年8月4日" (民國 dates in full) */
    int roc_dates;
    /* who prepared, reviewed and approved the workbook, for the cover
     * sheet; NULL: a line left to be signed */
    const char *prepared_by, *reviewed_by, *approved_by;
    /* the head of the database's audit log when the workbook was made:
     * its entry number and chained SHA-256 (hex); NULL: not given */
    const char *audit_head;
    long long audit_entries;
    /* appended: the ISO dates of the sign-offs above, for the cover;
     * NULL: left to be filled in */
    const char *prepared_on, *reviewed_on, *approved_on;
} pt_report;

/*
 * Write the workbook to `path`.  Returns PT_REPORT_OK, or a status with a
 * message in err[errlen].  Nothing is left at `path` on failure (a previous
 * file there is kept).  Uses uselocale() to write numbers in the "C" locale
 * for the calling thread only, and restores the thread's locale.
 */
pt_report_status pt_report_write(const pt_report *r, const char *path,
                                 char *err, size_t errlen);

#endif /* PT_REPORT_H */
