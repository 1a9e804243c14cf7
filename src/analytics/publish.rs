//! The open data of a year: each diagnostic's collective scores and every published
//! aggregate, written as CSV and Parquet with a `README.md` describing each file and field,
//! under CC BY 4.0.
//!
//! Nobody is singled out: the unit is the diagnostic, never the response, and only a
//! diagnostic with at least [`MIN_RESPONDENTS`] submitted respondents is published, with the
//! scores of their pooled answers and no role ([`diagnostics_table`]); no name, email, token,
//! invitation label or free-text answer ever enters the frame (it holds none); organisations
//! and diagnostics appear only as keyed pseudonyms (HMAC-SHA-256 with a secret of the
//! instance, so that knowing a database id does not find its rows); the kind and the
//! département are left blank where fewer than five organisations share them; every
//! aggregate group of fewer than five organisations is withheld, counts included. Only
//! organisations verified by programme staff are counted at all (the caller lists only
//! theirs, see [`population_fr_en`]), so that organisations anyone can make up cannot fill a
//! group.
//!
//! Deterministic: everything is sorted and nothing depends on the clock, so the same database
//! and year give byte-identical files.

use super::aggregate::{self, Grouping};
use super::{MIN_ORGANISATIONS, progress, score_columns};
use crate::domain::scoring::Scores;
use hmac::{Hmac, Mac};
use polars::prelude::*;
use polars_io::prelude::{CsvWriter, ParquetWriter, SerWriter};
use sha2::Sha256;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// A published table: its file name (without extension) and its rows.
pub struct Table {
    pub name: &'static str,
    pub frame: DataFrame,
}

/// A keyed, non-reversible pseudonym: 16 hexadecimal characters of HMAC-SHA-256.
pub fn pseudonym(secret: &[u8], kind: &str, id: &str) -> String {
    // HMAC accepts keys of any length: this cannot fail.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        return String::new();
    };
    mac.update(kind.as_bytes());
    mac.update(b":");
    mac.update(id.as_bytes());
    mac.finalize().into_bytes()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A published row needs the collective answers of this many submitted respondents: with
/// fewer, a diagnostic's scores would be one or two identifiable people's own (the same
/// threshold as the roles of the results page).
pub const MIN_RESPONDENTS: usize = 3;

/// A diagnostic of the year with its collective scores: the scores of its submitted
/// respondents' per-question means, as its results page computes them
/// ([`crate::domain::scoring::score_group`]).
#[derive(Debug, Clone)]
pub struct Collective {
    pub diagnostic_id: String,
    pub organisation_id: String,
    pub organisation_kind: String,
    pub departement: Option<String>,
    pub questionnaire_slug: String,
    pub questionnaire_version: String,
    /// Submitted respondents whose answers the scores are made of.
    pub respondents: usize,
    pub scores: Scores,
}

/// The open data's unit: one row per diagnostic of the year with at least
/// [`MIN_RESPONDENTS`] submitted respondents, with its collective scores.
///
/// Why not one row per response: a lead who reads their own results could match a row to a
/// role of one person and read that person's scores. So no row is about fewer than
/// [`MIN_RESPONDENTS`] people, and no row carries a role. The kind is left blank where fewer
/// than [`MIN_ORGANISATIONS`] organisations of the published rows are of that kind, and the
/// département where fewer than [`MIN_ORGANISATIONS`] of them share its kind and
/// département, or the département alone: a blank is what hides a small group.
///
/// Columns: `diagnostic`, `organisation` (pseudonyms), `organisation_kind`, `departement`
/// (blank when withheld), `questionnaire_slug`, `questionnaire_version`, `year`,
/// `respondents`, `index`, `q_*`, `d_*`, `c_*`, `coverage`.
pub fn diagnostics_table(
    year: i32,
    diagnostics: &[Collective],
    secret: &[u8],
) -> PolarsResult<DataFrame> {
    let kept: Vec<&Collective> = diagnostics
        .iter()
        .filter(|d| d.respondents >= MIN_RESPONDENTS)
        .collect();
    let mut by_kind: HashMap<&str, HashSet<&str>> = HashMap::new();
    let mut by_place: HashMap<(&str, Option<&str>), HashSet<&str>> = HashMap::new();
    let mut by_departement: HashMap<Option<&str>, HashSet<&str>> = HashMap::new();
    for d in &kept {
        let (kind, place, org) = (
            d.organisation_kind.as_str(),
            d.departement.as_deref(),
            d.organisation_id.as_str(),
        );
        by_kind.entry(kind).or_default().insert(org);
        by_place.entry((kind, place)).or_default().insert(org);
        by_departement.entry(place).or_default().insert(org);
    }
    let large = |n: usize| n as i64 >= MIN_ORGANISATIONS;
    let mut rows: Vec<(String, String, &Collective)> = kept
        .into_iter()
        .map(|d| {
            (
                pseudonym(secret, "organisation", &d.organisation_id),
                pseudonym(secret, "diagnostic", &d.diagnostic_id),
                d,
            )
        })
        .collect();
    rows.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    let mut kinds: Vec<Option<&str>> = Vec::with_capacity(rows.len());
    let mut places: Vec<Option<&str>> = Vec::with_capacity(rows.len());
    for (_, _, d) in &rows {
        let kind = d.organisation_kind.as_str();
        let place = d.departement.as_deref();
        let kind_shown = by_kind.get(kind).is_some_and(|o| large(o.len()));
        let place_shown = kind_shown
            && by_place.get(&(kind, place)).is_some_and(|o| large(o.len()))
            && by_departement.get(&place).is_some_and(|o| large(o.len()));
        kinds.push(kind_shown.then_some(kind));
        places.push(if place_shown { place } else { None });
    }
    let text = |f: fn(&Collective) -> &str| -> Vec<&str> { rows.iter().map(|r| f(r.2)).collect() };
    let mut columns = vec![
        Column::new(
            "diagnostic".into(),
            rows.iter().map(|r| r.1.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "organisation".into(),
            rows.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(),
        ),
        Column::new("organisation_kind".into(), kinds),
        Column::new("departement".into(), places),
        Column::new("questionnaire_slug".into(), text(|d| &d.questionnaire_slug)),
        Column::new(
            "questionnaire_version".into(),
            text(|d| &d.questionnaire_version),
        ),
        Column::new("year".into(), vec![year; rows.len()]),
        Column::new(
            "respondents".into(),
            rows.iter()
                .map(|r| r.2.respondents as i64)
                .collect::<Vec<_>>(),
        ),
    ];
    let values: Vec<Vec<Option<f64>>> = rows
        .iter()
        .map(|r| super::frames::score_values(&r.2.scores))
        .collect();
    for (i, name) in score_columns().into_iter().enumerate() {
        columns.push(Column::new(
            name.into(),
            values.iter().map(|v| v[i]).collect::<Vec<_>>(),
        ));
    }
    columns.push(Column::new(
        "coverage".into(),
        rows.iter()
            .map(|r| r.2.scores.coverage())
            .collect::<Vec<_>>(),
    ));
    DataFrame::new_infer_height(columns)
}

/// The diagnostics of at least [`MIN_RESPONDENTS`] respondents as a frame the score
/// aggregates read ([`aggregate::quality_distribution`], [`aggregate::heatmap`]): one row per
/// diagnostic with `organisation_id`, `organisation_kind`, `departement`, `respondents` and
/// its collective `index`, `q_*`, `d_*`, `c_*`, `coverage`.
///
/// Why diagnostics and not responses: a minimum, a maximum or a quartile of responses is one
/// person's own score; of diagnostics, it is a group's of three people or more.
pub fn collective_frame(diagnostics: &[Collective]) -> PolarsResult<DataFrame> {
    let kept: Vec<&Collective> = diagnostics
        .iter()
        .filter(|d| d.respondents >= MIN_RESPONDENTS)
        .collect();
    let text = |f: fn(&Collective) -> &str| -> Vec<&str> { kept.iter().map(|d| f(d)).collect() };
    let mut columns = vec![
        Column::new("diagnostic_id".into(), text(|d| &d.diagnostic_id)),
        Column::new("organisation_id".into(), text(|d| &d.organisation_id)),
        Column::new("organisation_kind".into(), text(|d| &d.organisation_kind)),
        Column::new(
            "departement".into(),
            kept.iter()
                .map(|d| d.departement.as_deref())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "respondents".into(),
            kept.iter()
                .map(|d| d.respondents as i64)
                .collect::<Vec<_>>(),
        ),
    ];
    let values: Vec<Vec<Option<f64>>> = kept
        .iter()
        .map(|d| super::frames::score_values(&d.scores))
        .collect();
    for (i, name) in score_columns().into_iter().enumerate() {
        columns.push(Column::new(
            name.into(),
            values.iter().map(|v| v[i]).collect::<Vec<_>>(),
        ));
    }
    columns.push(Column::new(
        "coverage".into(),
        kept.iter().map(|d| d.scores.coverage()).collect::<Vec<_>>(),
    ));
    DataFrame::new_infer_height(columns)
}

/// One row per organisation: the mean of its diagnostics' collective scores in the year
/// (most organisations have one), with its kind and département.
///
/// Why: the distributions and the heatmap describe organisations, so each counts once; an
/// organisation that ran two diagnostics would otherwise weigh twice. Rows keep the order of
/// `collective` within an organisation and come out sorted by organisation, so the same
/// database gives the same figures to the last bit.
pub fn organisation_frame(collective: LazyFrame) -> PolarsResult<DataFrame> {
    let mut aggs = vec![
        col("organisation_kind").first(),
        col("departement").first(),
        col("respondents").sum(),
    ];
    aggs.extend(score_columns().into_iter().map(|c| col(c.as_str()).mean()));
    aggs.push(col("coverage").mean());
    // Sorted eagerly: a lazy sort before an aggregation that ignores order may be dropped by
    // the optimiser, and a mean summed in another order differs in its last digits.
    collective
        .group_by_stable([col("organisation_id")])
        .agg(aggs)
        .collect()?
        .sort(["organisation_id"], SortMultipleOptions::default())
}

/// Participation of year N − 1 and of year N side by side, for the key findings: the overall
/// row of [`aggregate::participation`] of each year, with a `year` column first.
pub fn participation_by_year(frame: &DataFrame, year: i32) -> PolarsResult<DataFrame> {
    let mut years = Vec::new();
    for y in [year - 1, year] {
        let row = aggregate::participation(
            super::frames::of_year(frame.clone().lazy(), y),
            Grouping::Overall,
        )?;
        years.push(row.lazy().select([lit(y).alias("year"), all().as_expr()]));
    }
    concat(years, UnionArgs::default())?.collect()
}

/// Every published aggregate of a year, in the order the README lists them.
///
/// `frame` holds the responses of years N − 1 and N (see [`super::frames`]), counted for
/// participation, coverage and progress; `collective` the year's diagnostics of at least
/// [`MIN_RESPONDENTS`] respondents ([`collective_frame`]), whose scores make the
/// distributions and the heatmap; `rescored` and `comparable` come from [`progress`]
/// (re-scored cross-version responses, and the comparable questions stated).
pub fn aggregate_tables(
    frame: &DataFrame,
    collective: &DataFrame,
    year: i32,
    rescored: Option<DataFrame>,
    comparable: DataFrame,
) -> PolarsResult<Vec<Table>> {
    let all = frame.clone().lazy();
    let organisations = organisation_frame(collective.clone().lazy())?;
    let diagnostics = || organisations.clone().lazy();
    let this = || super::frames::of_year(all.clone(), year);
    // An organisation's change is published (within groups) only when both of its years
    // pool at least MIN_RESPONDENTS people: the median change of five organisations is one
    // organisation's own, and it must not be one person's.
    let enough = lit(MIN_RESPONDENTS as i64);
    let changes = progress::organisation_changes(all.clone(), year, rescored)?
        .lazy()
        .filter(
            col("respondents_before")
                .cast(DataType::Int64)
                .gt_eq(enough.clone())
                .and(col("respondents_after").cast(DataType::Int64).gt_eq(enough)),
        )
        .collect()?;
    Ok(vec![
        Table {
            name: "participation",
            frame: aggregate::participation(this(), Grouping::Overall)?,
        },
        Table {
            name: "participation_by_kind",
            frame: aggregate::participation(this(), Grouping::Kind)?,
        },
        Table {
            name: "participation_by_departement",
            frame: aggregate::participation(this(), Grouping::Departement)?,
        },
        Table {
            name: "participation_by_month",
            frame: aggregate::participation(this(), Grouping::Month)?,
        },
        Table {
            name: "quality_distribution",
            frame: aggregate::quality_distribution(diagnostics(), false)?,
        },
        Table {
            name: "quality_distribution_by_kind",
            frame: aggregate::quality_distribution(diagnostics(), true)?,
        },
        Table {
            name: "heatmap",
            frame: aggregate::heatmap(diagnostics(), false)?,
        },
        Table {
            name: "heatmap_by_kind",
            frame: aggregate::heatmap(diagnostics(), true)?,
        },
        Table {
            name: "progress",
            frame: progress::progress_summary(&changes, false)?,
        },
        Table {
            name: "progress_by_kind",
            frame: progress::progress_summary(&changes, true)?,
        },
        Table {
            name: "comparable_questions",
            frame: comparable,
        },
        Table {
            name: "coverage",
            frame: aggregate::coverage(this(), false)?,
        },
        Table {
            name: "coverage_by_kind",
            frame: aggregate::coverage(this(), true)?,
        },
    ])
}

/// Writes `<name>.csv` and `<name>.parquet` of each table into `dir`; returns the files.
pub fn write_tables(dir: &Path, tables: &mut [Table]) -> PolarsResult<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    for table in tables.iter_mut() {
        // Both files from the same neutralised frame: they carry the same values.
        let mut safe = crate::analytics::csv_cells::neutralise_frame(&table.frame)?;
        let csv = dir.join(format!("{}.csv", table.name));
        CsvWriter::new(std::fs::File::create(&csv)?).finish(&mut safe)?;
        let parquet = dir.join(format!("{}.parquet", table.name));
        ParquetWriter::new(std::fs::File::create(&parquet)?).finish(&mut safe)?;
        written.push(csv);
        written.push(parquet);
    }
    Ok(written)
}

/// The CSV and Parquet bytes of a table, from the same neutralised frame as
/// [`write_tables`] writes.
pub fn encode_table(table: &Table) -> PolarsResult<(Vec<u8>, Vec<u8>)> {
    let mut safe = crate::analytics::csv_cells::neutralise_frame(&table.frame)?;
    let mut csv = Vec::new();
    CsvWriter::new(&mut csv).finish(&mut safe)?;
    let mut parquet = Vec::new();
    ParquetWriter::new(&mut parquet).finish(&mut safe)?;
    Ok((csv, parquet))
}

/// Benchmark and check: reads an exported `diagnostics.parquet`, computes the per-quality
/// distribution and the heatmap (all organisations), writes them as
/// `quality_distribution.csv` and `heatmap.csv` into `out`; returns the rows read.
pub fn aggregates_of_parquet(parquet: &Path, out: &Path) -> PolarsResult<usize> {
    use polars_io::prelude::{ParquetReader, SerReader};
    let mut df = ParquetReader::new(std::fs::File::open(parquet)?).finish()?;
    df.rename("organisation", "organisation_id".into())?;
    let n = df.height();
    let lf = df.lazy();
    let mut tables = [
        Table {
            name: "quality_distribution",
            frame: aggregate::quality_distribution(lf.clone(), false)?,
        },
        Table {
            name: "heatmap",
            frame: aggregate::heatmap(lf, false)?,
        },
    ];
    std::fs::create_dir_all(out)?;
    for table in &mut tables {
        let file = std::fs::File::create(out.join(format!("{}.csv", table.name)))?;
        crate::analytics::csv_cells::write_csv(file, &table.frame)?;
    }
    Ok(n)
}

/// What a field means, French then English.
pub fn field_description(name: &str) -> String {
    let known = |fr: &str, en: &str| format!("{fr} — {en}");
    if let Some(code) = name.strip_prefix("q_") {
        return known(
            &format!("score de la qualité « {code} », sur 100"),
            &format!("score of the quality \"{code}\", out of 100"),
        );
    }
    if let Some(code) = name.strip_prefix("d_") {
        return known(
            &format!("score de la dimension « {code} », sur 100"),
            &format!("score of the dimension \"{code}\", out of 100"),
        );
    }
    if let Some(code) = name.strip_prefix("c_") {
        return known(
            &format!("score de la case qualité × dimension « {code} », sur 100"),
            &format!("score of the quality × dimension cell \"{code}\", out of 100"),
        );
    }
    let (fr, en) = match name {
        "organisation" => (
            "pseudonyme de l'organisation (stable dans un export, irréversible)",
            "pseudonym of the organisation (stable within an export, not reversible)",
        ),
        "diagnostic" => ("pseudonyme du diagnostic", "pseudonym of the diagnostic"),
        "organisation_kind" => (
            "type d'organisation (vide si moins de 5 organisations publiées de ce type)",
            "kind of organisation (blank when fewer than 5 published organisations of that kind)",
        ),
        "departement" => (
            "département (vide si moins de 5 organisations publiées de ce type y sont, ou moins de 5 en tout)",
            "département (blank when fewer than 5 published organisations of that kind are there, or fewer than 5 in all)",
        ),
        "questionnaire_slug" => ("questionnaire", "questionnaire"),
        "questionnaire_version" => ("version du questionnaire", "questionnaire version"),
        "respondents" => (
            "personnes ayant envoyé leurs réponses au diagnostic (3 au moins)",
            "people who submitted their answers to the diagnostic (3 or more)",
        ),
        "year" => ("année d'envoi", "year of submission"),
        "month" => (
            "mois d'envoi, ou de début pour une réponse non envoyée (AAAA-MM)",
            "month of submission, or of start for a response not submitted (YYYY-MM)",
        ),
        "index" => (
            "indice global : moyenne des scores de qualité définis, sur 100",
            "overall index: mean of the defined quality scores, out of 100",
        ),
        "coverage" => (
            "part des questions notées ayant une réponse, entre 0 et 1",
            "share of scored questions answered, from 0 to 1",
        ),
        "organisations" => (
            "organisations distinctes du groupe",
            "distinct organisations in the group",
        ),
        "organisations_submitted" => (
            "organisations ayant envoyé au moins une réponse",
            "organisations with at least one submitted response",
        ),
        "started" => ("réponses commencées", "responses started"),
        "submitted" => ("réponses envoyées", "responses submitted"),
        "completion_rate" => (
            "taux de complétion : envoyées / commencées",
            "completion rate: submitted / started",
        ),
        "quality" => ("code de la qualité", "quality code"),
        "dimension" => ("code de la dimension", "dimension code"),
        "n" => (
            "diagnostics (de 3 personnes répondantes ou plus) ayant un score",
            "diagnostics (of 3 respondents or more) with a score",
        ),
        "mean" => ("moyenne, sur 100", "mean, out of 100"),
        "median" => ("médiane, sur 100", "median, out of 100"),
        "q1" => (
            "premier quartile (interpolation linéaire)",
            "first quartile (linear interpolation)",
        ),
        "q3" => (
            "troisième quartile (interpolation linéaire)",
            "third quartile (linear interpolation)",
        ),
        "min" => ("minimum", "minimum"),
        "max" => ("maximum", "maximum"),
        "mean_before" => (
            "moyenne des organisations l'année précédente",
            "mean of the organisations the year before",
        ),
        "mean_after" => (
            "moyenne des organisations l'année du rapport",
            "mean of the organisations in the report's year",
        ),
        "mean_change" => ("évolution moyenne, en points", "mean change, in points"),
        "median_change" => ("évolution médiane, en points", "median change, in points"),
        "improved" => (
            "organisations dont le score a progressé",
            "organisations whose score rose",
        ),
        "earlier_version" => (
            "version de l'année précédente",
            "version of the year before",
        ),
        "later_version" => (
            "version de l'année du rapport",
            "version of the report's year",
        ),
        "earlier_question" => (
            "question de la version précédente",
            "question of the earlier version",
        ),
        "later_question" => (
            "question comparable de la version récente (`same_as`)",
            "comparable question of the later version (`same_as`)",
        ),
        "responses" => ("réponses envoyées", "submitted responses"),
        "mean_coverage" => (
            "couverture moyenne, entre 0 et 1",
            "mean coverage, from 0 to 1",
        ),
        "low_coverage" => (
            "réponses couvrant moins de la moitié des questions notées",
            "responses covering less than half of the scored questions",
        ),
        "suppressed" => (
            "vrai si le groupe compte moins de 5 organisations : ses valeurs sont masquées",
            "true when the group has fewer than 5 organisations: its values are withheld",
        ),
        "organisations_scored" => (
            "organisations ayant un diagnostic d'au moins 3 personnes répondantes dans l'année (vide si masqué)",
            "organisations with a diagnostic of at least 3 respondents in the year (empty when withheld)",
        ),
        "scores_suppressed" => (
            "vrai si moins de 5 organisations sont notées dans l'année : leurs scores sont masqués",
            "true when fewer than 5 organisations are scored in the year: their scores are withheld",
        ),
        _ => ("", ""),
    };
    known(fr, en)
}

pub fn table_description(name: &str) -> (&'static str, &'static str) {
    match name {
        "diagnostics" => (
            "Les diagnostics de l'année ayant au moins 3 personnes répondantes, avec leurs scores collectifs (ceux de la moyenne des réponses, comme la page de résultats) ; une ligne par diagnostic, jamais par personne, sans rôle.",
            "The year's diagnostics with at least 3 respondents, with their collective scores (those of the pooled answers, as on the results page); one row per diagnostic, never per person, no role.",
        ),
        "participation" => ("Participation de l'année.", "Participation in the year."),
        "participation_by_kind" => (
            "Participation par type d'organisation.",
            "Participation by kind of organisation.",
        ),
        "participation_by_departement" => (
            "Participation par département.",
            "Participation by département.",
        ),
        "participation_by_month" => ("Participation par mois.", "Participation by month."),
        "quality_distribution" => (
            "Distribution des scores collectifs des diagnostics (3 personnes répondantes ou plus), pour chaque qualité.",
            "Distribution of the diagnostics' collective scores (3 respondents or more), for each quality.",
        ),
        "quality_distribution_by_kind" => (
            "Distribution des scores de chaque qualité, par type d'organisation.",
            "Distribution of each quality's scores, by kind of organisation.",
        ),
        "heatmap" => (
            "Score collectif moyen des diagnostics (3 personnes répondantes ou plus) dans chaque case qualité × dimension.",
            "Mean collective score of the diagnostics (3 respondents or more) in each quality × dimension cell.",
        ),
        "heatmap_by_kind" => (
            "Score moyen de chaque case, par type d'organisation.",
            "Mean score of each cell, by kind of organisation.",
        ),
        "progress" => (
            "Évolution appariée : organisations ayant répondu l'année précédente et l'année du rapport, avec au moins 3 personnes répondantes chaque année, moyenne de l'organisation par qualité, sur les seules questions comparables.",
            "Paired progress: organisations that answered the year before and the report's year, with at least 3 respondents each year, the organisation's mean per quality, on comparable questions only.",
        ),
        "progress_by_kind" => (
            "Évolution appariée, par type d'organisation.",
            "Paired progress, by kind of organisation.",
        ),
        "comparable_questions" => (
            "Questions comparées entre deux versions rencontrées dont l'identifiant a changé (liées par `same_as`) ; une question qui garde son identifiant n'est pas listée.",
            "Questions compared between two versions met whose id changed (linked by `same_as`); a question that kept its id is not listed.",
        ),
        "coverage" => (
            "Qualité des données : couverture des questions notées.",
            "Data quality: coverage of the scored questions.",
        ),
        "coverage_by_kind" => (
            "Couverture, par type d'organisation.",
            "Coverage, by kind of organisation.",
        ),
        _ => ("", ""),
    }
}

/// The open-data rule, French then English, for every `README.md` the service publishes.
pub fn rule_fr_en() -> String {
    format!(
        "## Règle : personne n'est isolé — Rule: nobody is singled out\n\n\
         Aucune ligne ne porte sur moins de {MIN_RESPONDENTS} personnes répondantes : l'unité \
         est le diagnostic (scores collectifs de ses réponses envoyées), publié seulement s'il \
         compte au moins {MIN_RESPONDENTS} personnes répondantes, jamais la réponse d'une \
         personne, et sans colonne de rôle. Le type d'organisation et le département sont \
         laissés vides quand moins de {MIN_ORGANISATIONS} organisations partagent ce type, ce \
         type et ce département, ou ce département. Un groupe de moins de \
         {MIN_ORGANISATIONS} organisations ne publie aucun chiffre, pas même son effectif ; \
         quand un seul groupe d'un découpage serait masqué, un autre l'est aussi, pour que la \
         différence avec le total ne le révèle pas.\n\n\
         No row is about fewer than {MIN_RESPONDENTS} respondents: the unit is the diagnostic \
         (the collective scores of its submitted responses), published only when at least \
         {MIN_RESPONDENTS} people answered it, never one person's response, and with no role \
         column. The kind of organisation and the département are left blank when fewer than \
         {MIN_ORGANISATIONS} organisations share that kind, that kind and département, or that \
         département. A group of fewer than {MIN_ORGANISATIONS} organisations publishes no \
         figure, not even its count; when only one group of a breakdown would be withheld, \
         another one is withheld too, so that the difference with the total does not reveal \
         it.\n\n{}",
        population_fr_en()
    )
}

/// Who is counted, French then English: organisations verified by programme staff only.
/// Anyone can create an organisation and answer for its respondents; made-up organisations
/// would otherwise fill a small group up to the threshold and reveal a real one, and pollute
/// the evaluation. The rule is applied where the diagnostics are listed
/// (`db::verified_diagnostic_listings`).
pub fn population_fr_en() -> String {
    format!(
        "## Population : organisations vérifiées — Population: verified organisations\n\n\
         Seules comptent les organisations que l'équipe du programme a vérifiées : une \
         organisation créée par n'importe qui n'entre dans aucun chiffre tiré des diagnostics \
         (participation, distributions, cartes de chaleur, progrès, couverture, diagnostics) tant que \
         l'équipe ne l'a pas vérifiée. Ainsi, des organisations inventées ne peuvent ni \
         compléter un groupe jusqu'à {MIN_ORGANISATIONS} organisations pour révéler une \
         organisation réelle, ni fausser l'évaluation.\n\n\
         Only organisations verified by the programme team are counted: an organisation \
         anyone can create enters no figure drawn from the diagnostics (participation, \
         distributions, heatmaps, progress, coverage, diagnostics) until the team has verified it. Made-up \
         organisations therefore can neither fill a group up to {MIN_ORGANISATIONS} \
         organisations to reveal a real one, nor skew the evaluation.\n"
    )
}

/// The `README.md` of the open data: licence, method, every file and field.
pub fn readme(year: i32, tables: &[Table]) -> String {
    let mut out = format!(
        "# Données ouvertes #RESET {year} — #RESET open data {year}\n\n\
         Licence : [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/deed.fr) — \
         citer « Programme #RESET, évaluation {year} ».\n\
         Licence: [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/) — \
         credit \"#RESET programme, {year} evaluation\".\n\n\
         Chaque fichier existe en CSV (UTF-8, virgules, valeurs manquantes vides) et en \
         Parquet. Les scores vont de 0 à 100 ; une valeur vide signifie qu'aucune question \
         n'a été répondue, ou qu'elle est masquée. Tout groupe de moins de {MIN_ORGANISATIONS} \
         organisations est masqué (`suppressed`). Aucune donnée personnelle : ni nom, ni \
         courriel, ni lien d'invitation, ni réponse en texte libre.\n\n\
         Each file comes as CSV (UTF-8, commas, missing values empty) and Parquet. Scores \
         run from 0 to 100; an empty value means no question was answered, or that it is \
         withheld. Any group of fewer than {MIN_ORGANISATIONS} organisations is withheld \
         (`suppressed`). No personal data: no name, email, invitation link or free-text \
         answer.\n\n{}",
        rule_fr_en()
    );
    for table in tables {
        let (fr, en) = table_description(table.name);
        out.push_str(&format!(
            "\n## `{0}.csv`, `{0}.parquet`\n\n{fr}\n{en}\n\n| champ / field | type | description |\n|---|---|---|\n",
            table.name
        ));
        for field in table.frame.schema().iter_fields() {
            out.push_str(&format!(
                "| `{}` | {} | {} |\n",
                field.name(),
                field.dtype(),
                field_description(field.name())
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::frames::tests::flat_scores;
    use crate::analytics::{i64_column, str_column};

    #[test]
    fn pseudonyms_are_keyed_stable_and_short() {
        let a = pseudonym(b"secret", "organisation", "o1");
        assert_eq!(a.len(), 16);
        assert_eq!(a, pseudonym(b"secret", "organisation", "o1"));
        assert_ne!(a, pseudonym(b"other", "organisation", "o1"));
        assert_ne!(a, pseudonym(b"secret", "diagnostic", "o1"));
    }

    fn collective(
        diagnostic: &str,
        organisation: &str,
        kind: &str,
        place: &str,
        respondents: usize,
    ) -> Collective {
        Collective {
            diagnostic_id: diagnostic.into(),
            organisation_id: organisation.into(),
            organisation_kind: kind.into(),
            departement: Some(place.into()),
            questionnaire_slug: "territoires".into(),
            questionnaire_version: "v1".into(),
            respondents,
            scores: flat_scores(Some(50.0), 1, 1),
        }
    }

    #[test]
    fn only_diagnostics_of_three_respondents_or_more_are_published_without_a_role() {
        let rows = vec![
            collective("d1", "o1", "commune", "45", 3),
            collective("d2", "o2", "commune", "45", 2),
            collective("d3", "o3", "commune", "45", 1),
        ];
        let df = diagnostics_table(2026, &rows, b"k").expect("table");
        assert_eq!(df.height(), 1);
        assert_eq!(i64_column(&df, "respondents").expect("n"), vec![Some(3)]);
        for absent in ["respondent_role", "response_id", "diagnostic_id", "month"] {
            assert!(df.column(absent).is_err(), "{absent}");
        }
        let ids = str_column(&df, "organisation").expect("ids");
        assert_eq!(ids, vec![Some(pseudonym(b"k", "organisation", "o1"))]);
    }

    #[test]
    fn small_kinds_and_places_are_blanked_among_published_diagnostics() {
        let mut rows = Vec::new();
        for i in 0..5 {
            rows.push(collective(
                &format!("d{i}"),
                &format!("c{i}"),
                "commune",
                "45",
                3,
            ));
        }
        rows.push(collective("d9", "c9", "commune", "29", 4));
        rows.push(collective("s1", "i1", "intercommunalite", "45", 3));
        // Five more intercommunalités, but with two respondents each: not published, so
        // they do not make the kind large enough to show.
        for i in 2..7 {
            rows.push(collective(
                &format!("s{i}"),
                &format!("i{i}"),
                "intercommunalite",
                "45",
                2,
            ));
        }
        let df = diagnostics_table(2026, &rows, b"k").expect("table");
        assert_eq!(df.height(), 7);
        let places = str_column(&df, "departement").expect("places");
        let kinds = str_column(&df, "organisation_kind").expect("kinds");
        let mut seen: Vec<(Option<String>, Option<String>)> =
            kinds.into_iter().zip(places).collect();
        seen.sort();
        let commune_45 = (Some("commune".to_owned()), Some("45".to_owned()));
        assert_eq!(
            seen,
            vec![
                (None, None),
                (Some("commune".into()), None),
                commune_45.clone(),
                commune_45.clone(),
                commune_45.clone(),
                commune_45.clone(),
                commune_45,
            ]
        );
    }

    #[test]
    fn a_departement_is_blanked_when_fewer_than_five_organisations_are_there_in_all() {
        // Six communes spread over two départements: the kind shows, no département does.
        let mut rows = Vec::new();
        for i in 0..6 {
            let place = if i % 2 == 0 { "45" } else { "29" };
            rows.push(collective(
                &format!("d{i}"),
                &format!("c{i}"),
                "commune",
                place,
                3,
            ));
        }
        let df = diagnostics_table(2026, &rows, b"k").expect("table");
        assert!(
            str_column(&df, "departement")
                .expect("places")
                .iter()
                .all(Option::is_none)
        );
        assert!(
            str_column(&df, "organisation_kind")
                .expect("kinds")
                .iter()
                .all(Option::is_some)
        );
    }

    #[test]
    fn progress_counts_only_organisations_of_three_respondents_on_both_sides() {
        use crate::analytics::frames::responses_frame;
        use crate::analytics::frames::tests::row;
        let mut rows = Vec::new();
        for o in 0..5 {
            let organisation = format!("c{o}");
            // The first organisation has one respondent each year: its change would be that
            // person's own.
            let people = if o == 0 { 1 } else { 3 };
            for (year, value) in [(2025, 40.0), (2026, 60.0)] {
                for p in 0..people {
                    rows.push(row(
                        &format!("{organisation}-{year}-{p}"),
                        &organisation,
                        "commune",
                        "45",
                        year,
                        3,
                        Some(flat_scores(Some(value), 1, 1)),
                    ));
                }
            }
        }
        let frame = responses_frame(rows).expect("frame");
        let tables = aggregate_tables(
            &frame,
            &collective_frame(&[]).expect("collective"),
            2026,
            None,
            DataFrame::empty(),
        )
        .expect("tables");
        let progress = &tables
            .iter()
            .find(|t| t.name == "progress")
            .expect("progress")
            .frame;
        // Four organisations remain: too few, withheld; with the lone respondents' one it
        // would have been five, and published.
        assert_eq!(
            crate::analytics::bool_column(progress, "suppressed").expect("flags")[0],
            Some(true)
        );
        assert_eq!(i64_column(progress, "organisations").expect("n")[0], None);
    }
}
