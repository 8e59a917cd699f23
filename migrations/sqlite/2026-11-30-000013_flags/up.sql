-- Fraud and duplicate flags (issue 7): what matched, a plain explanation, and the triage.
ALTER TABLE people ADD COLUMN died_on DATE;

CREATE TABLE flags (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    subject_kind TEXT,
    subject_id TEXT,
    evidence TEXT NOT NULL,
    fingerprint TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    triage_reason TEXT,
    triaged_by TEXT,
    triaged_at TIMESTAMP,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX flags_by_status ON flags (status, created_at);
CREATE INDEX flags_by_account ON flags (account_id, status);

CREATE TABLE submission_origins (
    id TEXT PRIMARY KEY NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    client_ip TEXT,
    device TEXT,
    at TIMESTAMP NOT NULL
);
CREATE INDEX submission_origins_by_ip ON submission_origins (client_ip, at);
CREATE INDEX submission_origins_by_device ON submission_origins (device, at);
