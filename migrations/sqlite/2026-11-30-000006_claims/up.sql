-- Benefit claims (issue 5): the citizen's typed form (JSON, one shape per kind), its status,
-- every step as a timeline event, the messages exchanged with staff, and its documents.
-- draft → submitted → in_review → info_requested ⇄ submitted → approved | rejected → paid;
-- withdrawn by the citizen before a decision.
CREATE TABLE claims (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    kind TEXT NOT NULL CHECK (kind IN ('sickness', 'maternity', 'unemployment', 'lump_sum', 'funeral', 'hi_reimbursement')),
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'in_review', 'info_requested', 'approved', 'rejected', 'paid', 'withdrawn')),
    details TEXT NOT NULL,
    -- The decision: the amount approved, or the reason (a code from the list and words the
    -- citizen reads); then the payment's reference and date.
    decided_amount BIGINT,
    reason_code TEXT,
    reason_text TEXT,
    payment_reference TEXT,
    paid_on DATE,
    submitted_at TIMESTAMP,
    decision_due DATE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX claims_account_idx ON claims (account_id, created_at);
CREATE INDEX claims_status_idx ON claims (status, decision_due);

CREATE TABLE claim_events (
    claim_id TEXT NOT NULL REFERENCES claims (id),
    seq INTEGER NOT NULL,
    at TIMESTAMP NOT NULL,
    status TEXT NOT NULL,
    actor TEXT NOT NULL,
    PRIMARY KEY (claim_id, seq)
);

CREATE TABLE claim_messages (
    id TEXT PRIMARY KEY,
    claim_id TEXT NOT NULL REFERENCES claims (id),
    from_staff BOOLEAN NOT NULL,
    author_id TEXT NOT NULL REFERENCES accounts (id),
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX claim_messages_claim_idx ON claim_messages (claim_id, created_at);
