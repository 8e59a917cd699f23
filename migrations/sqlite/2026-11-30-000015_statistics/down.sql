DROP TABLE coverage_targets;
