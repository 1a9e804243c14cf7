use crate::helpers::{copy_questionnaires, settings_for};
use reset_eval::app::demo;
use reset_eval::db;
use reset_eval::startup;
use tempfile::TempDir;

/// Questionnaires copied into a folder the test may edit, and a database of its own.
async fn editable() -> (TempDir, reset_eval::config::Settings) {
    let dir = TempDir::new().expect("temp dir");
    let questionnaires = dir.path().join("questionnaires");
    copy_questionnaires(&questionnaires);
    let settings = settings_for(&dir, questionnaires).await;
    (dir, settings)
}

fn append(path: &std::path::Path, text: &str) {
    let mut content = std::fs::read_to_string(path).expect("read");
    content.push_str(text);
    std::fs::write(path, content).expect("write");
}

#[tokio::test]
async fn serve_refuses_to_start_when_an_answered_version_changed_and_names_the_file() {
    let (_dir, settings) = editable().await;
    let state = startup::prepare(&settings).await.expect("first start");
    demo::load(&state.pool, &state.registry)
        .await
        .expect("responses exist");
    state.pool.close().await;

    let file = settings.questionnaires_dir.join("territoires/v1.toml");
    append(&file, "\n# une retouche après coup\n");
    let error = startup::prepare(&settings)
        .await
        .err()
        .expect("start refused")
        .to_string();
    assert!(error.contains(&file.display().to_string()), "{error}");
    assert!(error.contains("territoires/v1"), "{error}");
    assert!(error.contains("nouvelle version"), "{error}");
    // The other, unchanged versions are not accused.
    assert!(!error.contains("organisations/v1.toml"), "{error}");
}

#[tokio::test]
async fn an_unanswered_version_may_be_edited_and_its_new_hash_is_recorded() {
    let (_dir, settings) = editable().await;
    let state = startup::prepare(&settings).await.expect("first start");
    let before = db::registered_versions(&state.pool)
        .await
        .expect("versions");
    state.pool.close().await;

    append(
        &settings.questionnaires_dir.join("organisations/v1.toml"),
        "\n# précision\n",
    );
    let state = startup::prepare(&settings)
        .await
        .expect("an unanswered version may change");
    let after = db::registered_versions(&state.pool)
        .await
        .expect("versions");
    let hash = |list: &[db::RegisteredVersion]| {
        list.iter()
            .find(|v| v.slug == "organisations")
            .map(|v| v.content_hash.clone())
    };
    assert_ne!(hash(&before), hash(&after));
    assert_eq!(after.len(), 3);
}

#[tokio::test]
async fn serve_refuses_to_start_when_an_answered_version_disappeared() {
    let (_dir, settings) = editable().await;
    let state = startup::prepare(&settings).await.expect("first start");
    demo::load(&state.pool, &state.registry)
        .await
        .expect("responses exist");
    state.pool.close().await;

    std::fs::remove_file(settings.questionnaires_dir.join("coalitions/v1.toml")).expect("removed");
    let error = startup::prepare(&settings)
        .await
        .err()
        .expect("start refused")
        .to_string();
    assert!(error.contains("coalitions/v1"), "{error}");
    assert!(error.contains("absent"), "{error}");
}

#[tokio::test]
async fn a_new_version_linked_by_same_as_starts_and_compares_only_linked_questions() {
    let (_dir, settings) = editable().await;
    let folder = settings.questionnaires_dir.join("territoires");
    let v1 = std::fs::read_to_string(folder.join("v1.toml")).expect("v1");
    let q1 = reset_eval::domain::questionnaire::validate::validate_file(
        &folder.join("v1.toml"),
        v1.as_bytes(),
        &reset_eval::domain::coalition::catalogue::Catalogue::shipped()
            .expect("catalogue")
            .coalitions
            .into_iter()
            .map(|c| c.slug)
            .collect(),
    );
    let (Some(q1), _) = q1 else {
        panic!("v1 is valid")
    };
    // v2: same questions, each continuing its v1 question, except the first, which is new.
    let mut v2 = v1.replacen("version = \"v1\"", "version = \"v2\"\nprevious = \"v1\"", 1);
    for (n, question) in q1.questions.iter().enumerate() {
        let old = format!("id = \"{}\"\n", question.id);
        let new = if n == 0 {
            format!("id = \"{}-bis\"\n", question.id)
        } else {
            format!("id = \"{}\"\nsame_as = \"{}\"\n", question.id, question.id)
        };
        v2 = v2.replacen(&old, &new, 1);
    }
    // Recommendations naming the first question follow its new id.
    let first = &q1.questions[0].id;
    v2 = v2.replace(
        &format!("question = \"{first}\""),
        &format!("question = \"{first}-bis\""),
    );
    std::fs::write(folder.join("v2.toml"), v2).expect("v2 written");

    let state = startup::prepare(&settings).await.expect("v2 is accepted");
    let latest = state.registry.latest("territoires").expect("latest");
    assert_eq!(latest.version, "v2");
    let earlier = state.registry.get("territoires", "v1").expect("v1");
    let comparability = state
        .registry
        .comparability(earlier, latest)
        .expect("comparable");
    let scored = latest.scored_questions().count();
    let first_scored = latest.questions[0].is_scored();
    assert_eq!(
        comparability.pairs.len(),
        scored - usize::from(first_scored)
    );
    assert!(!comparability.same_version);
}
