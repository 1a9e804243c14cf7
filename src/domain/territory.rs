//! French territories by their official code: the name of a département (« 69 — Rhône »),
//! so that published figures say where they are about in words people know.
//!
//! The list is the official one (Code officiel géographique, Insee) as packaged by Etalab in
//! the npm package `@etalab/decoupage-administratif` (Licence Ouverte 2.0), copied once into
//! `departements.tsv` beside this file; its header says where it comes from and how to make
//! it again. Kept as a small text file rather than a dependency: 109 lines, read at compile
//! time, nothing fetched at run time.

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

#[cfg(test)]
mod tests {
    use super::*;

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
