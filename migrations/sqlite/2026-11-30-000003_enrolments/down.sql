DELETE FROM policy_parameters WHERE name = 'voluntary_support_max_months';
ALTER TABLE health_cards DROP COLUMN enrolment_id;
DROP TABLE reminders_sent;
DROP TABLE enrolment_instalments;
DROP TABLE enrolment_members;
DROP TABLE enrolments;
DROP TABLE documents;
