-- ptlims schema 005: scores are computed when they are read, and the
-- record is sealed once per operation instead of logged row by row.
--
-- Scores.  A score is a function of a result and its group's evaluation,
-- so it is no longer stored: the view `score` computes D, D%, z, z',
-- zeta and En (ISO 13528 clauses 9.3 to 9.7) and the verdict from the
-- evaluation row, which now records everything the choice of score needs:
-- U(x_pt), the result that is the assigned value (not scored), the highest
-- result id the evaluation saw (results imported or corrected later are
-- not scored until the round is evaluated again) and whether |En| = 1 is
-- satisfactory.  The view has the columns of the former table; its id is
-- the result id.  A result is scored when it is the latest version of its
-- laboratory's result among those the evaluation saw.  Evaluations made
-- before this schema get those columns from their stored scores.
--
-- Seals.  The per-row audit triggers of schema 004 are replaced by seals
-- (plugins/core/pt_seal.h): every operation that writes laboratories,
-- rounds, measurands, results or evaluations ends by recording, for each
-- part it wrote, the row count and SHA-256 of the part as it now is, and
-- one audit-log entry whose digest covers those seals.  `ptlims verify`
-- recomputes every part's digest and compares it with its last seal.  The
-- entries written by schema 004 stay in the chain.  Right after this
-- migration ptlims seals every part as found ("baseline").

-- 1. the per-row audit triggers of schema 004 (first: the updates below
-- are part of this migration, not changes to log row by row)
DROP TRIGGER audit_laboratory_insert;
DROP TRIGGER audit_laboratory_update;
DROP TRIGGER audit_laboratory_delete;
DROP TRIGGER audit_round_insert;
DROP TRIGGER audit_round_update;
DROP TRIGGER audit_round_delete;
DROP TRIGGER audit_round_measurand_insert;
DROP TRIGGER audit_round_measurand_update;
DROP TRIGGER audit_round_measurand_delete;
DROP TRIGGER audit_result_insert;
DROP TRIGGER audit_result_update;
DROP TRIGGER audit_result_delete;
DROP TRIGGER audit_evaluation_insert;
DROP TRIGGER audit_evaluation_update;
DROP TRIGGER audit_evaluation_delete;

-- 2. evaluation: what a score needs
ALTER TABLE evaluation ADD COLUMN x_pt_U REAL;      -- expanded uncertainty of x_pt
ALTER TABLE evaluation ADD COLUMN ref_result_id INTEGER REFERENCES result (id);
ALTER TABLE evaluation ADD COLUMN result_upto INTEGER;
ALTER TABLE evaluation ADD COLUMN en_le_one INTEGER NOT NULL DEFAULT 1;

DROP TRIGGER evaluation_closed_update;
UPDATE evaluation SET
    ref_result_id = CASE WHEN assigned = 'reference' THEN
        (SELECT s.result_id FROM score s JOIN result r ON r.id = s.result_id
         JOIN round ro ON ro.id = evaluation.round_id
         WHERE s.evaluation_id = evaluation.id
           AND r.lab_id = ro.reference_lab_id) END,
    result_upto = coalesce((SELECT max(result_id) FROM score s
                            WHERE s.evaluation_id = evaluation.id), 0);
UPDATE evaluation SET
    x_pt_U = CASE WHEN assigned = 'reference'
                  THEN (SELECT U FROM result WHERE id = ref_result_id)
                  ELSE 2 * u_x_pt END;
CREATE TRIGGER evaluation_closed_update BEFORE UPDATE ON evaluation
WHEN (SELECT status FROM round WHERE id = OLD.round_id) = 'closed'
BEGIN
    SELECT RAISE(ABORT, 'round is closed');
END;

-- 3. corrective actions refer to results only (score_id was never set by
-- schema 003 and later; an older one is carried over to its result)
UPDATE corrective_action
SET result_id = (SELECT result_id FROM score WHERE id = score_id)
WHERE result_id IS NULL AND score_id IS NOT NULL;
CREATE TABLE corrective_action_new (
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
);
INSERT INTO corrective_action_new (id, result_id, trigger, root_cause,
    action, owner, due, closed, verified_by, opened)
SELECT id, result_id, trigger, root_cause, action, owner, due, closed,
       verified_by, opened
FROM corrective_action;
DROP TABLE corrective_action;
ALTER TABLE corrective_action_new RENAME TO corrective_action;
CREATE INDEX corrective_action_result ON corrective_action (result_id);

-- 4. the row views of schema 004, and the score table becomes a view
-- (its triggers go with it)
DROP VIEW audit_row_laboratory;
DROP VIEW audit_row_round;
DROP VIEW audit_row_round_measurand;
DROP VIEW audit_row_result;
DROP VIEW audit_row_evaluation;
DROP VIEW audit_row_score;

DROP TABLE score;

-- score_base: the latest version of each laboratory's result that the
-- evaluation saw, with the numbers its scores need;
-- score_kind: which score carries the verdict (ISO 13528 9.2: En against
-- a reference laboratory's result when the result has U; z' when
-- u(x_pt) >= 0.3 sigma_pt; z; zeta when there is no sigma_pt) and its
-- value, chosen from the inputs so that each score is computed once.
CREATE VIEW score_base AS
SELECT r.id AS result_id, e.id AS evaluation_id,
       r.value - e.x_pt AS D, e.x_pt AS x_pt, e.sigma_pt AS sigma_pt,
       e.u_x_pt AS u_x_pt, e.x_pt_U AS x_pt_U, r.U AS U, r.U / r.k AS u_x,
       r.id IS e.ref_result_id AS is_reference,
       e.assigned = 'reference' AS by_en,
       coalesce(e.u_x_pt >= 0.3 * e.sigma_pt, 0) AS by_z_prime,
       e.en_le_one AS en_le_one
FROM evaluation e
JOIN result r ON r.round_id = e.round_id AND r.measurand = e.measurand
             AND r.item = e.item AND r.id <= e.result_upto
WHERE NOT EXISTS (
    SELECT 1 FROM result n
    WHERE n.round_id = r.round_id AND n.lab_id = r.lab_id
      AND n.measurand = r.measurand AND n.item = r.item
      AND n.version > r.version AND n.id <= e.result_upto);

CREATE VIEW score_kind AS
SELECT *,
       CASE WHEN is_reference THEN NULL
            WHEN by_en AND U > 0 AND x_pt_U >= 0 THEN 'En'
            WHEN sigma_pt > 0 AND by_z_prime AND u_x_pt >= 0 THEN 'z'''
            WHEN sigma_pt > 0 THEN 'z'
            WHEN u_x > 0 AND u_x_pt >= 0 THEN 'zeta'
       END AS primary_score,
       CASE WHEN is_reference THEN NULL
            WHEN by_en AND U > 0 AND x_pt_U >= 0
                 THEN D / sqrt(U * U + x_pt_U * x_pt_U)
            WHEN sigma_pt > 0 AND by_z_prime AND u_x_pt >= 0
                 THEN D / sqrt(sigma_pt * sigma_pt + u_x_pt * u_x_pt)
            WHEN sigma_pt > 0 THEN D / sigma_pt
            WHEN u_x > 0 AND u_x_pt >= 0
                 THEN D / sqrt(u_x * u_x + u_x_pt * u_x_pt)
       END AS primary_value
FROM score_base;

-- D, D% and every score (NULL where its inputs are missing), and the
-- verdict: |z| <= 2 satisfactory, < 3 questionable (ISO 13528 9.4);
-- |En| < 1 satisfactory, = 1 too when en_le_one (9.7).
CREATE VIEW score AS
SELECT result_id AS id, evaluation_id, result_id, D,
       CASE WHEN x_pt <> 0 THEN 100 * D / x_pt END AS D_pct,
       CASE WHEN sigma_pt > 0 THEN D / sigma_pt END AS z,
       CASE WHEN sigma_pt > 0 AND u_x_pt >= 0
            THEN D / sqrt(sigma_pt * sigma_pt + u_x_pt * u_x_pt)
       END AS z_prime,
       CASE WHEN u_x > 0 AND u_x_pt >= 0
            THEN D / sqrt(u_x * u_x + u_x_pt * u_x_pt) END AS zeta,
       CASE WHEN U > 0 AND x_pt_U >= 0
            THEN D / sqrt(U * U + x_pt_U * x_pt_U) END AS En,
       primary_score,
       CASE WHEN primary_score IS NULL THEN 'not scored'
            WHEN primary_score = 'En' THEN
                CASE WHEN abs(primary_value) < 1
                       OR (en_le_one AND abs(primary_value) = 1)
                     THEN 'satisfactory' ELSE 'unsatisfactory' END
            WHEN abs(primary_value) <= 2 THEN 'satisfactory'
            WHEN abs(primary_value) < 3 THEN 'questionable'
            ELSE 'unsatisfactory'
       END AS verdict
FROM score_kind;

-- 5. seals
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
