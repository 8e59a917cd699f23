DELETE FROM policy_parameters WHERE name IN (
    'retirement_age_men_months', 'retirement_age_women_months', 'voluntary_monthly_return',
    'voluntary_advance_max_months', 'voluntary_lump_sum_max_missing_months'
);
ALTER TABLE policy_parameters DROP CONSTRAINT policy_parameters_unit_check;
ALTER TABLE policy_parameters ADD CONSTRAINT policy_parameters_unit_check CHECK (unit IN ('vnd', 'basis_points', 'multiple'));
