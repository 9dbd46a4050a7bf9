-- hq_consensus.sql -- one SELECT over the head office's record: a round's
-- consensus (Algorithm A over the latest version of every result) and
-- every participant's z against it, with σ_pt as the round set it.
-- The README shows this query; test_postgresql.sh runs it with the psql
-- variable round and compares it with `ptlims scores --json`.
SELECT l.code AS lab, r.value,
       pt_alga_x(r.value) OVER w AS x_pt,
       pt_alga_u(r.value) OVER w AS u_x_pt,
       m.sigma_pt,
       pt_z(r.value, pt_alga_x(r.value) OVER w, m.sigma_pt) AS z,
       pt_class(pt_z(r.value, pt_alga_x(r.value) OVER w, m.sigma_pt))
           AS class
  FROM ptlims.result_current r
  JOIN ptlims.round o ON o.id = r.round_id
  JOIN ptlims.round_measurand m
    ON m.round_id = r.round_id AND m.measurand = r.measurand
  JOIN ptlims.laboratory l ON l.id = r.lab_id
 WHERE o.code = :'round'
WINDOW w AS (PARTITION BY r.measurand, r.item)
 ORDER BY r.measurand, r.item, l.code;
