-- Initial schema (SQLite). Never edit a released migration: add 0002_... instead.
-- Booleans are INTEGER 0/1; instants are kept as round-trip ISO 8601 text (with their offset) plus
-- UTC ticks for ordering; dates are 'yyyy-MM-dd' text.

CREATE TABLE patients (
    id              TEXT    NOT NULL PRIMARY KEY,   -- keyed pseudonym
    sex             TEXT    NOT NULL,
    birth_date      TEXT    NULL,                   -- date-shifted; null when over 89
    deceased_date   TEXT    NULL,
    age             INTEGER NULL,
    is_over_89      INTEGER NOT NULL DEFAULT 0,
    state           TEXT    NULL,
    source_json     TEXT    NOT NULL,
    -- Maintained on store for the patient list (search must not scan events).
    active_problems TEXT    NOT NULL DEFAULT '',    -- display texts, one per line
    event_count     INTEGER NOT NULL DEFAULT 0,
    last_seen_ticks INTEGER NULL                    -- UTC ticks of the latest encounter
);
CREATE INDEX ix_patients_age ON patients (is_over_89, age);
CREATE INDEX ix_patients_sex ON patients (sex);
CREATE INDEX ix_patients_last_seen ON patients (last_seen_ticks);
CREATE INDEX ix_patients_event_count ON patients (event_count);

CREATE TABLE events (
    id              TEXT    NOT NULL PRIMARY KEY,   -- pseudonym of the source resource
    patient_id      TEXT    NOT NULL REFERENCES patients (id),
    kind            TEXT    NOT NULL,
    resource_type   TEXT    NOT NULL,
    start_at        TEXT    NULL,
    start_ticks     INTEGER NULL,
    end_at          TEXT    NULL,
    title           TEXT    NOT NULL,
    code_system     TEXT    NULL,                   -- the preferred coding, for lookups by code
    code            TEXT    NULL,
    codes_json      TEXT    NOT NULL,
    status          TEXT    NULL,
    category        TEXT    NULL,
    value_num       REAL    NULL,
    value_unit      TEXT    NULL,
    value_ucum      TEXT    NULL,
    value_text      TEXT    NULL,
    range_json      TEXT    NULL,
    interpretation  TEXT    NULL,
    components_json TEXT    NOT NULL,
    encounter_id    TEXT    NULL,
    text            TEXT    NULL,
    source_json     TEXT    NOT NULL
);
CREATE INDEX ix_events_patient_start ON events (patient_id, start_ticks);
CREATE INDEX ix_events_code ON events (code, code_system);
CREATE INDEX ix_events_encounter ON events (encounter_id);

-- Keyed hashes of identifying tokens (never the values); a null patient applies to every patient.
CREATE TABLE identifier_hashes (
    patient_id      TEXT    NULL,
    hash            TEXT    NOT NULL
);
CREATE UNIQUE INDEX ux_identifier_hashes ON identifier_hashes (COALESCE(patient_id, ''), hash);
CREATE INDEX ix_identifier_hashes_patient ON identifier_hashes (patient_id);

-- One row per imported file: counts and outcome, no PHI.
CREATE TABLE import_log (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    file_name       TEXT    NOT NULL,
    imported_at     TEXT    NOT NULL,
    succeeded       INTEGER NOT NULL,
    patients        INTEGER NOT NULL,
    events          INTEGER NOT NULL,
    resources       INTEGER NOT NULL,
    skipped         INTEGER NOT NULL,
    duration_ms     INTEGER NOT NULL,
    error           TEXT    NULL
);
