-- ptlims schema 010: the score views compute nothing themselves.
--
-- Every score, the choice of the score a verdict is on and the verdict
-- come from the statistics library, through the SQL functions the engine
-- registers on each of its connections (engine/store/pt_sqlfn.h):
-- pt_score_d, pt_score_d_pct, pt_score_z, pt_score_zprime, pt_score_zeta,
-- pt_score_en, and pt_score_kind, pt_score_value, pt_score_class
-- (pt_stats_primary_score, the function the evaluation itself calls).
-- Loading the SQLite extension ptlims_sqlite into another program (the
-- sqlite3 shell) gives the views the same functions.

DROP VIEW score;
DROP VIEW score_kind;
DROP VIEW score_base;

-- score_base: the latest version of each laboratory's result that the
-- evaluation saw, with what its scores need.
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
      AND n.version > r.version AND n.id <= e.result_upto);

-- score_kind: which score carries the verdict, its value and its class;
-- nothing for the reference laboratory's own result (it is x_pt).
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

-- D, D% and every score (NULL where it does not apply), and the verdict.
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
