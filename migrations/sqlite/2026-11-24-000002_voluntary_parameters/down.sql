DELETE FROM policy_parameters WHERE name IN (
    'rural_poverty_line', 'voluntary_rate', 'voluntary_support_poor', 'voluntary_support_island',
    'voluntary_support_near_poor', 'voluntary_support_ethnic_minority', 'voluntary_support_other',
    'household_hi_rate', 'household_hi_share_2', 'household_hi_share_3', 'household_hi_share_4',
    'household_hi_share_5'
);
