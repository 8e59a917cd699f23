DROP INDEX audit_events_at_idx;
DROP INDEX audit_events_action_idx;
ALTER TABLE accounts DROP COLUMN version;
