-- A personal link, once started, hands its response a link of its own (a personal link
-- under it, parent_id pointing back, as a shared link does), so that the lead who handed it
-- out, and sees it listed, cannot read or change that person's answers. started_at marks the
-- personal link as used. Personal links started before this migration keep their response
-- on the link itself (response_id): their respondents know no other link.
ALTER TABLE invitations ADD COLUMN started_at TEXT;
