//! A report's folder in memory: every file the report is made of, each with its path and
//! media type, so that the same files are written to a folder by the command line and
//! stored in the database for the site to serve (see `crate::app::publications`).
//!
//! ```text
//! index.html, charts/*.svg         the document and its charts, in the first language
//! en/index.html, en/charts/*.svg   the same in each further language (by its code)
//! data/*.csv, data/*.parquet       every table
//! data/README.md                   every file and field, CC BY 4.0
//! data/datapackage.json            the Frictionless Data Package of the CSV files
//! ```

use super::render;
use crate::analytics::datapackage::{self, Publication};
use crate::analytics::publish::{self, Table};
use crate::db::ReportFile;
use crate::domain::i18n::Lang;
use std::io::Write;

/// The media type of a report file, from its extension.
pub fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, ext)| ext) {
        Some("html") => "text/html; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("csv") => "text/csv; charset=utf-8",
        Some("parquet") => "application/vnd.apache.parquet",
        Some("json") => "application/json",
        Some("md") => "text/markdown; charset=utf-8",
        Some("zip") => "application/zip",
        _ => "application/octet-stream",
    }
}

fn file(path: String, bytes: Vec<u8>) -> ReportFile {
    ReportFile {
        content_type: content_type(&path).to_owned(),
        path,
        bytes,
    }
}

/// Every file of the report of `year` made from `tables`, sorted by path; the document and
/// charts once per language of `langs` (the first at the root). Deterministic, as the report.
pub fn files(
    year: i32,
    langs: &[Lang],
    tables: &[Table],
    frozen: bool,
) -> anyhow::Result<Vec<ReportFile>> {
    let mut files = Vec::new();
    for table in tables {
        let (csv, parquet) = publish::encode_table(table)?;
        files.push(file(format!("data/{}.csv", table.name), csv));
        files.push(file(format!("data/{}.parquet", table.name), parquet));
    }
    files.push(file(
        "data/README.md".to_owned(),
        render::data_readme(year, tables).into_bytes(),
    ));
    files.push(file(
        "data/datapackage.json".to_owned(),
        datapackage::datapackage(Publication::Report, year, tables).into_bytes(),
    ));
    for (i, lang) in langs.iter().enumerate() {
        let prefix = if i == 0 {
            String::new()
        } else {
            format!("{}/", lang.code())
        };
        let (html, charts) = render::document(year, *lang, tables, frozen);
        for (name, svg) in charts {
            files.push(file(format!("{prefix}charts/{name}.svg"), svg.into_bytes()));
        }
        files.push(file(format!("{prefix}index.html"), html.into_bytes()));
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// The name of the zip of a report's whole folder.
pub fn archive_name(year: i32) -> String {
    format!("reset-evaluation-{year}.zip")
}

/// The whole folder as one zip, its entries under `reset-evaluation-<year>/`. Every entry
/// carries the same fixed date, so that the same files give the same bytes.
pub fn archive(year: i32, files: &[ReportFile]) -> anyhow::Result<Vec<u8>> {
    use zip::write::SimpleFileOptions;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for f in files {
        zip.start_file(format!("reset-evaluation-{year}/{}", f.path), options)?;
        zip.write_all(&f.bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}

/// [`files`] and, beside them, their [`archive`]: what is stored for the site.
pub fn files_with_archive(
    year: i32,
    langs: &[Lang],
    tables: &[Table],
    frozen: bool,
) -> anyhow::Result<Vec<ReportFile>> {
    let mut all = files(year, langs, tables, frozen)?;
    let zip = archive(year, &all)?;
    all.push(file(archive_name(year), zip));
    all.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(all)
}
