DROP TABLE submission_origins;
DROP TABLE flags;
ALTER TABLE people DROP COLUMN died_on;
