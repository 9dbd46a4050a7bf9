-- ptlims schema 007: the conformity table's check on its verdict written
-- as comparisons.
--
-- SQLite evaluates a CHECK of the form `x IN (a, b, c)` with three or more
-- constants by building a temporary index of the list, once per row
-- written; for conformity, one row a result, that cost as much as the
-- insert itself.  The same rule as comparisons costs nothing.  The table
-- is rebuilt with its rows as they are (no other table refers to it).
CREATE TABLE conformity_007 (
    result_id   INTEGER PRIMARY KEY REFERENCES result (id),
    limit_id    INTEGER REFERENCES limit_spec (id),
    limit_value REAL,  -- the limit in force for this result (canonical)
    threshold   REAL,  -- the value beyond which the result fails
    verdict     TEXT NOT NULL CHECK (verdict = 'conforms' OR
                verdict = 'does not conform' OR verdict = 'not assessed'),
    near_limit  INTEGER NOT NULL DEFAULT 0,
    rule        TEXT NOT NULL
);
INSERT INTO conformity_007 (result_id, limit_id, limit_value, threshold,
                            verdict, near_limit, rule)
SELECT result_id, limit_id, limit_value, threshold, verdict, near_limit, rule
FROM conformity ORDER BY result_id;
DROP TABLE conformity;
ALTER TABLE conformity_007 RENAME TO conformity;
