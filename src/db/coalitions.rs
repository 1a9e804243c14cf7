//! Coalitions: their identity, the stages they went through, their members, and which
//! accounts act for them (through the organisations they lead); the public directory of
//! organisations managers may invite, and the invitations their leads answer.

use super::{AnyExecutor, DIAGNOSTIC_COLUMNS, Diagnostic};
use crate::domain::coalition::{ActorType, InvitationStatus, MemberRole, Scale, Stage, localized};
use crate::domain::i18n::Lang;
use crate::domain::{CoalitionFamily, Quality};
use sqlx::{FromRow, Row};

/// A coalition as stored, its codes decoded into the core's values.
#[derive(Debug, Clone)]
pub struct Coalition {
    pub id: String,
    pub slug: String,
    pub family: CoalitionFamily,
    pub name_fr: String,
    pub name_en: String,
    pub problem_fr: String,
    pub problem_en: String,
    pub impact_fr: String,
    pub impact_en: String,
    pub narrative_fr: String,
    pub narrative_en: String,
    pub scale: Scale,
    pub stage: Stage,
    pub primary_quality: Quality,
    /// In display order (stored as codes separated by spaces).
    pub secondary_qualities: Vec<Quality>,
    pub lever_commande_fr: String,
    pub lever_commande_en: String,
    pub lever_offre_fr: String,
    pub lever_offre_en: String,
    pub lever_usages_fr: String,
    pub lever_usages_en: String,
}

impl Coalition {
    /// The coalition's name in the reader's language.
    pub fn name(&self, lang: Lang) -> &str {
        localized(lang, &self.name_fr, &self.name_en)
    }
}

/// A stored code decoded, or the column's decoding error naming it.
fn decoded<T: TryFrom<String, Error = crate::domain::UnknownCode>>(
    row: &sqlx::any::AnyRow,
    column: &str,
) -> Result<T, sqlx::Error> {
    T::try_from(row.try_get::<String, _>(column)?).map_err(|e| sqlx::Error::ColumnDecode {
        index: column.to_owned(),
        source: Box::new(e),
    })
}

impl<'r> FromRow<'r, sqlx::any::AnyRow> for Coalition {
    fn from_row(row: &'r sqlx::any::AnyRow) -> Result<Self, sqlx::Error> {
        let secondary: String = row.try_get("secondary_qualities")?;
        let secondary_qualities = secondary
            .split_whitespace()
            .map(|code| Quality::try_from(code.to_owned()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| sqlx::Error::ColumnDecode {
                index: "secondary_qualities".to_owned(),
                source: Box::new(e),
            })?;
        Ok(Coalition {
            id: row.try_get("id")?,
            slug: row.try_get("slug")?,
            family: decoded(row, "family")?,
            name_fr: row.try_get("name_fr")?,
            name_en: row.try_get("name_en")?,
            problem_fr: row.try_get("problem_fr")?,
            problem_en: row.try_get("problem_en")?,
            impact_fr: row.try_get("impact_fr")?,
            impact_en: row.try_get("impact_en")?,
            narrative_fr: row.try_get("narrative_fr")?,
            narrative_en: row.try_get("narrative_en")?,
            scale: decoded(row, "scale")?,
            stage: decoded(row, "stage")?,
            primary_quality: decoded(row, "primary_quality")?,
            secondary_qualities,
            lever_commande_fr: row.try_get("lever_commande_fr")?,
            lever_commande_en: row.try_get("lever_commande_en")?,
            lever_offre_fr: row.try_get("lever_offre_fr")?,
            lever_offre_en: row.try_get("lever_offre_en")?,
            lever_usages_fr: row.try_get("lever_usages_fr")?,
            lever_usages_en: row.try_get("lever_usages_en")?,
        })
    }
}

const COALITION_COLUMNS: &str = "id, slug, family, name_fr, name_en, problem_fr, problem_en, impact_fr, \
     impact_en, narrative_fr, narrative_en, scale, stage, primary_quality, secondary_qualities, \
     lever_commande_fr, lever_commande_en, lever_offre_fr, lever_offre_en, lever_usages_fr, \
     lever_usages_en";

/// A coalition's identity as created or edited. Each text is `(French, English)`; English
/// may be empty, and the French is shown in its place.
pub struct NewCoalition<'a> {
    pub id: &'a str,
    pub slug: &'a str,
    pub family: &'a str,
    pub name: (&'a str, &'a str),
    pub problem: (&'a str, &'a str),
    pub impact: (&'a str, &'a str),
    pub narrative: (&'a str, &'a str),
    pub scale: &'a str,
    pub stage: &'a str,
    pub primary_quality: &'a str,
    pub secondary_qualities: &'a str,
    pub lever_commande: (&'a str, &'a str),
    pub lever_offre: (&'a str, &'a str),
    pub lever_usages: (&'a str, &'a str),
    pub created_at: &'a str,
}

/// Adds a coalition; `false` when one with this id exists (it is left as it is).
pub async fn insert_coalition(
    ex: impl AnyExecutor<'_>,
    c: &NewCoalition<'_>,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "INSERT INTO coalitions (id, slug, family, name_fr, name_en, problem_fr, problem_en,
             impact_fr, impact_en, narrative_fr, narrative_en, scale, stage, primary_quality,
             secondary_qualities, lever_commande_fr, lever_commande_en, lever_offre_fr,
             lever_offre_en, lever_usages_fr, lever_usages_en, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
             $19, $20, $21, $22)
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(c.id)
    .bind(c.slug)
    .bind(c.family)
    .bind(c.name.0)
    .bind(c.name.1)
    .bind(c.problem.0)
    .bind(c.problem.1)
    .bind(c.impact.0)
    .bind(c.impact.1)
    .bind(c.narrative.0)
    .bind(c.narrative.1)
    .bind(c.scale)
    .bind(c.stage)
    .bind(c.primary_quality)
    .bind(c.secondary_qualities)
    .bind(c.lever_commande.0)
    .bind(c.lever_commande.1)
    .bind(c.lever_offre.0)
    .bind(c.lever_offre.1)
    .bind(c.lever_usages.0)
    .bind(c.lever_usages.1)
    .bind(c.created_at)
    .execute(ex)
    .await
    .map(|r| r.rows_affected() == 1)
}

/// Rewrites a coalition's identity (not its slug, stage or creation date).
pub async fn update_coalition(
    ex: impl AnyExecutor<'_>,
    c: &NewCoalition<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE coalitions SET family = $2, name_fr = $3, name_en = $4, problem_fr = $5,
             problem_en = $6, impact_fr = $7, impact_en = $8, narrative_fr = $9,
             narrative_en = $10, scale = $11, primary_quality = $12, secondary_qualities = $13,
             lever_commande_fr = $14, lever_commande_en = $15, lever_offre_fr = $16,
             lever_offre_en = $17, lever_usages_fr = $18, lever_usages_en = $19
         WHERE id = $1",
    )
    .bind(c.id)
    .bind(c.family)
    .bind(c.name.0)
    .bind(c.name.1)
    .bind(c.problem.0)
    .bind(c.problem.1)
    .bind(c.impact.0)
    .bind(c.impact.1)
    .bind(c.narrative.0)
    .bind(c.narrative.1)
    .bind(c.scale)
    .bind(c.primary_quality)
    .bind(c.secondary_qualities)
    .bind(c.lever_commande.0)
    .bind(c.lever_commande.1)
    .bind(c.lever_offre.0)
    .bind(c.lever_offre.1)
    .bind(c.lever_usages.0)
    .bind(c.lever_usages.1)
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn coalitions(ex: impl AnyExecutor<'_>) -> Result<Vec<Coalition>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COALITION_COLUMNS} FROM coalitions ORDER BY family, name_fr"
    )))
    .fetch_all(ex)
    .await
}

pub async fn coalition_by_slug(
    ex: impl AnyExecutor<'_>,
    slug: &str,
) -> Result<Option<Coalition>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COALITION_COLUMNS} FROM coalitions WHERE slug = $1"
    )))
    .bind(slug)
    .fetch_optional(ex)
    .await
}

/// A coalition's latest diagnostic that has submitted responses.
pub async fn latest_coalition_diagnostic(
    ex: impl AnyExecutor<'_>,
    coalition_id: &str,
) -> Result<Option<Diagnostic>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {DIAGNOSTIC_COLUMNS} FROM diagnostics d WHERE d.coalition_id = $1
           AND EXISTS (SELECT 1 FROM responses r WHERE r.diagnostic_id = d.id AND r.submitted_at IS NOT NULL)
         ORDER BY d.opened_at DESC, d.id DESC"
    )))
    .bind(coalition_id)
    .fetch_optional(ex)
    .await
}

// --- Stages ----------------------------------------------------------------------------------

/// A stage a coalition went through, as its history shows it.
#[derive(Debug, Clone, FromRow)]
pub struct StageHistoryEntry {
    #[sqlx(try_from = "String")]
    pub stage: Stage,
    pub changed_on: String,
    pub note: String,
    pub recorded_by_name: Option<String>,
}

/// Moves a coalition to a stage and keeps the change in its history.
// One argument a column, as the other queries of this module.
#[allow(clippy::too_many_arguments)]
pub async fn insert_stage_change(
    ex: impl AnyExecutor<'_>,
    id: &str,
    coalition_id: &str,
    stage: &str,
    changed_on: &str,
    note: &str,
    recorded_by: Option<&str>,
    recorded_at: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "INSERT INTO coalition_stage_changes (id, coalition_id, stage, changed_on, note,
             recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING",
    )
    .bind(id)
    .bind(coalition_id)
    .bind(stage)
    .bind(changed_on)
    .bind(note)
    .bind(recorded_by)
    .bind(recorded_at)
    .execute(ex)
    .await
    .map(|r| r.rows_affected() == 1)
}

pub async fn set_coalition_stage(
    ex: impl AnyExecutor<'_>,
    coalition_id: &str,
    stage: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE coalitions SET stage = $2 WHERE id = $1")
        .bind(coalition_id)
        .bind(stage)
        .execute(ex)
        .await?;
    Ok(())
}

/// The stages a coalition went through, oldest first.
pub async fn stage_changes(
    ex: impl AnyExecutor<'_>,
    coalition_id: &str,
) -> Result<Vec<StageHistoryEntry>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.stage, s.changed_on, s.note, a.display_name AS recorded_by_name
         FROM coalition_stage_changes s LEFT JOIN accounts a ON a.id = s.recorded_by
         WHERE s.coalition_id = $1 ORDER BY s.changed_on, s.recorded_at",
    )
    .bind(coalition_id)
    .fetch_all(ex)
    .await
}

// --- Members ---------------------------------------------------------------------------------

/// Takes the coalition's row lock until the transaction ends, so that changes to its
/// members that read them first (the last porteur rule) run one after the other on
/// PostgreSQL too (SQLite has one writer anyway). A no-op write, the same SQL on both.
pub async fn lock_coalition(
    ex: impl AnyExecutor<'_>,
    coalition_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE coalitions SET stage = stage WHERE id = $1")
        .bind(coalition_id)
        .execute(ex)
        .await
        .map(|_| ())
}

#[derive(Debug, Clone, FromRow)]
pub struct Member {
    pub id: String,
    pub organisation_id: String,
    pub organisation_name: String,
    pub organisation_kind: String,
    #[sqlx(try_from = "String")]
    pub actor_type: ActorType,
    #[sqlx(try_from = "String")]
    pub role: MemberRole,
    pub joined_on: String,
    pub left_on: Option<String>,
}

impl Member {
    pub fn is_current(&self) -> bool {
        self.left_on.is_none()
    }
}

pub struct NewMember<'a> {
    pub id: &'a str,
    pub coalition_id: &'a str,
    pub organisation_id: &'a str,
    pub actor_type: &'a str,
    pub role: &'a str,
    pub joined_on: &'a str,
    pub created_at: &'a str,
}

/// Adds a membership; `false` when this id exists, or the organisation is already a current
/// member (the partial unique index refuses it).
pub async fn insert_member(
    ex: impl AnyExecutor<'_>,
    m: &NewMember<'_>,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "INSERT INTO coalition_members (id, coalition_id, organisation_id, actor_type, role,
             joined_on, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
    )
    .bind(m.id)
    .bind(m.coalition_id)
    .bind(m.organisation_id)
    .bind(m.actor_type)
    .bind(m.role)
    .bind(m.joined_on)
    .bind(m.created_at)
    .execute(ex)
    .await
    .map(|r| r.rows_affected() == 1)
}

/// Every membership of a coalition, current ones first, then by role and name.
pub async fn members(
    ex: impl AnyExecutor<'_>,
    coalition_id: &str,
) -> Result<Vec<Member>, sqlx::Error> {
    sqlx::query_as(
        "SELECT m.id, m.organisation_id, o.name AS organisation_name,
             o.kind AS organisation_kind, m.actor_type, m.role, m.joined_on, m.left_on
         FROM coalition_members m JOIN organisations o ON o.id = m.organisation_id
         WHERE m.coalition_id = $1
         ORDER BY CASE WHEN m.left_on IS NULL THEN 0 ELSE 1 END,
             CASE m.role WHEN 'porteur' THEN 0 WHEN 'co-porteur' THEN 1
                 WHEN 'contributeur' THEN 2 ELSE 3 END,
             o.name",
    )
    .bind(coalition_id)
    .fetch_all(ex)
    .await
}

/// Changes a current member's role; `false` when no such current membership.
pub async fn update_member_role(
    ex: impl AnyExecutor<'_>,
    coalition_id: &str,
    member_id: &str,
    role: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "UPDATE coalition_members SET role = $3
         WHERE coalition_id = $1 AND id = $2 AND left_on IS NULL",
    )
    .bind(coalition_id)
    .bind(member_id)
    .bind(role)
    .execute(ex)
    .await
    .map(|r| r.rows_affected() == 1)
}

/// Records that a member left; the membership stays in the history.
pub async fn end_membership(
    ex: impl AnyExecutor<'_>,
    coalition_id: &str,
    member_id: &str,
    left_on: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "UPDATE coalition_members SET left_on = $3
         WHERE coalition_id = $1 AND id = $2 AND left_on IS NULL",
    )
    .bind(coalition_id)
    .bind(member_id)
    .bind(left_on)
    .execute(ex)
    .await
    .map(|r| r.rows_affected() == 1)
}

/// The roles an account holds in a coalition: those of the current memberships of the
/// organisations it leads.
pub async fn coalition_roles_of_account(
    ex: impl AnyExecutor<'_>,
    coalition_id: &str,
    account_id: &str,
) -> Result<Vec<MemberRole>, sqlx::Error> {
    let codes: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT m.role FROM coalition_members m
         JOIN organisation_leads l ON l.organisation_id = m.organisation_id
         WHERE m.coalition_id = $1 AND l.account_id = $2 AND m.left_on IS NULL",
    )
    .bind(coalition_id)
    .bind(account_id)
    .fetch_all(ex)
    .await?;
    codes
        .into_iter()
        .map(|code| {
            MemberRole::try_from(code).map_err(|e| sqlx::Error::ColumnDecode {
                index: "role".to_owned(),
                source: Box::new(e),
            })
        })
        .collect()
}

/// The coalitions where an account acts for a member organisation, with its strongest role.
#[derive(Debug, Clone, FromRow)]
pub struct AccountCoalition {
    pub slug: String,
    pub name_fr: String,
    pub name_en: String,
    #[sqlx(try_from = "String")]
    pub role: MemberRole,
}

pub async fn coalitions_of_account(
    ex: impl AnyExecutor<'_>,
    account_id: &str,
) -> Result<Vec<AccountCoalition>, sqlx::Error> {
    sqlx::query_as(
        "SELECT DISTINCT c.slug, c.name_fr, c.name_en, m.role FROM coalitions c
         JOIN coalition_members m ON m.coalition_id = c.id AND m.left_on IS NULL
         JOIN organisation_leads l ON l.organisation_id = m.organisation_id
         WHERE l.account_id = $1 ORDER BY c.name_fr, m.role",
    )
    .bind(account_id)
    .fetch_all(ex)
    .await
}

// --- The public directory and coalition invitations --------------------------------------------

/// The organisations whose lead chose to appear in the public directory, by name: the only
/// ones a coalition manager may find and invite.
pub async fn directory_organisations(
    ex: impl AnyExecutor<'_>,
) -> Result<Vec<super::Organisation>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {} FROM organisations o WHERE o.in_directory = 1 ORDER BY o.name",
        super::ORGANISATION_COLUMNS
    )))
    .fetch_all(ex)
    .await
}

pub async fn is_in_directory(
    ex: impl AnyExecutor<'_>,
    organisation_id: &str,
) -> Result<bool, sqlx::Error> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM organisations WHERE id = $1 AND in_directory = 1")
            .bind(organisation_id)
            .fetch_one(ex)
            .await?;
    Ok(n > 0)
}

pub async fn set_in_directory(
    ex: impl AnyExecutor<'_>,
    organisation_id: &str,
    in_directory: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE organisations SET in_directory = $2 WHERE id = $1")
        .bind(organisation_id)
        .bind(i32::from(in_directory))
        .execute(ex)
        .await
        .map(|_| ())
}

pub struct NewCoalitionInvitation<'a> {
    pub id: &'a str,
    pub coalition_id: &'a str,
    pub organisation_id: &'a str,
    pub actor_type: &'a str,
    pub role: &'a str,
    pub joined_on: &'a str,
    pub invited_by: Option<&'a str>,
    pub invited_at: &'a str,
}

/// Invites an organisation; `false` when one of its invitations to this coalition is still
/// waiting for an answer (the partial unique index keeps one).
pub async fn insert_coalition_invitation(
    ex: impl AnyExecutor<'_>,
    i: &NewCoalitionInvitation<'_>,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "INSERT INTO coalition_invitations (id, coalition_id, organisation_id, actor_type, role,
             joined_on, invited_by, invited_at, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending') ON CONFLICT DO NOTHING",
    )
    .bind(i.id)
    .bind(i.coalition_id)
    .bind(i.organisation_id)
    .bind(i.actor_type)
    .bind(i.role)
    .bind(i.joined_on)
    .bind(i.invited_by)
    .bind(i.invited_at)
    .execute(ex)
    .await
    .map(|r| r.rows_affected() == 1)
}

/// An invitation with the names its pages show.
#[derive(Debug, Clone, FromRow)]
pub struct CoalitionInvitation {
    pub id: String,
    pub coalition_id: String,
    pub coalition_slug: String,
    pub coalition_name_fr: String,
    pub coalition_name_en: String,
    pub organisation_id: String,
    pub organisation_name: String,
    #[sqlx(try_from = "String")]
    pub actor_type: ActorType,
    #[sqlx(try_from = "String")]
    pub role: MemberRole,
    pub joined_on: String,
    pub invited_at: String,
    #[sqlx(try_from = "String")]
    pub status: InvitationStatus,
}

const INVITATION_SELECT: &str = "SELECT i.id, i.coalition_id, c.slug AS coalition_slug,
         c.name_fr AS coalition_name_fr, c.name_en AS coalition_name_en, i.organisation_id,
         o.name AS organisation_name, i.actor_type, i.role, i.joined_on, i.invited_at, i.status
     FROM coalition_invitations i
     JOIN coalitions c ON c.id = i.coalition_id
     JOIN organisations o ON o.id = i.organisation_id";

pub async fn coalition_invitation(
    ex: impl AnyExecutor<'_>,
    id: &str,
) -> Result<Option<CoalitionInvitation>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{INVITATION_SELECT} WHERE i.id = $1"
    )))
    .bind(id)
    .fetch_optional(ex)
    .await
}

/// The invitations of a coalition still waiting for an answer, oldest first.
pub async fn pending_invitations_of_coalition(
    ex: impl AnyExecutor<'_>,
    coalition_id: &str,
) -> Result<Vec<CoalitionInvitation>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{INVITATION_SELECT} WHERE i.coalition_id = $1 AND i.status = 'pending'
         ORDER BY i.invited_at, i.id"
    )))
    .bind(coalition_id)
    .fetch_all(ex)
    .await
}

/// The invitations waiting for an answer from the organisations an account leads.
pub async fn pending_invitations_for_account(
    ex: impl AnyExecutor<'_>,
    account_id: &str,
) -> Result<Vec<CoalitionInvitation>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{INVITATION_SELECT}
         JOIN organisation_leads l ON l.organisation_id = i.organisation_id
         WHERE l.account_id = $1 AND i.status = 'pending'
         ORDER BY i.invited_at, i.id"
    )))
    .bind(account_id)
    .fetch_all(ex)
    .await
}

/// Records the answer (accepted, declined) to an invitation still waiting for one; `false`
/// when it was answered meanwhile.
pub async fn answer_coalition_invitation(
    ex: impl AnyExecutor<'_>,
    id: &str,
    status: InvitationStatus,
    answered_by: &str,
    answered_at: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "UPDATE coalition_invitations SET status = $2, answered_by = $3, answered_at = $4
         WHERE id = $1 AND status = 'pending'",
    )
    .bind(id)
    .bind(status.code())
    .bind(answered_by)
    .bind(answered_at)
    .execute(ex)
    .await
    .map(|r| r.rows_affected() == 1)
}
