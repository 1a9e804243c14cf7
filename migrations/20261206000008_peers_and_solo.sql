-- Who counts as a peer, and diagnostics answered alone. Portable SQL, as in the foundation
-- migration (0/1 integers for booleans).

-- Set by programme staff once they have checked that the organisation exists and is who it
-- says: only verified organisations count among the peers of another (a lead cannot make up
-- organisations to read a real peer's scores through the medians).
ALTER TABLE organisations ADD COLUMN verified INTEGER NOT NULL DEFAULT 0;

-- 1 when the lead answers alone (« je réponds seul·e »): the results are that person's own
-- answers, shown at once; such a diagnostic has a single link and never counts as a peer's
-- collective result.
ALTER TABLE diagnostics ADD COLUMN solo INTEGER NOT NULL DEFAULT 0;
