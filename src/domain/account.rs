//! Accounts: password hashing (argon2id), unguessable tokens, and the sign-up and sign-in
//! forms parsed into domain types. Free of the web layer; handlers call the hashing through
//! `web::block`, since argon2 deliberately costs tens of milliseconds.

use crate::domain::field_errors::FieldErrors;
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use serde::Deserialize;
use std::fmt::Write as _;

/// Failed sign-ins allowed per email, and per client address, within the window.
pub const MAX_FAILED_PER_EMAIL: i64 = 5;
pub const MAX_FAILED_PER_CLIENT: i64 = 20;
pub const FAILED_WINDOW_MINUTES: i64 = 15;
/// How long sign-in attempts and sign-ups are kept: long enough for every limit counted over
/// them, short enough that the table is no record of who tried what.
pub const ATTEMPTS_KEPT_HOURS: i64 = 24;
/// Characters of a typed email that count: no address is longer (RFC 5321).
const MAX_EMAIL_CHARS: usize = 254;

pub const MIN_PASSWORD_CHARS: usize = 12;
const MAX_PASSWORD_CHARS: usize = 256;

pub const ROLE_STAFF: &str = "staff";
pub const ROLE_LEAD: &str = "lead";

/// An argon2id PHC string for a password, with a fresh random salt.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("password hashing failed: {e}"))
}

/// Whether a password matches a stored hash; a malformed hash never matches.
pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).ok().is_some_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A hash to verify against when the account does not exist, so that a wrong email takes
/// as long as a wrong password and reveals nothing.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        hash_password("reset-eval: no such account").unwrap_or_default()
    });
    &DUMMY
}

/// 256 random bits in hexadecimal: invitation links and CSRF tokens.
pub fn new_token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    }))
}

/// Compares two secrets in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// An email address, trimmed and lowercased, plausibly deliverable.
pub fn parse_email(raw: &str) -> Result<String, (&'static str, &'static str)> {
    let email = raw.trim().to_lowercase();
    if email.is_empty() {
        return Err((
            "Indiquez votre adresse e-mail.",
            "Enter your email address.",
        ));
    }
    let valid = email.len() <= 254
        && !email.chars().any(char::is_whitespace)
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    if valid {
        Ok(email)
    } else {
        Err((
            "Cette adresse e-mail n'est pas valide : elle doit ressembler à prenom.nom@exemple.fr.",
            "This email address is not valid: it should look like first.last@example.org.",
        ))
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct SignUpForm {
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub password_confirm: String,
}

/// A checked sign-up: the password is still clear, to be hashed off the request thread.
#[derive(Debug)]
pub struct NewAccount {
    pub display_name: String,
    pub email: String,
    pub password: String,
}

impl TryFrom<&SignUpForm> for NewAccount {
    type Error = FieldErrors;

    fn try_from(form: &SignUpForm) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let display_name = form.display_name.trim().to_owned();
        if display_name.is_empty() {
            errors.add("display_name", "Indiquez votre nom.", "Enter your name.");
        } else if display_name.chars().count() > 100 {
            errors.add(
                "display_name",
                "Votre nom dépasse 100 caractères.",
                "Your name is longer than 100 characters.",
            );
        }
        let email = parse_email(&form.email).unwrap_or_else(|(fr, en)| {
            errors.add("email", fr, en);
            String::new()
        });
        check_new_password(&mut errors, &form.password, &form.password_confirm);
        errors.into_result(NewAccount {
            display_name,
            email,
            password: form.password.clone(),
        })
    }
}

/// The rules of a new password, the same at sign-up and at a reset: long enough, not
/// absurdly long, typed twice alike. Errors go to `password` and `password_confirm`.
pub fn check_new_password(errors: &mut FieldErrors, password: &str, confirm: &str) {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        errors.add(
            "password",
            format!("Le mot de passe doit compter au moins {MIN_PASSWORD_CHARS} caractères ; il en a {chars}. Une phrase de quelques mots est plus sûre et plus facile à retenir."),
            format!("The password needs at least {MIN_PASSWORD_CHARS} characters; it has {chars}. A phrase of a few words is safer and easier to remember."),
        );
    } else if chars > MAX_PASSWORD_CHARS {
        errors.add(
            "password",
            format!("Le mot de passe dépasse {MAX_PASSWORD_CHARS} caractères."),
            format!("The password is longer than {MAX_PASSWORD_CHARS} characters."),
        );
    }
    if confirm != password {
        errors.add(
            "password_confirm",
            "Les deux mots de passe ne sont pas identiques.",
            "The two passwords do not match.",
        );
    }
}

/// How long a password-reset link may be used.
pub const PASSWORD_RESET_VALID_MINUTES: i64 = 60;
/// How long a sign-up confirmation link may be used.
pub const SIGN_UP_CONFIRMATION_VALID_HOURS: i64 = 24;
/// Password-reset requests allowed per (keyed hash of the) email and per client address within
/// [`FAILED_WINDOW_MINUTES`]: beyond, the form asks to wait, whether the address has an
/// account or not.
pub const MAX_RESET_REQUESTS_PER_EMAIL: i64 = 3;
pub const MAX_RESET_REQUESTS_PER_CLIENT: i64 = 20;

/// What the database keeps of a one-time link's secret: its SHA-256, in hexadecimal. The
/// secret has 256 random bits, so no salt or slow hash is needed; reading the table gives no
/// working link.
pub fn token_hash(token: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(token.trim().as_bytes()).iter().fold(
        String::with_capacity(64),
        |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        },
    )
}

/// A new password, typed twice (password-reset form).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewPasswordForm {
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub password_confirm: String,
}

impl NewPasswordForm {
    /// The password, once it follows [`check_new_password`].
    pub fn checked(&self) -> Result<String, FieldErrors> {
        let mut errors = FieldErrors::new();
        check_new_password(&mut errors, &self.password, &self.password_confirm);
        errors.into_result(self.password.clone())
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
    /// Where to go after signing in (a local path only).
    #[serde(default)]
    pub next: String,
}

/// A path to return to after signing in: a path of this site only, never another site.
///
/// Browsers drop tabs and newlines from a `Location`, read `\` as `/`, and take `//host` or
/// `/\host` for another site; a newline would also break the header (a 500). So only a path
/// of printable ASCII is followed, starting with one `/` followed by anything but `/` or `\`,
/// with no backslash, space or control character anywhere. Percent-encoded bytes stay encoded
/// (`/%2F%2Fevil` is a path of this site); the query string was decoded once already.
pub fn safe_next(next: &str) -> &str {
    let bytes = next.as_bytes();
    let local = next.len() <= 2048
        && bytes.first() == Some(&b'/')
        && !matches!(bytes.get(1), Some(b'/' | b'\\'))
        && bytes.iter().all(|b| b.is_ascii_graphic() && *b != b'\\');
    if local { next } else { "/organisations" }
}

/// A keyed hash (HMAC-SHA256, hexadecimal) of a value, for one purpose, with the instance's
/// secret: equal values can be counted together, while nobody reading the database can tell
/// what was typed (or test guesses against it without the secret).
pub fn keyed_hash(secret: &[u8], purpose: &str, value: &str) -> String {
    use hmac::{Hmac, Mac};
    // HMAC takes a key of any length: `new_from_slice` cannot fail.
    let Ok(mut mac) = Hmac::<sha2::Sha256>::new_from_slice(secret) else {
        return String::new();
    };
    mac.update(purpose.as_bytes());
    mac.update(&[0]);
    mac.update(value.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .fold(String::with_capacity(64), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// What a sign-in attempt stores of the email typed: a keyed hash of it, trimmed, lowercased
/// and cut to the longest possible address, so that a password typed in the wrong field is
/// not kept either.
pub fn attempt_email_key(secret: &[u8], typed: &str) -> String {
    let email: String = typed
        .trim()
        .to_lowercase()
        .chars()
        .take(MAX_EMAIL_CHARS)
        .collect();
    keyed_hash(secret, "sign-in attempts: email", &email)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_hash_and_not_another() {
        let hash = hash_password("une phrase de passe assez longue").expect("hash");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password(&hash, "une phrase de passe assez longue"));
        assert!(!verify_password(&hash, "une autre phrase de passe"));
        assert!(!verify_password("not a hash", "x"));
        assert!(!verify_password(dummy_hash(), "anything"));
    }

    #[test]
    fn tokens_are_256_bits_and_differ() {
        let (a, b) = (new_token().expect("random"), new_token().expect("random"));
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert!(same_secret(&a, &a.clone()));
        assert!(!same_secret(&a, &b));
    }

    #[test]
    fn sign_up_reports_every_problem_at_once() {
        let form = SignUpForm {
            display_name: " ".into(),
            email: "pas-une-adresse".into(),
            password: "court".into(),
            password_confirm: "autre".into(),
        };
        let errors = NewAccount::try_from(&form).expect_err("rejected");
        assert_eq!(errors.len(), 4);
        assert!(
            errors
                .message("password", crate::domain::i18n::Lang::Fr)
                .is_some_and(|m| m.contains("il en a 5"))
        );
    }

    #[test]
    fn a_new_password_follows_the_sign_up_rules() {
        let short = NewPasswordForm {
            password: "court".into(),
            password_confirm: "court".into(),
        };
        assert!(short.checked().is_err_and(|e| e.get("password").is_some()));
        let mismatch = NewPasswordForm {
            password: "une phrase de passe solide".into(),
            password_confirm: "une autre phrase de passe".into(),
        };
        assert!(
            mismatch
                .checked()
                .is_err_and(|e| e.get("password_confirm").is_some())
        );
        let fine = NewPasswordForm {
            password: "une phrase de passe solide".into(),
            password_confirm: "une phrase de passe solide".into(),
        };
        assert_eq!(
            fine.checked().ok().as_deref(),
            Some("une phrase de passe solide")
        );
    }

    #[test]
    fn a_link_secret_is_kept_as_its_sha256() {
        let hash = token_hash("abc");
        assert_eq!(
            hash,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(token_hash(" abc "), hash);
    }

    #[test]
    fn emails_are_trimmed_and_lowercased() {
        assert_eq!(
            parse_email("  Lea.Martin@Exemple.FR ").as_deref(),
            Ok("lea.martin@exemple.fr")
        );
        assert!(parse_email("a@b").is_err());
        assert!(parse_email("a b@c.fr").is_err());
    }

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next("/organisations/1"), "/organisations/1");
        assert_eq!(safe_next("//evil.example"), "/organisations");
        assert_eq!(safe_next("https://evil.example"), "/organisations");
        for hostile in [
            "/\t/evil.example/",
            "/\\evil.example",
            "\\\\evil.example",
            "/\r\nSet-Cookie: x=1",
            "/ok\n",
            "/ /evil.example",
            "/caf\u{e9}",
            "",
            "evil.example",
            "javascript:alert(1)",
        ] {
            assert_eq!(safe_next(hostile), "/organisations", "{hostile:?}");
        }
        assert_eq!(safe_next("/%2F%2Fevil.example"), "/%2F%2Fevil.example");
        assert_eq!(safe_next("/coalitions?lang=en"), "/coalitions?lang=en");
    }

    #[test]
    fn a_typed_email_is_stored_as_a_keyed_hash_of_its_normal_form() {
        let a = attempt_email_key(b"secret", "  Lea@Exemple.FR ");
        assert_eq!(a, attempt_email_key(b"secret", "lea@exemple.fr"));
        assert_eq!(a.len(), 64);
        assert!(!a.contains("lea"));
        assert_ne!(a, attempt_email_key(b"another secret", "lea@exemple.fr"));
        let long = "x".repeat(10_000);
        assert_eq!(
            attempt_email_key(b"secret", &long),
            attempt_email_key(b"secret", &long[..254])
        );
    }
}
