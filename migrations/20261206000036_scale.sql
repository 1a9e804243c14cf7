-- The open data's and the report's collective scores read the frozen answers of one year's
-- submitted responses, diagnostic after diagnostic. Through `responses_by_diagnostic` alone,
-- every response's row (its answers, a few kilobytes) had to be read to learn its year: at a
-- million responses over two years, over a gigabyte read for nothing. With the submission
-- time beside the diagnostic in the index, only the year's rows are read.
CREATE INDEX responses_by_diagnostic_submitted ON responses (diagnostic_id, submitted_at);
