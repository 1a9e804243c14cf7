//! What a person does with their own account: rename it, change its password, download
//! everything the service holds about it, delete it.
//!
//! A refusal the person can fix comes back as [`FieldErrors`] (said beside the field, what was
//! typed kept); a fault as [`AppError`]. Password hashing runs off the async runtime. Wrong
//! current passwords count against the sign-in's limit ([`check_current_password`]).

use crate::app::error::AppError;
use crate::app::mailer::Mailer;
use crate::db::{self, Pool, WriteGate};
use crate::domain::account;
use crate::domain::field_errors::FieldErrors;
use crate::domain::i18n::Lang;
use crate::domain::legal::{DELETED_ACCOUNT_NAME, ROLE_DELETED};
use crate::domain::mail::Mail;
use serde::Serialize;

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("blocking task failed: {e}")))
}

async fn own_account(pool: &Pool, account_id: &str) -> Result<db::OwnAccount, AppError> {
    db::own_account(pool, account_id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Who is typing a current password, for the limit on wrong ones: the secret that keys the
/// hash of the account's address (the sign-in's), and the client's address.
#[derive(Debug, Clone, Copy)]
pub struct Attempt<'a> {
    pub secret: &'a [u8],
    pub client: &'a str,
}

/// What checking the current password came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PasswordCheck {
    Right,
    Wrong,
    /// Too many wrong guesses lately: not even checked; try again in this many minutes.
    TooMany(i64),
}

/// Checks `typed` against the account's password (argon2, off the runtime), within the
/// sign-in's limit. Every form that asks for the current password passes here, and each
/// guess is recorded with the sign-in attempts, in the database, under the same keyed hash
/// of the account's address: a stolen session on any instance gets no more guesses than a
/// stranger at the sign-in form, and no fresh budget from switching between the forms.
async fn check_current_password(
    pool: &Pool,
    own: &db::OwnAccount,
    typed: &str,
    attempt: Attempt<'_>,
) -> Result<PasswordCheck, AppError> {
    let key = account::attempt_email_key(attempt.secret, &own.email);
    let now = time::OffsetDateTime::now_utc();
    let window = time::Duration::minutes(account::FAILED_WINDOW_MINUTES);
    let failed =
        db::failed_attempts_since(pool, &key, attempt.client, &db::timestamp(now - window)).await?;
    let waits = [
        (
            failed.by_email,
            account::MAX_FAILED_PER_EMAIL,
            failed.oldest_by_email,
        ),
        (
            failed.by_client,
            account::MAX_FAILED_PER_CLIENT,
            failed.oldest_by_client,
        ),
    ];
    if let Some(minutes) = waits
        .iter()
        .filter(|(count, limit, _)| count >= limit)
        .map(|(_, _, oldest)| minutes_until_out_of_window(oldest.as_deref(), window, now))
        .max()
    {
        return Ok(PasswordCheck::TooMany(minutes));
    }
    let (hash, typed) = (own.password_hash.clone(), typed.to_owned());
    let right = blocking(move || account::verify_password(&hash, &typed)).await?;
    db::record_sign_in_attempt(pool, &key, attempt.client, right).await?;
    Ok(if right {
        PasswordCheck::Right
    } else {
        PasswordCheck::Wrong
    })
}

/// Minutes until the attempt made at `oldest` leaves the window (at least one, at most the
/// window): when the person may try again.
fn minutes_until_out_of_window(
    oldest: Option<&str>,
    window: time::Duration,
    now: time::OffsetDateTime,
) -> i64 {
    let oldest = oldest
        .and_then(|t| {
            time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).ok()
        })
        .unwrap_or(now);
    let seconds = (oldest + window - now).whole_seconds();
    ((seconds + 59) / 60).clamp(1, window.whole_minutes())
}

/// A refused form: the errors beside its fields, and when a wrong-password limit was
/// reached, the minutes before trying again (the answer is then 429).
#[derive(Debug, Default)]
pub struct Refused {
    pub errors: FieldErrors,
    pub retry_in_minutes: Option<i64>,
}

impl From<FieldErrors> for Refused {
    fn from(errors: FieldErrors) -> Self {
        Refused {
            errors,
            retry_in_minutes: None,
        }
    }
}

/// The error beside a current-password field once too many were wrong.
fn too_many_guesses(errors: &mut FieldErrors, field: &str, minutes: i64) {
    errors.add(
        field,
        format!("Trop de mots de passe erronés ces dernières minutes. Par sécurité, réessayez dans {minutes} minute(s) : rien n'a été changé."),
        format!("Too many wrong passwords in the last minutes. For safety, try again in {minutes} minute(s): nothing was changed."),
    );
}

/// Changes the name shown to others; returns the name as kept.
pub async fn rename(
    pool: &Pool,
    writes: &WriteGate,
    account_id: &str,
    typed: &str,
) -> Result<Result<String, FieldErrors>, AppError> {
    let name = match account::parse_display_name(typed) {
        Ok(name) => name,
        Err((fr, en)) => {
            let mut errors = FieldErrors::new();
            errors.add("display_name", fr, en);
            return Ok(Err(errors));
        }
    };
    let mut tx = db::begin_write(pool, writes).await?;
    db::update_display_name(&mut *tx, account_id, &name).await?;
    tx.commit().await?;
    Ok(Ok(name))
}

/// What the password form sends.
#[derive(Debug, Clone, Default)]
pub struct PasswordChange {
    pub current_password: String,
    pub password: String,
    pub password_confirm: String,
}

/// Changes the password once the current one is given, and ends every session of the
/// account in the same transaction (a thief holding one loses it); the caller opens a new
/// session for the person who changed it.
pub async fn change_password(
    pool: &Pool,
    writes: &WriteGate,
    account_id: &str,
    change: &PasswordChange,
    attempt: Attempt<'_>,
) -> Result<Result<(), Refused>, AppError> {
    let own = own_account(pool, account_id).await?;
    let mut errors = FieldErrors::new();
    match check_current_password(pool, &own, &change.current_password, attempt).await? {
        PasswordCheck::Right => {}
        PasswordCheck::Wrong => errors.add(
            "current_password",
            "Ce n'est pas votre mot de passe actuel.",
            "This is not your current password.",
        ),
        PasswordCheck::TooMany(minutes) => {
            too_many_guesses(&mut errors, "current_password", minutes);
            return Ok(Err(Refused {
                errors,
                retry_in_minutes: Some(minutes),
            }));
        }
    }
    account::check_new_password(&mut errors, &change.password, &change.password_confirm);
    if !errors.is_empty() {
        return Ok(Err(errors.into()));
    }
    let password = change.password.clone();
    let hash = blocking(move || account::hash_password(&password)).await??;
    let mut tx = db::begin_write(pool, writes).await?;
    db::update_password_hash(&mut *tx, account_id, &hash).await?;
    db::delete_sessions_of_account(&mut *tx, account_id).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// Everything the service holds about an account, as « télécharger mes données » gives it:
/// what it is, what it leads, and what it wrote; never anyone else's personal data (the
/// other leads of its organisations, other authors in its coalitions).
#[derive(Debug, Serialize)]
pub struct AccountData {
    pub about: &'static str,
    pub exported_at: String,
    pub account: db::OwnAccount,
    pub organisations_led: Vec<db::OrganisationLedData>,
    pub coalitions: Vec<db::CoalitionMembershipData>,
    pub measurement_revisions: Vec<db::MeasurementRevisionData>,
    pub baselines: Vec<db::BaselineData>,
    pub journal_entries: Vec<db::JournalEntryData>,
    pub actions: Vec<db::ActionData>,
    pub productions: Vec<db::ProductionData>,
    pub coalition_stage_changes: Vec<db::StageChangeData>,
    pub sessions: Vec<db::SessionData>,
}

pub async fn data(pool: &Pool, account_id: &str) -> Result<AccountData, AppError> {
    Ok(AccountData {
        about: "reset-eval : toutes les données que le service garde sur votre compte (RGPD, art. 15 et 20) / all the data the service keeps about your account (GDPR, art. 15 and 20)",
        exported_at: db::now(),
        account: own_account(pool, account_id).await?,
        organisations_led: db::organisations_led_data(pool, account_id).await?,
        coalitions: db::coalitions_of_account_data(pool, account_id).await?,
        measurement_revisions: db::measurement_revisions_by(pool, account_id).await?,
        baselines: db::baselines_by(pool, account_id).await?,
        journal_entries: db::journal_entries_by(pool, account_id).await?,
        actions: db::actions_created_by(pool, account_id).await?,
        productions: db::productions_by(pool, account_id).await?,
        coalition_stage_changes: db::stage_changes_by(pool, account_id).await?,
        sessions: db::sessions_data(pool, account_id).await?,
    })
}

/// What becomes of each organisation the account leads if it is deleted.
pub async fn deletion_plan(
    pool: &Pool,
    account_id: &str,
) -> Result<Vec<db::LedOrganisation>, AppError> {
    Ok(db::led_organisations_with_other_leads(pool, account_id).await?)
}

/// Why a deletion was refused.
#[derive(Debug)]
pub enum DeletionRefused {
    /// The password given is not the account's.
    WrongPassword,
    /// Too many wrong passwords lately: try again in this many minutes.
    TooManyGuesses(i64),
    /// The account is the only lead of these organisations (their names): someone must take
    /// them over, or they must be deleted, first.
    SoleLead(Vec<String>),
}

/// Deletes the account once its password is given, unless it is the only lead of an
/// organisation (checked again inside the transaction, so that a co-lead leaving at the same
/// moment cannot leave an organisation without any).
pub async fn delete(
    pool: &Pool,
    writes: &WriteGate,
    account_id: &str,
    password: &str,
    attempt: Attempt<'_>,
) -> Result<Result<(), DeletionRefused>, AppError> {
    let own = own_account(pool, account_id).await?;
    match check_current_password(pool, &own, password, attempt).await? {
        PasswordCheck::Right => {}
        PasswordCheck::Wrong => return Ok(Err(DeletionRefused::WrongPassword)),
        PasswordCheck::TooMany(minutes) => {
            return Ok(Err(DeletionRefused::TooManyGuesses(minutes)));
        }
    }
    let mut tx = db::begin_write(pool, writes).await?;
    let sole: Vec<String> = db::led_organisations_with_other_leads(&mut *tx, account_id)
        .await?
        .into_iter()
        .filter(|o| o.other_leads == 0)
        .map(|o| o.name)
        .collect();
    if !sole.is_empty() {
        tx.rollback().await?;
        return Ok(Err(DeletionRefused::SoleLead(sole)));
    }
    db::erase_account(&mut tx, account_id, DELETED_ACCOUNT_NAME, ROLE_DELETED).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// Sets the language the account's mails are written in.
pub async fn set_language(
    pool: &Pool,
    writes: &WriteGate,
    account_id: &str,
    typed: &str,
) -> Result<Result<Lang, FieldErrors>, AppError> {
    let Some(language) = Lang::from_code(typed.trim()) else {
        let mut errors = FieldErrors::new();
        errors.add(
            "language",
            "Choisissez le français ou l'anglais.",
            "Choose French or English.",
        );
        return Ok(Err(errors));
    };
    let mut tx = db::begin_write(pool, writes).await?;
    db::set_account_language(&mut *tx, account_id, language.code()).await?;
    tx.commit().await?;
    Ok(Ok(language))
}

/// What the address form sends.
#[derive(Debug, Clone, Default)]
pub struct EmailChange {
    pub new_email: String,
    pub current_password: String,
}

/// Asks to change the account's address: once the password is given, a link is mailed to the
/// new address (in the queue, in the same transaction as the request); the address changes
/// only when that link is followed, so nobody can move an account to an address they do not
/// read. Returns the new address.
pub async fn request_email_change(
    pool: &Pool,
    writes: &WriteGate,
    mailer: &Mailer,
    account_id: &str,
    change: &EmailChange,
    attempt: Attempt<'_>,
) -> Result<Result<String, Refused>, AppError> {
    let own = own_account(pool, account_id).await?;
    let mut errors = FieldErrors::new();
    let new_email = match account::parse_email(&change.new_email) {
        Ok(email) if email == own.email => {
            errors.add(
                "new_email",
                "C'est déjà l'adresse de votre compte.",
                "This is already your account's address.",
            );
            email
        }
        Ok(email) => email,
        Err((fr, en)) => {
            errors.add("new_email", fr, en);
            String::new()
        }
    };
    if errors.is_empty() && db::email_taken_by_another(pool, &new_email, account_id).await? {
        errors.add(
            "new_email",
            "Un autre compte utilise déjà cette adresse.",
            "Another account already uses this address.",
        );
    }
    match check_current_password(pool, &own, &change.current_password, attempt).await? {
        PasswordCheck::Right => {}
        PasswordCheck::Wrong => errors.add(
            "current_password",
            "Ce n'est pas votre mot de passe actuel.",
            "This is not your current password.",
        ),
        PasswordCheck::TooMany(minutes) => {
            too_many_guesses(&mut errors, "current_password", minutes);
            return Ok(Err(Refused {
                errors,
                retry_in_minutes: Some(minutes),
            }));
        }
    }
    if !errors.is_empty() {
        return Ok(Err(errors.into()));
    }
    let secret =
        account::new_token().map_err(|e| AppError::Internal(anyhow::anyhow!("random: {e}")))?;
    let now = time::OffsetDateTime::now_utc();
    let expires = now + time::Duration::hours(account::EMAIL_CHANGE_VALID_HOURS);
    let lang = Lang::from_code(&own.language).unwrap_or_default();
    let hours = account::EMAIL_CHANGE_VALID_HOURS;
    let mail = Mail::builder(
        &new_email,
        lang,
        lang.pick(
            "Confirmez votre nouvelle adresse e-mail",
            "Confirm your new email address",
        ),
    )
    .greeting(&own.display_name)
    .paragraph(lang.pick(
        &format!("Vous avez demandé que cette adresse devienne celle de votre compte #RESET, à la place de {}. Elle ne change qu'une fois ce lien suivi, dans les {hours} heures.", own.email),
        &format!("You asked for this address to become your #RESET account's, instead of {}. It changes only once this link is followed, within {hours} hours.", own.email),
    ))
    .link(
        lang.pick("Confirmer ma nouvelle adresse", "Confirm my new address"),
        &mailer.link(&format!("/account/email/confirm/{secret}")),
    )
    .reason(lang.pick(
        "Vous recevez ce message parce que quelqu'un connecté à ce compte a demandé ce changement. Si ce n'est pas vous, ignorez-le : rien ne change.",
        "You receive this message because someone signed in to this account asked for this change. If it was not you, ignore it: nothing changes.",
    ))
    .build();
    let mut tx = db::begin_write(pool, writes).await?;
    db::insert_email_change(
        &mut tx,
        &account::token_hash(&secret),
        account_id,
        &new_email,
        &db::timestamp(now),
        &db::timestamp(expires),
    )
    .await?;
    db::queue_mail(&mut *tx, &mail, &db::timestamp(now)).await?;
    tx.commit().await?;
    mailer.nudge();
    Ok(Ok(new_email))
}

/// The change of address a link confirms, while it is valid.
pub async fn email_change_to_confirm(
    pool: &Pool,
    secret: &str,
) -> Result<Option<db::PendingEmailChange>, AppError> {
    Ok(db::pending_email_change(pool, &account::token_hash(secret), &db::now()).await?)
}

/// Why a confirmation link did not change the address.
#[derive(Debug)]
pub enum EmailChangeRefused {
    /// Unknown, expired or already used.
    InvalidLink,
    /// Another account took the address since the request.
    Taken,
}

/// Follows a confirmation link: the account takes the new address, and the old address is
/// told (in the same transaction), with whom to write to if it was not its owner.
pub async fn confirm_email_change(
    pool: &Pool,
    writes: &WriteGate,
    mailer: &Mailer,
    secret: &str,
    contact: &str,
) -> Result<Result<String, EmailChangeRefused>, AppError> {
    let hash = account::token_hash(secret);
    let now = db::now();
    let mut tx = db::begin_write(pool, writes).await?;
    let Some(change) = db::pending_email_change(&mut *tx, &hash, &now).await? else {
        tx.rollback().await?;
        return Ok(Err(EmailChangeRefused::InvalidLink));
    };
    if db::email_taken_by_another(&mut *tx, &change.new_email, &change.account_id).await? {
        tx.rollback().await?;
        return Ok(Err(EmailChangeRefused::Taken));
    }
    if !db::apply_email_change(&mut tx, &hash, &change.account_id, &change.new_email, &now).await? {
        tx.rollback().await?;
        return Ok(Err(EmailChangeRefused::InvalidLink));
    }
    let lang = Lang::from_code(&change.language).unwrap_or_default();
    let told = Mail::builder(
        &change.old_email,
        lang,
        lang.pick(
            "L'adresse e-mail de votre compte a changé",
            "Your account's email address changed",
        ),
    )
    .greeting(&change.display_name)
    .paragraph(lang.pick(
        &format!("L'adresse de votre compte #RESET est désormais {}. Cette adresse-ci ne le sert plus.", change.new_email),
        &format!("Your #RESET account's address is now {}. This address no longer serves it.", change.new_email),
    ))
    .paragraph(lang.pick(
        &format!("Si vous n'êtes pas à l'origine de ce changement, écrivez-nous tout de suite : {contact}."),
        &format!("If you did not make this change, write to us at once: {contact}."),
    ))
    .reason(lang.pick(
        "Vous recevez ce message parce que cette adresse était celle de votre compte.",
        "You receive this message because this address was your account's.",
    ))
    .build();
    db::queue_mail(&mut *tx, &told, &now).await?;
    tx.commit().await?;
    mailer.nudge();
    Ok(Ok(change.new_email))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_may_guess_again_once_the_oldest_wrong_guess_leaves_the_window() {
        let at = |t: &str| {
            time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339)
                .expect("time")
        };
        let window = time::Duration::minutes(15);
        let now = at("2026-12-06T12:00:00Z");
        assert_eq!(
            minutes_until_out_of_window(Some("2026-12-06T11:50:00Z"), window, now),
            5
        );
        assert_eq!(
            minutes_until_out_of_window(Some("2026-12-06T11:45:30Z"), window, now),
            1
        );
        assert_eq!(minutes_until_out_of_window(None, window, now), 15);
    }
}
