-- Issue 11, coalitions: an organisation chooses whether coalition managers may find it, and
-- joins a coalition only when its lead accepts an invitation (or the programme staff add it).
-- Portable SQL, as in the foundation migration.

-- Whether the organisation appears in the public directory, where coalition managers search
-- for organisations to invite. Off unless its lead turns it on (the demo's are on).
ALTER TABLE organisations ADD COLUMN in_directory INTEGER NOT NULL DEFAULT 0;

-- A coalition manager's invitation to an organisation, answered by one of its leads.
CREATE TABLE coalition_invitations (
    id TEXT PRIMARY KEY,
    coalition_id TEXT NOT NULL REFERENCES coalitions (id),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    -- the membership it proposes
    actor_type TEXT NOT NULL,
    role TEXT NOT NULL,
    joined_on TEXT NOT NULL,
    invited_by TEXT REFERENCES accounts (id),
    invited_at TEXT NOT NULL,
    -- pending, accepted, declined
    status TEXT NOT NULL,
    answered_by TEXT REFERENCES accounts (id),
    answered_at TEXT
);
CREATE INDEX coalition_invitations_by_organisation ON coalition_invitations (organisation_id);
-- One open invitation per organisation and coalition.
CREATE UNIQUE INDEX coalition_invitations_pending
    ON coalition_invitations (coalition_id, organisation_id) WHERE status = 'pending';
