//! An organisation that takes #RESET diagnostics: a territory (commune, intercommunalité,
//! département, région) or another organisation (State body, company, association, research),
//! with its SIREN number, département, INSEE commune code and size band.
//!
//! The page sends an [`OrganisationForm`] made only of strings, so that a rejected form is
//! shown again exactly as typed. `TryFrom<OrganisationForm>` parses it into
//! [`OrganisationData`], whose types can only hold valid values, or returns every problem at
//! once as [`FieldErrors`], each message in French and English beside its field.
//!
//! `OrganisationKind` and `SizeBand` are written by hand with the methods of the
//! `vocabulary!` macro: `mod.rs` declares this module before defining the macro, and a
//! `macro_rules!` macro is only visible to code that comes after its definition.

use super::Audience;
use crate::domain::field_errors::FieldErrors;
use crate::domain::i18n::{Lang, LocalizedText};
use serde::{Deserialize, Serialize};
use std::fmt;
use validator::{Validate, ValidationError};

/// What kind of organisation answers; it decides which questionnaires it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum OrganisationKind {
    #[serde(rename = "commune")]
    Commune,
    #[serde(rename = "intercommunalite")]
    Intercommunalite,
    #[serde(rename = "departement")]
    Departement,
    #[serde(rename = "region")]
    Region,
    #[serde(rename = "etat")]
    Etat,
    #[serde(rename = "entreprise")]
    Entreprise,
    #[serde(rename = "association")]
    Association,
    #[serde(rename = "recherche")]
    Recherche,
}

impl TryFrom<String> for OrganisationKind {
    type Error = super::UnknownCode;

    fn try_from(code: String) -> Result<Self, Self::Error> {
        OrganisationKind::from_code(&code).ok_or(super::UnknownCode {
            vocabulary: "organisation kind",
            code,
        })
    }
}

impl OrganisationKind {
    /// Every value, in display order: territories first.
    pub const ALL: &'static [OrganisationKind] = &[
        OrganisationKind::Commune,
        OrganisationKind::Intercommunalite,
        OrganisationKind::Departement,
        OrganisationKind::Region,
        OrganisationKind::Etat,
        OrganisationKind::Entreprise,
        OrganisationKind::Association,
        OrganisationKind::Recherche,
    ];

    /// The stable code used in forms, the database (`organisations.kind`) and open data.
    pub fn code(self) -> &'static str {
        match self {
            OrganisationKind::Commune => "commune",
            OrganisationKind::Intercommunalite => "intercommunalite",
            OrganisationKind::Departement => "departement",
            OrganisationKind::Region => "region",
            OrganisationKind::Etat => "etat",
            OrganisationKind::Entreprise => "entreprise",
            OrganisationKind::Association => "association",
            OrganisationKind::Recherche => "recherche",
        }
    }

    pub fn from_code(code: &str) -> Option<OrganisationKind> {
        OrganisationKind::ALL
            .iter()
            .copied()
            .find(|kind| kind.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            OrganisationKind::Commune => lang.pick("Commune", "Municipality"),
            OrganisationKind::Intercommunalite => {
                lang.pick("Intercommunalité", "Inter-municipal body")
            }
            OrganisationKind::Departement => "Département",
            OrganisationKind::Region => lang.pick("Région", "Region"),
            OrganisationKind::Etat => {
                lang.pick("État ou établissement public", "State or public body")
            }
            OrganisationKind::Entreprise => lang.pick("Entreprise", "Company"),
            OrganisationKind::Association => {
                lang.pick("Association / ESS", "Association / social economy")
            }
            OrganisationKind::Recherche => {
                lang.pick("Recherche / enseignement", "Research / teaching")
            }
        }
    }

    /// Position in display order, for indexing fixed-size tables.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The accepted codes, for error messages: `a, b, c`.
    pub fn codes_list() -> String {
        OrganisationKind::ALL
            .iter()
            .map(|kind| kind.code())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Local authorities, which answer the territory questionnaires.
    pub fn is_territory(self) -> bool {
        matches!(
            self,
            OrganisationKind::Commune
                | OrganisationKind::Intercommunalite
                | OrganisationKind::Departement
                | OrganisationKind::Region
        )
    }

    /// Which questionnaires this kind of organisation takes.
    pub fn audience(self) -> Audience {
        if self.is_territory() {
            Audience::Territory
        } else {
            Audience::Organisation
        }
    }

    /// Whether a commune code means something for this kind: the commune itself, or the
    /// seat of an intercommunalité. Larger territories and other organisations give only
    /// their département.
    pub fn takes_commune_code(self) -> bool {
        matches!(
            self,
            OrganisationKind::Commune | OrganisationKind::Intercommunalite
        )
    }
}

/// The size of an organisation: inhabitants for a territory, people (staff, agents,
/// volunteers) for the others. Bands rather than numbers, so that results can be compared
/// and published without identifying anyone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SizeBand {
    #[serde(rename = "lt_1k")]
    InhabitantsUnder1k,
    #[serde(rename = "1k_10k")]
    Inhabitants1kTo10k,
    #[serde(rename = "10k_50k")]
    Inhabitants10kTo50k,
    #[serde(rename = "50k_250k")]
    Inhabitants50kTo250k,
    #[serde(rename = "gt_250k")]
    Inhabitants250kOrMore,
    #[serde(rename = "lt_10")]
    PeopleUnder10,
    #[serde(rename = "10_49")]
    People10To49,
    #[serde(rename = "50_249")]
    People50To249,
    #[serde(rename = "gt_250")]
    People250OrMore,
}

impl SizeBand {
    /// Every value, in display order: bands in inhabitants, then bands in people.
    pub const ALL: &'static [SizeBand] = &[
        SizeBand::InhabitantsUnder1k,
        SizeBand::Inhabitants1kTo10k,
        SizeBand::Inhabitants10kTo50k,
        SizeBand::Inhabitants50kTo250k,
        SizeBand::Inhabitants250kOrMore,
        SizeBand::PeopleUnder10,
        SizeBand::People10To49,
        SizeBand::People50To249,
        SizeBand::People250OrMore,
    ];

    /// The stable code used in forms, the database (`organisations.size_band`) and open data.
    pub fn code(self) -> &'static str {
        match self {
            SizeBand::InhabitantsUnder1k => "lt_1k",
            SizeBand::Inhabitants1kTo10k => "1k_10k",
            SizeBand::Inhabitants10kTo50k => "10k_50k",
            SizeBand::Inhabitants50kTo250k => "50k_250k",
            SizeBand::Inhabitants250kOrMore => "gt_250k",
            SizeBand::PeopleUnder10 => "lt_10",
            SizeBand::People10To49 => "10_49",
            SizeBand::People50To249 => "50_249",
            SizeBand::People250OrMore => "gt_250",
        }
    }

    pub fn from_code(code: &str) -> Option<SizeBand> {
        SizeBand::ALL
            .iter()
            .copied()
            .find(|band| band.code() == code)
    }

    /// Lower bounds are inclusive, upper bounds exclusive, so that every size has one band;
    /// `gt_250` is therefore "250 or more", the usual threshold of a large employer.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            SizeBand::InhabitantsUnder1k => {
                lang.pick("Moins de 1 000 habitants", "Fewer than 1,000 inhabitants")
            }
            SizeBand::Inhabitants1kTo10k => {
                lang.pick("De 1 000 à 9 999 habitants", "1,000 to 9,999 inhabitants")
            }
            SizeBand::Inhabitants10kTo50k => lang.pick(
                "De 10 000 à 49 999 habitants",
                "10,000 to 49,999 inhabitants",
            ),
            SizeBand::Inhabitants50kTo250k => lang.pick(
                "De 50 000 à 249 999 habitants",
                "50,000 to 249,999 inhabitants",
            ),
            SizeBand::Inhabitants250kOrMore => {
                lang.pick("250 000 habitants ou plus", "250,000 inhabitants or more")
            }
            SizeBand::PeopleUnder10 => lang.pick("Moins de 10 personnes", "Fewer than 10 people"),
            SizeBand::People10To49 => lang.pick("De 10 à 49 personnes", "10 to 49 people"),
            SizeBand::People50To249 => lang.pick("De 50 à 249 personnes", "50 to 249 people"),
            SizeBand::People250OrMore => lang.pick("250 personnes ou plus", "250 people or more"),
        }
    }

    /// Position in display order, for indexing fixed-size tables.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The accepted codes, for error messages: `a, b, c`.
    pub fn codes_list() -> String {
        SizeBand::ALL
            .iter()
            .map(|band| band.code())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Whether the band counts inhabitants (territories) rather than people.
    pub fn counts_inhabitants(self) -> bool {
        self.index() < SizeBand::PeopleUnder10.index()
    }

    /// Whether this band suits an organisation of this kind.
    pub fn fits(self, kind: OrganisationKind) -> bool {
        self.counts_inhabitants() == kind.is_territory()
    }

    /// The bands offered for a kind, in display order, for the form's list.
    pub fn for_kind(kind: OrganisationKind) -> &'static [SizeBand] {
        let (inhabitants, people) = SizeBand::ALL.split_at(SizeBand::PeopleUnder10.index());
        if kind.is_territory() {
            inhabitants
        } else {
            people
        }
    }
}

/// A SIREN number: the 9 digits that identify a legal unit in the INSEE register, the last
/// one a Luhn check digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Siren(String);

/// Why a typed text is not a SIREN number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SirenError {
    #[error("a SIREN number has only digits, found {found:?}")]
    NotDigits { found: char },
    #[error("a SIREN number has 9 digits, got {digits}")]
    WrongLength { digits: usize },
    #[error("the SIREN check digit does not match")]
    BadKey,
}

impl SirenError {
    /// What to tell the person who typed the number.
    pub fn message(&self) -> LocalizedText {
        match self {
            SirenError::NotDigits { found } => LocalizedText::new(
                format!(
                    "Le numéro SIREN ne contient que des chiffres (les espaces sont permis) : retirez « {found} »."
                ),
                format!("A SIREN number has only digits (spaces are allowed): remove \"{found}\"."),
            ),
            // 14 digits is the SIRET of an establishment, which starts with the SIREN.
            SirenError::WrongLength { digits: 14 } => LocalizedText::new(
                "Le numéro SIREN a 9 chiffres ; vous en avez saisi 14, sans doute un numéro SIRET : gardez-en les 9 premiers.",
                "A SIREN number has 9 digits; you typed 14, probably a SIRET number: keep its first 9.",
            ),
            SirenError::WrongLength { digits } => LocalizedText::new(
                format!("Le numéro SIREN a 9 chiffres ; vous en avez saisi {digits}."),
                format!("A SIREN number has 9 digits; you typed {digits}."),
            ),
            SirenError::BadKey => LocalizedText::new(
                "La clé du SIREN ne correspond pas : vérifiez le numéro sur l'avis de situation INSEE.",
                "The SIREN check digit does not match: check the number on the INSEE registration notice (avis de situation).",
            ),
        }
    }
}

impl Siren {
    /// Reads a SIREN as typed: spaces (also the non-breaking ones of copied numbers) are
    /// dropped, then it must be 9 digits whose Luhn sum is a multiple of 10.
    pub fn parse(typed: &str) -> Result<Siren, SirenError> {
        let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
        if let Some(found) = digits.chars().find(|c| !c.is_ascii_digit()) {
            return Err(SirenError::NotDigits { found });
        }
        if digits.len() != 9 {
            return Err(SirenError::WrongLength {
                digits: digits.len(),
            });
        }
        if !luhn_valid(&digits) {
            return Err(SirenError::BadKey);
        }
        Ok(Siren(digits))
    }

    /// The 9 digits, as stored and displayed.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Siren {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The Luhn check over ASCII digits: from the right, every second digit is doubled (minus 9
/// when it exceeds 9) and the sum must be a multiple of 10.
fn luhn_valid(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(position, byte)| {
            let digit = u32::from(byte - b'0');
            if position % 2 == 1 {
                let doubled = digit * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                digit
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// The 101 départements, in official order: Corsica's 2A and 2B take the place of 20.
const DEPARTEMENT_CODES: [&str; 101] = [
    "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15", "16",
    "17", "18", "19", "2A", "2B", "21", "22", "23", "24", "25", "26", "27", "28", "29", "30", "31",
    "32", "33", "34", "35", "36", "37", "38", "39", "40", "41", "42", "43", "44", "45", "46", "47",
    "48", "49", "50", "51", "52", "53", "54", "55", "56", "57", "58", "59", "60", "61", "62", "63",
    "64", "65", "66", "67", "68", "69", "70", "71", "72", "73", "74", "75", "76", "77", "78", "79",
    "80", "81", "82", "83", "84", "85", "86", "87", "88", "89", "90", "91", "92", "93", "94", "95",
    "971", "972", "973", "974", "976",
];

/// A French département, by its official code: `01`–`95` with `2A` and `2B` for Corsica,
/// `971`–`974` and `976` overseas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Departement(&'static str);

/// Why a typed text is not a département code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DepartementError {
    #[error("no département given")]
    Empty,
    /// `20` was split into 2A and 2B in 1976, but people still type it.
    #[error("20 is no longer a département: Corsica is 2A or 2B")]
    Corsica20,
    #[error("{typed:?} is not a département code")]
    Unknown { typed: String },
}

impl DepartementError {
    /// What to tell the person who typed the code.
    pub fn message(&self) -> LocalizedText {
        match self {
            DepartementError::Empty => LocalizedText::new(
                "Indiquez le numéro du département (par exemple 33, 2A ou 974).",
                "Enter the département number (for example 33, 2A or 974).",
            ),
            DepartementError::Corsica20 => LocalizedText::new(
                "Depuis 1976, la Corse compte deux départements : saisissez 2A (Corse-du-Sud) ou 2B (Haute-Corse).",
                "Since 1976 Corsica has two départements: enter 2A (Corse-du-Sud) or 2B (Haute-Corse).",
            ),
            DepartementError::Unknown { typed } => LocalizedText::new(
                format!(
                    "« {typed} » n'est pas un numéro de département : saisissez de 01 à 95, 2A, 2B, de 971 à 974 ou 976."
                ),
                format!(
                    "\"{typed}\" is not a département number: enter 01 to 95, 2A, 2B, 971 to 974 or 976."
                ),
            ),
        }
    }
}

impl Departement {
    /// Reads a département code as typed: surrounding spaces and case do not matter, and a
    /// single digit is the usual shorthand for `01`–`09`.
    pub fn parse(typed: &str) -> Result<Departement, DepartementError> {
        let trimmed = typed.trim();
        if trimmed.is_empty() {
            return Err(DepartementError::Empty);
        }
        let mut code = trimmed.to_ascii_uppercase();
        if code.len() == 1 && code.bytes().all(|b| b.is_ascii_digit()) {
            code.insert(0, '0');
        }
        if code == "20" {
            return Err(DepartementError::Corsica20);
        }
        DEPARTEMENT_CODES
            .iter()
            .find(|known| **known == code)
            .map(|known| Departement(known))
            .ok_or_else(|| DepartementError::Unknown {
                typed: trimmed.to_owned(),
            })
    }

    /// Every département, in official order, for a list to choose from.
    pub fn all() -> impl Iterator<Item = Departement> {
        DEPARTEMENT_CODES.iter().map(|code| Departement(code))
    }

    /// The official code, as stored and displayed.
    pub fn as_str(self) -> &'static str {
        self.0
    }

    /// The five overseas départements, whose codes have three digits.
    pub fn is_overseas(self) -> bool {
        self.0.len() == 3
    }
}

impl fmt::Display for Departement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// The INSEE code of a commune (code officiel géographique), not its postcode: 5 characters
/// starting with the département code.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CommuneInsee {
    code: String,
    departement: Departement,
}

/// Why a typed text is not an INSEE commune code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommuneInseeError {
    #[error("an INSEE commune code has 5 characters, got {chars}")]
    WrongLength { chars: usize },
    #[error("an INSEE commune code has only digits, or starts with 2A or 2B")]
    NotDigits,
    /// Corsican postcodes start with 20, which people mistake for the INSEE code.
    #[error("Corsican commune codes start with 2A or 2B, not 20")]
    Corsica20,
    #[error("no département is numbered {prefix}")]
    UnknownDepartement { prefix: String },
}

impl CommuneInseeError {
    /// What to tell the person who typed the code.
    pub fn message(&self) -> LocalizedText {
        match self {
            CommuneInseeError::WrongLength { chars } => LocalizedText::new(
                format!("Le code commune INSEE a 5 caractères ; vous en avez saisi {chars}."),
                format!("An INSEE commune code has 5 characters; you typed {chars}."),
            ),
            CommuneInseeError::NotDigits => LocalizedText::new(
                "Le code commune INSEE ne contient que des chiffres, sauf en Corse où il commence par 2A ou 2B (par exemple 2A004).",
                "An INSEE commune code has only digits, except in Corsica where it starts with 2A or 2B (for example 2A004).",
            ),
            CommuneInseeError::Corsica20 => LocalizedText::new(
                "Les codes INSEE des communes de Corse commencent par 2A ou 2B, pas par 20 comme le code postal : par exemple 2A004 pour Ajaccio.",
                "INSEE codes of Corsican communes start with 2A or 2B, not 20 like the postcode: for example 2A004 for Ajaccio.",
            ),
            CommuneInseeError::UnknownDepartement { prefix } => LocalizedText::new(
                format!(
                    "Aucun département n'a le numéro {prefix} : vérifiez le code commune dans le code officiel géographique de l'INSEE."
                ),
                format!(
                    "No département is numbered {prefix}: check the commune code in INSEE's official geographic code."
                ),
            ),
        }
    }
}

impl CommuneInsee {
    /// Reads a commune code as typed: surrounding spaces and the case of 2A/2B do not matter.
    pub fn parse(typed: &str) -> Result<CommuneInsee, CommuneInseeError> {
        let code = typed.trim().to_ascii_uppercase();
        let chars = code.chars().count();
        if chars != 5 {
            return Err(CommuneInseeError::WrongLength { chars });
        }
        let (head, tail) = code.split_at(2);
        let head_ok = head.bytes().all(|b| b.is_ascii_digit()) || head == "2A" || head == "2B";
        if !head_ok || !tail.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CommuneInseeError::NotDigits);
        }
        if head == "20" {
            return Err(CommuneInseeError::Corsica20);
        }
        // Overseas départements have 3-digit codes, so their communes have 2 digits of their own.
        let prefix = if head == "97" { &code[..3] } else { head };
        let departement =
            Departement::parse(prefix).map_err(|_| CommuneInseeError::UnknownDepartement {
                prefix: prefix.to_owned(),
            })?;
        Ok(CommuneInsee { code, departement })
    }

    /// The 5 characters, as stored and displayed.
    pub fn as_str(&self) -> &str {
        &self.code
    }

    /// The département the commune belongs to, read from its code.
    pub fn departement(&self) -> Departement {
        self.departement
    }
}

impl fmt::Display for CommuneInsee {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code)
    }
}

/// Shortest and longest name, in characters, once trimmed.
const NAME_MIN_CHARS: usize = 2;
const NAME_MAX_CHARS: usize = 200;

/// The organisation form as sent by the browser, field by field, kept as typed.
///
/// Missing fields deserialise as empty, so that a tampered or stale form gets messages
/// beside its fields rather than a bare 400.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[serde(default)]
pub struct OrganisationForm {
    #[validate(custom(function = "validate_name_length"))]
    pub name: String,
    pub kind: String,
    /// Empty means none.
    pub siren: Option<String>,
    pub departement: String,
    /// Empty means none.
    pub commune_insee: Option<String>,
    /// Empty means none.
    pub size_band: Option<String>,
}

/// The name's length, counted on the trimmed name: spaces alone do not make a name.
fn validate_name_length(name: &str) -> Result<(), ValidationError> {
    let chars = name.trim().chars().count();
    let code = match chars {
        0 => "name_required",
        n if n < NAME_MIN_CHARS => "name_too_short",
        n if n > NAME_MAX_CHARS => "name_too_long",
        _ => return Ok(()),
    };
    let mut error = ValidationError::new(code);
    error.add_param("chars".into(), &chars);
    error.add_param("min".into(), &NAME_MIN_CHARS);
    error.add_param("max".into(), &NAME_MAX_CHARS);
    Err(error)
}

/// A bilingual message for an error found by the `Validate` derive.
fn validation_message(error: &ValidationError, typed: &str) -> LocalizedText {
    let chars = typed.trim().chars().count();
    match error.code.as_ref() {
        "name_required" => LocalizedText::new(
            "Indiquez le nom de l'organisation.",
            "Enter the name of the organisation.",
        ),
        "name_too_short" => LocalizedText::new(
            format!(
                "Le nom doit compter au moins {NAME_MIN_CHARS} caractères ; vous en avez saisi {chars}."
            ),
            format!("The name needs at least {NAME_MIN_CHARS} characters; you typed {chars}."),
        ),
        "name_too_long" => LocalizedText::new(
            format!(
                "Le nom compte {chars} caractères : raccourcissez-le à {NAME_MAX_CHARS} au plus."
            ),
            format!("The name has {chars} characters: shorten it to {NAME_MAX_CHARS} at most."),
        ),
        // A rule added to the derive without a message of its own still gets a usable one.
        _ => LocalizedText::new(
            "Cette valeur n'est pas acceptée : vérifiez-la.",
            "This value is not accepted: please check it.",
        ),
    }
}

/// An organisation as the rest of the service sees it: every field parsed and consistent
/// with the others. Fields are private so that only [`TryFrom<OrganisationForm>`] builds one;
/// rows read back from the database go through the same form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationData {
    name: String,
    kind: OrganisationKind,
    siren: Option<Siren>,
    departement: Departement,
    commune_insee: Option<CommuneInsee>,
    size_band: Option<SizeBand>,
}

impl OrganisationData {
    /// The name, trimmed.
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn kind(&self) -> OrganisationKind {
        self.kind
    }

    pub fn siren(&self) -> Option<&Siren> {
        self.siren.as_ref()
    }

    pub fn departement(&self) -> Departement {
        self.departement
    }

    /// Only ever set for a commune or an intercommunalité, and always in [`Self::departement`].
    pub fn commune_insee(&self) -> Option<&CommuneInsee> {
        self.commune_insee.as_ref()
    }

    /// Always fits [`Self::kind`].
    pub fn size_band(&self) -> Option<SizeBand> {
        self.size_band
    }

    /// Which questionnaires this organisation takes.
    pub fn audience(&self) -> Audience {
        self.kind.audience()
    }

    /// The form pre-filled with the canonical values, to edit the organisation.
    pub fn form(&self) -> OrganisationForm {
        OrganisationForm {
            name: self.name.clone(),
            kind: self.kind.code().to_owned(),
            siren: self.siren.as_ref().map(|siren| siren.as_str().to_owned()),
            departement: self.departement.as_str().to_owned(),
            commune_insee: self
                .commune_insee
                .as_ref()
                .map(|commune| commune.as_str().to_owned()),
            size_band: self.size_band.map(|band| band.code().to_owned()),
        }
    }
}

/// Field names, equal to those of [`OrganisationForm`] and of the inputs of the page.
const NAME: &str = "name";
const KIND: &str = "kind";
const SIREN: &str = "siren";
const DEPARTEMENT: &str = "departement";
const COMMUNE_INSEE: &str = "commune_insee";
const SIZE_BAND: &str = "size_band";

impl TryFrom<OrganisationForm> for OrganisationData {
    type Error = FieldErrors;

    /// Checks every field, and the fields against each other, and reports every problem.
    ///
    /// A check that depends on another field (commune in its département, band fitting the
    /// kind) is skipped when that field is itself wrong: its own message says what to fix.
    fn try_from(form: OrganisationForm) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();

        if let Err(found) = form.validate() {
            for error in found
                .field_errors()
                .get(NAME)
                .into_iter()
                .flat_map(|e| e.iter())
            {
                let message = validation_message(error, &form.name);
                errors.add(NAME, message.fr, message.en);
            }
        }
        let kind = keep(&mut errors, KIND, parse_kind(&form.kind));
        let departement = keep(
            &mut errors,
            DEPARTEMENT,
            Departement::parse(&form.departement).map_err(|e| e.message()),
        );
        let siren = keep(
            &mut errors,
            SIREN,
            optional(form.siren.as_deref())
                .map(|typed| Siren::parse(typed).map_err(|e| e.message()))
                .transpose(),
        );
        let commune_insee = keep(
            &mut errors,
            COMMUNE_INSEE,
            optional(form.commune_insee.as_deref())
                .map(|typed| parse_commune(typed, kind, departement))
                .transpose(),
        );
        let size_band = keep(
            &mut errors,
            SIZE_BAND,
            optional(form.size_band.as_deref())
                .map(|typed| parse_size_band(typed, kind))
                .transpose(),
        );

        match (kind, departement, siren, commune_insee, size_band) {
            (Some(kind), Some(departement), Some(siren), Some(commune_insee), Some(size_band))
                if errors.is_empty() =>
            {
                Ok(OrganisationData {
                    name: form.name.trim().to_owned(),
                    kind,
                    siren,
                    departement,
                    commune_insee,
                    size_band,
                })
            }
            _ => Err(errors),
        }
    }
}

/// The value when valid; otherwise records its message beside the field.
fn keep<T>(errors: &mut FieldErrors, field: &str, result: Result<T, LocalizedText>) -> Option<T> {
    result
        .map_err(|message| errors.add(field, message.fr, message.en))
        .ok()
}

/// An optional field: absent, empty and blank all mean "not given".
fn optional(typed: Option<&str>) -> Option<&str> {
    typed.map(str::trim).filter(|value| !value.is_empty())
}

fn parse_kind(typed: &str) -> Result<OrganisationKind, LocalizedText> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Err(LocalizedText::new(
            "Choisissez le type d'organisation.",
            "Choose the kind of organisation.",
        ));
    }
    OrganisationKind::from_code(typed).ok_or_else(|| {
        LocalizedText::new(
            "Ce type d'organisation n'existe pas : choisissez-en un dans la liste.",
            "This kind of organisation does not exist: choose one from the list.",
        )
    })
}

/// A commune code: only for kinds that take one, and within the département given.
fn parse_commune(
    typed: &str,
    kind: Option<OrganisationKind>,
    departement: Option<Departement>,
) -> Result<CommuneInsee, LocalizedText> {
    if let Some(kind) = kind.filter(|kind| !kind.takes_commune_code()) {
        return Err(LocalizedText::new(
            format!(
                "Le code commune ne sert qu'aux communes et aux intercommunalités : laissez ce champ vide pour le type « {} ».",
                kind.label(Lang::Fr)
            ),
            format!(
                "The commune code is only for municipalities and inter-municipal bodies: leave this field empty for the kind \"{}\".",
                kind.label(Lang::En)
            ),
        ));
    }
    let commune = CommuneInsee::parse(typed).map_err(|e| e.message())?;
    // Well formed is not enough: a typo in the last digits would name no commune, or
    // another one; the official list says which (`territory::commune_name`).
    if crate::domain::territory::commune_name(commune.as_str()).is_none() {
        return Err(LocalizedText::new(
            format!(
                "Aucune commune n'a le code INSEE {commune} : vérifiez-le dans le code officiel géographique (ce n'est pas le code postal ; par exemple 69123 pour Lyon)."
            ),
            format!(
                "No municipality has the INSEE code {commune}: check it in the official geographic code (it is not the postcode; for example 69123 for Lyon)."
            ),
        ));
    }
    if let Some(departement) = departement.filter(|d| *d != commune.departement()) {
        return Err(LocalizedText::new(
            format!(
                "Le code commune {commune} est celui d'une commune du département {}, pas du {departement} : corrigez l'un des deux (c'est le code INSEE, pas le code postal).",
                commune.departement()
            ),
            format!(
                "Commune code {commune} belongs to département {}, not {departement}: correct one of them (it is the INSEE code, not the postcode).",
                commune.departement()
            ),
        ));
    }
    Ok(commune)
}

/// A size band: known, and counted the way the kind counts (inhabitants or people).
fn parse_size_band(typed: &str, kind: Option<OrganisationKind>) -> Result<SizeBand, LocalizedText> {
    let band = SizeBand::from_code(typed).ok_or_else(|| {
        LocalizedText::new(
            "Cette tranche de taille n'existe pas : choisissez-en une dans la liste, ou laissez vide.",
            "This size band does not exist: choose one from the list, or leave it empty.",
        )
    })?;
    match kind {
        Some(kind) if !band.fits(kind) && kind.is_territory() => Err(LocalizedText::new(
            format!(
                "Pour le type « {} », la taille se compte en habitants : choisissez une tranche en habitants, ou laissez vide.",
                kind.label(Lang::Fr)
            ),
            format!(
                "For the kind \"{}\", size is counted in inhabitants: choose a band in inhabitants, or leave it empty.",
                kind.label(Lang::En)
            ),
        )),
        Some(kind) if !band.fits(kind) => Err(LocalizedText::new(
            format!(
                "Pour le type « {} », la taille se compte en personnes (salariés, agents, bénévoles) : choisissez une tranche en personnes, ou laissez vide.",
                kind.label(Lang::Fr)
            ),
            format!(
                "For the kind \"{}\", size is counted in people (staff, agents, volunteers): choose a band in people, or leave it empty.",
                kind.label(Lang::En)
            ),
        )),
        _ => Ok(band),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_kinds_read_back_as_the_kind_and_an_unknown_one_is_refused() {
        for kind in OrganisationKind::ALL {
            assert_eq!(
                OrganisationKind::try_from(kind.code().to_owned()),
                Ok(*kind)
            );
        }
        let refused = OrganisationKind::try_from("mairie".to_owned()).unwrap_err();
        assert_eq!(refused.code, "mairie");
    }

    fn form() -> OrganisationForm {
        OrganisationForm {
            name: "Ville de Bordeaux".into(),
            kind: "commune".into(),
            siren: Some("213 300 635".into()),
            departement: "33".into(),
            commune_insee: Some("33063".into()),
            size_band: Some("50k_250k".into()),
        }
    }

    fn errors_of(form: OrganisationForm) -> FieldErrors {
        match OrganisationData::try_from(form) {
            Ok(data) => panic!("expected errors, got {data:?}"),
            Err(errors) => errors,
        }
    }

    fn fr(errors: &FieldErrors, field: &str) -> String {
        errors
            .message(field, Lang::Fr)
            .unwrap_or_else(|| panic!("no message for {field}: {errors:?}"))
            .to_owned()
    }

    fn en(errors: &FieldErrors, field: &str) -> String {
        errors
            .message(field, Lang::En)
            .unwrap_or_else(|| panic!("no message for {field}: {errors:?}"))
            .to_owned()
    }

    #[test]
    fn kind_and_size_band_codes_round_trip_in_display_order() {
        for kind in OrganisationKind::ALL {
            assert_eq!(OrganisationKind::from_code(kind.code()), Some(*kind));
        }
        for band in SizeBand::ALL {
            assert_eq!(SizeBand::from_code(band.code()), Some(*band));
        }
        assert_eq!(OrganisationKind::Recherche.index(), 7);
        assert_eq!(OrganisationKind::from_code("Commune"), None);
        assert!(OrganisationKind::codes_list().starts_with("commune, intercommunalite"));
        assert_eq!(SizeBand::from_code("gt_250").map(|b| b.index()), Some(8));
        assert_eq!(
            OrganisationKind::Etat.label(Lang::Fr),
            "État ou établissement public"
        );
        assert_eq!(
            OrganisationKind::Association.label(Lang::En),
            "Association / social economy"
        );
        assert_eq!(
            SizeBand::PeopleUnder10.label(Lang::Fr),
            "Moins de 10 personnes"
        );
    }

    #[test]
    fn the_four_territorial_kinds_take_territory_questionnaires_and_the_others_organisation_ones() {
        let territories: Vec<_> = OrganisationKind::ALL
            .iter()
            .filter(|kind| kind.is_territory())
            .collect();
        assert_eq!(territories.len(), 4);
        for kind in OrganisationKind::ALL {
            let expected = if kind.is_territory() {
                Audience::Territory
            } else {
                Audience::Organisation
            };
            assert_eq!(kind.audience(), expected, "{kind:?}");
        }
        assert_eq!(OrganisationKind::Etat.audience(), Audience::Organisation);
        assert_eq!(OrganisationKind::Region.audience(), Audience::Territory);
    }

    #[test]
    fn bands_in_inhabitants_fit_territories_and_bands_in_people_fit_the_others() {
        assert!(SizeBand::InhabitantsUnder1k.fits(OrganisationKind::Commune));
        assert!(SizeBand::Inhabitants250kOrMore.fits(OrganisationKind::Region));
        assert!(!SizeBand::PeopleUnder10.fits(OrganisationKind::Intercommunalite));
        assert!(SizeBand::People250OrMore.fits(OrganisationKind::Etat));
        assert!(!SizeBand::Inhabitants1kTo10k.fits(OrganisationKind::Association));
        for kind in OrganisationKind::ALL {
            let offered = SizeBand::for_kind(*kind);
            assert!(offered.iter().all(|band| band.fits(*kind)));
            let fitting = SizeBand::ALL.iter().filter(|b| b.fits(*kind)).count();
            assert_eq!(offered.len(), fitting);
        }
    }

    #[test]
    fn known_sirens_pass_the_luhn_key() {
        for known in [
            "732829320",
            "542051180",
            "130025265",
            "213300635",
            "356000000",
        ] {
            assert_eq!(
                Siren::parse(known).map(|s| s.to_string()),
                Ok(known.to_owned())
            );
        }
    }

    #[test]
    fn spaces_typed_in_a_siren_are_stripped_and_not_displayed() {
        let siren = Siren::parse(" 732 829\u{a0}320 ");
        assert_eq!(siren.map(|s| s.to_string()), Ok("732829320".to_owned()));
    }

    #[test]
    fn a_siren_with_a_wrong_key_is_rejected_as_a_bad_key() {
        for wrong in ["732829321", "542051181", "123456789", "130025256"] {
            assert_eq!(Siren::parse(wrong), Err(SirenError::BadKey), "{wrong}");
        }
    }

    #[test]
    fn a_siren_of_the_wrong_length_says_how_many_digits_were_typed() {
        assert_eq!(
            Siren::parse("73282932"),
            Err(SirenError::WrongLength { digits: 8 })
        );
        let message = SirenError::WrongLength { digits: 8 }.message();
        assert_eq!(
            message.fr,
            "Le numéro SIREN a 9 chiffres ; vous en avez saisi 8."
        );
        assert_eq!(message.en, "A SIREN number has 9 digits; you typed 8.");
        assert_eq!(
            Siren::parse("7328293200"),
            Err(SirenError::WrongLength { digits: 10 })
        );
    }

    #[test]
    fn a_fourteen_digit_siren_is_taken_for_a_siret() {
        let error = Siren::parse("732 829 320 00074");
        assert_eq!(error, Err(SirenError::WrongLength { digits: 14 }));
        let message = SirenError::WrongLength { digits: 14 }.message();
        assert!(message.fr.contains("SIRET"));
        assert!(message.en.contains("SIRET"));
    }

    #[test]
    fn a_siren_with_other_characters_names_the_one_to_remove() {
        assert_eq!(
            Siren::parse("732-829-320"),
            Err(SirenError::NotDigits { found: '-' })
        );
        assert!(
            SirenError::NotDigits { found: '-' }
                .message()
                .fr
                .contains("« - »")
        );
        assert_eq!(
            Siren::parse("７32829320"),
            Err(SirenError::NotDigits { found: '７' })
        );
    }

    #[test]
    fn there_are_101_departements_in_official_order() {
        let all: Vec<_> = Departement::all().map(|d| d.as_str()).collect();
        assert_eq!(all.len(), 101);
        assert_eq!(&all[18..22], ["19", "2A", "2B", "21"]);
        assert_eq!(all.last(), Some(&"976"));
        assert_eq!(Departement::all().filter(|d| d.is_overseas()).count(), 5);
    }

    #[test]
    fn departements_accept_lowercase_corsica_and_a_single_digit() {
        let parsed = |typed: &str| Departement::parse(typed).map(|d| d.to_string());
        assert_eq!(parsed("2a"), Ok("2A".to_owned()));
        assert_eq!(parsed(" 2B "), Ok("2B".to_owned()));
        assert_eq!(parsed("1"), Ok("01".to_owned()));
        assert_eq!(parsed("09"), Ok("09".to_owned()));
        assert_eq!(parsed("95"), Ok("95".to_owned()));
        assert_eq!(parsed("971"), Ok("971".to_owned()));
        assert_eq!(parsed("976"), Ok("976".to_owned()));
    }

    #[test]
    fn departement_20_is_refused_with_a_pointer_to_2a_and_2b() {
        assert_eq!(Departement::parse("20"), Err(DepartementError::Corsica20));
        let message = DepartementError::Corsica20.message();
        assert!(message.fr.contains("2A") && message.fr.contains("2B"));
        assert!(message.en.contains("2A") && message.en.contains("2B"));
    }

    #[test]
    fn codes_that_are_no_departement_are_refused() {
        for typed in [
            "0", "00", "96", "975", "977", "98", "100", "2C", "33a", "Gironde",
        ] {
            assert_eq!(
                Departement::parse(typed),
                Err(DepartementError::Unknown {
                    typed: typed.to_owned()
                }),
                "{typed}"
            );
        }
        assert_eq!(Departement::parse("  "), Err(DepartementError::Empty));
    }

    #[test]
    fn commune_codes_know_their_departement() {
        let departement = |typed: &str| {
            CommuneInsee::parse(typed).map(|c| (c.to_string(), c.departement().to_string()))
        };
        assert_eq!(departement("33063"), Ok(("33063".into(), "33".into())));
        assert_eq!(departement("2a004"), Ok(("2A004".into(), "2A".into())));
        assert_eq!(departement("2B033"), Ok(("2B033".into(), "2B".into())));
        assert_eq!(departement(" 97411 "), Ok(("97411".into(), "974".into())));
        assert_eq!(departement("01001"), Ok(("01001".into(), "01".into())));
    }

    #[test]
    fn commune_codes_of_the_wrong_shape_are_refused() {
        assert_eq!(
            CommuneInsee::parse("3306"),
            Err(CommuneInseeError::WrongLength { chars: 4 })
        );
        assert_eq!(
            CommuneInsee::parse("330630"),
            Err(CommuneInseeError::WrongLength { chars: 6 })
        );
        assert_eq!(
            CommuneInsee::parse("33O63"),
            Err(CommuneInseeError::NotDigits)
        );
        assert_eq!(
            CommuneInsee::parse("2C004"),
            Err(CommuneInseeError::NotDigits)
        );
        assert_eq!(
            CommuneInsee::parse("20000"),
            Err(CommuneInseeError::Corsica20)
        );
        for (typed, prefix) in [("97501", "975"), ("96001", "96"), ("00001", "00")] {
            assert_eq!(
                CommuneInsee::parse(typed),
                Err(CommuneInseeError::UnknownDepartement {
                    prefix: prefix.into()
                }),
                "{typed}"
            );
        }
    }

    #[test]
    fn a_well_formed_code_that_no_commune_has_is_refused_beside_its_field() {
        let mut typed = form();
        typed.commune_insee = Some("33999".into());
        let errors = OrganisationData::try_from(typed).expect_err("unknown commune");
        let message = format!("{errors:?}");
        assert!(message.contains("commune_insee"), "{message}");
        assert!(
            message.contains("Aucune commune n'a le code INSEE 33999"),
            "{message}"
        );
    }

    #[test]
    fn a_complete_form_becomes_organisation_data() {
        let data = OrganisationData::try_from(form()).expect("valid form");
        assert_eq!(data.name(), "Ville de Bordeaux");
        assert_eq!(data.kind(), OrganisationKind::Commune);
        assert_eq!(data.audience(), Audience::Territory);
        assert_eq!(data.siren().map(Siren::as_str), Some("213300635"));
        assert_eq!(data.departement().as_str(), "33");
        assert_eq!(data.commune_insee().map(|c| c.as_str()), Some("33063"));
        assert_eq!(data.size_band(), Some(SizeBand::Inhabitants50kTo250k));
    }

    #[test]
    fn only_name_kind_and_departement_are_required() {
        let minimal = OrganisationForm {
            name: "Emmaüs Connect".into(),
            kind: "association".into(),
            departement: "75".into(),
            ..OrganisationForm::default()
        };
        let data = OrganisationData::try_from(minimal).expect("valid form");
        assert_eq!(data.siren(), None);
        assert_eq!(data.commune_insee(), None);
        assert_eq!(data.size_band(), None);
        assert_eq!(data.audience(), Audience::Organisation);
    }

    #[test]
    fn empty_or_blank_optional_fields_mean_not_given() {
        let blank = OrganisationForm {
            siren: Some("".into()),
            commune_insee: Some("   ".into()),
            size_band: Some("".into()),
            ..form()
        };
        let data = OrganisationData::try_from(blank).expect("valid form");
        assert_eq!(data.siren(), None);
        assert_eq!(data.commune_insee(), None);
        assert_eq!(data.size_band(), None);
    }

    #[test]
    fn the_name_is_trimmed_and_must_have_2_to_200_characters() {
        let named = |name: &str| OrganisationForm {
            name: name.into(),
            ..form()
        };
        let data = OrganisationData::try_from(named("  Bx  ")).expect("2 characters");
        assert_eq!(data.name(), "Bx");
        assert!(OrganisationData::try_from(named(&"é".repeat(200))).is_ok());

        let errors = errors_of(named("   "));
        assert_eq!(fr(&errors, "name"), "Indiquez le nom de l'organisation.");
        assert_eq!(en(&errors, "name"), "Enter the name of the organisation.");

        let errors = errors_of(named(" B "));
        assert_eq!(
            fr(&errors, "name"),
            "Le nom doit compter au moins 2 caractères ; vous en avez saisi 1."
        );
        assert_eq!(
            en(&errors, "name"),
            "The name needs at least 2 characters; you typed 1."
        );

        let errors = errors_of(named(&"é".repeat(201)));
        assert_eq!(
            fr(&errors, "name"),
            "Le nom compte 201 caractères : raccourcissez-le à 200 au plus."
        );
        assert_eq!(errors.len(), 1);
    }

    #[test]
    fn the_validate_derive_checks_the_trimmed_name() {
        assert!(form().validate().is_ok());
        let spaces = OrganisationForm {
            name: "  a   ".into(),
            ..form()
        };
        let errors = spaces.validate().expect_err("one character once trimmed");
        assert_eq!(errors.field_errors()["name"][0].code, "name_too_short");
    }

    #[test]
    fn the_kind_is_required_and_must_be_known() {
        let kind = |kind: &str| OrganisationForm {
            kind: kind.into(),
            ..form()
        };
        let errors = errors_of(kind(""));
        assert_eq!(fr(&errors, "kind"), "Choisissez le type d'organisation.");
        assert_eq!(en(&errors, "kind"), "Choose the kind of organisation.");
        let errors = errors_of(kind("mairie"));
        assert!(fr(&errors, "kind").contains("choisissez-en un dans la liste"));
        assert!(en(&errors, "kind").contains("choose one from the list"));
    }

    #[test]
    fn the_departement_is_required_and_must_be_valid() {
        let departement = |departement: &str| OrganisationForm {
            departement: departement.into(),
            commune_insee: None,
            ..form()
        };
        let errors = errors_of(departement(""));
        assert!(fr(&errors, "departement").starts_with("Indiquez le numéro du département"));
        let errors = errors_of(departement("99"));
        assert_eq!(
            fr(&errors, "departement"),
            "« 99 » n'est pas un numéro de département : saisissez de 01 à 95, 2A, 2B, de 971 à 974 ou 976."
        );
        assert!(en(&errors, "departement").starts_with("\"99\" is not a département number"));
        let errors = errors_of(departement("20"));
        assert!(fr(&errors, "departement").contains("Corse"));
    }

    #[test]
    fn the_commune_code_must_be_valid_and_lie_in_the_departement() {
        let errors = errors_of(OrganisationForm {
            departement: "35".into(),
            ..form()
        });
        assert_eq!(
            fr(&errors, "commune_insee"),
            "Le code commune 33063 est celui d'une commune du département 33, pas du 35 : corrigez l'un des deux (c'est le code INSEE, pas le code postal)."
        );
        assert_eq!(
            en(&errors, "commune_insee"),
            "Commune code 33063 belongs to département 33, not 35: correct one of them (it is the INSEE code, not the postcode)."
        );
        assert_eq!(errors.len(), 1);

        let errors = errors_of(OrganisationForm {
            commune_insee: Some("3306".into()),
            ..form()
        });
        assert_eq!(
            fr(&errors, "commune_insee"),
            "Le code commune INSEE a 5 caractères ; vous en avez saisi 4."
        );

        let corsica = OrganisationForm {
            departement: "2a".into(),
            commune_insee: Some("2a004".into()),
            ..form()
        };
        let data = OrganisationData::try_from(corsica).expect("Ajaccio");
        assert_eq!(data.commune_insee().map(|c| c.as_str()), Some("2A004"));

        let overseas = OrganisationForm {
            departement: "974".into(),
            commune_insee: Some("97411".into()),
            ..form()
        };
        assert!(OrganisationData::try_from(overseas).is_ok());
    }

    #[test]
    fn the_commune_code_is_only_for_communes_and_intercommunalites() {
        let with_kind = |kind: &str, band: &str| OrganisationForm {
            kind: kind.into(),
            size_band: Some(band.into()),
            ..form()
        };
        assert!(OrganisationData::try_from(with_kind("intercommunalite", "gt_250k")).is_ok());
        let errors = errors_of(with_kind("departement", "gt_250k"));
        assert_eq!(
            fr(&errors, "commune_insee"),
            "Le code commune ne sert qu'aux communes et aux intercommunalités : laissez ce champ vide pour le type « Département »."
        );
        let errors = errors_of(with_kind("entreprise", "lt_10"));
        assert_eq!(
            en(&errors, "commune_insee"),
            "The commune code is only for municipalities and inter-municipal bodies: leave this field empty for the kind \"Company\"."
        );
        assert_eq!(errors.len(), 1);
    }

    #[test]
    fn the_size_band_must_exist_and_fit_the_kind() {
        let band = |kind: &str, band: &str| OrganisationForm {
            kind: kind.into(),
            size_band: Some(band.into()),
            commune_insee: None,
            ..form()
        };
        assert!(OrganisationData::try_from(band("region", "gt_250k")).is_ok());
        assert!(OrganisationData::try_from(band("recherche", "50_249")).is_ok());

        let errors = errors_of(band("commune", "lt_10"));
        assert_eq!(
            fr(&errors, "size_band"),
            "Pour le type « Commune », la taille se compte en habitants : choisissez une tranche en habitants, ou laissez vide."
        );
        let errors = errors_of(band("entreprise", "lt_1k"));
        assert_eq!(
            en(&errors, "size_band"),
            "For the kind \"Company\", size is counted in people (staff, agents, volunteers): choose a band in people, or leave it empty."
        );
        let errors = errors_of(band("entreprise", "huge"));
        assert!(fr(&errors, "size_band").starts_with("Cette tranche de taille n'existe pas"));
    }

    #[test]
    fn an_invalid_siren_is_reported_beside_its_field() {
        let siren = |siren: &str| OrganisationForm {
            siren: Some(siren.into()),
            ..form()
        };
        let errors = errors_of(siren("21330063"));
        assert_eq!(
            fr(&errors, "siren"),
            "Le numéro SIREN a 9 chiffres ; vous en avez saisi 8."
        );
        let errors = errors_of(siren("213300636"));
        assert_eq!(
            fr(&errors, "siren"),
            "La clé du SIREN ne correspond pas : vérifiez le numéro sur l'avis de situation INSEE."
        );
        assert_eq!(errors.len(), 1);
    }

    #[test]
    fn every_error_is_reported_at_once_in_both_languages() {
        let errors = errors_of(OrganisationForm {
            name: " ".into(),
            kind: "mairie".into(),
            siren: Some("12345".into()),
            departement: "20".into(),
            commune_insee: Some("2C004".into()),
            size_band: Some("énorme".into()),
        });
        let fields: Vec<_> = errors.fields().map(|(field, _)| field).collect();
        assert_eq!(
            fields,
            [
                "commune_insee",
                "departement",
                "kind",
                "name",
                "siren",
                "size_band"
            ]
        );
        for (field, text) in errors.fields() {
            assert!(!text.fr.is_empty() && !text.en.is_empty(), "{field}");
            assert_ne!(text.fr, text.en, "{field}");
        }
    }

    #[test]
    fn cross_field_errors_are_reported_together_with_the_others() {
        let errors = errors_of(OrganisationForm {
            name: "X".into(),
            kind: "association".into(),
            siren: Some("732829321".into()),
            departement: "33".into(),
            commune_insee: Some("33063".into()),
            size_band: Some("lt_1k".into()),
        });
        let fields: Vec<_> = errors.fields().map(|(field, _)| field).collect();
        assert_eq!(fields, ["commune_insee", "name", "siren", "size_band"]);
    }

    #[test]
    fn the_edit_form_is_prefilled_with_canonical_values_and_parses_back() {
        let typed = OrganisationForm {
            name: "  Ajaccio ".into(),
            departement: "2a".into(),
            commune_insee: Some("2a004".into()),
            siren: Some("732 829 320".into()),
            ..form()
        };
        let data = OrganisationData::try_from(typed).expect("valid form");
        let prefilled = data.form();
        assert_eq!(
            prefilled,
            OrganisationForm {
                name: "Ajaccio".into(),
                kind: "commune".into(),
                siren: Some("732829320".into()),
                departement: "2A".into(),
                commune_insee: Some("2A004".into()),
                size_band: Some("50k_250k".into()),
            }
        );
        assert_eq!(OrganisationData::try_from(prefilled), Ok(data));
    }

    #[test]
    fn a_form_with_missing_fields_deserialises_to_empty_values_and_gets_messages() {
        let form: OrganisationForm =
            serde_json::from_str(r#"{"name": "Mairie"}"#).expect("missing fields are empty");
        assert_eq!(form.kind, "");
        assert_eq!(form.siren, None);
        let errors = errors_of(form);
        let fields: Vec<_> = errors.fields().map(|(field, _)| field).collect();
        assert_eq!(fields, ["departement", "kind"]);
    }
}
