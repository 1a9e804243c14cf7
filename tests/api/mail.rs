//! Mail: the queue, the worker that sends it, and the outbox folder used without a server.

use crate::helpers::spawn_app;
use reset_eval::domain::{i18n::Lang, mail::Mail};
use std::path::Path;
use std::time::Duration;

/// The `.eml` files of an outbox folder, as text, waiting up to 10 s for `count` of them.
pub async fn outbox_mails(dir: &Path, count: usize) -> Vec<String> {
    let outbox = dir.join("outbox");
    for _ in 0..200 {
        let mails: Vec<String> = std::fs::read_dir(&outbox)
            .map(|entries| {
                entries
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "eml"))
                    .filter_map(|p| std::fs::read_to_string(p).ok())
                    .collect()
            })
            .unwrap_or_default();
        if mails.len() >= count {
            return mails;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("fewer than {count} mail(s) in {}", outbox.display());
}

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

    let mails = outbox_mails(app._dir.path(), 1).await;
    assert!(mails[0].contains("To: lea@example.org"), "{}", mails[0]);
    assert!(mails[0].contains("Subject: Your link"), "{}", mails[0]);
    assert!(mails[0].contains("Content-Language: en"), "{}", mails[0]);
    let status: String = sqlx::query_scalar("SELECT status FROM mail_queue")
        .fetch_one(&app.pool)
        .await
        .expect("a row");
    assert_eq!(status, "sent");
}
