-- Users of the portal and their role (SQLite). Passwords are kept as ASP.NET Core Identity hashes only.
CREATE TABLE users (
    id                TEXT    NOT NULL PRIMARY KEY,
    user_name         TEXT    NOT NULL,
    normalized_name   TEXT    NOT NULL UNIQUE,     -- upper-case invariant, for case-insensitive sign-in
    role              TEXT    NOT NULL,
    password_hash     TEXT    NOT NULL,
    failed_attempts   INTEGER NOT NULL DEFAULT 0,  -- consecutive failures since the last success or lockout
    lockout_end_ticks INTEGER NULL,                -- UTC ticks until which sign-in is refused
    created_at        TEXT    NOT NULL
);
