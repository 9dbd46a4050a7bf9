--
-- NULLs are skipped; a group with no value, too few values or no spread
-- gives NULL; an empty input gives one row of NULLs; NaN or infinity is
-- an error that names the function.
--
CREATE TABLE g (grp integer, x float8);
INSERT INTO g VALUES (1, 1), (1, 2), (1, 3.5), (1, NULL),
                     (2, 10), (2, 20),
                     (3, NULL),
                     (4, 5), (4, 5), (4, 5), (4, 5),
                     (5, 7);

SELECT grp, count(x) AS n, pt_median(x) AS median,
       round(pt_made(x)::numeric, 6) AS made,
       round(pt_niqr(x)::numeric, 6) AS niqr,
       round(pt_alga_x(x)::numeric, 6) AS alga_x,
       round(pt_alga_s(x)::numeric, 6) AS alga_s, pt_qn(x) IS NULL AS no_qn,
       pt_qhampel_x(x) IS NULL AS no_qhampel_x
  FROM g GROUP BY grp ORDER BY grp;

-- no rows at all
SELECT pt_median(x), pt_made(x), pt_niqr(x), pt_alga_x(x), pt_alga_s(x),
       pt_alga_u(x), pt_qn(x), pt_qhampel_x(x), pt_qhampel_s(x),
       pt_qhampel_u(x)
  FROM g WHERE false;

-- integer and numeric columns through the implicit casts
SELECT pt_median(v) AS median_int FROM (VALUES (1), (2), (4)) t(v);
SELECT pt_median(v) AS median_numeric
  FROM (VALUES (1.5::numeric), (2.5), (4.5), (9.5)) t(v);

-- a value that is not finite
SELECT pt_median(x) FROM (VALUES (1::float8), ('NaN'), (3)) t(x);
SELECT pt_alga_x(x) FROM (VALUES (1::float8), ('Infinity'), (3)) t(x);
