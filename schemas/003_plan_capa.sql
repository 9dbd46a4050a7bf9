-- ptlims schema v3: the laboratory's proficiency-testing participation plan
-- and the corrective-action register linked to results.
--
-- A plan row is one sub-discipline (technique x property x product) of one
-- laboratory with its risk level and required frequency over a span of
-- years (TAF-CNLA-R05, risk-based after TAF-CNLA-G29).  Actual
-- participation is counted from the results: a round counts for a plan row
-- when the laboratory reported in it a result of the row's scheme, of a
-- measurand beginning with the row's measurand (when given) and by a method
-- beginning with the row's method (when given).

CREATE TABLE pt_plan (
    id        INTEGER PRIMARY KEY,
    lab_id    INTEGER NOT NULL REFERENCES laboratory (id),
    technique TEXT NOT NULL,          -- 'UV fluorescence'
    property  TEXT NOT NULL,          -- 'sulfur content'
    product   TEXT NOT NULL,          -- 'diesel'
    scheme    TEXT NOT NULL,          -- plug-in id the rounds belong to
    measurand TEXT,                   -- prefix of a measurand id, or NULL
    method    TEXT,                   -- prefix of the method text, or NULL
    risk      TEXT NOT NULL CHECK (risk IN ('low', 'medium', 'high')),
    per_year  REAL NOT NULL CHECK (per_year > 0),
    year_from INTEGER NOT NULL,
    year_to   INTEGER NOT NULL CHECK (year_to >= year_from),
    note      TEXT,
    UNIQUE (lab_id, technique, property, product, year_from)
);

-- Corrective actions are tied to the result that triggered them, not to a
-- score: re-evaluating a round replaces its scores, the result stays.
-- score_id (schema v1) is left NULL by this version.
ALTER TABLE corrective_action ADD COLUMN result_id INTEGER
    REFERENCES result (id);
ALTER TABLE corrective_action ADD COLUMN opened TEXT;

CREATE INDEX corrective_action_result ON corrective_action (result_id);
CREATE INDEX pt_plan_lab ON pt_plan (lab_id);
