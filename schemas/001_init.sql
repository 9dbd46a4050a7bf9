-- ptlims schema v1: laboratories, schemes, rounds, results, evaluations,
-- scores, corrective actions and the audit log.
-- Applied in one transaction by the record-keeping core; PRAGMA user_version
-- is set to the number of migrations applied.

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
);

-- How each measurand of a round is evaluated.
CREATE TABLE round_measurand (
    id             INTEGER PRIMARY KEY,
    round_id       INTEGER NOT NULL REFERENCES round (id),
    measurand      TEXT NOT NULL,
    unit           TEXT NOT NULL,
    assigned       TEXT CHECK (assigned IN ('reference', 'consensus', 'fixed')),
    x_pt           REAL,
    u_x_pt         REAL,
    sigma_pt       REAL,
    sigma_pt_basis TEXT,
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
    source      TEXT,                   -- file:line it was imported from
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
    engine         TEXT NOT NULL,
    UNIQUE (round_id, measurand, item)
);

CREATE TABLE score (
    id            INTEGER PRIMARY KEY,
    evaluation_id INTEGER NOT NULL REFERENCES evaluation (id)
                  ON DELETE CASCADE,
    result_id     INTEGER NOT NULL REFERENCES result (id),
    D             REAL,
    D_pct         REAL,
    z             REAL,
    z_prime       REAL,
    zeta          REAL,
    En            REAL,
    primary_score TEXT,
    verdict       TEXT NOT NULL CHECK (verdict IN ('satisfactory',
                  'questionable', 'unsatisfactory', 'not scored')),
    UNIQUE (evaluation_id, result_id)
);

CREATE TABLE corrective_action (
    id          INTEGER PRIMARY KEY,
    score_id    INTEGER REFERENCES score (id),
    trigger     TEXT NOT NULL,
    root_cause  TEXT,
    action      TEXT,
    owner       TEXT,
    due         TEXT,
    closed      TEXT,
    verified_by TEXT
);

-- Every change, appended; never updated or deleted.
CREATE TABLE audit_log (
    id     INTEGER PRIMARY KEY,
    at     TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL
);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

-- A closed round is immutable: its results cannot be added, changed or
-- removed (a correction is a new version in a reopened workflow).
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
CREATE INDEX score_result ON score (result_id);
