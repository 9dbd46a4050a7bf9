-- schemas/CURRENT.sql: the schema a new database has, schema version
-- 15, as replaying the numbered migrations gives it.  Made by
-- `make schema`; tests/integrity/test_schema.c checks it.  Read it
-- here; change the schema with a new numbered migration.

CREATE TABLE laboratory (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    name_zh       TEXT,
    role          TEXT NOT NULL
                  CHECK (role IN ('branch', 'reference', 'external')),
    accreditation TEXT
);

CREATE TABLE scheme (
    id             INTEGER PRIMARY KEY,
    code           TEXT NOT NULL UNIQUE,
    name_en        TEXT,
    name_zh        TEXT,
    plugin_version TEXT
);

CREATE TABLE round (
    id                     INTEGER PRIMARY KEY,
    code                   TEXT NOT NULL UNIQUE,
    scheme_id              INTEGER NOT NULL REFERENCES scheme (id),
    type                   TEXT NOT NULL DEFAULT 'pt'
                           CHECK (type IN ('pt', 'ilc', 'bilateral')),
    title                  TEXT,
    provider               TEXT,
    provider_accreditation TEXT,
    opened                 TEXT NOT NULL,
    closed                 TEXT,
    reference_lab_id       INTEGER REFERENCES laboratory (id),
    status                 TEXT NOT NULL DEFAULT 'open'
                           CHECK (status IN ('open', 'closed'))
, report_no TEXT, report_date TEXT);

CREATE TABLE round_measurand (
    id             INTEGER PRIMARY KEY,
    round_id       INTEGER NOT NULL REFERENCES round (id),
    measurand      TEXT NOT NULL,
    unit           TEXT NOT NULL,
    assigned       TEXT CHECK (assigned IN ('reference', 'consensus', 'fixed')),
    x_pt           REAL,
    u_x_pt         REAL,
    sigma_pt       REAL,
    sigma_pt_basis TEXT, matrix TEXT, estimator TEXT, sigma_pt_method TEXT, override_reason TEXT,
    UNIQUE (round_id, measurand)
);

CREATE TABLE result (
    id          INTEGER PRIMARY KEY,
    round_id    INTEGER NOT NULL REFERENCES round (id),
    lab_id      INTEGER NOT NULL REFERENCES laboratory (id),
    measurand   TEXT NOT NULL,
    item        TEXT NOT NULL DEFAULT '1',
    value_text  TEXT NOT NULL,          -- exactly as reported
    unit_text   TEXT NOT NULL,          -- exactly as reported
    value       REAL NOT NULL,          -- in the measurand's unit
    U_text      TEXT,
    U           REAL,                   -- in the measurand's unit
    k           REAL,
    method      TEXT,
    instrument  TEXT,
    analyst     TEXT,
    tested_on   TEXT,
    remarks     TEXT,
    version     INTEGER NOT NULL DEFAULT 1,
    reason      TEXT,                   -- why a version > 1 was made
    source      TEXT, official_score TEXT, official_kind TEXT
    CHECK (official_kind IS NULL OR official_kind = 'z' OR
           official_kind = 'z''' OR official_kind = 'zeta' OR
           official_kind = 'En'),                   -- file:line it was imported from
    UNIQUE (round_id, lab_id, measurand, item, version)
);

CREATE TABLE evaluation (
    id             INTEGER PRIMARY KEY,
    round_id       INTEGER NOT NULL REFERENCES round (id),
    measurand      TEXT NOT NULL,
    item           TEXT NOT NULL,
    n              INTEGER NOT NULL,
    assigned       TEXT NOT NULL,
    x_pt           REAL NOT NULL,
    u_x_pt         REAL,
    sigma_pt       REAL,
    sigma_pt_basis TEXT,
    iterations     INTEGER NOT NULL DEFAULT 0,
    reason         TEXT NOT NULL,
    engine         TEXT NOT NULL, choice TEXT, x_pt_U REAL, ref_result_id INTEGER REFERENCES result (id), result_upto INTEGER, en_le_one INTEGER NOT NULL DEFAULT 1,
    UNIQUE (round_id, measurand, item)
);

CREATE TABLE audit_log (
    id     INTEGER PRIMARY KEY,
    at     TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL
, tbl TEXT, row_id INTEGER, row_data TEXT, hash TEXT);

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER result_closed_insert BEFORE INSERT ON result
WHEN (SELECT status FROM round WHERE id = NEW.round_id) = 'closed'
BEGIN
    SELECT RAISE(ABORT, 'round is closed');
END;

CREATE TRIGGER result_closed_update BEFORE UPDATE ON result
WHEN (SELECT status FROM round WHERE id = OLD.round_id) = 'closed'
BEGIN
    SELECT RAISE(ABORT, 'round is closed');
END;

CREATE TRIGGER result_closed_delete BEFORE DELETE ON result
WHEN (SELECT status FROM round WHERE id = OLD.round_id) = 'closed'
BEGIN
    SELECT RAISE(ABORT, 'round is closed');
END;

CREATE INDEX result_round ON result (round_id, measurand, item);

CREATE INDEX result_lab ON result (lab_id);

CREATE TABLE method (
    id        INTEGER PRIMARY KEY,
    code      TEXT NOT NULL UNIQUE,   -- 'ASTM D5453'
    scheme    TEXT NOT NULL,          -- plug-in id
    principle TEXT NOT NULL,          -- 'UV fluorescence'
    unit      TEXT NOT NULL);

CREATE TABLE limit_spec (
    id             INTEGER PRIMARY KEY,
    scheme         TEXT NOT NULL,
    measurand      TEXT NOT NULL,
    category       TEXT NOT NULL,  -- product, or appliance class and kind
    kind           TEXT NOT NULL DEFAULT 'max' CHECK (kind IN ('max', 'min')),
    value          REAL,
    unit           TEXT NOT NULL,  -- 'mg/kg', 'mA', 'mA/kW', '%'
    alt_value      REAL,
    alt_unit       TEXT,
    alt_rule       TEXT CHECK (alt_rule IN ('greater', 'lesser')),
    cap            REAL,           -- upper bound of a per-kW limit
    standard       TEXT NOT NULL,
    edition        TEXT,
    clause         TEXT,
    effective_from TEXT,
    effective_to   TEXT,
    status         TEXT NOT NULL CHECK (status IN ('published',
                                                   'unverified')),
    source         TEXT NOT NULL
);

CREATE TABLE result_condition (
    result_id INTEGER NOT NULL REFERENCES result (id),
    name      TEXT NOT NULL,
    value     TEXT NOT NULL,
    PRIMARY KEY (result_id, name)
);

CREATE TABLE result_warning (
    id        INTEGER PRIMARY KEY,
    result_id INTEGER NOT NULL REFERENCES result (id),
    message   TEXT NOT NULL
);

CREATE TABLE pt_plan (
    id        INTEGER PRIMARY KEY,
    lab_id    INTEGER NOT NULL REFERENCES laboratory (id),
    technique TEXT NOT NULL,          -- 'UV fluorescence'
    property  TEXT NOT NULL,          -- 'sulfur content'
    product   TEXT NOT NULL,          -- 'diesel'
    scheme    TEXT NOT NULL,          -- plug-in id the rounds belong to
    measurand TEXT,                   -- prefix of a measurand id, or NULL
    method    TEXT,                   -- prefix of the method text, or NULL
    risk      TEXT NOT NULL CHECK (risk IN ('low', 'medium', 'high')),
    per_year  REAL NOT NULL CHECK (per_year > 0),
    year_from INTEGER NOT NULL,
    year_to   INTEGER NOT NULL CHECK (year_to >= year_from),
    note      TEXT,
    UNIQUE (lab_id, technique, property, product, year_from)
);

CREATE INDEX pt_plan_lab ON pt_plan (lab_id);

CREATE INDEX audit_log_row ON audit_log (tbl, row_id, id);

CREATE VIEW audit_chain_text AS
SELECT id,
       id || '|' || length(at) || ':' || at || '|' ||
       length(action) || ':' || action || '|' ||
       length(detail) || ':' || detail || '|' ||
       coalesce(length(tbl) || ':' || tbl, '-') || '|' ||
       coalesce(row_id, '-') || '|' ||
       coalesce(length(row_data) || ':' || row_data, '-') AS text
FROM audit_log;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN OLD.hash IS NOT NULL OR NEW.hash IS NULL OR NEW.id IS NOT OLD.id
     OR NEW.at IS NOT OLD.at OR NEW.action IS NOT OLD.action
     OR NEW.detail IS NOT OLD.detail OR NEW.tbl IS NOT OLD.tbl
     OR NEW.row_id IS NOT OLD.row_id OR NEW.row_data IS NOT OLD.row_data
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER round_closed_delete BEFORE DELETE ON round
WHEN OLD.status = 'closed'
BEGIN
    SELECT RAISE(ABORT, 'round is closed');
END;

CREATE TRIGGER round_measurand_closed_insert BEFORE INSERT ON round_measurand
WHEN (SELECT status FROM round WHERE id = NEW.round_id) = 'closed'
BEGIN
    SELECT RAISE(ABORT, 'round is closed');
END;

CREATE TRIGGER round_measurand_closed_update BEFORE UPDATE ON round_measurand
WHEN (SELECT status FROM round WHERE id = OLD.round_id) = 'closed'
BEGIN
    SELECT RAISE(ABORT, 'round is closed');
END;

CREATE TRIGGER round_measurand_closed_delete BEFORE DELETE ON round_measurand
WHEN (SELECT status FROM round WHERE id = OLD.round_id) = 'closed'
BEGIN
    SELECT RAISE(ABORT, 'round is closed');
END;

CREATE TRIGGER evaluation_closed_insert BEFORE INSERT ON evaluation
WHEN (SELECT status FROM round WHERE id = NEW.round_id) = 'closed'
BEGIN
    SELECT RAISE(ABORT, 'round is closed');
END;

CREATE TRIGGER evaluation_closed_delete BEFORE DELETE ON evaluation
WHEN (SELECT status FROM round WHERE id = OLD.round_id) = 'closed'
BEGIN
    SELECT RAISE(ABORT, 'round is closed');
END;

CREATE TRIGGER evaluation_closed_update BEFORE UPDATE ON evaluation
WHEN (SELECT status FROM round WHERE id = OLD.round_id) = 'closed'
BEGIN
    SELECT RAISE(ABORT, 'round is closed');
END;

CREATE TABLE "corrective_action" (
    id          INTEGER PRIMARY KEY,
    result_id   INTEGER REFERENCES result (id),
    trigger     TEXT NOT NULL,
    root_cause  TEXT,
    action      TEXT,
    owner       TEXT,
    due         TEXT,
    closed      TEXT,
    verified_by TEXT,
    opened      TEXT
, car_no TEXT, impact TEXT, effectiveness TEXT, effective_on TEXT, effective TEXT
    CHECK (effective IS NULL OR effective = 'effective' OR
           effective = 'not effective'), plan_id INTEGER
    REFERENCES pt_plan (id), plan_year INTEGER);

CREATE INDEX corrective_action_result ON corrective_action (result_id);

CREATE TABLE seal (
    id         INTEGER PRIMARY KEY,
    audit_id   INTEGER NOT NULL REFERENCES audit_log (id)
               DEFERRABLE INITIALLY DEFERRED,
    part       TEXT NOT NULL CHECK (part IN ('laboratory', 'round',
               'round_measurand', 'result', 'evaluation')),
    round_id   INTEGER,                 -- NULL for the laboratory table
    rows       INTEGER NOT NULL,
    digest     TEXT NOT NULL,           -- hex SHA-256 of the part
    row_hashes BLOB NOT NULL            -- per row: id, 8 bytes of its hash
);

CREATE INDEX seal_part ON seal (part, round_id, id);

CREATE INDEX seal_audit ON seal (audit_id);

CREATE TRIGGER seal_no_update BEFORE UPDATE ON seal
BEGIN
    SELECT RAISE(ABORT, 'seals are append-only');
END;

CREATE TRIGGER seal_no_delete BEFORE DELETE ON seal
BEGIN
    SELECT RAISE(ABORT, 'seals are append-only');
END;

CREATE TABLE result_pack (
    id        INTEGER PRIMARY KEY,
    round_id  INTEGER NOT NULL REFERENCES round (id),
    measurand TEXT NOT NULL,
    item      TEXT NOT NULL,
    n         INTEGER NOT NULL,     -- records in data
    data      BLOB NOT NULL,        -- n x 44 bytes, pt_pack.h
    UNIQUE (round_id, measurand, item)
);

CREATE TABLE "conformity" (
    result_id   INTEGER PRIMARY KEY REFERENCES result (id),
    limit_id    INTEGER REFERENCES limit_spec (id),
    limit_value REAL,  -- the limit in force for this result (canonical)
    threshold   REAL,  -- the value beyond which the result fails
    verdict     TEXT NOT NULL CHECK (verdict = 'conforms' OR
                verdict = 'does not conform' OR verdict = 'not assessed'),
    near_limit  INTEGER NOT NULL DEFAULT 0,
    rule        TEXT NOT NULL
, qualifier TEXT, method_note TEXT);

CREATE TABLE method_edition (
    id         INTEGER PRIMARY KEY,
    method_id  INTEGER NOT NULL REFERENCES method (id),
    edition    TEXT NOT NULL,   -- '19a', '21', 'older edition', 'not stated'
    issued     INTEGER,         -- year; NULL: before every dated edition
    scope_min  REAL,
    scope_max  REAL,
    scope_unit TEXT NOT NULL,   -- unit of scope_min and scope_max
    status     TEXT NOT NULL CHECK (status = 'published' OR
                                    status = 'unverified' OR
                                    status = 'missing'),
    source     TEXT NOT NULL,
    UNIQUE (method_id, edition)
);

CREATE TABLE "method_precision" (
    id         INTEGER PRIMARY KEY,
    edition_id INTEGER NOT NULL REFERENCES method_edition (id),
    product    TEXT,            -- NULL: the general row
    x_from     REAL,
    x_to       REAL,
    repeat_a   REAL,            -- NULL: no r equation
    repeat_b   REAL NOT NULL DEFAULT 0,
    repeat_c   REAL NOT NULL DEFAULT 1,
    reprod_a   REAL,            -- NULL: no R equation
    reprod_b   REAL NOT NULL DEFAULT 0,
    reprod_c   REAL NOT NULL DEFAULT 1,
    status     TEXT NOT NULL CHECK (status = 'published' OR
                                    status = 'unverified' OR
                                    status = 'missing'),
    source     TEXT NOT NULL
);

CREATE INDEX method_precision_edition ON method_precision (edition_id);

CREATE TABLE conformity_history (
    id          INTEGER PRIMARY KEY,
    result_id   INTEGER NOT NULL REFERENCES result (id),
    limit_id    INTEGER REFERENCES limit_spec (id),
    limit_value REAL,
    threshold   REAL,
    verdict     TEXT NOT NULL,
    qualifier   TEXT,
    method_note TEXT,
    near_limit  INTEGER NOT NULL,
    rule        TEXT NOT NULL,
    audit_id    INTEGER NOT NULL REFERENCES audit_log (id)
                DEFERRABLE INITIALLY DEFERRED  -- the entry that replaced it
);

CREATE INDEX conformity_history_result ON conformity_history (result_id);

CREATE TRIGGER conformity_history_no_update BEFORE UPDATE
ON conformity_history
BEGIN
    SELECT RAISE(ABORT, 'judgement history is append-only');
END;

CREATE TRIGGER conformity_history_no_delete BEFORE DELETE
ON conformity_history
BEGIN
    SELECT RAISE(ABORT, 'judgement history is append-only');
END;

CREATE TABLE conformity_pending (
    result_id INTEGER PRIMARY KEY REFERENCES result (id)
);

CREATE VIEW audit_state AS
SELECT id, at, row_data AS state
FROM audit_log
WHERE tbl = 'state' AND row_id = 0;

CREATE TRIGGER audit_log_chain AFTER INSERT ON audit_log
WHEN NEW.hash IS NULL
BEGIN
    UPDATE audit_log
    SET hash = ptlims_chain(
        coalesce((SELECT hash FROM audit_log WHERE id < NEW.id
                  ORDER BY id DESC LIMIT 1), ''),
        (SELECT text FROM audit_chain_text WHERE id = NEW.id))
    WHERE id = NEW.id;
END;

CREATE TABLE voided (
    id        INTEGER PRIMARY KEY,
    kind      TEXT NOT NULL CHECK (kind = 'round' OR kind = 'result' OR
                                   kind = 'laboratory' OR kind = 'capa' OR
                                   kind = 'plan'),
    row_id    INTEGER NOT NULL,  -- round, result, laboratory,
                                 -- corrective_action or pt_plan id
    at        TEXT NOT NULL,     -- when it was voided (UTC)
    voided_by TEXT,              -- who voided it
    reason    TEXT NOT NULL,
    audit_id  INTEGER NOT NULL REFERENCES audit_log (id)
              DEFERRABLE INITIALLY DEFERRED,
    UNIQUE (kind, row_id)
);

CREATE TRIGGER voided_no_update BEFORE UPDATE ON voided
BEGIN
    SELECT RAISE(ABORT, 'a void is append-only');
END;

CREATE TRIGGER voided_no_delete BEFORE DELETE ON voided
BEGIN
    SELECT RAISE(ABORT, 'a void is append-only');
END;

CREATE VIEW score_base AS
SELECT r.id AS result_id, e.id AS evaluation_id, r.value AS value,
       e.x_pt AS x_pt, e.sigma_pt AS sigma_pt, e.u_x_pt AS u_x_pt,
       e.x_pt_U AS x_pt_U, r.U AS U, r.k AS k, r.U / r.k AS u_x,
       r.id IS e.ref_result_id AS is_reference,
       e.assigned = 'reference' AS by_en, e.en_le_one AS en_le_one
FROM evaluation e
JOIN result r ON r.round_id = e.round_id AND r.measurand = e.measurand
             AND r.item = e.item AND r.id <= e.result_upto
WHERE NOT EXISTS (
    SELECT 1 FROM result n
    WHERE n.round_id = r.round_id AND n.lab_id = r.lab_id
      AND n.measurand = r.measurand AND n.item = r.item
      AND n.version > r.version AND n.id <= e.result_upto)
  AND NOT EXISTS (SELECT 1 FROM voided v
                  WHERE v.kind = 'result' AND v.row_id = r.id)
  AND NOT EXISTS (SELECT 1 FROM voided v
                  WHERE v.kind = 'round' AND v.row_id = e.round_id);

CREATE VIEW score_kind AS
SELECT *,
       CASE WHEN NOT is_reference THEN
            pt_score_kind(value, U, k, x_pt, u_x_pt, x_pt_U, sigma_pt,
                          by_en, en_le_one) END AS primary_score,
       CASE WHEN NOT is_reference THEN
            pt_score_value(value, U, k, x_pt, u_x_pt, x_pt_U, sigma_pt,
                           by_en, en_le_one) END AS primary_value,
       CASE WHEN NOT is_reference THEN
            pt_score_class(value, U, k, x_pt, u_x_pt, x_pt_U, sigma_pt,
                           by_en, en_le_one) END AS primary_class
FROM score_base;

CREATE VIEW score AS
SELECT result_id AS id, evaluation_id, result_id,
       pt_score_d(value, x_pt) AS D,
       pt_score_d_pct(value, x_pt) AS D_pct,
       pt_score_z(value, x_pt, sigma_pt) AS z,
       pt_score_zprime(value, x_pt, u_x_pt, sigma_pt) AS z_prime,
       pt_score_zeta(value, u_x, x_pt, u_x_pt) AS zeta,
       pt_score_en(value, U, x_pt, x_pt_U) AS En,
       primary_score,
       coalesce(primary_class, 'not scored') AS verdict
FROM score_kind;

CREATE TABLE round_item (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES round(id),
    measurand TEXT NOT NULL,
    item TEXT NOT NULL,
    matrix TEXT NOT NULL,
    UNIQUE (round_id, measurand, item)
);

CREATE TRIGGER round_item_closed_insert BEFORE INSERT ON round_item
WHEN (SELECT status FROM round WHERE id = NEW.round_id) = 'closed'
BEGIN
    SELECT RAISE(ABORT, 'round is closed');
END;

CREATE TRIGGER round_item_closed_update BEFORE UPDATE ON round_item
WHEN (SELECT status FROM round WHERE id = OLD.round_id) = 'closed'
BEGIN
    SELECT RAISE(ABORT, 'round is closed');
END;

CREATE TRIGGER round_item_closed_delete BEFORE DELETE ON round_item
WHEN (SELECT status FROM round WHERE id = OLD.round_id) = 'closed'
BEGIN
    SELECT RAISE(ABORT, 'round is closed');
END;

CREATE TABLE round_official (
    id        INTEGER PRIMARY KEY,
    round_id  INTEGER NOT NULL REFERENCES round (id),
    measurand TEXT NOT NULL,
    item      TEXT NOT NULL DEFAULT '',
    x_pt      TEXT,
    u_x_pt    TEXT,
    sigma_pt  TEXT,
    UNIQUE (round_id, measurand, item)
);

CREATE TRIGGER round_official_closed_insert BEFORE INSERT ON round_official
WHEN (SELECT status FROM round WHERE id = NEW.round_id) = 'closed'
BEGIN
    SELECT RAISE(ABORT, 'round is closed');
END;

CREATE TRIGGER round_official_closed_update BEFORE UPDATE ON round_official
WHEN (SELECT status FROM round WHERE id = OLD.round_id) = 'closed'
BEGIN
    SELECT RAISE(ABORT, 'round is closed');
END;

CREATE TRIGGER round_official_closed_delete BEFORE DELETE ON round_official
WHEN (SELECT status FROM round WHERE id = OLD.round_id) = 'closed'
BEGIN
    SELECT RAISE(ABORT, 'round is closed');
END;

CREATE TRIGGER round_closed_update BEFORE UPDATE ON round
WHEN OLD.status = 'closed' AND NOT (
    NEW.status = 'open' AND NEW.id IS OLD.id AND NEW.code IS OLD.code
    AND NEW.scheme_id IS OLD.scheme_id AND NEW.type IS OLD.type
    AND NEW.title IS OLD.title AND NEW.provider IS OLD.provider
    AND NEW.provider_accreditation IS OLD.provider_accreditation
    AND NEW.opened IS OLD.opened AND NEW.closed IS OLD.closed
    AND NEW.reference_lab_id IS OLD.reference_lab_id
    AND NEW.report_no IS OLD.report_no
    AND NEW.report_date IS OLD.report_date
    AND pt_reopening(OLD.id))
BEGIN
    SELECT RAISE(ABORT, 'round is closed');
END;

CREATE INDEX corrective_action_plan ON corrective_action (plan_id);
