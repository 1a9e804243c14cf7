-- The scores of each submitted response, computed once at submission with its pinned
-- questionnaire version (versions are immutable once answered, so they never change): the
-- yearly report and the open data read these columns instead of re-scoring every answer.
-- Scores are out of 100 and NULL when no question of the quality, dimension or cell was
-- answered; column names follow the codes of `crate::domain` (q_<quality>, d_<dimension>,
-- c_<quality>_<dimension>).
CREATE TABLE response_scores (
    response_id TEXT PRIMARY KEY REFERENCES responses (id) ON DELETE CASCADE,
    -- the overall index: plain mean of the defined quality scores
    overall DOUBLE PRECISION,
    q_inclusif DOUBLE PRECISION,
    q_frugal DOUBLE PRECISION,
    q_democratique DOUBLE PRECISION,
    q_protecteur DOUBLE PRECISION,
    q_innovant DOUBLE PRECISION,
    q_capacitant DOUBLE PRECISION,
    q_equitable DOUBLE PRECISION,
    d_commande DOUBLE PRECISION,
    d_offre DOUBLE PRECISION,
    d_usages DOUBLE PRECISION,
    c_inclusif_commande DOUBLE PRECISION,
    c_inclusif_offre DOUBLE PRECISION,
    c_inclusif_usages DOUBLE PRECISION,
    c_frugal_commande DOUBLE PRECISION,
    c_frugal_offre DOUBLE PRECISION,
    c_frugal_usages DOUBLE PRECISION,
    c_democratique_commande DOUBLE PRECISION,
    c_democratique_offre DOUBLE PRECISION,
    c_democratique_usages DOUBLE PRECISION,
    c_protecteur_commande DOUBLE PRECISION,
    c_protecteur_offre DOUBLE PRECISION,
    c_protecteur_usages DOUBLE PRECISION,
    c_innovant_commande DOUBLE PRECISION,
    c_innovant_offre DOUBLE PRECISION,
    c_innovant_usages DOUBLE PRECISION,
    c_capacitant_commande DOUBLE PRECISION,
    c_capacitant_offre DOUBLE PRECISION,
    c_capacitant_usages DOUBLE PRECISION,
    c_equitable_commande DOUBLE PRECISION,
    c_equitable_offre DOUBLE PRECISION,
    c_equitable_usages DOUBLE PRECISION,
    -- scored questions answered, scored questions, and their ratio in [0, 1]
    answered BIGINT NOT NULL,
    scored BIGINT NOT NULL,
    coverage DOUBLE PRECISION NOT NULL
);

-- Secrets of this instance, made once when first needed: `open_data_pseudonyms` keys the
-- pseudonyms of organisations and diagnostics in the open data, so that knowing a database
-- id does not find its rows, while two exports of one database stay identical.
CREATE TABLE instance_secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    created_at TEXT NOT NULL
);
