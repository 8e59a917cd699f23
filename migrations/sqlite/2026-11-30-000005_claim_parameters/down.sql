DELETE FROM policy_parameters WHERE name IN (
    'voluntary_maternity_allowance',
    'unemployment_benefit_rate', 'unemployment_benefit_cap_multiple',
    'unemployment_qualifying_months', 'unemployment_qualifying_window_months',
    'unemployment_first_block_months', 'unemployment_first_block_benefit_months',
    'unemployment_step_months', 'unemployment_max_benefit_months',
    'hi_direct_cap_outpatient_district', 'hi_direct_cap_inpatient_district',
    'hi_direct_cap_outpatient_provincial', 'hi_direct_cap_inpatient_provincial',
    'hi_direct_cap_outpatient_central', 'hi_direct_cap_inpatient_central'
);
