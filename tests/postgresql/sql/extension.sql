--
-- CREATE EXTENSION ptlims: every object it makes, with its volatility,
-- strictness and parallel safety, and the aggregates' support functions.
--
CREATE EXTENSION ptlims;

SELECT p.proname, pg_get_function_identity_arguments(p.oid) AS args,
       p.prokind, p.provolatile, p.proisstrict, p.proparallel
  FROM pg_proc p
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
  JOIN pg_extension e ON d.refclassid = 'pg_extension'::regclass
                     AND d.refobjid = e.oid
 WHERE e.extname = 'ptlims' AND d.deptype = 'e'
 ORDER BY p.proname, args;

SELECT a.aggfnoid::regproc AS aggregate, a.aggtransfn, a.aggfinalfn,
       a.aggcombinefn, a.aggserialfn, a.aggdeserialfn, a.aggfinalmodify
  FROM pg_aggregate a
 WHERE a.aggfnoid::regproc::text LIKE 'pt\_%'
 ORDER BY 1;
