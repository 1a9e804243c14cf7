-- Where a respondent stopped (issue 14): the step « Reprendre » leads to, 1 to 7, or 8 for the
-- review. Recorded at each saved page; NULL for a response saved before it was, which resumes
-- at its first step not done.
ALTER TABLE responses ADD COLUMN resume_step INTEGER;
