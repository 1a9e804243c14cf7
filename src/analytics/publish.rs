//! The open data of a year: anonymised responses and every published aggregate, written as
//! CSV and Parquet with a `README.md` describing each file and field, under CC BY 4.0.
//!
//! Anonymised means: no name, email, token, invitation label or free-text answer ever enters
//! the frame (it holds none); organisations and diagnostics appear only as keyed pseudonyms
//! (HMAC-SHA-256 with a secret of the instance, so that knowing a database id does not find
//! its rows); the département is left blank where fewer than five organisations of a kind
//! answered in it, and the kind too where fewer than five of that kind answered.
//!
//! Deterministic: everything is sorted and nothing depends on the clock, so the same database
//! and year give byte-identical files.

use super::aggregate::{self, Grouping};
use super::{MIN_ORGANISATIONS, progress, score_columns};
use hmac::{Hmac, Mac};
use polars::prelude::*;
use polars_io::prelude::{CsvWriter, ParquetWriter, SerWriter};
use sha2::Sha256;
use std::collections::HashMap;
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

fn pseudonyms(frame: &DataFrame, column: &str, kind: &str, secret: &[u8]) -> PolarsResult<Column> {
    let mut cache: HashMap<&str, String> = HashMap::new();
    let ids = frame.column(column)?.str()?;
    let values: Vec<String> = ids
        .iter()
        .map(|id| {
            let id = id.unwrap_or_default();
            cache
                .entry(id)
                .or_insert_with(|| pseudonym(secret, kind, id))
                .clone()
        })
        .collect();
    Ok(Column::new(kind.into(), values))
}

/// The submitted responses of a year, anonymised.
///
/// Columns: `organisation`, `diagnostic` (pseudonyms), `organisation_kind`, `departement`
/// (blank when suppressed), `questionnaire_slug`, `questionnaire_version`, `respondent_role`,
/// `year`, `month` (of submission), `index`, `q_*`, `d_*`, `c_*`, `coverage`.
pub fn anonymised_responses(year: LazyFrame, secret: &[u8]) -> PolarsResult<DataFrame> {
    let submitted = year.filter(col("submitted"));
    let by_place = submitted
        .clone()
        .group_by([col("organisation_kind"), col("departement")])
        .agg([col("organisation_id")
            .n_unique()
            .cast(DataType::Int64)
            .alias("place_organisations")]);
    let by_kind = submitted
        .clone()
        .group_by([col("organisation_kind")])
        .agg([col("organisation_id")
            .n_unique()
            .cast(DataType::Int64)
            .alias("kind_organisations")]);
    let joined = submitted
        .join(
            by_place,
            [col("organisation_kind"), col("departement")],
            [col("organisation_kind"), col("departement")],
            JoinArgs {
                nulls_equal: true,
                ..JoinArgs::new(JoinType::Left)
            },
        )
        .join(
            by_kind,
            [col("organisation_kind")],
            [col("organisation_kind")],
            JoinArgs::new(JoinType::Left),
        );
    let mut select = vec![
        col("organisation_id"),
        col("diagnostic_id"),
        when(col("kind_organisations").lt(lit(MIN_ORGANISATIONS)))
            .then(lit(NULL))
            .otherwise(col("organisation_kind"))
            .alias("organisation_kind"),
        when(col("place_organisations").lt(lit(MIN_ORGANISATIONS)))
            .then(lit(NULL))
            .otherwise(col("departement"))
            .alias("departement"),
        col("questionnaire_slug"),
        col("questionnaire_version"),
        col("respondent_role"),
        col("submitted_year").alias("year"),
        col("submitted_month").alias("month"),
    ];
    select.extend(score_columns().iter().map(|c| col(c.as_str())));
    select.push(col("coverage"));
    let mut df = joined.select(select).collect()?;
    let organisation = pseudonyms(&df, "organisation_id", "organisation", secret)?;
    let diagnostic = pseudonyms(&df, "diagnostic_id", "diagnostic", secret)?;
    df.replace("organisation_id", organisation)?;
    df.replace("diagnostic_id", diagnostic)?;
    df.rename("organisation_id", "organisation".into())?;
    df.rename("diagnostic_id", "diagnostic".into())?;
    // Stable: rows that tie keep the order they were read in (by response id, which the
    // file does not hold), so the same database always gives the same file.
    df.lazy()
        .sort(
            [
                "organisation",
                "diagnostic",
                "year",
                "month",
                "respondent_role",
            ],
            SortMultipleOptions::default()
                .with_nulls_last(true)
                .with_maintain_order(true),
        )
        .collect()
}

/// Every published aggregate of a year, in the order the README lists them.
///
/// `frame` holds the responses of years N − 1 and N (see [`super::frames`]); `rescored` and
/// `comparable` come from [`progress`] (re-scored cross-version responses, and the
/// comparable questions stated).
pub fn aggregate_tables(
    frame: &DataFrame,
    year: i32,
    rescored: Option<DataFrame>,
    comparable: DataFrame,
) -> PolarsResult<Vec<Table>> {
    let all = frame.clone().lazy();
    let this = || super::frames::of_year(all.clone(), year);
    let changes = progress::organisation_changes(all.clone(), year, rescored)?;
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
            frame: aggregate::quality_distribution(this(), false)?,
        },
        Table {
            name: "quality_distribution_by_kind",
            frame: aggregate::quality_distribution(this(), true)?,
        },
        Table {
            name: "heatmap",
            frame: aggregate::heatmap(this(), false)?,
        },
        Table {
            name: "heatmap_by_kind",
            frame: aggregate::heatmap(this(), true)?,
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
        let mut safe = crate::csv_cells::neutralise_frame(&table.frame)?;
        let csv = dir.join(format!("{}.csv", table.name));
        CsvWriter::new(std::fs::File::create(&csv)?).finish(&mut safe)?;
        let parquet = dir.join(format!("{}.parquet", table.name));
        ParquetWriter::new(std::fs::File::create(&parquet)?).finish(&mut safe)?;
        written.push(csv);
        written.push(parquet);
    }
    Ok(written)
}

/// Benchmark and check: reads an exported `responses.parquet`, computes the per-quality
/// distribution and the heatmap (all organisations), writes them as
/// `quality_distribution.csv` and `heatmap.csv` into `out`; returns the responses read.
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
        crate::csv_cells::write_csv(file, &table.frame)?;
    }
    Ok(n)
}

/// What a field means, French then English.
fn field_description(name: &str) -> String {
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
            "type d'organisation (vide si moins de 5 organisations de ce type)",
            "kind of organisation (blank when fewer than 5 organisations of that kind)",
        ),
        "departement" => (
            "département (vide si moins de 5 organisations de ce type y ont répondu)",
            "département (blank when fewer than 5 organisations of that kind answered there)",
        ),
        "questionnaire_slug" => ("questionnaire", "questionnaire"),
        "questionnaire_version" => ("version du questionnaire", "questionnaire version"),
        "respondent_role" => (
            "rôle de la personne qui a répondu",
            "role of the respondent",
        ),
        "year" => ("année d'envoi", "year of submission"),
        "month" => (
            "mois (1 à 12) d'envoi, ou de début pour une réponse non envoyée",
            "month (1 to 12) of submission, or of start for a response not submitted",
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
        "n" => ("réponses ayant un score", "responses with a score"),
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
        _ => ("", ""),
    };
    known(fr, en)
}

fn table_description(name: &str) -> (&'static str, &'static str) {
    match name {
        "responses" => (
            "Les réponses envoyées dans l'année, anonymisées, avec leurs scores.",
            "The responses submitted in the year, anonymised, with their scores.",
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
            "Distribution des scores de chaque qualité.",
            "Distribution of each quality's scores.",
        ),
        "quality_distribution_by_kind" => (
            "Distribution des scores de chaque qualité, par type d'organisation.",
            "Distribution of each quality's scores, by kind of organisation.",
        ),
        "heatmap" => (
            "Score moyen de chaque case qualité × dimension.",
            "Mean score of each quality × dimension cell.",
        ),
        "heatmap_by_kind" => (
            "Score moyen de chaque case, par type d'organisation.",
            "Mean score of each cell, by kind of organisation.",
        ),
        "progress" => (
            "Évolution appariée : organisations ayant répondu l'année précédente et l'année du rapport, moyenne de l'organisation par qualité, sur les seules questions comparables.",
            "Paired progress: organisations that answered the year before and the report's year, the organisation's mean per quality, on comparable questions only.",
        ),
        "progress_by_kind" => (
            "Évolution appariée, par type d'organisation.",
            "Paired progress, by kind of organisation.",
        ),
        "comparable_questions" => (
            "Questions comparées entre les versions rencontrées (liées par `same_as`, ou identiques dans une même version).",
            "Questions compared between the versions met (linked by `same_as`, or the same within one version).",
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
         answer.\n"
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
    use crate::analytics::frames::tests::{flat_scores, row};
    use crate::analytics::frames::{of_year, responses_frame};
    use crate::analytics::str_column;

    #[test]
    fn pseudonyms_are_keyed_stable_and_short() {
        let a = pseudonym(b"secret", "organisation", "o1");
        assert_eq!(a.len(), 16);
        assert_eq!(a, pseudonym(b"secret", "organisation", "o1"));
        assert_ne!(a, pseudonym(b"other", "organisation", "o1"));
        assert_ne!(a, pseudonym(b"secret", "diagnostic", "o1"));
    }

    #[test]
    fn small_places_and_kinds_are_blanked_in_anonymised_responses() {
        let s = || Some(flat_scores(Some(50.0), 1, 1));
        let mut rows = Vec::new();
        for i in 0..5 {
            rows.push(row(
                &format!("r{i}"),
                &format!("c{i}"),
                "commune",
                "45",
                2026,
                3,
                s(),
            ));
        }
        rows.push(row("r9", "c9", "commune", "29", 2026, 3, s()));
        rows.push(row("s1", "i1", "intercommunalite", "45", 2026, 3, s()));
        let year = of_year(responses_frame(rows).expect("frame").lazy(), 2026);
        let df = anonymised_responses(year, b"k").expect("anonymised");
        assert_eq!(df.height(), 7);
        let ids = str_column(&df, "organisation").expect("ids");
        assert!(
            ids.iter()
                .all(|i| i.as_deref().is_some_and(|i| i.len() == 16))
        );
        let places = str_column(&df, "departement").expect("places");
        let kinds = str_column(&df, "organisation_kind").expect("kinds");
        let mut seen: Vec<(Option<String>, Option<String>)> =
            kinds.into_iter().zip(places).collect();
        seen.sort();
        assert_eq!(
            seen,
            vec![
                (None, None),
                (Some("commune".into()), None),
                (Some("commune".into()), Some("45".into())),
                (Some("commune".into()), Some("45".into())),
                (Some("commune".into()), Some("45".into())),
                (Some("commune".into()), Some("45".into())),
                (Some("commune".into()), Some("45".into())),
            ]
        );
        assert!(df.column("response_id").is_err());
    }
}
