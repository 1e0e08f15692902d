-- CDS Hooks feedback (SQLite): what clinicians did with the cards of /cds-services/{id}, keyed by card uuid.
-- The cards themselves are in the audit trail (output of the call); the free-text userComment is not kept (it may hold PHI).

CREATE TABLE cds_feedback (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    service_id        TEXT    NOT NULL,
    card_uuid         TEXT    NOT NULL,
    outcome           TEXT    NOT NULL,          -- accepted | overridden
    override_system   TEXT    NULL,
    override_code     TEXT    NULL,
    override_display  TEXT    NULL,
    outcome_at        TEXT    NOT NULL,          -- the client's outcomeTimestamp (ISO 8601, UTC)
    recorded_at       TEXT    NOT NULL,
    key_id            TEXT    NULL               -- the API key that sent it
);
CREATE INDEX ix_cds_feedback_card ON cds_feedback (card_uuid);
