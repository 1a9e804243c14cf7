//! Charts as inline SVG: the radar of the 7 qualities on the results page, and the
//! trajectory of a coalition's indicator (baseline, targets, validated values).
//!
//! Drawn with plotters' SVG backend into a string, then made accessible (`role="img"`, a
//! `<title>` named by `aria-labelledby`) and scalable (a `viewBox`, `width="100%"`), since
//! plotters adds neither. The SVG is inlined in pages whose Content-Security-Policy refuses
//! inline styles and scripts, so it uses presentation attributes only, no `style`, no script
//! and no external reference. The figures themselves are in a data table the web layer
//! renders beside it: the chart is a picture of them, not their only source.

pub mod map;
pub mod report;

use plotters::backend::SVGBackend;
use plotters::drawing::{DrawingArea, DrawingAreaErrorKind, IntoDrawingArea};
use plotters::element::{Circle, PathElement, Polygon, Text};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, IntoFont, RGBColor, ShapeStyle, TextStyle};
use std::fmt::Write as _;

/// How a series is drawn: the current result stands out, the others are references.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesStyle {
    /// Filled polygon, dark blue outline, a dot on each defined value.
    Current,
    /// Grey dashed outline, no fill.
    Earlier,
    /// Thin orange outline: the peers' medians.
    Peers,
}

/// One polygon of the radar.
#[derive(Debug, Clone, PartialEq)]
pub struct RadarSeries {
    /// Shown in the legend.
    pub name: String,
    /// Out of 100, by [`crate::domain::Quality::index`]; `None` (or NaN) when undefined.
    pub values: [Option<f64>; 7],
    pub style: SeriesStyle,
}

const WIDTH: u32 = 480;
const CX: i32 = 240;
const CY: i32 = 165;
/// Radius of the 100 ring. Leaves room for a label of about 14 characters beside the
/// rightmost axis (Démocratique) at 480 px wide.
const RADIUS: f64 = 125.0;
/// Distance between the 100 ring and a quality label.
const LABEL_GAP: f64 = 9.0;
/// Nothing is drawn closer than this to an edge.
const MARGIN: i32 = 4;
/// The legend starts below the bottom labels and takes one row a series.
const LEGEND_TOP: i32 = 322;
const LEGEND_ROW: i32 = 20;
const RINGS: [u32; 4] = [25, 50, 75, 100];

pub(crate) const CURRENT: RGBColor = RGBColor(0x1f, 0x4e, 0x8c);
const EARLIER: RGBColor = RGBColor(0x6b, 0x6b, 0x6b);
const PEERS: RGBColor = RGBColor(0xa3, 0x4a, 0x00);
pub(crate) const GRID: RGBColor = RGBColor(0xc9, 0xce, 0xd6);
pub(crate) const TEXT: RGBColor = RGBColor(0x33, 0x33, 0x33);
/// Ring labels: quieter than the quality labels, still 4.5:1 on white.
pub(crate) const MUTED: RGBColor = RGBColor(0x55, 0x5b, 0x66);
/// The fills of the four levels (à initier … exemplaire), light to dark, on the results
/// page's heatmap (`static/style.css`, `.level-1` … `.level-4`) and the report's: each step
/// darker than the one before (luminance 0.90, 0.60, 0.33, 0.08), so that adjacent levels stay
/// apart in grey print and for protanopia and deuteranopia, where a red-to-green scale
/// collapses. Dark text reads on the first three (4.6:1 or more), white on the last (8.1:1).
pub const LEVEL_FILLS: [RGBColor; 4] = [
    RGBColor(0xff, 0xf5, 0xb8),
    RGBColor(0xa3, 0xd7, 0xb5),
    RGBColor(0x4b, 0xa8, 0xc2),
    RGBColor(0x1d, 0x4f, 0x91),
];
/// The text on each level's fill.
pub const LEVEL_TEXT: [RGBColor; 4] = [TEXT, TEXT, TEXT, RGBColor(0xff, 0xff, 0xff)];
/// Ring labels are drawn over the polygon with a white halo, so that they stay legible on
/// the fill and across the outlines.
const RING_FILL: &str = "fill=\"#555B66\"";
const HALO: &str = " stroke=\"#FFFFFF\" stroke-width=\"3\" paint-order=\"stroke\"";
/// plotters' SVG backend writes no dash pattern, so the earlier series' strokes, recognised
/// by their colour (used by nothing else), get one afterwards.
const EARLIER_STROKE: &str = "stroke=\"#6B6B6B\"";
const DASHES: &str = " stroke-dasharray=\"6 4\"";

/// Font sizes in pixels, as they come out in the SVG.
const LABEL_PX: f64 = 12.5;
const RING_PX: f64 = 10.0;
const LEGEND_PX: f64 = 12.0;
/// A generous width of one character of a sans-serif font, in ems, to keep labels inside.
const CHAR_EM: f64 = 0.6;

/// The radar of the 7 qualities as a standalone, accessible SVG element.
///
/// `labels` are the quality names in display order; a quality undefined in some series is
/// drawn at the centre for it and its label gets « — », so that the centre is not read as 0.
pub fn radar_svg(series: &[RadarSeries], labels: &[String; 7], title: &str) -> String {
    let series: Vec<RadarSeries> = series
        .iter()
        .map(|s| RadarSeries {
            values: s
                .values
                .map(|v| v.filter(|v| v.is_finite()).map(|v| v.clamp(0.0, 100.0))),
            ..s.clone()
        })
        .collect();
    let height = (LEGEND_TOP + LEGEND_ROW * legend_rows(&series)) as u32;
    let id = chart_id(&series, labels, title);
    let mut buf = String::new();
    let drawn = {
        let root = SVGBackend::with_string(&mut buf, (WIDTH, height)).into_drawing_area();
        draw(&root, &series, labels, height).and_then(|()| root.present())
    };
    if let Err(e) = drawn {
        // Writing to a string does not fail in practice; if it ever does, an empty but
        // labelled image is better than half a chart.
        tracing::warn!(error = %e, "radar chart not drawn");
        buf = "<svg>\n</svg>\n".to_owned();
    }
    let buf = buf.replace(RING_FILL, &format!("{RING_FILL}{HALO}"));
    finish(&buf, (WIDTH, height), "radar-chart", &id, title)
}

/// A legend only tells series apart: a single series, named by the chart's title, has none.
fn legend_rows(series: &[RadarSeries]) -> i32 {
    if series.len() > 1 {
        series.len() as i32
    } else {
        0
    }
}

type DrawResult = Result<(), DrawingAreaErrorKind<std::io::Error>>;

fn draw(
    root: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    series: &[RadarSeries],
    labels: &[String; 7],
    height: u32,
) -> DrawResult {
    let text = |px: f64, color: &RGBColor, pos: Pos| -> TextStyle<'static> {
        // plotters divides the size by 1.24 when it writes the SVG.
        ("sans-serif", px * 1.24).into_font().color(color).pos(pos)
    };
    for ring in RINGS {
        let r = (RADIUS * f64::from(ring) / 100.0).round() as i32;
        root.draw(&Circle::new((CX, CY), r, GRID.stroke_width(1)))?;
    }
    for k in 0..7 {
        root.draw(&PathElement::new(
            vec![(CX, CY), point(k, 100.0)],
            GRID.stroke_width(1),
        ))?;
    }
    for (k, label) in labels.iter().enumerate() {
        let undefined = series.iter().any(|s| s.values[k].is_none());
        let label = if undefined {
            format!("{label} —")
        } else {
            label.clone()
        };
        let (at, pos) = label_position(k, &label, height);
        root.draw(&Text::new(label, at, text(LABEL_PX, &TEXT, pos)))?;
    }
    // References under the current result.
    let mut ordered: Vec<&RadarSeries> = series.iter().collect();
    ordered.sort_by_key(|s| match s.style {
        SeriesStyle::Peers => 0,
        SeriesStyle::Earlier => 1,
        SeriesStyle::Current => 2,
    });
    for s in ordered {
        let points: Vec<(i32, i32)> = (0..7)
            .map(|k| point(k, s.values[k].unwrap_or(0.0)))
            .collect();
        if s.style == SeriesStyle::Current {
            root.draw(&Polygon::new(points.clone(), CURRENT.mix(0.18).filled()))?;
        }
        let mut outline = points.clone();
        outline.extend(points.first().copied());
        root.draw(&PathElement::new(outline, stroke(s.style)))?;
        if s.style == SeriesStyle::Current {
            // Dots mark the defined values only: a value of 0 has one, an undefined none.
            for (k, &p) in points.iter().enumerate() {
                if s.values[k].is_some() {
                    root.draw(&Circle::new(p, 3, CURRENT.filled()))?;
                }
            }
        }
    }
    // Along the first axis (straight up), just right of it, over the polygon (with a halo,
    // see `HALO`) so that no fill or outline hides them.
    for ring in RINGS {
        let y = CY - (RADIUS * f64::from(ring) / 100.0).round() as i32;
        root.draw(&Text::new(
            ring.to_string(),
            (CX + 3, y + 1),
            text(RING_PX, &MUTED, Pos::new(HPos::Left, VPos::Top)),
        ))?;
    }
    for (i, s) in series.iter().enumerate().take(legend_rows(series) as usize) {
        let y = LEGEND_TOP + LEGEND_ROW * i as i32 + LEGEND_ROW / 2;
        root.draw(&PathElement::new(vec![(40, y), (68, y)], stroke(s.style)))?;
        root.draw(&Text::new(
            s.name.as_str(),
            (76, y),
            text(LEGEND_PX, &TEXT, Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    Ok(())
}

fn stroke(style: SeriesStyle) -> ShapeStyle {
    match style {
        SeriesStyle::Current => CURRENT.stroke_width(2),
        SeriesStyle::Earlier => EARLIER.stroke_width(2),
        SeriesStyle::Peers => PEERS.stroke_width(1),
    }
}

/// Angle of axis `k`: the first straight up, then clockwise.
fn angle(k: usize) -> f64 {
    -std::f64::consts::FRAC_PI_2 + k as f64 * std::f64::consts::TAU / 7.0
}

/// Where `value` (0–100) lies on axis `k`, rounded to whole pixels to keep the SVG small.
fn point(k: usize, value: f64) -> (i32, i32) {
    let r = RADIUS * value / 100.0;
    let a = angle(k);
    (
        (f64::from(CX) + r * a.cos()).round() as i32,
        (f64::from(CY) + r * a.sin()).round() as i32,
    )
}

/// A quality label just outside the 100 ring, anchored away from the centre, then moved back
/// inside the canvas if its estimated width would cross an edge.
fn label_position(k: usize, label: &str, height: u32) -> ((i32, i32), Pos) {
    let a = angle(k);
    let (cos, sin) = (a.cos(), a.sin());
    let r = RADIUS + LABEL_GAP;
    let x = (f64::from(CX) + r * cos).round() as i32;
    let y = (f64::from(CY) + r * sin).round() as i32;
    let h = if cos > 0.25 {
        HPos::Left
    } else if cos < -0.25 {
        HPos::Right
    } else {
        HPos::Center
    };
    let v = if sin < -0.5 {
        VPos::Bottom
    } else if sin > 0.5 {
        VPos::Top
    } else {
        VPos::Center
    };
    let w = (label.chars().count() as f64 * CHAR_EM * LABEL_PX).ceil() as i32;
    let right = WIDTH as i32 - MARGIN;
    let x = match h {
        HPos::Left => x.min(right - w).max(MARGIN),
        HPos::Right => x.max(MARGIN + w).min(right),
        HPos::Center => x.clamp(MARGIN + w / 2, (right - w / 2).max(MARGIN + w / 2)),
    };
    let y = y.clamp(MARGIN, height as i32 - MARGIN);
    ((x, y), Pos::new(h, v))
}

/// A stable id for the `<title>`, from everything drawn: the same chart gets the same id,
/// two different charts on one page get different ones. FNV-1a, whose output does not
/// depend on the Rust version, unlike `DefaultHasher`.
fn chart_id(series: &[RadarSeries], labels: &[String; 7], title: &str) -> String {
    let mut id = ChartId::new();
    id.feed(title.as_bytes());
    for label in labels {
        id.feed(label.as_bytes());
    }
    for s in series {
        id.feed(s.name.as_bytes());
        id.feed(&[s.style as u8]);
        for v in s.values {
            id.feed(&v.map_or(u64::MAX, f64::to_bits).to_le_bytes());
        }
    }
    id.finish("radar")
}

/// Builds a chart's stable id from what it draws (FNV-1a over fields, each ended by 0xff).
pub(crate) struct ChartId(u64);

impl ChartId {
    pub(crate) fn new() -> Self {
        ChartId(0xcbf2_9ce4_8422_2325)
    }

    pub(crate) fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes.iter().chain(&[0xff]) {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    pub(crate) fn finish(&self, prefix: &str) -> String {
        format!("{prefix}-{:016x}", self.0)
    }
}

/// Replaces plotters' opening tag by an accessible, scalable one, adds the title, dashes the
/// earlier series and drops the default `opacity="1"` plotters writes on every element.
pub(crate) fn finish(
    svg: &str,
    (width, height): (u32, u32),
    class: &str,
    id: &str,
    title: &str,
) -> String {
    let body = svg
        .find("<svg")
        .and_then(|start| svg[start..].find('>').map(|end| &svg[start + end + 1..]))
        .unwrap_or("\n</svg>\n");
    let mut out = String::with_capacity(svg.len() + 300);
    // Without a height, the browser derives it from the width and the viewBox.
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" \
         width=\"100%\" class=\"{class}\" role=\"img\" aria-labelledby=\"{id}\">\n\
         <title id=\"{id}\">"
    );
    escape_into(&mut out, title);
    out.push_str("</title>");
    out.push_str(
        &body
            .replace(" opacity=\"1\"", "")
            .replace(EARLIER_STROKE, &format!("{EARLIER_STROKE}{DASHES}")),
    );
    out
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            other => out.push(other),
        }
    }
}

// --- Trajectory of an indicator --------------------------------------------------------------

/// The words of a trajectory chart, in the page's language.
pub struct TrajectoryLabels<'a> {
    pub baseline: &'a str,
    pub expected: &'a str,
    pub targets: &'a str,
    pub actual: &'a str,
}

const T_WIDTH: u32 = 480;
const T_LEFT: i32 = 52;
const T_RIGHT: i32 = 464;
const T_TOP: i32 = 14;
const T_BOTTOM: i32 = 196;
const T_LEGEND_TOP: i32 = 222;
const T_HEIGHT: u32 = 290;
const TARGET: RGBColor = RGBColor(0xa3, 0x4a, 0x00);

/// The trajectory of an indicator as a standalone, accessible SVG element: the baseline, the
/// straight line expected from it to the final target, the milestones and final target, and
/// the actual value on each measured date. Years along the bottom, the indicator's unit up
/// the side.
pub fn trajectory_svg(
    points: &[crate::domain::indicator::standing::TrajectoryPoint],
    labels: &TrajectoryLabels<'_>,
    title: &str,
) -> String {
    let points: Vec<_> = points.iter().filter(|p| p.value.is_finite()).collect();
    let id = {
        let mut id = ChartId::new();
        id.feed(title.as_bytes());
        for p in &points {
            id.feed(&p.value.to_bits().to_le_bytes());
            id.feed(&p.on.to_julian_day().to_le_bytes());
            id.feed(&[p.kind as u8]);
        }
        id.finish("trajectory")
    };
    let mut buf = String::new();
    let drawn = {
        let root = SVGBackend::with_string(&mut buf, (T_WIDTH, T_HEIGHT)).into_drawing_area();
        draw_trajectory(&root, &points, labels).and_then(|()| root.present())
    };
    if let Err(e) = drawn {
        tracing::warn!(error = %e, "trajectory chart not drawn");
        buf = "<svg>\n</svg>\n".to_owned();
    }
    finish(&buf, (T_WIDTH, T_HEIGHT), "trajectory-chart", &id, title)
}

/// A round step giving about four intervals over `span`.
fn nice_step(span: f64) -> f64 {
    let raw = (span / 4.0).max(f64::EPSILON);
    let magnitude = 10f64.powf(raw.log10().floor());
    let fraction = raw / magnitude;
    let nice = if fraction <= 1.0 {
        1.0
    } else if fraction <= 2.0 {
        2.0
    } else if fraction <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * magnitude
}

fn draw_trajectory(
    root: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    points: &[&crate::domain::indicator::standing::TrajectoryPoint],
    labels: &TrajectoryLabels<'_>,
) -> DrawResult {
    use crate::domain::indicator::standing::PointKind;
    let text = |px: f64, color: &RGBColor, pos: Pos| -> TextStyle<'static> {
        ("sans-serif", px * 1.24).into_font().color(color).pos(pos)
    };
    if points.is_empty() {
        return Ok(());
    }
    let first_year = points.iter().map(|p| p.on.year()).min().unwrap_or(2020);
    let last_year = points.iter().map(|p| p.on.year()).max().unwrap_or(2020) + 1;
    let day = |year: i32| {
        time::Date::from_calendar_date(year, time::Month::January, 1)
            .map(|d| d.to_julian_day())
            .unwrap_or(0)
    };
    let (x0, x1) = (day(first_year), day(last_year));
    let x = |d: time::Date| {
        let f = f64::from(d.to_julian_day() - x0) / f64::from((x1 - x0).max(1));
        T_LEFT + (f * f64::from(T_RIGHT - T_LEFT)).round() as i32
    };
    let low = points
        .iter()
        .map(|p| p.value)
        .fold(f64::INFINITY, f64::min)
        .min(0.0);
    let high = points
        .iter()
        .map(|p| p.value)
        .fold(f64::NEG_INFINITY, f64::max);
    let step = nice_step(high - low);
    let (y0, y1) = (
        (low / step).floor() * step,
        ((high / step).ceil() * step).max(low + step),
    );
    let y = |v: f64| {
        let f = (v - y0) / (y1 - y0);
        T_BOTTOM - (f * f64::from(T_BOTTOM - T_TOP)).round() as i32
    };
    // Horizontal grid with its values, years along the bottom.
    let mut tick = y0;
    while tick <= y1 + step / 2.0 {
        let ty = y(tick);
        root.draw(&PathElement::new(
            vec![(T_LEFT, ty), (T_RIGHT, ty)],
            GRID.stroke_width(1),
        ))?;
        let label = if step >= 1.0 {
            format!("{tick:.0}")
        } else {
            format!("{tick:.1}")
        };
        root.draw(&Text::new(
            label,
            (T_LEFT - 6, ty),
            text(RING_PX, &MUTED, Pos::new(HPos::Right, VPos::Center)),
        ))?;
        tick += step;
    }
    let years = last_year - first_year;
    let every = (years / 8 + 1).max(1);
    for year in (first_year..=last_year).step_by(every as usize) {
        let tx = x(time::Date::from_julian_day(day(year)).unwrap_or(time::Date::MIN));
        root.draw(&PathElement::new(
            vec![(tx, T_BOTTOM), (tx, T_BOTTOM + 4)],
            MUTED.stroke_width(1),
        ))?;
        if year < last_year {
            root.draw(&Text::new(
                year.to_string(),
                (tx + 2, T_BOTTOM + 6),
                text(RING_PX, &MUTED, Pos::new(HPos::Left, VPos::Top)),
            ))?;
        }
    }
    root.draw(&PathElement::new(
        vec![(T_LEFT, T_TOP), (T_LEFT, T_BOTTOM), (T_RIGHT, T_BOTTOM)],
        MUTED.stroke_width(1),
    ))?;
    let at = |p: &crate::domain::indicator::standing::TrajectoryPoint| (x(p.on), y(p.value));
    let baseline = points.iter().find(|p| p.kind == PointKind::Baseline);
    let final_target = points
        .iter()
        .rev()
        .find(|p| p.kind == PointKind::FinalTarget);
    if let (Some(b), Some(t)) = (baseline, final_target) {
        root.draw(&PathElement::new(
            vec![at(b), at(t)],
            EARLIER.stroke_width(2),
        ))?;
    }
    let actual: Vec<(i32, i32)> = baseline
        .into_iter()
        .copied()
        .chain(
            points
                .iter()
                .copied()
                .filter(|p| p.kind == PointKind::Actual),
        )
        .map(at)
        .collect();
    if actual.len() > 1 {
        root.draw(&PathElement::new(actual.clone(), CURRENT.stroke_width(2)))?;
    }
    for p in points {
        let (px, py) = at(p);
        match p.kind {
            PointKind::Baseline => root.draw(&Circle::new((px, py), 5, TEXT.filled()))?,
            PointKind::Actual => root.draw(&Circle::new((px, py), 4, CURRENT.filled()))?,
            PointKind::Milestone => root.draw(&Polygon::new(
                vec![(px, py - 6), (px + 6, py), (px, py + 6), (px - 6, py)],
                TARGET.mix(0.25).filled(),
            ))?,
            PointKind::FinalTarget => root.draw(&Polygon::new(
                vec![(px, py - 7), (px + 7, py), (px, py + 7), (px - 7, py)],
                TARGET.filled(),
            ))?,
        }
        if p.kind == PointKind::Milestone {
            root.draw(&PathElement::new(
                vec![
                    (px, py - 6),
                    (px + 6, py),
                    (px, py + 6),
                    (px - 6, py),
                    (px, py - 6),
                ],
                TARGET.stroke_width(1),
            ))?;
        }
    }
    // Legend: two rows of two.
    let entries: [(&str, u8); 4] = [
        (labels.baseline, 0),
        (labels.actual, 1),
        (labels.expected, 2),
        (labels.targets, 3),
    ];
    for (i, (label, kind)) in entries.iter().enumerate() {
        let lx = 20 + (i as i32 % 2) * 230;
        let ly = T_LEGEND_TOP + (i as i32 / 2) * 24 + 10;
        match kind {
            0 => root.draw(&Circle::new((lx + 14, ly), 5, TEXT.filled()))?,
            1 => {
                root.draw(&PathElement::new(
                    vec![(lx, ly), (lx + 28, ly)],
                    CURRENT.stroke_width(2),
                ))?;
                root.draw(&Circle::new((lx + 14, ly), 4, CURRENT.filled()))?;
            }
            2 => root.draw(&PathElement::new(
                vec![(lx, ly), (lx + 28, ly)],
                EARLIER.stroke_width(2),
            ))?,
            _ => root.draw(&Polygon::new(
                vec![
                    (lx + 14, ly - 7),
                    (lx + 21, ly),
                    (lx + 14, ly + 7),
                    (lx + 7, ly),
                ],
                TARGET.filled(),
            ))?,
        }
        root.draw(&Text::new(
            *label,
            (lx + 36, ly),
            text(LEGEND_PX, &TEXT, Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels() -> [String; 7] {
        [
            "Inclusif",
            "Frugal",
            "Démocratique",
            "Protecteur",
            "Innovant",
            "Capacitant",
            "Équitable",
        ]
        .map(String::from)
    }

    fn series(name: &str, values: [Option<f64>; 7], style: SeriesStyle) -> RadarSeries {
        RadarSeries {
            name: name.into(),
            values,
            style,
        }
    }

    fn two() -> Vec<RadarSeries> {
        vec![
            series(
                "Diagnostic 2025",
                [
                    Some(62.5),
                    Some(37.5),
                    Some(80.0),
                    None,
                    Some(12.0),
                    Some(55.0),
                    Some(41.0),
                ],
                SeriesStyle::Current,
            ),
            series(
                "Diagnostic 2024",
                [
                    Some(50.0),
                    Some(25.0),
                    Some(70.0),
                    Some(30.0),
                    Some(10.0),
                    Some(45.0),
                    Some(40.0),
                ],
                SeriesStyle::Earlier,
            ),
        ]
    }

    fn count(svg: &str, what: &str) -> usize {
        svg.matches(what).count()
    }

    #[test]
    fn the_svg_is_accessible_scalable_self_contained_and_small() {
        let svg = radar_svg(&two(), &labels(), "Vos scores <par> qualité & \"2025\"");
        assert!(svg.starts_with("<svg "), "{svg}");
        assert!(svg.trim_end().ends_with("</svg>"));
        assert_eq!(count(&svg, "<svg"), 1);
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("viewBox=\"0 0 480 362\""));
        assert!(svg.contains("width=\"100%\""));
        // The title is escaped, and aria-labelledby names its id.
        let id = chart_id(&two(), &labels(), "Vos scores <par> qualité & \"2025\"");
        assert!(svg.contains(&format!("aria-labelledby=\"{id}\"")));
        assert!(svg.contains(&format!(
            "<title id=\"{id}\">Vos scores &lt;par&gt; qualité &amp; &quot;2025&quot;</title>"
        )));
        assert!(!svg.contains("<script") && !svg.contains("href") && !svg.contains("url("));
        assert!(!svg.contains("style="));
        // One outline a series, one fill for the current one; the rings are circles.
        assert_eq!(count(&svg, "<polyline"), 2 + 7 + 2); // series, axes, legend samples
        assert_eq!(count(&svg, "<polygon"), 1);
        assert_eq!(count(&svg, "stroke-dasharray"), 2); // earlier outline and its legend
        // 4 rings and 6 dots (protecteur is undefined in the current series).
        assert_eq!(count(&svg, "<circle"), 4 + 6);
        assert!(svg.contains(">\nProtecteur —\n</text>"));
        assert!(svg.contains(">\nFrugal\n</text>"));
        for ring in ["25", "50", "75", "100"] {
            assert!(svg.contains(&format!(">\n{ring}\n</text>")), "ring {ring}");
        }
        assert!(svg.contains("font-family=\"sans-serif\" font-size=\"12.5\""));
        assert!(svg.contains("stroke=\"#1F4E8C\" stroke-width=\"2\""));
        assert!(svg.contains("opacity=\"0.18\" fill=\"#1F4E8C\""));
        assert!(svg.len() < 8 * 1024, "{} bytes", svg.len());
    }

    #[test]
    fn ring_labels_are_drawn_over_the_polygon_with_a_halo() {
        let svg = radar_svg(&two(), &labels(), "Radar");
        let polygon = svg.find("<polygon").expect("a filled polygon");
        for ring in ["25", "50", "75", "100"] {
            let label = svg
                .find(&format!(">\n{ring}\n</text>"))
                .expect("a ring label");
            assert!(label > polygon, "ring {ring} is drawn after the polygon");
        }
        assert_eq!(count(&svg, "paint-order=\"stroke\""), 4);
        assert!(svg.contains("fill=\"#555B66\" stroke=\"#FFFFFF\" stroke-width=\"3\""));
    }

    #[test]
    fn a_single_series_has_no_legend() {
        let one = vec![two().remove(0)];
        let svg = radar_svg(&one, &labels(), "Radar");
        assert!(!svg.contains("Diagnostic 2025"), "no legend text");
        assert_eq!(count(&svg, "<polyline"), 1 + 7); // the outline and the axes, no sample
        assert!(svg.contains("viewBox=\"0 0 480 322\""));
    }

    /// Relative luminance (WCAG) of linear RGB components.
    fn luminance([r, g, b]: [f64; 3]) -> f64 {
        0.2126 * r + 0.7152 * g + 0.0722 * b
    }

    fn linear(c: RGBColor) -> [f64; 3] {
        [c.0, c.1, c.2].map(|v| {
            let v = f64::from(v) / 255.0;
            if v <= 0.04045 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        })
    }

    /// How a colour looks to a person with full protanopia or deuteranopia (Machado, Oliveira
    /// and Fernandes 2009, severity 1), on linear RGB.
    fn simulated(c: RGBColor, m: [[f64; 3]; 3]) -> [f64; 3] {
        let v = linear(c);
        m.map(|row| (row[0] * v[0] + row[1] * v[1] + row[2] * v[2]).clamp(0.0, 1.0))
    }

    const PROTANOPIA: [[f64; 3]; 3] = [
        [0.152286, 1.052583, -0.204868],
        [0.114503, 0.786281, 0.099216],
        [-0.003882, -0.048116, 1.051998],
    ];
    const DEUTERANOPIA: [[f64; 3]; 3] = [
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ];

    fn contrast(a: f64, b: f64) -> f64 {
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    #[test]
    fn adjacent_levels_stay_apart_in_grey_and_for_red_green_colour_blindness() {
        type Seen = fn(RGBColor) -> f64;
        let views: [(&str, Seen); 3] = [
            ("grey", |c| luminance(linear(c))),
            ("protanopia", |c| luminance(simulated(c, PROTANOPIA))),
            ("deuteranopia", |c| luminance(simulated(c, DEUTERANOPIA))),
        ];
        for (view, seen) in views {
            for pair in LEVEL_FILLS.windows(2) {
                let (lighter, darker) = (seen(pair[0]), seen(pair[1]));
                assert!(
                    lighter > darker,
                    "{view}: each level darker than the one before"
                );
                assert!(
                    contrast(lighter, darker) >= 1.3,
                    "{view}: {:?} and {:?} look alike ({:.2}:1)",
                    pair[0],
                    pair[1],
                    contrast(lighter, darker)
                );
            }
        }
        // The figure in each cell stays readable: 4.5:1 against its fill.
        for (fill, ink) in LEVEL_FILLS.iter().zip(LEVEL_TEXT) {
            let ratio = contrast(luminance(linear(*fill)), luminance(linear(ink)));
            assert!(ratio >= 4.5, "{fill:?}: {ratio:.2}:1");
        }
    }

    #[test]
    fn the_results_page_heatmap_uses_the_same_palette() {
        let css = include_str!("../web/static/style.css");
        for (k, c) in LEVEL_FILLS.iter().enumerate() {
            let rule = format!(
                ".level-{} {{ background: #{:02x}{:02x}{:02x};",
                k + 1,
                c.0,
                c.1,
                c.2
            );
            assert!(css.contains(&rule), "style.css has {rule}");
        }
    }

    #[test]
    fn each_series_has_its_own_outline_and_peers_are_thin_and_orange() {
        let mut three = two();
        three.push(series(
            "Médiane des pairs",
            [Some(45.0); 7],
            SeriesStyle::Peers,
        ));
        let svg = radar_svg(&three, &labels(), "Radar");
        let outlines = svg
            .lines()
            .filter(|l| l.starts_with("<polyline") && !l.contains("#C9CED6"))
            .count();
        assert_eq!(outlines, 3 + 3); // one per series, one legend sample each
        assert!(svg.contains("stroke=\"#A34A00\" stroke-width=\"1\""));
        assert!(svg.contains("viewBox=\"0 0 480 382\""));
        assert!(svg.len() < 10 * 1024, "{} bytes", svg.len());
        // The current series is drawn last, on top of the references.
        let (Some(peers), Some(current)) = (svg.find("#A34A00"), svg.find("<polygon")) else {
            panic!("both series are drawn");
        };
        assert!(peers < current);
    }

    #[test]
    fn extreme_undefined_and_nan_values_draw_without_panic() {
        let odd = [
            series("Zéro", [Some(0.0); 7], SeriesStyle::Current),
            series("Cent", [Some(100.0); 7], SeriesStyle::Earlier),
            series(
                "Trous",
                [
                    None,
                    Some(f64::NAN),
                    Some(f64::INFINITY),
                    Some(-20.0),
                    Some(140.0),
                    None,
                    Some(50.0),
                ],
                SeriesStyle::Peers,
            ),
        ];
        let svg = radar_svg(&odd, &labels(), "Cas limites");
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
        // NaN and infinity count as undefined: « — » on inclusif, frugal, démocratique and
        // capacitant; -20 and 140 are clamped, not undefined.
        assert_eq!(count(&svg, " —\n</text>"), 4);
        assert!(svg.contains(">\nProtecteur\n</text>"));
        // A current series at 0 everywhere still has its 7 dots, at the centre.
        assert_eq!(count(&svg, "<circle cx=\"240\" cy=\"165\" r=\"3\""), 7);
        assert!(svg.contains(&format!("{},{}", CX, CY - RADIUS as i32)));

        // No series at all: the grid and labels, without marks.
        let empty = radar_svg(&[], &labels(), "Vide");
        assert!(empty.contains("role=\"img\"") && empty.contains("viewBox=\"0 0 480 322\""));
        assert_eq!(count(&empty, " —"), 0);
        assert_eq!(count(&empty, "<polygon"), 0);
    }

    #[test]
    fn labels_stay_inside_the_canvas() {
        for k in 0..7 {
            let long = "Une qualité au nom vraiment long";
            let ((x, y), pos) = label_position(k, long, 362);
            let w = (long.chars().count() as f64 * CHAR_EM * LABEL_PX).ceil() as i32;
            let (left, right) = match pos.h_pos {
                HPos::Left => (x, x + w),
                HPos::Right => (x - w, x),
                HPos::Center => (x - w / 2, x + w / 2),
            };
            assert!(left >= MARGIN && right <= WIDTH as i32 - MARGIN, "axis {k}");
            assert!((MARGIN..=362 - MARGIN).contains(&y));
        }
    }

    #[test]
    fn ids_differ_between_charts_and_stay_stable_for_one() {
        let a = chart_id(&two(), &labels(), "A");
        assert_eq!(a, chart_id(&two(), &labels(), "A"));
        assert_ne!(a, chart_id(&two(), &labels(), "B"));
        assert_ne!(a, chart_id(&two()[..1], &labels(), "A"));
        assert!(a.starts_with("radar-") && a.len() == 22);
    }
}
