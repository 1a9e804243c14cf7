//! `spawn_app()`: a real server on a free port, over a database of its own.

use reset_eval::config::Settings;
use reset_eval::db::Pool;
use reset_eval::domain::i18n::Lang;
use reset_eval::domain::questionnaire::Registry;
use reset_eval::startup::{self, Application};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tempfile::TempDir;

pub struct TestApp {
    pub address: String,
    /// The test's own database, for running the command line against it.
    pub database_url: String,
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
        reports_dir: dir.path().join("reports"),
        log: "warn".into(),
        session_key: None,
        secure_cookies: false,
        trusted_proxies: String::new(),
        // Tests sign up many accounts from one address; the limit's own tests set it low.
        sign_ups_per_client_per_hour: 1000,
        starts_per_shared_link_per_hour: 100,
        // Tests submit responses of a few answers; the minimum's own tests set it.
        min_answered_share: 0.0,
        lang: Lang::Fr,
        sqlite_synchronous: Default::default(),
        operator_name: String::new(),
        operator_address: String::new(),
        operator_email: String::new(),
        operator_director: String::new(),
        operator_host: String::new(),
        retention_unsubmitted_months: 18,
        smtp_url: None,
        mail_from: "#RESET <ne-pas-repondre@localhost>".into(),
        public_url: None,
        worker_poll_seconds: 1,
        mail_worker: true,
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(shipped_questionnaires()).await
}

pub async fn spawn_app_with(questionnaires_dir: PathBuf) -> TestApp {
    spawn_app_configured(questionnaires_dir, |_| {}).await
}

/// The app with some settings changed (limits, trusted proxies…).
pub async fn spawn_app_configured(
    questionnaires_dir: PathBuf,
    configure: impl FnOnce(&mut Settings),
) -> TestApp {
    let dir = TempDir::new().expect("temp dir");
    let mut settings = settings_for(&dir, questionnaires_dir).await;
    configure(&mut settings);
    let database_url = settings.database_url();
    let state = startup::prepare(&settings).await.expect("the app prepares");
    let (pool, registry) = (state.pool.clone(), state.registry.clone());
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let app = Application::build(listener, state).expect("the server builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        database_url,
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

/// A person's browser: keeps cookies, reads the CSRF token from pages, follows no redirect.
pub struct Visitor {
    pub client: reqwest::Client,
    pub base: String,
    /// The visitor's cookies, to copy them as a thief would.
    pub jar: Arc<reqwest::cookie::Jar>,
    csrf: std::sync::Mutex<Option<String>>,
    /// The server's outbox folder (mails written as `.eml` files, without an SMTP server).
    pub outbox: PathBuf,
}

/// The value of the first hidden `_csrf` field of a page.
pub fn csrf_of(html: &str) -> Option<String> {
    let at = html.find(r#"name="_csrf" value=""#)?;
    let rest = &html[at + r#"name="_csrf" value=""#.len()..];
    rest.split('"').next().map(str::to_owned)
}

/// The hidden fields of the page's form that posts to `action`, as a browser sends them.
pub fn hidden_fields(html: &str, action: &str) -> Vec<(String, String)> {
    let Some(at) = html.find(&format!(r#"action="{action}""#)) else {
        return Vec::new();
    };
    let form = &html[at..];
    let form = &form[..form.find("</form>").unwrap_or(form.len())];
    form.split("<input ")
        .skip(1)
        .filter(|i| i.contains(r#"type="hidden""#))
        .filter_map(|i| {
            let attr = |name: &str| {
                let key = format!(r#" {name}=""#);
                let at = i.find(&key)?;
                i[at + key.len()..].split('"').next().map(str::to_owned)
            };
            Some((attr("name")?, attr("value")?))
        })
        .collect()
}

impl TestApp {
    pub fn visitor(&self) -> Visitor {
        let jar = Arc::new(reqwest::cookie::Jar::default());
        Visitor {
            client: reqwest::Client::builder()
                .cookie_provider(jar.clone())
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            base: self.address.clone(),
            jar,
            csrf: std::sync::Mutex::new(None),
            outbox: self._dir.path().join("outbox"),
        }
    }
}

impl Visitor {
    pub async fn get(&self, path: &str) -> (reqwest::StatusCode, String) {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("sent");
        let status = response.status();
        let html = response.text().await.expect("body");
        if let Some(token) = csrf_of(&html) {
            *self.csrf.lock().expect("lock") = Some(token);
        }
        (status, html)
    }

    /// Posts a form with the session's CSRF token; returns the status, `Location` and body.
    pub async fn post(
        &self,
        path: &str,
        fields: &[(&str, &str)],
    ) -> (reqwest::StatusCode, String, String) {
        if self.csrf.lock().expect("lock").is_none() {
            self.get("/signin").await;
        }
        if self.csrf.lock().expect("lock").is_none() {
            // Signed in already: the sign-out button of any page carries the token.
            self.get("/").await;
        }
        let token = self.csrf.lock().expect("lock").clone().unwrap_or_default();
        let mut form: Vec<(&str, &str)> = vec![("_csrf", token.as_str())];
        form.extend_from_slice(fields);
        let answer = self.post_raw(path, &form).await;
        // Signing in, up or out gives the session a new CSRF token: forget the old one.
        if answer.0 == 303
            && (matches!(
                path,
                "/signin" | "/signup" | "/signout" | "/signout/everywhere"
            ) || path.starts_with("/signup/confirm/")
                || path.starts_with("/password/reset/"))
        {
            *self.csrf.lock().expect("lock") = None;
        }
        answer
    }

    /// Posts a form as a browser does from `page`: with the hidden fields that page's form
    /// for `path` carries (what the page showed, for the stale-form check), then `fields`.
    pub async fn post_from(
        &self,
        page: &str,
        path: &str,
        fields: &[(&str, &str)],
    ) -> (reqwest::StatusCode, String, String) {
        let (_, html) = self.get(page).await;
        let hidden = hidden_fields(&html, path);
        let mut form: Vec<(&str, &str)> = hidden
            .iter()
            .filter(|(name, _)| name != "_csrf")
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        form.extend_from_slice(fields);
        self.post(path, &form).await
    }

    /// The CSRF token this visitor last read from a page.
    pub fn csrf(&self) -> Option<String> {
        self.csrf.lock().expect("lock").clone()
    }

    /// The `Cookie` header this visitor sends.
    pub fn cookies(&self) -> String {
        use reqwest::cookie::CookieStore;
        let url = reqwest::Url::parse(&self.base).expect("url");
        self.jar
            .cookies(&url)
            .and_then(|h| h.to_str().ok().map(str::to_owned))
            .unwrap_or_default()
    }

    /// The CSRF token the visitor last read.
    pub fn csrf_token(&self) -> String {
        self.csrf.lock().expect("lock").clone().unwrap_or_default()
    }

    /// Posts exactly these fields (no CSRF token added).
    pub async fn post_raw(
        &self,
        path: &str,
        fields: &[(&str, &str)],
    ) -> (reqwest::StatusCode, String, String) {
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .form(fields)
            .send()
            .await
            .expect("sent");
        let status = response.status();
        let location = response
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        (status, location, response.text().await.expect("body"))
    }

    /// Signs up and follows the confirmation link of the mail, as a person does: signed in,
    /// on the page that registers an organisation.
    pub async fn sign_up(&self, name: &str, email: &str) {
        let before = outbox_names(&self.outbox);
        self.get("/signup").await;
        let (status, location, body) = self
            .post(
                "/signup",
                &[
                    ("display_name", name),
                    ("email", email),
                    ("password", "une phrase de passe solide"),
                    ("password_confirm", "une phrase de passe solide"),
                ],
            )
            .await;
        assert_eq!(status, 303, "{body}");
        assert_eq!(location, "/signup/sent");
        let mail = wait_for_mail(&self.outbox, email, "/signup/confirm/", &before).await;
        let path = link_path(&mail, "/signup/confirm/");
        let (status, page) = self.get(&path).await;
        assert_eq!(status, 200, "{page}");
        let (status, location, body) = self.post(&path, &[]).await;
        assert_eq!(status, 303, "{body}");
        assert_eq!(location, "/organisations/new");
    }

    /// Registers a commune and returns its id.
    pub async fn register_commune(&self, name: &str) -> String {
        let (status, location, body) = self
            .post(
                "/organisations",
                &[
                    ("name", name),
                    ("kind", "commune"),
                    ("departement", "69"),
                    ("commune_insee", "69123"),
                    ("size_band", "10k_50k"),
                    ("siren", ""),
                ],
            )
            .await;
        assert_eq!(status, 303, "{body}");
        location.trim_start_matches("/organisations/").to_owned()
    }

    /// Opens a diagnostic for an organisation and returns its id.
    pub async fn open_diagnostic(&self, organisation_id: &str, questionnaire: &str) -> String {
        let (status, location, body) = self
            .post(
                &format!("/organisations/{organisation_id}/diagnostics"),
                &[("questionnaire", questionnaire)],
            )
            .await;
        assert_eq!(status, 303, "{body}");
        location.trim_start_matches("/diagnostics/").to_owned()
    }

    /// Creates an invitation link and returns its token.
    pub async fn invite(
        &self,
        diagnostic_id: &str,
        role: &str,
        label: &str,
        shared: bool,
    ) -> String {
        let (status, _, body) = self
            .post(
                &format!("/diagnostics/{diagnostic_id}/invitations"),
                &[
                    ("role", role),
                    ("label", label),
                    ("shared", if shared { "1" } else { "0" }),
                ],
            )
            .await;
        assert_eq!(status, 303, "{body}");
        let (_, html) = self.get(&format!("/diagnostics/{diagnostic_id}")).await;
        // The newest link is the last one listed.
        html.rsplit("/r/")
            .next()
            .and_then(|s| s.get(..64))
            .expect("a link")
            .to_owned()
    }
}

// --- Coalitions ------------------------------------------------------------------------------

pub const TEST_PASSWORD: &str = "une phrase de passe solide";

impl TestApp {
    /// A coalition with its identity only (no member, goal or action); returns its id.
    pub async fn coalition(&self, slug: &str) -> String {
        let id = reset_eval::db::new_id();
        let text = ("Texte", "Text");
        reset_eval::db::insert_coalition(
            &self.pool,
            &reset_eval::db::NewCoalition {
                id: &id,
                slug,
                family: "environnement",
                name: ("Coalition d'essai", "Test coalition"),
                problem: text,
                impact: text,
                narrative: text,
                scale: "nationale",
                stage: "pilote",
                primary_quality: "frugal",
                secondary_qualities: "equitable",
                lever_commande: text,
                lever_offre: text,
                lever_usages: text,
                created_at: &reset_eval::db::now(),
            },
        )
        .await
        .expect("coalition");
        id
    }

    /// A signed-in programme staff member.
    pub async fn staff(&self, email: &str) -> Visitor {
        let hash = reset_eval::domain::account::hash_password(TEST_PASSWORD).expect("hash");
        reset_eval::db::insert_account(
            &self.pool,
            &reset_eval::db::Account {
                id: reset_eval::db::new_id(),
                email: email.to_owned(),
                display_name: "Équipe du programme".to_owned(),
                password_hash: hash,
                role: reset_eval::domain::account::AccountRole::Staff,
            },
            &reset_eval::db::now(),
        )
        .await
        .expect("staff account");
        let visitor = self.visitor();
        visitor.sign_in(email).await;
        visitor
    }

    /// A signed-in lead whose new commune is a current member of the coalition in `role`
    /// (porteur, co-porteur, contributeur, informe); returns the visitor and the commune's id.
    pub async fn coalition_member(
        &self,
        coalition_id: &str,
        role: &str,
        email: &str,
    ) -> (Visitor, String) {
        let visitor = self.visitor();
        visitor.sign_up("Membre", email).await;
        let organisation_id = visitor
            .register_commune(&format!("Commune de {email}"))
            .await;
        let added = reset_eval::db::insert_member(
            &self.pool,
            &reset_eval::db::NewMember {
                id: &reset_eval::db::new_id(),
                coalition_id,
                organisation_id: &organisation_id,
                actor_type: "collectivite",
                role,
                joined_on: "2025-01-15",
                created_at: &reset_eval::db::now(),
            },
        )
        .await
        .expect("member");
        assert!(added);
        (visitor, organisation_id)
    }
}

impl Visitor {
    pub async fn sign_in(&self, email: &str) {
        self.get("/signin").await;
        let (status, _, body) = self
            .post("/signin", &[("email", email), ("password", TEST_PASSWORD)])
            .await;
        assert_eq!(status, 303, "{body}");
    }
}

// --- Mail ------------------------------------------------------------------------------------

/// The names of the `.eml` files of an outbox folder.
pub fn outbox_names(outbox: &Path) -> std::collections::BTreeSet<String> {
    std::fs::read_dir(outbox)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".eml"))
                .collect()
        })
        .unwrap_or_default()
}

/// Decodes quoted-printable text (the service writes every part so).
pub fn decode_quoted_printable(raw: &str) -> String {
    let raw = raw.replace("=\r\n", "").replace("=\n", "");
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && let Some(hex) = raw.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A raw mail (as written or received) with its parts decoded: headers as they are, bodies
/// readable.
pub fn readable_mail(raw: &str) -> String {
    decode_quoted_printable(raw)
}

/// Whether a raw mail is addressed to `to`.
pub fn addressed_to(raw: &str, to: &str) -> bool {
    raw.lines().any(|l| {
        l.strip_prefix("To: ")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case(to.trim()))
    })
}

/// Waits (up to 15 s) for a new mail (not in `before`) to `to` whose text contains `marker`;
/// returns it decoded.
pub async fn wait_for_mail(
    outbox: &Path,
    to: &str,
    marker: &str,
    before: &std::collections::BTreeSet<String>,
) -> String {
    for _ in 0..300 {
        for name in outbox_names(outbox).iter().rev() {
            if before.contains(name) {
                continue;
            }
            let Ok(raw) = std::fs::read_to_string(outbox.join(name)) else {
                continue;
            };
            let mail = readable_mail(&raw);
            if addressed_to(&raw, to) && mail.contains(marker) {
                return mail;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no mail to {to} with {marker} in {}", outbox.display());
}

/// The first full link of a mail that contains `marker`.
pub fn link_in(mail: &str, marker: &str) -> String {
    mail.split(|c: char| c.is_whitespace() || c == '"' || c == '<' || c == '>')
        .find(|w| w.starts_with("http") && w.contains(marker))
        .map(|w| w.replace("&amp;", "&"))
        .unwrap_or_else(|| panic!("no link with {marker} in:\n{mail}"))
}

/// The path (from `marker` on) of the first link of a mail that contains `marker`.
pub fn link_path(mail: &str, marker: &str) -> String {
    let link = link_in(mail, marker);
    let at = link.find(marker).unwrap_or(0);
    link[at..].to_owned()
}
