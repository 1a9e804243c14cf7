-- Issue 13: account settings and retention.
-- Portable SQL, as in the foundation migration: text ids and ISO-8601 text timestamps.

-- A change of an account's email address waiting for the new address to confirm it: the
-- link mailed there carries the secret, of which only a hash is stored; valid until
-- `expires_at`, once (`used_at`). The address changes only when the link is followed.
CREATE TABLE email_changes (
    token_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    new_email TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX email_changes_by_account ON email_changes (account_id);
CREATE INDEX email_changes_by_expiry ON email_changes (expires_at);

-- The retention task looks for responses never submitted, by when they were last touched:
-- a partial index keeps that read small however many submitted responses there are.
CREATE INDEX responses_unsubmitted ON responses (last_saved_at, started_at)
    WHERE submitted_at IS NULL;
