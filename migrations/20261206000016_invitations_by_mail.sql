-- Issue 13: invitations by e-mail, reminders, co-leads, notification digests.
-- Portable SQL, as in the foundation migration (text ids and ISO-8601 text timestamps).

-- A diagnostic's closing date (YYYY-MM-DD, the day included): answers after it are refused.
-- Nullable: a diagnostic without one stays open until it is closed. The automatic reminder
-- goes to those who have not submitted, `reminder_days_before` days before that date, once
-- (`auto_reminder_sent_at` is set in the transaction that queues it).
ALTER TABLE diagnostics ADD COLUMN closes_on TEXT;
ALTER TABLE diagnostics ADD COLUMN reminder_days_before INTEGER;
ALTER TABLE diagnostics ADD COLUMN auto_reminder_sent_at TEXT;

-- A personal link sent by e-mail: the address it went to, in which language, and the last
-- reminder (at most one a day a person: the reminder's UPDATE compares and sets it).
CREATE TABLE invitation_mails (
    invitation_id TEXT PRIMARY KEY REFERENCES invitations (id),
    diagnostic_id TEXT NOT NULL REFERENCES diagnostics (id),
    -- stored lowercased
    email TEXT NOT NULL,
    -- fr, en
    language TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    last_reminded_at TEXT
);
CREATE INDEX invitation_mails_by_diagnostic ON invitation_mails (diagnostic_id);

-- An invitation to co-manage an organisation. Only a hash of the link's secret is kept; the
-- link works once (accepted_at), until it expires.
CREATE TABLE lead_invitations (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    email TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    invited_by TEXT REFERENCES accounts (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    accepted_by TEXT REFERENCES accounts (id),
    accepted_at TEXT
);
CREATE INDEX lead_invitations_by_organisation ON lead_invitations (organisation_id);

-- Per notification task, the time up to which its events have been notified: a task derives
-- its mails from the rows recorded since, and moves the mark in the transaction that queues
-- them (compare and set), so that each mail goes out once.
CREATE TABLE notification_marks (
    task TEXT PRIMARY KEY,
    done_until TEXT NOT NULL
);
