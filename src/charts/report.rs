//! The report's charts, drawn with plotters as accessible SVG (see [`crate::charts`]): bars
//! (participation by month, change per quality), box plots (the distribution of each
//! quality) and heatmaps (the qualities × dimensions). Each is printed beside its data
//! table; the chart is a picture of the table, never its only source.

use crate::charts::{CURRENT, ChartId, GRID, LEVEL_FILLS, LEVEL_TEXT, MUTED, TEXT, finish};
use crate::domain::i18n::Lang;
use plotters::backend::SVGBackend;
use plotters::drawing::{DrawingAreaErrorKind, IntoDrawingArea};
use plotters::element::{PathElement, Rectangle, Text};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, IntoFont, RGBColor, TextStyle};

const WIDTH: u32 = 640;

fn text(px: f64, color: &RGBColor, pos: Pos) -> TextStyle<'static> {
    // plotters divides the size by 1.24 when it writes the SVG.
    ("sans-serif", px * 1.24).into_font().color(color).pos(pos)
}

fn id(title: &str, salt: &str) -> String {
    let mut id = ChartId::new();
    id.feed(title.as_bytes());
    id.feed(salt.as_bytes());
    id.finish("chart")
}

/// A value as the tables print it (one decimal, the language's mark).
fn shown(v: f64, lang: Lang) -> String {
    lang.figure(v, 1)
}

type DrawResult = Result<(), DrawingAreaErrorKind<std::io::Error>>;

fn render(
    height: u32,
    title: &str,
    salt: &str,
    draw: impl FnOnce(&plotters::drawing::DrawingArea<SVGBackend, plotters::coord::Shift>) -> DrawResult,
) -> String {
    let mut buf = String::new();
    let drawn = {
        let root = SVGBackend::with_string(&mut buf, (WIDTH, height)).into_drawing_area();
        draw(&root).and_then(|()| root.present())
    };
    if let Err(e) = drawn {
        tracing::warn!(error = %e, "report chart not drawn");
        buf = "<svg>\n</svg>\n".to_owned();
    }
    finish(
        &buf,
        (WIDTH, height),
        "report-chart",
        &id(title, salt),
        title,
    )
}

/// Horizontal bars, one per label, from 0 (or the lowest negative value) to the value; `unit`
/// is written under the bars (« score sur 100 », « réponses »).
pub fn bars(items: &[(String, Option<f64>)], title: &str, unit: &str, lang: Lang) -> String {
    let row = 24;
    let height = (items.len() as u32 * row as u32 + 56).max(96);
    let salt: String = items.iter().map(|(l, v)| format!("{l}{v:?}")).collect();
    render(height, title, &salt, |root| {
        let left = 190;
        let right = WIDTH as i32 - 60;
        let values: Vec<f64> = items.iter().filter_map(|(_, v)| *v).collect();
        let low = values.iter().copied().fold(0.0, f64::min);
        let high = values.iter().copied().fold(0.0, f64::max).max(low + 1.0);
        let x = |v: f64| left + ((v - low) / (high - low) * f64::from(right - left)).round() as i32;
        root.draw(&PathElement::new(
            vec![(x(0.0), 8), (x(0.0), height as i32 - 24)],
            MUTED.stroke_width(1),
        ))?;
        for (k, (label, value)) in items.iter().enumerate() {
            let y = 12 + k as i32 * row;
            root.draw(&Text::new(
                label.clone(),
                (left - 8, y + row / 2 - 2),
                text(12.0, &TEXT, Pos::new(HPos::Right, VPos::Center)),
            ))?;
            match value {
                Some(v) => {
                    let (a, b) = (x(0.0).min(x(*v)), x(0.0).max(x(*v)));
                    root.draw(&Rectangle::new(
                        [(a, y + 3), (b.max(a + 1), y + row - 7)],
                        CURRENT.filled(),
                    ))?;
                    root.draw(&Text::new(
                        shown(*v, lang),
                        (b + 4, y + row / 2 - 2),
                        text(11.0, &TEXT, Pos::new(HPos::Left, VPos::Center)),
                    ))?;
                }
                None => {
                    root.draw(&Text::new(
                        "—",
                        (x(0.0) + 4, y + row / 2 - 2),
                        text(11.0, &MUTED, Pos::new(HPos::Left, VPos::Center)),
                    ))?;
                }
            }
        }
        root.draw(&Text::new(
            unit.to_owned(),
            ((left + right) / 2, height as i32 - 6),
            text(11.0, &MUTED, Pos::new(HPos::Center, VPos::Bottom)),
        ))?;
        Ok(())
    })
}

/// One box plot per label on a 0–100 axis: `(label, min, q1, median, q3, max)`; `unit`
/// names the axis.
pub fn box_plots(items: &[(String, [Option<f64>; 5])], title: &str, unit: &str) -> String {
    let row = 30;
    let height = items.len() as u32 * row as u32 + 68;
    let salt: String = items.iter().map(|(l, v)| format!("{l}{v:?}")).collect();
    render(height, title, &salt, |root| {
        let left = 130;
        let right = WIDTH as i32 - 20;
        let x =
            |v: f64| left + (v.clamp(0.0, 100.0) / 100.0 * f64::from(right - left)).round() as i32;
        let bottom = 8 + items.len() as i32 * row;
        for tick in [0, 25, 50, 75, 100] {
            let tx = x(f64::from(tick));
            root.draw(&PathElement::new(
                vec![(tx, 8), (tx, bottom)],
                GRID.stroke_width(1),
            ))?;
            root.draw(&Text::new(
                tick.to_string(),
                (tx, bottom + 6),
                text(11.0, &MUTED, Pos::new(HPos::Center, VPos::Top)),
            ))?;
        }
        for (k, (label, v)) in items.iter().enumerate() {
            let y = 8 + k as i32 * row;
            let mid = y + row / 2;
            root.draw(&Text::new(
                label.clone(),
                (left - 8, mid),
                text(12.0, &TEXT, Pos::new(HPos::Right, VPos::Center)),
            ))?;
            if let [Some(min), Some(q1), Some(median), Some(q3), Some(max)] = *v {
                root.draw(&PathElement::new(
                    vec![(x(min), mid), (x(q1), mid)],
                    TEXT.stroke_width(1),
                ))?;
                root.draw(&PathElement::new(
                    vec![(x(q3), mid), (x(max), mid)],
                    TEXT.stroke_width(1),
                ))?;
                root.draw(&Rectangle::new(
                    [(x(q1), mid - 8), (x(q3).max(x(q1) + 1), mid + 8)],
                    CURRENT.mix(0.25).filled(),
                ))?;
                root.draw(&Rectangle::new(
                    [(x(q1), mid - 8), (x(q3).max(x(q1) + 1), mid + 8)],
                    CURRENT.stroke_width(1),
                ))?;
                root.draw(&PathElement::new(
                    vec![(x(median), mid - 8), (x(median), mid + 8)],
                    CURRENT.stroke_width(3),
                ))?;
            } else {
                root.draw(&Text::new(
                    "—",
                    (left + 4, mid),
                    text(11.0, &MUTED, Pos::new(HPos::Left, VPos::Center)),
                ))?;
            }
        }
        root.draw(&Text::new(
            unit.to_owned(),
            ((left + right) / 2, height as i32 - 6),
            text(11.0, &MUTED, Pos::new(HPos::Center, VPos::Bottom)),
        ))?;
        Ok(())
    })
}

/// The step of the levels' palette for `v` on `0..=max`: quarters, so that scores out of 100
/// take the colour of their level (0–25 à initier … 75–100 exemplaire), as on the results page.
fn palette_step(v: f64, max: f64) -> usize {
    let share = (v / max.max(f64::EPSILON)).clamp(0.0, 1.0);
    crate::domain::Level::of_score(share * 100.0).index()
}

/// A grid of cells with their value written in each, coloured by the level's palette on
/// `0..=max` (see [`palette_step`]); `unit` says what the values are, under the grid.
pub fn heatmap(
    rows: &[String],
    columns: &[String],
    values: &[Vec<Option<f64>>],
    max: f64,
    title: &str,
    unit: &str,
    lang: Lang,
) -> String {
    let cell_w = 130;
    let cell_h = 28;
    let left = 130;
    let top = 28;
    let height = (top + rows.len() as i32 * cell_h + 30) as u32;
    let salt = format!("{values:?}");
    render(height, title, &salt, |root| {
        for (j, c) in columns.iter().enumerate() {
            root.draw(&Text::new(
                c.clone(),
                (left + j as i32 * cell_w + cell_w / 2, top - 8),
                text(12.0, &TEXT, Pos::new(HPos::Center, VPos::Bottom)),
            ))?;
        }
        for (i, r) in rows.iter().enumerate() {
            let y = top + i as i32 * cell_h;
            root.draw(&Text::new(
                r.clone(),
                (left - 8, y + cell_h / 2),
                text(12.0, &TEXT, Pos::new(HPos::Right, VPos::Center)),
            ))?;
            for j in 0..columns.len() {
                let x = left + j as i32 * cell_w;
                let value = values.get(i).and_then(|row| row.get(j)).copied().flatten();
                let step = value.map(|v| palette_step(v, max));
                let fill = match step {
                    Some(k) => LEVEL_FILLS[k].filled(),
                    None => RGBColor(0xf3, 0xf5, 0xf8).filled(),
                };
                root.draw(&Rectangle::new(
                    [(x + 1, y + 1), (x + cell_w - 1, y + cell_h - 1)],
                    fill,
                ))?;
                let label = match value {
                    Some(v) => shown(v, lang),
                    None => "—".to_owned(),
                };
                let ink = step.map_or(TEXT, |k| LEVEL_TEXT[k]);
                root.draw(&Text::new(
                    label,
                    (x + cell_w / 2, y + cell_h / 2),
                    text(12.0, &ink, Pos::new(HPos::Center, VPos::Center)),
                ))?;
            }
        }
        root.draw(&Text::new(
            unit.to_owned(),
            (left + columns.len() as i32 * cell_w / 2, height as i32 - 6),
            text(11.0, &MUTED, Pos::new(HPos::Center, VPos::Bottom)),
        ))?;
        Ok(())
    })
}

/// A line across years: one point per year of `points` (`None` when the year is withheld),
/// on an axis from 0 to `max` named `unit` (« score sur 100 », « organisations »).
///
/// A withheld year is drawn as nothing: no point, and the line is broken around it rather
/// than joined across it, so that no value is suggested for it; `withheld` is written under
/// its year instead (« masqué »).
pub fn years_line(
    points: &[(i32, Option<f64>)],
    max: f64,
    title: &str,
    unit: &str,
    withheld: &str,
    lang: Lang,
) -> String {
    let height = 260;
    let salt: String = points.iter().map(|(y, v)| format!("{y}{v:?}")).collect();
    render(height, title, &salt, |root| {
        let (left, right, top, bottom) = (64, WIDTH as i32 - 40, 16, height as i32 - 62);
        let max = if max > 0.0 { max } else { 1.0 };
        let y = |v: f64| bottom - ((v / max) * f64::from(bottom - top)).round() as i32;
        let n = points.len().max(1) as i32;
        let step = if n > 1 { (right - left) / (n - 1) } else { 0 };
        let x = |i: usize| {
            if n > 1 {
                left + i as i32 * step
            } else {
                (left + right) / 2
            }
        };
        for k in 0..=4 {
            let v = max * f64::from(k) / 4.0;
            root.draw(&PathElement::new(
                vec![(left, y(v)), (right, y(v))],
                GRID.stroke_width(1),
            ))?;
            root.draw(&Text::new(
                shown(v, lang)
                    .trim_end_matches(",0")
                    .trim_end_matches(".0")
                    .to_owned(),
                (left - 6, y(v)),
                text(11.0, &MUTED, Pos::new(HPos::Right, VPos::Center)),
            ))?;
        }
        // The line, broken at each withheld year.
        let mut run: Vec<(i32, i32)> = Vec::new();
        for (i, (_, value)) in points.iter().enumerate() {
            match value {
                Some(v) => run.push((x(i), y(*v))),
                None => {
                    if run.len() > 1 {
                        root.draw(&PathElement::new(run.clone(), CURRENT.stroke_width(3)))?;
                    }
                    run.clear();
                }
            }
        }
        if run.len() > 1 {
            root.draw(&PathElement::new(run, CURRENT.stroke_width(3)))?;
        }
        for (i, (year, value)) in points.iter().enumerate() {
            root.draw(&Text::new(
                year.to_string(),
                (x(i), bottom + 8),
                text(12.0, &TEXT, Pos::new(HPos::Center, VPos::Top)),
            ))?;
            match value {
                Some(v) => {
                    root.draw(&Rectangle::new(
                        [(x(i) - 4, y(*v) - 4), (x(i) + 4, y(*v) + 4)],
                        CURRENT.filled(),
                    ))?;
                    root.draw(&Text::new(
                        shown(*v, lang),
                        (x(i), y(*v) - 10),
                        text(11.0, &TEXT, Pos::new(HPos::Center, VPos::Bottom)),
                    ))?;
                }
                None => {
                    root.draw(&Text::new(
                        withheld.to_owned(),
                        (x(i), bottom + 24),
                        text(11.0, &MUTED, Pos::new(HPos::Center, VPos::Top)),
                    ))?;
                }
            }
        }
        root.draw(&Text::new(
            unit.to_owned(),
            ((left + right) / 2, height as i32 - 6),
            text(11.0, &MUTED, Pos::new(HPos::Center, VPos::Bottom)),
        ))?;
        Ok(())
    })
}

#[cfg(test)]
mod years_line_tests {
    use super::*;

    #[test]
    fn a_withheld_year_is_said_and_not_drawn() {
        let svg = years_line(
            &[(2024, Some(40.0)), (2025, None), (2026, Some(60.0))],
            100.0,
            "Score moyen par année",
            "score sur 100",
            "masqué",
            Lang::Fr,
        );
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("\nmasqué\n"), "{svg}");
        assert!(svg.contains("score sur 100"));
        assert!(svg.contains("\n40\n") && svg.contains("\n60\n"));
        // Two points, each alone: no line joins them across the withheld year.
        assert_eq!(svg.matches("<rect").count(), 2, "{svg}");
        assert_eq!(svg.matches("<polyline").count(), 5, "{svg}");
    }

    #[test]
    fn shown_years_are_joined_by_a_line() {
        let svg = years_line(
            &[(2024, Some(40.0)), (2025, Some(50.0)), (2026, Some(60.0))],
            100.0,
            "Score",
            "score sur 100",
            "masqué",
            Lang::Fr,
        );
        assert_eq!(svg.matches("<rect").count(), 3);
        // The five grid lines and one line through the three years.
        assert_eq!(svg.matches("<polyline").count(), 6, "{svg}");
        assert!(!svg.contains("masqué"));
    }
}
