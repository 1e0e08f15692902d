-- Validation of AI outputs by validators (SQLite). An item is one task (summary | differential | evidence) of one
-- audited AI output, sampled into the queue; each validator rates an item at most once, on every rubric
-- dimension (Shared/Governance/Validation/Rubric), 1 to 5.
CREATE TABLE validation_items (
    id               INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    audit_record_id  INTEGER NOT NULL,
    task             TEXT    NOT NULL,
    model_id         TEXT    NOT NULL,
    model_version    TEXT    NOT NULL,
    sampled_at       TEXT    NOT NULL,
    UNIQUE (audit_record_id, task)
);
CREATE TABLE validation_ratings (
    id               INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    item_id          INTEGER NOT NULL REFERENCES validation_items (id),
    rater            TEXT    NOT NULL,
    comment          TEXT    NOT NULL DEFAULT '',
    rated_at         TEXT    NOT NULL,
    UNIQUE (item_id, rater)
);
CREATE TABLE validation_scores (
    rating_id        INTEGER NOT NULL REFERENCES validation_ratings (id),
    dimension        TEXT    NOT NULL,
    score            INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    PRIMARY KEY (rating_id, dimension)
);
CREATE INDEX ix_validation_items_model ON validation_items (model_id, model_version, task);
