//! A coalition's actions: what its board shows (the actions, the goals and indicators they
//! may serve, the current members who may own them), and adding, editing and moving an
//! action, each in one transaction with its links.

use crate::app::error::AppError;
use crate::db::{self, Action, ActionLink, Goal, Indicator, Member, Pool, WriteGate};
use crate::domain::coalition::actions::{
    ActionChoices, ActionData, ActionForm, ActionStatus, day_text,
};

/// Everything the board shows of a coalition.
pub struct Board {
    pub actions: Vec<Action>,
    pub goals: Vec<Goal>,
    pub indicators: Vec<Indicator>,
    pub goal_links: Vec<ActionLink>,
    pub indicator_links: Vec<ActionLink>,
    /// Current members only: they may own an action.
    pub members: Vec<Member>,
}

/// Reads a coalition's board.
pub async fn board(pool: &Pool, coalition_id: &str) -> Result<Board, AppError> {
    Ok(Board {
        actions: db::actions(pool, coalition_id).await?,
        goals: db::goals(pool, coalition_id).await?,
        indicators: db::indicators(pool, coalition_id).await?,
        goal_links: db::action_goals_of_coalition(pool, coalition_id).await?,
        indicator_links: db::action_indicators_of_coalition(pool, coalition_id).await?,
        members: db::members(pool, coalition_id)
            .await?
            .into_iter()
            .filter(|m| m.is_current())
            .collect(),
    })
}

impl Board {
    /// What the form may choose; `kept_owner` is an edited action's owner, kept even if it
    /// has left the coalition since.
    pub fn choices(&self, kept_owner: Option<&str>) -> ActionChoices {
        let mut owners: Vec<String> = self
            .members
            .iter()
            .map(|m| m.organisation_id.clone())
            .collect();
        owners.extend(kept_owner.map(str::to_owned));
        ActionChoices {
            owners,
            goals: self.goals.iter().map(|g| g.id.clone()).collect(),
            indicators: self.indicators.iter().map(|i| i.id.clone()).collect(),
        }
    }

    pub fn goals_of<'a>(&'a self, action_id: &'a str) -> impl Iterator<Item = &'a Goal> + 'a {
        self.goal_links
            .iter()
            .filter(move |l| l.action_id == action_id)
            .filter_map(|l| self.goals.iter().find(|g| g.id == l.target_id))
    }

    pub fn indicators_of<'a>(
        &'a self,
        action_id: &'a str,
    ) -> impl Iterator<Item = &'a Indicator> + 'a {
        self.indicator_links
            .iter()
            .filter(move |l| l.action_id == action_id)
            .filter_map(|l| self.indicators.iter().find(|i| i.id == l.target_id))
    }

    /// The organisations one may filter on: current members and owners of actions.
    pub fn owner_options(&self) -> Vec<(String, String)> {
        let mut options: Vec<(String, String)> = self
            .members
            .iter()
            .map(|m| (m.organisation_id.clone(), m.organisation_name.clone()))
            .collect();
        for a in &self.actions {
            if let (Some(id), Some(name)) = (&a.owner_organisation_id, &a.owner_name)
                && !options.iter().any(|(o, _)| o == id)
            {
                options.push((id.clone(), name.clone()));
            }
        }
        options.sort_by(|a, b| a.1.cmp(&b.1));
        options
    }

    /// The edit form of an action, as stored.
    pub fn form_of(&self, action: &Action) -> ActionForm {
        ActionForm {
            title: action.title.clone(),
            description: action.description.clone(),
            dimension: action.dimension.code().to_owned(),
            owner: action.owner_organisation_id.clone().unwrap_or_default(),
            due_on: action.due_on.clone().unwrap_or_default(),
            status: action.status.code().to_owned(),
            goals: self.goals_of(&action.id).map(|g| g.id.clone()).collect(),
            indicators: self
                .indicators_of(&action.id)
                .map(|i| i.id.clone())
                .collect(),
        }
    }
}

/// The action of this coalition with this id; 404 when none.
pub async fn action(pool: &Pool, coalition_id: &str, id: &str) -> Result<Action, AppError> {
    db::action(pool, coalition_id, id)
        .await?
        .ok_or(AppError::NotFound)
}

fn row<'a>(
    id: &'a str,
    coalition_id: &'a str,
    data: &'a ActionData,
    due_on: Option<&'a str>,
    created_by: Option<&'a str>,
    at: &'a str,
) -> db::NewAction<'a> {
    db::NewAction {
        id,
        coalition_id,
        title: data.title(),
        description: data.description(),
        dimension: data.dimension().code(),
        owner_organisation_id: data.owner(),
        due_on,
        status: data.status().code(),
        created_by,
        at,
    }
}

/// Adds an action with its links to goals and indicators; returns its id.
pub async fn create(
    pool: &Pool,
    writes: &WriteGate,
    coalition_id: &str,
    account_id: &str,
    data: &ActionData,
) -> Result<String, AppError> {
    let id = db::new_id();
    let due_on = data.due_on().map(day_text);
    let now = db::now();
    let mut tx = db::begin_write(pool, writes).await?;
    db::insert_action(
        &mut *tx,
        &row(
            &id,
            coalition_id,
            data,
            due_on.as_deref(),
            Some(account_id),
            &now,
        ),
    )
    .await?;
    for goal in data.goals() {
        db::link_action_goal(&mut *tx, &id, goal).await?;
    }
    for indicator in data.indicators() {
        db::link_action_indicator(&mut *tx, &id, indicator).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// Rewrites an action and replaces its links, together.
pub async fn edit(
    pool: &Pool,
    writes: &WriteGate,
    coalition_id: &str,
    action_id: &str,
    data: &ActionData,
) -> Result<(), AppError> {
    let due_on = data.due_on().map(day_text);
    let now = db::now();
    let mut tx = db::begin_write(pool, writes).await?;
    db::update_action(
        &mut *tx,
        &row(action_id, coalition_id, data, due_on.as_deref(), None, &now),
    )
    .await?;
    db::unlink_action_goals(&mut *tx, action_id).await?;
    db::unlink_action_indicators(&mut *tx, action_id).await?;
    for goal in data.goals() {
        db::link_action_goal(&mut *tx, action_id, goal).await?;
    }
    for indicator in data.indicators() {
        db::link_action_indicator(&mut *tx, action_id, indicator).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Moves an action to another column of the board.
pub async fn move_to(
    pool: &Pool,
    writes: &WriteGate,
    coalition_id: &str,
    action_id: &str,
    status: ActionStatus,
) -> Result<(), AppError> {
    let mut tx = db::begin_write(pool, writes).await?;
    db::set_action_status(&mut *tx, coalition_id, action_id, status, &db::now()).await?;
    tx.commit().await?;
    Ok(())
}
