-- Casework (issue 7): every claim and enrolment carries a version for optimistic concurrency
-- (web::concurrency); a claim records the decision proposed by one person and approved by
-- another (four-eyes), who decided and when, the inputs the decision used, and the claim it
-- appeals. Work is assigned to staff through `assignments`.
ALTER TABLE claims ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE claims ADD COLUMN proposed_amount BIGINT;
ALTER TABLE claims ADD COLUMN proposed_by TEXT REFERENCES accounts (id);
ALTER TABLE claims ADD COLUMN proposed_at TIMESTAMP;
-- Why the amount differs from the one the rules computed (required when it does).
ALTER TABLE claims ADD COLUMN amount_reason TEXT;
ALTER TABLE claims ADD COLUMN decided_by TEXT REFERENCES accounts (id);
ALTER TABLE claims ADD COLUMN decided_at TIMESTAMP;
-- JSON: the eligibility and amount explanation as read when deciding (months, salary basis,
-- dated parameters, articles), so the decision can be explained later whatever changes.
ALTER TABLE claims ADD COLUMN decision_inputs TEXT;
ALTER TABLE claims ADD COLUMN appeal_of TEXT REFERENCES claims (id);
CREATE INDEX claims_appeal_idx ON claims (appeal_of);

ALTER TABLE enrolments ADD COLUMN version BIGINT NOT NULL DEFAULT 1;

CREATE TABLE assignments (
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('claim', 'enrolment', 'question')),
    subject_id TEXT NOT NULL,
    assignee_id TEXT NOT NULL REFERENCES accounts (id),
    assigned_by TEXT NOT NULL REFERENCES accounts (id),
    assigned_at TIMESTAMP NOT NULL,
    PRIMARY KEY (subject_kind, subject_id)
);
CREATE INDEX assignments_assignee_idx ON assignments (assignee_id);
