-- Model versions and their lifecycle (SQLite): one row per model id + version the registry has served, its status
-- (shadow | pilot | approved | retired), its model card, and who registered and last changed it. Status changes are
-- also appended to the audit trail (kind model-status-change), which keeps their history.
CREATE TABLE model_versions (
    model_id           TEXT NOT NULL,
    version            TEXT NOT NULL,
    sha256             TEXT NOT NULL,
    task               TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('shadow', 'pilot', 'approved', 'retired')),
    card_json          TEXT NOT NULL,
    registered_at      TEXT NOT NULL,
    registered_by      TEXT NOT NULL,
    status_changed_at  TEXT NOT NULL,
    status_changed_by  TEXT NOT NULL,
    PRIMARY KEY (model_id, version)
);
