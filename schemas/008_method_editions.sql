-- ptlims schema 008: methods by edition, precision by edition and product,
-- limits with their legal source, and judgements that keep their history.
--
-- Methods.  A method (`method`: code, scheme, principle, unit) has
-- editions (`method_edition`), each with its scope, status and source; the
-- scope of ASTM D4294 changed with its 2008 edition, so scope belongs to
-- the edition.  `issued` is the edition's year (NULL: an edition before
-- every dated one, or one whose year is not known).  A result's method
-- text ("ASTM D4294-21", "ISO 20846:2019") names its edition: the row of
-- that edition, else the newest row issued in or before the named year,
-- else the newest row; the result says which (engine/ingest/pt_method.h).
--
-- Precision.  `method_precision` rows belong to an edition and a product
-- (`product` NULL: the general row).  r and R are looked up each on its
-- own: the product's row of the result's edition, then that edition's
-- general row, then the newest other edition that has the equation; a
-- result judged with another row than its own says so.  A row whose
-- equation public sources do not give has NULL there and status
-- 'missing': equations are never invented.
--
-- Judgements.  `conformity` gets a qualifier ('method out of scope': the
-- verdict is qualified, not stated plainly) and a note of the edition
-- whose data were used when they are not the result's own.  Every result recorded before
-- this schema is judged again under these data once the scheme's plug-in
-- is loaded (it knows the result's limit category and units): the rows
-- waiting for that are in `conformity_pending`.  A judgement that changes
-- is kept as it was in `conformity_history` (append-only) with the audit
-- entry that says what changed.

-- 1. editions, from the single edition each method had
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

-- 2. precision by edition and product
CREATE TABLE method_precision_008 (
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

-- ASTM D4294's row was its older edition (0.015 to 5 % m/m); D5453's
-- general equations are entered for its latest edition seen, -19a, marked
-- unverified because the source does not state their edition; D2622's
-- scope is that of -24a; every other method's edition is not stated.  The
-- status of an edition is that of its scope (its precision rows have
-- their own).
INSERT INTO method_edition (method_id, edition, issued, scope_min,
                            scope_max, scope_unit, status, source)
SELECT id,
       CASE code WHEN 'ASTM D5453' THEN '19a'
                 WHEN 'ASTM D2622' THEN '24a'
                 WHEN 'ASTM D4294' THEN 'older edition'
                 ELSE 'not stated' END,
       CASE code WHEN 'ASTM D5453' THEN 2019 WHEN 'ASTM D2622' THEN 2024 END,
       scope_min, scope_max, unit,
       CASE WHEN scope_min IS NULL AND scope_max IS NULL THEN 'missing'
            ELSE 'published' END,
       CASE WHEN code IN ('ASTM D5453', 'ASTM D2622', 'ASTM D4294')
            THEN source
            WHEN scope_min IS NULL AND scope_max IS NULL
            THEN code || ': scope not found (edition not stated)'
            ELSE code || ': scope as summarised in public sources ' ||
                 '(edition not stated)' END
FROM method;

UPDATE method_edition SET
    status = 'published',
    source = 'ASTM D5453-19a: scope 1 to 8000 mg/kg (latest edition seen)'
WHERE method_id = (SELECT id FROM method WHERE code = 'ASTM D5453');
UPDATE method_edition SET
    source = 'ASTM D4294 editions before 2008: scope 0.015 to 5 % m/m; ' ||
             'precision as transcribed in public sources'
WHERE method_id = (SELECT id FROM method WHERE code = 'ASTM D4294');
UPDATE method_edition SET
    source = 'ASTM D2622-24a (latest edition seen): scope 3 mg/kg to ' ||
             '4.6 % m/m'
WHERE method_id = (SELECT id FROM method WHERE code = 'ASTM D2622');

INSERT INTO method_precision_008 (id, edition_id, product, x_from, x_to,
    repeat_a, repeat_b, repeat_c, reprod_a, reprod_b, reprod_c, status,
    source)
SELECT p.id, e.id, NULL, p.x_from, p.x_to, p.repeat_a, p.repeat_b,
       p.repeat_c, p.reprod_a, p.reprod_b, p.reprod_c,
       CASE m.code WHEN 'ASTM D5453' THEN 'unverified' ELSE 'published' END,
       CASE m.code
           WHEN 'ASTM D5453' THEN 'general precision of ASTM D5453 as ' ||
               'transcribed in public sources, edition not stated there; ' ||
               'entered for -19a [unverified]; X < 400 mg/kg power branch, ' ||
               'X >= 400 linear branch'
           ELSE 'ASTM D4294 (editions before 2008) precision as ' ||
               'transcribed in public sources, X in % m/m'
       END
FROM method_precision p JOIN method m ON m.id = p.method_id
JOIN method_edition e ON e.method_id = m.id;

DROP TABLE method_precision;
ALTER TABLE method_precision_008 RENAME TO method_precision;
CREATE INDEX method_precision_edition ON method_precision (edition_id);

ALTER TABLE method DROP COLUMN edition;
ALTER TABLE method DROP COLUMN scope_min;
ALTER TABLE method DROP COLUMN scope_max;
ALTER TABLE method DROP COLUMN status;
ALTER TABLE method DROP COLUMN source;

-- 3. current editions
INSERT INTO method_edition (method_id, edition, issued, scope_min,
                            scope_max, scope_unit, status, source)
SELECT id, '08', 2008, 17, 46000, 'mg/kg', 'published',
       'ASTM D4294 since the 2008 edition: scope 17 mg/kg (quantitation ' ||
       'limit) to 4.6 % m/m'
FROM method WHERE code = 'ASTM D4294'
UNION ALL
SELECT id, '21', 2021, 17, 46000, 'mg/kg', 'published',
       'ASTM D4294-21 (latest edition seen): scope 17 mg/kg to 4.6 % m/m'
FROM method WHERE code = 'ASTM D4294';

-- D5453-19a product repeatability (R not found: the general row's R
-- applies, and the result says so)
INSERT INTO method_precision (edition_id, product, repeat_a, repeat_b,
                              repeat_c, status, source)
SELECT e.id, 'gasoline', 0.04356, 14.844, 1, 'published',
       'ASTM D5453-19a gasoline repeatability r = 0.04356 (X + 14.844); ' ||
       'its R equation not found [missing]'
FROM method_edition e JOIN method m ON m.id = e.method_id
WHERE m.code = 'ASTM D5453' AND e.edition = '19a'
UNION ALL
SELECT e.id, 'diesel', 0.02777, 28.158, 1, 'published',
       'ASTM D5453-19a diesel repeatability r = 0.02777 (X + 28.158); ' ||
       'its R equation not found [missing]'
FROM method_edition e JOIN method m ON m.id = e.method_id
WHERE m.code = 'ASTM D5453' AND e.edition = '19a';

-- rows whose equations public sources do not give
INSERT INTO method_precision (edition_id, product, status, source)
SELECT e.id, NULL, 'missing',
       'ASTM D4294 precision since the 2008 edition: differs from the ' ||
       'older edition''s [unverified]; equations not found'
FROM method_edition e JOIN method m ON m.id = e.method_id
WHERE m.code = 'ASTM D4294' AND e.edition IN ('08', '21')
UNION ALL
SELECT e.id, p.product, 'missing',
       'ASTM D2622-24a appendix X1 gives ' ||
       coalesce(p.product || ' ', 'general ') ||
       'precision; equations not found'
FROM method_edition e JOIN method m ON m.id = e.method_id
JOIN (SELECT NULL AS product UNION ALL SELECT 'gasoline'
      UNION ALL SELECT 'diesel') p
WHERE m.code = 'ASTM D2622' AND e.edition = '24a'
UNION ALL
SELECT e.id, NULL, 'missing', m.code || ': precision equations not found'
FROM method_edition e JOIN method m ON m.id = e.method_id
WHERE e.edition = 'not stated';

-- 4. limits: the legal source and effective date of each
UPDATE limit_spec SET
    standard = 'Taiwan EPA motor-fuel composition standard ' ||
               '(移動污染源燃料成分管制標準)',
    source = 'diesel 10 mg/kg since 2011-07-01 as summarised in public ' ||
             'sources; name of the regulation [unverified]'
WHERE scheme = 'fuel-sulfur' AND category = 'diesel';
UPDATE limit_spec SET
    standard = 'Taiwan EPA motor-fuel composition standard ' ||
               '(移動污染源燃料成分管制標準)',
    source = 'gasoline 10 mg/kg since 2012-01-01 as summarised in public ' ||
             'sources; name of the regulation [unverified]'
WHERE scheme = 'fuel-sulfur' AND category = 'gasoline';
UPDATE limit_spec SET
    source = 'CNS 1472 low-sulfur grades 0.5 % m/m; its edition and ' ||
             'effective date not found'
WHERE scheme = 'fuel-sulfur' AND category = 'fuel oil, low sulfur';
UPDATE limit_spec SET
    source = 'CNS 1472 1.0 % m/m; its edition and effective date not found'
WHERE scheme = 'fuel-sulfur' AND category = 'fuel oil';
UPDATE limit_spec SET
    source = '0.5 % m/m in the international ports since 2019-01-01 as ' ||
             'summarised in public sources; the port rule''s name ' ||
             '[unverified]'
WHERE scheme = 'fuel-sulfur' AND category = 'marine fuel';
UPDATE limit_spec SET
    source = source || '; edition of IEC/CNS 60335-1 not stated ' ||
             '[unverified]'
WHERE scheme = 'dehumidifier' AND standard = 'IEC/CNS 60335-1'
  AND edition IS NULL;

-- 5. judgements
ALTER TABLE conformity ADD COLUMN qualifier TEXT; -- 'method out of scope'
-- which edition's data judged the result when it was not the one the
-- result names ("ASTM D4294-16 is not in the method table: edition 08
-- used; R of ASTM D4294 (older edition) ..."), NULL when it was
ALTER TABLE conformity ADD COLUMN method_note TEXT;

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
INSERT INTO conformity_pending (result_id) SELECT id FROM result;
