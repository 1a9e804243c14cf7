//! The report's key findings: a few sentences computed from its own tables, first in the
//! document, each linked to the table it comes from — participation against last year, the
//! strongest and weakest qualities and cells, the largest paired progress, where the
//! coalitions' indicators stand.
//!
//! [`key_findings`] is pure: it reads [`Figures`], which hold only what the tables publish.
//! A suppressed group has no value in its table (fewer than 5 organisations), so it never
//! enters [`Figures`] and a finding can never name it.

use crate::analytics::publish::Table;
use crate::domain::i18n::Lang;
use crate::domain::indicator::Status;
use crate::domain::{Dimension, Quality};
use polars::prelude::*;

/// A year's participation as published (never a suppressed row).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Participation {
    pub year: i32,
    /// Organisations with at least one submitted response.
    pub organisations: i64,
    /// Responses submitted.
    pub submitted: i64,
}

/// What the findings are computed from: the published figures, suppressed ones left out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    pub participation: Option<Participation>,
    pub previous_participation: Option<Participation>,
    /// Mean collective score of each quality shown, out of 100.
    pub qualities: Vec<(Quality, f64)>,
    /// Mean collective score of each quality × dimension cell shown, out of 100.
    pub cells: Vec<(Quality, Dimension, f64)>,
    /// Mean paired change of each quality shown, in points, and the organisations paired.
    pub progress: Vec<(Quality, f64, i64)>,
    /// The status of every coalition indicator of the report (`None`: no status yet).
    pub indicator_statuses: Vec<Option<Status>>,
}

/// One sentence of the key findings and the table (its `id` in the document) it comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub text: String,
    pub table: &'static str,
}

fn one(x: f64, lang: Lang) -> String {
    lang.figure(x, 1)
}

fn signed(x: f64, lang: Lang) -> String {
    let text = one(x, lang);
    if x > 0.0 && text != "0" {
        format!("+{text}")
    } else {
        text
    }
}

fn quote(text: &str, lang: Lang) -> String {
    match lang {
        Lang::Fr => format!("« {text} »"),
        Lang::En => format!("“{text}”"),
    }
}

/// The highest and the lowest of `items` by value, when there are two or more; ties go to
/// the first in display order, so the sentence does not change from one run to the next.
fn extremes<T: Copy>(items: &[(T, f64)]) -> Option<((T, f64), (T, f64))> {
    if items.len() < 2 {
        return None;
    }
    let mut high = items[0];
    let mut low = items[0];
    for &item in &items[1..] {
        if item.1 > high.1 {
            high = item;
        }
        if item.1 < low.1 {
            low = item;
        }
    }
    Some((high, low))
}

/// The key findings, in the document's order. A finding whose figures are all suppressed or
/// missing is left out rather than said with blanks.
pub fn key_findings(figures: &Figures, lang: Lang) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(p) = figures.participation {
        let this = match lang {
            Lang::Fr => format!(
                "En {} : {} organisations ont envoyé {} réponses",
                p.year,
                lang.count(p.organisations),
                lang.count(p.submitted)
            ),
            Lang::En => format!(
                "In {}: {} organisations submitted {} responses",
                p.year,
                lang.count(p.organisations),
                lang.count(p.submitted)
            ),
        };
        let text = match figures.previous_participation {
            Some(before) => {
                let change = p.organisations - before.organisations;
                let change = if change > 0 {
                    format!("+{}", lang.count(change))
                } else {
                    lang.count(change)
                };
                match lang {
                    Lang::Fr => format!(
                        "{this}, contre {} organisations et {} réponses en {} ({change} organisations).",
                        lang.count(before.organisations),
                        lang.count(before.submitted),
                        before.year
                    ),
                    Lang::En => format!(
                        "{this}, against {} organisations and {} responses in {} ({change} organisations).",
                        lang.count(before.organisations),
                        lang.count(before.submitted),
                        before.year
                    ),
                }
            }
            None => format!("{this}."),
        };
        let table = if figures.previous_participation.is_some() {
            "participation_by_year"
        } else {
            "participation"
        };
        out.push(Finding { text, table });
    }
    if let Some(((high, high_mean), (low, low_mean))) = extremes(&figures.qualities) {
        let text = match lang {
            Lang::Fr => format!(
                "Qualité la plus forte : {} ({} sur 100 en moyenne) ; la plus faible : {} ({} sur 100).",
                quote(high.label(lang), lang),
                one(high_mean, lang),
                quote(low.label(lang), lang),
                one(low_mean, lang)
            ),
            Lang::En => format!(
                "Strongest quality: {} ({} out of 100 on average); weakest: {} ({} out of 100).",
                quote(high.label(lang), lang),
                one(high_mean, lang),
                quote(low.label(lang), lang),
                one(low_mean, lang)
            ),
        };
        out.push(Finding {
            text,
            table: "quality_distribution",
        });
    }
    let cells: Vec<((Quality, Dimension), f64)> =
        figures.cells.iter().map(|&(q, d, v)| ((q, d), v)).collect();
    if let Some((((hq, hd), high), ((lq, ld), low))) = extremes(&cells) {
        let cell = |q: Quality, d: Dimension| {
            quote(&format!("{} × {}", q.label(lang), d.label(lang)), lang)
        };
        let text = match lang {
            Lang::Fr => format!(
                "Case la plus forte : {} ({} sur 100) ; la plus faible : {} ({} sur 100).",
                cell(hq, hd),
                one(high, lang),
                cell(lq, ld),
                one(low, lang)
            ),
            Lang::En => format!(
                "Strongest cell: {} ({} out of 100); weakest: {} ({} out of 100).",
                cell(hq, hd),
                one(high, lang),
                cell(lq, ld),
                one(low, lang)
            ),
        };
        out.push(Finding {
            text,
            table: "heatmap",
        });
    }
    let mut largest: Option<(Quality, f64, i64)> = None;
    for &item in &figures.progress {
        if largest.is_none_or(|l| item.1 > l.1) {
            largest = Some(item);
        }
    }
    if let Some((quality, change, organisations)) = largest {
        let text = if change > 0.0 {
            match lang {
                Lang::Fr => format!(
                    "Plus forte progression : {}, {} points en moyenne pour les {} organisations présentes les deux années.",
                    quote(quality.label(lang), lang),
                    signed(change, lang),
                    lang.count(organisations)
                ),
                Lang::En => format!(
                    "Largest progress: {}, {} points on average for the {} organisations present both years.",
                    quote(quality.label(lang), lang),
                    signed(change, lang),
                    lang.count(organisations)
                ),
            }
        } else {
            lang.pick(
                "Aucune qualité ne progresse en moyenne chez les organisations présentes les deux années.",
                "No quality improved on average among the organisations present both years.",
            )
            .to_owned()
        };
        out.push(Finding {
            text,
            table: "progress",
        });
    }
    if !figures.indicator_statuses.is_empty() {
        let total = figures.indicator_statuses.len() as i64;
        let of = |s: Status| {
            figures
                .indicator_statuses
                .iter()
                .filter(|x| **x == Some(s))
                .count() as i64
        };
        let on_track = of(Status::OnTrack) + of(Status::Reached);
        let text = match lang {
            Lang::Fr => format!(
                "Indicateurs des coalitions : {} sur {} en bonne voie ou atteints ({} atteints, {} à risque, {} hors trajectoire).",
                lang.count(on_track),
                lang.count(total),
                lang.count(of(Status::Reached)),
                lang.count(of(Status::AtRisk)),
                lang.count(of(Status::OffTrack))
            ),
            Lang::En => format!(
                "Coalition indicators: {} of {} on track or reached ({} reached, {} at risk, {} off track).",
                lang.count(on_track),
                lang.count(total),
                lang.count(of(Status::Reached)),
                lang.count(of(Status::AtRisk)),
                lang.count(of(Status::OffTrack))
            ),
        };
        out.push(Finding {
            text,
            table: "coalition_indicators",
        });
    }
    out
}

fn find<'a>(tables: &'a [Table], name: &str) -> Option<&'a DataFrame> {
    tables.iter().find(|t| t.name == name).map(|t| &t.frame)
}

fn numbers(frame: &DataFrame, column: &str) -> Vec<Option<f64>> {
    frame
        .column(column)
        .ok()
        .and_then(|c| c.cast(&DataType::Float64).ok())
        .and_then(|c| c.f64().ok().map(|ca| ca.iter().collect()))
        .unwrap_or_else(|| vec![None; frame.height()])
}

fn texts(frame: &DataFrame, column: &str) -> Vec<Option<String>> {
    frame
        .column(column)
        .ok()
        .and_then(|c| c.cast(&DataType::String).ok())
        .and_then(|c| {
            c.str()
                .ok()
                .map(|ca| ca.iter().map(|s| s.map(str::to_owned)).collect())
        })
        .unwrap_or_else(|| vec![None; frame.height()])
}

fn participation_row(frame: &DataFrame, row: usize, year: i32) -> Option<Participation> {
    let organisations = numbers(frame, "organisations_submitted")
        .get(row)
        .copied()??;
    let submitted = numbers(frame, "submitted").get(row).copied()??;
    Some(Participation {
        year,
        organisations: organisations as i64,
        submitted: submitted as i64,
    })
}

impl Figures {
    /// The figures the report's tables publish for `year`. Suppressed rows carry no value,
    /// so they are left out here.
    pub fn of_tables(tables: &[Table], year: i32) -> Figures {
        let mut figures = Figures::default();
        if let Some(frame) = find(tables, "participation_by_year") {
            let years = numbers(frame, "year");
            for (row, y) in years.iter().enumerate() {
                let Some(y) = y.map(|y| y as i32) else {
                    continue;
                };
                let p = participation_row(frame, row, y);
                if y == year {
                    figures.participation = p;
                } else if y == year - 1 {
                    figures.previous_participation = p;
                }
            }
        }
        if figures.participation.is_none()
            && let Some(frame) = find(tables, "participation")
        {
            figures.participation = participation_row(frame, 0, year);
        }
        if let Some(frame) = find(tables, "quality_distribution") {
            let quality = texts(frame, "quality");
            let mean = numbers(frame, "mean");
            figures.qualities = quality
                .iter()
                .zip(mean)
                .filter_map(|(q, m)| Some((Quality::from_code(q.as_deref()?)?, m?)))
                .filter(|(_, m)| m.is_finite())
                .collect();
        }
        if let Some(frame) = find(tables, "heatmap") {
            let quality = texts(frame, "quality");
            let dimension = texts(frame, "dimension");
            let mean = numbers(frame, "mean");
            figures.cells = (0..frame.height())
                .filter_map(|i| {
                    Some((
                        Quality::from_code(quality[i].as_deref()?)?,
                        Dimension::from_code(dimension[i].as_deref()?)?,
                        mean[i].filter(|m| m.is_finite())?,
                    ))
                })
                .collect();
        }
        if let Some(frame) = find(tables, "progress") {
            let quality = texts(frame, "quality");
            let change = numbers(frame, "mean_change");
            let organisations = numbers(frame, "organisations");
            figures.progress = (0..frame.height())
                .filter_map(|i| {
                    Some((
                        Quality::from_code(quality[i].as_deref()?)?,
                        change[i].filter(|c| c.is_finite())?,
                        organisations[i]? as i64,
                    ))
                })
                .collect();
        }
        if let Some(frame) = find(tables, "coalition_indicators") {
            figures.indicator_statuses = texts(frame, "status")
                .into_iter()
                .map(|s| s.and_then(|s| Status::from_code(&s)))
                .collect();
        }
        figures
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures() -> Figures {
        Figures {
            participation: Some(Participation {
                year: 2026,
                organisations: 1200,
                submitted: 11_900,
            }),
            previous_participation: Some(Participation {
                year: 2025,
                organisations: 1000,
                submitted: 9000,
            }),
            qualities: vec![
                (Quality::ALL[0], 60.31),
                (Quality::ALL[1], 72.04),
                (Quality::ALL[2], 41.0),
            ],
            cells: vec![
                (Quality::ALL[0], Dimension::ALL[0], 55.0),
                (Quality::ALL[1], Dimension::ALL[2], 80.25),
                (Quality::ALL[2], Dimension::ALL[1], 30.0),
            ],
            progress: vec![(Quality::ALL[0], 2.0, 8), (Quality::ALL[2], 5.24, 6)],
            indicator_statuses: vec![
                Some(Status::OnTrack),
                Some(Status::Reached),
                Some(Status::AtRisk),
                None,
            ],
        }
    }

    #[test]
    fn participation_is_compared_with_last_year_in_the_languages_format() {
        let fr = key_findings(&figures(), Lang::Fr);
        assert_eq!(
            fr[0].text,
            "En 2026 : 1\u{202f}200 organisations ont envoyé 11\u{202f}900 réponses, contre 1\u{202f}000 organisations et 9\u{202f}000 réponses en 2025 (+200 organisations)."
        );
        assert_eq!(fr[0].table, "participation_by_year");
        let en = key_findings(&figures(), Lang::En);
        assert!(
            en[0]
                .text
                .starts_with("In 2026: 1,200 organisations submitted 11,900 responses")
        );
    }

    #[test]
    fn the_strongest_and_weakest_quality_and_cell_are_named() {
        let fr = key_findings(&figures(), Lang::Fr);
        let quality = &fr[1];
        assert_eq!(quality.table, "quality_distribution");
        assert!(quality.text.contains(Quality::ALL[1].label(Lang::Fr)));
        assert!(quality.text.contains("72 sur 100"));
        assert!(quality.text.contains(Quality::ALL[2].label(Lang::Fr)));
        assert!(quality.text.contains("(41 sur 100)"));
        let cell = &fr[2];
        assert_eq!(cell.table, "heatmap");
        assert!(cell.text.contains("80,3 sur 100"), "{}", cell.text);
        assert!(cell.text.contains(Dimension::ALL[2].label(Lang::Fr)));
    }

    #[test]
    fn the_largest_paired_progress_is_named_with_its_organisations() {
        let en = key_findings(&figures(), Lang::En);
        let progress = en.iter().find(|f| f.table == "progress").expect("progress");
        assert!(progress.text.contains(Quality::ALL[2].label(Lang::En)));
        assert!(progress.text.contains("+5.2 points"), "{}", progress.text);
        assert!(progress.text.contains("the 6 organisations"));
    }

    #[test]
    fn no_progress_is_said_as_such() {
        let mut f = figures();
        f.progress = vec![(Quality::ALL[0], -1.0, 8)];
        let fr = key_findings(&f, Lang::Fr);
        let progress = fr.iter().find(|f| f.table == "progress").expect("progress");
        assert!(progress.text.starts_with("Aucune qualité ne progresse"));
    }

    #[test]
    fn coalition_indicators_on_track_are_counted() {
        let fr = key_findings(&figures(), Lang::Fr);
        let last = fr.last().expect("indicators");
        assert_eq!(last.table, "coalition_indicators");
        assert!(
            last.text
                .starts_with("Indicateurs des coalitions : 2 sur 4 en bonne voie"),
            "{}",
            last.text
        );
    }

    #[test]
    fn suppressed_figures_are_never_named() {
        // A quality whose group is suppressed has a null mean in its table: it is not in the
        // figures, so no sentence can name it.
        let quality = DataFrame::new_infer_height(vec![
            Column::new(
                "quality".into(),
                Quality::ALL[..3]
                    .iter()
                    .map(|q| q.code())
                    .collect::<Vec<_>>(),
            ),
            Column::new("mean".into(), vec![Some(50.0), None, Some(40.0)]),
            Column::new("suppressed".into(), vec![false, true, false]),
        ])
        .expect("frame");
        let tables = vec![Table {
            name: "quality_distribution",
            frame: quality,
        }];
        let figures = Figures::of_tables(&tables, 2026);
        assert_eq!(figures.qualities.len(), 2);
        for lang in [Lang::Fr, Lang::En] {
            let text: String = key_findings(&figures, lang)
                .into_iter()
                .map(|f| f.text)
                .collect();
            assert!(!text.contains(Quality::ALL[1].label(lang)), "{text}");
            assert!(text.contains(Quality::ALL[0].label(lang)));
        }
    }

    #[test]
    fn with_everything_suppressed_there_is_no_finding() {
        assert!(key_findings(&Figures::default(), Lang::Fr).is_empty());
        let one_quality = Figures {
            qualities: vec![(Quality::ALL[0], 50.0)],
            ..Figures::default()
        };
        assert!(
            key_findings(&one_quality, Lang::En).is_empty(),
            "one quality is no comparison"
        );
    }
}
