//! Keeps the database's record of questionnaire versions in step with the files.
//!
//! A version is immutable once it has a response: the database holds each file's hash, and
//! a file that changed after its version was answered (or that disappeared) stops the start,
//! with the file named and the remedy: publish a new version. An unanswered version may be
//! edited; its new hash is simply recorded.

use crate::db::{self, NewVersion, Pool};
use crate::domain::i18n::LocalizedText;
use crate::domain::questionnaire::{Problem, Registry, Severity};
use std::path::{Path, PathBuf};

/// Records new and edited versions; returns every version that may not change but did.
pub async fn register_versions(
    pool: &Pool,
    registry: &Registry,
    questionnaires_dir: &Path,
) -> Result<Vec<Problem>, sqlx::Error> {
    let registered = db::registered_versions(pool).await?;
    let mut problems = Vec::new();
    for q in registry.all() {
        let known = registered
            .iter()
            .find(|r| r.slug == q.slug && r.version == q.version);
        if known.is_some_and(|r| r.content_hash == q.content_hash) {
            continue;
        }
        if known.is_some() {
            let responses = db::count_responses_of_version(pool, &q.slug, &q.version).await?;
            if responses > 0 {
                problems.push(changed_after_answers(
                    &q.path, &q.slug, &q.version, responses,
                ));
                continue;
            }
            tracing::info!(questionnaire = %q.key(), "unanswered version edited: new content recorded");
        }
        db::upsert_version(
            pool,
            &NewVersion {
                slug: &q.slug,
                version: &q.version,
                audience: q.audience.code(),
                title_fr: &q.title.fr,
                title_en: &q.title.en,
                content_hash: &q.content_hash,
            },
        )
        .await?;
    }
    for r in &registered {
        if registry.get(&r.slug, &r.version).is_none() {
            let responses = db::count_responses_of_version(pool, &r.slug, &r.version).await?;
            if responses > 0 {
                let path: PathBuf = questionnaires_dir
                    .join(&r.slug)
                    .join(format!("{}.toml", r.version));
                problems.push(missing_after_answers(&path, &r.slug, &r.version, responses));
            }
        }
    }
    Ok(problems)
}

fn changed_after_answers(path: &Path, slug: &str, version: &str, responses: i64) -> Problem {
    Problem {
        severity: Severity::Error,
        path: path.to_path_buf(),
        id: Some(format!("{slug}/{version}")),
        what: LocalizedText::new(
            format!(
                "ce fichier a changé alors que la version {version} a déjà {responses} réponse(s) : elle ne peut plus être modifiée"
            ),
            format!(
                "this file changed although version {version} already has {responses} response(s): it can no longer be modified"
            ),
        ),
        fix: LocalizedText::new(
            format!(
                "remettez le fichier tel qu'il était (git checkout), puis publiez vos changements dans une nouvelle version : copiez-le en v{{N+1}}.toml avec `previous = \"{version}\"` et des `same_as` (voir questionnaires/README.md)"
            ),
            format!(
                "restore the file as it was (git checkout), then publish your changes as a new version: copy it to v{{N+1}}.toml with `previous = \"{version}\"` and `same_as` links (see questionnaires/README.md)"
            ),
        ),
    }
}

fn missing_after_answers(path: &Path, slug: &str, version: &str, responses: i64) -> Problem {
    Problem {
        severity: Severity::Error,
        path: path.to_path_buf(),
        id: Some(format!("{slug}/{version}")),
        what: LocalizedText::new(
            format!(
                "la version {version} a {responses} réponse(s) mais son fichier est absent ou invalide : ces réponses ne pourraient plus être calculées"
            ),
            format!(
                "version {version} has {responses} response(s) but its file is missing or invalid: those responses could no longer be scored"
            ),
        ),
        fix: LocalizedText::new(
            "remettez le fichier de cette version, inchangé".to_owned(),
            "put this version's file back, unchanged".to_owned(),
        ),
    }
}
