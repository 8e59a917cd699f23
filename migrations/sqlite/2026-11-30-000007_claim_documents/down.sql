DROP TABLE claim_documents;
