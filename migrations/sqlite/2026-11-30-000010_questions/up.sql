-- Citizen questions (issue 6): asked by a signed-in citizen, or by an anonymous visitor who
-- confirms an email address first (`unconfirmed` until then, never shown to staff); answered by
-- staff; published as an FAQ entry only when the asker consented, with personal details removed.
-- Tokens are stored as SHA-256 hashes only: the confirmation link's, and the link to read the answer.
CREATE TABLE questions (
    id TEXT PRIMARY KEY,
    account_id TEXT REFERENCES accounts (id),
    email TEXT,
    email_confirmed_at TIMESTAMP,
    confirm_token_hash TEXT UNIQUE,
    confirm_expires_at TIMESTAMP,
    read_token_hash TEXT UNIQUE,
    -- The asker's language at the time of asking: emails go out in it.
    locale TEXT NOT NULL,
    topic TEXT NOT NULL,
    body TEXT NOT NULL,
    consent_publish BOOLEAN NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('unconfirmed', 'open', 'answered', 'published', 'closed')),
    answer_md TEXT,
    answered_by TEXT REFERENCES accounts (id),
    answered_at TIMESTAMP,
    faq_item_id TEXT REFERENCES content_items (id),
    created_at TIMESTAMP NOT NULL,
    CHECK (account_id IS NOT NULL OR email IS NOT NULL)
);
CREATE INDEX questions_status_idx ON questions (status, created_at);
CREATE INDEX questions_account_idx ON questions (account_id);
