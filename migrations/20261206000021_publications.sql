-- Publications: every file of a produced yearly report kept in the database, so that any
-- instance serves the same report, and the background jobs that produce them.
-- Portable SQL, as in the foundation migration: text ids and ISO-8601 text timestamps.

-- One row per file of a report: the documents, the charts, the data files, the
-- `datapackage.json`, the whole folder as a zip. `kind` is `draft` (produced by staff, seen by
-- staff only; a new draft replaces the year's previous one) or `published` (public, written
-- once when the year is published). Binary files (Parquet, zip) are kept as base64 text:
-- no binary column type reads the same on SQLite and PostgreSQL through sqlx `Any`.
CREATE TABLE report_files (
    year INTEGER NOT NULL,
    -- draft, published
    kind TEXT NOT NULL,
    -- relative to the report's folder: index.html, charts/heatmap.svg, data/coverage.csv…
    path TEXT NOT NULL,
    content_type TEXT NOT NULL,
    -- 1: `body` is base64 of the bytes; 0: `body` is the UTF-8 text itself
    base64 INTEGER NOT NULL,
    body TEXT NOT NULL,
    bytes BIGINT NOT NULL,
    produced_at TEXT NOT NULL,
    PRIMARY KEY (year, kind, path)
);

-- A background job (producing or publishing a year's report). Any instance's worker takes a
-- queued job by setting `lease_until` and `lease_holder` (compare-and-set), renews the lease
-- while it runs, and ends it only while it still holds it; a job whose instance died keeps a
-- lease that expires, and another worker takes it over.
CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    -- report_draft, report_publish
    kind TEXT NOT NULL,
    year INTEGER NOT NULL,
    -- queued, running, done, failed
    status TEXT NOT NULL,
    requested_by TEXT REFERENCES accounts (id),
    requested_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    lease_holder TEXT,
    lease_until TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    -- the step the job is at, shown to staff
    progress TEXT NOT NULL DEFAULT '',
    -- what went wrong, for a failed job
    error TEXT
);
CREATE INDEX jobs_by_status ON jobs (status, requested_at);
-- One job of a kind and year at a time: asking again while it waits or runs adds nothing.
CREATE UNIQUE INDEX jobs_one_active ON jobs (kind, year) WHERE status IN ('queued', 'running');
