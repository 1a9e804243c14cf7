//! Each rule of the questionnaire format, broken once in a file on disk: the check names the
//! file, the offending id and what to fix, and reports every problem at once.

use reset_eval::domain::questionnaire::registry::LoadReport;
use reset_eval::domain::questionnaire::{Problem, Registry, Severity};
use reset_eval::domain::{Dimension, Quality};
use std::collections::HashSet;
use std::path::Path;
use tempfile::TempDir;

/// A valid questionnaire: one scale question per quality × dimension, both languages.
fn valid(slug: &str, version: &str, previous: Option<&str>) -> String {
    let mut s = format!(
        "slug = \"{slug}\"\nversion = \"{version}\"\n{}audience = \"organisation\"\n\
         title = {{ fr = \"Titre\", en = \"Title\" }}\n\
         introduction = {{ fr = \"Intro\", en = \"Intro\" }}\n\n\
         [[roles]]\nid = \"direction\"\nlabel = {{ fr = \"Direction\", en = \"Management\" }}\n\n\
         [scales.accord]\nlabels = [{{ fr = \"Non\", en = \"No\" }}, {{ fr = \"Un peu\", en = \"A little\" }}, {{ fr = \"Oui\", en = \"Yes\" }}]\n",
        previous
            .map(|p| format!("previous = \"{p}\"\n"))
            .unwrap_or_default()
    );
    for quality in Quality::ALL {
        for dimension in Dimension::ALL {
            s.push_str(&format!(
                "\n[[questions]]\nid = \"{q}-{d}\"\nquality = \"{q}\"\ndimension = \"{d}\"\nkind = \"scale\"\nscale = \"accord\"\n\
                 text = {{ fr = \"Question {q} {d}\", en = \"Question {q} {d}\" }}\n\
                 why = {{ fr = \"Parce que.\", en = \"Because.\" }}\n",
                q = quality.code(),
                d = dimension.code()
            ));
        }
    }
    s
}

fn load(files: &[(&str, &str)]) -> (TempDir, LoadReport) {
    let dir = TempDir::new().expect("temp dir");
    for (path, content) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, content).expect("write");
    }
    let coalitions: HashSet<String> = ["achat-public-responsable".to_owned()].into();
    let report = Registry::load(dir.path(), &coalitions);
    (dir, report)
}

fn errors(report: &LoadReport) -> Vec<&Problem> {
    report
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .collect()
}

/// The single error of a file with one mistake: it names the file and the id.
fn single_error<'a>(report: &'a LoadReport, dir: &Path, file: &str, id: &str) -> &'a Problem {
    let errors = errors(report);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let problem = errors[0];
    assert_eq!(problem.path, dir.join(file));
    assert_eq!(problem.id.as_deref(), Some(id), "{problem:#?}");
    assert!(!problem.fix.fr.is_empty() && !problem.fix.en.is_empty());
    problem
}

const FILE: &str = "test/v1.toml";

#[test]
fn a_valid_file_has_no_problem() {
    let (_dir, report) = load(&[(FILE, &valid("test", "v1", None))]);
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
    assert_eq!(report.registry.all().count(), 1);
}

#[test]
fn a_syntax_error_is_reported_with_its_line() {
    let broken = valid("test", "v1", None).replace("kind = \"scale\"\n", "kind = \"scale\n");
    let (_dir, report) = load(&[(FILE, &broken)]);
    let problem = errors(&report)[0];
    assert!(problem.what.en.contains("line"), "{}", problem.what.en);
}

#[test]
fn an_unknown_field_is_refused() {
    let broken = valid("test", "v1", None).replacen(
        "kind = \"scale\"",
        "kind = \"scale\"\nponderation = 2",
        1,
    );
    let (_dir, report) = load(&[(FILE, &broken)]);
    assert!(
        errors(&report)[0].what.en.contains("ponderation"),
        "{:#?}",
        report.problems
    );
}

#[test]
fn a_duplicate_question_id_is_refused() {
    let broken =
        valid("test", "v1", None).replace("id = \"frugal-offre\"", "id = \"frugal-commande\"");
    let (dir, report) = load(&[(FILE, &broken)]);
    let problem = single_error(&report, dir.path(), FILE, "frugal-commande");
    assert!(problem.what.fr.contains("plusieurs questions"));
}

#[test]
fn an_unknown_quality_is_refused_with_the_accepted_codes() {
    let broken = valid("test", "v1", None).replacen(
        "quality = \"frugal\"\ndimension = \"usages\"",
        "quality = \"sobre\"\ndimension = \"usages\"",
        1,
    );
    let (dir, report) = load(&[(FILE, &broken)]);
    let problem = single_error(&report, dir.path(), FILE, "frugal-usages");
    assert!(
        problem.fix.fr.contains("inclusif, frugal, democratique"),
        "{}",
        problem.fix.fr
    );
}

#[test]
fn an_unknown_dimension_is_refused() {
    let broken =
        valid("test", "v1", None).replacen("dimension = \"offre\"", "dimension = \"design\"", 1);
    let (dir, report) = load(&[(FILE, &broken)]);
    single_error(&report, dir.path(), FILE, "inclusif-offre");
}

#[test]
fn a_quality_with_no_scored_question_is_an_error_and_an_empty_cell_a_warning() {
    let mut file = valid("test", "v1", None);
    // Innovant loses its three questions; equitable loses only its "offre" question.
    for d in ["commande", "offre", "usages"] {
        file = file.replace(
            &format!(
                "quality = \"innovant\"\ndimension = \"{d}\"\nkind = \"scale\"\nscale = \"accord\""
            ),
            &format!("quality = \"innovant\"\ndimension = \"{d}\"\nkind = \"text\""),
        );
    }
    file = file.replace(
        "quality = \"equitable\"\ndimension = \"offre\"\nkind = \"scale\"\nscale = \"accord\"",
        "quality = \"equitable\"\ndimension = \"offre\"\nkind = \"text\"",
    );
    let (dir, report) = load(&[(FILE, &file)]);
    let problem = single_error(&report, dir.path(), FILE, "innovant");
    assert!(problem.what.en.contains("no scored question"));
    let warnings: Vec<_> = report
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Warning)
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert_eq!(warnings[0].id.as_deref(), Some("equitable×offre"));
}

#[test]
fn a_score_outside_0_1_is_refused() {
    let broken = valid("test", "v1", None).replacen(
        "kind = \"scale\"\nscale = \"accord\"",
        "kind = \"single\"\noptions = [{ id = \"a\", label = { fr = \"A\", en = \"A\" }, score = 0.0 }, { id = \"b\", label = { fr = \"B\", en = \"B\" }, score = 1.5 }]",
        1,
    );
    let (dir, report) = load(&[(FILE, &broken)]);
    let problem = single_error(&report, dir.path(), FILE, "inclusif-commande/b");
    assert!(problem.what.en.contains("1.5"));
}

#[test]
fn a_missing_translation_is_refused() {
    let broken =
        valid("test", "v1", None).replacen("en = \"Question frugal offre\"", "en = \"\"", 1);
    let (dir, report) = load(&[(FILE, &broken)]);
    let problem = single_error(&report, dir.path(), FILE, "frugal-offre");
    assert!(
        problem.what.en.contains("`en` translation of `text`"),
        "{}",
        problem.what.en
    );
}

#[test]
fn a_same_as_that_the_previous_version_lacks_is_refused() {
    let v2 = valid("test", "v2", Some("v1")).replacen(
        "id = \"frugal-offre\"",
        "id = \"frugal-offre\"\nsame_as = \"frugal-ofre\"",
        1,
    );
    let (dir, report) = load(&[(FILE, &valid("test", "v1", None)), ("test/v2.toml", &v2)]);
    let problem = single_error(&report, dir.path(), "test/v2.toml", "frugal-offre");
    assert!(problem.what.fr.contains("frugal-ofre"));
    // The broken version is not served; the sound one is.
    assert!(report.registry.get("test", "v2").is_none());
    assert!(report.registry.get("test", "v1").is_some());
}

#[test]
fn a_missing_previous_version_is_refused() {
    let v2 = valid("test", "v2", Some("v1"));
    let (dir, report) = load(&[("test/v2.toml", &v2)]);
    single_error(&report, dir.path(), "test/v2.toml", "v1");
}

#[test]
fn slug_and_version_must_match_the_file_place() {
    let (dir, report) = load(&[("autre/v2.toml", &valid("test", "v1", None))]);
    let errors = errors(&report);
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(
        errors
            .iter()
            .all(|p| p.path == dir.path().join("autre/v2.toml"))
    );
}

#[test]
fn a_weight_of_zero_is_refused() {
    let broken = valid("test", "v1", None).replacen(
        "scale = \"accord\"",
        "scale = \"accord\"\nweight = 0",
        1,
    );
    let (dir, report) = load(&[(FILE, &broken)]);
    single_error(&report, dir.path(), FILE, "inclusif-commande");
}

#[test]
fn an_undefined_scale_is_refused() {
    let broken = valid("test", "v1", None).replacen("scale = \"accord\"", "scale = \"acord\"", 1);
    let (dir, report) = load(&[(FILE, &broken)]);
    let problem = single_error(&report, dir.path(), FILE, "inclusif-commande");
    assert!(problem.fix.fr.contains("[scales.acord]"));
}

#[test]
fn number_thresholds_must_increase() {
    let broken = valid("test", "v1", None).replacen(
        "kind = \"scale\"\nscale = \"accord\"",
        "kind = \"number\"\nthresholds = [{ value = 10, score = 0.0 }, { value = 5, score = 1.0 }]",
        1,
    );
    let (dir, report) = load(&[(FILE, &broken)]);
    single_error(&report, dir.path(), FILE, "inclusif-commande");
}

#[test]
fn recommendations_must_name_known_coalitions_and_possible_answers() {
    let mut file = valid("test", "v1", None);
    file.push_str(
        "\n[[recommendations]]\nquality = \"frugal\"\nlevels = [\"a_initier\"]\ntext = { fr = \"Faire\", en = \"Do\" }\ncoalitions = [\"achat-public-responsable\", \"inconnue\"]\n\
         \n[[recommendations]]\nquestion = \"frugal-offre\"\nanswers = [\"4\"]\ntext = { fr = \"Faire\", en = \"Do\" }\n",
    );
    let (_dir, report) = load(&[(FILE, &file)]);
    let errors = errors(&report);
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert_eq!(errors[0].id.as_deref(), Some("recommendations[1]"));
    assert!(errors[0].what.fr.contains("inconnue"));
    assert_eq!(errors[1].id.as_deref(), Some("recommendations[2]"));
    assert!(errors[1].fix.en.contains("1, 2, 3"), "{}", errors[1].fix.en);
}

#[test]
fn every_problem_of_a_file_is_reported_at_once() {
    let broken = valid("test", "v1", None)
        .replacen("quality = \"inclusif\"", "quality = \"inclusive\"", 1)
        .replacen(
            "scale = \"accord\"\ntext = { fr = \"Question frugal commande\"",
            "scale = \"accord\"\nweight = -1\ntext = { fr = \"Question frugal commande\"",
            1,
        )
        .replacen(
            "why = { fr = \"Parce que.\", en = \"Because.\" }",
            "why = { fr = \"Parce que.\" }",
            1,
        )
        .replacen(
            "audience = \"organisation\"",
            "audience = \"entreprises\"",
            1,
        );
    let (_dir, report) = load(&[(FILE, &broken)]);
    let errors = errors(&report);
    assert_eq!(errors.len(), 4, "{errors:#?}");
}

#[test]
fn every_shipped_questionnaire_meets_its_content_requirements() {
    let catalogue =
        reset_eval::domain::coalition::catalogue::Catalogue::shipped().expect("catalogue");
    let coalitions = catalogue
        .coalitions
        .iter()
        .map(|c| c.slug.clone())
        .collect();
    let report = Registry::load(&crate::helpers::shipped_questionnaires(), &coalitions);
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
    let count = |slug: &str| {
        report
            .registry
            .latest(slug)
            .expect(slug)
            .scored_questions()
            .count()
    };
    assert!(count("territoires") >= 42);
    assert!(count("organisations") >= 35);
    let territoires = report.registry.latest("territoires").expect("territoires");
    for quality in Quality::ALL {
        for dimension in Dimension::ALL {
            let n = territoires
                .scored_questions()
                .filter(|q| q.quality == *quality && q.dimension == *dimension)
                .count();
            assert!(
                n >= 2,
                "territoires: {} × {} has {n} questions",
                quality.code(),
                dimension.code()
            );
        }
    }
    for q in report.registry.all() {
        assert_eq!(q.licence, "CC-BY-4.0");
        for quality in Quality::ALL {
            assert!(q.recommendations.iter().any(|r| matches!(&r.target, reset_eval::domain::questionnaire::RecommendationTarget::Quality { quality: rq, .. } if rq == quality)), "{}: no recommendation for {}", q.key(), quality.code());
        }
    }
}
