-- ptlims schema 012: a recorded item voided, never deleted.
--
-- A round, a result, a laboratory, a corrective action or a plan row
-- recorded by mistake stays in the record; voiding it adds one row here
-- with who voided it, when (the time of its audit entry) and why, and
-- from then on it counts nowhere: a voided result is left out of its
-- group's pack (so of the evaluation), of the scores, the comparison,
-- the workbook and the status; a voided round is neither evaluated nor
-- closed.  A result is voided with every version it has (one row per
-- version).  The rows are append-only: an item is voided once, and the
-- table is covered by the state entries of the audit chain (schema 009)
-- like every table no seal covers.
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

-- The scores leave voided results and voided rounds out.
DROP VIEW score;
DROP VIEW score_kind;
DROP VIEW score_base;

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
