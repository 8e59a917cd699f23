-- Registrations for voluntary social insurance and household health insurance (issue 4): the
-- citizen's draft, submitted, decided by staff; once approved, a schedule of instalments that
-- the citizen pays at the office or through a collection agent. Paid voluntary instalments
-- become voluntary months in the insurance book; approved household members get cards.

-- Uploaded files (evidence now, claim documents later). The bytes live outside the web root
-- under `stored_name`, a random name; only the owner and staff may read them.
CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    owner_account_id TEXT NOT NULL REFERENCES accounts (id),
    stored_name TEXT NOT NULL UNIQUE,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX documents_owner_idx ON documents (owner_account_id);

CREATE TABLE enrolments (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    kind TEXT NOT NULL CHECK (kind IN ('voluntary_si', 'household_hi')),
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'rejected', 'stopped')),
    -- Voluntary SI only: the chosen income and the declared support group.
    monthly_income BIGINT,
    support_group TEXT,
    evidence_id TEXT REFERENCES documents (id),
    payment_mode TEXT NOT NULL CHECK (payment_mode IN ('monthly', 'quarterly', 'half_yearly', 'yearly')),
    start_month DATE NOT NULL,
    decision_reason TEXT,
    decided_by TEXT REFERENCES accounts (id),
    submitted_at TIMESTAMP,
    decided_at TIMESTAMP,
    stopped_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX enrolments_account_idx ON enrolments (account_id, created_at);
CREATE INDEX enrolments_status_idx ON enrolments (status, submitted_at);

-- Household HI: the members declared, in the order the discount applies. A member already
-- covered by a valid card from another source is kept with the reason and not priced.
CREATE TABLE enrolment_members (
    enrolment_id TEXT NOT NULL REFERENCES enrolments (id),
    position INTEGER NOT NULL,
    personal_id TEXT NOT NULL,
    full_name TEXT NOT NULL,
    birth_date DATE NOT NULL,
    relationship TEXT NOT NULL,
    covered_by TEXT,
    PRIMARY KEY (enrolment_id, position),
    UNIQUE (enrolment_id, personal_id)
);

-- What is due, when, and whether it was paid. `supported_months` of the instalment carry the
-- state's support (at most the cap per person).
CREATE TABLE enrolment_instalments (
    enrolment_id TEXT NOT NULL REFERENCES enrolments (id),
    seq INTEGER NOT NULL,
    first_month DATE NOT NULL,
    months INTEGER NOT NULL CHECK (months > 0),
    monthly_income BIGINT NOT NULL,
    monthly_gross BIGINT NOT NULL,
    monthly_support BIGINT NOT NULL,
    supported_months INTEGER NOT NULL,
    amount BIGINT NOT NULL CHECK (amount >= 0),
    due_date DATE NOT NULL,
    paid_on DATE,
    reference TEXT,
    recorded_by TEXT,
    PRIMARY KEY (enrolment_id, seq)
);
CREATE INDEX enrolment_instalments_due_idx ON enrolment_instalments (paid_on, due_date);

-- Reminder emails already sent, so each goes out once (kind + what it is about).
CREATE TABLE reminders_sent (
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    sent_at TIMESTAMP NOT NULL,
    PRIMARY KEY (kind, subject)
);

-- Household cards come from the enrolment that paid for them.
ALTER TABLE health_cards ADD COLUMN enrolment_id TEXT;

-- DOMAIN.md §5: supported contributions are capped per person (believed 10 years, Decree
-- 159/2025; V1/M, so a parameter).
INSERT INTO policy_parameters (name, effective_from, value, unit, legal_basis, status) VALUES
    ('voluntary_support_max_months', '2025-07-01', 120, 'months', 'Decree 159/2025/NĐ-CP Art. 5', 'V1');
