-- Annotations of AI outputs (PostgreSQL); same table and columns as the SQLite script.
CREATE TABLE annotations (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    audit_record_id  BIGINT           NOT NULL,
    patient_id       TEXT COLLATE "C" NOT NULL,
    target           TEXT COLLATE "C" NOT NULL,
    target_text      TEXT             NOT NULL,
    parent_id        BIGINT           NULL REFERENCES annotations (id),
    author           TEXT             NOT NULL,
    author_role      TEXT             NOT NULL,
    verdict          TEXT             NULL,
    comment          TEXT             NOT NULL DEFAULT '',
    correction       TEXT             NULL,
    source           TEXT             NOT NULL DEFAULT 'portal',
    status           TEXT             NOT NULL DEFAULT 'open',
    created_at       TEXT             NOT NULL,
    resolved_at      TEXT             NULL,
    resolved_by      TEXT             NULL
);
CREATE INDEX ix_annotations_output ON annotations (audit_record_id, target);
CREATE INDEX ix_annotations_patient ON annotations (patient_id);
CREATE INDEX ix_annotations_open ON annotations (status, verdict);

CREATE TABLE cds_cards (
    card_uuid        TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    audit_record_id  BIGINT           NOT NULL,
    patient_id       TEXT COLLATE "C" NOT NULL,
    target           TEXT COLLATE "C" NOT NULL,
    target_text      TEXT             NOT NULL
);
