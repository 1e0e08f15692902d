-- Append-only audit log of AI outputs (PostgreSQL): a hash chain, see Shared/Governance/Audit.
-- Times are text exactly as hashed; the trigger refuses updates, deletes and truncation (an owner can still
-- drop it: the chain verification shows what they changed).
CREATE TABLE audit_records (
    id              BIGINT  NOT NULL PRIMARY KEY,  -- 1, 2, 3... in append order
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

CREATE FUNCTION audit_records_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit records are append-only';
END
$$;
CREATE TRIGGER audit_records_no_change BEFORE UPDATE OR DELETE ON audit_records
    FOR EACH ROW EXECUTE FUNCTION audit_records_append_only();
CREATE TRIGGER audit_records_no_truncate BEFORE TRUNCATE ON audit_records
    FOR EACH STATEMENT EXECUTE FUNCTION audit_records_append_only();
