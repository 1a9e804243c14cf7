//! Synthetic data for benchmarks and load tests: `reset-eval demo --synthetic`.
//!
//! Territorial organisations of several kinds spread over départements, each with a
//! diagnostic on the territorial questionnaire in 2026 and most also in 2025 (so that paired
//! progress exists), and as many submitted responses as asked, dealt round the diagnostics;
//! about one response in twenty more is started and left unsubmitted. Answers are drawn
//! around a profile per organisation with [`super::demo_answer`], frozen as a submitted
//! response's are, and scored with the same code as at submission.
//!
//! Written through the storage functions of [`crate::db`], in multi-row statements and
//! one transaction a batch. A submitted synthetic response holds its answers frozen in
//! `answers_json` only (what results and exports read); the working copy in `answers` is
//! written for unsubmitted ones. Ids are UUIDv5 of the seed and a counter: loading twice adds
//! nothing.

use super::{Rng, demo_answer, id};
use crate::db::{self, NewDiagnostic, NewOrganisation, NewResponse, Pool, StoredAnswer};
use crate::domain::QUALITY_COUNT;
use crate::domain::questionnaire::{Questionnaire, Registry};
use crate::domain::scoring::{self, Scores};
use anyhow::Context;
use std::sync::Arc;

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Synthetic {
    pub organisations: usize,
    /// Submitted responses, in all.
    pub respondents: usize,
    pub seed: u64,
}

/// What was written.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SyntheticReport {
    pub organisations: usize,
    pub diagnostics: usize,
    pub submitted: usize,
    pub started: usize,
}

/// Kinds that take the territorial questionnaire, with their weight in the draw.
const KINDS: &[(&str, u32)] = &[
    ("commune", 60),
    ("intercommunalite", 25),
    ("departement", 10),
    ("region", 5),
];

const DEPARTEMENTS: &[&str] = &[
    "01", "06", "13", "14", "21", "25", "29", "31", "33", "34", "35", "38", "44", "45", "49", "54",
    "59", "63", "67", "69", "75", "76", "84", "86", "87", "93", "974",
];

/// Where and when the organisations are: the départements they are drawn from, and the
/// years before 2026 in which each may also have answered (seven in ten, each year).
#[derive(Debug, Clone, Copy)]
pub struct Spread {
    pub departements: &'static [&'static str],
    pub earlier_years: &'static [i32],
}

/// The spread of `reset-eval demo --synthetic`: many départements, 2025 and 2026.
pub const WIDE: Spread = Spread {
    departements: DEPARTEMENTS,
    earlier_years: &[2025],
};

/// Responses written per transaction.
const BATCH: usize = 5_000;

struct Organisation {
    profile: [f64; QUALITY_COUNT],
}

struct Diagnostic {
    id: String,
    organisation: usize,
    year: i32,
}

/// Generates and stores the data; `progress(done, total)` is called after each batch.
pub async fn load(
    pool: &Pool,
    registry: &Registry,
    options: Synthetic,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> anyhow::Result<SyntheticReport> {
    load_spread(pool, registry, options, WIDE, progress).await
}

/// [`load`], with the organisations spread as `spread` says.
pub async fn load_spread(
    pool: &Pool,
    registry: &Registry,
    options: Synthetic,
    spread: Spread,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> anyhow::Result<SyntheticReport> {
    let q = registry
        .latest("territoires")
        .context("the territorial questionnaire is missing")?
        .clone();
    let seed = options.seed;
    let mut rng = Rng::new(seed ^ 0x5EED_0000_0000_0001);
    let mut report = SyntheticReport::default();
    let mut organisations = Vec::with_capacity(options.organisations);
    let mut diagnostics = Vec::new();
    let created_at = "2024-12-01T09:00:00Z";
    let total_weight: u32 = KINDS.iter().map(|k| k.1).sum();
    let mut tx = pool.begin().await?;
    for i in 0..options.organisations.max(1) {
        let mut roll = (rng.below(total_weight as usize)) as u32;
        let kind = KINDS
            .iter()
            .find(|(_, w)| {
                let hit = roll < *w;
                roll = roll.saturating_sub(*w);
                hit
            })
            .map_or("commune", |k| k.0);
        let departement = spread.departements[rng.below(spread.departements.len())];
        let organisation_id = id(&format!("synthetic:{seed}:organisation:{i}"));
        report.organisations += usize::from(
            db::insert_organisation(
                &mut *tx,
                &NewOrganisation {
                    id: &organisation_id,
                    name: &format!("Organisation synthétique {seed}-{i:06}"),
                    kind,
                    siren: None,
                    departement: Some(departement),
                    commune_insee: None,
                    size_band: None,
                    created_at,
                },
            )
            .await?,
        );
        // Synthetic organisations stand for real ones that staff have checked: the open data
        // and the report count verified organisations only.
        db::set_organisation_verified(&mut *tx, &organisation_id, true).await?;
        let profile = std::array::from_fn(|_| rng.between(0.2, 0.8));
        // Seven organisations in ten also answered in each earlier year.
        let mut years: Vec<i32> = spread
            .earlier_years
            .iter()
            .copied()
            .filter(|_| rng.unit() < 0.7)
            .collect();
        years.push(2026);
        for year in years {
            let diagnostic_id = id(&format!("synthetic:{seed}:diagnostic:{i}:{year}"));
            report.diagnostics += usize::from(
                db::insert_diagnostic(
                    &mut *tx,
                    &NewDiagnostic {
                        id: &diagnostic_id,
                        organisation_id: Some(&organisation_id),
                        coalition_id: None,
                        questionnaire_slug: &q.slug,
                        questionnaire_version: &q.version,
                        title: &format!("Autodiagnostic {year}"),
                        opened_at: &format!("{year}-01-05T09:00:00Z"),
                        closed_at: None,
                    },
                )
                .await?,
            );
            diagnostics.push(Diagnostic {
                id: diagnostic_id,
                organisation: i,
                year,
            });
        }
        organisations.push(Organisation { profile });
    }
    tx.commit().await?;

    // Drawing a batch (answers, scores, frozen JSON) is as much work as writing it: the next
    // batch is drawn on a blocking thread while this one is written.
    let total = options.respondents;
    let plan = Arc::new(Plan {
        questionnaire: q,
        seed,
        diagnostics,
        organisations,
    });
    let draw = |range: std::ops::Range<usize>| {
        let plan = Arc::clone(&plan);
        tokio::task::spawn_blocking(move || plan.batch(range))
    };
    let mut next = (total > 0).then(|| draw(0..BATCH.min(total)));
    // One connection for every batch. On SQLite, the indexes on (random) response ids soon
    // outgrow the default 2 MB page cache, after which every insert re-reads index pages:
    // this connection gets a larger one for the time of the load.
    let mut conn = pool.acquire().await?;
    let sqlite = conn.backend_name() == "SQLite";
    if sqlite {
        sqlx::query("PRAGMA cache_size = -262144")
            .execute(&mut *conn)
            .await?;
    }
    let mut done = 0;
    while let Some(drawing) = next.take() {
        let batch = drawing.await?;
        let end = (done + BATCH).min(total);
        if end < total {
            next = Some(draw(end..(end + BATCH).min(total)));
        }
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        let (submitted, started): (Vec<&Generated>, Vec<&Generated>) =
            batch.iter().partition(|g| g.submitted_at.is_some());
        fn rows<'a>(generated: &[&'a Generated]) -> Vec<NewResponse<'a>> {
            generated
                .iter()
                .map(|g| NewResponse {
                    id: &g.id,
                    diagnostic_id: &g.diagnostic_id,
                    respondent_role: &g.role,
                    started_at: &g.started_at,
                    submitted_at: g.submitted_at.as_deref(),
                    answers_json: g.answers_json.as_deref(),
                })
                .collect()
        }
        let added_submitted = db::insert_responses(&mut tx, &rows(&submitted)).await?;
        let added_started = db::insert_responses(&mut tx, &rows(&started)).await?;
        let scores: Vec<(&str, &Scores)> = batch
            .iter()
            .filter_map(|g| g.scores.as_ref().map(|s| (g.id.as_str(), s)))
            .collect();
        db::insert_response_scores(&mut tx, &scores).await?;
        for g in &started {
            let rows: Vec<StoredAnswer> = g
                .working
                .iter()
                .map(|(question_id, state, value, justification)| StoredAnswer {
                    question_id,
                    state,
                    value: value.as_deref(),
                    justification: justification.as_deref(),
                })
                .collect();
            db::upsert_answers(&mut *tx, &g.id, &rows, &g.started_at).await?;
        }
        tx.commit().await?;
        report.submitted += added_submitted as usize;
        report.started += added_started as usize;
        done = end;
        progress(done, total);
    }
    if sqlite {
        sqlx::query("PRAGMA cache_size = -2000")
            .execute(&mut *conn)
            .await?;
    }
    Ok(report)
}

/// What the responses are drawn from.
struct Plan {
    questionnaire: Arc<Questionnaire>,
    seed: u64,
    diagnostics: Vec<Diagnostic>,
    organisations: Vec<Organisation>,
}

impl Plan {
    /// The responses of counters `range`, dealt round the diagnostics.
    fn batch(&self, range: std::ops::Range<usize>) -> Vec<Generated> {
        range
            .flat_map(|n| {
                let d = &self.diagnostics[n % self.diagnostics.len()];
                let o = &self.organisations[d.organisation];
                let q = &self.questionnaire;
                let mut out = vec![generate(q, self.seed, n, d, o, true)];
                // About one in twenty is joined by a colleague who has not finished.
                if n % 20 == 7 {
                    out.push(generate(q, self.seed, n, d, o, false));
                }
                out
            })
            .collect()
    }
}

struct Generated {
    id: String,
    diagnostic_id: String,
    role: String,
    started_at: String,
    submitted_at: Option<String>,
    answers_json: Option<String>,
    scores: Option<Scores>,
    /// The answers as stored while answering, for a response not submitted.
    working: Vec<(String, String, Option<String>, Option<String>)>,
}

/// One response, the same for the same seed and counter.
fn generate(
    q: &Questionnaire,
    seed: u64,
    n: usize,
    d: &Diagnostic,
    o: &Organisation,
    submitted: bool,
) -> Generated {
    let mut rng = Rng::new(
        seed.wrapping_mul(0x9E37_79B9)
            .wrapping_add(n as u64 * 2 + u64::from(!submitted)),
    );
    let key = if submitted { "response" } else { "started" };
    let id = id(&format!("synthetic:{seed}:{key}:{n}"));
    let role = q.roles[rng.below(q.roles.len())].id.clone();
    let month = 1 + rng.below(12);
    let day = 1 + rng.below(28);
    let hour = 8 + rng.below(10);
    let started_at = format!(
        "{}-{month:02}-{day:02}T{hour:02}:{:02}:00Z",
        d.year,
        rng.below(60)
    );
    let submitted_at = submitted.then(|| {
        format!(
            "{}-{month:02}-{day:02}T{:02}:{:02}:00Z",
            d.year,
            hour + 1,
            rng.below(60)
        )
    });
    // Earlier years a little weaker; each person sees things a little differently.
    let drift = f64::from((d.year - 2026).min(0)) * 0.08;
    let bias = rng.between(-0.12, 0.12);
    let answered = if submitted {
        q.questions.len()
    } else {
        q.questions.len() / 3
    };
    let answers: Vec<_> = q
        .questions
        .iter()
        .take(answered)
        .map(|question| {
            let target =
                o.profile[question.quality.index()] + drift + bias + rng.between(-0.2, 0.2);
            demo_answer(question, target.clamp(0.0, 1.0), &mut rng)
        })
        .collect();
    let stored: Vec<(String, String, Option<String>, Option<String>)> = q
        .questions
        .iter()
        .zip(&answers)
        .map(|(question, answer)| {
            let (state, value, justification) = question.store_answer(answer);
            (
                question.id.clone(),
                state.code().to_owned(),
                value,
                justification,
            )
        })
        .collect();
    let (answers_json, scores, working) = if submitted {
        let frozen: Vec<(&str, &str, Option<&str>, Option<&str>)> = stored
            .iter()
            .map(|(a, b, c, d)| (a.as_str(), b.as_str(), c.as_deref(), d.as_deref()))
            .collect();
        let aligned: Vec<_> = answers.into_iter().map(Some).collect();
        (
            db::frozen_json(&frozen).ok(),
            Some(scoring::score_response(q, &aligned)),
            Vec::new(),
        )
    } else {
        (None, None, stored)
    };
    Generated {
        id,
        diagnostic_id: d.id.clone(),
        role,
        started_at,
        submitted_at,
        answers_json,
        scores,
        working,
    }
}
