-- ptlims schema 15: a corrective action as ISO/IEC 17025 7.10 and 8.7 ask
-- for it.
--
-- Besides cause and action, an action records its CAR number, the impact
-- on results already issued, and the check that it was effective: when
-- it was made and what it found.  An action may answer a gap in the
-- participation plan instead of a result: plan_id names the plan row
-- (sub-discipline) and plan_year the year or cycle that fell short.
ALTER TABLE corrective_action ADD COLUMN car_no TEXT;
ALTER TABLE corrective_action ADD COLUMN impact TEXT;
ALTER TABLE corrective_action ADD COLUMN effectiveness TEXT;
ALTER TABLE corrective_action ADD COLUMN effective_on TEXT;
ALTER TABLE corrective_action ADD COLUMN effective TEXT
    CHECK (effective IS NULL OR effective = 'effective' OR
           effective = 'not effective');
ALTER TABLE corrective_action ADD COLUMN plan_id INTEGER
    REFERENCES pt_plan (id);
ALTER TABLE corrective_action ADD COLUMN plan_year INTEGER;

CREATE INDEX corrective_action_plan ON corrective_action (plan_id);
