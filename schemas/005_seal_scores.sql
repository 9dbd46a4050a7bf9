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

-- 1. evaluation: what a score needs
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

-- 2. corrective actions refer to results only (score_id was never set by
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

-- 3. the per-row audit triggers and their row views
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
DROP VIEW audit_row_laboratory;
DROP VIEW audit_row_round;
DROP VIEW audit_row_round_measurand;
DROP VIEW audit_row_result;
DROP VIEW audit_row_evaluation;
DROP VIEW audit_row_score;

-- 4. the score table becomes a view (its triggers go with it)
DROP TABLE score;

CREATE VIEW score_value AS
SELECT r.id AS result_id, e.id AS evaluation_id,
       r.value - e.x_pt AS D,
       CASE WHEN e.x_pt <> 0
            THEN 100 * (r.value - e.x_pt) / e.x_pt END AS D_pct,
       CASE WHEN e.sigma_pt > 0
            THEN (r.value - e.x_pt) / e.sigma_pt END AS z,
       CASE WHEN e.sigma_pt > 0 AND e.u_x_pt >= 0
            THEN (r.value - e.x_pt) /
                 sqrt(e.sigma_pt * e.sigma_pt + e.u_x_pt * e.u_x_pt)
       END AS z_prime,
       CASE WHEN r.U / r.k > 0 AND e.u_x_pt >= 0
            THEN (r.value - e.x_pt) /
                 sqrt((r.U / r.k) * (r.U / r.k) + e.u_x_pt * e.u_x_pt)
       END AS zeta,
       CASE WHEN r.U > 0 AND e.x_pt_U >= 0
            THEN (r.value - e.x_pt) /
                 sqrt(r.U * r.U + e.x_pt_U * e.x_pt_U)
       END AS En,
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

CREATE VIEW score_primary AS
SELECT *,
       CASE WHEN is_reference THEN NULL
            WHEN by_en AND En IS NOT NULL THEN 'En'
            WHEN z IS NOT NULL AND by_z_prime AND z_prime IS NOT NULL
                 THEN 'z'''
            WHEN z IS NOT NULL THEN 'z'
            WHEN zeta IS NOT NULL THEN 'zeta'
       END AS primary_score,
       CASE WHEN is_reference THEN NULL
            WHEN by_en AND En IS NOT NULL THEN abs(En)
            WHEN z IS NOT NULL AND by_z_prime AND z_prime IS NOT NULL
                 THEN abs(z_prime)
            WHEN z IS NOT NULL THEN abs(z)
            WHEN zeta IS NOT NULL THEN abs(zeta)
       END AS primary_abs
FROM score_value;

-- ISO 13528 9.4 and 9.7: |z| <= 2 satisfactory, < 3 questionable;
-- |En| < 1 satisfactory (= 1 too when en_le_one).
CREATE VIEW score AS
SELECT result_id AS id, evaluation_id, result_id, D, D_pct, z, z_prime,
       zeta, En, primary_score,
       CASE WHEN primary_score IS NULL THEN 'not scored'
            WHEN primary_score = 'En' THEN
                CASE WHEN primary_abs < 1 OR (primary_abs = 1 AND en_le_one)
                     THEN 'satisfactory' ELSE 'unsatisfactory' END
            WHEN primary_abs <= 2 THEN 'satisfactory'
            WHEN primary_abs < 3 THEN 'questionable'
            ELSE 'unsatisfactory'
       END AS verdict
FROM score_primary;

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
