//! The yearly evaluation report: written from the demo data, byte-identical on a second run,
//! its figures equal to those recomputed from the database, and published (frozen, the
//! year's measurements locked) from the staff page, through background jobs.

use crate::helpers::spawn_app;
use reset_eval::app::demo;
use reset_eval::db;
use reset_eval::domain::i18n::Lang;
use std::path::Path;

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in walk(dir) {
        let bytes = std::fs::read(&entry).expect("read");
        out.push((
            entry
                .strip_prefix(dir)
                .expect("inside")
                .display()
                .to_string(),
            bytes,
        ));
    }
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// The value of `column` in the CSV row whose first fields are `key`.
fn csv_value(csv: &str, key: &[&str], column: &str) -> Option<String> {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next()?.split(',').collect();
    let at = header.iter().position(|h| *h == column)?;
    lines
        .map(|l| l.split(',').collect::<Vec<_>>())
        .find(|fields| {
            key.iter()
                .enumerate()
                .all(|(i, k)| fields.get(i) == Some(k))
        })
        .and_then(|fields| fields.get(at).map(|v| v.to_string()))
}

#[tokio::test]
async fn the_report_is_written_twice_byte_for_byte_and_its_figures_match_the_database() {
    let app = spawn_app().await;
    demo::load(&app.pool, &app.registry).await.expect("demo");
    let dir = tempfile::tempdir().expect("tempdir");
    let (first, second) = (dir.path().join("a"), dir.path().join("b"));
    for out in [&first, &second] {
        let generated =
            reset_eval::report::generate(&app.pool, &app.registry, 2026, out, Lang::Fr, &())
                .await
                .expect("report");
        assert!(!generated.frozen);
    }
    let (a, b) = (files(&first), files(&second));
    assert!(a.len() > 30, "{} files", a.len());
    for expected in [
        "index.html",
        "data/README.md",
        "data/coalition_indicators.csv",
        "data/coalition_indicators.parquet",
        "charts/heatmap.svg",
        "charts/quality_distribution.svg",
    ] {
        assert!(
            a.iter().any(|(name, _)| name == expected),
            "missing {expected}"
        );
    }
    assert_eq!(a, b, "the same database and year give byte-identical files");

    let read = |name: &str| std::fs::read_to_string(first.join("data").join(name)).expect(name);
    // Participation: organisations' responses submitted in 2026 (coalitions' own
    // diagnostics are not organisations'), counted by SQL.
    let submitted: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM responses r JOIN diagnostics d ON d.id = r.diagnostic_id
         WHERE d.organisation_id IS NOT NULL AND r.submitted_at LIKE '2026%'",
    )
    .fetch_one(&app.pool)
    .await
    .expect("count");
    assert_eq!(
        csv_value(&read("participation.csv"), &[], "submitted").as_deref(),
        Some(submitted.to_string().as_str())
    );
    // Coalitions: actions done by « achat public responsable », counted by SQL.
    let done: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM coalition_actions a JOIN coalitions c ON c.id = a.coalition_id
         WHERE c.slug = 'achat-public-responsable' AND a.status = 'fait'",
    )
    .fetch_one(&app.pool)
    .await
    .expect("count");
    assert_eq!(
        csv_value(
            &read("coalitions.csv"),
            &["achat-public-responsable"],
            "actions_fait"
        )
        .as_deref(),
        Some(done.to_string().as_str())
    );
    // An indicator's value of the year: APR-2 (people trained) adds up, so the sum of its
    // validated measurements dated in 2026 or before.
    let latest: Option<f64> = sqlx::query_scalar(
        "SELECT SUM(r.value) FROM measurement_revisions r JOIN measurements m ON m.id = r.measurement_id
         JOIN indicators i ON i.id = m.indicator_id
         WHERE i.code = 'APR-2' AND r.status = 'validated' AND m.measured_on <= '2026-12-31'
        ",
    )
    .fetch_one(&app.pool)
    .await
    .expect("value");
    let reported = csv_value(
        &read("coalition_indicators.csv"),
        &["achat-public-responsable", "APR-2"],
        "value_year",
    )
    .and_then(|v| v.parse::<f64>().ok());
    assert_eq!(reported, latest, "APR-2 (cumulative) as reported");
    // The document names its sections and carries its charts inline.
    let html = std::fs::read_to_string(first.join("index.html")).expect("index");
    for expected in [
        "1. Participation",
        "2. Les 7 qualités",
        "3. Progrès",
        "4. Tableau de bord des coalitions",
        "5. Couverture",
        "6. Qualité des données",
        "<svg",
        "CC BY 4.0",
    ] {
        assert!(html.contains(expected), "missing {expected}");
    }
    // Self-contained: no script, no stylesheet or image loaded from anywhere.
    for loads in ["<script", "<link", " src="] {
        assert!(!html.contains(loads), "the document loads nothing: {loads}");
    }
}

#[tokio::test]
async fn staff_produce_and_publish_a_report_which_freezes_it_and_locks_the_year() {
    let app = spawn_app().await;
    demo::load(&app.pool, &app.registry).await.expect("demo");
    let staff = app.staff("equipe@example.org").await;
    let (lead, _) = app
        .coalition_member(&app.coalition("essai").await, "porteur", "lead@example.org")
        .await;
    assert_eq!(lead.get("/reports").await.0, 403);
    assert_eq!(lead.post("/reports", &[("year", "2026")]).await.0, 403);
    assert_eq!(lead.post("/reports/2026/publish", &[]).await.0, 403);
    assert!(db::locked_years(&app.pool).await.expect("years").is_empty());

    // Producing runs as a background job; its draft is read from the database.
    let (status, location, _) = staff.post("/reports", &[("year", "2026")]).await;
    assert_eq!((status.as_u16(), location.as_str()), (303, "/reports"));
    crate::publications::jobs_finish(&app).await;
    let (status, page) = staff.get("/reports").await;
    assert_eq!(status, 200);
    assert!(page.contains("Lire le brouillon 2026") && page.contains("Publier le rapport 2026"));
    let (status, document) = staff.get("/reports/2026/files/index.html").await;
    assert_eq!(status, 200);
    assert!(document.contains("Évaluation du programme #RESET 2026"));

    // Publishing asks for confirmation (issue 15), then runs as a job too.
    let (status, _, _) = staff.post("/reports/2026/publish", &[]).await;
    assert_eq!(status, 422);
    assert!(db::locked_years(&app.pool).await.expect("years").is_empty());
    let (status, _, _) = staff
        .post("/reports/2026/publish", &[("confirm", "yes")])
        .await;
    assert_eq!(status, 303);
    crate::publications::jobs_finish(&app).await;
    assert_eq!(
        db::locked_years(&app.pool).await.expect("years"),
        vec![2026]
    );
    let (_, page) = staff.get("/reports").await;
    assert!(page.contains("Publié le"));
    // Frozen: later changes to the data do not move the published figures.
    let dir = tempfile::tempdir().expect("tempdir");
    let before =
        reset_eval::report::generate(&app.pool, &app.registry, 2026, dir.path(), Lang::Fr, &())
            .await
            .expect("report");
    assert!(before.frozen);
    let csv = std::fs::read(dir.path().join("data/coalitions.csv")).expect("csv");
    sqlx::query("UPDATE coalition_actions SET status = 'fait'")
        .execute(&app.pool)
        .await
        .expect("update");
    reset_eval::report::generate(&app.pool, &app.registry, 2026, dir.path(), Lang::Fr, &())
        .await
        .expect("report");
    assert_eq!(
        std::fs::read(dir.path().join("data/coalitions.csv")).expect("csv"),
        csv
    );
}

/// Responses submitted in 2026 to the diagnostics of verified organisations, counted by SQL.
async fn verified_submitted(app: &crate::helpers::TestApp) -> i64 {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM responses r JOIN diagnostics d ON d.id = r.diagnostic_id
         JOIN organisations o ON o.id = d.organisation_id
         WHERE o.verified = 1 AND r.submitted_at LIKE '2026%'",
    )
    .fetch_one(&app.pool)
    .await
    .expect("count")
}

#[tokio::test]
async fn the_report_counts_an_organisation_anyone_made_up_only_once_staff_verify_it() {
    let app = spawn_app().await;
    demo::load(&app.pool, &app.registry).await.expect("demo");
    let staff = app.staff("equipe.rapport@exemple.fr").await;
    let dir = tempfile::tempdir().expect("tempdir");
    let participation = |dir: &Path| {
        let csv = std::fs::read_to_string(dir.join("data/participation.csv")).expect("csv");
        csv_value(&csv, &[], "submitted").and_then(|v| v.parse::<i64>().ok())
    };
    let real = dir.path().join("real");
    reset_eval::report::generate(&app.pool, &app.registry, 2026, &real, Lang::Fr, &())
        .await
        .expect("report");
    let counted = verified_submitted(&app).await;
    assert!(counted > 0);
    assert_eq!(participation(&real), Some(counted));

    // Someone signs up and answers for three « respondents » of a commune they made up.
    let attacker = app.visitor();
    attacker
        .sign_up("Max Rapport", "max.rapport@exemple.fr")
        .await;
    let diagnostic = crate::open_data::organisation_with_respondents(
        &app,
        &attacker,
        "Commune imaginaire",
        "69",
        3,
    )
    .await;
    let made_up = crate::open_data::organisation_of(&app, &diagnostic).await;
    let polluted = dir.path().join("polluted");
    reset_eval::report::generate(&app.pool, &app.registry, 2026, &polluted, Lang::Fr, &())
        .await
        .expect("report");
    assert_eq!(
        participation(&polluted),
        Some(counted),
        "the made-up answers count"
    );
    assert_eq!(
        files(&real),
        files(&polluted),
        "the made-up organisation changed the report"
    );
    // The report says whom it counts, in both languages.
    let html = std::fs::read_to_string(polluted.join("index.html")).expect("index");
    assert!(html.contains("ne comptent que les organisations vérifiées par l'équipe du programme"));
    let english = dir.path().join("en");
    reset_eval::report::generate(&app.pool, &app.registry, 2026, &english, Lang::En, &())
        .await
        .expect("report");
    let html = std::fs::read_to_string(english.join("index.html")).expect("index");
    assert!(html.contains("count only organisations verified by the programme team"));

    // Staff check it and verify it from the organisation page: it counts from then on.
    staff.get(&format!("/organisations/{made_up}")).await;
    let (status, _, body) = staff
        .post(
            &format!("/organisations/{made_up}/verification"),
            &[("verified", "1")],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let verified = dir.path().join("verified");
    reset_eval::report::generate(&app.pool, &app.registry, 2026, &verified, Lang::Fr, &())
        .await
        .expect("report");
    assert_eq!(verified_submitted(&app).await, counted + 3);
    assert_eq!(participation(&verified), Some(counted + 3));
}

/// Every value of `attribute` in the document, in order (`id="…"`, `href="…"`).
fn attribute_values(html: &str, attribute: &str) -> Vec<String> {
    let needle = format!(" {attribute}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(&needle) {
        rest = &rest[at + needle.len()..];
        if let Some(end) = rest.find('"') {
            out.push(rest[..end].to_owned());
            rest = &rest[end..];
        }
    }
    out
}

/// The opening tag just before each `<table`: the element that holds the table.
fn table_holders(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (at, _) in html.match_indices("<table") {
        let before = &html[..at];
        let open = before.rfind('<').expect("a holder");
        out.push(before[open..].to_owned());
    }
    out
}

#[tokio::test]
async fn the_report_document_has_unique_ids_working_contents_links_and_keyboard_scrollable_tables()
{
    let app = spawn_app().await;
    demo::load(&app.pool, &app.registry).await.expect("demo");
    let dir = tempfile::tempdir().expect("tempdir");
    for lang in [Lang::Fr, Lang::En] {
        let out = dir.path().join(lang.code());
        reset_eval::report::generate(&app.pool, &app.registry, 2026, &out, lang, &())
            .await
            .expect("report");
        let html = std::fs::read_to_string(out.join("index.html")).expect("index");
        let ids = attribute_values(&html, "id");
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), ids.len(), "{lang:?}: an id is used twice");
        let links: Vec<String> = attribute_values(&html, "href")
            .into_iter()
            .filter_map(|h| h.strip_prefix('#').map(str::to_owned))
            .collect();
        // The contents (7 entries with the key findings) and one link a finding.
        assert!(links.len() >= 10, "{lang:?}: {links:?}");
        for target in &links {
            assert!(ids.contains(target), "{lang:?}: #{target} leads nowhere");
        }
        // Every table sits in a region the keyboard can reach and scroll, named by its
        // caption.
        let holders = table_holders(&html);
        assert!(holders.len() >= 15, "{} tables", holders.len());
        for holder in &holders {
            assert!(
                holder.contains("role=\"region\"") && holder.contains("tabindex=\"0\""),
                "{lang:?}: {holder}"
            );
            let caption = attribute_values(holder, "aria-labelledby");
            assert_eq!(caption.len(), 1, "{holder}");
            assert!(
                html.contains(&format!("<caption id=\"{}\"", caption[0])),
                "{lang:?}: {holder} is named by no caption"
            );
        }
        // Figures in the language's format, places and months named, no slug beside a name.
        let (departement, month, suppressed) = match lang {
            Lang::Fr => (
                "69 — Rhône",
                "mars 2026",
                "graphique masqué : moins de 5 organisations",
            ),
            Lang::En => (
                "69 — Rhône",
                "March 2026",
                "chart suppressed: fewer than 5 organisations",
            ),
        };
        for expected in [departement, month, suppressed] {
            assert!(html.contains(expected), "{lang:?}: missing {expected}");
        }
        assert!(
            !html.contains("<td>achat-public-responsable</td>"),
            "{lang:?}: a slug is shown"
        );
        let name: String = sqlx::query_scalar(match lang {
            Lang::Fr => "SELECT name_fr FROM coalitions WHERE slug = 'achat-public-responsable'",
            Lang::En => "SELECT name_en FROM coalitions WHERE slug = 'achat-public-responsable'",
        })
        .fetch_one(&app.pool)
        .await
        .expect("name");
        assert!(
            html.contains(&format!("<td>{name}</td>")),
            "{lang:?}: the coalition is named « {name} »"
        );
        // A chart whose every group is suppressed is said, not drawn as empty axes.
        assert!(!out.join("charts/participation_by_month.svg").exists());
    }
}
