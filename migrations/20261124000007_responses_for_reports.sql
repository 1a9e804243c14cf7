-- The columns the yearly report, the open data and the score backfill read of every response,
-- in one covering index. A submitted response keeps its frozen answers (`answers_json`, a few
-- kilobytes) in its row, so scanning the table itself reads every answer of every response:
-- about 4.5 GB for a million responses on SQLite. This index lets those scans skip the rows
-- (about 130 bytes a response).
CREATE INDEX responses_for_reports
    ON responses (id, diagnostic_id, respondent_role, started_at, submitted_at);
