-- API keys and the API call log (PostgreSQL); same tables and columns as the SQLite script.

CREATE TABLE api_keys (
    id              TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    name            TEXT             NOT NULL,
    secret_sha256   TEXT             NOT NULL,
    scopes          TEXT             NOT NULL,
    rate_per_minute INTEGER          NOT NULL,
    created_at      TEXT             NOT NULL,
    revoked_at      TEXT             NULL
);

CREATE TABLE api_call_log (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key_id          TEXT COLLATE "C" NULL,
    method          TEXT             NOT NULL,
    route           TEXT             NOT NULL,
    patient_id      TEXT COLLATE "C" NULL,
    status          INTEGER          NOT NULL,
    called_at       TEXT             NOT NULL,
    duration_ms     BIGINT           NOT NULL
);
CREATE INDEX ix_api_call_log_key ON api_call_log (key_id, id);
