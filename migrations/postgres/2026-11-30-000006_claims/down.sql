DROP TABLE claim_messages;
DROP TABLE claim_events;
DROP TABLE claims;
