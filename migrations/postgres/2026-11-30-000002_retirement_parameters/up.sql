-- Dated parameters of the retirement planner (DOMAIN.md §5, §7.6): the retirement-age roadmap in
-- months of age, and the figures of the one-off voluntary payments, modes (đ) and (e) of
-- Law 41/2024/QH15 Art. 36(2). A new unit, `months`, joins the allowed units.
ALTER TABLE policy_parameters DROP CONSTRAINT policy_parameters_unit_check;
ALTER TABLE policy_parameters ADD CONSTRAINT policy_parameters_unit_check CHECK (unit IN ('vnd', 'basis_points', 'multiple', 'months'));

INSERT INTO policy_parameters (name, effective_from, value, unit, legal_basis, status) VALUES
    -- Before the roadmap: 60 (men) and 55 (women).
    ('retirement_age_men_months', '2016-01-01', 720, 'months', 'Labour Code 10/2012/QH13 Art. 187', 'M'),
    ('retirement_age_women_months', '2016-01-01', 660, 'months', 'Labour Code 10/2012/QH13 Art. 187', 'M'),
    -- The roadmap: men +3 months a year from 60y3m (2021) to 62 (2028); women +4 months a year
    -- from 55y4m (2021) to 60 (2035). The age applies to the year in which it is reached.
    ('retirement_age_men_months', '2021-01-01', 723, 'months', 'Labour Code 45/2019/QH14 Art. 169(2); Decree 135/2020/NĐ-CP', 'M'),
    ('retirement_age_men_months', '2022-01-01', 726, 'months', 'Labour Code 45/2019/QH14 Art. 169(2); Decree 135/2020/NĐ-CP', 'M'),
    ('retirement_age_men_months', '2023-01-01', 729, 'months', 'Labour Code 45/2019/QH14 Art. 169(2); Decree 135/2020/NĐ-CP', 'M'),
    ('retirement_age_men_months', '2024-01-01', 732, 'months', 'Labour Code 45/2019/QH14 Art. 169(2); Decree 135/2020/NĐ-CP', 'M'),
    ('retirement_age_men_months', '2025-01-01', 735, 'months', 'Labour Code 45/2019/QH14 Art. 169(2); Decree 135/2020/NĐ-CP', 'M'),
    ('retirement_age_men_months', '2026-01-01', 738, 'months', 'Labour Code 45/2019/QH14 Art. 169(2); Decree 135/2020/NĐ-CP', 'M'),
    ('retirement_age_men_months', '2027-01-01', 741, 'months', 'Labour Code 45/2019/QH14 Art. 169(2); Decree 135/2020/NĐ-CP', 'M'),
    ('retirement_age_men_months', '2028-01-01', 744, 'months', 'Labour Code 45/2019/QH14 Art. 169(2); Decree 135/2020/NĐ-CP', 'M'),
    ('retirement_age_women_months', '2021-01-01', 664, 'months', 'Labour Code 45/2019/QH14 Art. 169(2); Decree 135/2020/NĐ-CP', 'M'),
    ('retirement_age_women_months', '2022-01-01', 668, 'months', 'Labour Code 45/2019/QH14 Art. 169(2); Decree 135/2020/NĐ-CP', 'M'),
    ('retirement_age_women_months', '2023-01-01', 672, 'months', 'Labour Code 45/2019/QH14 Art. 169(2); Decree 135/2020/NĐ-CP', 'M'),
    ('retirement_age_women_months', '2024-01-01', 676, 'months', 'Labour Code 45/2019/QH14 Art. 169(2); Decree 135/2020/NĐ-CP', 'M'),
    ('retirement_age_women_months', '2025-01-01', 680, 'months', 'Labour Code 45/2019/QH14 Art. 169(2); Decree 135/2020/NĐ-CP', 'M'),
    ('retirement_age_women_months', '2026-01-01', 684, 'months', 'Labour Code 45/2019/QH14 Art. 169(2); Decree 135/2020/NĐ-CP', 'M'),
    ('retirement_age_women_months', '2027-01-01', 688, 'months', 'Labour Code 45/2019/QH14 Art. 169(2); Decree 135/2020/NĐ-CP', 'M'),
    ('retirement_age_women_months', '2028-01-01', 692, 'months', 'Labour Code 45/2019/QH14 Art. 169(2); Decree 135/2020/NĐ-CP', 'M'),
    ('retirement_age_women_months', '2029-01-01', 696, 'months', 'Labour Code 45/2019/QH14 Art. 169(2); Decree 135/2020/NĐ-CP', 'M'),
    ('retirement_age_women_months', '2030-01-01', 700, 'months', 'Labour Code 45/2019/QH14 Art. 169(2); Decree 135/2020/NĐ-CP', 'M'),
    ('retirement_age_women_months', '2031-01-01', 704, 'months', 'Labour Code 45/2019/QH14 Art. 169(2); Decree 135/2020/NĐ-CP', 'M'),
    ('retirement_age_women_months', '2032-01-01', 708, 'months', 'Labour Code 45/2019/QH14 Art. 169(2); Decree 135/2020/NĐ-CP', 'M'),
    ('retirement_age_women_months', '2033-01-01', 712, 'months', 'Labour Code 45/2019/QH14 Art. 169(2); Decree 135/2020/NĐ-CP', 'M'),
    ('retirement_age_women_months', '2034-01-01', 716, 'months', 'Labour Code 45/2019/QH14 Art. 169(2); Decree 135/2020/NĐ-CP', 'M'),
    ('retirement_age_women_months', '2035-01-01', 720, 'months', 'Labour Code 45/2019/QH14 Art. 169(2); Decree 135/2020/NĐ-CP', 'M'),
    -- Modes (đ) and (e) of voluntary SI: the discount or surcharge is the SI fund's average monthly
    -- investment return, announced by VSS each year (one 2026 source: 0.31% a month).
    ('voluntary_monthly_return', '2026-01-01', 31, 'basis_points', 'Decree 159/2025/NĐ-CP; VSS yearly announcement', 'V1'),
    -- Mode (đ): paying many years ahead, at most 5 years (the Decree 134/2015 limit; Decree 159/2025 to confirm).
    ('voluntary_advance_max_months', '2016-01-01', 60, 'months', 'Decree 134/2015/NĐ-CP Art. 9; Decree 159/2025/NĐ-CP', 'M'),
    -- Mode (e): one payment for the years still missing for a pension, when they are few.
    ('voluntary_lump_sum_max_missing_months', '2025-07-01', 60, 'months', 'Law 41/2024/QH15 Art. 36(2)(e)', 'M');
