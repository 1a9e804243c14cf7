//! The coalition use cases: create one, edit its identity, move it to a stage, add members
//! (directly, or by inviting an organisation that joins when one of its leads accepts),
//! change a member's role or end a membership, and the organisation's side of invitations.
//!
//! Each loads what it needs, decides with the rules of [`crate::domain::coalition`], and
//! writes in one transaction through [`db::begin_write`]. A refusal the person can fix comes
//! back as [`FieldErrors`] beside the field (`Ok(Err(errors))`); the rest is [`AppError`].

use crate::app::error::AppError;
use crate::db::{self, Coalition, Member, NewOrganisation, Pool, WriteGate};
use crate::domain::coalition::{
    ActorType, CoalitionData, InvitationStatus, LAST_PORTEUR, MemberOrganisation, MemberRole,
    MemberToAdd, MembershipChange, NO_PORTEUR_YET, Stage, StageChange, keeps_a_porteur, may_join,
    past_date,
};
use crate::domain::field_errors::FieldErrors;
use time::Date;

/// What a use case decided: done (with its result), or refused with what to fix.
pub type Decision<T> = Result<Result<T, FieldErrors>, AppError>;

/// Who acts: an account, and whether it is programme staff (who add members directly).
#[derive(Debug, Clone, Copy)]
pub struct Actor<'a> {
    pub account_id: &'a str,
    pub is_staff: bool,
}

fn refused<T>(field: &str, (fr, en): (&str, &str)) -> Result<T, FieldErrors> {
    let mut errors = FieldErrors::new();
    errors.add(field, fr, en);
    Err(errors)
}

// --- Identity and stages ----------------------------------------------------------------------

fn identity<'a>(
    id: &'a str,
    data: &'a CoalitionData,
    secondary: &'a str,
    stage: Stage,
    created_at: &'a str,
) -> db::NewCoalition<'a> {
    db::NewCoalition {
        id,
        slug: &data.slug,
        family: data.family.code(),
        name: data.name.pair(),
        problem: data.problem.pair(),
        impact: data.impact.pair(),
        narrative: data.narrative.pair(),
        scale: data.scale.code(),
        stage: stage.code(),
        primary_quality: data.primary_quality.code(),
        secondary_qualities: secondary,
        lever_commande: data.lever_commande.pair(),
        lever_offre: data.lever_offre.pair(),
        lever_usages: data.lever_usages.pair(),
        created_at,
    }
}

/// Creates a coalition at the intention stage, its history saying so from the first day;
/// refused when its slug is taken. Returns the slug.
pub async fn create(
    pool: &Pool,
    writes: &WriteGate,
    account_id: &str,
    data: &CoalitionData,
    today: Date,
) -> Decision<String> {
    if db::coalition_by_slug(pool, &data.slug).await?.is_some() {
        let mut errors = FieldErrors::new();
        errors.add(
            "slug",
            format!(
                "Une coalition a déjà l'identifiant « {} » : choisissez-en un autre.",
                data.slug
            ),
            format!(
                "A coalition already has the identifier \"{}\": choose another one.",
                data.slug
            ),
        );
        return Ok(Err(errors));
    }
    let id = db::new_id();
    let now = db::now();
    let secondary = data.secondary_codes();
    let mut tx = db::begin_write(pool, writes).await?;
    db::insert_coalition(
        &mut *tx,
        &identity(&id, data, &secondary, Stage::Intention, &now),
    )
    .await?;
    db::insert_stage_change(
        &mut *tx,
        &db::new_id(),
        &id,
        Stage::Intention.code(),
        &today.to_string(),
        "Création de la coalition.",
        Some(account_id),
        &now,
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(data.slug.clone()))
}

/// Rewrites a coalition's identity; its slug (its address), stage and creation stay.
pub async fn edit(
    pool: &Pool,
    writes: &WriteGate,
    coalition: &Coalition,
    data: &CoalitionData,
) -> Result<(), AppError> {
    let secondary = data.secondary_codes();
    let mut tx = db::begin_write(pool, writes).await?;
    db::update_coalition(
        &mut *tx,
        &identity(&coalition.id, data, &secondary, coalition.stage, ""),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Moves a coalition to a stage and keeps the change in its history, together.
pub async fn change_stage(
    pool: &Pool,
    writes: &WriteGate,
    coalition: &Coalition,
    account_id: &str,
    change: &StageChange,
) -> Result<(), AppError> {
    let mut tx = db::begin_write(pool, writes).await?;
    db::insert_stage_change(
        &mut *tx,
        &db::new_id(),
        &coalition.id,
        change.stage.code(),
        &change.changed_on.to_string(),
        &change.note,
        Some(account_id),
        &db::now(),
    )
    .await?;
    db::set_coalition_stage(&mut *tx, &coalition.id, change.stage.code()).await?;
    tx.commit().await?;
    Ok(())
}

// --- Members ----------------------------------------------------------------------------------

/// The organisations a manager may find: every one for the programme staff; for the others,
/// those listed in the public directory and those they lead. A private organisation stays
/// invisible to managers of coalitions it has nothing to do with.
pub async fn findable_organisations(
    pool: &Pool,
    actor: Actor<'_>,
) -> Result<Vec<db::Organisation>, AppError> {
    if actor.is_staff {
        return Ok(db::all_organisations(pool).await?);
    }
    let mut found = db::directory_organisations(pool).await?;
    for led in db::organisations_led_by(pool, actor.account_id).await? {
        if !found.iter().any(|o| o.id == led.id) {
            found.push(led);
        }
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(found)
}

fn current_roles(all: &[Member]) -> Vec<(&str, MemberRole)> {
    all.iter()
        .filter(|m| m.is_current())
        .map(|m| (m.id.as_str(), m.role))
        .collect()
}

/// How a member was added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    /// A member from now on.
    Member,
    /// Invited: it joins when one of its leads accepts.
    Invited,
}

/// Adds a member. A manager reaches only the organisations they may find (a forged id of a
/// private one reads as unknown, so that its existence is not revealed either): one they
/// lead joins at once, one from the directory is invited. Staff add any organisation
/// directly; an organisation typed by name is registered and joins at once.
pub async fn add_member(
    pool: &Pool,
    writes: &WriteGate,
    coalition: &Coalition,
    actor: Actor<'_>,
    member: &MemberToAdd,
) -> Decision<Added> {
    let all = db::members(pool, &coalition.id).await?;
    let mut errors = FieldErrors::new();
    // Some(leads) when the actor may reach the organisation, and whether they lead it.
    let findable = match &member.organisation {
        MemberOrganisation::Existing(id) if !actor.is_staff => {
            let leads = db::is_lead(pool, id, actor.account_id).await?;
            if leads || db::is_in_directory(pool, id).await? {
                Some(leads)
            } else {
                None
            }
        }
        _ => Some(true),
    };
    let direct = findable == Some(true);
    let existing_kind = match &member.organisation {
        MemberOrganisation::Existing(id) => match db::organisation(pool, id)
            .await?
            .filter(|_| findable.is_some())
        {
            None => {
                errors.add(
                    "organisation_id",
                    "Cette organisation n'est pas inscrite : choisissez-en une dans la liste.",
                    "This organisation is not registered: choose one from the list.",
                );
                None
            }
            Some(o) => {
                if all
                    .iter()
                    .any(|m| m.organisation_id == o.id && m.is_current())
                {
                    errors.add(
                        "organisation_id",
                        format!("{} est déjà membre de la coalition : changez plutôt son rôle dans la liste des membres.", o.name),
                        format!("{} is already a member of the coalition: change its role in the list of members instead.", o.name),
                    );
                }
                Some(o.kind)
            }
        },
        MemberOrganisation::New { kind, .. } => Some(*kind),
    };
    let roles: Vec<MemberRole> = current_roles(&all).iter().map(|&(_, r)| r).collect();
    if !may_join(&roles, member.role) {
        errors.add("role", NO_PORTEUR_YET.0, NO_PORTEUR_YET.1);
    }
    let actor_type = member
        .actor_type
        .or(existing_kind.map(ActorType::of_organisation_kind));
    let Some(actor_type) = actor_type.filter(|_| errors.is_empty()) else {
        if errors.is_empty() {
            errors.add(
                "actor_type",
                "Choisissez le type d'acteur de ce membre.",
                "Choose this member's actor type.",
            );
        }
        return Ok(Err(errors));
    };
    let now = db::now();
    let joined_on = member.joined_on.to_string();
    let mut tx = db::begin_write(pool, writes).await?;
    if let (MemberOrganisation::Existing(id), false) = (&member.organisation, direct) {
        let invited = db::insert_coalition_invitation(
            &mut *tx,
            &db::NewCoalitionInvitation {
                id: &db::new_id(),
                coalition_id: &coalition.id,
                organisation_id: id,
                actor_type: actor_type.code(),
                role: member.role.code(),
                joined_on: &joined_on,
                invited_by: Some(actor.account_id),
                invited_at: &now,
            },
        )
        .await?;
        if !invited {
            return Ok(refused(
                "organisation_id",
                (
                    "Cette organisation est déjà invitée : son invitation attend la réponse de ses responsables.",
                    "This organisation is already invited: its invitation awaits its leads' answer.",
                ),
            ));
        }
        tx.commit().await?;
        return Ok(Ok(Added::Invited));
    }
    let organisation_id = match &member.organisation {
        MemberOrganisation::Existing(id) => id.clone(),
        MemberOrganisation::New { name, kind } => {
            let id = db::new_id();
            // A member organisation registered here has no lead yet: one may be added when
            // someone from it creates an account.
            db::insert_organisation(
                &mut *tx,
                &NewOrganisation {
                    id: &id,
                    name,
                    kind: kind.code(),
                    siren: None,
                    departement: None,
                    commune_insee: None,
                    size_band: None,
                    created_at: &now,
                },
            )
            .await?;
            id
        }
    };
    let added = db::insert_member(
        &mut *tx,
        &db::NewMember {
            id: &db::new_id(),
            coalition_id: &coalition.id,
            organisation_id: &organisation_id,
            actor_type: actor_type.code(),
            role: member.role.code(),
            joined_on: &joined_on,
            created_at: &now,
        },
    )
    .await?;
    if !added {
        // Added meanwhile by someone else: the unique index kept one current membership.
        return Ok(refused(
            "organisation_id",
            (
                "Cette organisation est déjà membre de la coalition.",
                "This organisation is already a member of the coalition.",
            ),
        ));
    }
    tx.commit().await?;
    Ok(Ok(Added::Member))
}

/// The current member of this coalition with this id, and every membership; 404 when none.
async fn current_member(
    ex: &mut sqlx::AnyConnection,
    coalition: &Coalition,
    member_id: &str,
) -> Result<(Member, Vec<Member>), AppError> {
    let all = db::members(&mut *ex, &coalition.id).await?;
    let member = all
        .iter()
        .find(|m| m.id == member_id && m.is_current())
        .cloned()
        .ok_or(AppError::NotFound)?;
    Ok((member, all))
}

/// 404 unless this coalition has a current member with this id.
pub async fn require_current_member(
    pool: &Pool,
    coalition: &Coalition,
    member_id: &str,
) -> Result<(), AppError> {
    let mut conn = pool.acquire().await?;
    current_member(&mut conn, coalition, member_id).await?;
    Ok(())
}

/// The field of a member's role form on the members page.
pub fn role_field(member_id: &str) -> String {
    format!("role-{member_id}")
}

/// The field of a member's end-of-membership form on the members page.
pub fn left_on_field(member_id: &str) -> String {
    format!("left_on-{member_id}")
}

/// Gives a current member another role, unless the coalition would lose its last porteur.
/// The members are read inside the write, under the coalition's lock, so that two managers
/// demoting the last two porteurs at once cannot both succeed.
pub async fn change_role(
    pool: &Pool,
    writes: &WriteGate,
    coalition: &Coalition,
    member_id: &str,
    typed_role: &str,
) -> Decision<()> {
    let field = role_field(member_id);
    let Some(role) = MemberRole::from_code(typed_role.trim()) else {
        // Known to be current before refusing: an unknown member stays a 404.
        require_current_member(pool, coalition, member_id).await?;
        return Ok(refused(
            &field,
            ("Choisissez le nouveau rôle.", "Choose the new role."),
        ));
    };
    let mut tx = db::begin_write(pool, writes).await?;
    db::lock_coalition(&mut *tx, &coalition.id).await?;
    let (member, all) = current_member(&mut tx, coalition, member_id).await?;
    if !keeps_a_porteur(
        &current_roles(&all),
        &member.id,
        MembershipChange::Role(role),
    ) {
        return Ok(refused(&field, LAST_PORTEUR));
    }
    db::update_member_role(&mut *tx, &coalition.id, &member.id, role.code()).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// Ends a current membership on a day typed `YYYY-MM-DD`, not in the future nor before it
/// began, unless the coalition would lose its last porteur. The membership stays in the
/// history. Read under the coalition's lock, as [`change_role`].
pub async fn end_membership(
    pool: &Pool,
    writes: &WriteGate,
    coalition: &Coalition,
    member_id: &str,
    typed_left_on: &str,
    today: Date,
    confirmed: bool,
) -> Decision<Ending> {
    let field = left_on_field(member_id);
    let mut tx = db::begin_write(pool, writes).await?;
    db::lock_coalition(&mut *tx, &coalition.id).await?;
    let (member, all) = current_member(&mut tx, coalition, member_id).await?;
    let mut errors = FieldErrors::new();
    let Some(left_on) = past_date(&mut errors, &field, typed_left_on, today) else {
        return Ok(Err(errors));
    };
    let left_on = left_on.to_string();
    // ISO dates compare as text.
    if left_on < member.joined_on {
        errors.add(
            &field,
            format!(
                "Le départ ne peut pas précéder l'arrivée ({}).",
                member.joined_on
            ),
            format!("Leaving cannot come before joining ({}).", member.joined_on),
        );
        return Ok(Err(errors));
    }
    if !keeps_a_porteur(&current_roles(&all), &member.id, MembershipChange::End) {
        return Ok(refused(&field, LAST_PORTEUR));
    }
    if !confirmed {
        return Ok(Ok(Ending::ToConfirm(member)));
    }
    db::end_membership(&mut *tx, &coalition.id, &member.id, &left_on).await?;
    tx.commit().await?;
    Ok(Ok(Ending::Ended))
}

/// What became of a membership that may end.
pub enum Ending {
    Ended,
    /// Every rule allows it, and nothing is written until the person confirms: the member
    /// concerned, to say who leaves.
    ToConfirm(Member),
}

// --- The organisation's side: the directory and invitations --------------------------------------

/// Lists an organisation in the public directory, or takes it out.
pub async fn set_in_directory(
    pool: &Pool,
    writes: &WriteGate,
    organisation_id: &str,
    listed: bool,
) -> Result<(), AppError> {
    let mut tx = db::begin_write(pool, writes).await?;
    db::set_in_directory(&mut *tx, organisation_id, listed).await?;
    tx.commit().await?;
    Ok(())
}

/// What became of an answer to an invitation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Recorded; when accepted, the organisation is a member of the coalition of this slug.
    Recorded { coalition_slug: String },
    /// Answered meanwhile (another lead, another tab): the answer already recorded.
    AlreadyAnswered(Option<InvitationStatus>),
}

/// Records a lead's answer to an invitation of their organisation; accepting makes the
/// membership the invitation proposed, in the same transaction. 404 when the invitation is
/// not this organisation's.
pub async fn answer_invitation(
    pool: &Pool,
    writes: &WriteGate,
    organisation_id: &str,
    invitation_id: &str,
    account_id: &str,
    accepted: bool,
) -> Result<Answer, AppError> {
    let invitation = db::coalition_invitation(pool, invitation_id)
        .await?
        .filter(|i| i.organisation_id == organisation_id)
        .ok_or(AppError::NotFound)?;
    let now = db::now();
    let status = if accepted {
        InvitationStatus::Accepted
    } else {
        InvitationStatus::Declined
    };
    let mut tx = db::begin_write(pool, writes).await?;
    let answered =
        db::answer_coalition_invitation(&mut *tx, &invitation.id, status, account_id, &now).await?;
    if answered && accepted {
        // `false` when the staff added it meanwhile: it is a member either way.
        db::insert_member(
            &mut *tx,
            &db::NewMember {
                id: &db::new_id(),
                coalition_id: &invitation.coalition_id,
                organisation_id: &invitation.organisation_id,
                actor_type: invitation.actor_type.code(),
                role: invitation.role.code(),
                joined_on: &invitation.joined_on,
                created_at: &now,
            },
        )
        .await?;
    }
    tx.commit().await?;
    if answered {
        return Ok(Answer::Recorded {
            coalition_slug: invitation.coalition_slug,
        });
    }
    let current = db::coalition_invitation(pool, &invitation.id).await?;
    Ok(Answer::AlreadyAnswered(current.map(|i| i.status)))
}

// --- What the pages read ----------------------------------------------------------------------

/// What a coalition's page shows besides its identity (its goals and results are read by
/// their own use cases).
pub struct Overview {
    /// Current members only.
    pub members: Vec<Member>,
    pub stages: Vec<db::StageHistoryEntry>,
    /// The latest entries the reader may see.
    pub latest_entries: Vec<db::JournalEntryRow>,
    pub actions: Vec<db::Action>,
    /// The latest diagnostic with submitted responses.
    pub diagnostic: Option<db::Diagnostic>,
}

/// How many journal entries a coalition's page shows.
const LATEST_ENTRIES: i64 = 3;

pub async fn overview(
    pool: &Pool,
    coalition_id: &str,
    reads_private: bool,
) -> Result<Overview, AppError> {
    Ok(Overview {
        members: db::members(pool, coalition_id)
            .await?
            .into_iter()
            .filter(Member::is_current)
            .collect(),
        stages: db::stage_changes(pool, coalition_id).await?,
        latest_entries: db::journal_entries(pool, coalition_id, reads_private, LATEST_ENTRIES)
            .await?,
        actions: db::actions(pool, coalition_id).await?,
        diagnostic: db::latest_coalition_diagnostic(pool, coalition_id).await?,
    })
}

/// The stages a coalition went through, oldest first.
pub async fn stage_history(
    pool: &Pool,
    coalition_id: &str,
) -> Result<Vec<db::StageHistoryEntry>, AppError> {
    Ok(db::stage_changes(pool, coalition_id).await?)
}

/// What the members page shows: every membership, and for its managers the organisations
/// they may add and the invitations awaiting an answer.
pub struct Members {
    pub all: Vec<Member>,
    pub findable: Vec<db::Organisation>,
    pub invitations: Vec<db::CoalitionInvitation>,
}

/// `manager` is who manages the coalition, `None` for a reader.
pub async fn members(
    pool: &Pool,
    coalition_id: &str,
    manager: Option<Actor<'_>>,
) -> Result<Members, AppError> {
    let all = db::members(pool, coalition_id).await?;
    let (findable, invitations) = match manager {
        Some(actor) => (
            findable_organisations(pool, actor).await?,
            db::pending_invitations_of_coalition(pool, coalition_id).await?,
        ),
        None => (Vec::new(), Vec::new()),
    };
    Ok(Members {
        all,
        findable,
        invitations,
    })
}
