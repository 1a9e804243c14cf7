//! Before the service uses its database: names what stands in the way and the setting to
//! change, in the person's language and within seconds. A folder that cannot be made or
//! written, a full disk, a read-only file, a server that refuses or does not answer, a wrong
//! password: each is told as such, rather than « check DATABASE_URL » or « pool timed out »
//! after the pool's time-out.

use crate::config::Settings;
use crate::config::redact;
use crate::db::{self, Fault};
use crate::domain::i18n::Lang;
use std::io::{ErrorKind, Write};
use std::path::Path;

/// The setting that chose the database: `DATABASE_URL` when given, else `APP_DATA_DIR`.
fn setting(settings: &Settings) -> &'static str {
    if settings
        .database_url
        .as_deref()
        .is_some_and(|u| !u.trim().is_empty())
    {
        "DATABASE_URL"
    } else {
        "APP_DATA_DIR"
    }
}

/// Checks the folder of a SQLite database: it exists (or is made), it is a folder, and it
/// takes a small write that reaches the disk. Nothing to check for PostgreSQL here.
pub fn check_sqlite_folder(settings: &Settings, url: &str) -> anyhow::Result<()> {
    let Some(path) = db::is_sqlite(url).then(|| db::sqlite_path(url)).flatten() else {
        return Ok(());
    };
    let lang = settings.lang;
    let setting = setting(settings);
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let shown = dir.display();
    if dir.exists() && !dir.is_dir() {
        anyhow::bail!(
            "{}",
            lang.pick(
                &format!("{shown} existe mais n'est pas un dossier : la base de données ne peut pas y être créée. Changez {setting}."),
                &format!("{shown} exists but is not a folder: the database cannot be created there. Change {setting}."),
            )
        );
    }
    if let Err(e) = std::fs::create_dir_all(dir) {
        anyhow::bail!(
            "{}",
            lang.pick(
                &format!("le dossier {shown} de la base de données ne peut pas être créé ({e}) : créez-le avec le droit d'écrire pour le service, ou changez {setting}."),
                &format!("cannot create the database folder {shown} ({e}): create it, writable by the service, or change {setting}."),
            )
        );
    }
    if let Err(e) = write_check(dir) {
        anyhow::bail!("{}", io_cause(lang, setting, dir, &e));
    }
    if path.exists()
        && let Err(e) = std::fs::OpenOptions::new().write(true).open(&path)
        && e.kind() == ErrorKind::PermissionDenied
    {
        let file = path.display();
        anyhow::bail!(
            "{}",
            lang.pick(
                &format!("le fichier {file} est en lecture seule pour le service ({e}) : donnez-lui le droit d'y écrire, ou changez {setting}."),
                &format!("the file {file} is read-only for the service ({e}): let it write there, or change {setting}."),
            )
        );
    }
    Ok(())
}

/// Writes 64 KiB to a file in `dir`, makes it reach the disk, and removes it.
fn write_check(dir: &Path) -> std::io::Result<()> {
    let probe = dir.join(format!(".reset-eval-write-check-{}", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&probe)?;
        file.write_all(&[0u8; 64 * 1024])?;
        file.sync_all()
    })();
    let _ = std::fs::remove_file(&probe);
    result
}

fn io_cause(lang: Lang, setting: &str, dir: &Path, e: &std::io::Error) -> String {
    let shown = dir.display();
    match e.kind() {
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => lang.pick(
            &format!("le disque qui porte {shown} est plein ({e}) : libérez de la place, ou changez {setting} pour un autre disque."),
            &format!("the disk holding {shown} is full ({e}): free some space, or change {setting} to another disk."),
        ).to_owned(),
        ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => lang.pick(
            &format!("le dossier {shown} est en lecture seule pour le service ({e}) : donnez-lui le droit d'y écrire, ou changez {setting}."),
            &format!("the folder {shown} is read-only for the service ({e}): let it write there, or change {setting}."),
        ).to_owned(),
        _ => lang.pick(
            &format!("le dossier {shown} ne prend pas d'écriture ({e}) : vérifiez le disque, ou changez {setting}."),
            &format!("the folder {shown} does not take writes ({e}): check the disk, or change {setting}."),
        ).to_owned(),
    }
}

/// Says why the database at `url` cannot be opened, migrated or written, and what to change.
pub fn explain(settings: &Settings, url: &str, error: &sqlx::Error) -> String {
    let lang = settings.lang;
    let setting = setting(settings);
    let shown = redact(url);
    let cause = if db::is_sqlite(url) {
        explain_sqlite(settings, url, error)
    } else {
        explain_postgres(settings, url, error)
    };
    let cause = cause.unwrap_or_else(|| {
        lang.pick(
            &format!("{error} : vérifiez {setting}."),
            &format!("{error}: check {setting}."),
        )
        .to_owned()
    });
    lang.pick(
        &format!("la base de données {shown} n'est pas utilisable : {cause}"),
        &format!("cannot use the database {shown}: {cause}"),
    )
    .to_owned()
}

fn explain_sqlite(settings: &Settings, url: &str, error: &sqlx::Error) -> Option<String> {
    let (lang, setting) = (settings.lang, setting(settings));
    let path = db::sqlite_path(url)?;
    let file = path.display();
    if let sqlx::Error::Io(e) = error {
        let dir = path.parent().unwrap_or(Path::new("."));
        return Some(io_cause(lang, setting, dir, e));
    }
    Some(match db::fault(error)? {
        Fault::Full => lang.pick(
            &format!("le disque qui porte {file} est plein ({error}) : libérez de la place, ou changez {setting} pour un autre disque."),
            &format!("the disk holding {file} is full ({error}): free some space, or change {setting} to another disk."),
        ).to_owned(),
        Fault::ReadOnly => lang.pick(
            &format!("le fichier {file} est en lecture seule ({error}) : le service doit pouvoir y écrire, ainsi que dans son dossier (droits, disque monté en lecture seule, ou « mode=ro » dans DATABASE_URL)."),
            &format!("the file {file} is read-only ({error}): the service must be able to write to it and to its folder (permissions, a disk mounted read-only, or \"mode=ro\" in DATABASE_URL)."),
        ).to_owned(),
        Fault::Io => lang.pick(
            &format!("le fichier {file} ne s'ouvre pas ou ne se lit pas ({error}) : vérifiez que son dossier existe, que le service peut y écrire, et le disque ; ou changez {setting}."),
            &format!("the file {file} cannot be opened or read ({error}): check that its folder exists and is writable by the service, and the disk; or change {setting}."),
        ).to_owned(),
        Fault::Busy => lang.pick(
            &format!("un autre programme garde {file} verrouillé ({error}) : attendez qu'il finisse, ou arrêtez-le."),
            &format!("another program keeps {file} locked ({error}): wait for it to finish, or stop it."),
        ).to_owned(),
        Fault::Unreachable | Fault::Conflict => return None,
    })
}

fn explain_postgres(settings: &Settings, url: &str, error: &sqlx::Error) -> Option<String> {
    use std::str::FromStr;
    let lang = settings.lang;
    let options = sqlx::postgres::PgConnectOptions::from_str(url).ok()?;
    let at = format!("{}:{}", options.get_host(), options.get_port());
    let user = options.get_username().to_owned();
    let database = options.get_database().unwrap_or(&user).to_owned();
    if let sqlx::Error::Io(e) = error {
        return Some(match e.kind() {
            ErrorKind::ConnectionRefused => lang.pick(
                &format!("PostgreSQL refuse la connexion sur {at} ({e}) : vérifiez que le serveur est démarré et écoute à cette adresse, ou corrigez l'hôte et le port dans DATABASE_URL."),
                &format!("PostgreSQL refuses the connection on {at} ({e}): check that the server is running and listens there, or fix the host and port in DATABASE_URL."),
            ).to_owned(),
            ErrorKind::TimedOut => lang.pick(
                &format!("PostgreSQL ne répond pas sur {at} ({e}) : hôte éteint ou pare-feu ? Vérifiez l'hôte et le port dans DATABASE_URL."),
                &format!("PostgreSQL does not answer on {at} ({e}): host down or a firewall? Check the host and port in DATABASE_URL."),
            ).to_owned(),
            _ => lang.pick(
                &format!("{at} est injoignable ({e}) : vérifiez l'hôte dans DATABASE_URL."),
                &format!("{at} cannot be reached ({e}): check the host in DATABASE_URL."),
            ).to_owned(),
        });
    }
    let code = error
        .as_database_error()
        .and_then(|e| e.code())
        .map(|c| c.into_owned());
    Some(match code.as_deref() {
        Some("28P01" | "28000") => lang.pick(
            &format!("PostgreSQL refuse l'utilisateur « {user} » sur {at} ({error}) : corrigez l'utilisateur ou le mot de passe dans DATABASE_URL."),
            &format!("PostgreSQL refuses the user \"{user}\" on {at} ({error}): fix the user or the password in DATABASE_URL."),
        ).to_owned(),
        Some("3D000") => lang.pick(
            &format!("la base « {database} » n'existe pas sur {at} : créez-la (createdb {database}), ou corrigez son nom dans DATABASE_URL."),
            &format!("the database \"{database}\" does not exist on {at}: create it (createdb {database}), or fix its name in DATABASE_URL."),
        ).to_owned(),
        Some("42501") => lang.pick(
            &format!("l'utilisateur « {user} » n'a pas les droits nécessaires sur « {database} » ({error}) : donnez-les-lui, ou changez d'utilisateur dans DATABASE_URL."),
            &format!("the user \"{user}\" lacks the rights needed on \"{database}\" ({error}): grant them, or change the user in DATABASE_URL."),
        ).to_owned(),
        _ => match db::fault(error)? {
            Fault::Full => lang.pick(
                &format!("le serveur PostgreSQL {at} n'a plus de place ({error}) : libérez-en sur son disque."),
                &format!("the PostgreSQL server {at} is out of space ({error}): free some on its disk."),
            ).to_owned(),
            Fault::ReadOnly => lang.pick(
                &format!("le serveur PostgreSQL {at} n'accepte que des lectures ({error}) : pointez DATABASE_URL vers le serveur principal."),
                &format!("the PostgreSQL server {at} accepts reads only ({error}): point DATABASE_URL to the primary server."),
            ).to_owned(),
            _ => return None,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_at_start_is_named_with_the_setting_to_change() {
        let full = std::io::Error::from(ErrorKind::StorageFull);
        let message = io_cause(Lang::Fr, "APP_DATA_DIR", Path::new("/srv/data"), &full);
        assert!(message.contains("/srv/data est plein"), "{message}");
        assert!(message.contains("APP_DATA_DIR"), "{message}");
        let read_only = std::io::Error::from(ErrorKind::ReadOnlyFilesystem);
        let message = io_cause(Lang::En, "DATABASE_URL", Path::new("/srv/data"), &read_only);
        assert!(message.contains("read-only"), "{message}");
        assert!(message.contains("DATABASE_URL"), "{message}");
    }
}
