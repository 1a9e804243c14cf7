-- Accounts, organisation leads, invitation links and sign-in attempts. Portable SQL, as in
-- the foundation migration.

-- A person who signs in: programme staff, or the lead of one or more organisations.
CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    -- stored lowercased
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    -- argon2id PHC string
    password_hash TEXT NOT NULL,
    -- staff, lead
    role TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE organisation_leads (
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    account_id TEXT NOT NULL REFERENCES accounts (id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (organisation_id, account_id)
);
CREATE INDEX organisation_leads_by_account ON organisation_leads (account_id);

-- A link to answer a diagnostic. A personal link (shared = 0) is one person's response,
-- resumable from any device; a shared link (shared = 1) hands each person who opens it a
-- personal link of their own (parent_id points back to the shared one).
CREATE TABLE invitations (
    id TEXT PRIMARY KEY,
    diagnostic_id TEXT NOT NULL REFERENCES diagnostics (id),
    -- 256 random bits, hexadecimal: the secret in the link
    token TEXT NOT NULL UNIQUE,
    respondent_role TEXT NOT NULL,
    label TEXT NOT NULL,
    shared INTEGER NOT NULL,
    parent_id TEXT REFERENCES invitations (id),
    response_id TEXT REFERENCES responses (id),
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX invitations_by_diagnostic ON invitations (diagnostic_id);

-- Sign-in attempts, to slow down password guessing across every instance.
CREATE TABLE sign_in_attempts (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    client TEXT NOT NULL,
    succeeded INTEGER NOT NULL,
    attempted_at TEXT NOT NULL
);
CREATE INDEX sign_in_attempts_by_email ON sign_in_attempts (email, attempted_at);
CREATE INDEX sign_in_attempts_by_client ON sign_in_attempts (client, attempted_at);
