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

-- Participants of a month are counted from the month's contribution rows: without this index
-- the count reads every month of every person.
CREATE INDEX contribution_months_month_idx ON contribution_months (month, scheme, person_id);
