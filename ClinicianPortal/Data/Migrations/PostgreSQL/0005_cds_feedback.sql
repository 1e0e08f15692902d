-- CDS Hooks feedback (PostgreSQL); same table and columns as the SQLite script.

CREATE TABLE cds_feedback (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    service_id        TEXT COLLATE "C" NOT NULL,
    card_uuid         TEXT COLLATE "C" NOT NULL,
    outcome           TEXT             NOT NULL,
    override_system   TEXT             NULL,
    override_code     TEXT             NULL,
    override_display  TEXT             NULL,
    outcome_at        TEXT             NOT NULL,
    recorded_at       TEXT             NOT NULL,
    key_id            TEXT COLLATE "C" NULL
);
CREATE INDEX ix_cds_feedback_card ON cds_feedback (card_uuid);
