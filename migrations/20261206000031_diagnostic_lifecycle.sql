-- A diagnostic's life as its leads manage it (issue 14): responses set aside, and the
-- diagnostic's history of who did what and when. Portable between SQLite and PostgreSQL
-- (TEXT ids and ISO-8601 timestamps made by the application).

-- A submitted response its leads set aside: while its row is here, the diagnostic's results
-- are computed without it. The response itself is never changed (nothing changes a response
-- after its submit): undoing deletes this row, and the history keeps both moves.
CREATE TABLE set_aside_responses (
    response_id TEXT PRIMARY KEY REFERENCES responses (id),
    diagnostic_id TEXT NOT NULL REFERENCES diagnostics (id),
    reason TEXT NOT NULL,
    -- The lead who set it aside (no foreign key: the history outlives a deleted account,
    -- which is then shown as such).
    account_id TEXT NOT NULL,
    set_aside_at TEXT NOT NULL
);
CREATE INDEX set_aside_responses_by_diagnostic ON set_aside_responses (diagnostic_id);

-- What a diagnostic's leads did to it: closed, reopened, a response set aside or restored, a
-- link revoked or reinstated. `action` is a code of the core (`DiagnosticAction`).
CREATE TABLE diagnostic_events (
    id TEXT PRIMARY KEY,
    diagnostic_id TEXT NOT NULL REFERENCES diagnostics (id),
    happened_at TEXT NOT NULL,
    account_id TEXT NOT NULL,
    action TEXT NOT NULL,
    response_id TEXT,
    invitation_id TEXT,
    reason TEXT
);
CREATE INDEX diagnostic_events_by_diagnostic ON diagnostic_events (diagnostic_id, happened_at);
