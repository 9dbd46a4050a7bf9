-- record.sql -- the ptlims record in PostgreSQL, for a head office that
-- collects the records of every branch, or a PostgreSQL-based LIMS that
-- keeps its proficiency-testing data next to its own.
--
-- Everything is in the schema "ptlims", so the names cannot meet a LIMS's
-- own tables.  The tables hold what the laboratories recorded
-- (laboratories, schemes, rounds, how each measurand is evaluated,
-- results in every version, their conditions); evaluations and scores
-- are derived and are computed in SQL with CREATE EXTENSION ptlims.
-- Several branches' databases are merged, so records are identified by
-- their natural keys (a laboratory's code, a round's code, a result's
-- round, laboratory, measurand, item and version), as `ptlims sync` does;
-- the integer ids are this database's own.
--
-- Applying the file again changes nothing (load-sqlite.sh applies it
-- before every load).  Needs PostgreSQL 13 or later.

CREATE SCHEMA IF NOT EXISTS ptlims;

CREATE TABLE IF NOT EXISTS ptlims.laboratory (
    id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code          text NOT NULL UNIQUE,
    name          text NOT NULL,
    name_zh       text,
    role          text NOT NULL
                  CHECK (role IN ('branch', 'reference', 'external')),
    accreditation text
);

CREATE TABLE IF NOT EXISTS ptlims.scheme (
    id             integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code           text NOT NULL UNIQUE,
    name_en        text,
    name_zh        text,
    plugin_version text
);

CREATE TABLE IF NOT EXISTS ptlims.round (
    id                     integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code                   text NOT NULL UNIQUE,
    scheme_id              integer NOT NULL REFERENCES ptlims.scheme (id),
    type                   text NOT NULL DEFAULT 'pt'
                           CHECK (type IN ('pt', 'ilc', 'bilateral')),
    title                  text,
    provider               text,
    provider_accreditation text,
    opened                 date NOT NULL,
    closed                 date,
    reference_lab_id       integer REFERENCES ptlims.laboratory (id),
    status                 text NOT NULL DEFAULT 'open'
                           CHECK (status IN ('open', 'closed'))
);

-- How each measurand of a round is evaluated: assigned 'reference',
-- 'consensus' (estimator 'algorithm-a' or 'q-hampel') or 'fixed' (x_pt,
-- u_x_pt); sigma_pt given, or R/2.77 of sigma_pt_method.
CREATE TABLE IF NOT EXISTS ptlims.round_measurand (
    id              integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    round_id        integer NOT NULL REFERENCES ptlims.round (id),
    measurand       text NOT NULL,
    unit            text NOT NULL,
    assigned        text CHECK (assigned IN ('reference', 'consensus',
                                             'fixed')),
    x_pt            float8,
    u_x_pt          float8,
    sigma_pt        float8,
    sigma_pt_basis  text,
    matrix          text,
    estimator       text,
    sigma_pt_method text,
    override_reason text,
    UNIQUE (round_id, measurand)
);

-- Every version of every result.  value_text and unit_text are as
-- reported; value, u_expanded (U) and k in the measurand's unit.  site is
-- the branch whose database the row was loaded from.
CREATE TABLE IF NOT EXISTS ptlims.result (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    round_id        integer NOT NULL REFERENCES ptlims.round (id),
    lab_id          integer NOT NULL REFERENCES ptlims.laboratory (id),
    measurand       text NOT NULL,
    item            text NOT NULL DEFAULT '1',
    value_text      text NOT NULL,
    unit_text       text NOT NULL,
    value           float8 NOT NULL,
    u_expanded_text text,
    u_expanded      float8,
    k               float8,
    method          text,
    instrument      text,
    analyst         text,
    tested_on       text,
    remarks         text,
    version         integer NOT NULL DEFAULT 1,
    reason          text,
    source          text,
    site            text NOT NULL,
    UNIQUE (round_id, lab_id, measurand, item, version)
);

CREATE TABLE IF NOT EXISTS ptlims.result_condition (
    result_id bigint NOT NULL REFERENCES ptlims.result (id),
    name      text NOT NULL,
    value     text NOT NULL,
    PRIMARY KEY (result_id, name)
);

-- One row per database loaded: what it added, what was already here, and
-- how many records differ from the ones here (which are kept).
CREATE TABLE IF NOT EXISTS ptlims.load (
    id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site        text NOT NULL,
    file        text NOT NULL,
    loaded_at   timestamptz NOT NULL DEFAULT now(),
    added       integer NOT NULL,
    present     integer NOT NULL,
    conflicting integer NOT NULL
);

-- An item a branch voided (ptlims void, schema 012): a result (key
-- ROUND/LAB/MEASURAND/ITEM, every version) or a round (key its code),
-- with when, who and why as the branch recorded them.  A voided item
-- stays in the record and counts nowhere (result_current leaves it out);
-- a result voided before its database was loaded is not loaded at all.
CREATE TABLE IF NOT EXISTS ptlims.voided (
    kind      text NOT NULL CHECK (kind IN ('round', 'result')),
    key       text NOT NULL,
    at        text NOT NULL,
    voided_by text,
    reason    text NOT NULL,
    site      text NOT NULL,
    PRIMARY KEY (kind, key)
);

CREATE INDEX IF NOT EXISTS result_round
    ON ptlims.result (round_id, measurand, item);
CREATE INDEX IF NOT EXISTS result_lab ON ptlims.result (lab_id);

-- The latest version of each result that is not voided, nor of a voided
-- round: what a round is evaluated on.
CREATE OR REPLACE VIEW ptlims.result_current AS
SELECT r.*
  FROM ptlims.result r
 WHERE NOT EXISTS (
       SELECT 1 FROM ptlims.result n
        WHERE n.round_id = r.round_id AND n.lab_id = r.lab_id
          AND n.measurand = r.measurand AND n.item = r.item
          AND n.version > r.version)
   AND NOT EXISTS (
       SELECT 1 FROM ptlims.voided v
         JOIN ptlims.round o ON o.id = r.round_id
         JOIN ptlims.laboratory l ON l.id = r.lab_id
        WHERE (v.kind = 'result'
               AND v.key = concat_ws('/', o.code, l.code, r.measurand, r.item))
           OR (v.kind = 'round' AND v.key = o.code));
