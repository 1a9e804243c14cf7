//! `reset-eval export`: the open data of a year, from the database to files.
//!
//! Reads the responses of years N − 1 and N with their stored scores into the response frame
//! (page by page), re-scores on comparable questions the organisations whose two years used
//! different questionnaire versions, then hands everything to the pure
//! [`crate::analytics::publish`] off the async runtime.

use crate::analytics::frames::{self, ResponsesBuilder, ScoresBuilder, of_year};
use crate::analytics::progress::{self, Side};
use crate::analytics::publish::{self, Table};
use crate::database::{self, Pool};
use crate::questionnaire::Registry;
use crate::scoring::Scores;
use anyhow::Context;
use polars::prelude::{DataFrame, IntoLazy};
use std::path::{Path, PathBuf};

/// The secret that keys the pseudonyms of the open data.
const PSEUDONYM_SECRET: &str = "open_data_pseudonyms";

/// What an export wrote.
#[derive(Debug, Clone)]
pub struct Exported {
    pub files: Vec<PathBuf>,
    /// Submitted responses of the year in `responses.csv`.
    pub responses: usize,
}

/// Reports each step (a progress bar on a terminal, nothing in tests).
pub trait Progress {
    fn step(&self, message: &str);
}

impl Progress for () {
    fn step(&self, _: &str) {}
}

/// The response frame of years `year − 1` and `year`: the responses, the stored scores and
/// the diagnostics, each read in one pass, joined by polars.
pub async fn load_frame(pool: &Pool, year: i32) -> anyhow::Result<DataFrame> {
    let mut responses = ResponsesBuilder::default();
    database::for_each_response_listing(pool, year - 1, year, |r| responses.push(r)).await?;
    let mut scores = ScoresBuilder::default();
    database::for_each_stored_score(pool, |id, values, coverage| {
        scores.push(id, values, coverage)
    })
    .await?;
    let diagnostics = database::diagnostic_listings(pool).await?;
    Ok(
        crate::analytics::off_runtime(move || frames::assemble(responses, scores, &diagnostics))
            .await??,
    )
}

/// Re-scored responses of cross-version pairs, and the comparable questions of every pair of
/// versions met (`None` for the first when no pair crosses versions).
pub async fn comparable(
    pool: &Pool,
    registry: &Registry,
    frame: &DataFrame,
    year: i32,
) -> anyhow::Result<(Option<DataFrame>, DataFrame)> {
    let lazy = frame.clone().lazy();
    let pairs =
        crate::analytics::off_runtime(move || progress::cross_version_pairs(lazy, year)).await??;
    let mut rescored: Vec<(String, Scores)> = Vec::new();
    for pair in &pairs {
        let (Some(earlier), Some(later)) = (
            registry.get(&pair.questionnaire_slug, &pair.earlier_version),
            registry.get(&pair.questionnaire_slug, &pair.later_version),
        ) else {
            continue;
        };
        let Some(comparability) = registry.comparability(earlier, later) else {
            continue;
        };
        for (side, q, version, y) in [
            (Side::Earlier, earlier, &pair.earlier_version, year - 1),
            (Side::Later, later, &pair.later_version, year),
        ] {
            let responses = database::frozen_answers_of(
                pool,
                &pair.organisation_id,
                &pair.questionnaire_slug,
                version,
                y,
            )
            .await?;
            for r in responses {
                let rows = match &r.answers_json {
                    Some(json) => database::thaw_answers(&r.id, json)?,
                    None => database::answers_of_response(pool, &r.id).await?,
                };
                let answers = database::align_answers(q, &rows);
                let scores =
                    progress::comparable_scores(earlier, later, &comparability, side, &answers);
                rescored.push((r.id, scores));
            }
        }
    }
    // Every pair of versions met by paired organisations, changed or not.
    let lazy = frame.clone().lazy();
    let mut versions_met =
        crate::analytics::off_runtime(move || progress::version_pairs(lazy, year)).await??;
    versions_met.sort();
    let mut stated = Vec::new();
    for (slug, e, l) in &versions_met {
        if let (Some(earlier), Some(later)) = (registry.get(slug, e), registry.get(slug, l))
            && let Some(c) = registry.comparability(earlier, later)
        {
            stated.push((earlier.clone(), later.clone(), c));
        }
    }
    let refs: Vec<_> = stated
        .iter()
        .map(|(e, l, c)| (e.as_ref(), l.as_ref(), c))
        .collect();
    let comparable = progress::comparable_questions(&refs)?;
    let rescored = if rescored.is_empty() {
        None
    } else {
        Some(progress::rescored_frame(&rescored)?)
    };
    Ok((rescored, comparable))
}

/// Writes the open data of `year` into `out`.
pub async fn export(
    pool: &Pool,
    registry: &Registry,
    year: i32,
    out: &Path,
    progress: &(dyn Progress + Sync),
) -> anyhow::Result<Exported> {
    progress.step("responses");
    let frame = load_frame(pool, year).await?;
    progress.step("comparable questions");
    let (rescored, comparable) = comparable(pool, registry, &frame, year).await?;
    let secret = database::instance_secret(pool, PSEUDONYM_SECRET, || {
        crate::auth::new_token().unwrap_or_else(|_| database::new_id())
    })
    .await?;
    progress.step("aggregates");
    let out = out.to_path_buf();
    let exported = crate::analytics::off_runtime(move || -> anyhow::Result<Exported> {
        let responses =
            publish::anonymised_responses(of_year(frame.clone().lazy(), year), secret.as_bytes())?;
        let count = responses.height();
        let mut tables = vec![Table {
            name: "responses",
            frame: responses,
        }];
        tables.extend(publish::aggregate_tables(
            &frame, year, rescored, comparable,
        )?);
        drop(frame);
        let mut files = publish::write_tables(&out, &mut tables)
            .with_context(|| format!("cannot write into {}", out.display()))?;
        let readme = out.join("README.md");
        std::fs::write(&readme, publish::readme(year, &tables))?;
        files.push(readme);
        Ok(Exported {
            files,
            responses: count,
        })
    })
    .await??;
    Ok(exported)
}
