-- ptlims--0.1.0.sql -- the SQL objects of CREATE EXTENSION ptlims
-- (plugins/postgresql/ptlims_pg.c computes them with the statistics
-- library, stats/).

\echo Use "CREATE EXTENSION ptlims" to load this file. \quit

-- The aggregates' state: every value of the group, as an array of float8
-- in the aggregate's memory context.  Partial states of parallel workers
-- travel as bytea and are combined by appending.
CREATE FUNCTION pt_values_add(internal, float8) RETURNS internal
    AS 'MODULE_PATHNAME', 'pt_pg_values_add'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pt_values_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'pt_pg_values_combine'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pt_values_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'pt_pg_values_serialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pt_values_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'pt_pg_values_deserialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION pt_median_final(internal) RETURNS float8
    AS 'MODULE_PATHNAME', 'pt_pg_median_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE pt_median(float8) (
    SFUNC = pt_values_add, STYPE = internal,
    FINALFUNC = pt_median_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = pt_values_combine,
    SERIALFUNC = pt_values_serialize, DESERIALFUNC = pt_values_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE pt_median(float8) IS
    'median';

CREATE FUNCTION pt_made_final(internal) RETURNS float8
    AS 'MODULE_PATHNAME', 'pt_pg_made_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE pt_made(float8) (
    SFUNC = pt_values_add, STYPE = internal,
    FINALFUNC = pt_made_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = pt_values_combine,
    SERIALFUNC = pt_values_serialize, DESERIALFUNC = pt_values_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE pt_made(float8) IS
    'MADe = 1.483 median |x - median| (ISO 13528 C.2.2)';

CREATE FUNCTION pt_niqr_final(internal) RETURNS float8
    AS 'MODULE_PATHNAME', 'pt_pg_niqr_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE pt_niqr(float8) (
    SFUNC = pt_values_add, STYPE = internal,
    FINALFUNC = pt_niqr_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = pt_values_combine,
    SERIALFUNC = pt_values_serialize, DESERIALFUNC = pt_values_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE pt_niqr(float8) IS
    'nIQR = 0.7413 (Q3 - Q1), type-7 quartiles (ISO 13528 C.2.3); NULL under 2 values';

CREATE FUNCTION pt_alga_x_final(internal) RETURNS float8
    AS 'MODULE_PATHNAME', 'pt_pg_alga_x_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE pt_alga_x(float8) (
    SFUNC = pt_values_add, STYPE = internal,
    FINALFUNC = pt_alga_x_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = pt_values_combine,
    SERIALFUNC = pt_values_serialize, DESERIALFUNC = pt_values_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE pt_alga_x(float8) IS
    'Algorithm A robust mean x* (ISO 13528 C.3.1); NULL under 3 values or when all are equal';

CREATE FUNCTION pt_alga_s_final(internal) RETURNS float8
    AS 'MODULE_PATHNAME', 'pt_pg_alga_s_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE pt_alga_s(float8) (
    SFUNC = pt_values_add, STYPE = internal,
    FINALFUNC = pt_alga_s_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = pt_values_combine,
    SERIALFUNC = pt_values_serialize, DESERIALFUNC = pt_values_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE pt_alga_s(float8) IS
    'Algorithm A robust standard deviation s* (ISO 13528 C.3.1)';

CREATE FUNCTION pt_alga_u_final(internal) RETURNS float8
    AS 'MODULE_PATHNAME', 'pt_pg_alga_u_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE pt_alga_u(float8) (
    SFUNC = pt_values_add, STYPE = internal,
    FINALFUNC = pt_alga_u_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = pt_values_combine,
    SERIALFUNC = pt_values_serialize, DESERIALFUNC = pt_values_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE pt_alga_u(float8) IS
    'u(x_pt) = 1.25 s*/sqrt(n) of Algorithm A (ISO 13528 7.7.3)';

CREATE FUNCTION pt_qn_final(internal) RETURNS float8
    AS 'MODULE_PATHNAME', 'pt_pg_qn_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE pt_qn(float8) (
    SFUNC = pt_values_add, STYPE = internal,
    FINALFUNC = pt_qn_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = pt_values_combine,
    SERIALFUNC = pt_values_serialize, DESERIALFUNC = pt_values_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE pt_qn(float8) IS
    'Qn (ISO 13528 C.5.2.1); NULL under 2 values';

CREATE FUNCTION pt_qhampel_x_final(internal) RETURNS float8
    AS 'MODULE_PATHNAME', 'pt_pg_qhampel_x_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE pt_qhampel_x(float8) (
    SFUNC = pt_values_add, STYPE = internal,
    FINALFUNC = pt_qhampel_x_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = pt_values_combine,
    SERIALFUNC = pt_values_serialize, DESERIALFUNC = pt_values_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE pt_qhampel_x(float8) IS
    'Q/Hampel x*: Hampel estimate with the Q-method s* (ISO 13528 C.5.4), one value per laboratory';

CREATE FUNCTION pt_qhampel_s_final(internal) RETURNS float8
    AS 'MODULE_PATHNAME', 'pt_pg_qhampel_s_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE pt_qhampel_s(float8) (
    SFUNC = pt_values_add, STYPE = internal,
    FINALFUNC = pt_qhampel_s_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = pt_values_combine,
    SERIALFUNC = pt_values_serialize, DESERIALFUNC = pt_values_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE pt_qhampel_s(float8) IS
    'Q-method s* (ISO 13528 C.5.2.2), one value per laboratory';

CREATE FUNCTION pt_qhampel_u_final(internal) RETURNS float8
    AS 'MODULE_PATHNAME', 'pt_pg_qhampel_u_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE pt_qhampel_u(float8) (
    SFUNC = pt_values_add, STYPE = internal,
    FINALFUNC = pt_qhampel_u_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = pt_values_combine,
    SERIALFUNC = pt_values_serialize, DESERIALFUNC = pt_values_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE pt_qhampel_u(float8) IS
    'u(x_pt) = 1.25 s*/sqrt(n) of Q/Hampel';

-- The same two under the names of the SQLite extension and of
-- `ptlims stats --json` (qmethod_s, hampel_x).
CREATE AGGREGATE pt_qmethod_s(float8) (
    SFUNC = pt_values_add, STYPE = internal,
    FINALFUNC = pt_qhampel_s_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = pt_values_combine,
    SERIALFUNC = pt_values_serialize, DESERIALFUNC = pt_values_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE pt_qmethod_s(float8) IS
    'Q-method s* (ISO 13528 C.5.2.2), one value per laboratory: pt_qhampel_s';
CREATE AGGREGATE pt_hampel_x(float8) (
    SFUNC = pt_values_add, STYPE = internal,
    FINALFUNC = pt_qhampel_x_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = pt_values_combine,
    SERIALFUNC = pt_values_serialize, DESERIALFUNC = pt_values_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE pt_hampel_x(float8) IS
    'Hampel x* of Q/Hampel (ISO 13528 C.5.4), one value per laboratory: pt_qhampel_x';

-- Scores (ISO 13528 clause 9).  NULL when an argument is NULL; an error
-- for a sigma or uncertainty that is not positive.
CREATE FUNCTION pt_z(x float8, xpt float8, sigma float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'pt_pg_z'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pt_z(float8, float8, float8) IS
    'z = (x - x_pt) / sigma_pt';
CREATE FUNCTION pt_zprime(x float8, xpt float8, uxpt float8, sigma float8)
    RETURNS float8
    AS 'MODULE_PATHNAME', 'pt_pg_zprime'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pt_zprime(float8, float8, float8, float8) IS
    'z'' = (x - x_pt) / sqrt(sigma_pt^2 + u(x_pt)^2)';
CREATE FUNCTION pt_zeta(x float8, u float8, xpt float8, uxpt float8)
    RETURNS float8
    AS 'MODULE_PATHNAME', 'pt_pg_zeta'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pt_zeta(float8, float8, float8, float8) IS
    'zeta = (x - x_pt) / sqrt(u(x)^2 + u(x_pt)^2)';
CREATE FUNCTION pt_en(x float8, expanded_u float8, xpt float8, expanded_uxpt float8)
    RETURNS float8
    AS 'MODULE_PATHNAME', 'pt_pg_en'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pt_en(float8, float8, float8, float8) IS
    'En = (x - x_pt) / sqrt(U(x)^2 + U(x_pt)^2)';

-- Classes, as ptlims stores them: 'satisfactory', 'questionable',
-- 'unsatisfactory'.
CREATE FUNCTION pt_class(score float8) RETURNS text
    AS 'MODULE_PATHNAME', 'pt_pg_class_z'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pt_class(float8) IS
    'class of a z, z'' or zeta score: |s| <= 2 satisfactory, < 3 questionable, else unsatisfactory';
CREATE FUNCTION pt_class_z(z float8) RETURNS text
    AS 'MODULE_PATHNAME', 'pt_pg_class_z'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pt_class_z(float8) IS 'class of a z score, as pt_class';
CREATE FUNCTION pt_class_zprime(zprime float8) RETURNS text
    AS 'MODULE_PATHNAME', 'pt_pg_class_z'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pt_class_zprime(float8) IS 'class of a z'' score, as pt_class';
CREATE FUNCTION pt_class_zeta(zeta float8) RETURNS text
    AS 'MODULE_PATHNAME', 'pt_pg_class_z'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pt_class_zeta(float8) IS 'class of a zeta score, as pt_class';
CREATE FUNCTION pt_class_en(en float8, le_one_satisfactory boolean DEFAULT true)
    RETURNS text
    AS 'MODULE_PATHNAME', 'pt_pg_class_en'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pt_class_en(float8, boolean) IS
    'class of an En score: |En| < 1 satisfactory, > 1 unsatisfactory; at exactly 1 as le_one_satisfactory says';
