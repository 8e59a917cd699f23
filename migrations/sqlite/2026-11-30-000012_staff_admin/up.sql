-- Staff administration (issue 7): a version number on accounts for optimistic concurrency, so
-- two administrators changing the same staff member at once cannot both win (src/staff/admin.rs).
ALTER TABLE accounts ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
-- The audit search filters by action prefix and time.
CREATE INDEX audit_events_action_idx ON audit_events (action);
CREATE INDEX audit_events_at_idx ON audit_events (at);
