//! Demo data, so that a new user meets a lived-in instance: the 18 coalitions of seed 001,
//! a handful of territories and organisations of different types, and their answered
//! diagnostics (several respondents each, some « non applicable », one still in progress).
//!
//! Loading is idempotent: every id is a UUIDv5 of a fixed name, and rows that exist are left
//! as they are. Answers are drawn from a seeded generator around a profile per organisation,
//! so the results are plausible and the same on every machine.
//!
//! [`lived_in`] (run by `serve --demo` and `demo`) adds what makes the yearly report look
//! like one: a population of synthetic territories in a few départements, answering since
//! 2024, so that most groups of the report have five organisations or more, the years side
//! by side have points and paired progress exists; and the 2026 report published, so that an
//! anonymous visitor reads `/publications/2026` and downloads its zip.

use crate::db::{self, NewCoalition, NewDiagnostic, NewOrganisation, Pool, StoredAnswer};
use crate::domain::QUALITY_COUNT;
use crate::domain::coalition::catalogue::Catalogue;
use crate::domain::coalition::{ActorType, MemberRole};
use crate::domain::questionnaire::{
    Answer, NotApplicable, Question, QuestionKind, Questionnaire, Registry,
};
use uuid::Uuid;

pub mod synthetic;
pub mod tracking;

/// Namespace of the demo's UUIDv5 ids.
const NAMESPACE: Uuid = Uuid::from_u128(0x7e5e_7e5e_0000_4000_8000_2026_0000_0001);

fn id(name: &str) -> String {
    Uuid::new_v5(&NAMESPACE, name.as_bytes()).to_string()
}

/// SplitMix64: small, seeded, the same everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn between(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.unit()
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

struct DemoOrganisation {
    key: &'static str,
    name: &'static str,
    kind: &'static str,
    departement: &'static str,
    size_band: &'static str,
    questionnaire: &'static str,
    /// Where it stands, per quality (display order), in [0, 1].
    profile: [f64; QUALITY_COUNT],
    /// Respondent roles of its current diagnostic.
    roles: &'static [&'static str],
    /// Also answered a year earlier (to show progress).
    earlier: bool,
}

const ORGANISATIONS: &[DemoOrganisation] = &[
    DemoOrganisation {
        key: "belval",
        name: "Ville de Belval-sur-Loire",
        kind: "commune",
        departement: "45",
        size_band: "10k_50k",
        questionnaire: "territoires",
        profile: [0.55, 0.35, 0.6, 0.5, 0.3, 0.45, 0.5],
        roles: &["elu", "direction", "dsi", "agent", "agent"],
        earlier: true,
    },
    DemoOrganisation {
        key: "trois-vallees",
        name: "Communauté de communes des Trois Vallées",
        kind: "intercommunalite",
        departement: "29",
        size_band: "10k_50k",
        questionnaire: "territoires",
        profile: [0.4, 0.6, 0.45, 0.35, 0.5, 0.55, 0.4],
        roles: &["elu", "direction", "agent", "partenaire"],
        earlier: false,
    },
    DemoOrganisation {
        key: "rivemont",
        name: "Métropole de Rivemont",
        kind: "intercommunalite",
        departement: "69",
        size_band: "gt_250k",
        questionnaire: "territoires",
        profile: [0.7, 0.55, 0.65, 0.7, 0.75, 0.6, 0.55],
        roles: &["elu", "direction", "dsi", "dsi", "agent", "partenaire"],
        earlier: true,
    },
    DemoOrganisation {
        key: "val-azur",
        name: "Département du Val d'Azur",
        kind: "departement",
        departement: "26",
        size_band: "50k_250k",
        questionnaire: "territoires",
        profile: [0.65, 0.3, 0.4, 0.55, 0.35, 0.5, 0.6],
        roles: &["direction", "dsi", "agent"],
        earlier: false,
    },
    DemoOrganisation {
        key: "cooperative",
        name: "Coopérative Numérique Solidaire",
        kind: "association",
        departement: "69",
        size_band: "10_49",
        questionnaire: "organisations",
        profile: [0.75, 0.7, 0.7, 0.6, 0.55, 0.8, 0.75],
        roles: &["direction", "numerique", "salarie", "partenaire"],
        earlier: false,
    },
    DemoOrganisation {
        key: "atelier-libre",
        name: "L'Atelier du Logiciel Libre",
        kind: "entreprise",
        departement: "44",
        size_band: "10_49",
        questionnaire: "organisations",
        profile: [0.5, 0.65, 0.55, 0.8, 0.8, 0.7, 0.6],
        roles: &["direction", "numerique", "metier", "salarie"],
        earlier: false,
    },
    DemoOrganisation {
        key: "institut-montclair",
        name: "Institut universitaire de Montclair",
        kind: "recherche",
        departement: "13",
        size_band: "gt_250",
        questionnaire: "organisations",
        profile: [0.45, 0.3, 0.5, 0.6, 0.65, 0.55, 0.35],
        roles: &["direction", "numerique", "metier"],
        earlier: false,
    },
];

/// Coalitions that have taken their phase-1 autodiagnostic in the demo.
const COALITION_DIAGNOSTICS: &[(&str, [f64; QUALITY_COUNT], &[&str])] = &[
    (
        "achat-public-responsable",
        [0.5, 0.7, 0.55, 0.45, 0.5, 0.45, 0.6],
        &["porteur", "contributeur", "contributeur", "partenaire"],
    ),
    (
        "donnees-environnementales",
        [0.45, 0.65, 0.5, 0.5, 0.6, 0.55, 0.5],
        &["porteur", "contributeur", "animateur"],
    ),
    (
        "civic-tech-democratie",
        [0.55, 0.35, 0.75, 0.55, 0.6, 0.6, 0.5],
        &[
            "porteur",
            "contributeur",
            "contributeur",
            "partenaire",
            "animateur",
        ],
    ),
];

const TEXT_ANSWERS: &[&str] = &[
    "Du temps dédié et un appui méthodologique pour embarquer les services.",
    "Mieux associer les habitants et les associations dès le début des projets.",
    "Un budget fléché vers la sobriété et la mutualisation avec nos voisins.",
    "Former les équipes et partager les retours d'expérience d'autres territoires.",
];

/// The demo's organisation lead, who leads every demo organisation. Its password is public:
/// demo data is for trying the service, never for a real instance.
pub const DEMO_LEAD_EMAIL: &str = "lead@demo.reset-eval.fr";
pub const DEMO_LEAD_PASSWORD: &str = "demo-reset-eval-2026";
/// The demo's programme staff member, who validates measurements; same public password.
pub const DEMO_STAFF_EMAIL: &str = "equipe@demo.reset-eval.fr";

/// Demo organisations in coalitions, so that the demo lead acts in them: a porteur's
/// co-lead manages, a contributor submits, an informed member reads.
const DEMO_MEMBERSHIPS: &[(&str, &str, ActorType, MemberRole)] = &[
    (
        "rivemont",
        "achat-public-responsable",
        ActorType::Collectivite,
        MemberRole::CoPorteur,
    ),
    (
        "cooperative",
        "dematerialiser-sans-deshumaniser",
        ActorType::Association,
        MemberRole::Contributeur,
    ),
    (
        "belval",
        "villes-ouvertes",
        ActorType::Collectivite,
        MemberRole::Informe,
    ),
];

/// What loading added.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DemoReport {
    pub coalitions: usize,
    pub organisations: usize,
    pub responses: usize,
}

/// Loads the demo data into the database; does nothing for what is already there.
pub async fn load(pool: &Pool, registry: &Registry) -> anyhow::Result<DemoReport> {
    let catalogue = Catalogue::shipped()?;
    let mut report = DemoReport::default();
    let created_at = "2025-09-15T09:00:00Z";
    let lead_id = id("account:demo-lead");
    let lead_exists = db::account_by_email(pool, DEMO_LEAD_EMAIL).await?.is_some();
    let lead_hash = if lead_exists {
        None
    } else {
        Some(
            tokio::task::spawn_blocking(|| {
                crate::domain::account::hash_password(DEMO_LEAD_PASSWORD)
            })
            .await??,
        )
    };
    let staff_id = id("account:demo-staff");
    let staff_exists = db::account_by_email(pool, DEMO_STAFF_EMAIL)
        .await?
        .is_some();
    let mut tx = pool.begin().await?;
    if let (Some(password_hash), false) = (lead_hash.clone(), staff_exists) {
        db::insert_account(
            &mut *tx,
            &db::Account {
                id: staff_id.clone(),
                email: DEMO_STAFF_EMAIL.to_owned(),
                display_name: "Dominique Équipe".to_owned(),
                password_hash,
                role: crate::domain::account::AccountRole::Staff,
            },
            created_at,
        )
        .await?;
    }
    if let Some(password_hash) = lead_hash {
        db::insert_account(
            &mut *tx,
            &db::Account {
                id: lead_id.clone(),
                email: DEMO_LEAD_EMAIL.to_owned(),
                display_name: "Camille Démo".to_owned(),
                password_hash,
                role: crate::domain::account::AccountRole::Lead,
            },
            created_at,
        )
        .await?;
    }

    for c in &catalogue.coalitions {
        let secondary = c
            .secondary_qualities
            .iter()
            .map(|q| q.code())
            .collect::<Vec<_>>()
            .join(" ");
        let added = db::insert_coalition(
            &mut *tx,
            &NewCoalition {
                id: &id(&format!("coalition:{}", c.slug)),
                slug: &c.slug,
                family: c.family.code(),
                name: (&c.name.fr, &c.name.en),
                problem: (&c.problem.fr, &c.problem.en),
                impact: (&c.impact.fr, &c.impact.en),
                narrative: (&c.narrative.fr, &c.narrative.en),
                scale: c.scale.code(),
                stage: c.stage.code(),
                primary_quality: c.primary_quality.code(),
                secondary_qualities: &secondary,
                lever_commande: (&c.levers.commande.fr, &c.levers.commande.en),
                lever_offre: (&c.levers.offre.fr, &c.levers.offre.en),
                lever_usages: (&c.levers.usages.fr, &c.levers.usages.en),
                created_at,
            },
        )
        .await?;
        report.coalitions += usize::from(added);
    }

    for (n, o) in ORGANISATIONS.iter().enumerate() {
        let organisation_id = id(&format!("organisation:{}", o.key));
        let added = db::insert_organisation(
            &mut *tx,
            &NewOrganisation {
                id: &organisation_id,
                name: o.name,
                kind: o.kind,
                siren: None,
                departement: Some(o.departement),
                commune_insee: None,
                size_band: Some(o.size_band),
                created_at,
            },
        )
        .await?;
        report.organisations += usize::from(added);
        // The demo's organisations are in the public directory, so that its coalitions'
        // managers can invite them.
        db::set_in_directory(&mut *tx, &organisation_id, true).await?;
        // The demo's organisations stand for real ones that staff have checked.
        db::set_organisation_verified(&mut *tx, &organisation_id, true).await?;
        if !lead_exists {
            db::add_lead(&mut *tx, &organisation_id, &lead_id).await?;
        }
        let Some(q) = registry.latest(o.questionnaire) else {
            continue;
        };
        let month = 2 + n as u32; // spread over the year
        let owner = Owner::Organisation(&organisation_id);
        if o.earlier {
            // A year earlier, a weaker profile and fewer respondents.
            let profile = o.profile.map(|p| (p - 0.15).max(0.05));
            let roles = &o.roles[..o.roles.len().min(3)];
            report.responses += diagnostic(
                &mut tx,
                q,
                owner,
                &format!("{}:2025", o.key),
                2025,
                month,
                &profile,
                roles,
                false,
            )
            .await?;
        }
        // The last organisation's colleague has not finished yet.
        let in_progress = n == ORGANISATIONS.len() - 1;
        report.responses += diagnostic(
            &mut tx,
            q,
            owner,
            &format!("{}:2026", o.key),
            2026,
            month,
            &o.profile,
            o.roles,
            in_progress,
        )
        .await?;
    }

    if let Some(q) = registry.latest("coalitions") {
        for (n, (slug, profile, roles)) in COALITION_DIAGNOSTICS.iter().enumerate() {
            let coalition_id = id(&format!("coalition:{slug}"));
            let owner = Owner::Coalition(&coalition_id);
            report.responses += diagnostic(
                &mut tx,
                q,
                owner,
                &format!("coalition:{slug}:2026"),
                2026,
                3 + 2 * n as u32,
                profile,
                roles,
                false,
            )
            .await?;
        }
    }
    let tracking = tracking::DemoTracking::shipped()?;
    let people = tracking::DemoPeople {
        lead: &lead_id,
        staff: &staff_id,
    };
    for c in &catalogue.coalitions {
        let content = tracking.coalitions.iter().find(|t| t.slug == c.slug);
        tracking::load_coalition(&mut *tx, id, c, content, &people).await?;
    }
    for (organisation, slug, actor_type, role) in DEMO_MEMBERSHIPS {
        db::insert_member(
            &mut *tx,
            &db::NewMember {
                id: &id(&format!("member:{slug}:demo:{organisation}")),
                coalition_id: &id(&format!("coalition:{slug}")),
                organisation_id: &id(&format!("organisation:{organisation}")),
                actor_type: actor_type.code(),
                role: role.code(),
                joined_on: "2024-03-01",
                created_at,
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(report)
}

/// The seed of the demo's synthetic population: its ids differ from any `--synthetic` run
/// with another seed.
const LIVED_IN_SEED: u64 = 20_261_206;

/// Where the demo's synthetic population is: few départements, so that most of them hold
/// five organisations or more (and a few do not, to show a withheld one), overseas included;
/// answering since 2024.
const LIVED_IN: synthetic::Spread = synthetic::Spread {
    departements: &["13", "29", "33", "35", "44", "45", "59", "69", "974"],
    earlier_years: &[2024, 2025],
};

/// The year whose report the demo publishes: the last complete one, as the programme would
/// in December 2026. Not the current year: publishing a year locks its measurements, and the
/// demo's coalitions have this year's measurements waiting for validation (the staff's
/// queue, the journeys that enter and validate one).
pub const DEMO_REPORT_YEAR: i32 = 2025;

/// What [`lived_in`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LivedIn {
    pub population: synthetic::SyntheticReport,
    /// Whether the demo's report was published now (`false`: it already was).
    pub published_now: bool,
}

/// Adds the demo's synthetic population and publishes its [`DEMO_REPORT_YEAR`] report; does nothing for
/// what is already there, so that a restart is quick.
pub async fn lived_in(
    pool: &Pool,
    registry: &Registry,
    writes: &crate::db::WriteGate,
) -> anyhow::Result<LivedIn> {
    // Once published, the report no longer reads the population: a restart skips drawing
    // 900 responses only to find them there already.
    if crate::db::locked_years(pool)
        .await?
        .contains(&DEMO_REPORT_YEAR)
        && !crate::db::report_file_listings(pool, DEMO_REPORT_YEAR, crate::db::REPORT_PUBLISHED)
            .await?
            .is_empty()
    {
        return Ok(LivedIn {
            population: synthetic::SyntheticReport::default(),
            published_now: false,
        });
    }
    let population = synthetic::load_spread(
        pool,
        registry,
        synthetic::Synthetic {
            organisations: 90,
            respondents: 900,
            seed: LIVED_IN_SEED,
        },
        LIVED_IN,
        &|_, _| {},
    )
    .await?;
    let published = crate::app::publications::publish(
        pool,
        registry,
        writes,
        DEMO_REPORT_YEAR,
        None,
        &(),
        None,
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(LivedIn {
        population,
        published_now: published == crate::app::publications::Published::Now,
    })
}

#[derive(Clone, Copy)]
enum Owner<'a> {
    Organisation(&'a str),
    Coalition(&'a str),
}

/// One diagnostic with a response per role; returns how many responses were added.
#[allow(clippy::too_many_arguments)]
async fn diagnostic(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    q: &Questionnaire,
    owner: Owner<'_>,
    key: &str,
    year: i32,
    month: u32,
    profile: &[f64; QUALITY_COUNT],
    roles: &[&str],
    last_in_progress: bool,
) -> anyhow::Result<usize> {
    let diagnostic_id = id(&format!("diagnostic:{key}"));
    let opened_at = format!("{year}-{month:02}-03T09:00:00Z");
    let (organisation_id, coalition_id) = match owner {
        Owner::Organisation(o) => (Some(o), None),
        Owner::Coalition(c) => (None, Some(c)),
    };
    let added = db::insert_diagnostic(
        &mut **tx,
        &NewDiagnostic {
            id: &diagnostic_id,
            organisation_id,
            coalition_id,
            questionnaire_slug: &q.slug,
            questionnaire_version: &q.version,
            title: &format!("Autodiagnostic {year}"),
            opened_at: &opened_at,
            closed_at: None,
        },
    )
    .await?;
    if !added {
        return Ok(0);
    }
    let mut rng = Rng::new(Uuid::new_v5(&NAMESPACE, key.as_bytes()).as_u64_pair().0);
    let mut responses = 0;
    for (i, role) in roles.iter().enumerate() {
        let in_progress = last_in_progress && i == roles.len() - 1;
        let response_id = id(&format!("response:{key}:{i}"));
        let day = 5 + 2 * i as u32;
        let started_at = format!("{year}-{month:02}-{day:02}T10:{:02}:00Z", (7 * i) % 60);
        let submitted_at = format!("{year}-{month:02}-{day:02}T10:{:02}:00Z", (7 * i + 25) % 60);
        db::insert_response(
            &mut **tx,
            &response_id,
            &diagnostic_id,
            role,
            &started_at,
            (!in_progress).then_some(submitted_at.as_str()),
        )
        .await?;
        // Each person sees things a little differently.
        let bias = rng.between(-0.12, 0.12);
        let answered = if in_progress {
            q.questions.len() / 3
        } else {
            q.questions.len()
        };
        let stored: Vec<_> = q
            .questions
            .iter()
            .take(answered)
            .map(|question| {
                let target = profile[question.quality.index()] + bias + rng.between(-0.2, 0.2);
                let answer = demo_answer(question, target.clamp(0.0, 1.0), &mut rng);
                (question, question.store_answer(&answer))
            })
            .collect();
        let rows: Vec<StoredAnswer> = stored
            .iter()
            .map(|(question, (state, value, justification))| StoredAnswer {
                question_id: &question.id,
                state: state.code(),
                value: value.as_deref(),
                justification: justification.as_deref(),
            })
            .collect();
        db::upsert_answers(&mut **tx, &response_id, &rows, &started_at).await?;
        if !in_progress {
            db::freeze_answers(tx, &response_id).await?;
            db::score_frozen_response(tx, q, &response_id).await?;
        }
        responses += 1;
    }
    Ok(responses)
}

/// An answer whose score is near `target`, now and then « non applicable » or « je ne sais
/// pas » where the question allows it.
pub fn demo_answer(question: &Question, target: f64, rng: &mut Rng) -> Answer {
    let roll = rng.unit();
    if question.not_applicable != NotApplicable::No && roll < 0.04 {
        return Answer::NotApplicable(Some(
            "Ne concerne pas notre structure pour l'instant.".to_owned(),
        ));
    }
    if question.dont_know && roll > 0.95 {
        return Answer::DontKnow;
    }
    let closest = |scores: &mut dyn Iterator<Item = f64>| {
        scores
            .enumerate()
            .min_by(|a, b| (a.1 - target).abs().total_cmp(&(b.1 - target).abs()))
            .map(|(i, _)| i)
            .unwrap_or(0)
    };
    match &question.kind {
        QuestionKind::Scale { labels, .. } => {
            let n = labels.len();
            Answer::Scale((1 + (target * (n - 1) as f64).round() as usize).min(n) as u8)
        }
        QuestionKind::Single { options } => {
            Answer::Single(closest(&mut options.iter().map(|o| o.score)))
        }
        QuestionKind::Multiple { options } => {
            let mut order: Vec<usize> = (0..options.len())
                .filter(|&i| !options[i].exclusive)
                .collect();
            order.sort_by(|&a, &b| options[b].score.total_cmp(&options[a].score));
            let mut chosen = Vec::new();
            let mut sum = 0.0;
            for i in order {
                if sum >= target {
                    break;
                }
                if rng.unit() < 0.8 {
                    sum += options[i].score;
                    chosen.push(i);
                }
            }
            if chosen.is_empty() {
                chosen.push(options.iter().position(|o| o.exclusive).unwrap_or(0));
            }
            chosen.sort_unstable();
            Answer::Multiple(chosen)
        }
        QuestionKind::YesNo {
            yes_score,
            no_score,
        } => Answer::YesNo((yes_score - target).abs() <= (no_score - target).abs()),
        QuestionKind::Number {
            thresholds,
            min,
            max,
            ..
        } => {
            // Invert the thresholds: the value whose score is the target.
            let mut value = thresholds.first().map(|t| t.value).unwrap_or(0.0);
            for pair in thresholds.windows(2) {
                let (a, b) = (pair[0], pair[1]);
                let (low, high) = (a.score.min(b.score), a.score.max(b.score));
                if (low..=high).contains(&target) && b.score != a.score {
                    value =
                        a.value + (target - a.score) * (b.value - a.value) / (b.score - a.score);
                    break;
                }
                if target > high {
                    value = b.value;
                }
            }
            let value = (value * 10.0).round() / 10.0;
            let value = min.map_or(value, |m| value.max(m));
            Answer::Number(max.map_or(value, |m| value.min(m)))
        }
        QuestionKind::Text => Answer::Text(TEXT_ANSWERS[rng.below(TEXT_ANSWERS.len())].to_owned()),
    }
}
