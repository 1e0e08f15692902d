-- Validation of AI outputs (PostgreSQL); same tables and columns as the SQLite script.
CREATE TABLE validation_items (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    audit_record_id  BIGINT           NOT NULL,
    task             TEXT COLLATE "C" NOT NULL,
    model_id         TEXT COLLATE "C" NOT NULL,
    model_version    TEXT COLLATE "C" NOT NULL,
    sampled_at       TEXT             NOT NULL,
    UNIQUE (audit_record_id, task)
);
CREATE TABLE validation_ratings (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    item_id          BIGINT           NOT NULL REFERENCES validation_items (id),
    rater            TEXT COLLATE "C" NOT NULL,
    comment          TEXT             NOT NULL DEFAULT '',
    rated_at         TEXT             NOT NULL,
    UNIQUE (item_id, rater)
);
CREATE TABLE validation_scores (
    rating_id        BIGINT           NOT NULL REFERENCES validation_ratings (id),
    dimension        TEXT COLLATE "C" NOT NULL,
    score            INTEGER          NOT NULL CHECK (score BETWEEN 1 AND 5),
    PRIMARY KEY (rating_id, dimension)
);
CREATE INDEX ix_validation_items_model ON validation_items (model_id, model_version, task);
