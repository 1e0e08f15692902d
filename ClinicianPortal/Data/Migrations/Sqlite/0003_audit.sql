-- Append-only audit log of AI outputs (SQLite): a hash chain, see Shared/Governance/Audit.
-- Times are text exactly as hashed; the triggers refuse updates and deletes through the app's own connection
-- (someone with the file can still drop them: the chain verification shows what they changed).
CREATE TABLE audit_records (
    id              INTEGER NOT NULL PRIMARY KEY,  -- 1, 2, 3... in append order
    recorded_at     TEXT    NOT NULL,
    user_name       TEXT    NOT NULL,
    patient_id      TEXT    NOT NULL,              -- pseudonym; no foreign key: the log outlives records
    kind            TEXT    NOT NULL,
    model_id        TEXT    NOT NULL,
    model_version   TEXT    NOT NULL,
    model_sha256    TEXT    NOT NULL,
    input_sha256    TEXT    NOT NULL,
    output_json     TEXT    NOT NULL,
    previous_hash   TEXT    NOT NULL,
    hash            TEXT    NOT NULL
);
CREATE INDEX ix_audit_records_patient ON audit_records (patient_id);

CREATE TRIGGER audit_records_no_update BEFORE UPDATE ON audit_records
BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
CREATE TRIGGER audit_records_no_delete BEFORE DELETE ON audit_records
BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
