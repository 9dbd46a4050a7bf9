-- load-sqlite.sql -- the PostgreSQL side of load-sqlite.sh: one branch
-- database, dumped as CSV files in the current directory, into the
-- record of record.sql.  Run by psql in one transaction with the
-- variables site and file.
--
-- A record whose natural key is new is added; one already here with the
-- same columns is counted as present; one already here with other values
-- is a conflict, printed with its key, and the record here is kept.
-- source (the CSV line a result was imported from) and site are
-- provenance, not compared.

CREATE TEMP TABLE s_laboratory (
    code text, name text, name_zh text, role text, accreditation text
) ON COMMIT DROP;
CREATE TEMP TABLE s_scheme (
    code text, name_en text, name_zh text, plugin_version text
) ON COMMIT DROP;
CREATE TEMP TABLE s_round (
    code text, scheme text, type text, title text, provider text,
    provider_accreditation text, opened date, closed date,
    reference_lab text, status text
) ON COMMIT DROP;
CREATE TEMP TABLE s_round_measurand (
    round text, measurand text, unit text, assigned text, x_pt float8,
    u_x_pt float8, sigma_pt float8, sigma_pt_basis text, matrix text,
    estimator text, sigma_pt_method text, override_reason text
) ON COMMIT DROP;
CREATE TEMP TABLE s_result (
    round text, lab text, measurand text, item text, value_text text,
    unit_text text, value float8, u_expanded_text text, u_expanded float8,
    k float8, method text, instrument text, analyst text, tested_on text,
    remarks text, version integer, reason text, source text
) ON COMMIT DROP;
CREATE TEMP TABLE s_result_condition (
    round text, lab text, measurand text, item text, version integer,
    name text, value text
) ON COMMIT DROP;
CREATE TEMP TABLE s_voided (
    kind text, key text, at text, voided_by text, reason text
) ON COMMIT DROP;

\copy s_laboratory FROM 'laboratory.csv' WITH (FORMAT csv, HEADER, NULL '\N')
\copy s_scheme FROM 'scheme.csv' WITH (FORMAT csv, HEADER, NULL '\N')
\copy s_round FROM 'round.csv' WITH (FORMAT csv, HEADER, NULL '\N')
\copy s_round_measurand FROM 'round_measurand.csv' WITH (FORMAT csv, HEADER, NULL '\N')
\copy s_result FROM 'result.csv' WITH (FORMAT csv, HEADER, NULL '\N')
\copy s_result_condition FROM 'result_condition.csv' WITH (FORMAT csv, HEADER, NULL '\N')
\copy s_voided FROM 'voided.csv' WITH (FORMAT csv, HEADER, NULL '\N')

-- Each file record against the one here with its key: 'new', 'present'
-- or 'conflict'.
CREATE TEMP TABLE s_state (tbl text, key text, state text) ON COMMIT DROP;

INSERT INTO s_state
SELECT 'laboratory', s.code,
       CASE WHEN h.id IS NULL THEN 'new'
            WHEN (s.name, s.name_zh, s.role, s.accreditation)
                 IS NOT DISTINCT FROM
                 (h.name, h.name_zh, h.role, h.accreditation)
            THEN 'present' ELSE 'conflict' END
  FROM s_laboratory s LEFT JOIN ptlims.laboratory h USING (code);

INSERT INTO s_state
SELECT 'scheme', s.code,
       CASE WHEN h.id IS NULL THEN 'new'
            WHEN (s.name_en, s.name_zh, s.plugin_version)
                 IS NOT DISTINCT FROM (h.name_en, h.name_zh, h.plugin_version)
            THEN 'present' ELSE 'conflict' END
  FROM s_scheme s LEFT JOIN ptlims.scheme h USING (code);

INSERT INTO s_state
SELECT 'round', s.code,
       CASE WHEN h.id IS NULL THEN 'new'
            WHEN (s.scheme, s.type, s.title, s.provider,
                  s.provider_accreditation, s.opened, s.closed,
                  s.reference_lab, s.status)
                 IS NOT DISTINCT FROM
                 (hs.code, h.type, h.title, h.provider,
                  h.provider_accreditation, h.opened, h.closed, hl.code,
                  h.status)
            THEN 'present' ELSE 'conflict' END
  FROM s_round s
  LEFT JOIN ptlims.round h USING (code)
  LEFT JOIN ptlims.scheme hs ON hs.id = h.scheme_id
  LEFT JOIN ptlims.laboratory hl ON hl.id = h.reference_lab_id;

INSERT INTO s_state
SELECT 'round_measurand', s.round || '/' || s.measurand,
       CASE WHEN h.id IS NULL THEN 'new'
            WHEN (s.unit, s.assigned, s.x_pt, s.u_x_pt, s.sigma_pt,
                  s.sigma_pt_basis, s.matrix, s.estimator, s.sigma_pt_method,
                  s.override_reason)
                 IS NOT DISTINCT FROM
                 (h.unit, h.assigned, h.x_pt, h.u_x_pt, h.sigma_pt,
                  h.sigma_pt_basis, h.matrix, h.estimator, h.sigma_pt_method,
                  h.override_reason)
            THEN 'present' ELSE 'conflict' END
  FROM s_round_measurand s
  LEFT JOIN ptlims.round o ON o.code = s.round
  LEFT JOIN ptlims.round_measurand h
         ON h.round_id = o.id AND h.measurand = s.measurand;

INSERT INTO s_state
SELECT 'result', concat_ws('/', s.round, s.lab, s.measurand, s.item,
                           s.version),
       CASE WHEN h.id IS NULL THEN 'new'
            WHEN (s.value_text, s.unit_text, s.value, s.u_expanded_text,
                  s.u_expanded, s.k, s.method, s.instrument, s.analyst,
                  s.tested_on, s.remarks, s.reason)
                 IS NOT DISTINCT FROM
                 (h.value_text, h.unit_text, h.value, h.u_expanded_text,
                  h.u_expanded, h.k, h.method, h.instrument, h.analyst,
                  h.tested_on, h.remarks, h.reason)
            THEN 'present' ELSE 'conflict' END
  FROM s_result s
  LEFT JOIN ptlims.round o ON o.code = s.round
  LEFT JOIN ptlims.laboratory l ON l.code = s.lab
  LEFT JOIN ptlims.result h
         ON h.round_id = o.id AND h.lab_id = l.id
        AND h.measurand = s.measurand AND h.item = s.item
        AND h.version = s.version;

INSERT INTO s_state
SELECT 'result_condition',
       concat_ws('/', s.round, s.lab, s.measurand, s.item, s.version, s.name),
       CASE WHEN h.result_id IS NULL THEN 'new'
            WHEN s.value = h.value THEN 'present' ELSE 'conflict' END
  FROM s_result_condition s
  LEFT JOIN ptlims.round o ON o.code = s.round
  LEFT JOIN ptlims.laboratory l ON l.code = s.lab
  LEFT JOIN ptlims.result r
         ON r.round_id = o.id AND r.lab_id = l.id
        AND r.measurand = s.measurand AND r.item = s.item
        AND r.version = s.version
  LEFT JOIN ptlims.result_condition h
         ON h.result_id = r.id AND h.name = s.name;

-- New records, parents first; ids looked up by code.
INSERT INTO ptlims.scheme (code, name_en, name_zh, plugin_version)
SELECT code, name_en, name_zh, plugin_version FROM s_scheme
    ON CONFLICT (code) DO NOTHING;

INSERT INTO ptlims.laboratory (code, name, name_zh, role, accreditation)
SELECT code, name, name_zh, role, accreditation FROM s_laboratory
    ON CONFLICT (code) DO NOTHING;

INSERT INTO ptlims.round (code, scheme_id, type, title, provider,
                          provider_accreditation, opened, closed,
                          reference_lab_id, status)
SELECT s.code, sc.id, s.type, s.title, s.provider, s.provider_accreditation,
       s.opened, s.closed, l.id, s.status
  FROM s_round s
  JOIN ptlims.scheme sc ON sc.code = s.scheme
  LEFT JOIN ptlims.laboratory l ON l.code = s.reference_lab
    ON CONFLICT (code) DO NOTHING;

INSERT INTO ptlims.round_measurand (round_id, measurand, unit, assigned,
                                    x_pt, u_x_pt, sigma_pt, sigma_pt_basis,
                                    matrix, estimator, sigma_pt_method,
                                    override_reason)
SELECT o.id, s.measurand, s.unit, s.assigned, s.x_pt, s.u_x_pt, s.sigma_pt,
       s.sigma_pt_basis, s.matrix, s.estimator, s.sigma_pt_method,
       s.override_reason
  FROM s_round_measurand s JOIN ptlims.round o ON o.code = s.round
    ON CONFLICT (round_id, measurand) DO NOTHING;

INSERT INTO ptlims.result (round_id, lab_id, measurand, item, value_text,
                           unit_text, value, u_expanded_text, u_expanded, k,
                           method, instrument, analyst, tested_on, remarks,
                           version, reason, source, site)
SELECT o.id, l.id, s.measurand, s.item, s.value_text, s.unit_text, s.value,
       s.u_expanded_text, s.u_expanded, s.k, s.method, s.instrument,
       s.analyst, s.tested_on, s.remarks, s.version, s.reason, s.source,
       :'site'
  FROM s_result s
  JOIN ptlims.round o ON o.code = s.round
  JOIN ptlims.laboratory l ON l.code = s.lab
    ON CONFLICT (round_id, lab_id, measurand, item, version) DO NOTHING;

INSERT INTO ptlims.result_condition (result_id, name, value)
SELECT r.id, s.name, s.value
  FROM s_result_condition s
  JOIN ptlims.round o ON o.code = s.round
  JOIN ptlims.laboratory l ON l.code = s.lab
  JOIN ptlims.result r
    ON r.round_id = o.id AND r.lab_id = l.id AND r.measurand = s.measurand
   AND r.item = s.item AND r.version = s.version
    ON CONFLICT (result_id, name) DO NOTHING;

-- A void of an item here, now that the records are in: new, or present
-- (voided here already, by whomever: not a conflict).  A void of an item
-- not here (a result voided before it was loaded, so never loaded) is
-- not counted.
INSERT INTO s_state
SELECT 'voided', s.kind || ' ' || s.key,
       CASE WHEN h.key IS NULL THEN 'new' ELSE 'present' END
  FROM s_voided s
  LEFT JOIN ptlims.voided h ON h.kind = s.kind AND h.key = s.key
 WHERE EXISTS (SELECT 1 FROM ptlims.round o WHERE s.kind = 'round'
                  AND o.code = s.key)
    OR EXISTS (SELECT 1 FROM ptlims.result r
                 JOIN ptlims.round o ON o.id = r.round_id
                 JOIN ptlims.laboratory l ON l.id = r.lab_id
                WHERE s.kind = 'result'
                  AND concat_ws('/', o.code, l.code, r.measurand, r.item)
                      = s.key);

INSERT INTO ptlims.voided (kind, key, at, voided_by, reason, site)
SELECT s.kind, s.key, s.at, s.voided_by, s.reason, :'site'
  FROM s_voided s
 WHERE EXISTS (SELECT 1 FROM s_state t WHERE t.tbl = 'voided'
                  AND t.key = s.kind || ' ' || s.key AND t.state = 'new')
    ON CONFLICT (kind, key) DO NOTHING;

SELECT format('conflict: %s %s differs from the record here; kept ours',
              tbl, key)
  FROM s_state WHERE state = 'conflict' ORDER BY tbl, key;

WITH counts AS (
    INSERT INTO ptlims.load (site, file, added, present, conflicting)
    SELECT :'site', :'file', count(*) FILTER (WHERE state = 'new'),
           count(*) FILTER (WHERE state = 'present'),
           count(*) FILTER (WHERE state = 'conflict')
      FROM s_state
    RETURNING *)
SELECT format('%s (%s): %s records: %s added, %s already here, %s conflicts',
              file, site, added + present + conflicting, added, present,
              conflicting)
  FROM counts;
