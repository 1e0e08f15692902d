-- API keys and the API call log (SQLite). Keys are stored as the SHA-256 of their secret, never the secret.

CREATE TABLE api_keys (
    id              TEXT    NOT NULL PRIMARY KEY,   -- the public part of "cpk_<id>_<secret>"
    name            TEXT    NOT NULL,
    secret_sha256   TEXT    NOT NULL,               -- lowercase hex
    scopes          TEXT    NOT NULL,               -- space-separated: read import case-review
    rate_per_minute INTEGER NOT NULL,
    created_at      TEXT    NOT NULL,
    revoked_at      TEXT    NULL
);

-- One row per /api/v1 call: who, which route, which patient (pseudonym), outcome. No bodies, no other PHI.
CREATE TABLE api_call_log (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    key_id          TEXT    NULL,                   -- null when no known key was presented
    method          TEXT    NOT NULL,
    route           TEXT    NOT NULL,               -- the route template, e.g. /api/v1/patients/{id}
    patient_id      TEXT    NULL,
    status          INTEGER NOT NULL,
    called_at       TEXT    NOT NULL,
    duration_ms     INTEGER NOT NULL
);
CREATE INDEX ix_api_call_log_key ON api_call_log (key_id, id);
