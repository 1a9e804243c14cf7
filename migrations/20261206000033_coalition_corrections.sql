-- Corrections a coalition makes to what it recorded (issue 14).
--
-- A journal entry can be edited and deleted. Its revision number is what an edit form
-- carries: an edit made from an older page is refused (409) with what changed, read from the
-- versions kept here (each edit keeps the entry as it was before it).
ALTER TABLE journal_entries ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;

CREATE TABLE journal_entry_versions (
    entry_id TEXT NOT NULL REFERENCES journal_entries (id),
    revision INTEGER NOT NULL,
    kind TEXT NOT NULL,
    occurred_on TEXT NOT NULL,
    title TEXT NOT NULL,
    attendance INTEGER,
    notes TEXT NOT NULL,
    is_public INTEGER NOT NULL,
    recorded_by TEXT REFERENCES accounts (id),
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (entry_id, revision)
);

-- An indicator whose measurements were ever validated is corrected, never deleted: figures
-- (the report, the open data) depend on it. Each correction keeps the wording it replaced and
-- why it changed, so the figures can still be read with the definition they were made with.
CREATE TABLE indicator_corrections (
    id TEXT PRIMARY KEY,
    indicator_id TEXT NOT NULL REFERENCES indicators (id),
    -- The indicator as it was before this correction.
    name TEXT NOT NULL,
    definition TEXT NOT NULL,
    unit TEXT NOT NULL,
    verification TEXT NOT NULL,
    reason TEXT NOT NULL,
    corrected_by TEXT REFERENCES accounts (id),
    corrected_at TEXT NOT NULL
);
CREATE INDEX indicator_corrections_by_indicator ON indicator_corrections (indicator_id, corrected_at);
