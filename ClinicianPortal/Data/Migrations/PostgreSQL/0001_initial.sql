-- Initial schema (PostgreSQL). Never edit a released migration: add 0002_... instead.
-- Same tables and columns as the SQLite script; ids use the "C" collation so that sorting matches
-- SQLite's binary order. Instants are round-trip ISO 8601 text plus UTC ticks for ordering.

CREATE TABLE patients (
    id              TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    sex             TEXT COLLATE "C" NOT NULL,
    birth_date      TEXT             NULL,
    deceased_date   TEXT             NULL,
    age             INTEGER          NULL,
    is_over_89      BOOLEAN          NOT NULL DEFAULT FALSE,
    state           TEXT             NULL,
    source_json     TEXT             NOT NULL,
    active_problems TEXT             NOT NULL DEFAULT '',
    event_count     INTEGER          NOT NULL DEFAULT 0,
    last_seen_ticks BIGINT           NULL
);
CREATE INDEX ix_patients_age ON patients (is_over_89, age);
CREATE INDEX ix_patients_sex ON patients (sex);
CREATE INDEX ix_patients_last_seen ON patients (last_seen_ticks);
CREATE INDEX ix_patients_event_count ON patients (event_count);

CREATE TABLE events (
    id              TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    patient_id      TEXT COLLATE "C" NOT NULL REFERENCES patients (id),
    kind            TEXT             NOT NULL,
    resource_type   TEXT             NOT NULL,
    start_at        TEXT             NULL,
    start_ticks     BIGINT           NULL,
    end_at          TEXT             NULL,
    title           TEXT             NOT NULL,
    code_system     TEXT             NULL,
    code            TEXT COLLATE "C" NULL,
    codes_json      TEXT             NOT NULL,
    status          TEXT             NULL,
    category        TEXT             NULL,
    value_num       DOUBLE PRECISION NULL,
    value_unit      TEXT             NULL,
    value_ucum      TEXT             NULL,
    value_text      TEXT             NULL,
    range_json      TEXT             NULL,
    interpretation  TEXT             NULL,
    components_json TEXT             NOT NULL,
    encounter_id    TEXT COLLATE "C" NULL,
    text            TEXT             NULL,
    source_json     TEXT             NOT NULL
);
CREATE INDEX ix_events_patient_start ON events (patient_id, start_ticks);
CREATE INDEX ix_events_code ON events (code, code_system);
CREATE INDEX ix_events_encounter ON events (encounter_id);

CREATE TABLE identifier_hashes (
    patient_id      TEXT COLLATE "C" NULL,
    hash            TEXT COLLATE "C" NOT NULL
);
CREATE UNIQUE INDEX ux_identifier_hashes ON identifier_hashes (COALESCE(patient_id, ''), hash);
CREATE INDEX ix_identifier_hashes_patient ON identifier_hashes (patient_id);

CREATE TABLE import_log (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    file_name       TEXT             NOT NULL,
    imported_at     TEXT             NOT NULL,
    succeeded       BOOLEAN          NOT NULL,
    patients        INTEGER          NOT NULL,
    events          INTEGER          NOT NULL,
    resources       INTEGER          NOT NULL,
    skipped         INTEGER          NOT NULL,
    duration_ms     BIGINT           NOT NULL,
    error           TEXT             NULL
);
