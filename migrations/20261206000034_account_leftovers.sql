-- Issue 13's leftovers: a password reset asked for is handled by the worker, so that the
-- request is answered after the same work whether the address has an account or not (the
-- page no longer looks the address up). A row lives until a worker takes it, seconds
-- later; the address as typed (trimmed, lowercased) is needed to find the account.
-- Portable SQL, as in the foundation migration.
CREATE TABLE password_reset_queue (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    requested_at TEXT NOT NULL
);
CREATE INDEX password_reset_queue_by_time ON password_reset_queue (requested_at);
