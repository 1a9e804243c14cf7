//! The architecture, checked: reads the sources under `src/` (it uses none of the crate's
//! code) and fails, naming file and line, when
//!
//! - a layer imports what it may not (see `ARCHITECTURE.md`, « Code map »): the pure core
//!   (`src/domain/`) knows no web, storage, HTML, frames or charts; the storage (`src/db/`)
//!   knows only the core; use cases and computations (`src/app/`, `src/analytics/`,
//!   `src/charts/`, `src/report/`) know no HTTP; the view pieces every page shares
//!   (`src/web/ui/`) know nothing above them;
//! - modules import each other in a cycle (a module is a file; `crate::…`, `super::…`,
//!   `self::…` and names brought in by `use` are followed; `#[cfg(test)]` items are left out);
//! - an interface string is written in both languages the same, or left empty, in
//!   `pick("…", "…")`: an untranslated string by mistake.
//!
//! The sources are read with a small tokenizer rather than a Rust parser: it knows comments,
//! string and character literals, lifetimes and raw strings, which is all these rules need,
//! and it keeps this binary free of dependencies.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------------------
// The rules.

/// What a layer may not import: external crates, and modules of this crate.
struct LayerRule {
    /// Module paths the rule applies to, with everything under them (`domain` covers
    /// `src/domain/**`).
    layers: &'static [&'static str],
    crates: &'static [&'static str],
    /// Modules it may not use, with everything under them; its own layer is always allowed.
    modules: &'static [&'static str],
    why: &'static str,
}

const LAYER_RULES: &[LayerRule] = &[
    LayerRule {
        layers: &["domain"],
        crates: &[
            "actix_web",
            "actix_session",
            "sqlx",
            "maud",
            "polars",
            "polars_io",
            "polars_ops",
            "plotters",
        ],
        modules: &[
            "db",
            "app",
            "web",
            "analytics",
            "charts",
            "report",
            "cli",
            "startup",
            "config",
            "preflight",
        ],
        why: "the core is pure: it knows no web, storage, HTML, frames or charts",
    },
    LayerRule {
        layers: &["db"],
        crates: &[
            "actix_web",
            "actix_session",
            "maud",
            "polars",
            "polars_io",
            "polars_ops",
            "plotters",
        ],
        modules: &[
            "app",
            "web",
            "analytics",
            "charts",
            "report",
            "cli",
            "startup",
            "config",
            "preflight",
        ],
        why: "the storage knows only the core",
    },
    LayerRule {
        layers: &["app"],
        crates: &["actix_web", "actix_session", "maud"],
        modules: &["web", "cli", "startup"],
        why: "use cases know no HTTP and no HTML",
    },
    LayerRule {
        layers: &["report"],
        crates: &["actix_web", "actix_session"],
        modules: &["web", "cli", "startup"],
        why: "the yearly report is a document, not a page: it knows no HTTP",
    },
    LayerRule {
        layers: &["web::ui"],
        crates: &["sqlx", "polars", "polars_io", "polars_ops", "plotters"],
        modules: &[
            "web",
            "db",
            "app",
            "analytics",
            "charts",
            "report",
            "cli",
            "startup",
            "config",
            "preflight",
        ],
        why: "view pieces shared by every page depend on nothing above them",
    },
    LayerRule {
        layers: &["analytics", "charts"],
        crates: &["actix_web", "actix_session", "maud", "sqlx"],
        modules: &["web", "cli", "startup", "db", "app", "report"],
        why: "computations are pure: rows in, figures out",
    },
];

/// Whether `module` is `prefix` (`web::ui`) or under it.
fn is_under(module: &ModPath, prefix: &str) -> bool {
    let prefix: Vec<&str> = prefix.split("::").collect();
    module.len() >= prefix.len() && module.iter().zip(&prefix).all(|(a, b)| a == b)
}

fn layering_violations(sources: &[Source], modules: &BTreeSet<ModPath>) -> Vec<String> {
    let mut found: Vec<(String, usize, String)> = Vec::new();
    for source in sources {
        for rule in LAYER_RULES {
            let Some(layer) = rule.layers.iter().find(|l| is_under(&source.module, l)) else {
                continue;
            };
            check_layer(source, rule, layer, modules, &mut found);
        }
    }
    found.sort();
    found.dedup();
    found.into_iter().map(|(_, _, message)| message).collect()
}

fn check_layer(
    source: &Source,
    rule: &LayerRule,
    layer: &str,
    modules: &BTreeSet<ModPath>,
    found: &mut Vec<(String, usize, String)>,
) {
    let folder = format!("src/{}/", layer.replace("::", "/"));
    let tokens = without_test_items(&source.tokens);
    for (line, krate) in external_crates(&tokens) {
        if rule.crates.contains(&krate.as_str()) {
            let message = format!(
                "{}:{line}: uses `{krate}`, which {folder} may not ({})",
                source.file, rule.why
            );
            found.push((source.file.clone(), line, message));
        }
    }
    for reference in references(source, &tokens, modules) {
        let target = &reference.target;
        if is_under(target, layer) || !rule.modules.iter().any(|m| is_under(target, m)) {
            continue;
        }
        let message = format!(
            "{}:{}: uses `crate::{}`, which {folder} may not ({})",
            source.file,
            reference.line,
            target.join("::"),
            rule.why
        );
        found.push((source.file.clone(), reference.line, message));
    }
}

/// Every cycle of the module graph, one spelled out per strongly connected component, with
/// the file and line of each step.
fn import_cycles(sources: &[Source], modules: &BTreeSet<ModPath>) -> Vec<String> {
    // module → module → the line of its first reference.
    let mut lines: BTreeMap<ModPath, BTreeMap<ModPath, usize>> = BTreeMap::new();
    let files: BTreeMap<&ModPath, &str> = sources
        .iter()
        .map(|s| (&s.module, s.file.as_str()))
        .collect();
    for source in sources {
        let tokens = without_test_items(&source.tokens);
        let edges = lines.entry(source.module.clone()).or_default();
        for reference in references(source, &tokens, modules) {
            if reference.target == source.module {
                continue;
            }
            // The module tree already puts a parent above its children (it declares them,
            // re-exports them, calls them); a child reaches what its parent holds through
            // `super::`. A cycle is between modules neither of which contains the other.
            if reference.target.starts_with(&source.module) {
                continue;
            }
            let line = edges
                .entry(reference.target.clone())
                .or_insert(reference.line);
            *line = (*line).min(reference.line);
        }
    }
    let graph: BTreeMap<ModPath, BTreeMap<ModPath, String>> = lines
        .into_iter()
        .map(|(from, edges)| {
            let file = files[&from];
            let edges = edges
                .into_iter()
                .map(|(to, line)| (to, format!("{file}:{line}")))
                .collect();
            (from, edges)
        })
        .collect();
    let mut cycles = Vec::new();
    for component in strongly_connected(&graph) {
        if component.len() < 2 {
            continue;
        }
        let start = component
            .iter()
            .next()
            .expect("a component has a module")
            .clone();
        let path = shortest_cycle(&graph, &component, &start);
        let mut text = String::new();
        let names: Vec<String> = path.iter().map(show).collect();
        let _ = writeln!(
            text,
            "{} (component of {} modules: {})",
            names.join(" → "),
            component.len(),
            component.iter().map(show).collect::<Vec<_>>().join(", ")
        );
        for pair in path.windows(2) {
            let _ = writeln!(
                text,
                "    {} → {} at {}",
                show(&pair[0]),
                show(&pair[1]),
                graph[&pair[0]][&pair[1]]
            );
        }
        cycles.push(text);
    }
    cycles
}

fn show(module: &ModPath) -> String {
    if module.is_empty() {
        "crate".to_owned()
    } else {
        module.join("::")
    }
}

/// `pick("x", "x")` or `pick("", …)`: a string left untranslated by mistake.
fn untranslated_picks(sources: &[Source]) -> Vec<String> {
    let mut found = Vec::new();
    for source in sources {
        let t = &source.tokens;
        for i in 0..t.len() {
            if !(t[i].is_ident("pick") && t.get(i + 1).is_some_and(|n| n.is_punct("("))) {
                continue;
            }
            let (Some(Tok::Str(fr)), Some(comma), Some(Tok::Str(en))) = (
                t.get(i + 2).map(|x| &x.tok),
                t.get(i + 3),
                t.get(i + 4).map(|x| &x.tok),
            ) else {
                continue;
            };
            if !comma.is_punct(",") {
                continue;
            }
            let line = t[i].line;
            if fr.trim().is_empty() || en.trim().is_empty() {
                found.push(format!(
                    "{}:{line}: pick({fr:?}, {en:?}) has an empty string: write both languages",
                    source.file
                ));
            } else if fr == en {
                found.push(format!(
                    "{}:{line}: pick({fr:?}, {en:?}) gives the same string in both languages: \
                     translate it, or, when the word is truly the same, write it once without pick",
                    source.file
                ));
            }
        }
    }
    found
}

// ---------------------------------------------------------------------------------------
// The tests.

#[test]
fn each_layer_imports_only_what_it_may() {
    let sources = read_sources(&src_dir());
    let modules = module_set(&sources);
    let found = layering_violations(&sources, &modules);
    assert!(
        found.is_empty(),
        "{} import(s) cross a layer boundary (see ARCHITECTURE.md, « Code map »):\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn no_modules_import_each_other_in_a_cycle() {
    let sources = read_sources(&src_dir());
    let modules = module_set(&sources);
    let cycles = import_cycles(&sources, &modules);
    assert!(
        cycles.is_empty(),
        "{} import cycle(s) between modules; move what both need below them:\n{}",
        cycles.len(),
        cycles.join("\n")
    );
}

#[test]
fn every_picked_string_is_translated() {
    let sources = read_sources(&src_dir());
    let found = untranslated_picks(&sources);
    assert!(
        found.is_empty(),
        "{} interface string(s) not translated:\n{}",
        found.len(),
        found.join("\n")
    );
}

// The rules themselves, on made-up sources: each can fail.

fn made_up(files: &[(&str, &str)]) -> Vec<Source> {
    files
        .iter()
        .map(|(file, text)| Source::new(file.to_string(), module_of(Path::new(file)), text))
        .collect()
}

#[test]
fn the_core_may_not_use_the_storage_nor_the_web() {
    let sources = made_up(&[
        ("domain/mod.rs", "pub mod scoring;"),
        (
            "domain/scoring.rs",
            "use super::super::db;\nfn f() { let _ = actix_web::HttpResponse::Ok(); }",
        ),
        ("db/mod.rs", ""),
    ]);
    let found = layering_violations(&sources, &module_set(&sources));
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found[0].starts_with("src/domain/scoring.rs:1: uses `crate::db`"),
        "{found:?}"
    );
    assert!(
        found[1].starts_with("src/domain/scoring.rs:2: uses `actix_web`"),
        "{found:?}"
    );
}

#[test]
fn the_storage_may_not_use_the_analytics_and_use_cases_no_http() {
    let sources = made_up(&[
        (
            "db/scores.rs",
            "fn f() -> crate::analytics::Frame { todo!() }",
        ),
        ("analytics/mod.rs", "use sqlx::Row;"),
        (
            "app/export.rs",
            "// crate::web in a comment is fine\nuse crate::web::ui::layout;",
        ),
        ("web/ui/layout.rs", ""),
    ]);
    let found = layering_violations(&sources, &module_set(&sources));
    assert_eq!(
        found,
        [
            "src/analytics/mod.rs:1: uses `sqlx`, which src/analytics/ may not (computations are pure: rows in, figures out)",
            "src/app/export.rs:2: uses `crate::web::ui::layout`, which src/app/ may not (use cases know no HTTP and no HTML)",
            "src/db/scores.rs:1: uses `crate::analytics`, which src/db/ may not (the storage knows only the core)",
        ]
    );
}

#[test]
fn the_shared_view_pieces_depend_on_nothing_above_them() {
    let sources = made_up(&[
        ("web/mod.rs", "pub struct AppState;"),
        ("web/session.rs", ""),
        ("web/ui/forms.rs", "use crate::web::session::CSRF_FIELD;"),
        (
            "web/ui/layout.rs",
            "use super::forms;\nfn f(s: &crate::web::AppState) {}",
        ),
    ]);
    let found = layering_violations(&sources, &module_set(&sources));
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found[0].starts_with(
            "src/web/ui/forms.rs:1: uses `crate::web::session`, which src/web/ui/ may not"
        ),
        "{found:?}"
    );
    assert!(
        found[1]
            .starts_with("src/web/ui/layout.rs:2: uses `crate::web`, which src/web/ui/ may not"),
        "{found:?}"
    );
}

#[test]
fn a_cycle_is_spelled_out_with_where_each_step_is() {
    let sources = made_up(&[
        (
            "web/mod.rs",
            "pub mod session;\npub mod ui;\npub use session::*;",
        ),
        ("web/session.rs", "use super::ui::layout::STYLESHEET;"),
        ("web/ui/mod.rs", ""),
        (
            "web/ui/forms.rs",
            "use crate::web::{session::CSRF_FIELD, self};",
        ),
        (
            "web/ui/layout.rs",
            "fn f() { forms::g() }\nuse super::forms;",
        ),
        (
            "web/pages/home.rs",
            "#[cfg(test)]\nmod tests { use crate::web::pages::home; }",
        ),
    ]);
    let cycles = import_cycles(&sources, &module_set(&sources));
    assert_eq!(cycles.len(), 1, "{cycles:?}");
    assert!(
        cycles[0].starts_with(
            "web::session → web::ui::layout → web::ui::forms → web::session (component of 3 modules"
        ),
        "{}",
        cycles[0]
    );
    assert!(
        cycles[0].contains("web::ui::layout → web::ui::forms at src/web/ui/layout.rs:1"),
        "{}",
        cycles[0]
    );
}

#[test]
fn a_same_or_empty_string_in_pick_is_found_with_its_line() {
    let sources = made_up(&[(
        "web/pages/home.rs",
        "fn f(l: Lang) {\n l.pick(\"Coalitions\", \"Coalitions\");\n l.pick(\"Accueil\", \"Home\");\n l.pick(r#\"\"#, \"x\");\n l.pick(&a.fr, &a.en);\n}",
    )]);
    let found = untranslated_picks(&sources);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].starts_with(
        "src/web/pages/home.rs:2: pick(\"Coalitions\", \"Coalitions\") gives the same string"
    ));
    assert!(found[1].starts_with("src/web/pages/home.rs:4: pick(\"\", \"x\") has an empty string"));
}

// ---------------------------------------------------------------------------------------
// Reading the sources.

type ModPath = Vec<String>;

struct Source {
    /// As shown in messages: `src/web/ui/layout.rs`.
    file: String,
    module: ModPath,
    tokens: Vec<Token>,
}

impl Source {
    fn new(relative: String, module: ModPath, text: &str) -> Source {
        Source {
            file: format!("src/{relative}"),
            module,
            tokens: tokenize(text),
        }
    }
}

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn read_sources(src: &Path) -> Vec<Source> {
    let mut files = Vec::new();
    collect_rs(src, &mut files);
    files.sort();
    assert!(files.len() > 10, "no sources found under {}", src.display());
    files
        .into_iter()
        .map(|path| {
            let relative = path.strip_prefix(src).expect("under src").to_path_buf();
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            let rel = relative.to_string_lossy().replace('\\', "/");
            Source::new(rel, module_of(&relative), &text)
        })
        .collect()
}

fn collect_rs(dir: &Path, files: &mut Vec<PathBuf>) {
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            collect_rs(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// `web/ui/layout.rs` → `web::ui::layout`; `db/mod.rs` → `db`; `lib.rs` → the root.
/// `main.rs` is the binary, a module of its own.
fn module_of(relative: &Path) -> ModPath {
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().expect("a file name");
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && !(parts.is_empty() && stem == "lib") {
        parts.push(stem.to_owned());
    }
    parts
}

fn module_set(sources: &[Source]) -> BTreeSet<ModPath> {
    sources.iter().map(|s| s.module.clone()).collect()
}

// ---------------------------------------------------------------------------------------
// Tokens.

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    /// One punctuation character, or `::`.
    Punct(String),
    /// A string literal's text between its quotes, escapes left as written.
    Str(String),
    /// Character literals, lifetimes, numbers: nothing the rules look at.
    Other,
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    line: usize,
}

impl Token {
    fn is_ident(&self, name: &str) -> bool {
        matches!(&self.tok, Tok::Ident(i) if i == name)
    }
    fn is_punct(&self, p: &str) -> bool {
        matches!(&self.tok, Tok::Punct(x) if x == p)
    }
    fn ident(&self) -> Option<&str> {
        match &self.tok {
            Tok::Ident(i) => Some(i),
            _ => None,
        }
    }
}

fn is_ident_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}

fn is_ident_char(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

fn tokenize(text: &str) -> Vec<Token> {
    let c: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    let mut line = 1;
    let count_lines =
        |from: usize, to: usize, c: &[char]| c[from..to].iter().filter(|&&x| x == '\n').count();
    while i < c.len() {
        let ch = c[i];
        if ch == '\n' {
            line += 1;
            i += 1;
        } else if ch.is_whitespace() {
            i += 1;
        } else if ch == '/' && c.get(i + 1) == Some(&'/') {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if ch == '/' && c.get(i + 1) == Some(&'*') {
            let start = i;
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            line += count_lines(start, i, &c);
        } else if let Some((content, end)) = string_literal(&c, i) {
            tokens.push(Token {
                tok: Tok::Str(content),
                line,
            });
            line += count_lines(i, end, &c);
            i = end;
        } else if ch == '\'' {
            // A character literal ('a', '\n', '\u{e9}') or a lifetime ('a, 'static).
            if c.get(i + 1) == Some(&'\\') {
                let mut j = i + 3;
                while j < c.len() && c[j] != '\'' {
                    j += 1;
                }
                i = j + 1;
            } else if c.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
                while i < c.len() && is_ident_char(c[i]) {
                    i += 1;
                }
            }
            tokens.push(Token {
                tok: Tok::Other,
                line,
            });
        } else if ch == 'r'
            && c.get(i + 1) == Some(&'#')
            && c.get(i + 2).is_some_and(|&x| is_ident_start(x))
        {
            let start = i + 2;
            i = start;
            while i < c.len() && is_ident_char(c[i]) {
                i += 1;
            }
            tokens.push(Token {
                tok: Tok::Ident(c[start..i].iter().collect()),
                line,
            });
        } else if is_ident_start(ch) {
            let start = i;
            while i < c.len() && is_ident_char(c[i]) {
                i += 1;
            }
            tokens.push(Token {
                tok: Tok::Ident(c[start..i].iter().collect()),
                line,
            });
        } else if ch.is_ascii_digit() {
            while i < c.len() && is_ident_char(c[i]) {
                i += 1;
            }
            tokens.push(Token {
                tok: Tok::Other,
                line,
            });
        } else if ch == ':' && c.get(i + 1) == Some(&':') {
            tokens.push(Token {
                tok: Tok::Punct("::".into()),
                line,
            });
            i += 2;
        } else {
            tokens.push(Token {
                tok: Tok::Punct(ch.to_string()),
                line,
            });
            i += 1;
        }
    }
    tokens
}

/// A string literal starting at `i` (`"…"`, `b"…"`, `c"…"`, `r#"…"#`, `br"…"`): its text and
/// the index after it.
fn string_literal(c: &[char], i: usize) -> Option<(String, usize)> {
    // Not the tail of an identifier (`xr"…"` does not exist, but `r` alone may be a name).
    if i > 0 && is_ident_char(c[i - 1]) {
        return None;
    }
    let mut j = i;
    while j < c.len() && j - i < 2 && matches!(c[j], 'b' | 'c' | 'r') {
        j += 1;
    }
    let raw = c[i..j].contains(&'r');
    if raw {
        let mut hashes = 0;
        while c.get(j) == Some(&'#') {
            hashes += 1;
            j += 1;
        }
        if c.get(j) != Some(&'"') {
            return None;
        }
        let start = j + 1;
        let mut k = start;
        while k < c.len() {
            if c[k] == '"' && (0..hashes).all(|h| c.get(k + 1 + h) == Some(&'#')) {
                return Some((c[start..k].iter().collect(), k + 1 + hashes));
            }
            k += 1;
        }
        return Some((c[start..].iter().collect(), c.len()));
    }
    if c.get(j) != Some(&'"') {
        return None;
    }
    let start = j + 1;
    let mut k = start;
    while k < c.len() && c[k] != '"' {
        if c[k] == '\\' {
            k += 1;
        }
        k += 1;
    }
    let end = k.min(c.len());
    Some((c[start..end].iter().collect(), (k + 1).min(c.len())))
}

/// The tokens without `#[cfg(test)]` items (test modules, test-only imports and functions).
fn without_test_items(tokens: &[Token]) -> Vec<Token> {
    let mut kept = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        if is_cfg_test(tokens, i) {
            i = end_of_item(tokens, i);
        } else {
            kept.push(tokens[i].clone());
            i += 1;
        }
    }
    kept
}

fn is_cfg_test(t: &[Token], i: usize) -> bool {
    let pattern = ["#", "[", "cfg", "(", "test", ")", "]"];
    pattern
        .iter()
        .enumerate()
        .all(|(k, p)| t.get(i + k).is_some_and(|x| x.is_punct(p) || x.is_ident(p)))
}

/// The index after the item whose attributes start at `i`: the first `;` or closing `}` at
/// the item's own depth.
fn end_of_item(t: &[Token], i: usize) -> usize {
    let mut j = i;
    // Skip the attributes.
    while t.get(j).is_some_and(|x| x.is_punct("#")) && t.get(j + 1).is_some_and(|x| x.is_punct("["))
    {
        let mut depth = 0;
        j += 1;
        while j < t.len() {
            if t[j].is_punct("[") {
                depth += 1;
            } else if t[j].is_punct("]") {
                depth -= 1;
                if depth == 0 {
                    j += 1;
                    break;
                }
            }
            j += 1;
        }
    }
    let mut depth = 0i32;
    while j < t.len() {
        let x = &t[j];
        if x.is_punct("(") || x.is_punct("[") || x.is_punct("{") {
            depth += 1;
        } else if x.is_punct(")") || x.is_punct("]") {
            depth -= 1;
        } else if x.is_punct("}") {
            depth -= 1;
            if depth == 0 {
                return j + 1;
            }
        } else if x.is_punct(";") && depth == 0 {
            return j + 1;
        }
        j += 1;
    }
    t.len()
}

// ---------------------------------------------------------------------------------------
// References between modules.

struct Reference {
    /// The module referred to: the longest known module the path starts with.
    target: ModPath,
    line: usize,
}

/// External crates a file names: `(line, crate)` for every path that starts with a name that
/// is neither this crate's nor a module in scope.
fn external_crates(tokens: &[Token]) -> Vec<(usize, String)> {
    const WATCHED: &[&str] = &[
        "actix_web",
        "actix_session",
        "sqlx",
        "maud",
        "polars",
        "polars_io",
        "polars_ops",
        "plotters",
    ];
    let mut found = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        let Some(name) = t.ident() else { continue };
        if !WATCHED.contains(&name) {
            continue;
        }
        let after_path = i > 0 && (tokens[i - 1].is_punct("::") || tokens[i - 1].is_punct("."));
        // `::sqlx::…` is still the crate.
        let absolute =
            i > 0 && tokens[i - 1].is_punct("::") && (i < 2 || tokens[i - 2].ident().is_none());
        if !after_path || absolute {
            found.push((t.line, name.to_owned()));
        }
    }
    found
}

/// Every reference from `source` to a module of the crate: its `use` declarations, and paths
/// in its code that start with `crate`, `super`, `self`, a child module or a module name a
/// `use` brought in.
fn references(source: &Source, tokens: &[Token], modules: &BTreeSet<ModPath>) -> Vec<Reference> {
    let here = &source.module;
    let mut found = Vec::new();
    // Names brought in by `use` that are modules: `use crate::db;` makes `db::x` a path.
    let mut bound: BTreeMap<String, ModPath> = BTreeMap::new();
    let mut in_use = vec![false; tokens.len()];

    let mut i = 0;
    while i < tokens.len() {
        if tokens[i].is_ident("use") {
            let end = tokens[i..]
                .iter()
                .position(|t| t.is_punct(";"))
                .map(|p| i + p)
                .unwrap_or(tokens.len());
            for flag in &mut in_use[i..end] {
                *flag = true;
            }
            let mut leaves = Vec::new();
            use_tree(&tokens[i + 1..end], &mut Vec::new(), &mut leaves);
            for (path, binding, line) in leaves {
                let Some(absolute) = resolve(here, &path, &bound, modules) else {
                    continue;
                };
                let target = known_prefix(&absolute, modules);
                if modules.contains(&absolute)
                    && let Some(name) = binding
                {
                    bound.insert(name, absolute.clone());
                }
                found.push(Reference { target, line });
            }
            i = end;
        } else {
            i += 1;
        }
    }

    // Paths in code: `a::b::c`, read from their first segment.
    let mut i = 0;
    while i < tokens.len() {
        let starts_path = !in_use[i]
            && tokens[i].ident().is_some()
            && !(i > 0 && (tokens[i - 1].is_punct("::") || tokens[i - 1].is_punct(".")))
            && tokens.get(i + 1).is_some_and(|t| t.is_punct("::"));
        if !starts_path {
            i += 1;
            continue;
        }
        let mut path = vec![tokens[i].ident().unwrap_or_default().to_owned()];
        let mut j = i + 1;
        while tokens.get(j).is_some_and(|t| t.is_punct("::"))
            && let Some(next) = tokens.get(j + 1).and_then(Token::ident)
        {
            path.push(next.to_owned());
            j += 2;
        }
        if let Some(absolute) = resolve(here, &path, &bound, modules) {
            found.push(Reference {
                target: known_prefix(&absolute, modules),
                line: tokens[i].line,
            });
        }
        i = j.max(i + 1);
    }
    found
}

/// Flattens a use tree (`a::{b, c::d as e, f::*}`) into paths, each with the name it binds.
fn use_tree(
    t: &[Token],
    prefix: &mut Vec<String>,
    out: &mut Vec<(Vec<String>, Option<String>, usize)>,
) {
    let mut i = 0;
    let depth_at_start = prefix.len();
    let mut line = t.first().map(|x| x.line).unwrap_or(0);
    while i < t.len() {
        let x = &t[i];
        if let Some(name) = x.ident() {
            if name == "as" {
                // Rename: the binding is the next identifier.
                let alias = t.get(i + 1).and_then(Token::ident).map(str::to_owned);
                if let Some(last) = out.last_mut() {
                    last.1 = alias.filter(|a| a != "_");
                }
                i += 2;
                continue;
            }
            line = x.line;
            prefix.push(name.to_owned());
            let leaf = !t.get(i + 1).is_some_and(|n| n.is_punct("::"));
            if leaf {
                let binding = if name == "self" {
                    prefix.get(prefix.len().wrapping_sub(2)).cloned()
                } else {
                    Some(name.to_owned())
                };
                let path: Vec<String> = if name == "self" && prefix.len() > 1 {
                    prefix[..prefix.len() - 1].to_vec()
                } else {
                    prefix.clone()
                };
                out.push((path, binding, line));
                prefix.truncate(depth_at_start);
            }
            i += 1;
        } else if x.is_punct("*") {
            out.push((prefix.clone(), None, x.line));
            prefix.truncate(depth_at_start);
            i += 1;
        } else if x.is_punct("{") {
            // The group ends at its matching brace.
            let mut depth = 0;
            let mut j = i;
            while j < t.len() {
                if t[j].is_punct("{") {
                    depth += 1;
                } else if t[j].is_punct("}") {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                j += 1;
            }
            // Split the group's items at its top-level commas.
            let inner = &t[i + 1..j.min(t.len())];
            let mut start = 0;
            let mut d = 0;
            for (k, tok) in inner.iter().enumerate() {
                if tok.is_punct("{") {
                    d += 1;
                } else if tok.is_punct("}") {
                    d -= 1;
                } else if tok.is_punct(",") && d == 0 {
                    let mut p = prefix.clone();
                    use_tree(&inner[start..k], &mut p, out);
                    start = k + 1;
                }
            }
            let mut p = prefix.clone();
            use_tree(&inner[start..], &mut p, out);
            prefix.truncate(depth_at_start);
            i = j + 1;
        } else {
            // `::` and commas outside groups.
            i += 1;
        }
    }
    let _ = line;
}

/// The absolute module path a path written in module `here` points into, or `None` when it
/// is outside the crate (another crate, a local name, a type's associated item).
fn resolve(
    here: &ModPath,
    path: &[String],
    bound: &BTreeMap<String, ModPath>,
    modules: &BTreeSet<ModPath>,
) -> Option<ModPath> {
    let first = path.first()?;
    let (mut base, rest): (ModPath, &[String]) = match first.as_str() {
        "crate" | "reset_eval" => (Vec::new(), &path[1..]),
        "self" => (here.clone(), &path[1..]),
        "super" => {
            let mut base = here.clone();
            let mut k = 0;
            while path.get(k).is_some_and(|s| s == "super") {
                base.pop();
                k += 1;
            }
            (base, &path[k..])
        }
        name => {
            let mut child = here.clone();
            child.push(name.to_owned());
            if modules.contains(&child) {
                (child, &path[1..])
            } else if let Some(target) = bound.get(name) {
                (target.clone(), &path[1..])
            } else {
                return None;
            }
        }
    };
    base.extend(rest.iter().cloned());
    Some(base)
}

/// The longest prefix of `path` that is a module of the crate (the root at least).
fn known_prefix(path: &ModPath, modules: &BTreeSet<ModPath>) -> ModPath {
    (0..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|p| modules.contains(p) || p.is_empty())
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------
// Graph.

/// Tarjan's strongly connected components, each as a sorted set.
fn strongly_connected(
    graph: &BTreeMap<ModPath, BTreeMap<ModPath, String>>,
) -> Vec<BTreeSet<ModPath>> {
    struct State<'g> {
        graph: &'g BTreeMap<ModPath, BTreeMap<ModPath, String>>,
        index: BTreeMap<&'g ModPath, usize>,
        low: BTreeMap<&'g ModPath, usize>,
        stack: Vec<&'g ModPath>,
        on_stack: BTreeSet<&'g ModPath>,
        next: usize,
        out: Vec<BTreeSet<ModPath>>,
    }
    fn visit<'g>(s: &mut State<'g>, v: &'g ModPath) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on_stack.insert(v);
        if let Some(edges) = s.graph.get(v) {
            for w in edges.keys() {
                let Some((w, _)) = s.graph.get_key_value(w) else {
                    continue;
                };
                if !s.index.contains_key(w) {
                    visit(s, w);
                    let lw = s.low[w];
                    let lv = s.low.get_mut(v).expect("visited");
                    *lv = (*lv).min(lw);
                } else if s.on_stack.contains(w) {
                    let iw = s.index[w];
                    let lv = s.low.get_mut(v).expect("visited");
                    *lv = (*lv).min(iw);
                }
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = BTreeSet::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.insert(w.clone());
                if w == v {
                    break;
                }
            }
            s.out.push(component);
        }
    }
    let mut state = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !state.index.contains_key(v) {
            visit(&mut state, v);
        }
    }
    state.out.sort();
    state.out
}

/// The shortest way from `start` back to itself inside `component`, `start` at both ends.
fn shortest_cycle(
    graph: &BTreeMap<ModPath, BTreeMap<ModPath, String>>,
    component: &BTreeSet<ModPath>,
    start: &ModPath,
) -> Vec<ModPath> {
    let mut previous: BTreeMap<ModPath, ModPath> = BTreeMap::new();
    let mut queue = VecDeque::from([start.clone()]);
    while let Some(v) = queue.pop_front() {
        for w in graph.get(&v).into_iter().flat_map(|e| e.keys()) {
            if !component.contains(w) {
                continue;
            }
            if w == start {
                let mut path = vec![start.clone()];
                let mut at = v.clone();
                while &at != start {
                    path.push(at.clone());
                    at = previous[&at].clone();
                }
                path.push(start.clone());
                path.reverse();
                return path;
            }
            if !previous.contains_key(w) {
                previous.insert(w.clone(), v.clone());
                queue.push_back(w.clone());
            }
        }
    }
    vec![start.clone()]
}
