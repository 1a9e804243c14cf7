//! The command line as a person runs it: the built binary, its output and exit code.

use crate::helpers::{copy_questionnaires, shipped_questionnaires};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use tempfile::TempDir;

fn reset_eval() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_reset-eval"));
    command
        .env("APP_QUESTIONNAIRES_DIR", shipped_questionnaires())
        .env("APP_LOG", "warn")
        .env_remove("DATABASE_URL")
        .env_remove("APP_LANG");
    command
}

#[test]
fn questionnaires_check_passes_on_the_shipped_files() {
    let output = reset_eval()
        .args(["questionnaires", "check"])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(
        stdout.contains("3 version(s) valide(s), 0 erreur(s)"),
        "{stdout}"
    );
}

#[test]
fn questionnaires_check_lists_every_problem_of_broken_files_and_fails() {
    let dir = TempDir::new().expect("temp dir");
    copy_questionnaires(dir.path());
    let territoires = dir.path().join("territoires/v1.toml");
    let content = std::fs::read_to_string(&territoires).expect("read");
    // Three independent mistakes in one file, and one in another.
    let broken = content
        .replacen("quality = \"frugal\"", "quality = \"sobre\"", 1)
        .replacen("dimension = \"offre\"", "dimension = \"conception\"", 1)
        .replacen("weight = 2", "weight = 0", 1);
    std::fs::write(&territoires, broken).expect("write");
    std::fs::write(
        dir.path().join("coalitions/v1.toml"),
        "slug = \"coalitions\"\nversion = [",
    )
    .expect("write");

    let output = reset_eval()
        .env("APP_QUESTIONNAIRES_DIR", dir.path())
        .args(["questionnaires", "check"])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("qualité « sobre » inconnue"), "{stdout}");
    assert!(
        stdout.contains("dimension « conception » inconnue"),
        "{stdout}"
    );
    assert!(stdout.contains("le poids vaut 0"), "{stdout}");
    assert!(stdout.contains("coalitions/v1.toml"), "{stdout}");
    assert!(stdout.contains("→ à faire :"), "{stdout}");
    assert!(stdout.contains(&territoires.display().to_string()));
}

#[test]
fn questionnaires_check_speaks_english_when_asked() {
    let output = reset_eval()
        .env("APP_LANG", "en")
        .args(["questionnaires", "check"])
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&output.stdout).contains("3 valid version(s), 0 error(s)"));
}

#[test]
fn questionnaires_show_prints_one_line_a_question() {
    let output = reset_eval()
        .args(["questionnaires", "show", "territoires", "v1"])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success());
    let question_lines = stdout
        .lines()
        .filter(|l| l.contains(" commande ") || l.contains(" offre ") || l.contains(" usages "))
        .count();
    let file = std::fs::read_to_string(shipped_questionnaires().join("territoires/v1.toml"))
        .expect("read");
    assert_eq!(
        question_lines,
        file.matches("[[questions]]").count(),
        "{stdout}"
    );

    let unknown = reset_eval()
        .args(["questionnaires", "show", "inconnu"])
        .output()
        .expect("runs");
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("questionnaire introuvable"));
}

#[test]
fn serve_refuses_to_start_on_a_malformed_questionnaire_naming_the_file_and_the_id() {
    let dir = TempDir::new().expect("temp dir");
    let questionnaires = dir.path().join("questionnaires");
    copy_questionnaires(&questionnaires);
    let file = questionnaires.join("organisations/v1.toml");
    let content = std::fs::read_to_string(&file).expect("read");
    let first_id = content
        .split("[[questions]]\nid = \"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("an id")
        .to_owned();
    std::fs::write(
        &file,
        content.replacen(
            &format!("id = \"{first_id}\"\nquality = \""),
            &format!("id = \"{first_id}\"\nquality = \"x"),
            1,
        ),
    )
    .expect("write");

    let output = reset_eval()
        .env("APP_QUESTIONNAIRES_DIR", &questionnaires)
        .env("APP_DATA_DIR", dir.path().join("data"))
        .args(["serve", "--bind", "127.0.0.1:0"])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains(&file.display().to_string()), "{stderr}");
    assert!(stderr.contains(&format!("[{first_id}]")), "{stderr}");
    assert!(stderr.contains("choisissez `quality` parmi"), "{stderr}");
}

#[test]
fn serve_with_demo_data_answers_on_the_address_it_prints() {
    let dir = TempDir::new().expect("temp dir");
    let mut child = reset_eval()
        .env("APP_DATA_DIR", dir.path())
        .args(["serve", "--demo", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts");
    let stdout = child.stdout.take().expect("stdout");
    let line = BufReader::new(stdout)
        .lines()
        .next()
        .expect("a line")
        .expect("utf-8");
    let url = line.rsplit(' ').next().expect("an address").to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{line}");
    let body = reqwest::blocking_get(&url);
    let _ = child.kill();
    let _ = child.wait();
    assert!(body.contains("<strong>18</strong> coalitions"), "{body}");
    assert!(
        dir.path().join("reset-eval.sqlite").exists(),
        "the SQLite file is created"
    );
}

mod reqwest {
    /// A blocking GET without pulling reqwest's blocking feature: one small runtime.
    pub fn blocking_get(url: &str) -> String {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async {
            ::reqwest::get(url)
                .await
                .expect("answers")
                .text()
                .await
                .expect("body")
        })
    }
}

#[test]
fn demo_prints_what_it_added_and_is_idempotent() {
    let dir = TempDir::new().expect("temp dir");
    let run = || {
        let output = reset_eval()
            .env("APP_DATA_DIR", dir.path())
            .arg("demo")
            .output()
            .expect("runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    assert!(run().contains("18 coalition(s), 7 organisation(s)"));
    assert!(run().contains("0 coalition(s), 0 organisation(s), 0 réponse(s)"));
}

#[test]
fn migrate_creates_the_database_file() {
    let dir = TempDir::new().expect("temp dir");
    let output = reset_eval()
        .env("APP_DATA_DIR", dir.path().join("nested"))
        .arg("migrate")
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(dir.path().join("nested/reset-eval.sqlite").exists());
}

#[test]
fn admin_create_makes_a_staff_account_once() {
    use std::io::Write;
    let dir = TempDir::new().expect("temp dir");
    let run = |password: &str| {
        let mut child = reset_eval()
            .env("APP_DATA_DIR", dir.path())
            .args([
                "admin",
                "create",
                "--email",
                "Equipe@Reset.example",
                "--password-stdin",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starts");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(format!("{password}\n").as_bytes())
            .expect("write");
        child.wait_with_output().expect("runs")
    };
    let short = run("court");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("au moins 12 caractères"));
    let created = run("une phrase de passe solide");
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    assert!(String::from_utf8_lossy(&created.stdout).contains("equipe@reset.example"));
    let again = run("une phrase de passe solide");
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("existe déjà"));
}
