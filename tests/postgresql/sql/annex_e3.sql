--
-- ISO 13528:2022 Annex E.3, atrazine in drinking water (34 results, as
-- transcribed in kanunimurat/pt13528): the printed values, to the printed
-- digits.  The same values, in scrambled row order, as window functions.
--
CREATE TABLE atrazine (lab integer, x float8);
INSERT INTO atrazine
SELECT row_number() OVER (), x
  FROM unnest(ARRAY[
    0.040, 0.055, 0.178, 0.202, 0.206, 0.227,  0.228, 0.230,  0.230,
    0.235, 0.236, 0.237, 0.243, 0.244, 0.245,  0.2555, 0.260, 0.264,
    0.267, 0.270, 0.273, 0.274, 0.274, 0.278,  0.2811, 0.287, 0.287,
    0.288, 0.289, 0.295, 0.296, 0.311, 0.331,  0.4246]::float8[]) AS x;

SELECT count(x) AS n,
       round(pt_median(x)::numeric, 4) AS median,
       round(pt_niqr(x)::numeric, 4) AS niqr,
       round(pt_made(x)::numeric, 4) AS made
  FROM atrazine;

-- Algorithm A (C.3.1): x* = 0.2570, s* = 0.0395, u(x*) = 0.0085
SELECT round(pt_alga_x(x)::numeric, 4) AS alga_x,
       round(pt_alga_s(x)::numeric, 4) AS alga_s,
       round(pt_alga_u(x)::numeric, 4) AS alga_u
  FROM atrazine;

-- Q/Hampel (C.5.4): x* = 0.2600, s* = 0.0426, u(x*) = 0.0091
SELECT round(pt_qhampel_x(x)::numeric, 4) AS qhampel_x,
       round(pt_qhampel_s(x)::numeric, 4) AS qhampel_s,
       round(pt_qhampel_u(x)::numeric, 4) AS qhampel_u,
       pt_qn(x) > 0 AS qn_positive,
       pt_qmethod_s(x) = pt_qhampel_s(x) AS same_s,
       pt_hampel_x(x) = pt_qhampel_x(x) AS same_x
  FROM atrazine;

-- The order the rows come in does not matter, to the last bit.
SELECT (SELECT pt_alga_x(x) FROM atrazine) =
       (SELECT pt_alga_x(x) FROM (SELECT x FROM atrazine
                                   ORDER BY md5(lab::text)) s) AS same_x,
       (SELECT pt_qhampel_s(x) FROM atrazine) =
       (SELECT pt_qhampel_s(x) FROM (SELECT x FROM atrazine
                                      ORDER BY x DESC) s) AS same_s;

-- Every laboratory's z against the consensus of all 34, in one SELECT;
-- the outlying results shown.
SELECT lab, x, round(z::numeric, 2) AS z, pt_class(z) AS class
  FROM (SELECT lab, x,
               pt_z(x, pt_alga_x(x) OVER (), pt_alga_s(x) OVER ()) AS z
          FROM atrazine) s
 WHERE abs(z) > 1.5
 ORDER BY lab;
