-- Payment runs (issue 7): approved claims batched for one bank-transfer file. A run is a draft
-- until its file is exported, then closed once every item is paid or returned.
CREATE TABLE payment_runs (
    id TEXT PRIMARY KEY,
    -- Human reference quoted to the bank and on the citizen's claim: PR-2026-11-30-001.
    reference TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('draft', 'exported', 'closed')),
    created_by TEXT NOT NULL REFERENCES accounts (id),
    created_at TIMESTAMP NOT NULL,
    exported_at TIMESTAMP,
    closed_at TIMESTAMP,
    total_amount BIGINT NOT NULL,
    item_count BIGINT NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX payment_runs_created_idx ON payment_runs (created_at);

-- One approved claim in a run. The full account number is not copied here: the export reads it
-- from the sealed payout account (SECURITY.md DP-01); only the last four digits are kept.
CREATE TABLE payment_items (
    run_id TEXT NOT NULL REFERENCES payment_runs (id),
    seq BIGINT NOT NULL,
    claim_id TEXT NOT NULL REFERENCES claims (id),
    account_id TEXT NOT NULL REFERENCES accounts (id),
    amount BIGINT NOT NULL CHECK (amount > 0),
    bank_bin TEXT NOT NULL,
    bank_name TEXT NOT NULL,
    holder_name TEXT NOT NULL,
    masked_number TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'returned')),
    return_reason TEXT,
    paid_on DATE,
    settled_at TIMESTAMP,
    PRIMARY KEY (run_id, seq)
);
-- A claim is in at most one live run: once returned it may be batched again.
CREATE UNIQUE INDEX payment_items_live_claim_idx ON payment_items (claim_id) WHERE status <> 'returned';
CREATE INDEX payment_items_claim_idx ON payment_items (claim_id);
