-- Annotations of AI outputs by physicians and the care team (SQLite). An annotation points at one statement of
-- one audited AI output (audit_records.id + a target key such as 'differential/<condition id>'); replies point at
-- their thread's first annotation. CDS Hooks feedback is recorded here too (source 'cds-hooks').
CREATE TABLE annotations (
    id               INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    audit_record_id  INTEGER NOT NULL,            -- the AI output; no foreign key to keep the audit table untouched
    patient_id       TEXT    NOT NULL,            -- pseudonym
    target           TEXT    NOT NULL,            -- which statement (see Shared/Governance/Annotations/AnnotationTarget)
    target_text      TEXT    NOT NULL,            -- the statement as it was shown, for lists
    parent_id        INTEGER NULL REFERENCES annotations (id),
    author           TEXT    NOT NULL,
    author_role      TEXT    NOT NULL,
    verdict          TEXT    NULL,                -- agree | disagree | missing | unsafe | helpful; null on replies
    comment          TEXT    NOT NULL DEFAULT '',
    correction       TEXT    NULL,
    source           TEXT    NOT NULL DEFAULT 'portal',
    status           TEXT    NOT NULL DEFAULT 'open',   -- open | resolved
    created_at       TEXT    NOT NULL,
    resolved_at      TEXT    NULL,
    resolved_by      TEXT    NULL
);
CREATE INDEX ix_annotations_output ON annotations (audit_record_id, target);
CREATE INDEX ix_annotations_patient ON annotations (patient_id);
CREATE INDEX ix_annotations_open ON annotations (status, verdict);

-- The CDS Hooks cards a call returned, so that feedback on a card (by uuid) becomes an annotation of the call's audit
-- record and of the differential entry the card showed. The cards themselves are in the audit record's output.
CREATE TABLE cds_cards (
    card_uuid        TEXT    NOT NULL PRIMARY KEY,  -- lower case
    audit_record_id  INTEGER NOT NULL,
    patient_id       TEXT    NOT NULL,            -- pseudonym
    target           TEXT    NOT NULL,            -- 'differential/<condition id>'
    target_text      TEXT    NOT NULL             -- the card's summary
);
