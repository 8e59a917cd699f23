DROP INDEX contribution_months_month_idx;
DROP TABLE coverage_targets;
