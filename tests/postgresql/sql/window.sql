--
-- The aggregates as window functions: over a whole partition (a round's
-- consensus next to each result), over a growing frame (the final
-- function called again on a state that keeps growing) and over a moving
-- frame (the state restarted for each row).
--
CREATE TABLE rr (round text, lab text, x float8);
INSERT INTO rr VALUES
    ('R1', 'A', 8.2), ('R1', 'B', 8.9), ('R1', 'C', 9.4), ('R1', 'D', 7.6),
    ('R1', 'E', 8.8), ('R1', 'F', 9.1), ('R1', 'G', 14.6), ('R1', 'H', 8.5),
    ('R2', 'A', 0.21), ('R2', 'B', 0.19), ('R2', 'C', 0.25), ('R2', 'D', NULL),
    ('R2', 'E', 0.20);

SELECT round, lab, x,
       round((pt_alga_x(x) OVER w)::numeric, 6) AS x_pt,
       round((pt_alga_s(x) OVER w)::numeric, 6) AS s,
       round(pt_z(x, pt_alga_x(x) OVER w, pt_alga_s(x) OVER w)::numeric, 2)
           AS z
  FROM rr
WINDOW w AS (PARTITION BY round)
 ORDER BY round, lab;

-- the partition's value is the GROUP BY value
SELECT bool_and(w.x_pt = g.x_pt) AS same_as_group_by
  FROM (SELECT round, pt_alga_x(x) OVER (PARTITION BY round) AS x_pt
          FROM rr) w
  JOIN (SELECT round, pt_alga_x(x) AS x_pt FROM rr GROUP BY round) g
 USING (round);

-- growing frame: every row's value equals the aggregate of the rows so far
SELECT bool_and(running IS NOT DISTINCT FROM
                (SELECT pt_median(r2.x) FROM rr r2
                  WHERE r2.round = r.round AND r2.lab <= r.lab))
           AS running_median,
       bool_and(running_alga IS NOT DISTINCT FROM
                (SELECT pt_alga_x(r2.x) FROM rr r2
                  WHERE r2.round = r.round AND r2.lab <= r.lab))
           AS running_alga_x
  FROM (SELECT round, lab,
               pt_median(x) OVER (PARTITION BY round ORDER BY lab) AS running,
               pt_alga_x(x) OVER (PARTITION BY round ORDER BY lab)
                   AS running_alga
          FROM rr) r;

-- moving frame of three rows
SELECT round, lab, x,
       round((pt_median(x) OVER (PARTITION BY round ORDER BY lab
                                 ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING))
             ::numeric, 6) AS median3
  FROM rr
 ORDER BY round, lab;
