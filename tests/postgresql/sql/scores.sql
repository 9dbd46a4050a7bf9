--
-- Scores and classes (ISO 13528 clause 9): the values, NULL in NULL out,
-- an error for a sigma or uncertainty that is not positive.
--
SELECT pt_z(10.6, 8.269, 1.01) AS z,
       round(pt_zprime(10.6, 8.269, 0.5, 1.01)::numeric, 6) AS zprime,
       round(pt_zeta(10.6, 0.8, 8.269, 0.5)::numeric, 6) AS zeta,
       round(pt_en(9.8, 1.0, 9.1, 1.0)::numeric, 6) AS en;

SELECT pt_z(NULL, 1, 1) IS NULL AS z_null,
       pt_zprime(1, 1, NULL, 1) IS NULL AS zprime_null,
       pt_zeta(1, 1, 1, NULL) IS NULL AS zeta_null,
       pt_en(NULL, 1, 1, 1) IS NULL AS en_null,
       pt_class(NULL) IS NULL AS class_null,
       pt_class_en(NULL) IS NULL AS class_en_null;

SELECT s, pt_class(s) AS class, pt_class_z(s) AS z,
       pt_class_zprime(s) AS zprime, pt_class_zeta(s) AS zeta
  FROM unnest(ARRAY[0, 2, -2, 2.000001, 2.999999, 3, -3.5, 'NaN']::float8[])
       AS s;

SELECT en, pt_class_en(en) AS le_one_passes,
       pt_class_en(en, false) AS le_one_fails
  FROM unnest(ARRAY[0.5, 1, -1, 1.01]::float8[]) AS en;

-- x_pt's uncertainty may be 0; sigma and a result's u may not
SELECT pt_zeta(1.5, 0.5, 1, 0) AS zeta_exact_xpt;
SELECT pt_z(1, 1, 0);
SELECT pt_zeta(1, -0.1, 1, 0.1);
SELECT pt_en(1, 0, 1, 0.1);
