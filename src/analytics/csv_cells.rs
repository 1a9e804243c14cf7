//! Text cells of every CSV the service writes, made safe to open in a spreadsheet.
//!
//! A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula (and tab or
//! carriage return can hide one), so a coalition named `=HYPERLINK("http://…")` would become
//! a live link, or worse, in the file of everyone who downloads the report. Following OWASP's
//! advice on CSV injection, such a text cell is written with a leading `'`, which spreadsheets
//! show as text and never evaluate. Numbers are not text: a figure such as `-3.5` is written as
//! it is, and so is a text cell that is a plain number, which no spreadsheet runs.
//!
//! Every CSV writer of the service goes through here: [`neutralise`] for CSV written by hand,
//! [`neutralise_frame`] or [`write_csv`] for polars frames (whose Parquet twin is written from
//! the same neutralised frame, so both files carry the same values).

use polars::prelude::*;
use polars_io::prelude::{CsvWriter, SerWriter};
use std::borrow::Cow;

/// The first characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text cell as it is safe to write: prefixed with `'` when a spreadsheet would run it.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    let dangerous = cell.starts_with(FORMULA_STARTS);
    // A plain number (« -3.5 », « +2 ») is read as a number, never as a formula.
    let number = cell.trim().parse::<f64>().is_ok_and(f64::is_finite);
    if dangerous && !number {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// The frame with every text cell neutralised; numeric, boolean and other columns untouched.
pub fn neutralise_frame(frame: &DataFrame) -> PolarsResult<DataFrame> {
    let mut out = frame.clone();
    let names: Vec<PlSmallStr> = frame
        .columns()
        .iter()
        .filter(|c| c.dtype() == &DataType::String)
        .map(|c| c.name().clone())
        .collect();
    for name in names {
        let column = frame.column(&name)?;
        let safe: StringChunked = column
            .str()?
            .iter()
            .map(|v| v.map(|v| neutralise(v).into_owned()))
            .collect();
        out.replace(&name, safe.with_name(name.clone()).into_column())?;
    }
    Ok(out)
}

/// Writes a frame as CSV, its text cells neutralised.
pub fn write_csv(writer: impl std::io::Write, frame: &DataFrame) -> PolarsResult<()> {
    CsvWriter::new(writer).finish(&mut neutralise_frame(frame)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_a_spreadsheet_would_run_are_prefixed() {
        for cell in [
            "=HYPERLINK(\"http://x\")",
            "+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
            "-",
        ] {
            assert_eq!(neutralise(cell), format!("'{cell}"), "{cell:?}");
        }
    }

    #[test]
    fn ordinary_text_and_plain_numbers_are_left_as_they_are() {
        for cell in [
            "Ville de Lyon",
            "achat-public-responsable",
            "",
            "-3.5",
            "+2",
            "'=déjà neutralisé",
            "a=b",
        ] {
            assert_eq!(neutralise(cell), cell, "{cell:?}");
        }
    }

    #[test]
    fn a_frame_keeps_its_numbers_and_neutralises_its_text() {
        let df = df!(
            "name" => [Some("=HYPERLINK(\"http://x\")"), Some("Lyon"), None],
            "value" => [-3.5, 2.0, 0.0],
            "count" => [-1i64, 2, 3],
        )
        .expect("frame");
        let safe = neutralise_frame(&df).expect("neutralised");
        let names: Vec<Option<&str>> = safe
            .column("name")
            .expect("name")
            .str()
            .expect("text")
            .iter()
            .collect();
        assert_eq!(
            names,
            vec![Some("'=HYPERLINK(\"http://x\")"), Some("Lyon"), None]
        );
        assert!(
            safe.column("value")
                .expect("value")
                .equals(df.column("value").expect("value"))
        );
        let mut bytes = Vec::new();
        write_csv(&mut bytes, &df).expect("written");
        let csv = String::from_utf8(bytes).expect("utf-8");
        assert!(csv.contains("-3.5") && csv.contains("-1"), "{csv}");
        assert!(
            !csv.lines()
                .any(|l| l.starts_with('=') || l.starts_with("\"=")),
            "{csv}"
        );
    }
}
