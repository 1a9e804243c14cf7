-- The figures of a published evaluation report, table by table (CSV text), so that the
-- report of a published year is written again from them and never changes.
CREATE TABLE report_tables (
    year INTEGER NOT NULL REFERENCES evaluation_reports (year),
    name TEXT NOT NULL,
    csv TEXT NOT NULL,
    PRIMARY KEY (year, name)
);
