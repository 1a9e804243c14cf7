//! Publications: a published report is public and served from the database (its page, its
//! files, its zip), a draft is not; producing and publishing run as leased background jobs
//! that run once across workers and are taken over when their instance dies; publishing
//! asks for confirmation; the report's `datapackage.json` describes every table.

use crate::helpers::{TestApp, shipped_questionnaires, spawn_app, spawn_app_configured};
use reset_eval::app::jobs;
use reset_eval::app::{mailer::Mailer, tasks::WorkerContext};
use reset_eval::db;
use reset_eval::domain::jobs::JobKind;
use std::io::Read;
use std::sync::Arc;
use std::time::Duration;

/// The fields of a CSV line (quoted fields may hold commas).
fn csv_fields(line: &str) -> Vec<String> {
    let (mut fields, mut field, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(std::mem::take(&mut field)),
            (c, _) => field.push(c),
        }
    }
    fields.push(field);
    fields
}

/// Waits until no job waits or runs (the app's worker runs them).
pub async fn jobs_finish(app: &TestApp) {
    for _ in 0..600 {
        let active: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE status IN ('queued', 'running')")
                .fetch_one(&app.pool)
                .await
                .expect("count");
        if active == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("the jobs did not finish in 2 minutes");
}

async fn job_statuses(app: &TestApp) -> Vec<(String, String, i32)> {
    sqlx::query_as("SELECT kind, status, attempts FROM jobs ORDER BY requested_at, id")
        .fetch_all(&app.pool)
        .await
        .expect("jobs")
}

/// An app without a worker of its own: the test runs workers of its own, as other instances
/// would. (An idle worker was not enough: anything that wakes it, such as a mail queued at
/// start, let it take the job first, and the test's workers then found none.)
async fn app_without_its_own_worker() -> TestApp {
    spawn_app_configured(shipped_questionnaires(), |s| {
        s.mail_worker = false;
    })
    .await
}

/// A worker of another instance on the same database: its own write gate, as a separate
/// process has.
fn other_instance(app: &TestApp) -> WorkerContext {
    let mut settings_dir = std::env::temp_dir();
    settings_dir.push("unused-outbox");
    WorkerContext {
        pool: app.pool.clone(),
        writes: Arc::new(db::WriteGate::for_url(&app.database_url)),
        mailer: Mailer::new(reset_eval::app::mailer::MailConfig {
            smtp_url: None,
            from: "#RESET <ne-pas-repondre@localhost>".into(),
            public_url: None,
            outbox_dir: settings_dir,
            poll: Duration::from_secs(3600),
            run_worker: false,
        }),
        registry: app.registry.clone(),
        retention: reset_eval::domain::legal::Retention::default(),
    }
}

async fn publish_2026(app: &TestApp) {
    let staff = app.staff("equipe.publication@exemple.fr").await;
    let (status, location, body) = staff
        .post("/reports/2026/publish", &[("confirm", "yes")])
        .await;
    assert_eq!(
        (status.as_u16(), location.as_str()),
        (303, "/reports"),
        "{body}"
    );
    jobs_finish(app).await;
    assert_eq!(
        job_statuses(app).await,
        vec![("report_publish".into(), "done".into(), 1)]
    );
}

#[tokio::test]
async fn an_anonymous_visitor_lists_reads_and_downloads_a_published_report() {
    let app = spawn_app().await;
    reset_eval::app::demo::load(&app.pool, &app.registry)
        .await
        .expect("demo");
    let visitor = app.visitor();
    let (_, list) = visitor.get("/publications").await;
    assert!(list.contains("Aucun rapport n'est encore publié"));
    publish_2026(&app).await;

    let (status, list) = visitor.get("/publications").await;
    assert_eq!(status, 200);
    assert!(list.contains(r#"href="/publications/2026""#), "{list}");
    let today = reset_eval::domain::i18n::Lang::Fr.date(time::OffsetDateTime::now_utc().date());
    assert!(list.contains(&format!("Publié le {today}")), "{list}");
    // 20 since issue 15 added the years side by side (participation_and_scores_by_year).
    assert!(list.contains("20 tableaux de données"), "{list}");

    let (status, page) = visitor.get("/publications/2026").await;
    assert_eq!(status, 200);
    // Inside the site's layout: the language switch and a way back.
    assert!(page.contains(r#"href="/publications/2026?lang=en""#));
    assert!(page.contains(r#"href="/publications""#));
    for link in [
        "/publications/2026/files/index.html",
        "/publications/2026/files/en/index.html",
        "/publications/2026/files/reset-evaluation-2026.zip",
        "/publications/2026/files/data/datapackage.json",
        "/publications/2026/files/data/heatmap.csv",
        "/publications/2026/files/data/heatmap.parquet",
        "/publications/2026/files/charts/heatmap.svg",
    ] {
        assert!(page.contains(link), "the page links {link}");
    }
    let (_, english) = visitor.get("/publications/2026?lang=en").await;
    assert!(english.contains("/publications/2026/files/en/charts/heatmap.svg"));

    let document = app.get("/publications/2026/files/index.html").await;
    assert_eq!(document.status(), 200);
    assert!(
        document.headers()["content-security-policy"]
            .to_str()
            .expect("csp")
            .contains("style-src 'unsafe-inline'")
    );
    let html = document.text().await.expect("body");
    assert!(html.contains("Évaluation du programme #RESET 2026"));
    assert!(html.contains("Rapport publié : ses chiffres sont figés"));
    let english = app
        .get("/publications/2026/files/en/index.html")
        .await
        .text()
        .await
        .expect("body");
    assert!(english.contains("#RESET programme evaluation 2026"));

    // The zip holds the whole folder, each entry the same bytes as the file served alone.
    let response = app
        .get("/publications/2026/files/reset-evaluation-2026.zip")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/zip");
    let bytes = response.bytes().await.expect("zip");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a zip");
    let mut entries = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("entry");
        let mut content = Vec::new();
        entry.read_to_end(&mut content).expect("read");
        entries.push((entry.name().expect("a name").into_owned(), content));
    }
    let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    let mut expected = vec![
        "reset-evaluation-2026/index.html".to_owned(),
        "reset-evaluation-2026/en/index.html".to_owned(),
        "reset-evaluation-2026/data/README.md".to_owned(),
        "reset-evaluation-2026/data/datapackage.json".to_owned(),
        "reset-evaluation-2026/charts/heatmap.svg".to_owned(),
        "reset-evaluation-2026/en/charts/heatmap.svg".to_owned(),
    ];
    for table in reset_eval::report::TABLE_NAMES {
        expected.push(format!("reset-evaluation-2026/data/{table}.csv"));
        expected.push(format!("reset-evaluation-2026/data/{table}.parquet"));
    }
    for name in &expected {
        assert!(
            names.contains(&name.as_str()),
            "the zip lacks {name}: {names:?}"
        );
    }
    assert!(
        names
            .iter()
            .all(|n| n.starts_with("reset-evaluation-2026/") && !n.ends_with(".zip")),
        "{names:?}"
    );
    for (name, content) in &entries {
        let path = name.trim_start_matches("reset-evaluation-2026/");
        let served = app.get(&format!("/publications/2026/files/{path}")).await;
        assert_eq!(served.status(), 200, "{path}");
        assert_eq!(
            &served.bytes().await.expect("body")[..],
            &content[..],
            "{path}"
        );
    }
    // Parquet is served as the bytes written (stored as base64, decoded back).
    let parquet = entries
        .iter()
        .find(|(n, _)| n.ends_with("data/heatmap.parquet"))
        .expect("parquet");
    assert_eq!(&parquet.1[..4], b"PAR1");

    assert_eq!(app.get("/publications/2025").await.status(), 404);
    assert_eq!(
        app.get("/publications/2026/files/data/nothing.csv")
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn a_draft_is_seen_by_staff_only_and_never_published_by_itself() {
    let app = spawn_app().await;
    reset_eval::app::demo::load(&app.pool, &app.registry)
        .await
        .expect("demo");
    let staff = app.staff("equipe.brouillon@exemple.fr").await;
    let (status, location, _) = staff.post("/reports", &[("year", "2026")]).await;
    assert_eq!((status.as_u16(), location.as_str()), (303, "/reports"));
    jobs_finish(&app).await;
    assert_eq!(
        job_statuses(&app).await,
        vec![("report_draft".into(), "done".into(), 1)]
    );
    let (status, page) = staff.get("/reports").await;
    assert_eq!(status, 200);
    assert!(page.contains("Lire le brouillon 2026") && page.contains("Publier le rapport 2026"));
    assert!(page.contains("Terminé"));
    let (status, draft) = staff.get("/reports/2026").await;
    assert_eq!(status, 200);
    assert!(draft.contains("Brouillon, visible de l'équipe du programme seulement"));
    let (status, document) = staff.get("/reports/2026/files/index.html").await;
    assert_eq!(status, 200);
    assert!(document.contains("Évaluation du programme #RESET 2026"));
    assert!(!document.contains("Rapport publié"));

    // Nobody else reads it, and nothing is public.
    let anonymous = app.visitor();
    assert_eq!(anonymous.get("/publications/2026").await.0, 404);
    assert_eq!(
        anonymous.get("/publications/2026/files/index.html").await.0,
        404
    );
    let (_, list) = anonymous.get("/publications").await;
    assert!(list.contains("Aucun rapport n'est encore publié"));
    assert_ne!(anonymous.get("/reports/2026/files/index.html").await.0, 200);
    let (lead, _) = app
        .coalition_member(
            &app.coalition("essai").await,
            "porteur",
            "lead.brouillon@example.org",
        )
        .await;
    assert_eq!(lead.get("/reports/2026").await.0, 403);
    assert_eq!(lead.get("/reports/2026/files/index.html").await.0, 403);
    assert!(db::locked_years(&app.pool).await.expect("years").is_empty());
}

#[tokio::test]
async fn publishing_without_confirmation_is_refused_and_says_what_it_would_lock() {
    let app = spawn_app().await;
    reset_eval::app::demo::load(&app.pool, &app.registry)
        .await
        .expect("demo");
    let staff = app.staff("equipe.confirmation@exemple.fr").await;
    let (status, form) = staff.get("/reports/2026/publish").await;
    assert_eq!(status, 200);
    assert!(form.contains("verrouille les mesures de 2026"), "{form}");
    assert!(form.contains("fige ses chiffres"));
    assert!(form.contains(r#"name="confirm""#));

    let (status, _, page) = staff.post("/reports/2026/publish", &[]).await;
    assert_eq!(status, 422);
    assert!(page.contains("Cochez la case pour confirmer la publication"));
    assert!(page.contains(r#"aria-invalid="true""#));
    let (status, _, _) = staff
        .post("/reports/2026/publish", &[("confirm", "oui, sans cocher")])
        .await;
    assert_eq!(status, 422);
    assert!(job_statuses(&app).await.is_empty(), "no job was queued");
    assert!(db::locked_years(&app.pool).await.expect("years").is_empty());

    let (lead, _) = app
        .coalition_member(
            &app.coalition("essai").await,
            "porteur",
            "lead.confirmation@example.org",
        )
        .await;
    assert_eq!(
        lead.post("/reports/2026/publish", &[("confirm", "yes")])
            .await
            .0,
        403
    );
    assert!(job_statuses(&app).await.is_empty());
}

#[tokio::test]
async fn a_job_runs_once_when_two_workers_look_at_one_database() {
    let app = app_without_its_own_worker().await;
    reset_eval::app::demo::load(&app.pool, &app.registry)
        .await
        .expect("demo");
    assert!(
        jobs::queue(&app.pool, JobKind::ReportDraft, 2026, None)
            .await
            .expect("queued")
    );
    // Asking again while it waits adds nothing.
    assert!(
        !jobs::queue(&app.pool, JobKind::ReportDraft, 2026, None)
            .await
            .expect("queued")
    );
    let (first, second) = (other_instance(&app), other_instance(&app));
    let (a, b) = tokio::join!(jobs::run_next(&first), jobs::run_next(&second));
    let ran: Vec<String> = [a.expect("worker a"), b.expect("worker b")]
        .into_iter()
        .flatten()
        .collect();
    assert_eq!(ran.len(), 1, "exactly one worker ran the job");
    assert_eq!(
        job_statuses(&app).await,
        vec![("report_draft".into(), "done".into(), 1)]
    );
    assert!(
        !db::report_file_listings(&app.pool, 2026, db::REPORT_DRAFT)
            .await
            .expect("files")
            .is_empty()
    );
    // Nothing is left to run.
    assert_eq!(jobs::run_next(&first).await.expect("worker"), None);
}

#[tokio::test]
async fn a_job_left_running_by_a_dead_instance_is_taken_over_once_its_lease_expires() {
    let app = app_without_its_own_worker().await;
    reset_eval::app::demo::load(&app.pool, &app.registry)
        .await
        .expect("demo");
    jobs::queue(&app.pool, JobKind::ReportPublish, 2026, None)
        .await
        .expect("queued");
    let id: String = sqlx::query_scalar("SELECT id FROM jobs")
        .fetch_one(&app.pool)
        .await
        .expect("job");
    // An instance takes it, then dies: its lease is still running.
    let in_a_minute = db::timestamp(time::OffsetDateTime::now_utc() + Duration::from_secs(60));
    let mut conn = app.pool.acquire().await.expect("connection");
    let dead = db::claim_job(&mut conn, &id, "dead-instance", &db::now(), &in_a_minute)
        .await
        .expect("claim")
        .expect("claimed");
    drop(conn);
    assert_eq!(dead.status.code(), "running");
    let staff = app.staff("equipe.reprise@exemple.fr").await;
    let response = staff
        .client
        .get(format!("{}/reports", app.address))
        .send()
        .await
        .expect("page");
    assert_eq!(
        response
            .headers()
            .get("refresh")
            .map(|v| v.to_str().expect("ascii")),
        Some("5"),
        "the page reloads while a job runs"
    );
    assert!(response.text().await.expect("body").contains("En cours"));

    let worker = other_instance(&app);
    assert_eq!(
        jobs::run_next(&worker).await.expect("worker"),
        None,
        "a live lease is not taken over"
    );
    // The lease expires: the instance is dead.
    sqlx::query("UPDATE jobs SET lease_until = '2000-01-01T00:00:00Z'")
        .execute(&app.pool)
        .await
        .expect("expire");
    assert_eq!(
        jobs::run_next(&worker).await.expect("worker"),
        Some(id.clone())
    );
    assert_eq!(
        job_statuses(&app).await,
        vec![("report_publish".into(), "done".into(), 2)]
    );
    assert_eq!(
        db::locked_years(&app.pool).await.expect("years"),
        vec![2026]
    );
    // The dead instance, were it to wake, can neither renew nor end the job.
    assert!(
        !db::renew_job_lease(&app.pool, &id, "dead-instance", &in_a_minute, None)
            .await
            .expect("renew")
    );
    assert!(
        !db::finish_job(&app.pool, &id, "dead-instance", &db::now(), Some("late"))
            .await
            .expect("finish")
    );
    let (_, page) = staff.get("/reports").await;
    assert!(page.contains("Terminé"));
    assert_eq!(app.get("/publications/2026").await.status(), 200);
}

#[tokio::test]
async fn the_report_data_package_describes_every_table_and_field_of_its_csv_files() {
    let app = spawn_app().await;
    reset_eval::app::demo::load(&app.pool, &app.registry)
        .await
        .expect("demo");
    publish_2026(&app).await;
    let package: serde_json::Value = app
        .get("/publications/2026/files/data/datapackage.json")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(package["licenses"][0]["name"], "CC-BY-4.0");
    assert!(package["sources"].as_array().is_some_and(|s| !s.is_empty()));
    let resources = package["resources"].as_array().expect("resources");
    let names: Vec<&str> = resources
        .iter()
        .filter_map(|r| r["name"].as_str())
        .collect();
    assert_eq!(names, reset_eval::report::TABLE_NAMES.to_vec());
    for resource in resources {
        let name = resource["name"].as_str().expect("name");
        let path = resource["path"].as_str().expect("path");
        let csv = app
            .get(&format!("/publications/2026/files/data/{path}"))
            .await
            .text()
            .await
            .expect("csv");
        let mut lines = csv.lines();
        let header = csv_fields(lines.next().expect("header"));
        let fields = resource["schema"]["fields"].as_array().expect("fields");
        let field_names: Vec<String> = fields
            .iter()
            .filter_map(|f| f["name"].as_str().map(str::to_owned))
            .collect();
        assert_eq!(
            field_names, header,
            "{name}: the schema lists the CSV's columns"
        );
        assert_eq!(resource["schema"]["missingValues"], serde_json::json!([""]));
        for (i, field) in fields.iter().enumerate() {
            let column = field["name"].as_str().expect("name");
            assert!(
                field["description"].as_str().is_some_and(|d| d.len() > 5),
                "{name}.{column} is described"
            );
            // Every code a column holds is among its allowed codes.
            if let Some(allowed) = field["constraints"]["enum"].as_array() {
                for line in csv.lines().skip(1) {
                    let value = csv_fields(line).swap_remove(i);
                    assert!(
                        value.is_empty() || allowed.iter().any(|a| *a == value),
                        "{name}.{column}: {value} is not among {allowed:?}"
                    );
                }
            }
            if column == "month" {
                assert_eq!(field["type"], "yearmonth");
                for line in csv.lines().skip(1) {
                    let value = csv_fields(line).swap_remove(i);
                    assert!(value.starts_with("2026-") && value.len() == 7, "{value}");
                }
            }
        }
        for coded in ["quality", "dimension", "status", "issue", "stage"] {
            if let Some(field) = fields.iter().find(|f| f["name"] == coded) {
                assert!(
                    field["constraints"]["enum"].is_array(),
                    "{name}.{coded} lists its codes"
                );
            }
        }
    }
}
