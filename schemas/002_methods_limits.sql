-- ptlims schema v2: test methods with their precision, product and safety
-- limits, and the conditions recorded with a result.  Limits and precision
-- are data with their standard, edition and source, never code: a row whose
-- `status` is 'unverified' was not found in a primary text, and 'missing'
-- rows hold a method whose equations are still to be entered.

CREATE TABLE method (
    id        INTEGER PRIMARY KEY,
    code      TEXT NOT NULL UNIQUE,   -- 'ASTM D5453'
    scheme    TEXT NOT NULL,          -- plug-in id
    principle TEXT NOT NULL,          -- 'UV fluorescence'
    edition   TEXT,                   -- NULL: not stated by the source
    unit      TEXT NOT NULL,          -- unit of X in the scope and equations
    scope_min REAL,
    scope_max REAL,
    status    TEXT NOT NULL CHECK (status IN ('published', 'unverified',
                                              'missing')),
    source    TEXT NOT NULL
);

-- Repeatability r = ra (X + rb)^rc and reproducibility
-- R = Ra (X + Rb)^Rc (columns repeat_* and reprod_*), X the mean of two
-- results in the method's unit; a row applies for x_from <= X < x_to
-- (NULL: unbounded), so a piecewise statement's boundary is explicit.
CREATE TABLE method_precision (
    id        INTEGER PRIMARY KEY,
    method_id INTEGER NOT NULL REFERENCES method (id),
    x_from    REAL,
    x_to      REAL,
    repeat_a REAL,
    repeat_b REAL NOT NULL DEFAULT 0,
    repeat_c REAL NOT NULL DEFAULT 1,
    reprod_a REAL,
    reprod_b REAL NOT NULL DEFAULT 0,
    reprod_c REAL NOT NULL DEFAULT 1
);

-- A limit in force: the value (with an alternative and a rule for
-- "whichever is greater"), per kW with a cap where the standard says so.
CREATE TABLE limit_spec (
    id             INTEGER PRIMARY KEY,
    scheme         TEXT NOT NULL,
    measurand      TEXT NOT NULL,
    category       TEXT NOT NULL,  -- product, or appliance class and kind
    kind           TEXT NOT NULL DEFAULT 'max' CHECK (kind IN ('max', 'min')),
    value          REAL,
    unit           TEXT NOT NULL,  -- 'mg/kg', 'mA', 'mA/kW', '%'
    alt_value      REAL,
    alt_unit       TEXT,
    alt_rule       TEXT CHECK (alt_rule IN ('greater', 'lesser')),
    cap            REAL,           -- upper bound of a per-kW limit
    standard       TEXT NOT NULL,
    edition        TEXT,
    clause         TEXT,
    effective_from TEXT,
    effective_to   TEXT,
    status         TEXT NOT NULL CHECK (status IN ('published',
                                                   'unverified')),
    source         TEXT NOT NULL
);

-- Conditions recorded with a result (rated voltage, appliance class, …),
-- as the scheme's plug-in declares them.
CREATE TABLE result_condition (
    result_id INTEGER NOT NULL REFERENCES result (id),
    name      TEXT NOT NULL,
    value     TEXT NOT NULL,
    PRIMARY KEY (result_id, name)
);

-- Warnings found on import (method outside its scope, …), kept with the
-- result for the assessor.
CREATE TABLE result_warning (
    id        INTEGER PRIMARY KEY,
    result_id INTEGER NOT NULL REFERENCES result (id),
    message   TEXT NOT NULL
);

-- Each result against the limit in force (ISO 4259-2 where the method has
-- a reproducibility R: it fails only beyond A + 0.59 R; otherwise against
-- the limit itself), with a flag when it sits near the limit.
CREATE TABLE conformity (
    result_id   INTEGER PRIMARY KEY REFERENCES result (id),
    limit_id    INTEGER REFERENCES limit_spec (id),
    limit_value REAL,  -- the limit in force for this result (canonical)
    threshold   REAL,  -- the value beyond which the result fails
    verdict     TEXT NOT NULL CHECK (verdict IN ('conforms',
                'does not conform', 'not assessed')),
    near_limit  INTEGER NOT NULL DEFAULT 0,
    rule        TEXT NOT NULL
);

-- matrix: product of the round (limits); estimator: 'algorithm-a' or
-- 'q-hampel' for a consensus; sigma_pt_method: σ_pt = R(x_pt)/2.77 of that
-- method; override_reason: why the scheme's choice of scoring was
-- overridden.
ALTER TABLE round_measurand ADD COLUMN matrix TEXT;
ALTER TABLE round_measurand ADD COLUMN estimator TEXT;
ALTER TABLE round_measurand ADD COLUMN sigma_pt_method TEXT;
ALTER TABLE round_measurand ADD COLUMN override_reason TEXT;
ALTER TABLE evaluation ADD COLUMN choice TEXT;

INSERT INTO method (code, scheme, principle, edition, unit, scope_min,
                    scope_max, status, source) VALUES
 ('ASTM D5453', 'fuel-sulfur', 'UV fluorescence', NULL, 'mg/kg', 1, 8000,
  'published', 'ASTM D5453 precision statement as transcribed in public ' ||
  'sources; edition not stated there'),
 ('ISO 20846', 'fuel-sulfur', 'UV fluorescence', NULL, 'mg/kg', 3, 500,
  'missing', 'scope from ISO 20846; precision not yet entered'),
 ('NIEA A446.72C', 'fuel-sulfur', 'UV fluorescence', NULL, 'mg/kg', NULL,
  NULL, 'missing', 'Taiwan EPA method; scope and precision not yet entered'),
 ('ASTM D2622', 'fuel-sulfur', 'WDXRF', NULL, 'mg/kg', 3, 46000,
  'missing', 'scope 3 mg/kg to 4.6 %; precision not yet entered'),
 ('ISO 20884', 'fuel-sulfur', 'WDXRF', NULL, 'mg/kg', 5, 500, 'missing',
  'scope from ISO 20884; precision not yet entered'),
 ('ASTM D4294', 'fuel-sulfur', 'EDXRF', 'older edition', '% m/m', 0.015, 5,
  'published', 'ASTM D4294 (older edition) precision as transcribed in ' ||
  'public sources; newer editions differ [unverified]'),
 ('ISO 8754', 'fuel-sulfur', 'EDXRF', NULL, '% m/m', 0.03, 5, 'missing',
  'scope from ISO 8754; precision not yet entered'),
 ('ISO 20847', 'fuel-sulfur', 'EDXRF', NULL, 'mg/kg', 30, 500, 'missing',
  'scope from ISO 20847; precision not yet entered'),
 ('ASTM D7039', 'fuel-sulfur', 'MWDXRF', NULL, 'mg/kg', 3.2, 2822,
  'missing', 'scope from ASTM D7039; precision not yet entered');

-- D5453: the two branches disagree at 400 mg/kg; X >= 400 uses the linear
-- branch (the row with x_from = 400).
INSERT INTO method_precision (method_id, x_from, x_to, repeat_a, repeat_b,
                              repeat_c, reprod_a, reprod_b, reprod_c)
 SELECT id, NULL, 400, 0.1788, 0, 0.75, 0.5797, 0, 0.75 FROM method
  WHERE code = 'ASTM D5453'
 UNION ALL
 SELECT id, 400, NULL, 0.02902, 0, 1, 0.1267, 0, 1 FROM method
  WHERE code = 'ASTM D5453'
 UNION ALL
 SELECT id, NULL, NULL, 0.02894, 0.1691, 1, 0.1215, 0.05555, 1 FROM method
  WHERE code = 'ASTM D4294';

INSERT INTO limit_spec (scheme, measurand, category, value, unit, alt_value,
                        alt_unit, alt_rule, cap, standard, edition, clause,
                        effective_from, effective_to, status, source) VALUES
 ('fuel-sulfur', 'sulfur', 'diesel', 10, 'mg/kg', NULL, NULL, NULL, NULL,
  'Taiwan motor-fuel sulfur limit', NULL, NULL, '2011-07-01', NULL,
  'published', 'Taiwan regulation as summarised in public sources'),
 ('fuel-sulfur', 'sulfur', 'gasoline', 10, 'mg/kg', NULL, NULL, NULL, NULL,
  'Taiwan motor-fuel sulfur limit', NULL, NULL, '2012-01-01', NULL,
  'published', 'Taiwan regulation as summarised in public sources'),
 ('fuel-sulfur', 'sulfur', 'fuel oil, low sulfur', 5000, 'mg/kg', NULL,
  NULL, NULL, NULL, 'CNS 1472', NULL, NULL, NULL, NULL, 'published',
  'CNS 1472 low-sulfur grades (0.5 % m/m)'),
 ('fuel-sulfur', 'sulfur', 'fuel oil', 10000, 'mg/kg', NULL, NULL, NULL,
  NULL, 'CNS 1472', NULL, NULL, NULL, NULL, 'published',
  'CNS 1472 (1.0 % m/m)'),
 ('fuel-sulfur', 'sulfur', 'marine fuel', 5000, 'mg/kg', NULL, NULL, NULL,
  NULL, 'Taiwan international ports', NULL, NULL, '2019-01-01', NULL,
  'published', '0.5 % m/m in the international ports since 2019-01-01'),
 ('dehumidifier', 'leakage_current', 'class II', 0.25, 'mA', NULL, NULL,
  NULL, NULL, 'IEC/CNS 60335-1', NULL, '13.2, 16.2', NULL, NULL,
  'published', 'IEC 60335-1 leakage current limits'),
 ('dehumidifier', 'leakage_current', 'class 0, 0I, III', 0.5, 'mA', NULL,
  NULL, NULL, NULL, 'IEC/CNS 60335-1', NULL, '13.2, 16.2', NULL, NULL,
  'published', 'IEC 60335-1 leakage current limits'),
 ('dehumidifier', 'leakage_current', 'class I portable', 0.75, 'mA', NULL,
  NULL, NULL, NULL, 'IEC/CNS 60335-1', NULL, '13.2, 16.2', NULL, NULL,
  'published', 'IEC 60335-1 leakage current limits'),
 ('dehumidifier', 'leakage_current', 'class I stationary motor-operated',
  3.5, 'mA', NULL, NULL, NULL, NULL, 'IEC/CNS 60335-1', NULL, '13.2, 16.2',
  NULL, NULL, 'published', 'IEC 60335-1 leakage current limits'),
 ('dehumidifier', 'leakage_current', 'class I stationary heating', 0.75,
  'mA', 0.75, 'mA/kW', 'greater', 5, 'IEC/CNS 60335-1', NULL, '13.2, 16.2',
  NULL, NULL, 'published',
  'IEC 60335-1: 0.75 mA or 0.75 mA/kW, whichever is greater, max 5 mA'),
 ('dehumidifier', 'leakage_current', 'class I stationary (60335-2-40)',
  NULL, 'mA', 2, 'mA/kW', 'greater', 10, 'IEC/CNS 60335-2-40', NULL,
  '13.2, 16.2', NULL, NULL, 'unverified',
  '60335-2-40: 2 mA/kW, max 10 mA (public access) [edition unverified]'),
 ('dehumidifier', 'power_input', 'motor-operated, rated <= 300 W', 20, '%',
  NULL, NULL, NULL, NULL, 'IEC/CNS 60335-1', NULL, '10.1 Table 1', NULL,
  NULL, 'unverified', 'IEC 60335-1 Table 1 as summarised [unverified]'),
 ('dehumidifier', 'power_input', 'motor-operated, rated > 300 W', 15, '%',
  60, 'W', 'greater', NULL, 'IEC/CNS 60335-1', NULL, '10.1 Table 1', NULL,
  NULL, 'unverified',
  'IEC 60335-1 Table 1: +15 % or +60 W, whichever is greater [unverified]');
