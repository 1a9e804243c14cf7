-- Revocable sessions, counted sign-ups, and sign-in attempts that keep no typed text.
-- Portable SQL, as in the foundation migration.

-- One row per signed-in session. The session cookie carries the row's id; a request is
-- signed in only while its row exists and has not expired, so signing out (deleting the
-- row) ends the session even for a copy of the cookie.
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_by_account ON sessions (account_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

-- Accounts created, per client address, to limit sign-ups from one client; kept a day.
CREATE TABLE sign_ups (
    id TEXT PRIMARY KEY,
    client TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX sign_ups_by_client ON sign_ups (client, created_at);
CREATE INDEX sign_ups_by_time ON sign_ups (created_at);

-- Personal links made from a shared one, counted per shared link and hour.
CREATE INDEX invitations_by_parent ON invitations (parent_id, created_at);

-- sign_in_attempts.email now holds a keyed hash of the address. The rows stored so far hold
-- whatever was typed (possibly a password): they only served the last 15 minutes' counts, so
-- they go.
DELETE FROM sign_in_attempts;
CREATE INDEX sign_in_attempts_by_time ON sign_in_attempts (attempted_at);
