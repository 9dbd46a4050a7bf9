-- ptlims schema 011: a closed round can be reopened, and nothing else.
--
-- Schema 004 made a closed round immutable, its own row included, so a
-- mistake found after closing could never be put right.  Reopening is
-- now the one change a closed round's row accepts: its status goes back
-- to 'open' and every other column stays as it is.  ptlims reopens a
-- round only with a reason, sealed and chained in the audit log like
-- every other operation (ptlims reopen), and while it is open again its
-- results, settings and evaluation can change as before; closing it
-- again needs a fresh evaluation.  pt_reopening() (engine/store/pt_sqlfn.h)
-- is 1 only while the engine's own reopen runs on the connection, so an
-- UPDATE from elsewhere is refused as before.  The trigger keeps its
-- name, which `ptlims verify` checks.
DROP TRIGGER round_closed_update;

CREATE TRIGGER round_closed_update BEFORE UPDATE ON round
WHEN OLD.status = 'closed' AND NOT (
    NEW.status = 'open' AND NEW.id IS OLD.id AND NEW.code IS OLD.code
    AND NEW.scheme_id IS OLD.scheme_id AND NEW.type IS OLD.type
    AND NEW.title IS OLD.title AND NEW.provider IS OLD.provider
    AND NEW.provider_accreditation IS OLD.provider_accreditation
    AND NEW.opened IS OLD.opened AND NEW.closed IS OLD.closed
    AND NEW.reference_lab_id IS OLD.reference_lab_id
    AND pt_reopening(OLD.id))
BEGIN
    SELECT RAISE(ABORT, 'round is closed');
END;
