-- Dated parameters of benefit claims (DOMAIN.md §5, §6.5, §7.2, §7.4). Figures the 2024 SI Law
-- fixes in its text (sickness 75%, the childbirth lump sum 2 × MTC, funeral 10 × MTC, the
-- lump-sum multipliers) are constants in src/claims/rules.rs citing their article; amounts and
-- figures of other instruments, or not checked against an official text, are rows here.
INSERT INTO policy_parameters (name, effective_from, value, unit, legal_basis, status) VALUES
    -- Voluntary-SI maternity allowance, per child (and per stillbirth from 22 weeks).
    ('voluntary_maternity_allowance', '2025-07-01', 2000000, 'vnd', 'Law 41/2024/QH15 Art. 94-95', 'VL'),
    -- Unemployment benefit: 60% of the average UI salary of the last 6 months, at most
    -- 5 × the regional minimum wage of the last contribution month; 12 UI months within the
    -- 24 months before termination; 3 months of benefit for 12-36 months, +1 per further full
    -- 12 months, at most 12. The 2013 law had the same figures (from memory).
    ('unemployment_benefit_rate', '2015-01-01', 6000, 'basis_points', 'Employment Law 38/2013/QH13 Art. 50', 'M'),
    ('unemployment_benefit_rate', '2026-01-01', 6000, 'basis_points', 'Employment Law 74/2025/QH15 Art. 38', 'V3'),
    ('unemployment_benefit_cap_multiple', '2015-01-01', 5, 'multiple', 'Employment Law 38/2013/QH13 Art. 50', 'M'),
    ('unemployment_benefit_cap_multiple', '2026-01-01', 5, 'multiple', 'Employment Law 74/2025/QH15 Art. 38', 'V3'),
    ('unemployment_qualifying_months', '2015-01-01', 12, 'months', 'Employment Law 38/2013/QH13 Art. 49', 'M'),
    ('unemployment_qualifying_months', '2026-01-01', 12, 'months', 'Employment Law 74/2025/QH15 Art. 34', 'V3'),
    ('unemployment_qualifying_window_months', '2015-01-01', 24, 'months', 'Employment Law 38/2013/QH13 Art. 49', 'M'),
    ('unemployment_qualifying_window_months', '2026-01-01', 24, 'months', 'Employment Law 74/2025/QH15 Art. 34', 'V3'),
    ('unemployment_first_block_months', '2015-01-01', 36, 'months', 'Employment Law 38/2013/QH13 Art. 50', 'M'),
    ('unemployment_first_block_months', '2026-01-01', 36, 'months', 'Employment Law 74/2025/QH15 Art. 39', 'V3'),
    ('unemployment_first_block_benefit_months', '2015-01-01', 3, 'months', 'Employment Law 38/2013/QH13 Art. 50', 'M'),
    ('unemployment_first_block_benefit_months', '2026-01-01', 3, 'months', 'Employment Law 74/2025/QH15 Art. 39', 'V3'),
    ('unemployment_step_months', '2015-01-01', 12, 'months', 'Employment Law 38/2013/QH13 Art. 50', 'M'),
    ('unemployment_step_months', '2026-01-01', 12, 'months', 'Employment Law 74/2025/QH15 Art. 39', 'V3'),
    ('unemployment_max_benefit_months', '2015-01-01', 12, 'months', 'Employment Law 38/2013/QH13 Art. 50', 'M'),
    ('unemployment_max_benefit_months', '2026-01-01', 12, 'months', 'Employment Law 74/2025/QH15 Art. 39', 'V3'),
    -- HI direct reimbursement at a facility without an HI contract (outside emergencies): at
    -- most this share of the base salary in force on the first day of care, per visit or stay,
    -- by the facility's former level (Decree 146/2018 Art. 30, from memory; Decree 188/2025
    -- replaced it and its caps were not collected). Basis points of the base salary: 25000 is
    -- 2.5 × base salary.
    ('hi_direct_cap_outpatient_district', '2018-12-01', 1500, 'basis_points', 'Decree 146/2018/NĐ-CP Art. 30; Decree 188/2025/NĐ-CP to confirm', 'M'),
    ('hi_direct_cap_inpatient_district', '2018-12-01', 5000, 'basis_points', 'Decree 146/2018/NĐ-CP Art. 30; Decree 188/2025/NĐ-CP to confirm', 'M'),
    ('hi_direct_cap_outpatient_provincial', '2018-12-01', 5000, 'basis_points', 'Decree 146/2018/NĐ-CP Art. 30; Decree 188/2025/NĐ-CP to confirm', 'M'),
    ('hi_direct_cap_inpatient_provincial', '2018-12-01', 10000, 'basis_points', 'Decree 146/2018/NĐ-CP Art. 30; Decree 188/2025/NĐ-CP to confirm', 'M'),
    ('hi_direct_cap_outpatient_central', '2018-12-01', 10000, 'basis_points', 'Decree 146/2018/NĐ-CP Art. 30; Decree 188/2025/NĐ-CP to confirm', 'M'),
    ('hi_direct_cap_inpatient_central', '2018-12-01', 25000, 'basis_points', 'Decree 146/2018/NĐ-CP Art. 30; Decree 188/2025/NĐ-CP to confirm', 'M');
