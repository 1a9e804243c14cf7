-- Foundation schema, portable between SQLite and PostgreSQL through sqlx's Any driver:
-- ids are made by the application (UUIDv7 or v5 as text), timestamps are ISO-8601 UTC text,
-- booleans would be 0/1 integers. Nothing here may use a type only one backend decodes.

-- Every questionnaire version the service has seen, with the hash of its file: once a
-- version has a response, its file must not change.
CREATE TABLE questionnaire_versions (
    slug TEXT NOT NULL,
    version TEXT NOT NULL,
    audience TEXT NOT NULL,
    title_fr TEXT NOT NULL,
    title_en TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    first_seen_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (slug, version)
);

CREATE TABLE organisations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    -- commune, intercommunalite, departement, region, etat, entreprise, association, recherche
    kind TEXT NOT NULL,
    siren TEXT,
    departement TEXT,
    commune_insee TEXT,
    size_band TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE coalitions (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    -- environnement, democratie, inclusion
    family TEXT NOT NULL,
    name_fr TEXT NOT NULL,
    name_en TEXT NOT NULL,
    problem_fr TEXT NOT NULL,
    problem_en TEXT NOT NULL,
    impact_fr TEXT NOT NULL,
    impact_en TEXT NOT NULL,
    narrative_fr TEXT NOT NULL,
    narrative_en TEXT NOT NULL,
    -- locale, nationale, europeenne
    scale TEXT NOT NULL,
    -- intention, constitution, pilote, active, achevee
    stage TEXT NOT NULL,
    primary_quality TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- A diagnostic: one organisation (or coalition) taking one questionnaire version. All its
-- responses are pinned to that version and always scored with it.
CREATE TABLE diagnostics (
    id TEXT PRIMARY KEY,
    organisation_id TEXT REFERENCES organisations (id),
    coalition_id TEXT REFERENCES coalitions (id),
    questionnaire_slug TEXT NOT NULL,
    questionnaire_version TEXT NOT NULL,
    title TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    closed_at TEXT,
    FOREIGN KEY (questionnaire_slug, questionnaire_version)
        REFERENCES questionnaire_versions (slug, version),
    CHECK ((organisation_id IS NULL) <> (coalition_id IS NULL))
);
CREATE INDEX diagnostics_by_version ON diagnostics (questionnaire_slug, questionnaire_version);
CREATE INDEX diagnostics_by_organisation ON diagnostics (organisation_id);
CREATE INDEX diagnostics_by_coalition ON diagnostics (coalition_id);

-- One person's answers to a diagnostic.
CREATE TABLE responses (
    id TEXT PRIMARY KEY,
    diagnostic_id TEXT NOT NULL REFERENCES diagnostics (id),
    respondent_role TEXT NOT NULL,
    started_at TEXT NOT NULL,
    submitted_at TEXT
);
CREATE INDEX responses_by_diagnostic ON responses (diagnostic_id);

-- state: answered, not_applicable, dont_know; value: the canonical value when answered.
CREATE TABLE answers (
    response_id TEXT NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    question_id TEXT NOT NULL,
    state TEXT NOT NULL,
    value TEXT,
    justification TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (response_id, question_id)
);
