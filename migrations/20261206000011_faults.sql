-- Issue 11, faults.
-- When a response was last saved; the save's UPDATE of this column is also what makes a
-- save and the final submit of one response take turns (see `database::save_answers`).
ALTER TABLE responses ADD COLUMN last_saved_at TEXT;

-- The write probe of /health: one row of 64 KiB, replaced at each check, so that a disk
-- that cannot take new data shows as failing writes.
CREATE TABLE health_probes (
    id TEXT PRIMARY KEY,
    payload TEXT NOT NULL,
    written_at TEXT NOT NULL
);
