-- ptlims schema 009: the state of every table that no seal covers, and of
-- every definition in the schema, kept in the audit chain (issue 17).
--
-- Seals (005) cover laboratories, rounds, their measurands, results and
-- evaluations; the chain covers the audit log and the seals.  From this
-- version every write that changes another table -- corrective actions,
-- the plan, methods and their precision, limits, result conditions,
-- warnings, conformity, the schemes, and any table a later migration
-- adds -- appends an audit-log entry (action 'state', tbl 'state', row_id
-- 0) whose row_data lists, one line per table, its row count, its largest
-- rowid and the sum modulo 2^256 of its rows' SHA-256, and, one line per
-- table, index, view and trigger, the SHA-256 of its SQL text
-- (engine/store/pt_state.c).  The definitions are taken as they are only
-- when ptlims migrates the schema, so a view redefined or a trigger
-- changed through writable_schema stays visible to `ptlims verify`.  The
-- migration itself records the first such entry.
--
-- audit_state lists those entries, newest last.

CREATE VIEW audit_state AS
SELECT id, at, row_data AS state
FROM audit_log
WHERE tbl = 'state' AND row_id = 0;

-- The chain's hash comes from ptlims_chain(prev, text), which ptlims
-- registers on every connection it opens: plain SHA-256 of "prev|text" as
-- before, or HMAC-SHA-256 under the key of the key file the host's
-- configuration names (engine/store/pt_chain.h).  Entries written so far
-- keep their hashes.
DROP TRIGGER audit_log_chain;
CREATE TRIGGER audit_log_chain AFTER INSERT ON audit_log
WHEN NEW.hash IS NULL
BEGIN
    UPDATE audit_log
    SET hash = ptlims_chain(
        coalesce((SELECT hash FROM audit_log WHERE id < NEW.id
                  ORDER BY id DESC LIMIT 1), ''),
        (SELECT text FROM audit_chain_text WHERE id = NEW.id))
    WHERE id = NEW.id;
END;
