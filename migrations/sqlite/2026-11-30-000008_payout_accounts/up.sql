-- The bank account a citizen's benefits are paid into (issue 5): one per citizen, in their own
-- name. The account number is never stored in the clear (SECURITY.md DP-01): it is sealed with
-- XChaCha20-Poly1305 (`v1:<key id>:<nonce and ciphertext>`, see src/sealed.rs), and a keyed
-- HMAC of bank and number (the blind index) finds the same account held by several people.
CREATE TABLE payout_accounts (
    account_id TEXT PRIMARY KEY REFERENCES accounts (id),
    -- The bank's NAPAS BIN, from the list in src/payout/banks.rs.
    bank_bin TEXT NOT NULL,
    account_number_sealed TEXT NOT NULL,
    account_number_index TEXT NOT NULL,
    holder_name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX payout_accounts_number_idx ON payout_accounts (account_number_index);
