//! Accounts that prove their address: signing up through a confirmation link, and choosing
//! a new password through a one-time reset link.
//!
//! A sign-up stores a pending sign-up and mails a link; following it creates the account (so
//! no account exists for an address nobody confirmed). When the address has an account
//! already, the mail says so instead, with a reset link: the page reads the same either way,
//! and the same work is done (the password is hashed either way), so the answer tells a
//! stranger nothing. A reset request likewise answers the same for an unknown address, after
//! the very same statements: the page only queues the request, and the worker looks the
//! address up and mails the link ([`handle_reset_requests`]).
//!
//! Every mail is queued in the transaction that records its cause
//! (`crate::db::queue_mail`), then the worker is nudged; the person is told « sent » only once
//! that transaction is committed.

use crate::app::error::AppError;
use crate::app::mailer::Mailer;
use crate::app::tasks::WorkerContext;
use crate::db::{self, Pool, WriteGate};
use crate::domain::account::{self, NewAccount};
use crate::domain::i18n::Lang;
use crate::domain::mail;
use time::{Duration, OffsetDateTime};

/// Where mails' links point and how the worker is woken, with the pool and the write gate.
pub struct Services<'a> {
    pub pool: &'a Pool,
    pub writes: &'a WriteGate,
    pub mailer: &'a Mailer,
}

/// The account a confirmation or a reset signs in.
#[derive(Debug, Clone)]
pub struct SignedUp {
    pub id: String,
    pub display_name: String,
    pub role: account::AccountRole,
}

fn random_token() -> Result<String, AppError> {
    account::new_token().map_err(|e| AppError::Internal(anyhow::anyhow!("random: {e}")))
}

async fn hash_off_thread(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || account::hash_password(&password))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("password hashing: {e}")))?
        .map_err(AppError::Internal)
}

/// Records a sign-up from `client` and mails the address: a confirmation link, or, when it
/// has an account already, a note saying so with a reset link.
pub async fn request_sign_up(
    services: &Services<'_>,
    new: NewAccount,
    language: Lang,
    client: &str,
) -> Result<(), AppError> {
    // Hashed whether or not the address has an account: both answers take as long.
    let password_hash = hash_off_thread(new.password.clone()).await?;
    let existing = db::account_by_email(services.pool, &new.email).await?;
    let token = random_token()?;
    let now = OffsetDateTime::now_utc();
    let stamp = db::timestamp(now);
    let mut tx = db::begin_write(services.pool, services.writes).await?;
    match existing {
        Some(existing) => {
            let language = db::account_language(&mut *tx, &existing.id)
                .await?
                .and_then(|code| Lang::from_code(&code))
                .unwrap_or(language);
            let minutes = account::PASSWORD_RESET_VALID_MINUTES;
            db::insert_password_reset(
                &mut *tx,
                &account::token_hash(&token),
                &existing.id,
                &stamp,
                &db::timestamp(now + Duration::minutes(minutes)),
            )
            .await?;
            let mail = mail::sign_up_address_taken(
                &existing.email,
                language,
                &services.mailer.link("/signin"),
                &services.mailer.link(&format!("/password/reset/{token}")),
                minutes,
            );
            db::queue_mail(&mut *tx, &mail, &stamp).await?;
        }
        None => {
            let hours = account::SIGN_UP_CONFIRMATION_VALID_HOURS;
            db::insert_pending_sign_up(
                &mut *tx,
                &account::token_hash(&token),
                &new.email,
                &new.display_name,
                &password_hash,
                language.code(),
                &stamp,
                &db::timestamp(now + Duration::hours(hours)),
            )
            .await?;
            let mail = mail::sign_up_confirmation(
                &new.email,
                language,
                &new.display_name,
                &services.mailer.link(&format!("/signup/confirm/{token}")),
                hours,
            );
            db::queue_mail(&mut *tx, &mail, &stamp).await?;
        }
    }
    db::record_sign_up(&mut *tx, client, &stamp).await?;
    tx.commit().await?;
    services.mailer.nudge();
    Ok(())
}

/// Where a confirmation link stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkState {
    /// Usable: for this address (sign-up) or account (reset).
    Usable,
    /// Used already, or expired, or never made: the same page for all three.
    Spent,
}

/// Whether a sign-up link can still be followed (shown before the person confirms).
pub async fn sign_up_link_state(pool: &Pool, token: &str) -> Result<LinkState, AppError> {
    let pending = db::pending_sign_up(pool, &account::token_hash(token)).await?;
    let now = db::now();
    Ok(match pending {
        Some(p) if p.used_at.is_none() && p.expires_at > now => LinkState::Usable,
        _ => LinkState::Spent,
    })
}

/// What following a sign-up link did.
#[derive(Debug, Clone)]
pub enum Confirmation {
    /// The account was created: sign it in.
    Created(SignedUp),
    /// The link was used already or has expired.
    Spent,
    /// The address got an account meanwhile (another sign-up confirmed first).
    AddressTaken,
}

/// Follows a sign-up link: creates the account, once.
pub async fn confirm_sign_up(
    services: &Services<'_>,
    token: &str,
) -> Result<Confirmation, AppError> {
    let hash = account::token_hash(token);
    let Some(pending) = db::pending_sign_up(services.pool, &hash).await? else {
        return Ok(Confirmation::Spent);
    };
    let now = db::now();
    let mut tx = db::begin_write(services.pool, services.writes).await?;
    if !db::use_pending_sign_up(&mut *tx, &hash, &now).await? {
        tx.rollback().await?;
        return Ok(Confirmation::Spent);
    }
    let created = db::Account {
        id: db::new_id(),
        email: pending.email,
        display_name: pending.display_name,
        password_hash: pending.password_hash,
        role: account::AccountRole::Lead,
    };
    if !db::insert_account(&mut *tx, &created, &now).await? {
        tx.rollback().await?;
        return Ok(Confirmation::AddressTaken);
    }
    db::set_account_language(&mut *tx, &created.id, &pending.language).await?;
    tx.commit().await?;
    Ok(Confirmation::Created(SignedUp {
        id: created.id,
        display_name: created.display_name,
        role: created.role,
    }))
}

/// What a reset request answers (the same page for a known and an unknown address).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResetRequest {
    /// Recorded; a mail was queued if the address has an account.
    Recorded,
    /// Too many requests for this address or from this client: wait this many minutes.
    TooMany { minutes: i64 },
}

/// Records a reset request and queues it for the worker ([`handle_reset_requests`]), which
/// mails the link when the address has an account. The request itself never looks the
/// address up: known or not, it runs the same statements (a count, two inserts, a commit)
/// and answers as fast, so its timing tells a stranger nothing.
pub async fn request_password_reset(
    services: &Services<'_>,
    typed_email: &str,
    email_key: &str,
    client: &str,
) -> Result<ResetRequest, AppError> {
    let now = OffsetDateTime::now_utc();
    let window = Duration::minutes(account::FAILED_WINDOW_MINUTES);
    let (by_email, by_client) = db::password_reset_requests_since(
        services.pool,
        email_key,
        client,
        &db::timestamp(now - window),
    )
    .await?;
    if by_email >= account::MAX_RESET_REQUESTS_PER_EMAIL
        || by_client >= account::MAX_RESET_REQUESTS_PER_CLIENT
    {
        return Ok(ResetRequest::TooMany {
            minutes: account::FAILED_WINDOW_MINUTES,
        });
    }
    let email = typed_email.trim().to_lowercase();
    let stamp = db::timestamp(now);
    let mut tx = db::begin_write(services.pool, services.writes).await?;
    db::record_password_reset_request(&mut *tx, email_key, client, &stamp).await?;
    db::queue_password_reset(&mut *tx, &email, &stamp).await?;
    tx.commit().await?;
    services.mailer.nudge();
    Ok(ResetRequest::Recorded)
}

/// How many queued reset requests one turn of the worker handles; the rest wait a turn.
const RESET_REQUESTS_PER_TURN: i64 = 50;

/// The worker's half of a reset request: for each queued one it takes (once across
/// instances), a link and its mail when the address has an account, nothing otherwise.
/// Returns how many mails were queued.
pub async fn handle_reset_requests(context: &WorkerContext) -> Result<usize, AppError> {
    let mut queued = 0;
    for id in db::queued_password_resets(&context.pool, RESET_REQUESTS_PER_TURN).await? {
        let mut tx = db::begin_write(&context.pool, &context.writes).await?;
        let Some(email) = db::take_password_reset(&mut *tx, &id).await? else {
            tx.rollback().await?;
            continue;
        };
        let Some(existing) = db::account_by_email(&mut *tx, &email).await? else {
            tx.commit().await?;
            continue;
        };
        let language = db::account_language(&mut *tx, &existing.id)
            .await?
            .and_then(|code| Lang::from_code(&code))
            .unwrap_or_default();
        let token = random_token()?;
        let now = OffsetDateTime::now_utc();
        let stamp = db::timestamp(now);
        let minutes = account::PASSWORD_RESET_VALID_MINUTES;
        db::insert_password_reset(
            &mut *tx,
            &account::token_hash(&token),
            &existing.id,
            &stamp,
            &db::timestamp(now + Duration::minutes(minutes)),
        )
        .await?;
        let mail = mail::password_reset(
            &existing.email,
            language,
            &existing.display_name,
            &context.mailer.link(&format!("/password/reset/{token}")),
            minutes,
        );
        db::queue_mail(&mut *tx, &mail, &stamp).await?;
        tx.commit().await?;
        queued += 1;
    }
    Ok(queued)
}

/// Whether a reset link can still be used (shown before the new password is typed).
pub async fn reset_link_state(pool: &Pool, token: &str) -> Result<LinkState, AppError> {
    let account = db::password_reset_account(pool, &account::token_hash(token), &db::now()).await?;
    Ok(if account.is_some() {
        LinkState::Usable
    } else {
        LinkState::Spent
    })
}

/// Sets the new password through a reset link, once; ends every session of the account
/// (the caller then opens a new one). `None`: the link was used already or has expired.
pub async fn reset_password(
    services: &Services<'_>,
    token: &str,
    new_password: String,
) -> Result<Option<SignedUp>, AppError> {
    let hash = account::token_hash(token);
    let now = db::now();
    let Some(account_id) = db::password_reset_account(services.pool, &hash, &now).await? else {
        return Ok(None);
    };
    let password_hash = hash_off_thread(new_password).await?;
    let now = db::now();
    let mut tx = db::begin_write(services.pool, services.writes).await?;
    if !db::use_password_reset(&mut *tx, &hash, &now).await? {
        tx.rollback().await?;
        return Ok(None);
    }
    db::set_password_hash(&mut *tx, &account_id, &password_hash).await?;
    db::use_password_resets_of_account(&mut *tx, &account_id, &now).await?;
    db::delete_sessions_of_account(&mut *tx, &account_id).await?;
    let signed_in: Option<(String, account::AccountRole)> =
        db::account_name_and_role(&mut *tx, &account_id).await?;
    tx.commit().await?;
    Ok(signed_in.map(|(display_name, role)| SignedUp {
        id: account_id,
        display_name,
        role,
    }))
}
