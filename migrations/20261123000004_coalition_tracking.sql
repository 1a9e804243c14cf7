-- Coalition tracking (issue 5): members and the stages a coalition went through, its impact
-- goals and indicators with their baselines, targets and measurements, its actions, and its
-- journal and productions. Portable SQL, as in the foundation migration; decimal figures are
-- DOUBLE PRECISION (PostgreSQL's REAL would decode only to f32).
--
-- Nothing that tells the history is ever overwritten: a baseline change, a stage change and
-- every change to a measurement are rows appended with who made them and when.

-- What managers edit beyond the seeded identity: the secondary qualities (codes separated by
-- spaces) and the levers on each dimension, in both languages (English may stay empty).
ALTER TABLE coalitions ADD COLUMN secondary_qualities TEXT NOT NULL DEFAULT '';
ALTER TABLE coalitions ADD COLUMN lever_commande_fr TEXT NOT NULL DEFAULT '';
ALTER TABLE coalitions ADD COLUMN lever_commande_en TEXT NOT NULL DEFAULT '';
ALTER TABLE coalitions ADD COLUMN lever_offre_fr TEXT NOT NULL DEFAULT '';
ALTER TABLE coalitions ADD COLUMN lever_offre_en TEXT NOT NULL DEFAULT '';
ALTER TABLE coalitions ADD COLUMN lever_usages_fr TEXT NOT NULL DEFAULT '';
ALTER TABLE coalitions ADD COLUMN lever_usages_en TEXT NOT NULL DEFAULT '';

-- The stages a coalition went through (intention, constitution, pilote, active, achevee);
-- coalitions.stage is the latest.
CREATE TABLE coalition_stage_changes (
    id TEXT PRIMARY KEY,
    coalition_id TEXT NOT NULL REFERENCES coalitions (id),
    stage TEXT NOT NULL,
    changed_on TEXT NOT NULL,
    note TEXT NOT NULL,
    recorded_by TEXT REFERENCES accounts (id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX coalition_stage_changes_by_coalition ON coalition_stage_changes (coalition_id);

-- An organisation in a coalition. Its leads act for it: a porteur's or co-porteur's leads
-- manage the coalition, a contributeur's submit measurements and journal entries.
CREATE TABLE coalition_members (
    id TEXT PRIMARY KEY,
    coalition_id TEXT NOT NULL REFERENCES coalitions (id),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    -- entreprise, collectivite, etat, association, recherche
    actor_type TEXT NOT NULL,
    -- porteur, co-porteur, contributeur, informe
    role TEXT NOT NULL,
    joined_on TEXT NOT NULL,
    left_on TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX coalition_members_by_coalition ON coalition_members (coalition_id);
CREATE INDEX coalition_members_by_organisation ON coalition_members (organisation_id);
-- One current membership per organisation and coalition.
CREATE UNIQUE INDEX coalition_members_current
    ON coalition_members (coalition_id, organisation_id) WHERE left_on IS NULL;

-- What the coalition sets out to change.
CREATE TABLE impact_goals (
    id TEXT PRIMARY KEY,
    coalition_id TEXT NOT NULL REFERENCES coalitions (id),
    statement TEXT NOT NULL,
    horizon TEXT NOT NULL,
    -- quality codes, separated by spaces
    qualities TEXT NOT NULL,
    -- dimension codes (commande, offre, usages), separated by spaces
    dimensions TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX impact_goals_by_coalition ON impact_goals (coalition_id);

-- How a goal is measured. `measure` is count, percentage, ordinal or qualitative;
-- `scale_levels` is the number of levels of an ordinal scale.
CREATE TABLE indicators (
    id TEXT PRIMARY KEY,
    coalition_id TEXT NOT NULL REFERENCES coalitions (id),
    goal_id TEXT NOT NULL REFERENCES impact_goals (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    definition TEXT NOT NULL,
    -- output, outcome, impact
    level TEXT NOT NULL,
    measure TEXT NOT NULL,
    scale_levels INTEGER,
    unit TEXT NOT NULL,
    -- increase, decrease, maintain
    direction TEXT NOT NULL,
    -- maintain only: how far from the baseline still counts as maintained, in the unit
    tolerance DOUBLE PRECISION,
    -- cumulative_sum, last_value, maximum, mean
    combination TEXT NOT NULL,
    -- annuelle, semestrielle, trimestrielle, mensuelle
    periodicity TEXT NOT NULL,
    verification TEXT NOT NULL,
    owner_organisation_id TEXT REFERENCES organisations (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (coalition_id, code)
);
CREATE INDEX indicators_by_goal ON indicators (goal_id);

-- Every baseline an indicator had; the latest recorded is the current one. A change after
-- the first states its reason.
CREATE TABLE indicator_baselines (
    id TEXT PRIMARY KEY,
    indicator_id TEXT NOT NULL REFERENCES indicators (id),
    value DOUBLE PRECISION,
    numerator DOUBLE PRECISION,
    denominator DOUBLE PRECISION,
    measured_on TEXT NOT NULL,
    source TEXT NOT NULL,
    reason TEXT NOT NULL,
    recorded_by TEXT REFERENCES accounts (id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX indicator_baselines_by_indicator ON indicator_baselines (indicator_id);

-- Milestones and the final target, one per date.
CREATE TABLE indicator_targets (
    id TEXT PRIMARY KEY,
    indicator_id TEXT NOT NULL REFERENCES indicators (id),
    due_on TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    is_final INTEGER NOT NULL,
    recorded_by TEXT REFERENCES accounts (id),
    recorded_at TEXT NOT NULL,
    UNIQUE (indicator_id, due_on)
);

-- A measurement of an indicator for a period (the date it refers to); its content lives in
-- its revisions.
CREATE TABLE measurements (
    id TEXT PRIMARY KEY,
    indicator_id TEXT NOT NULL REFERENCES indicators (id),
    measured_on TEXT NOT NULL,
    created_by TEXT REFERENCES accounts (id),
    created_at TEXT NOT NULL
);
CREATE INDEX measurements_by_indicator ON measurements (indicator_id);

-- Every state a measurement went through, appended: a new value, a submission, a validation
-- or a return to draft is a new revision. The highest revision is the current state.
CREATE TABLE measurement_revisions (
    measurement_id TEXT NOT NULL REFERENCES measurements (id),
    revision INTEGER NOT NULL,
    value DOUBLE PRECISION,
    numerator DOUBLE PRECISION,
    denominator DOUBLE PRECISION,
    narrative TEXT,
    evidence_url TEXT NOT NULL,
    comment TEXT NOT NULL,
    -- draft, submitted, validated
    status TEXT NOT NULL,
    recorded_by TEXT REFERENCES accounts (id),
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (measurement_id, revision)
);

-- A published yearly evaluation report; its year's measurements are locked.
CREATE TABLE evaluation_reports (
    year INTEGER PRIMARY KEY,
    published_at TEXT NOT NULL,
    published_by TEXT REFERENCES accounts (id)
);

-- What the coalition does, on one lever.
CREATE TABLE coalition_actions (
    id TEXT PRIMARY KEY,
    coalition_id TEXT NOT NULL REFERENCES coalitions (id),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    -- commande, offre, usages
    dimension TEXT NOT NULL,
    owner_organisation_id TEXT REFERENCES organisations (id),
    due_on TEXT,
    -- a_faire, en_cours, fait
    status TEXT NOT NULL,
    created_by TEXT REFERENCES accounts (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX coalition_actions_by_coalition ON coalition_actions (coalition_id);

-- The goals and indicators an action serves.
CREATE TABLE action_goals (
    action_id TEXT NOT NULL REFERENCES coalition_actions (id),
    goal_id TEXT NOT NULL REFERENCES impact_goals (id),
    PRIMARY KEY (action_id, goal_id)
);
CREATE TABLE action_indicators (
    action_id TEXT NOT NULL REFERENCES coalition_actions (id),
    indicator_id TEXT NOT NULL REFERENCES indicators (id),
    PRIMARY KEY (action_id, indicator_id)
);

-- The coalition's continuous documentation: a Reset Day, a workshop, a decision. An entry
-- not made public is read by the coalition's members and the programme staff only.
CREATE TABLE journal_entries (
    id TEXT PRIMARY KEY,
    coalition_id TEXT NOT NULL REFERENCES coalitions (id),
    -- reset_day, atelier, decision, reunion, autre
    kind TEXT NOT NULL,
    occurred_on TEXT NOT NULL,
    title TEXT NOT NULL,
    attendance INTEGER,
    notes TEXT NOT NULL,
    is_public INTEGER NOT NULL,
    recorded_by TEXT REFERENCES accounts (id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX journal_entries_by_coalition ON journal_entries (coalition_id, occurred_on);

-- What the coalition publishes (CC BY 4.0 unless stated otherwise).
CREATE TABLE productions (
    id TEXT PRIMARY KEY,
    coalition_id TEXT NOT NULL REFERENCES coalitions (id),
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    licence TEXT NOT NULL,
    published_on TEXT NOT NULL,
    description TEXT NOT NULL,
    recorded_by TEXT REFERENCES accounts (id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX productions_by_coalition ON productions (coalition_id);
