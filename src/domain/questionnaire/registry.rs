//! Every questionnaire version found under the questionnaires folder, checked together.
//!
//! Loading reads `<dir>/<slug>/<version>.toml`, checks each file, then the links between
//! versions of one questionnaire: `previous` must exist, and each `same_as` must name a
//! question of that previous version. The registry also says which questions of two versions
//! can be compared.

use super::validate::{Checker, Problem, validate_file};
use super::{Audience, Questionnaire};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

/// The checked questionnaires, by slug, each slug's versions in ascending order.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    by_slug: BTreeMap<String, Vec<Arc<Questionnaire>>>,
}

/// What loading found: the usable questionnaires and every problem met.
#[derive(Debug)]
pub struct LoadReport {
    pub registry: Registry,
    pub problems: Vec<Problem>,
}

impl LoadReport {
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(Problem::is_error)
    }
}

/// Which questions of an earlier and a later version measure the same thing.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparability {
    /// `(index in the earlier version, index in the later version)` of scored questions.
    pub pairs: Vec<(usize, usize)>,
    /// Both sides are the same version: every scored question is comparable.
    pub same_version: bool,
}

impl Registry {
    /// Reads and checks every questionnaire under `dir`.
    pub fn load(dir: &Path, known_coalitions: &HashSet<String>) -> LoadReport {
        let mut problems = Vec::new();
        let mut found = Vec::new();
        let mut dir_checker = Checker::new(dir);
        match std::fs::read_dir(dir) {
            Err(e) => dir_checker.error(
                None,
                [
                    format!("le dossier des questionnaires ne se lit pas ({e})"),
                    format!("the questionnaires folder cannot be read ({e})"),
                ],
                [
                    "lancez la commande depuis la racine du projet, ou indiquez le dossier avec APP_QUESTIONNAIRES_DIR".into(),
                    "run the command from the project's root, or give the folder with APP_QUESTIONNAIRES_DIR".into(),
                ],
            ),
            Ok(entries) => {
                let mut folders: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
                folders.sort();
                for folder in folders {
                    if folder.is_file() && folder.extension().is_some_and(|e| e == "toml") {
                        Checker::new(&folder).warning(None, ["fichier ignoré".into(), "file ignored".into()], [
                            "un questionnaire se range dans questionnaires/<slug>/<version>.toml".into(),
                            "a questionnaire goes in questionnaires/<slug>/<version>.toml".into(),
                        ]);
                    }
                    if !folder.is_dir() {
                        continue;
                    }
                    let Ok(files) = std::fs::read_dir(&folder) else { continue };
                    let mut files: Vec<_> = files
                        .filter_map(Result::ok)
                        .map(|e| e.path())
                        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                        .collect();
                    files.sort();
                    for file in files {
                        match std::fs::read(&file) {
                            Ok(bytes) => {
                                let (q, mut file_problems) = validate_file(&file, &bytes, known_coalitions);
                                problems.append(&mut file_problems);
                                found.extend(q);
                            }
                            Err(e) => Checker::new(&file).error(
                                None,
                                [format!("le fichier ne se lit pas ({e})"), format!("the file cannot be read ({e})")],
                                ["vérifiez ses droits".into(), "check its permissions".into()],
                            ),
                        }
                    }
                }
                if found.is_empty() && problems.is_empty() {
                    dir_checker.error(
                        None,
                        ["aucun questionnaire trouvé".into(), "no questionnaire found".into()],
                        [
                            "ajoutez questionnaires/<slug>/v1.toml (voir questionnaires/README.md)".into(),
                            "add questionnaires/<slug>/v1.toml (see questionnaires/README.md)".into(),
                        ],
                    );
                }
            }
        }
        problems.append(&mut dir_checker.problems);

        let mut by_slug: BTreeMap<String, Vec<Arc<Questionnaire>>> = BTreeMap::new();
        for q in found {
            by_slug.entry(q.slug.clone()).or_default().push(Arc::new(q));
        }
        for versions in by_slug.values_mut() {
            versions.sort_by_key(|q| q.version_number);
        }
        let mut registry = Registry { by_slug };
        problems.extend(registry.check_links());
        // A version whose links are broken cannot be compared safely: keep only sound ones.
        let broken: HashSet<_> = problems
            .iter()
            .filter(|p| p.is_error())
            .map(|p| p.path.clone())
            .collect();
        for versions in registry.by_slug.values_mut() {
            versions.retain(|q| !broken.contains(&q.path));
        }
        registry.by_slug.retain(|_, v| !v.is_empty());
        LoadReport { registry, problems }
    }

    /// `previous` exists, `same_as` names a question of it, and all versions share an audience.
    fn check_links(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        for versions in self.by_slug.values() {
            let by_version: HashMap<&str, &Questionnaire> = versions
                .iter()
                .map(|q| (q.version.as_str(), q.as_ref()))
                .collect();
            for q in versions {
                let mut c = Checker::new(&q.path);
                if let Some(first) = versions.first()
                    && first.audience != q.audience
                {
                    c.error(
                        None,
                        [
                            format!("le public « {} » diffère de celui de {} (« {} »)", q.audience.code(), first.version, first.audience.code()),
                            format!("audience \"{}\" differs from {}'s (\"{}\")", q.audience.code(), first.version, first.audience.code()),
                        ],
                        [
                            "toutes les versions d'un questionnaire s'adressent au même public ; créez sinon un autre questionnaire".into(),
                            "all versions of a questionnaire address the same audience; otherwise create another questionnaire".into(),
                        ],
                    );
                }
                let previous = match &q.previous {
                    None => None,
                    Some(p) => match by_version.get(p.as_str()) {
                        Some(prev) => Some(*prev),
                        None => {
                            c.error(
                                Some(p),
                                [
                                    format!("la version précédente {p} est introuvable (ou invalide) dans questionnaires/{}/", q.slug),
                                    format!("previous version {p} is missing (or invalid) in questionnaires/{}/", q.slug),
                                ],
                                [
                                    format!("gardez {p}.toml à côté de {}.toml, ou corrigez `previous`", q.version),
                                    format!("keep {p}.toml beside {}.toml, or fix `previous`", q.version),
                                ],
                            );
                            None
                        }
                    },
                };
                if let Some(prev) = previous {
                    for question in &q.questions {
                        let Some(same_as) = &question.same_as else {
                            continue;
                        };
                        match prev.questions.iter().find(|p| &p.id == same_as) {
                            None => c.error(
                                Some(&question.id),
                                [
                                    format!("`same_as = \"{same_as}\"` : la version {} n'a pas de question « {same_as} »", prev.version),
                                    format!("`same_as = \"{same_as}\"`: version {} has no question \"{same_as}\"", prev.version),
                                ],
                                [
                                    format!("donnez l'identifiant exact d'une question de {}, ou retirez `same_as` si la question est nouvelle", prev.path.display()),
                                    format!("give the exact id of a question of {}, or remove `same_as` if the question is new", prev.path.display()),
                                ],
                            ),
                            Some(p) if p.is_scored() != question.is_scored() => c.error(
                                Some(&question.id),
                                [
                                    format!("`same_as = \"{same_as}\"` relie une question notée à une question non notée"),
                                    format!("`same_as = \"{same_as}\"` links a scored question to an unscored one"),
                                ],
                                ["ne reliez que des questions comparables".into(), "link only comparable questions".into()],
                            ),
                            Some(p) if p.quality != question.quality => c.warning(
                                Some(&question.id),
                                [
                                    format!("`same_as = \"{same_as}\"` relie deux qualités différentes ({} → {})", p.quality.code(), question.quality.code()),
                                    format!("`same_as = \"{same_as}\"` links two different qualities ({} → {})", p.quality.code(), question.quality.code()),
                                ],
                                [
                                    "les comparaisons la rangeront sous la qualité de la nouvelle version ; vérifiez que c'est voulu".into(),
                                    "comparisons will count it under the new version's quality; check this is intended".into(),
                                ],
                            ),
                            Some(_) => {}
                        }
                    }
                }
                problems.append(&mut c.problems);
            }
        }
        problems
    }

    pub fn get(&self, slug: &str, version: &str) -> Option<&Arc<Questionnaire>> {
        self.by_slug
            .get(slug)?
            .iter()
            .find(|q| q.version == version)
    }

    /// The newest version of a questionnaire: the one new diagnostics use.
    pub fn latest(&self, slug: &str) -> Option<&Arc<Questionnaire>> {
        self.by_slug.get(slug)?.last()
    }

    /// The newest version of each questionnaire, by slug.
    pub fn latest_all(&self) -> impl Iterator<Item = &Arc<Questionnaire>> {
        self.by_slug.values().filter_map(|v| v.last())
    }

    pub fn latest_for(&self, audience: Audience) -> impl Iterator<Item = &Arc<Questionnaire>> {
        self.latest_all().filter(move |q| q.audience == audience)
    }

    /// Every version of every questionnaire.
    pub fn all(&self) -> impl Iterator<Item = &Arc<Questionnaire>> {
        self.by_slug.values().flatten()
    }

    pub fn versions(&self, slug: &str) -> &[Arc<Questionnaire>] {
        self.by_slug
            .get(slug)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    pub fn is_empty(&self) -> bool {
        self.by_slug.is_empty()
    }

    /// Which scored questions of `earlier` and `later` can be compared.
    ///
    /// Within one version, all of them. Across versions of one questionnaire, only the
    /// questions linked by `same_as`, followed down the chain of `previous` versions; a
    /// question whose link breaks anywhere on the way is not comparable. `None` when the two
    /// are different questionnaires or `earlier` is not an ancestor of `later`.
    pub fn comparability(
        &self,
        earlier: &Questionnaire,
        later: &Questionnaire,
    ) -> Option<Comparability> {
        if earlier.slug != later.slug {
            return None;
        }
        if earlier.version == later.version {
            let pairs = (0..later.questions.len())
                .filter(|&i| later.questions[i].is_scored())
                .map(|i| (i, i))
                .collect();
            return Some(Comparability {
                pairs,
                same_version: true,
            });
        }
        // For each scored question of `later`, its index in the version being walked.
        let mut links: Vec<(usize, Option<usize>)> = (0..later.questions.len())
            .filter(|&i| later.questions[i].is_scored())
            .map(|i| (i, Some(i)))
            .collect();
        let mut current = self.get(&later.slug, &later.version)?.clone();
        while current.version != earlier.version {
            let previous = self
                .get(&current.slug, current.previous.as_deref()?)?
                .clone();
            for (_, link) in links.iter_mut() {
                *link = link.and_then(|i| {
                    let same_as = current.questions[i].same_as.as_deref()?;
                    previous.question_index(same_as)
                });
            }
            current = previous;
        }
        let pairs = links
            .into_iter()
            .filter_map(|(later_i, earlier_i)| Some((earlier_i?, later_i)))
            .collect();
        Some(Comparability {
            pairs,
            same_version: false,
        })
    }
}
