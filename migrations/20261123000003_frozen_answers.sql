-- A submitted response is final: its answers are also kept frozen in one JSON text, so that
-- results read one row a respondent instead of one a question.
ALTER TABLE responses ADD COLUMN answers_json TEXT;
