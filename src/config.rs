//! Configuration: command-line flags, each with an environment variable and a default.
//!
//! Precedence: a flag, then its environment variable, then the default shown by `--help`.
//! Nothing else is read: a service instance is fully described by these values.

use crate::database;
use crate::i18n::Lang;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// Database: `sqlite://path/file.sqlite` or `postgres://user:password@host/database`.
    /// Default: the SQLite file `reset-eval.sqlite` in the data directory.
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,

    /// Data directory, holding the default SQLite database.
    #[arg(long, env = "APP_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,

    /// Folder of the questionnaire files (`<slug>/<version>.toml`).
    #[arg(
        long,
        env = "APP_QUESTIONNAIRES_DIR",
        default_value = "questionnaires",
        global = true
    )]
    pub questionnaires_dir: PathBuf,

    /// Log filter, in tracing's syntax (`info`, `reset_eval=debug,info`, …).
    #[arg(long, env = "APP_LOG", default_value = "info", global = true)]
    pub log: String,

    /// Language of the command line's messages: `fr` or `en`.
    #[arg(long, env = "APP_LANG", default_value = "fr", value_parser = parse_lang, global = true)]
    pub lang: Lang,
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::from_code(s).ok_or_else(|| format!("« {s} » : fr ou en / fr or en"))
}

impl Settings {
    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .filter(|u| !u.trim().is_empty())
            .unwrap_or_else(|| database::default_url(&self.data_dir))
    }
}
