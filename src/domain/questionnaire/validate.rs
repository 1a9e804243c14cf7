//! Checks one questionnaire file and turns it into a [`Questionnaire`].
//!
//! Every problem is collected, not just the first, so that whoever edits a file sees all
//! that is wrong in one run. Each [`Problem`] names the file, the offending id, what is
//! wrong and how to fix it, in French and English. Checks that need other files (`previous`,
//! `same_as`) are in [`super::registry`].

use super::file::{RawOption, RawQuestion, RawQuestionnaire, RawRecommendation, RawText};
use super::*;
use crate::domain::i18n::{Lang, LocalizedText};
use crate::domain::{Audience, Dimension, Level, Quality};
use sha2::{Digest, Sha256};
use std::collections::{BTreeSet, HashSet};
use std::fmt::Write as _;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One thing wrong in a questionnaire file.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub severity: Severity,
    pub path: PathBuf,
    /// The offending id: a question, role, option, scale or recommendation.
    pub id: Option<String>,
    pub what: LocalizedText,
    pub fix: LocalizedText,
}

impl Problem {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// One problem as the command line prints it: two lines, the second saying what to do.
    pub fn render(&self, lang: Lang) -> String {
        let severity = match self.severity {
            Severity::Error => lang.pick("erreur", "error"),
            Severity::Warning => lang.pick("avertissement", "warning"),
        };
        let mut out = format!("{severity}: {}", self.path.display());
        if let Some(id) = &self.id {
            let _ = write!(out, " [{id}]");
        }
        let _ = write!(
            out,
            ": {}\n    {} {}",
            self.what.get(lang),
            lang.pick("→ à faire :", "→ fix:"),
            self.fix.get(lang)
        );
        out
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(Lang::Fr))
    }
}

/// SHA-256 of a file's bytes, in lowercase hexadecimal.
pub fn content_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Collects the problems of one file.
pub(crate) struct Checker<'a> {
    path: &'a Path,
    pub(crate) problems: Vec<Problem>,
}

type Pair = [String; 2];

impl<'a> Checker<'a> {
    pub(crate) fn new(path: &'a Path) -> Self {
        Checker {
            path,
            problems: Vec::new(),
        }
    }

    fn push(&mut self, severity: Severity, id: Option<&str>, what: Pair, fix: Pair) {
        let [what_fr, what_en] = what;
        let [fix_fr, fix_en] = fix;
        self.problems.push(Problem {
            severity,
            path: self.path.to_path_buf(),
            id: id.map(str::to_owned),
            what: LocalizedText::new(what_fr, what_en),
            fix: LocalizedText::new(fix_fr, fix_en),
        });
    }

    pub(crate) fn error(&mut self, id: Option<&str>, what: Pair, fix: Pair) {
        self.push(Severity::Error, id, what, fix);
    }

    pub(crate) fn warning(&mut self, id: Option<&str>, what: Pair, fix: Pair) {
        self.push(Severity::Warning, id, what, fix);
    }

    /// A text required in both languages; reports each missing one.
    fn text(&mut self, raw: &RawText, field: &str, id: Option<&str>) -> LocalizedText {
        let fr = raw.fr.as_deref().map(str::trim).unwrap_or("");
        let en = raw.en.as_deref().map(str::trim).unwrap_or("");
        for (lang, value) in [("fr", fr), ("en", en)] {
            if value.is_empty() {
                self.error(
                    id,
                    [
                        format!("la traduction `{lang}` de `{field}` manque ou est vide"),
                        format!("the `{lang}` translation of `{field}` is missing or empty"),
                    ],
                    [
                        format!(
                            "écrivez `{field} = {{ fr = \"…\", en = \"…\" }}` avec les deux langues"
                        ),
                        format!(
                            "write `{field} = {{ fr = \"…\", en = \"…\" }}` with both languages"
                        ),
                    ],
                );
            }
        }
        LocalizedText::new(fr, en)
    }

    fn score(&mut self, score: f64, field: &str, id: &str) {
        if !(0.0..=1.0).contains(&score) {
            self.error(
                Some(id),
                [
                    format!("le score `{field}` vaut {score}, hors de [0, 1]"),
                    format!("score `{field}` is {score}, outside [0, 1]"),
                ],
                [
                    "donnez un score entre 0 (le moins favorable) et 1 (le plus favorable)".into(),
                    "give a score between 0 (least favourable) and 1 (most favourable)".into(),
                ],
            );
        }
    }

    fn code_id(&mut self, id: &str, what: &str, what_en: &str) -> bool {
        let ok = !id.is_empty()
            && id.len() <= 64
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !id.starts_with('-');
        if !ok {
            self.error(
                Some(id),
                [
                    format!("l'identifiant de {what} « {id} » n'est pas valide"),
                    format!("the {what_en} id \"{id}\" is not valid"),
                ],
                [
                    "n'utilisez que des minuscules sans accent, des chiffres et `-` (64 caractères au plus)".into(),
                    "use only lowercase ASCII letters, digits and `-` (64 characters at most)".into(),
                ],
            );
        }
        ok
    }

    /// A field that the question's kind does not use.
    fn extraneous(&mut self, id: &str, kind: &str, field: &str, present: bool) {
        if present {
            self.error(
                Some(id),
                [
                    format!("le champ `{field}` ne sert pas aux questions de type `{kind}`"),
                    format!("field `{field}` is not used by questions of kind `{kind}`"),
                ],
                [
                    format!("retirez `{field}`, ou changez `kind`"),
                    format!("remove `{field}`, or change `kind`"),
                ],
            );
        }
    }
}

/// Reads, checks and builds one questionnaire from its file's bytes.
///
/// `known_coalitions` are the slugs recommendations may name. The questionnaire is returned
/// only when the file has no error (warnings are allowed).
pub fn validate_file(
    path: &Path,
    bytes: &[u8],
    known_coalitions: &HashSet<String>,
) -> (Option<Questionnaire>, Vec<Problem>) {
    let mut c = Checker::new(path);
    let source = match std::str::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            c.error(
                None,
                [
                    format!("le fichier n'est pas en UTF-8 ({e})"),
                    format!("the file is not UTF-8 ({e})"),
                ],
                ["enregistrez-le en UTF-8".into(), "save it as UTF-8".into()],
            );
            return (None, c.problems);
        }
    };
    let raw: RawQuestionnaire = match toml::from_str(source) {
        Ok(raw) => raw,
        Err(e) => {
            let message = e.to_string().trim().replace('\n', "\n      ");
            c.error(
                None,
                [
                    format!("le fichier ne se lit pas comme un questionnaire : {message}"),
                    format!("the file does not read as a questionnaire: {message}"),
                ],
                [
                    "corrigez la syntaxe ou le nom du champ à l'endroit indiqué (les champs sont décrits dans questionnaires/README.md)".into(),
                    "fix the syntax or the field name where shown (fields are described in questionnaires/README.md)".into(),
                ],
            );
            return (None, c.problems);
        }
    };
    let questionnaire = build(&mut c, raw, path, content_hash(bytes), known_coalitions);
    let has_error = c.problems.iter().any(Problem::is_error);
    (questionnaire.filter(|_| !has_error), c.problems)
}

/// `v3` → 3.
pub fn version_number(version: &str) -> Option<u32> {
    let digits = version.strip_prefix('v')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.starts_with('0') {
        return None;
    }
    digits.parse().ok()
}

fn build(
    c: &mut Checker,
    raw: RawQuestionnaire,
    path: &Path,
    content_hash: String,
    known_coalitions: &HashSet<String>,
) -> Option<Questionnaire> {
    c.code_id(&raw.slug, "questionnaire", "questionnaire");
    // The file's place says which questionnaire and version it is; the fields must agree.
    let folder = path
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|s| s.to_str());
    let stem = path.file_stem().and_then(|s| s.to_str());
    if let Some(folder) = folder
        && folder != raw.slug
    {
        c.error(
            Some(&raw.slug),
            [
                format!(
                    "`slug = \"{}\"` ne correspond pas au dossier « {folder} »",
                    raw.slug
                ),
                format!(
                    "`slug = \"{}\"` does not match the folder \"{folder}\"",
                    raw.slug
                ),
            ],
            [
                format!(
                    "mettez `slug = \"{folder}\"` ou rangez le fichier dans questionnaires/{}/",
                    raw.slug
                ),
                format!(
                    "set `slug = \"{folder}\"` or move the file to questionnaires/{}/",
                    raw.slug
                ),
            ],
        );
    }
    let version_number = version_number(&raw.version);
    if version_number.is_none() {
        c.error(
            Some(&raw.version),
            [
                format!(
                    "la version « {} » n'est pas de la forme v1, v2, …",
                    raw.version
                ),
                format!("version \"{}\" is not of the form v1, v2, …", raw.version),
            ],
            [
                "écrivez `version = \"v1\"` (puis v2, v3…)".into(),
                "write `version = \"v1\"` (then v2, v3…)".into(),
            ],
        );
    }
    if let Some(stem) = stem
        && stem != raw.version
    {
        c.error(
            Some(&raw.version),
            [
                format!(
                    "`version = \"{}\"` ne correspond pas au nom du fichier « {stem}.toml »",
                    raw.version
                ),
                format!(
                    "`version = \"{}\"` does not match the file name \"{stem}.toml\"",
                    raw.version
                ),
            ],
            [
                format!(
                    "nommez le fichier {}.toml, ou mettez `version = \"{stem}\"`",
                    raw.version
                ),
                format!(
                    "name the file {}.toml, or set `version = \"{stem}\"`",
                    raw.version
                ),
            ],
        );
    }
    if let Some(previous) = &raw.previous {
        match (version_number, self::version_number(previous)) {
            (Some(v), Some(p)) if p < v => {}
            _ => c.error(
                Some(previous),
                [
                    format!("`previous = \"{previous}\"` doit nommer une version antérieure à {}", raw.version),
                    format!("`previous = \"{previous}\"` must name a version earlier than {}", raw.version),
                ],
                [
                    "nommez la version que celle-ci remplace, par exemple `previous = \"v1\"` dans v2.toml".into(),
                    "name the version this one replaces, e.g. `previous = \"v1\"` in v2.toml".into(),
                ],
            ),
        }
    }
    let audience = Audience::from_code(&raw.audience);
    if audience.is_none() {
        c.error(
            None,
            [
                format!("public « {} » inconnu", raw.audience),
                format!("unknown audience \"{}\"", raw.audience),
            ],
            [
                format!("choisissez `audience` parmi : {}", Audience::codes_list()),
                format!("choose `audience` among: {}", Audience::codes_list()),
            ],
        );
    }
    let licence = raw.licence.unwrap_or_else(|| "CC-BY-4.0".to_owned());
    if licence.trim().is_empty() {
        c.error(
            None,
            ["la licence est vide".into(), "the licence is empty".into()],
            [
                "retirez `licence` (CC-BY-4.0 par défaut) ou donnez un identifiant SPDX".into(),
                "remove `licence` (CC-BY-4.0 by default) or give an SPDX id".into(),
            ],
        );
    }
    let title = c.text(&raw.title, "title", None);
    let introduction = c.text(&raw.introduction, "introduction", None);

    // Roles.
    if raw.roles.is_empty() {
        c.error(
            None,
            [
                "aucun rôle de répondant n'est défini".into(),
                "no respondent role is defined".into(),
            ],
            [
                "ajoutez au moins un `[[roles]]` avec `id` et `label`".into(),
                "add at least one `[[roles]]` with `id` and `label`".into(),
            ],
        );
    }
    let mut role_ids = HashSet::new();
    let mut roles = Vec::new();
    for role in &raw.roles {
        c.code_id(&role.id, "rôle", "role");
        if !role_ids.insert(role.id.as_str()) {
            c.error(
                Some(&role.id),
                [
                    format!("le rôle « {} » est défini deux fois", role.id),
                    format!("role \"{}\" is defined twice", role.id),
                ],
                [
                    "donnez à chaque rôle un `id` distinct".into(),
                    "give each role a distinct `id`".into(),
                ],
            );
        }
        let label = c.text(&role.label, "label", Some(&role.id));
        roles.push(Role {
            id: role.id.clone(),
            label,
        });
    }

    // Scales.
    let mut scales = std::collections::BTreeMap::new();
    for (name, scale) in &raw.scales {
        let n = scale.labels.len();
        if !(2..=11).contains(&n) {
            c.error(
                Some(name),
                [
                    format!("l'échelle « {name} » a {n} points ; il en faut de 2 à 11"),
                    format!("scale \"{name}\" has {n} points; it needs 2 to 11"),
                ],
                [
                    "donnez de 2 à 11 `labels`, du plus bas au plus haut".into(),
                    "give 2 to 11 `labels`, lowest first".into(),
                ],
            );
        }
        let labels: Vec<_> = scale
            .labels
            .iter()
            .map(|l| c.text(l, "labels", Some(name)))
            .collect();
        scales.insert(name.clone(), labels);
    }

    // Questions.
    if raw.questions.is_empty() {
        c.error(
            None,
            [
                "le questionnaire n'a aucune question".into(),
                "the questionnaire has no question".into(),
            ],
            [
                "ajoutez des `[[questions]]`".into(),
                "add `[[questions]]`".into(),
            ],
        );
    }
    let mut question_ids = HashSet::new();
    let mut same_as_seen: HashSet<&str> = HashSet::new();
    let mut used_scales = BTreeSet::new();
    let mut questions = Vec::new();
    for rq in &raw.questions {
        let id = rq.id.as_str();
        c.code_id(id, "question", "question");
        if !question_ids.insert(id) {
            c.error(
                Some(id),
                [
                    format!("l'identifiant « {id} » est utilisé par plusieurs questions"),
                    format!("id \"{id}\" is used by several questions"),
                ],
                [
                    "donnez à chaque question un `id` distinct et stable".into(),
                    "give each question a distinct, stable `id`".into(),
                ],
            );
        }
        if let Some(same_as) = &rq.same_as {
            if raw.previous.is_none() {
                c.error(
                    Some(id),
                    [
                        format!("`same_as = \"{same_as}\"` sans `previous` : on ne sait pas à quelle version il renvoie"),
                        format!("`same_as = \"{same_as}\"` without `previous`: there is no version it points to"),
                    ],
                    [
                        "ajoutez `previous = \"v…\"` en tête du fichier, ou retirez `same_as`".into(),
                        "add `previous = \"v…\"` at the top of the file, or remove `same_as`".into(),
                    ],
                );
            }
            if !same_as_seen.insert(same_as.as_str()) {
                c.error(
                    Some(id),
                    [
                        format!("plusieurs questions reprennent la même question « {same_as} » de la version précédente"),
                        format!("several questions continue the same question \"{same_as}\" of the previous version"),
                    ],
                    [
                        "une question précédente ne se prolonge qu'en une seule question ; retirez les autres `same_as`".into(),
                        "a previous question continues in one question only; remove the other `same_as`".into(),
                    ],
                );
            }
        }
        if let Some(q) = build_question(c, rq, &scales, &mut used_scales) {
            questions.push(q);
        }
    }
    for name in scales.keys() {
        if !used_scales.contains(name.as_str()) {
            c.warning(
                Some(name),
                [
                    format!("l'échelle « {name} » n'est utilisée par aucune question"),
                    format!("scale \"{name}\" is used by no question"),
                ],
                [
                    "retirez-la, ou utilisez-la".into(),
                    "remove it, or use it".into(),
                ],
            );
        }
    }

    // Coverage of qualities and cells by scored questions.
    let mut cells = [[0usize; 3]; 7];
    for q in questions.iter().filter(|q| q.is_scored()) {
        cells[q.quality.index()][q.dimension.index()] += 1;
    }
    for &quality in Quality::ALL {
        let row = cells[quality.index()];
        if row.iter().sum::<usize>() == 0 {
            c.error(
                Some(quality.code()),
                [
                    format!("la qualité « {} » n'a aucune question notée : son score serait toujours indéfini", quality.code()),
                    format!("quality \"{}\" has no scored question: its score would always be undefined", quality.code()),
                ],
                [
                    format!("ajoutez au moins une question notée avec `quality = \"{}\"`", quality.code()),
                    format!("add at least one scored question with `quality = \"{}\"`", quality.code()),
                ],
            );
            continue;
        }
        for &dimension in Dimension::ALL {
            if row[dimension.index()] == 0 {
                c.warning(
                    Some(&format!("{}×{}", quality.code(), dimension.code())),
                    [
                        format!(
                            "aucune question notée pour « {} » × « {} » : cette case restera vide",
                            quality.code(),
                            dimension.code()
                        ),
                        format!(
                            "no scored question for \"{}\" × \"{}\": this cell will stay empty",
                            quality.code(),
                            dimension.code()
                        ),
                    ],
                    [
                        "ajoutez une question sur ce levier pour cette qualité, si elle a du sens"
                            .into(),
                        "add a question on this lever for this quality, if it makes sense".into(),
                    ],
                );
            }
        }
    }

    // Recommendations.
    let mut recommendations = Vec::new();
    for (n, rr) in raw.recommendations.iter().enumerate() {
        let label = format!("recommendations[{}]", n + 1);
        if let Some(r) = build_recommendation(c, rr, &label, &questions, known_coalitions) {
            recommendations.push(r);
        }
    }

    Some(Questionnaire {
        slug: raw.slug,
        version: raw.version,
        version_number: version_number?,
        previous: raw.previous,
        audience: audience?,
        licence,
        estimated_minutes: raw.estimated_minutes,
        title,
        introduction,
        roles,
        questions,
        recommendations,
        path: path.to_path_buf(),
        content_hash,
    })
}

fn build_question(
    c: &mut Checker,
    rq: &RawQuestion,
    scales: &std::collections::BTreeMap<String, Vec<LocalizedText>>,
    used_scales: &mut BTreeSet<String>,
) -> Option<Question> {
    let id = rq.id.as_str();
    let quality = Quality::from_code(&rq.quality);
    if quality.is_none() {
        c.error(
            Some(id),
            [
                format!("qualité « {} » inconnue", rq.quality),
                format!("unknown quality \"{}\"", rq.quality),
            ],
            [
                format!("choisissez `quality` parmi : {}", Quality::codes_list()),
                format!("choose `quality` among: {}", Quality::codes_list()),
            ],
        );
    }
    let dimension = Dimension::from_code(&rq.dimension);
    if dimension.is_none() {
        c.error(
            Some(id),
            [
                format!("dimension « {} » inconnue", rq.dimension),
                format!("unknown dimension \"{}\"", rq.dimension),
            ],
            [
                format!("choisissez `dimension` parmi : {}", Dimension::codes_list()),
                format!("choose `dimension` among: {}", Dimension::codes_list()),
            ],
        );
    }
    let text = c.text(&rq.text, "text", Some(id));
    let why = match &rq.why {
        Some(why) => c.text(why, "why", Some(id)),
        None => {
            c.error(
                Some(id),
                [
                    "il manque `why` : pourquoi cette question compte".into(),
                    "`why` is missing: why this question matters".into(),
                ],
                [
                    "ajoutez `why = { fr = \"…\", en = \"…\" }` en une ou deux phrases".into(),
                    "add `why = { fr = \"…\", en = \"…\" }` in one or two sentences".into(),
                ],
            );
            LocalizedText::default()
        }
    };
    let help = rq.help.as_ref().map(|h| c.text(h, "help", Some(id)));
    let is_text = rq.kind == "text";
    let weight = match rq.weight {
        Some(_) if is_text => {
            c.extraneous(id, "text", "weight", true);
            1.0
        }
        Some(w) if !(w.is_finite() && w > 0.0) => {
            c.error(
                Some(id),
                [
                    format!("le poids vaut {w} ; il doit être strictement positif"),
                    format!("weight is {w}; it must be greater than 0"),
                ],
                [
                    "donnez `weight` > 0 (1 par défaut), ou retirez-le".into(),
                    "give `weight` > 0 (1 by default), or remove it".into(),
                ],
            );
            1.0
        }
        Some(w) => w,
        None => 1.0,
    };
    let not_applicable = match rq.not_applicable.as_deref() {
        None | Some("no") => NotApplicable::No,
        Some("allowed") => NotApplicable::Allowed,
        Some("justified") => NotApplicable::Justified,
        Some(other) => {
            c.error(
                Some(id),
                [
                    format!("`not_applicable = \"{other}\"` n'est pas reconnu"),
                    format!("`not_applicable = \"{other}\"` is not recognised"),
                ],
                [
                    "choisissez \"no\", \"allowed\" ou \"justified\" (justification exigée)".into(),
                    "choose \"no\", \"allowed\" or \"justified\" (justification required)".into(),
                ],
            );
            NotApplicable::No
        }
    };
    if is_text && rq.dont_know == Some(true) {
        c.extraneous(id, "text", "dont_know", true);
    }
    let dont_know = !is_text && rq.dont_know.unwrap_or(true);

    let kind = build_kind(c, rq, scales, used_scales)?;
    Some(Question {
        id: rq.id.clone(),
        quality: quality?,
        dimension: dimension?,
        text,
        why,
        help,
        weight,
        not_applicable,
        dont_know,
        same_as: rq.same_as.clone(),
        kind,
    })
}

fn build_kind(
    c: &mut Checker,
    rq: &RawQuestion,
    scales: &std::collections::BTreeMap<String, Vec<LocalizedText>>,
    used_scales: &mut BTreeSet<String>,
) -> Option<QuestionKind> {
    let id = rq.id.as_str();
    let kind = rq.kind.as_str();
    let has_options = rq.options.is_some();
    let has_yes_no = rq.yes_score.is_some() || rq.no_score.is_some();
    let has_number =
        rq.unit.is_some() || rq.min.is_some() || rq.max.is_some() || rq.thresholds.is_some();
    let known = ["scale", "single", "multiple", "yes_no", "number", "text"];
    if !known.contains(&kind) {
        c.error(
            Some(id),
            [
                format!("type de question « {kind} » inconnu"),
                format!("unknown question kind \"{kind}\""),
            ],
            [
                format!("choisissez `kind` parmi : {}", known.join(", ")),
                format!("choose `kind` among: {}", known.join(", ")),
            ],
        );
        return None;
    }
    c.extraneous(id, kind, "scale", kind != "scale" && rq.scale.is_some());
    c.extraneous(
        id,
        kind,
        "options",
        !matches!(kind, "single" | "multiple") && has_options,
    );
    c.extraneous(
        id,
        kind,
        "yes_score/no_score",
        kind != "yes_no" && has_yes_no,
    );
    c.extraneous(
        id,
        kind,
        "unit/min/max/thresholds",
        kind != "number" && has_number,
    );

    match kind {
        "scale" => {
            let Some(name) = &rq.scale else {
                c.error(
                    Some(id),
                    [
                        "une question `scale` doit nommer son échelle".into(),
                        "a `scale` question must name its scale".into(),
                    ],
                    [
                        "ajoutez `scale = \"<nom>\"` et définissez `[scales.<nom>]`".into(),
                        "add `scale = \"<name>\"` and define `[scales.<name>]`".into(),
                    ],
                );
                return None;
            };
            used_scales.insert(name.clone());
            match scales.get(name) {
                Some(labels) => Some(QuestionKind::Scale {
                    scale: name.clone(),
                    labels: labels.clone(),
                }),
                None => {
                    c.error(
                        Some(id),
                        [
                            format!("l'échelle « {name} » n'est pas définie"),
                            format!("scale \"{name}\" is not defined"),
                        ],
                        [
                            format!(
                                "définissez `[scales.{name}]` avec ses `labels`, ou corrigez le nom"
                            ),
                            format!("define `[scales.{name}]` with its `labels`, or fix the name"),
                        ],
                    );
                    None
                }
            }
        }
        "single" | "multiple" => {
            let options = build_options(c, id, rq.options.as_deref().unwrap_or_default());
            if kind == "single" && options.iter().any(|o| o.exclusive) {
                c.extraneous(id, "single", "exclusive", true);
            }
            if kind == "single" {
                Some(QuestionKind::Single { options })
            } else {
                Some(QuestionKind::Multiple { options })
            }
        }
        "yes_no" => {
            let yes_score = rq.yes_score.unwrap_or(1.0);
            let no_score = rq.no_score.unwrap_or(0.0);
            c.score(yes_score, "yes_score", id);
            c.score(no_score, "no_score", id);
            Some(QuestionKind::YesNo {
                yes_score,
                no_score,
            })
        }
        "number" => {
            let unit = rq.unit.as_ref().map(|u| c.text(u, "unit", Some(id)));
            if let (Some(min), Some(max)) = (rq.min, rq.max)
                && min >= max
            {
                c.error(
                    Some(id),
                    [
                        format!("`min` ({min}) n'est pas inférieur à `max` ({max})"),
                        format!("`min` ({min}) is not below `max` ({max})"),
                    ],
                    ["donnez `min` < `max`".into(), "give `min` < `max`".into()],
                );
            }
            let raw_thresholds = rq.thresholds.as_deref().unwrap_or_default();
            if raw_thresholds.len() < 2 {
                c.error(
                    Some(id),
                    [
                        "une question `number` a besoin d'au moins deux seuils de notation".into(),
                        "a `number` question needs at least two scoring thresholds".into(),
                    ],
                    [
                        "ajoutez `thresholds = [{ value = 0, score = 0.0 }, { value = 100, score = 1.0 }]`".into(),
                        "add `thresholds = [{ value = 0, score = 0.0 }, { value = 100, score = 1.0 }]`".into(),
                    ],
                );
            }
            let mut thresholds = Vec::new();
            for t in raw_thresholds {
                c.score(t.score, "thresholds.score", id);
                if let Some(last) = thresholds.last().map(|t: &Threshold| t.value)
                    && t.value.partial_cmp(&last) != Some(std::cmp::Ordering::Greater)
                {
                    c.error(
                        Some(id),
                        [
                            format!(
                                "les seuils ne sont pas strictement croissants ({} après {last})",
                                t.value
                            ),
                            format!(
                                "thresholds are not strictly increasing ({} after {last})",
                                t.value
                            ),
                        ],
                        [
                            "rangez les seuils par `value` croissante, sans doublon".into(),
                            "order thresholds by increasing `value`, without repeats".into(),
                        ],
                    );
                }
                if !t.value.is_finite() {
                    c.error(
                        Some(id),
                        [
                            "un seuil n'est pas un nombre fini".into(),
                            "a threshold is not a finite number".into(),
                        ],
                        ["donnez un nombre".into(), "give a number".into()],
                    );
                }
                thresholds.push(Threshold {
                    value: t.value,
                    score: t.score,
                });
            }
            Some(QuestionKind::Number {
                unit,
                min: rq.min,
                max: rq.max,
                thresholds,
            })
        }
        _ => Some(QuestionKind::Text),
    }
}

fn build_options(c: &mut Checker, id: &str, raw: &[RawOption]) -> Vec<Choice> {
    if raw.len() < 2 {
        c.error(
            Some(id),
            [
                format!(
                    "la question a {} option(s) ; il en faut au moins 2",
                    raw.len()
                ),
                format!(
                    "the question has {} option(s); it needs at least 2",
                    raw.len()
                ),
            ],
            [
                "ajoutez des `[[questions.options]]` avec `id`, `label` et `score`".into(),
                "add `[[questions.options]]` with `id`, `label` and `score`".into(),
            ],
        );
    }
    let mut seen = HashSet::new();
    raw.iter()
        .map(|o| {
            let option_id = format!("{id}/{}", o.id);
            c.code_id(&o.id, "option", "option");
            if !seen.insert(o.id.as_str()) {
                c.error(
                    Some(&option_id),
                    [
                        format!("l'option « {} » apparaît deux fois", o.id),
                        format!("option \"{}\" appears twice", o.id),
                    ],
                    [
                        "donnez à chaque option un `id` distinct".into(),
                        "give each option a distinct `id`".into(),
                    ],
                );
            }
            c.score(o.score, "score", &option_id);
            Choice {
                id: o.id.clone(),
                label: c.text(&o.label, "label", Some(&option_id)),
                score: o.score,
                exclusive: o.exclusive,
            }
        })
        .collect()
}

fn build_recommendation(
    c: &mut Checker,
    rr: &RawRecommendation,
    label: &str,
    questions: &[Question],
    known_coalitions: &HashSet<String>,
) -> Option<Recommendation> {
    let text = c.text(&rr.text, "text", Some(label));
    let mut links = Vec::new();
    for link in &rr.links {
        if !(link.url.starts_with("https://") || link.url.starts_with("http://")) {
            c.error(
                Some(label),
                [
                    format!("le lien « {} » n'est pas une adresse web", link.url),
                    format!("link \"{}\" is not a web address", link.url),
                ],
                [
                    "donnez une adresse complète commençant par https://".into(),
                    "give a full address starting with https://".into(),
                ],
            );
        }
        links.push(Link {
            label: c.text(&link.label, "links.label", Some(label)),
            url: link.url.clone(),
        });
    }
    for slug in &rr.coalitions {
        if !known_coalitions.contains(slug) {
            c.error(
                Some(label),
                [
                    format!("coalition « {slug} » inconnue"),
                    format!("unknown coalition \"{slug}\""),
                ],
                [
                    "utilisez un `slug` de src/domain/coalitions.toml".into(),
                    "use a `slug` from src/domain/coalitions.toml".into(),
                ],
            );
        }
    }
    let target = match (&rr.quality, &rr.levels, &rr.question, &rr.answers) {
        (Some(quality), levels, None, None) => {
            let parsed = Quality::from_code(quality);
            if parsed.is_none() {
                c.error(
                    Some(label),
                    [
                        format!("qualité « {quality} » inconnue"),
                        format!("unknown quality \"{quality}\""),
                    ],
                    [
                        format!("choisissez parmi : {}", Quality::codes_list()),
                        format!("choose among: {}", Quality::codes_list()),
                    ],
                );
            }
            let levels = levels.as_deref().unwrap_or_default();
            if levels.is_empty() {
                c.error(
                    Some(label),
                    [
                        "une recommandation par qualité doit dire à quels niveaux elle s'applique"
                            .into(),
                        "a recommendation for a quality must say at which levels it applies".into(),
                    ],
                    [
                        format!("ajoutez `levels = [...]` parmi : {}", Level::codes_list()),
                        format!("add `levels = [...]` among: {}", Level::codes_list()),
                    ],
                );
            }
            let mut parsed_levels = Vec::new();
            for level in levels {
                match Level::from_code(level) {
                    Some(l) => parsed_levels.push(l),
                    None => c.error(
                        Some(label),
                        [
                            format!("niveau « {level} » inconnu"),
                            format!("unknown level \"{level}\""),
                        ],
                        [
                            format!("choisissez parmi : {}", Level::codes_list()),
                            format!("choose among: {}", Level::codes_list()),
                        ],
                    ),
                }
            }
            RecommendationTarget::Quality {
                quality: parsed?,
                levels: parsed_levels,
            }
        }
        (None, None, Some(question), answers) => {
            let answers = answers.clone().unwrap_or_default();
            match questions.iter().find(|q| &q.id == question) {
                None => c.error(
                    Some(label),
                    [
                        format!("la question « {question} » n'existe pas dans ce fichier"),
                        format!("question \"{question}\" does not exist in this file"),
                    ],
                    [
                        "corrigez l'identifiant de `question`".into(),
                        "fix the `question` id".into(),
                    ],
                ),
                Some(q) => {
                    let accepted = q.canonical_values();
                    if accepted.is_empty() {
                        c.error(
                            Some(label),
                            [
                                format!(
                                    "la question « {question} » ({}) n'a pas de réponses à nommer",
                                    q.kind.code()
                                ),
                                format!(
                                    "question \"{question}\" ({}) has no answers to name",
                                    q.kind.code()
                                ),
                            ],
                            [
                                "rattachez la recommandation à une qualité (`quality` et `levels`)"
                                    .into(),
                                "attach the recommendation to a quality (`quality` and `levels`)"
                                    .into(),
                            ],
                        );
                    }
                    if answers.is_empty() {
                        c.error(
                            Some(label),
                            [
                                "`answers` manque ou est vide".into(),
                                "`answers` is missing or empty".into(),
                            ],
                            [
                                format!(
                                    "nommez les réponses qui la déclenchent parmi : {}",
                                    accepted.join(", ")
                                ),
                                format!(
                                    "name the answers that trigger it among: {}",
                                    accepted.join(", ")
                                ),
                            ],
                        );
                    }
                    for a in &answers {
                        if !accepted.is_empty() && !accepted.contains(a) {
                            c.error(
                                Some(label),
                                [
                                    format!(
                                        "« {a} » n'est pas une réponse possible à « {question} »"
                                    ),
                                    format!("\"{a}\" is not a possible answer to \"{question}\""),
                                ],
                                [
                                    format!("choisissez parmi : {}", accepted.join(", ")),
                                    format!("choose among: {}", accepted.join(", ")),
                                ],
                            );
                        }
                    }
                }
            }
            RecommendationTarget::Answers {
                question: question.clone(),
                answers,
            }
        }
        _ => {
            c.error(
                Some(label),
                ["une recommandation vise soit une qualité (`quality`, `levels`), soit des réponses (`question`, `answers`)".into(), "a recommendation targets either a quality (`quality`, `levels`) or answers (`question`, `answers`)".into()],
                ["gardez l'une des deux paires de champs".into(), "keep one of the two pairs of fields".into()],
            );
            return None;
        }
    };
    Some(Recommendation {
        target,
        text,
        links,
        coalitions: rr.coalitions.clone(),
    })
}
