-- Mail: the queue the worker sends from, the leases of periodic tasks, one-time links for
-- password resets and sign-up confirmations, and the language of each account's mail.
-- Portable SQL, as in the foundation migration: text ids and ISO-8601 text timestamps.

-- The language an account's mail is written in (`fr` or `en`).
ALTER TABLE accounts ADD COLUMN language TEXT NOT NULL DEFAULT 'fr';

-- One row per mail, written in the transaction of the action that causes it, so that a
-- mail exists exactly when its cause was committed. The worker claims a due row by setting
-- `lease_until` (compare-and-set: only an unleased or expired lease is taken), sends, then
-- marks it sent; a failure sets the next attempt further away, up to `failed`.
CREATE TABLE mail_queue (
    id TEXT PRIMARY KEY,
    recipient TEXT NOT NULL,
    -- fr, en
    language TEXT NOT NULL,
    subject TEXT NOT NULL,
    -- emptied once sent: a sent mail's links are nobody's business any more
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    -- waiting, sent, failed
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    lease_until TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX mail_queue_due ON mail_queue (status, next_attempt_at);
CREATE INDEX mail_queue_by_time ON mail_queue (created_at);

-- One row per periodic task of the worker: whichever instance moves `next_run_at` forward
-- (compare-and-set) runs the task, so it runs at most once per period across instances.
CREATE TABLE worker_tasks (
    name TEXT PRIMARY KEY,
    next_run_at TEXT NOT NULL,
    last_started_at TEXT,
    last_finished_at TEXT,
    last_error TEXT
);

-- A password-reset link: only a hash of its secret is stored; valid until `expires_at`,
-- once (`used_at`).
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX password_resets_by_account ON password_resets (account_id);
CREATE INDEX password_resets_by_expiry ON password_resets (expires_at);

-- A sign-up waiting for its address to be confirmed: the account is created from it when
-- the link in the mail is followed, so no account exists for an address nobody confirmed.
CREATE TABLE pending_sign_ups (
    token_hash TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    display_name TEXT NOT NULL,
    -- argon2id PHC string of the password chosen at sign-up
    password_hash TEXT NOT NULL,
    language TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX pending_sign_ups_by_expiry ON pending_sign_ups (expires_at);

-- Password-reset requests, per keyed hash of the typed address and per client, to limit
-- them as sign-ins are limited, whether the address has an account or not; kept a day.
CREATE TABLE password_reset_requests (
    id TEXT PRIMARY KEY,
    email_key TEXT NOT NULL,
    client TEXT NOT NULL,
    requested_at TEXT NOT NULL
);
CREATE INDEX password_reset_requests_by_email ON password_reset_requests (email_key, requested_at);
CREATE INDEX password_reset_requests_by_client ON password_reset_requests (client, requested_at);
