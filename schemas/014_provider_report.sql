-- ptlims schema 14: the provider's report, kept beside the recomputation.
--
-- An assessor audits the laboratory's PT record against the provider's
-- own report.  The round keeps that report's number and date; each
-- measurand (and item, where the provider gave an item its own values)
-- keeps the provider's x_pt, u(x_pt) and sigma_pt; each result keeps the
-- score the provider reported for it and which score it is.  The numbers
-- are kept as text exactly as reported: their decimals are the
-- resolution that an agreement with the recomputed value is judged at.
ALTER TABLE round ADD COLUMN report_no TEXT;
ALTER TABLE round ADD COLUMN report_date TEXT;

ALTER TABLE result ADD COLUMN official_score TEXT;
ALTER TABLE result ADD COLUMN official_kind TEXT
    CHECK (official_kind IS NULL OR official_kind = 'z' OR
           official_kind = 'z''' OR official_kind = 'zeta' OR
           official_kind = 'En');

-- item '' gives the values of every item of the measurand
CREATE TABLE round_official (
    id        INTEGER PRIMARY KEY,
    round_id  INTEGER NOT NULL REFERENCES round (id),
    measurand TEXT NOT NULL,
    item      TEXT NOT NULL DEFAULT '',
    x_pt      TEXT,
    u_x_pt    TEXT,
    sigma_pt  TEXT,
    UNIQUE (round_id, measurand, item)
);

CREATE TRIGGER round_official_closed_insert BEFORE INSERT ON round_official
WHEN (SELECT status FROM round WHERE id = NEW.round_id) = 'closed'
BEGIN
    SELECT RAISE(ABORT, 'round is closed');
END;

CREATE TRIGGER round_official_closed_update BEFORE UPDATE ON round_official
WHEN (SELECT status FROM round WHERE id = OLD.round_id) = 'closed'
BEGIN
    SELECT RAISE(ABORT, 'round is closed');
END;

CREATE TRIGGER round_official_closed_delete BEFORE DELETE ON round_official
WHEN (SELECT status FROM round WHERE id = OLD.round_id) = 'closed'
BEGIN
    SELECT RAISE(ABORT, 'round is closed');
END;

-- reopening still changes nothing but the status, the report included
DROP TRIGGER round_closed_update;

CREATE TRIGGER round_closed_update BEFORE UPDATE ON round
WHEN OLD.status = 'closed' AND NOT (
    NEW.status = 'open' AND NEW.id IS OLD.id AND NEW.code IS OLD.code
    AND NEW.scheme_id IS OLD.scheme_id AND NEW.type IS OLD.type
    AND NEW.title IS OLD.title AND NEW.provider IS OLD.provider
    AND NEW.provider_accreditation IS OLD.provider_accreditation
    AND NEW.opened IS OLD.opened AND NEW.closed IS OLD.closed
    AND NEW.reference_lab_id IS OLD.reference_lab_id
    AND NEW.report_no IS OLD.report_no
    AND NEW.report_date IS OLD.report_date
    AND pt_reopening(OLD.id))
BEGIN
    SELECT RAISE(ABORT, 'round is closed');
END;
