-- A claim's documents: each uploaded file (in `documents`) linked to one claim, with the kind
-- of paper it is (a birth certificate, receipts …), so the claim can say what is still missing.
CREATE TABLE claim_documents (
    document_id TEXT PRIMARY KEY REFERENCES documents (id),
    claim_id TEXT NOT NULL REFERENCES claims (id),
    kind TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX claim_documents_claim_idx ON claim_documents (claim_id, created_at);
