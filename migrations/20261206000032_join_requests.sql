-- An organisation's request to join a coalition, made by one of its leads from its results
-- page and answered by the coalition's porteurs (accepting makes the membership).
CREATE TABLE coalition_join_requests (
    id TEXT PRIMARY KEY,
    coalition_id TEXT NOT NULL REFERENCES coalitions (id),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    -- the accounts that asked and answered: no foreign key, so that deleting an account is
    -- never held back by a request it once made
    requested_by TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    -- pending, accepted, declined
    status TEXT NOT NULL,
    answered_by TEXT,
    answered_at TEXT
);
CREATE INDEX coalition_join_requests_by_organisation ON coalition_join_requests (organisation_id);
-- One open request per organisation and coalition.
CREATE UNIQUE INDEX coalition_join_requests_pending
    ON coalition_join_requests (coalition_id, organisation_id) WHERE status = 'pending';
