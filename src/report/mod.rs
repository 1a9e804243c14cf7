//! The yearly evaluation report: every figure the service holds for a year, aggregated with
//! polars ([`crate::analytics`] for the diagnostics, [`coalitions`] for the coalitions),
//! drawn with plotters ([`charts`]) and written as one self-contained document with its
//! data files:
//!
//! ```text
//! reports/2026/index.html        the document (inline style and SVG, printable)
//! reports/2026/charts/*.svg      each chart on its own
//! reports/2026/data/*.csv        each table, and the same as .parquet
//! reports/2026/data/README.md    every file and field, CC BY 4.0
//! reports/2026/data/datapackage.json   the Frictionless Data Package of the CSV files
//! ```
//!
//! [`folder`] makes these files in memory; the command line writes them to a folder, and
//! `crate::app::publications` stores them in the database, where the site serves them.
//!
//! Deterministic: tables are sorted and nothing depends on the clock, so the same database
//! and year give byte-identical files. Publishing a year (`crate::app::publications::publish`) stores its
//! tables in the database and locks its measurements; a published year's report is written
//! from the stored tables.

pub mod coalitions;
pub mod findings;
pub mod folder;
mod render;

use crate::analytics::frames::of_year;
use crate::analytics::publish::{self, Table};
use crate::analytics::years::{DiagnosticYear, participation_and_scores_by_year};
use crate::app::export::{self, ProgressReport};
use crate::db::{self, Pool};
use crate::domain::i18n::Lang;
use crate::domain::questionnaire::Registry;
use polars::prelude::*;
use polars_io::prelude::{CsvReadOptions, SerReader};
use std::path::{Path, PathBuf};

pub use render::{document, table_label};

/// What a report run wrote.
#[derive(Debug, Clone)]
pub struct Generated {
    pub files: Vec<PathBuf>,
    /// Whether the figures came from the published (frozen) report of the year.
    pub frozen: bool,
}

/// Reads the coalition rows the coalition sections need.
async fn coalition_rows(
    pool: &Pool,
) -> anyhow::Result<(
    coalitions::CoalitionRows,
    crate::domain::coalition::coverage::Coverage,
)> {
    let all_coalitions = db::coalitions(pool).await?;
    let goals = db::all_goals(pool).await?;
    let indicators = db::all_indicators(pool).await?;
    let baselines = db::all_baselines(pool).await?;
    let targets = db::all_targets(pool).await?;
    let revisions = db::all_revisions(pool).await?;
    let actions = db::all_actions(pool).await?;
    let goal_links = db::all_action_goals(pool).await?;
    let indicator_links = db::all_action_indicators(pool).await?;
    let mut members = Vec::new();
    let mut productions = Vec::new();
    for c in &all_coalitions {
        for m in db::members(pool, &c.id).await? {
            if m.left_on.is_none() {
                members.push((c.id.clone(), m.actor_type.code().to_owned()));
            }
        }
        for p in db::productions(pool, &c.id).await? {
            productions.push((c.id.clone(), p.published_on));
        }
    }
    let coverage = crate::app::indicators::programme_coverage(
        &all_coalitions,
        &goals,
        &indicators,
        &actions,
        &goal_links,
        &indicator_links,
    );
    Ok((
        coalitions::CoalitionRows {
            coalitions: all_coalitions,
            indicators,
            baselines,
            targets,
            revisions,
            actions,
            members,
            productions,
        },
        coverage,
    ))
}

/// Every table of the report of `year`, computed from the database.
pub async fn compute(
    pool: &Pool,
    registry: &Registry,
    year: i32,
    progress: &(dyn ProgressReport + Sync),
) -> anyhow::Result<Vec<Table>> {
    progress.step("responses");
    let frame = export::load_frame(pool, year).await?;
    progress.step("comparable questions");
    let (rescored, comparable) = export::comparable(pool, registry, &frame, year).await?;
    progress.step("collective scores");
    let collectives = export::collective_scores(pool, registry, year).await?;
    progress.step("years");
    let years: Vec<DiagnosticYear> = db::diagnostic_years(pool, year)
        .await?
        .into_iter()
        .map(|d| DiagnosticYear {
            year: d.year,
            diagnostic_id: d.diagnostic_id,
            organisation_id: d.organisation_id,
            started: d.started,
            submitted: d.submitted,
            means: d.means,
        })
        .collect();
    progress.step("coalitions");
    let (rows, coverage) = coalition_rows(pool).await?;
    progress.step("aggregations");
    let tables = crate::analytics::off_runtime(move || -> PolarsResult<Vec<Table>> {
        let collective = publish::collective_frame(&collectives)?;
        let mut tables =
            publish::aggregate_tables(&frame, &collective, year, rescored, comparable)?;
        // Last year's participation beside this year's: the key findings compare them.
        tables.insert(
            1,
            Table {
                name: "participation_by_year",
                frame: publish::participation_by_year(&frame, year)?,
            },
        );
        // Every year the database holds, up to this one, side by side.
        tables.insert(
            2,
            Table {
                name: "participation_and_scores_by_year",
                frame: participation_and_scores_by_year(&years, year)?,
            },
        );
        tables.push(Table {
            name: "low_coverage_diagnostics",
            frame: crate::analytics::aggregate::low_coverage_diagnostics(of_year(
                frame.clone().lazy(),
                year,
            ))?,
        });
        let scorecard = coalitions::scorecard(&rows, year)?;
        tables.push(Table {
            name: "coalitions",
            frame: coalitions::coalitions(&rows, &scorecard, year)?,
        });
        tables.push(Table {
            name: "coalition_indicators",
            frame: scorecard,
        });
        tables.push(Table {
            name: "qualities_dimensions_coverage",
            frame: coalitions::coverage_frame(&coverage)?,
        });
        tables.push(Table {
            name: "measurement_gaps",
            frame: coalitions::measurement_gaps(&rows, year)?,
        });
        Ok(tables)
    })
    .await??;
    Ok(tables)
}

/// The report's tables: the stored ones for a published year, else computed.
pub async fn tables(
    pool: &Pool,
    registry: &Registry,
    year: i32,
    progress: &(dyn ProgressReport + Sync),
) -> anyhow::Result<(Vec<Table>, bool)> {
    let stored = db::report_tables(pool, year).await?;
    if !stored.is_empty() {
        let tables = crate::analytics::off_runtime(move || -> anyhow::Result<Vec<Table>> {
            let mut tables = Vec::with_capacity(stored.len());
            for &name in TABLE_NAMES {
                if let Some((_, csv)) = stored.iter().find(|(n, _)| n == name) {
                    let frame = anyhow::Context::with_context(from_csv(csv), || {
                        format!("stored table {name}")
                    })?;
                    // Reports published before issue 11 listed low-coverage diagnostics one
                    // by one, with their ids: such a table is never shown again.
                    if frame.column("diagnostic_id").is_ok() {
                        continue;
                    }
                    tables.push(Table { name, frame });
                }
            }
            Ok(tables)
        })
        .await??;
        return Ok((tables, true));
    }
    Ok((compute(pool, registry, year, progress).await?, false))
}

/// Every table a report holds, in order.
pub const TABLE_NAMES: &[&str] = &[
    "participation",
    "participation_by_year",
    "participation_and_scores_by_year",
    "participation_by_kind",
    "participation_by_departement",
    "participation_by_month",
    "quality_distribution",
    "quality_distribution_by_kind",
    "heatmap",
    "heatmap_by_kind",
    "progress",
    "progress_by_kind",
    "comparable_questions",
    "coverage",
    "coverage_by_kind",
    "low_coverage_diagnostics",
    "coalitions",
    "coalition_indicators",
    "qualities_dimensions_coverage",
    "measurement_gaps",
];

pub fn to_csv(frame: &DataFrame) -> PolarsResult<String> {
    let mut bytes = Vec::new();
    crate::analytics::csv_cells::write_csv(&mut bytes, frame)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn from_csv(csv: &str) -> PolarsResult<DataFrame> {
    CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(None)
        .into_reader_with_file_handle(std::io::Cursor::new(csv.as_bytes().to_vec()))
        .finish()
}

/// Writes the report of `year` into `out`; returns the files written.
pub async fn generate(
    pool: &Pool,
    registry: &Registry,
    year: i32,
    out: &Path,
    lang: Lang,
    progress: &(dyn ProgressReport + Sync),
) -> anyhow::Result<Generated> {
    let (tables, frozen) = tables(pool, registry, year, progress).await?;
    progress.step("writing");
    let out = out.to_owned();
    let files =
        crate::analytics::off_runtime(move || write(&out, year, lang, tables, frozen)).await??;
    Ok(Generated { files, frozen })
}

fn write(
    out: &Path,
    year: i32,
    lang: Lang,
    tables: Vec<Table>,
    frozen: bool,
) -> anyhow::Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for file in folder::files(year, &[lang], &tables, frozen)? {
        let path = out.join(&file.path);
        if let Some(parent) = path.parent() {
            anyhow::Context::with_context(std::fs::create_dir_all(parent), || {
                parent.display().to_string()
            })?;
        }
        std::fs::write(&path, &file.bytes)?;
        written.push(path);
    }
    written.sort();
    Ok(written)
}
