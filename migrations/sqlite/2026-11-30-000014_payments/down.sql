DROP TABLE payment_items;
DROP TABLE payment_runs;
