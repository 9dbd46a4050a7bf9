--
-- Parallel aggregation: partial states built by two workers, serialized,
-- combined by the leader, and the same results as a serial plan, to the
-- last bit.
--
CREATE TABLE big (grp integer, x float8);
INSERT INTO big
SELECT i % 3, (i * 7919 % 10007) / 100.0 + i % 3
  FROM generate_series(1, 60000) AS i;
ANALYZE big;

SET extra_float_digits = 3;
SET max_parallel_workers_per_gather = 0;
SELECT pt_median(x) AS s_median, pt_made(x) AS s_made, pt_niqr(x) AS s_niqr,
       pt_alga_x(x) AS s_alga_x, pt_alga_s(x) AS s_alga_s,
       pt_qn(x) AS s_qn, pt_qhampel_x(x) AS s_qhampel_x
  FROM big \gset
CREATE TABLE serial_groups AS
SELECT grp, pt_median(x) AS median, pt_alga_x(x) AS alga_x,
       pt_alga_s(x) AS alga_s, pt_qhampel_s(x) AS qhampel_s
  FROM big GROUP BY grp;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;

EXPLAIN (COSTS OFF)
SELECT pt_median(x), pt_alga_x(x), pt_qn(x) FROM big;

-- The plan runs: two workers launched, each with a partial aggregate.
CREATE FUNCTION plan_lines(query text) RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
    line text;
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, '
                        'SUMMARY OFF, BUFFERS OFF) ' || query LOOP
        IF line ~ 'Workers Launched|Partial Aggregate' THEN
            RETURN NEXT regexp_replace(line, ' *\(actual.*$', '');
        END IF;
    END LOOP;
END
$$;
SELECT plan_lines('SELECT pt_median(x), pt_alga_x(x), pt_qn(x) FROM big');

SELECT pt_median(x) = :s_median AS median,
       pt_made(x) = :s_made AS made,
       pt_niqr(x) = :s_niqr AS niqr,
       pt_alga_x(x) = :s_alga_x AS alga_x,
       pt_alga_s(x) = :s_alga_s AS alga_s,
       pt_qn(x) = :s_qn AS qn,
       pt_qhampel_x(x) = :s_qhampel_x AS qhampel_x
  FROM big;

-- per group, in parallel, against the serial results
SELECT p.grp, p.median = s.median AS median, p.alga_x = s.alga_x AS alga_x,
       p.alga_s = s.alga_s AS alga_s, p.qhampel_s = s.qhampel_s AS qhampel_s
  FROM (SELECT grp, pt_median(x) AS median, pt_alga_x(x) AS alga_x,
               pt_alga_s(x) AS alga_s, pt_qhampel_s(x) AS qhampel_s
          FROM big GROUP BY grp) p
  JOIN serial_groups s USING (grp)
 ORDER BY p.grp;
