//! Mail: the queue, the worker that sends it, and the outbox folder used without a server.

use crate::helpers::{spawn_app, wait_for_mail};
use reset_eval::domain::{i18n::Lang, mail::Mail};
use std::collections::BTreeSet;

#[tokio::test]
async fn a_queued_mail_is_written_to_the_outbox_when_no_smtp_server_is_set() {
    let app = spawn_app().await;
    let mail = Mail::builder("lea@example.org", Lang::En, "Your link")
        .greeting("Léa")
        .link("Open", "http://127.0.0.1/x")
        .build();
    reset_eval::db::queue_mail(&app.pool, &mail, &reset_eval::db::now())
        .await
        .expect("queued");

    let outbox = app._dir.path().join("outbox");
    let mail = wait_for_mail(
        &outbox,
        "lea@example.org",
        "http://127.0.0.1/x",
        &BTreeSet::new(),
    )
    .await;
    assert!(mail.contains("Subject: Your link"), "{mail}");
    assert!(mail.contains("Content-Language: en"), "{mail}");
    assert!(mail.contains("Hello Léa,"), "{mail}");
    let status: String = sqlx::query_scalar("SELECT status FROM mail_queue")
        .fetch_one(&app.pool)
        .await
        .expect("a row");
    assert_eq!(status, "sent");
}
