-- Dated parameters of voluntary social insurance and household health insurance
-- (DOMAIN.md §3.3, §5, §6.1). A support group exists on a date only if it has a row then.
INSERT INTO policy_parameters (name, effective_from, value, unit, legal_basis, status) VALUES
    ('rural_poverty_line', '2016-01-01', 700000, 'vnd', 'Decision 59/2015/QĐ-TTg', 'M'),
    ('rural_poverty_line', '2022-01-01', 1500000, 'vnd', 'Decree 07/2021/NĐ-CP', 'V3'),
    ('rural_poverty_line', '2027-01-01', 2200000, 'vnd', 'Decree 351/2025/NĐ-CP', 'V3'),
    ('voluntary_rate', '2016-01-01', 2200, 'basis_points', 'Law 58/2014/QH13 Art. 87', 'M'),
    ('voluntary_rate', '2025-07-01', 2200, 'basis_points', 'Law 41/2024/QH15 Art. 32(2), 36(1)', 'VL'),
    ('voluntary_support_poor', '2018-01-01', 3000, 'basis_points', 'Law 58/2014/QH13; Decree 134/2015/NĐ-CP as amended', 'M'),
    ('voluntary_support_near_poor', '2018-01-01', 2500, 'basis_points', 'Law 58/2014/QH13; Decree 134/2015/NĐ-CP as amended', 'M'),
    ('voluntary_support_other', '2018-01-01', 1000, 'basis_points', 'Law 58/2014/QH13; Decree 134/2015/NĐ-CP as amended', 'M'),
    ('voluntary_support_poor', '2025-07-01', 5000, 'basis_points', 'Law 41/2024/QH15 Art. 36(1); Decree 159/2025/NĐ-CP Art. 5', 'V3'),
    ('voluntary_support_island', '2025-07-01', 5000, 'basis_points', 'Law 41/2024/QH15 Art. 36(1); Decree 159/2025/NĐ-CP Art. 5', 'V3'),
    ('voluntary_support_near_poor', '2025-07-01', 4000, 'basis_points', 'Law 41/2024/QH15 Art. 36(1); Decree 159/2025/NĐ-CP Art. 5', 'V3'),
    ('voluntary_support_ethnic_minority', '2025-07-01', 3000, 'basis_points', 'Law 41/2024/QH15 Art. 36(1); Decree 159/2025/NĐ-CP Art. 5', 'V3'),
    ('voluntary_support_other', '2025-07-01', 2000, 'basis_points', 'Law 41/2024/QH15 Art. 36(1); Decree 159/2025/NĐ-CP Art. 5', 'V3'),
    -- Household HI: the first member pays 4.5% of the base salary; the others a share of that.
    ('household_hi_rate', '2016-01-01', 450, 'basis_points', 'HI Law 25/2008/QH12 Art. 13; Decree 146/2018/NĐ-CP', 'V3'),
    ('household_hi_share_2', '2016-01-01', 7000, 'basis_points', 'Decree 146/2018/NĐ-CP; Decree 188/2025/NĐ-CP', 'V3'),
    ('household_hi_share_3', '2016-01-01', 6000, 'basis_points', 'Decree 146/2018/NĐ-CP; Decree 188/2025/NĐ-CP', 'V3'),
    ('household_hi_share_4', '2016-01-01', 5000, 'basis_points', 'Decree 146/2018/NĐ-CP; Decree 188/2025/NĐ-CP', 'V3'),
    ('household_hi_share_5', '2016-01-01', 4000, 'basis_points', 'Decree 146/2018/NĐ-CP; Decree 188/2025/NĐ-CP', 'V3');
