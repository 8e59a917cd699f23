DROP TABLE outbox;
DROP TABLE login_failures;
DROP TABLE one_time_tokens;
DROP TABLE api_tokens;
DROP TABLE web_sessions;
DROP TABLE accounts;
