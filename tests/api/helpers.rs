//! `spawn_app()`: a real server on a free port, over a database of its own.

use reset_eval::config::Settings;
use reset_eval::database::Pool;
use reset_eval::i18n::Lang;
use reset_eval::questionnaire::Registry;
use reset_eval::startup::{self, Application};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tempfile::TempDir;

pub struct TestApp {
    pub address: String,
    pub pool: Pool,
    pub registry: Arc<Registry>,
    /// A client without cookies: each request stands alone unless a test keeps a jar.
    pub client: reqwest::Client,
    /// Holds the data directory (and the SQLite file) until the test ends.
    pub _dir: TempDir,
}

pub fn shipped_questionnaires() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("questionnaires")
}

/// The URL of a database of its own for one test.
pub async fn fresh_database_url(dir: &Path) -> String {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(admin_url) if !admin_url.is_empty() => {
            use sqlx::Connection;
            let name = format!("reset_test_{}", uuid::Uuid::now_v7().simple());
            let mut admin = sqlx::PgConnection::connect(&admin_url)
                .await
                .expect("TEST_DATABASE_URL reaches PostgreSQL");
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&mut admin)
                .await
                .expect("the test role may create databases");
            let base = admin_url
                .rsplit_once('/')
                .map(|(b, _)| b)
                .unwrap_or(&admin_url);
            format!("{base}/{name}")
        }
        _ => format!("sqlite://{}", dir.join("test.sqlite").display()),
    }
}

pub async fn settings_for(dir: &TempDir, questionnaires_dir: PathBuf) -> Settings {
    Settings {
        database_url: Some(fresh_database_url(dir.path()).await),
        data_dir: dir.path().to_path_buf(),
        questionnaires_dir,
        log: "warn".into(),
        lang: Lang::Fr,
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(shipped_questionnaires()).await
}

pub async fn spawn_app_with(questionnaires_dir: PathBuf) -> TestApp {
    let dir = TempDir::new().expect("temp dir");
    let settings = settings_for(&dir, questionnaires_dir).await;
    let state = startup::prepare(&settings).await.expect("the app prepares");
    let (pool, registry) = (state.pool.clone(), state.registry.clone());
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let app = Application::build(listener, state).expect("the server builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        pool,
        registry,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client"),
        _dir: dir,
    }
}

impl TestApp {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("request sent")
    }

    pub async fn get_html(&self, path: &str) -> (reqwest::StatusCode, String) {
        let response = self.get(path).await;
        let status = response.status();
        (status, response.text().await.expect("body"))
    }
}

/// Copies a folder of questionnaires, so that a test may edit it.
pub fn copy_questionnaires(to: &Path) {
    let from = shipped_questionnaires();
    for entry in walk(&from) {
        let relative = entry.strip_prefix(&from).expect("inside");
        let target = to.join(relative);
        std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        std::fs::copy(&entry, &target).expect("copy");
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "toml") {
            files.push(path);
        }
    }
    files
}
