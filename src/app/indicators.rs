//! The indicator use cases of a coalition: its impact goals, their indicators, each
//! indicator's baselines and targets, and its measurements through their workflow (recorded,
//! submitted, validated or sent back). Each loads what it needs, asks the core
//! ([`crate::domain::indicator`]) and writes in one transaction behind the write gate
//! ([`db::begin_write`]); who the person is and what they may do in the coalition is decided
//! by the caller, which passes it in.

use crate::app::error::AppError;
use crate::db::{self, Pool, WriteGate};
use crate::domain::coalition::coverage::{self, Coverage};
use crate::domain::field_errors::FieldErrors;
use crate::domain::indicator::forms::{
    BaselineData, Correction, GoalData, IndicatorData, MeasurementData, TargetData, figure_columns,
};
use crate::domain::indicator::measurement::{
    MeasurementRights, MeasurementStatus, StatusChangeRefused, indicator_may_be_deleted,
};
use crate::domain::indicator::records::{
    Baseline, Goal, Indicator, MeasurementRevision, Target, targets_shown,
};
use crate::domain::indicator::standing::{self, IndicatorHistory, current_revisions, history};
use time::Date;

// --- Reading ---------------------------------------------------------------------------------

/// A coalition's goals with their indicators, read once for its page.
pub struct GoalsOverview {
    pub goals: Vec<Goal>,
    pub indicators: Vec<(Indicator, IndicatorHistory)>,
    /// Measurements submitted and not validated yet, for those who may read them.
    pub pending: usize,
    /// The one waiting longest (its id), to link to.
    pub first_pending: Option<String>,
}

pub async fn goals_overview(pool: &Pool, coalition_id: &str) -> Result<GoalsOverview, AppError> {
    let goals = db::goals(pool, coalition_id).await?;
    let indicators = db::indicators(pool, coalition_id).await?;
    let baselines = db::baselines_of_coalition(pool, coalition_id).await?;
    let targets = db::targets_of_coalition(pool, coalition_id).await?;
    let revisions = db::revisions_of_coalition(pool, coalition_id).await?;
    let current = current_revisions(&revisions);
    let mut waiting: Vec<&MeasurementRevision> = current
        .iter()
        .filter(|r| r.status == MeasurementStatus::Submitted)
        .copied()
        .collect();
    waiting.sort_by(|a, b| a.recorded_at.cmp(&b.recorded_at));
    let pending = waiting.len();
    let first_pending = waiting.first().map(|r| r.measurement_id.clone());
    let indicators = indicators
        .into_iter()
        .map(|i| {
            let h = history(&i, &baselines, &targets, &current);
            (i, h)
        })
        .collect();
    Ok(GoalsOverview {
        goals,
        indicators,
        pending,
        first_pending,
    })
}

/// A goal of the coalition; not found when it is another coalition's.
pub async fn goal(pool: &Pool, coalition_id: &str, id: &str) -> Result<Goal, AppError> {
    db::goal(pool, coalition_id, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// An indicator of the coalition; not found when it is another coalition's.
pub async fn indicator(pool: &Pool, coalition_id: &str, id: &str) -> Result<Indicator, AppError> {
    db::indicator(pool, coalition_id, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The organisations that are current members of the coalition, `(id, name)`: those an
/// indicator's measurement may be entrusted to.
pub async fn current_members(
    pool: &Pool,
    coalition_id: &str,
) -> Result<Vec<(String, String)>, AppError> {
    Ok(db::members(pool, coalition_id)
        .await?
        .into_iter()
        .filter(|m| m.left_on.is_none())
        .map(|m| (m.organisation_id, m.organisation_name))
        .collect())
}

/// One indicator with everything its page shows.
pub struct IndicatorView {
    pub indicator: Indicator,
    pub goal: Option<Goal>,
    /// Oldest first: the last is the current one.
    pub baselines: Vec<Baseline>,
    pub targets: Vec<Target>,
    /// Every revision of its measurements, by date, measurement and revision.
    pub revisions: Vec<MeasurementRevision>,
    pub locked_years: Vec<i32>,
}

impl IndicatorView {
    /// The indicator of the coalition; without `reads_private`, names and comments are
    /// dropped before anything is made of it (they never leave the coalition).
    pub async fn load(
        pool: &Pool,
        coalition_id: &str,
        reads_private: bool,
        id: &str,
    ) -> Result<IndicatorView, AppError> {
        let indicator = db::indicator(pool, coalition_id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let goal = db::goal(pool, coalition_id, &indicator.goal_id).await?;
        let mut baselines = db::baselines_of_indicator(pool, &indicator.id).await?;
        let targets = db::targets_of_indicator(pool, &indicator.id).await?;
        let mut revisions: Vec<MeasurementRevision> =
            db::revisions_of_coalition(pool, coalition_id)
                .await?
                .into_iter()
                .filter(|r| r.indicator_id == indicator.id)
                .collect();
        let locked_years = db::locked_years(pool).await?;
        if !reads_private {
            for b in &mut baselines {
                b.recorded_by_name = None;
            }
            revisions = revisions
                .into_iter()
                .map(MeasurementRevision::without_names)
                .collect();
        }
        Ok(IndicatorView {
            indicator,
            goal,
            baselines,
            targets,
            revisions,
            locked_years,
        })
    }

    pub fn history(&self) -> IndicatorHistory {
        let current = current_revisions(&self.revisions);
        history(&self.indicator, &self.baselines, &self.targets, &current)
    }

    /// The current baseline as a number in the indicator's units, with its date.
    pub fn current_baseline(&self) -> Option<(Date, f64)> {
        let (on, value) = self.history().baseline?;
        standing::number(&value).map(|v| (on, v))
    }
}

/// One measurement with its revisions, oldest first.
pub struct MeasurementView {
    pub indicator: Indicator,
    pub revisions: Vec<MeasurementRevision>,
    /// Its year's evaluation report is published: it no longer changes.
    pub locked: bool,
}

impl MeasurementView {
    /// A measurement of the coalition. Without `reads_private`, only a validated one is
    /// found, and of it only its current revision without names nor comment: the earlier
    /// revisions (values sent back), who recorded them and the comments stay inside the
    /// coalition.
    pub async fn load(
        pool: &Pool,
        coalition_id: &str,
        reads_private: bool,
        id: &str,
    ) -> Result<MeasurementView, AppError> {
        let mut revisions = db::revisions_of_measurement(pool, coalition_id, id).await?;
        let first = revisions.first().ok_or(AppError::NotFound)?;
        let current = revisions.last().ok_or(AppError::NotFound)?;
        if !reads_private && !current.status.counts() {
            return Err(AppError::NotFound);
        }
        let indicator = db::indicator(pool, coalition_id, &first.indicator_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let locked = db::locked_years(pool)
            .await?
            .contains(&first.measured_on.year());
        if !reads_private {
            revisions = revisions
                .pop()
                .map(MeasurementRevision::without_names)
                .into_iter()
                .collect();
        }
        Ok(MeasurementView {
            indicator,
            revisions,
            locked,
        })
    }

    pub fn current(&self) -> Option<&MeasurementRevision> {
        self.revisions.last()
    }
}

/// The years whose figures are locked (their evaluation report is published).
pub async fn locked_years(pool: &Pool) -> Result<Vec<i32>, AppError> {
    Ok(db::locked_years(pool).await?)
}

// --- Goals and indicators --------------------------------------------------------------------

/// Adds an impact goal to the coalition; its id.
pub async fn create_goal(
    pool: &Pool,
    writes: &WriteGate,
    coalition_id: &str,
    data: &GoalData,
) -> Result<String, AppError> {
    let id = db::new_id();
    let mut tx = db::begin_write(pool, writes).await?;
    db::insert_goal(
        &mut *tx,
        &db::NewGoal {
            id: &id,
            coalition_id,
            statement: &data.statement,
            horizon: &data.horizon.to_string(),
            qualities: &data.quality_codes(),
            dimensions: &data.dimension_codes(),
            at: &db::now(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes a goal of the coalition; not found when it is none of its goals.
pub async fn update_goal(
    pool: &Pool,
    writes: &WriteGate,
    coalition_id: &str,
    goal_id: &str,
    data: &GoalData,
) -> Result<(), AppError> {
    let mut tx = db::begin_write(pool, writes).await?;
    let updated = db::update_goal(
        &mut *tx,
        &db::NewGoal {
            id: goal_id,
            coalition_id,
            statement: &data.statement,
            horizon: &data.horizon.to_string(),
            qualities: &data.quality_codes(),
            dimensions: &data.dimension_codes(),
            at: &db::now(),
        },
    )
    .await?;
    if !updated {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

/// Adds an indicator under a goal of the coalition; its id, or what is wrong beside its
/// field: an owner who is not a current member, a code another indicator of the coalition
/// has.
pub async fn create_indicator(
    pool: &Pool,
    writes: &WriteGate,
    coalition_id: &str,
    goal_id: &str,
    data: &IndicatorData,
) -> Result<Result<String, FieldErrors>, AppError> {
    let mut errors = FieldErrors::new();
    if let Some(owner) = &data.owner
        && !current_members(pool, coalition_id)
            .await?
            .iter()
            .any(|(id, _)| id == owner)
    {
        errors.add(
            "owner",
            "Choisissez un membre actuel de la coalition.",
            "Choose a current member of the coalition.",
        );
        return Ok(Err(errors));
    }
    let id = db::new_id();
    let mut tx = db::begin_write(pool, writes).await?;
    let added = db::insert_indicator(
        &mut *tx,
        &db::NewIndicator {
            id: &id,
            coalition_id,
            goal_id,
            code: &data.code,
            name: &data.name,
            definition: &data.definition,
            level: data.level.code(),
            measure: data.measure.code(),
            scale_levels: data.scale_levels(),
            unit: &data.unit,
            direction: data.direction.code(),
            tolerance: data.tolerance,
            combination: data.combination.code(),
            periodicity: data.periodicity.code(),
            verification: &data.verification,
            owner_organisation_id: data.owner.as_deref(),
            at: &db::now(),
        },
    )
    .await?;
    if !added {
        errors.add(
            "code",
            "Ce code est déjà celui d'un autre indicateur de la coalition.",
            "This code is already another indicator's in the coalition.",
        );
        return Ok(Err(errors));
    }
    tx.commit().await?;
    Ok(Ok(id))
}

// --- Baselines and targets -------------------------------------------------------------------

/// Whether a change was written, or refused because the person's page was stale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    Done,
    /// Something changed since the person's page: nothing written.
    Stale,
}

/// Records a new current baseline, unless baselines were recorded since the person's page,
/// which showed `shown` of them: it would replace one they have not seen.
pub async fn record_baseline(
    pool: &Pool,
    writes: &WriteGate,
    indicator_id: &str,
    shown: usize,
    data: &BaselineData,
    by: &str,
) -> Result<Written, AppError> {
    let (value, numerator, denominator, _) = figure_columns(&data.value);
    let mut tx = db::begin_write(pool, writes).await?;
    // Counted inside the transaction, behind the gate: a request that overlapped this one
    // may have written.
    if db::baselines_of_indicator(&mut *tx, indicator_id)
        .await?
        .len()
        != shown
    {
        return Ok(Written::Stale);
    }
    db::insert_baseline(
        &mut *tx,
        &db::NewBaseline {
            id: &db::new_id(),
            indicator_id,
            value,
            numerator,
            denominator,
            measured_on: &data.measured_on.to_string(),
            source: &data.source,
            reason: &data.reason,
            recorded_by: Some(by),
            recorded_at: &db::now(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Written::Done)
}

/// Sets the target due on a date (a final one makes the others milestones), unless the
/// targets differ from those the person's page showed (see [`targets_shown`]).
pub async fn set_target(
    pool: &Pool,
    writes: &WriteGate,
    indicator_id: &str,
    shown: &str,
    data: &TargetData,
    by: &str,
) -> Result<Written, AppError> {
    let mut tx = db::begin_write(pool, writes).await?;
    if targets_shown(&db::targets_of_indicator(&mut *tx, indicator_id).await?) != shown {
        return Ok(Written::Stale);
    }
    if data.is_final {
        db::clear_final_targets(&mut *tx, indicator_id).await?;
    }
    db::upsert_target(
        &mut *tx,
        &db::new_id(),
        indicator_id,
        &data.due_on.to_string(),
        data.value,
        data.is_final,
        Some(by),
        &db::now(),
    )
    .await?;
    tx.commit().await?;
    Ok(Written::Done)
}

/// Removes a target of the indicator; not found when it has no such target.
pub async fn remove_target(
    pool: &Pool,
    writes: &WriteGate,
    indicator_id: &str,
    target_id: &str,
) -> Result<(), AppError> {
    let mut tx = db::begin_write(pool, writes).await?;
    if !db::delete_target(&mut *tx, indicator_id, target_id).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

// --- Measurements ----------------------------------------------------------------------------

/// Records a measurement of the indicator, as a draft or submitted (see
/// [`MeasurementStatus::of_entry`]); its id.
pub async fn record_measurement(
    pool: &Pool,
    writes: &WriteGate,
    indicator_id: &str,
    data: &MeasurementData,
    status: MeasurementStatus,
    by: &str,
) -> Result<String, AppError> {
    let measurement_id = db::new_id();
    let now = db::now();
    let (value, numerator, denominator, narrative) = figure_columns(&data.value);
    let mut tx = db::begin_write(pool, writes).await?;
    db::insert_measurement(
        &mut *tx,
        &measurement_id,
        indicator_id,
        &data.measured_on.to_string(),
        Some(by),
        &now,
    )
    .await?;
    db::append_revision(
        &mut *tx,
        &db::NewRevision {
            measurement_id: &measurement_id,
            revision: 1,
            value,
            numerator,
            denominator,
            narrative,
            evidence_url: &data.evidence_url,
            comment: &data.comment,
            status,
            recorded_by: Some(by),
            recorded_at: &now,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(measurement_id)
}

/// Appends the revision after `current`, the one the person's page showed. The primary key
/// (measurement, revision) refuses it when anyone appended that number first, even a
/// request overlapping this one: [`Written::Stale`] then, and nothing is written.
async fn append_after(
    pool: &Pool,
    writes: &WriteGate,
    current: &MeasurementRevision,
    next: db::NewRevision<'_>,
) -> Result<Written, AppError> {
    let mut tx = db::begin_write(pool, writes).await?;
    let appended = db::append_revision(
        &mut *tx,
        &db::NewRevision {
            revision: current.revision + 1,
            ..next
        },
    )
    .await?;
    if !appended {
        return Ok(Written::Stale);
    }
    tx.commit().await?;
    Ok(Written::Done)
}

/// Corrects a measurement: a new value after `current` (the revision the person's page
/// showed), as a draft or submitted again. Who may correct it is the caller's check
/// ([`MeasurementStatus::may_be_corrected_by`]), made before the value is read.
pub async fn correct_measurement(
    pool: &Pool,
    writes: &WriteGate,
    current: &MeasurementRevision,
    data: &MeasurementData,
    status: MeasurementStatus,
    by: &str,
) -> Result<Written, AppError> {
    let (value, numerator, denominator, narrative) = figure_columns(&data.value);
    append_after(
        pool,
        writes,
        current,
        db::NewRevision {
            measurement_id: &current.measurement_id,
            revision: 0,
            value,
            numerator,
            denominator,
            narrative,
            evidence_url: &data.evidence_url,
            comment: &data.comment,
            status,
            recorded_by: Some(by),
            recorded_at: &db::now(),
        },
    )
    .await
}

/// What became of a status change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusChange {
    Changed,
    /// The person's page is older than the measurement (or the change is already made):
    /// nothing written; `shown` is the revision their page showed, the changes after it are
    /// theirs to see.
    Conflict {
        shown: Option<i32>,
    },
    /// Refused by a rule, nothing written; the person corrects and sends again.
    Refused(StatusRefusal),
}

/// Why a status change is refused (beside the comment field).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusRefusal {
    /// The comment's text was refused as the form was read: `(fr, en)`.
    CommentText(String, String),
    /// The measurement's year is locked.
    LockedYear,
    /// Sending back needs a comment saying what is missing.
    CommentMissing,
}

/// Moves a measurement to the status `to` (`None`: a status that does not exist), if the
/// core allows `rights` that move from its current status, with `comment`. `shown` is the
/// revision the person's page showed: a page older than the measurement is refused with
/// what changed (a second « Valider » included) before the move itself is checked.
#[allow(clippy::too_many_arguments)]
pub async fn change_measurement_status(
    pool: &Pool,
    writes: &WriteGate,
    view: &MeasurementView,
    rights: MeasurementRights,
    shown: Option<i32>,
    to: Option<MeasurementStatus>,
    comment: &str,
    comment_refused: Option<(String, String)>,
    by: &str,
) -> Result<StatusChange, AppError> {
    let current = view.current().ok_or(AppError::NotFound)?;
    let to = to
        .filter(|to| to.may_be_asked_by(rights))
        .ok_or(AppError::Forbidden)?;
    if shown != Some(current.revision) {
        return Ok(StatusChange::Conflict { shown });
    }
    match current.status.change(to, rights) {
        Ok(()) => {}
        Err(StatusChangeRefused::AlreadyThere) => {
            // Asked twice from the same page (two tabs, a resent form): say it is done.
            return Ok(StatusChange::Conflict {
                shown: Some(current.revision),
            });
        }
        Err(StatusChangeRefused::NotAllowed | StatusChangeRefused::NoSuchMove) => {
            return Err(AppError::Forbidden);
        }
    }
    let refusal = if let Some((fr, en)) = comment_refused {
        Some(StatusRefusal::CommentText(fr, en))
    } else if view.locked {
        Some(StatusRefusal::LockedYear)
    } else if to.needs_comment() && comment.is_empty() {
        Some(StatusRefusal::CommentMissing)
    } else {
        None
    };
    if let Some(refusal) = refusal {
        return Ok(StatusChange::Refused(refusal));
    }
    let (value, numerator, denominator, narrative) = match &current.value {
        Some(value) => figure_columns(value),
        None => (None, None, None, None),
    };
    let written = append_after(
        pool,
        writes,
        current,
        db::NewRevision {
            measurement_id: &current.measurement_id,
            revision: 0,
            value,
            numerator,
            denominator,
            narrative,
            evidence_url: &current.evidence_url,
            comment,
            status: to,
            recorded_by: Some(by),
            recorded_at: &db::now(),
        },
    )
    .await?;
    Ok(match written {
        Written::Done => StatusChange::Changed,
        Written::Stale => StatusChange::Conflict { shown },
    })
}

// --- Correcting and deleting an indicator ----------------------------------------------------

/// The wordings an indicator had before each of its corrections, oldest first.
pub async fn corrections(
    pool: &Pool,
    indicator_id: &str,
) -> Result<Vec<db::IndicatorCorrection>, AppError> {
    Ok(db::indicator_corrections(pool, indicator_id).await?)
}

/// Corrects an indicator's wording, keeping the wording it replaces and the reason, unless
/// it was corrected since the person's page, which showed `shown` corrections: then
/// [`Written::Stale`] and nothing is written.
pub async fn correct_indicator(
    pool: &Pool,
    writes: &WriteGate,
    indicator: &Indicator,
    shown: Option<usize>,
    correction: &Correction,
    by: &str,
) -> Result<Written, AppError> {
    let mut tx = db::begin_write(pool, writes).await?;
    let now = db::indicator_corrections(&mut *tx, &indicator.id).await?;
    if shown != Some(now.len()) {
        return Ok(Written::Stale);
    }
    // The wording as it is now (read behind the gate), not as the caller loaded it.
    let current = db::indicator(&mut *tx, &indicator.coalition_id, &indicator.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let at = db::now();
    db::insert_indicator_correction(
        &mut *tx,
        &db::NewIndicatorCorrection {
            id: &db::new_id(),
            indicator_id: &current.id,
            name: &current.name,
            definition: &current.definition,
            unit: &current.unit,
            verification: &current.verification,
            reason: &correction.reason,
            corrected_by: Some(by),
            corrected_at: &at,
        },
    )
    .await?;
    db::update_indicator_wording(
        &mut *tx,
        &current.coalition_id,
        &current.id,
        &correction.name,
        &correction.definition,
        &correction.unit,
        &correction.verification,
        &at,
    )
    .await?;
    tx.commit().await?;
    Ok(Written::Done)
}

/// What became of a deletion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deleted {
    Done,
    /// One of its measurements was validated: it may only be corrected.
    HasValidatedMeasurements,
}

/// Deletes an indicator with its baselines, targets, measurements and links to actions,
/// unless one of its measurements was ever validated (checked behind the write gate).
pub async fn delete_indicator(
    pool: &Pool,
    writes: &WriteGate,
    indicator: &Indicator,
) -> Result<Deleted, AppError> {
    let mut tx = db::begin_write(pool, writes).await?;
    let statuses = db::measurement_statuses_of_indicator(&mut *tx, &indicator.id).await?;
    if !indicator_may_be_deleted(statuses) {
        return Ok(Deleted::HasValidatedMeasurements);
    }
    for step in 0..db::DELETE_INDICATOR_STEPS {
        db::delete_indicator_step(&mut *tx, step, &indicator.id).await?;
    }
    tx.commit().await?;
    Ok(Deleted::Done)
}

/// Whether an indicator may be deleted now (to offer the button or the correction).
pub async fn indicator_deletable(pool: &Pool, indicator_id: &str) -> Result<bool, AppError> {
    Ok(indicator_may_be_deleted(
        db::measurement_statuses_of_indicator(pool, indicator_id).await?,
    ))
}

// --- The staff's validation queue ---------------------------------------------------------------

/// A measurement waiting for validation, with what staff need to decide on it.
pub struct QueueItem {
    pub coalition: db::Coalition,
    pub indicator: Indicator,
    /// Its current revision (submitted).
    pub current: MeasurementRevision,
    /// The indicator's validated measurements (current revisions), oldest first.
    pub validated: Vec<MeasurementRevision>,
    /// The indicator's current baseline.
    pub baseline: Option<Baseline>,
}

/// Every measurement submitted and not yet decided, across coalitions, the longest waiting
/// first (by the time it was submitted).
pub async fn validation_queue(pool: &Pool) -> Result<Vec<QueueItem>, AppError> {
    let coalitions = db::coalitions(pool).await?;
    let indicators = db::all_indicators(pool).await?;
    let baselines = db::all_baselines(pool).await?;
    let current = db::current_measurements(pool).await?;
    let mut waiting: Vec<&MeasurementRevision> = current
        .iter()
        .filter(|r| r.status == MeasurementStatus::Submitted)
        .collect();
    waiting.sort_by(|a, b| {
        (a.recorded_at.as_str(), a.measurement_id.as_str())
            .cmp(&(b.recorded_at.as_str(), b.measurement_id.as_str()))
    });
    let mut items = Vec::with_capacity(waiting.len());
    for r in waiting {
        let Some(indicator) = indicators.iter().find(|i| i.id == r.indicator_id) else {
            continue;
        };
        let Some(coalition) = coalitions.iter().find(|c| c.id == indicator.coalition_id) else {
            continue;
        };
        let validated = current
            .iter()
            .filter(|v| v.indicator_id == indicator.id && v.status.counts())
            .cloned()
            .collect();
        let baseline = baselines
            .iter()
            .rfind(|b| b.indicator_id == indicator.id)
            .cloned();
        items.push(QueueItem {
            coalition: coalition.clone(),
            indicator: indicator.clone(),
            current: r.clone(),
            validated,
            baseline,
        });
    }
    Ok(items)
}

/// What became of one measurement of a decision taken on several.
pub struct QueueOutcome {
    pub measurement_id: String,
    /// The measurement as it is after the decision (or as someone else left it).
    pub view: Option<MeasurementView>,
    pub change: StatusChange,
}

/// Validates or sends back (`to`) each measurement of `chosen`, `(id, revision shown)`, as
/// staff, one transaction each: one already decided by someone else since the page was
/// shown is reported as a conflict and left as it is; the others are written.
pub async fn decide_measurements(
    pool: &Pool,
    writes: &WriteGate,
    chosen: &[(String, Option<i32>)],
    to: MeasurementStatus,
    comment: &str,
    by: &str,
) -> Result<Vec<QueueOutcome>, AppError> {
    let rights = MeasurementRights {
        contributes: true,
        validates: true,
    };
    let mut outcomes = Vec::with_capacity(chosen.len());
    for (id, shown) in chosen {
        let Some(coalition_id) = db::coalition_of_measurement(pool, id).await? else {
            outcomes.push(QueueOutcome {
                measurement_id: id.clone(),
                view: None,
                change: StatusChange::Conflict { shown: *shown },
            });
            continue;
        };
        let view = MeasurementView::load(pool, &coalition_id, true, id).await?;
        let change = change_measurement_status(
            pool,
            writes,
            &view,
            rights,
            *shown,
            Some(to),
            comment,
            None,
            by,
        )
        .await?;
        let view = MeasurementView::load(pool, &coalition_id, true, id).await?;
        outcomes.push(QueueOutcome {
            measurement_id: id.clone(),
            view: Some(view),
            change,
        });
    }
    Ok(outcomes)
}

// --- The programme's coverage ----------------------------------------------------------------

/// The coverage of every coalition's goals, indicators and actions (see
/// [`crate::domain::coalition::coverage`]), from their records.
pub fn programme_coverage(
    coalitions: &[db::Coalition],
    goals: &[Goal],
    indicators: &[Indicator],
    actions: &[db::Action],
    goal_links: &[db::ActionLink],
    indicator_links: &[db::ActionLink],
) -> Coverage {
    let goal_inputs: Vec<coverage::Goal> = goals
        .iter()
        .map(|g| coverage::Goal {
            id: &g.id,
            qualities: &g.qualities,
            dimensions: &g.dimensions,
        })
        .collect();
    let indicator_inputs: Vec<coverage::Indicator> = indicators
        .iter()
        .map(|i| coverage::Indicator {
            id: &i.id,
            goal_id: &i.goal_id,
        })
        .collect();
    let action_inputs: Vec<coverage::Action> = actions
        .iter()
        .map(|a| coverage::Action {
            dimension: a.dimension.code(),
            primary_quality: coalitions
                .iter()
                .find(|c| c.id == a.coalition_id)
                .map(|c| c.primary_quality.code())
                .unwrap_or(""),
            goal_ids: goal_links
                .iter()
                .filter(|l| l.action_id == a.id)
                .map(|l| l.target_id.as_str())
                .collect(),
            indicator_ids: indicator_links
                .iter()
                .filter(|l| l.action_id == a.id)
                .map(|l| l.target_id.as_str())
                .collect(),
        })
        .collect();
    coverage::coverage(&goal_inputs, &indicator_inputs, &action_inputs)
}
