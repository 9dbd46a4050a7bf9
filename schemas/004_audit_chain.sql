-- ptlims schema 004: a tamper-evident audit log (issue 7).
--
-- Every entry of audit_log is chained: hash = SHA-256 of the previous
-- entry's hash, "|" and the entry's canonical text (audit_chain_text: its
-- id, time, action, detail, and for a row change the table, row id and a
-- canonical serialisation of the row; each text is length-prefixed so no
-- two entries read alike).  The hash is filled in by a trigger right after
-- the insert, whoever inserted the entry; sha256() is an application
-- function that ptlims registers on every connection it opens, so a plain
-- sqlite3 connection cannot change the recorded tables without first
-- dropping the triggers -- and `ptlims verify` reports that too.
--
-- Row changes of laboratory, round, round_measurand, result, evaluation
-- and score are logged by triggers with the row as the views
-- audit_row_<table> serialise it: {"column":value,...}, each value as
-- SQLite's quote() writes it (exact for reals, type-preserving).  A later
-- migration that adds a column to one of these tables must recreate its
-- view (the triggers read the view).
--
-- Closed rounds: besides their results (001), their measurands,
-- evaluations and scores cannot change, and a closed round cannot be
-- reopened, changed or removed.  Existing rows are logged once as
-- "baseline" entries so that verify can compare every row with its last
-- entry.

ALTER TABLE audit_log ADD COLUMN tbl TEXT;      -- changed table, or NULL
ALTER TABLE audit_log ADD COLUMN row_id INTEGER; -- its row id
ALTER TABLE audit_log ADD COLUMN row_data TEXT; -- row after the change
                                                -- (NULL: deleted)
ALTER TABLE audit_log ADD COLUMN hash TEXT;     -- chain, hex SHA-256

CREATE INDEX audit_log_row ON audit_log (tbl, row_id, id);

CREATE VIEW audit_chain_text AS
SELECT id,
       id || '|' || length(at) || ':' || at || '|' ||
       length(action) || ':' || action || '|' ||
       length(detail) || ':' || detail || '|' ||
       coalesce(length(tbl) || ':' || tbl, '-') || '|' ||
       coalesce(row_id, '-') || '|' ||
       coalesce(length(row_data) || ':' || row_data, '-') AS text
FROM audit_log;

-- entries written before this migration, chained in id order
CREATE TEMP TABLE audit_chain_init AS
WITH RECURSIVE
    o (n, id) AS (SELECT row_number() OVER (ORDER BY id), id FROM audit_log),
    c (n, id, h) AS (
        SELECT 0, 0, ''
        UNION ALL
        SELECT o.n, o.id,
               sha256(c.h || '|' ||
                      (SELECT text FROM audit_chain_text t WHERE t.id = o.id))
        FROM c JOIN o ON o.n = c.n + 1)
SELECT id, h FROM c WHERE n > 0;

DROP TRIGGER audit_log_no_update;
UPDATE audit_log
SET hash = (SELECT h FROM audit_chain_init i WHERE i.id = audit_log.id);
DROP TABLE audit_chain_init;

-- The only update ever allowed: filling in the hash of a new entry.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN OLD.hash IS NOT NULL OR NEW.hash IS NULL OR NEW.id IS NOT OLD.id
     OR NEW.at IS NOT OLD.at OR NEW.action IS NOT OLD.action
     OR NEW.detail IS NOT OLD.detail OR NEW.tbl IS NOT OLD.tbl
     OR NEW.row_id IS NOT OLD.row_id OR NEW.row_data IS NOT OLD.row_data
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_chain AFTER INSERT ON audit_log
WHEN NEW.hash IS NULL
BEGIN
    UPDATE audit_log
    SET hash = sha256(
        coalesce((SELECT hash FROM audit_log WHERE id < NEW.id
                  ORDER BY id DESC LIMIT 1), '') || '|' ||
        (SELECT text FROM audit_chain_text WHERE id = NEW.id))
    WHERE id = NEW.id;
END;

CREATE VIEW audit_row_laboratory AS
SELECT id,
       '{"id":' || quote(id) ||
       ',"code":' || quote(code) ||
       ',"name":' || quote(name) ||
       ',"name_zh":' || quote(name_zh) ||
       ',"role":' || quote(role) ||
       ',"accreditation":' || quote(accreditation) || '}' AS data
FROM laboratory;

CREATE TRIGGER audit_laboratory_insert AFTER INSERT ON laboratory
BEGIN
    INSERT INTO audit_log (at, action, detail, tbl, row_id, row_data)
    SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'insert', 'laboratory ' || id,
           'laboratory', id, data
    FROM audit_row_laboratory WHERE id = NEW.id;
END;

CREATE TRIGGER audit_laboratory_update AFTER UPDATE ON laboratory
BEGIN
    INSERT INTO audit_log (at, action, detail, tbl, row_id, row_data)
    SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'update',
           'laboratory ' || NEW.id || ':' ||
        CASE WHEN OLD.id IS NOT NEW.id THEN ' id' ELSE '' END ||
        CASE WHEN OLD.code IS NOT NEW.code THEN ' code' ELSE '' END ||
        CASE WHEN OLD.name IS NOT NEW.name THEN ' name' ELSE '' END ||
        CASE WHEN OLD.name_zh IS NOT NEW.name_zh THEN ' name_zh' ELSE '' END ||
        CASE WHEN OLD.role IS NOT NEW.role THEN ' role' ELSE '' END ||
        CASE WHEN OLD.accreditation IS NOT NEW.accreditation THEN ' accreditation' ELSE '' END,
           'laboratory', NEW.id, data
    FROM audit_row_laboratory WHERE id = NEW.id;
END;

CREATE TRIGGER audit_laboratory_delete AFTER DELETE ON laboratory
BEGIN
    INSERT INTO audit_log (at, action, detail, tbl, row_id, row_data)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'delete',
            'laboratory ' || OLD.id, 'laboratory', OLD.id, NULL);
END;

CREATE VIEW audit_row_round AS
SELECT id,
       '{"id":' || quote(id) ||
       ',"code":' || quote(code) ||
       ',"scheme_id":' || quote(scheme_id) ||
       ',"type":' || quote(type) ||
       ',"title":' || quote(title) ||
       ',"provider":' || quote(provider) ||
       ',"provider_accreditation":' || quote(provider_accreditation) ||
       ',"opened":' || quote(opened) ||
       ',"closed":' || quote(closed) ||
       ',"reference_lab_id":' || quote(reference_lab_id) ||
       ',"status":' || quote(status) || '}' AS data
FROM round;

CREATE TRIGGER audit_round_insert AFTER INSERT ON round
BEGIN
    INSERT INTO audit_log (at, action, detail, tbl, row_id, row_data)
    SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'insert', 'round ' || id,
           'round', id, data
    FROM audit_row_round WHERE id = NEW.id;
END;

CREATE TRIGGER audit_round_update AFTER UPDATE ON round
BEGIN
    INSERT INTO audit_log (at, action, detail, tbl, row_id, row_data)
    SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'update',
           'round ' || NEW.id || ':' ||
        CASE WHEN OLD.id IS NOT NEW.id THEN ' id' ELSE '' END ||
        CASE WHEN OLD.code IS NOT NEW.code THEN ' code' ELSE '' END ||
        CASE WHEN OLD.scheme_id IS NOT NEW.scheme_id THEN ' scheme_id' ELSE '' END ||
        CASE WHEN OLD.type IS NOT NEW.type THEN ' type' ELSE '' END ||
        CASE WHEN OLD.title IS NOT NEW.title THEN ' title' ELSE '' END ||
        CASE WHEN OLD.provider IS NOT NEW.provider THEN ' provider' ELSE '' END ||
        CASE WHEN OLD.provider_accreditation IS NOT NEW.provider_accreditation THEN ' provider_accreditation' ELSE '' END ||
        CASE WHEN OLD.opened IS NOT NEW.opened THEN ' opened' ELSE '' END ||
        CASE WHEN OLD.closed IS NOT NEW.closed THEN ' closed' ELSE '' END ||
        CASE WHEN OLD.reference_lab_id IS NOT NEW.reference_lab_id THEN ' reference_lab_id' ELSE '' END ||
        CASE WHEN OLD.status IS NOT NEW.status THEN ' status' ELSE '' END,
           'round', NEW.id, data
    FROM audit_row_round WHERE id = NEW.id;
END;

CREATE TRIGGER audit_round_delete AFTER DELETE ON round
BEGIN
    INSERT INTO audit_log (at, action, detail, tbl, row_id, row_data)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'delete',
            'round ' || OLD.id, 'round', OLD.id, NULL);
END;

CREATE VIEW audit_row_round_measurand AS
SELECT id,
       '{"id":' || quote(id) ||
       ',"round_id":' || quote(round_id) ||
       ',"measurand":' || quote(measurand) ||
       ',"unit":' || quote(unit) ||
       ',"assigned":' || quote(assigned) ||
       ',"x_pt":' || quote(x_pt) ||
       ',"u_x_pt":' || quote(u_x_pt) ||
       ',"sigma_pt":' || quote(sigma_pt) ||
       ',"sigma_pt_basis":' || quote(sigma_pt_basis) ||
       ',"matrix":' || quote(matrix) ||
       ',"estimator":' || quote(estimator) ||
       ',"sigma_pt_method":' || quote(sigma_pt_method) ||
       ',"override_reason":' || quote(override_reason) || '}' AS data
FROM round_measurand;

CREATE TRIGGER audit_round_measurand_insert AFTER INSERT ON round_measurand
BEGIN
    INSERT INTO audit_log (at, action, detail, tbl, row_id, row_data)
    SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'insert', 'round_measurand ' || id,
           'round_measurand', id, data
    FROM audit_row_round_measurand WHERE id = NEW.id;
END;

CREATE TRIGGER audit_round_measurand_update AFTER UPDATE ON round_measurand
BEGIN
    INSERT INTO audit_log (at, action, detail, tbl, row_id, row_data)
    SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'update',
           'round_measurand ' || NEW.id || ':' ||
        CASE WHEN OLD.id IS NOT NEW.id THEN ' id' ELSE '' END ||
        CASE WHEN OLD.round_id IS NOT NEW.round_id THEN ' round_id' ELSE '' END ||
        CASE WHEN OLD.measurand IS NOT NEW.measurand THEN ' measurand' ELSE '' END ||
        CASE WHEN OLD.unit IS NOT NEW.unit THEN ' unit' ELSE '' END ||
        CASE WHEN OLD.assigned IS NOT NEW.assigned THEN ' assigned' ELSE '' END ||
        CASE WHEN OLD.x_pt IS NOT NEW.x_pt THEN ' x_pt' ELSE '' END ||
        CASE WHEN OLD.u_x_pt IS NOT NEW.u_x_pt THEN ' u_x_pt' ELSE '' END ||
        CASE WHEN OLD.sigma_pt IS NOT NEW.sigma_pt THEN ' sigma_pt' ELSE '' END ||
        CASE WHEN OLD.sigma_pt_basis IS NOT NEW.sigma_pt_basis THEN ' sigma_pt_basis' ELSE '' END ||
        CASE WHEN OLD.matrix IS NOT NEW.matrix THEN ' matrix' ELSE '' END ||
        CASE WHEN OLD.estimator IS NOT NEW.estimator THEN ' estimator' ELSE '' END ||
        CASE WHEN OLD.sigma_pt_method IS NOT NEW.sigma_pt_method THEN ' sigma_pt_method' ELSE '' END ||
        CASE WHEN OLD.override_reason IS NOT NEW.override_reason THEN ' override_reason' ELSE '' END,
           'round_measurand', NEW.id, data
    FROM audit_row_round_measurand WHERE id = NEW.id;
END;

CREATE TRIGGER audit_round_measurand_delete AFTER DELETE ON round_measurand
BEGIN
    INSERT INTO audit_log (at, action, detail, tbl, row_id, row_data)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'delete',
            'round_measurand ' || OLD.id, 'round_measurand', OLD.id, NULL);
END;

CREATE VIEW audit_row_result AS
SELECT id,
       '{"id":' || quote(id) ||
       ',"round_id":' || quote(round_id) ||
       ',"lab_id":' || quote(lab_id) ||
       ',"measurand":' || quote(measurand) ||
       ',"item":' || quote(item) ||
       ',"value_text":' || quote(value_text) ||
       ',"unit_text":' || quote(unit_text) ||
       ',"value":' || quote(value) ||
       ',"U_text":' || quote(U_text) ||
       ',"U":' || quote(U) ||
       ',"k":' || quote(k) ||
       ',"method":' || quote(method) ||
       ',"instrument":' || quote(instrument) ||
       ',"analyst":' || quote(analyst) ||
       ',"tested_on":' || quote(tested_on) ||
       ',"remarks":' || quote(remarks) ||
       ',"version":' || quote(version) ||
       ',"reason":' || quote(reason) ||
       ',"source":' || quote(source) || '}' AS data
FROM result;

CREATE TRIGGER audit_result_insert AFTER INSERT ON result
BEGIN
    INSERT INTO audit_log (at, action, detail, tbl, row_id, row_data)
    SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'insert', 'result ' || id,
           'result', id, data
    FROM audit_row_result WHERE id = NEW.id;
END;

CREATE TRIGGER audit_result_update AFTER UPDATE ON result
BEGIN
    INSERT INTO audit_log (at, action, detail, tbl, row_id, row_data)
    SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'update',
           'result ' || NEW.id || ':' ||
        CASE WHEN OLD.id IS NOT NEW.id THEN ' id' ELSE '' END ||
        CASE WHEN OLD.round_id IS NOT NEW.round_id THEN ' round_id' ELSE '' END ||
        CASE WHEN OLD.lab_id IS NOT NEW.lab_id THEN ' lab_id' ELSE '' END ||
        CASE WHEN OLD.measurand IS NOT NEW.measurand THEN ' measurand' ELSE '' END ||
        CASE WHEN OLD.item IS NOT NEW.item THEN ' item' ELSE '' END ||
        CASE WHEN OLD.value_text IS NOT NEW.value_text THEN ' value_text' ELSE '' END ||
        CASE WHEN OLD.unit_text IS NOT NEW.unit_text THEN ' unit_text' ELSE '' END ||
        CASE WHEN OLD.value IS NOT NEW.value THEN ' value' ELSE '' END ||
        CASE WHEN OLD.U_text IS NOT NEW.U_text THEN ' U_text' ELSE '' END ||
        CASE WHEN OLD.U IS NOT NEW.U THEN ' U' ELSE '' END ||
        CASE WHEN OLD.k IS NOT NEW.k THEN ' k' ELSE '' END ||
        CASE WHEN OLD.method IS NOT NEW.method THEN ' method' ELSE '' END ||
        CASE WHEN OLD.instrument IS NOT NEW.instrument THEN ' instrument' ELSE '' END ||
        CASE WHEN OLD.analyst IS NOT NEW.analyst THEN ' analyst' ELSE '' END ||
        CASE WHEN OLD.tested_on IS NOT NEW.tested_on THEN ' tested_on' ELSE '' END ||
        CASE WHEN OLD.remarks IS NOT NEW.remarks THEN ' remarks' ELSE '' END ||
        CASE WHEN OLD.version IS NOT NEW.version THEN ' version' ELSE '' END ||
        CASE WHEN OLD.reason IS NOT NEW.reason THEN ' reason' ELSE '' END ||
        CASE WHEN OLD.source IS NOT NEW.source THEN ' source' ELSE '' END,
           'result', NEW.id, data
    FROM audit_row_result WHERE id = NEW.id;
END;

CREATE TRIGGER audit_result_delete AFTER DELETE ON result
BEGIN
    INSERT INTO audit_log (at, action, detail, tbl, row_id, row_data)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'delete',
            'result ' || OLD.id, 'result', OLD.id, NULL);
END;

CREATE VIEW audit_row_evaluation AS
SELECT id,
       '{"id":' || quote(id) ||
       ',"round_id":' || quote(round_id) ||
       ',"measurand":' || quote(measurand) ||
       ',"item":' || quote(item) ||
       ',"n":' || quote(n) ||
       ',"assigned":' || quote(assigned) ||
       ',"x_pt":' || quote(x_pt) ||
       ',"u_x_pt":' || quote(u_x_pt) ||
       ',"sigma_pt":' || quote(sigma_pt) ||
       ',"sigma_pt_basis":' || quote(sigma_pt_basis) ||
       ',"iterations":' || quote(iterations) ||
       ',"reason":' || quote(reason) ||
       ',"engine":' || quote(engine) ||
       ',"choice":' || quote(choice) || '}' AS data
FROM evaluation;

CREATE TRIGGER audit_evaluation_insert AFTER INSERT ON evaluation
BEGIN
    INSERT INTO audit_log (at, action, detail, tbl, row_id, row_data)
    SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'insert', 'evaluation ' || id,
           'evaluation', id, data
    FROM audit_row_evaluation WHERE id = NEW.id;
END;

CREATE TRIGGER audit_evaluation_update AFTER UPDATE ON evaluation
BEGIN
    INSERT INTO audit_log (at, action, detail, tbl, row_id, row_data)
    SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'update',
           'evaluation ' || NEW.id || ':' ||
        CASE WHEN OLD.id IS NOT NEW.id THEN ' id' ELSE '' END ||
        CASE WHEN OLD.round_id IS NOT NEW.round_id THEN ' round_id' ELSE '' END ||
        CASE WHEN OLD.measurand IS NOT NEW.measurand THEN ' measurand' ELSE '' END ||
        CASE WHEN OLD.item IS NOT NEW.item THEN ' item' ELSE '' END ||
        CASE WHEN OLD.n IS NOT NEW.n THEN ' n' ELSE '' END ||
        CASE WHEN OLD.assigned IS NOT NEW.assigned THEN ' assigned' ELSE '' END ||
        CASE WHEN OLD.x_pt IS NOT NEW.x_pt THEN ' x_pt' ELSE '' END ||
        CASE WHEN OLD.u_x_pt IS NOT NEW.u_x_pt THEN ' u_x_pt' ELSE '' END ||
        CASE WHEN OLD.sigma_pt IS NOT NEW.sigma_pt THEN ' sigma_pt' ELSE '' END ||
        CASE WHEN OLD.sigma_pt_basis IS NOT NEW.sigma_pt_basis THEN ' sigma_pt_basis' ELSE '' END ||
        CASE WHEN OLD.iterations IS NOT NEW.iterations THEN ' iterations' ELSE '' END ||
        CASE WHEN OLD.reason IS NOT NEW.reason THEN ' reason' ELSE '' END ||
        CASE WHEN OLD.engine IS NOT NEW.engine THEN ' engine' ELSE '' END ||
        CASE WHEN OLD.choice IS NOT NEW.choice THEN ' choice' ELSE '' END,
           'evaluation', NEW.id, data
    FROM audit_row_evaluation WHERE id = NEW.id;
END;

CREATE TRIGGER audit_evaluation_delete AFTER DELETE ON evaluation
BEGIN
    INSERT INTO audit_log (at, action, detail, tbl, row_id, row_data)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'delete',
            'evaluation ' || OLD.id, 'evaluation', OLD.id, NULL);
END;

CREATE VIEW audit_row_score AS
SELECT id,
       '{"id":' || quote(id) ||
       ',"evaluation_id":' || quote(evaluation_id) ||
       ',"result_id":' || quote(result_id) ||
       ',"D":' || quote(D) ||
       ',"D_pct":' || quote(D_pct) ||
       ',"z":' || quote(z) ||
       ',"z_prime":' || quote(z_prime) ||
       ',"zeta":' || quote(zeta) ||
       ',"En":' || quote(En) ||
       ',"primary_score":' || quote(primary_score) ||
       ',"verdict":' || quote(verdict) || '}' AS data
FROM score;

CREATE TRIGGER audit_score_insert AFTER INSERT ON score
BEGIN
    INSERT INTO audit_log (at, action, detail, tbl, row_id, row_data)
    SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'insert', 'score ' || id,
           'score', id, data
    FROM audit_row_score WHERE id = NEW.id;
END;

CREATE TRIGGER audit_score_update AFTER UPDATE ON score
BEGIN
    INSERT INTO audit_log (at, action, detail, tbl, row_id, row_data)
    SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'update',
           'score ' || NEW.id || ':' ||
        CASE WHEN OLD.id IS NOT NEW.id THEN ' id' ELSE '' END ||
        CASE WHEN OLD.evaluation_id IS NOT NEW.evaluation_id THEN ' evaluation_id' ELSE '' END ||
        CASE WHEN OLD.result_id IS NOT NEW.result_id THEN ' result_id' ELSE '' END ||
        CASE WHEN OLD.D IS NOT NEW.D THEN ' D' ELSE '' END ||
        CASE WHEN OLD.D_pct IS NOT NEW.D_pct THEN ' D_pct' ELSE '' END ||
        CASE WHEN OLD.z IS NOT NEW.z THEN ' z' ELSE '' END ||
        CASE WHEN OLD.z_prime IS NOT NEW.z_prime THEN ' z_prime' ELSE '' END ||
        CASE WHEN OLD.zeta IS NOT NEW.zeta THEN ' zeta' ELSE '' END ||
        CASE WHEN OLD.En IS NOT NEW.En THEN ' En' ELSE '' END ||
        CASE WHEN OLD.primary_score IS NOT NEW.primary_score THEN ' primary_score' ELSE '' END ||
        CASE WHEN OLD.verdict IS NOT NEW.verdict THEN ' verdict' ELSE '' END,
           'score', NEW.id, data
    FROM audit_row_score WHERE id = NEW.id;
END;

CREATE TRIGGER audit_score_delete AFTER DELETE ON score
BEGIN
    INSERT INTO audit_log (at, action, detail, tbl, row_id, row_data)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'delete',
            'score ' || OLD.id, 'score', OLD.id, NULL);
END;

-- every row already recorded, once, as the start of its history
INSERT INTO audit_log (at, action, detail, tbl, row_id, row_data)
SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'baseline', 'laboratory ' || id,
       'laboratory', id, data
FROM audit_row_laboratory ORDER BY id;
INSERT INTO audit_log (at, action, detail, tbl, row_id, row_data)
SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'baseline', 'round ' || id,
       'round', id, data
FROM audit_row_round ORDER BY id;
INSERT INTO audit_log (at, action, detail, tbl, row_id, row_data)
SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'baseline', 'round_measurand ' || id,
       'round_measurand', id, data
FROM audit_row_round_measurand ORDER BY id;
INSERT INTO audit_log (at, action, detail, tbl, row_id, row_data)
SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'baseline', 'result ' || id,
       'result', id, data
FROM audit_row_result ORDER BY id;
INSERT INTO audit_log (at, action, detail, tbl, row_id, row_data)
SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'baseline', 'evaluation ' || id,
       'evaluation', id, data
FROM audit_row_evaluation ORDER BY id;
INSERT INTO audit_log (at, action, detail, tbl, row_id, row_data)
SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'baseline', 'score ' || id,
       'score', id, data
FROM audit_row_score ORDER BY id;

-- A closed round is immutable, with everything that hangs off it.
CREATE TRIGGER round_closed_update BEFORE UPDATE ON round
WHEN OLD.status = 'closed'
BEGIN
    SELECT RAISE(ABORT, 'round is closed');
END;

CREATE TRIGGER round_closed_delete BEFORE DELETE ON round
WHEN OLD.status = 'closed'
BEGIN
    SELECT RAISE(ABORT, 'round is closed');
END;

CREATE TRIGGER round_measurand_closed_insert BEFORE INSERT ON round_measurand
WHEN (SELECT status FROM round WHERE id = NEW.round_id) = 'closed'
BEGIN
    SELECT RAISE(ABORT, 'round is closed');
END;

CREATE TRIGGER round_measurand_closed_update BEFORE UPDATE ON round_measurand
WHEN (SELECT status FROM round WHERE id = OLD.round_id) = 'closed'
BEGIN
    SELECT RAISE(ABORT, 'round is closed');
END;

CREATE TRIGGER round_measurand_closed_delete BEFORE DELETE ON round_measurand
WHEN (SELECT status FROM round WHERE id = OLD.round_id) = 'closed'
BEGIN
    SELECT RAISE(ABORT, 'round is closed');
END;

CREATE TRIGGER evaluation_closed_insert BEFORE INSERT ON evaluation
WHEN (SELECT status FROM round WHERE id = NEW.round_id) = 'closed'
BEGIN
    SELECT RAISE(ABORT, 'round is closed');
END;

CREATE TRIGGER evaluation_closed_update BEFORE UPDATE ON evaluation
WHEN (SELECT status FROM round WHERE id = OLD.round_id) = 'closed'
BEGIN
    SELECT RAISE(ABORT, 'round is closed');
END;

CREATE TRIGGER evaluation_closed_delete BEFORE DELETE ON evaluation
WHEN (SELECT status FROM round WHERE id = OLD.round_id) = 'closed'
BEGIN
    SELECT RAISE(ABORT, 'round is closed');
END;

CREATE TRIGGER score_closed_insert BEFORE INSERT ON score
WHEN (SELECT r.status FROM evaluation e JOIN round r ON r.id = e.round_id
      WHERE e.id = NEW.evaluation_id) = 'closed'
BEGIN
    SELECT RAISE(ABORT, 'round is closed');
END;

CREATE TRIGGER score_closed_update BEFORE UPDATE ON score
WHEN (SELECT r.status FROM evaluation e JOIN round r ON r.id = e.round_id
      WHERE e.id = OLD.evaluation_id) = 'closed'
BEGIN
    SELECT RAISE(ABORT, 'round is closed');
END;

CREATE TRIGGER score_closed_delete BEFORE DELETE ON score
WHEN (SELECT r.status FROM evaluation e JOIN round r ON r.id = e.round_id
      WHERE e.id = OLD.evaluation_id) = 'closed'
BEGIN
    SELECT RAISE(ABORT, 'round is closed');
END;
