//! `reset-eval export`: the open data of a year, from the database to files (CSV, Parquet,
//! `README.md` and the Frictionless `datapackage.json`).
//!
//! Reads the responses of years N − 1 and N with their stored scores into the response frame
//! (page by page), re-scores on comparable questions the organisations whose two years used
//! different questionnaire versions, computes each diagnostic's collective scores from its
//! respondents' frozen answers (the published unit: never one person's response), then hands
//! everything to the pure [`crate::analytics::publish`] off the async runtime.
//!
//! The population is the organisations programme staff have verified
//! ([`db::verified_diagnostic_listings`]): an organisation anyone can create counts
//! nowhere until staff vouch for it, so made-up organisations cannot fill a small group.

use crate::analytics::frames::{self, ResponsesBuilder, ScoresBuilder};
use crate::analytics::progress::{self, Side};
use crate::analytics::publish::{self, Collective, Table};
use crate::db::{self, Pool};
use crate::domain::questionnaire::Registry;
use crate::domain::scoring::{self, Scores};
use anyhow::Context;
use polars::prelude::{DataFrame, IntoLazy};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The secret that keys the pseudonyms of the open data.
const PSEUDONYM_SECRET: &str = "open_data_pseudonyms";

/// What an export wrote.
#[derive(Debug, Clone)]
pub struct Exported {
    pub files: Vec<PathBuf>,
    /// Diagnostics of the year in `diagnostics.csv` (each of 3 respondents or more).
    pub diagnostics: usize,
}

/// Reports each step (a progress bar on a terminal, nothing in tests).
pub trait ProgressReport {
    fn step(&self, message: &str);
}

impl ProgressReport for () {
    fn step(&self, _: &str) {}
}

/// A stored diagnostic listing as the response frame takes it.
fn diagnostic_listing(d: db::DiagnosticListing) -> frames::DiagnosticListing {
    frames::DiagnosticListing {
        diagnostic_id: d.diagnostic_id,
        organisation_id: d.organisation_id,
        organisation_kind: d.organisation_kind,
        departement: d.departement,
        questionnaire_slug: d.questionnaire_slug,
        questionnaire_version: d.questionnaire_version,
    }
}

/// The response frame of years `year − 1` and `year`: the responses, the stored quality
/// scores and the diagnostics of verified organisations, each read in one pass, joined by
/// polars (the join leaves out every other response).
///
/// The responses and the scores are read at the same time, each on a connection of the
/// backend's own driver ([`db::bulk_reader`]): on SQLite each connection reads on a thread
/// of its own, so the two reads share the machine's cores.
pub async fn load_frame(pool: &Pool, year: i32) -> anyhow::Result<DataFrame> {
    let mut listing_reader = db::bulk_reader(pool).await?;
    let mut score_reader = db::bulk_reader(pool).await?;
    let columns = frames::progress_score_columns();
    let wanted: Vec<&str> = columns.iter().map(String::as_str).collect();
    let mut responses = ResponsesBuilder::default();
    let mut scores = ScoresBuilder::of_columns(columns.clone(), 0);
    let (listed, scored) = tokio::join!(
        db::for_each_response_listing(&mut listing_reader, year - 1, year, |r| {
            responses.push(frames::ResponseListing {
                response_id: r.response_id,
                diagnostic_id: r.diagnostic_id,
                respondent_role: r.respondent_role,
                started_at: r.started_at,
                submitted_at: r.submitted_at,
            })
        }),
        db::for_each_stored_score(&mut score_reader, &wanted, |id, values, coverage| {
            scores.push(id, values, coverage)
        }),
    );
    listed?;
    scored?;
    listing_reader.close().await?;
    score_reader.close().await?;
    let diagnostics: Vec<frames::DiagnosticListing> = db::verified_diagnostic_listings(pool)
        .await?
        .into_iter()
        .map(diagnostic_listing)
        .collect();
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
            let responses = db::frozen_answers_of(
                pool,
                &pair.organisation_id,
                &pair.questionnaire_slug,
                version,
                y,
            )
            .await?;
            for r in responses {
                let rows = match &r.answers_json {
                    Some(json) => db::thaw_answers(&r.id, json)?,
                    None => db::answers_of_response(pool, &r.id).await?,
                };
                let answers = db::align_answers(q, &rows);
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

/// A respondent's question scores, keyed by when (and which) response was submitted.
type Submitted = ((String, String), Vec<Option<f64>>);

/// The respondents a diagnostic's collective scores are computed from: the earliest
/// submitted, in whole groups of [`crate::domain::results::MIN_RESPONDENTS`], exactly as its results page
/// counts them ([`crate::domain::results::counted_respondents`]). Publishing all of them instead would let
/// a lead subtract the results page (first 3) from the exported row (all 4) and read the
/// fourth person's answers. `None` when fewer than the minimum submitted.
fn counted_in_submission_order(mut scores: Vec<Submitted>) -> Option<Vec<Vec<Option<f64>>>> {
    scores.sort_by(|a, b| a.0.cmp(&b.0));
    match crate::domain::results::disclosure(
        crate::domain::results::Answering::Collective,
        scores.len(),
    ) {
        crate::domain::results::Disclosure::Shown { counted } => Some(
            scores
                .into_iter()
                .take(counted)
                .map(|(_, question_scores)| question_scores)
                .collect(),
        ),
        crate::domain::results::Disclosure::Withheld { .. } => None,
    }
}

/// Question scores of the respondents of the diagnostic being read.
struct Pending {
    diagnostic_id: String,
    /// Each respondent's question scores, keyed by when (and which) response was submitted.
    question_scores: Vec<Submitted>,
    /// A response submitted before answers were frozen: its answer rows are read afterwards.
    unfrozen: bool,
}

/// The collective scores of every verified organisation's diagnostic with at least
/// [`publish::MIN_RESPONDENTS`] responses submitted in `year`: the scores of the respondents'
/// per-question means ([`scoring::score_group`]), as its results page computes them. Smaller
/// diagnostics are read but never kept: their scores would be one or two people's own.
pub async fn collective_scores(
    pool: &Pool,
    registry: &Registry,
    year: i32,
) -> anyhow::Result<Vec<Collective>> {
    let listings: HashMap<String, frames::DiagnosticListing> =
        db::verified_diagnostic_listings(pool)
            .await?
            .into_iter()
            .map(|d| (d.diagnostic_id.clone(), diagnostic_listing(d)))
            .collect();
    let positions: HashMap<(&str, &str), db::QuestionPositions<'_>> = registry
        .all()
        .map(|q| {
            (
                (q.slug.as_str(), q.version.as_str()),
                db::QuestionPositions::new(q),
            )
        })
        .collect();
    // Each diagnostic's collective scores are computed as soon as its respondents are read,
    // so that only one diagnostic's question scores are held at a time (holding every
    // respondent's until the end took hundreds of megabytes at a million responses).
    let collective = |diagnostic: String, counted: Vec<Vec<Option<f64>>>| {
        let listing = listings.get(&diagnostic)?;
        let q = registry.get(&listing.questionnaire_slug, &listing.questionnaire_version)?;
        Some(Collective {
            diagnostic_id: diagnostic,
            organisation_id: listing.organisation_id.clone(),
            organisation_kind: listing.organisation_kind.clone(),
            departement: listing.departement.clone(),
            questionnaire_slug: listing.questionnaire_slug.clone(),
            questionnaire_version: listing.questionnaire_version.clone(),
            respondents: counted.len(),
            scores: scoring::score_group(q, &counted).scores,
        })
    };
    let mut done: Vec<Collective> = Vec::new();
    let mut unfrozen: Vec<String> = Vec::new();
    let mut current: Option<Pending> = None;
    let mut broken: Option<anyhow::Error> = None;
    let finish = |p: Pending, done: &mut Vec<_>, unfrozen: &mut Vec<String>| {
        if p.unfrozen {
            unfrozen.push(p.diagnostic_id);
        } else if let Some(counted) = counted_in_submission_order(p.question_scores) {
            done.extend(collective(p.diagnostic_id, counted));
        }
    };
    let mut reader = db::bulk_reader(pool).await?;
    db::for_each_submitted_answers(
        &mut reader,
        year,
        |diagnostic, response, submitted_at, json| {
            if current
                .as_ref()
                .is_some_and(|p| p.diagnostic_id != diagnostic)
                && let Some(p) = current.take()
            {
                finish(p, &mut done, &mut unfrozen);
            }
            let pending = current.get_or_insert_with(|| Pending {
                diagnostic_id: diagnostic.to_owned(),
                question_scores: Vec::new(),
                unfrozen: false,
            });
            // Not listed: an unverified organisation's diagnostic, which counts nowhere.
            let Some(at) = listings.get(diagnostic).and_then(|d| {
                positions.get(&(
                    d.questionnaire_slug.as_str(),
                    d.questionnaire_version.as_str(),
                ))
            }) else {
                return;
            };
            match json.map(|json| db::align_frozen(at, json)) {
                Some(Ok(answers)) => pending.question_scores.push((
                    (submitted_at.to_owned(), response.to_owned()),
                    scoring::question_scores(at.questionnaire(), &answers),
                )),
                Some(Err(e)) => {
                    broken.get_or_insert_with(|| anyhow::anyhow!("response {response}: {e}"));
                }
                None => pending.unfrozen = true,
            }
        },
    )
    .await?;
    reader.close().await?;
    if let Some(e) = broken {
        return Err(e);
    }
    if let Some(p) = current.take() {
        finish(p, &mut done, &mut unfrozen);
    }
    // The rare diagnostic with a response from before answers were frozen: read its answers.
    for diagnostic in unfrozen {
        let Some(listing) = listings.get(&diagnostic) else {
            continue;
        };
        let Some(q) = registry.get(&listing.questionnaire_slug, &listing.questionnaire_version)
        else {
            continue;
        };
        let mut question_scores = Vec::new();
        // Already in submission order, which is all `counted_in_submission_order` keys on.
        for (i, r) in db::submitted_answers_of_diagnostic(pool, &diagnostic, year)
            .await?
            .into_iter()
            .enumerate()
        {
            let rows = match &r.answers_json {
                Some(json) => db::thaw_answers(&r.id, json)?,
                None => db::answers_of_response(pool, &r.id).await?,
            };
            question_scores.push((
                (format!("{i:012}"), r.id.clone()),
                scoring::question_scores(q, &db::align_answers(q, &rows)),
            ));
        }
        if let Some(counted) = counted_in_submission_order(question_scores) {
            done.extend(collective(diagnostic, counted));
        }
    }
    Ok(done)
}

/// Writes the open data of `year` into `out`.
pub async fn export(
    pool: &Pool,
    registry: &Registry,
    year: i32,
    out: &Path,
    progress: &(dyn ProgressReport + Sync),
) -> anyhow::Result<Exported> {
    progress.step("responses");
    let frame = load_frame(pool, year).await?;
    progress.step("comparable questions");
    let (rescored, comparable) = comparable(pool, registry, &frame, year).await?;
    let secret = db::instance_secret(pool, PSEUDONYM_SECRET, || {
        crate::domain::account::new_token().unwrap_or_else(|_| db::new_id())
    })
    .await?;
    progress.step("collective scores");
    let collectives = collective_scores(pool, registry, year).await?;
    progress.step("aggregates");
    let out = out.to_path_buf();
    let exported = crate::analytics::off_runtime(move || -> anyhow::Result<Exported> {
        let diagnostics = publish::diagnostics_table(year, &collectives, secret.as_bytes())?;
        let count = diagnostics.height();
        let mut tables = vec![Table {
            name: "diagnostics",
            frame: diagnostics,
        }];
        let collective = publish::collective_frame(&collectives)?;
        tables.extend(publish::aggregate_tables(
            &frame,
            &collective,
            year,
            rescored,
            comparable,
        )?);
        drop(frame);
        let mut files = publish::write_tables(&out, &mut tables)
            .with_context(|| format!("cannot write into {}", out.display()))?;
        let readme = out.join("README.md");
        std::fs::write(&readme, publish::readme(year, &tables))?;
        files.push(readme);
        let package = out.join("datapackage.json");
        std::fs::write(
            &package,
            crate::analytics::datapackage::datapackage(
                crate::analytics::datapackage::Publication::OpenData,
                year,
                &tables,
            ),
        )?;
        files.push(package);
        Ok(Exported {
            files,
            diagnostics: count,
        })
    })
    .await??;
    Ok(exported)
}

#[cfg(test)]
mod tests {
    use crate::analytics;
    use crate::db;

    #[test]
    fn stored_score_columns_are_the_frame_columns_with_overall_for_index() {
        let mut frame = analytics::score_columns();
        assert_eq!(frame[0], "index");
        frame[0] = "overall".to_owned();
        assert_eq!(db::score_columns(), frame);
        assert_eq!(frame.len(), db::SCORE_COLUMN_COUNT);
    }
}
