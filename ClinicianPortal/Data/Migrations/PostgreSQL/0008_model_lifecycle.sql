-- Model versions and their lifecycle (PostgreSQL); same table and columns as the SQLite script.
CREATE TABLE model_versions (
    model_id           TEXT COLLATE "C" NOT NULL,
    version            TEXT COLLATE "C" NOT NULL,
    sha256             TEXT             NOT NULL,
    task               TEXT             NOT NULL,
    status             TEXT             NOT NULL CHECK (status IN ('shadow', 'pilot', 'approved', 'retired')),
    card_json          TEXT             NOT NULL,
    registered_at      TEXT             NOT NULL,
    registered_by      TEXT             NOT NULL,
    status_changed_at  TEXT             NOT NULL,
    status_changed_by  TEXT             NOT NULL,
    PRIMARY KEY (model_id, version)
);
