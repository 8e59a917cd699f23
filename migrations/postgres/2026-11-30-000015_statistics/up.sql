-- Coverage targets: how many people each scheme should cover in a year, entered by an
-- administrator; the statistics compare participants with them.
CREATE TABLE coverage_targets (
    year INTEGER NOT NULL,
    scheme TEXT NOT NULL,
    target_people BIGINT NOT NULL,
    set_by TEXT NOT NULL,
    set_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (year, scheme)
);
