//! The yearly evaluation's figures: a polars frame of the year's responses and their stored
//! scores ([`frames`]), the aggregations the report and the open data publish
//! ([`aggregate`]), the paired progress of organisations between two years ([`progress`]).
//!
//! Pure and synchronous, free of actix and sqlx: the database layer hands plain rows in, and
//! every function returns a `DataFrame` whose columns are documented where it is defined.
//! `collect()` may take seconds on large frames: call these off the async runtime
//! (`spawn_blocking`).
//!
//! Small cells: anything meant for publication groups organisations, and a group of fewer
//! than [`MIN_ORGANISATIONS`] organisations is suppressed (its values and its count null,
//! `suppressed` true), so that no figure is one or two identifiable organisations' own; and
//! so is another group of the same breakdown when the total would otherwise give it away
//! ([`suppress`]).

pub mod aggregate;
pub mod csv_cells;
pub mod datapackage;
pub mod frames;
pub mod progress;
pub mod publish;
pub mod years;

use crate::domain::{Dimension, Quality};
use polars::prelude::*;

/// A published group needs this many distinct organisations.
pub const MIN_ORGANISATIONS: i64 = 5;

/// The overall index column.
pub const INDEX: &str = "index";

/// `q_<quality>`: a quality score out of 100.
pub fn quality_column(q: Quality) -> String {
    format!("q_{}", q.code())
}

/// `d_<dimension>`: a dimension score out of 100.
pub fn dimension_column(d: Dimension) -> String {
    format!("d_{}", d.code())
}

/// `c_<quality>_<dimension>`: a cell of the 7 × 3 heatmap, out of 100.
pub fn cell_column(q: Quality, d: Dimension) -> String {
    format!("c_{}_{}", q.code(), d.code())
}

/// Every score column of a response frame, in order: index, qualities, dimensions, cells.
pub fn score_columns() -> Vec<String> {
    let mut columns = vec![INDEX.to_owned()];
    columns.extend(Quality::ALL.iter().map(|&q| quality_column(q)));
    columns.extend(Dimension::ALL.iter().map(|&d| dimension_column(d)));
    for &q in Quality::ALL {
        columns.extend(Dimension::ALL.iter().map(|&d| cell_column(q, d)));
    }
    columns
}

/// Withholds the small groups of a breakdown: nulls `values` and the `organisations` count
/// itself in the rows whose count is below [`MIN_ORGANISATIONS`], and adds the boolean column
/// `suppressed`. A suppressed group publishes no count at all.
///
/// Rows that share the values of `partition` (a quality, a cell; every row when empty) are
/// one breakdown of a total published elsewhere (the overall row, the table without the
/// breakdown): when its suppressed rows add up to fewer than [`MIN_ORGANISATIONS`]
/// organisations, the total minus the published rows would give them away, so the smallest
/// published row is withheld too, until the withheld rows hold enough organisations.
pub fn suppress(
    frame: LazyFrame,
    partition: &[&str],
    organisations: &str,
    values: &[&str],
) -> PolarsResult<LazyFrame> {
    let df = frame.collect()?;
    let counts = i64_column(&df, organisations)?;
    let mut keys: Vec<String> = vec![String::new(); df.height()];
    for name in partition {
        let column = df.column(name)?;
        for (i, key) in keys.iter_mut().enumerate() {
            key.push_str(&format!("{}\u{1f}", column.get(i)?));
        }
    }
    let small = |n: Option<i64>| n.unwrap_or(0) < MIN_ORGANISATIONS;
    let mut withheld: Vec<bool> = counts.iter().map(|&n| small(n)).collect();
    let mut groups: Vec<&String> = keys.iter().collect();
    groups.sort();
    groups.dedup();
    for key in groups {
        let rows: Vec<usize> = (0..keys.len()).filter(|&i| &keys[i] == key).collect();
        loop {
            let hidden: i64 = rows
                .iter()
                .filter(|&&i| withheld[i])
                .map(|&i| counts[i].unwrap_or(0))
                .sum();
            if hidden == 0 || hidden >= MIN_ORGANISATIONS {
                break;
            }
            let Some(&next) = rows
                .iter()
                .filter(|&&i| !withheld[i])
                .min_by_key(|&&i| (counts[i].unwrap_or(0), i))
            else {
                break;
            };
            withheld[next] = true;
        }
    }
    let flag = Column::new("suppressed".into(), withheld);
    let mut exprs = vec![col("suppressed")];
    let mut nulled: Vec<&str> = values.to_vec();
    if !nulled.contains(&organisations) {
        nulled.push(organisations);
    }
    for v in nulled {
        exprs.push(
            when(col("suppressed"))
                .then(lit(NULL))
                .otherwise(col(v))
                .alias(v),
        );
    }
    let mut df = df;
    df.with_column(flag)?;
    Ok(df.lazy().with_columns(exprs))
}

/// Columns as plain vectors, for tests and for callers that render tables.
pub fn f64_column(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<f64>>> {
    Ok(df
        .column(name)?
        .cast(&DataType::Float64)?
        .f64()?
        .iter()
        .collect())
}

pub fn i64_column(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<i64>>> {
    Ok(df
        .column(name)?
        .cast(&DataType::Int64)?
        .i64()?
        .iter()
        .collect())
}

pub fn str_column(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<String>>> {
    Ok(df
        .column(name)?
        .str()?
        .iter()
        .map(|s| s.map(str::to_owned))
        .collect())
}

pub fn bool_column(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<bool>>> {
    Ok(df.column(name)?.bool()?.iter().collect())
}

/// Runs polars work on a thread of its own, outside any async runtime, and awaits it.
///
/// polars calls `block_in_place` whenever it finds a tokio runtime around it, which panics on
/// a current-thread runtime (actix's workers, `#[tokio::test]`), and `spawn_blocking` threads
/// still carry the runtime's context. A plain thread carries none.
pub async fn off_runtime<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> anyhow::Result<T> {
    let (sender, receiver) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("polars".into())
        .spawn(move || {
            let _ = sender.send(work());
        })?;
    receiver
        .await
        .map_err(|_| anyhow::anyhow!("the polars thread stopped without an answer"))
}
