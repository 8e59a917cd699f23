DELETE FROM policy_parameters WHERE name IN (
    'retirement_age_men_months', 'retirement_age_women_months', 'voluntary_monthly_return',
    'voluntary_advance_max_months', 'voluntary_lump_sum_max_missing_months'
);
CREATE TABLE policy_parameters_new (
    name TEXT NOT NULL,
    effective_from DATE NOT NULL,
    value BIGINT NOT NULL,
    unit TEXT NOT NULL CHECK (unit IN ('vnd', 'basis_points', 'multiple')),
    legal_basis TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('VL', 'V3', 'V1', 'M')),
    PRIMARY KEY (name, effective_from)
);
INSERT INTO policy_parameters_new SELECT name, effective_from, value, unit, legal_basis, status FROM policy_parameters;
DROP TABLE policy_parameters;
ALTER TABLE policy_parameters_new RENAME TO policy_parameters;
