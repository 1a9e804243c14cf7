//! Which of the 7 qualities × 3 dimensions the programme's goals, indicators and actions
//! cover, so that staff see the gaps. Pure: the overview page and the yearly report turn
//! their records into the plain inputs below.
//!
//! The rules:
//! - a goal covers each (quality, dimension) of its qualities × its dimensions;
//! - an indicator covers the pairs of its goal;
//! - an action covers (each quality of the goals it serves, directly or through the
//!   indicators it serves, its own dimension);
//! - an action that serves no goal (linked to nothing, or only to goals naming no known
//!   quality) covers (its coalition's primary quality, its dimension): it still acts towards
//!   what the coalition set out to change.
//!
//! Each cell counts the goals (indicators, actions) covering it, each one once; unknown codes
//! are skipped (a goal's are already dropped as its record is read).

use crate::domain::{DIMENSION_COUNT, Dimension, QUALITY_COUNT, Quality};

/// A goal: its qualities and its dimensions.
#[derive(Debug, Clone, Copy)]
pub struct Goal<'a> {
    pub id: &'a str,
    pub qualities: &'a [Quality],
    pub dimensions: &'a [Dimension],
}

#[derive(Debug, Clone, Copy)]
pub struct Indicator<'a> {
    pub id: &'a str,
    pub goal_id: &'a str,
}

#[derive(Debug, Clone)]
pub struct Action<'a> {
    pub dimension: &'a str,
    /// The primary quality of the action's coalition.
    pub primary_quality: &'a str,
    pub goal_ids: Vec<&'a str>,
    pub indicator_ids: Vec<&'a str>,
}

/// Counts per (quality, dimension), rows in [`Quality::ALL`] order, columns in
/// [`Dimension::ALL`] order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Grid([[usize; DIMENSION_COUNT]; QUALITY_COUNT]);

impl Grid {
    pub fn get(&self, quality: Quality, dimension: Dimension) -> usize {
        self.0[quality.index()][dimension.index()]
    }

    fn add(&mut self, cells: &[(Quality, Dimension)]) {
        for &(q, d) in cells {
            self.0[q.index()][d.index()] += 1;
        }
    }

    /// The cells nothing covers, row by row.
    pub fn gaps(&self) -> Vec<(Quality, Dimension)> {
        Quality::ALL
            .iter()
            .flat_map(|&q| Dimension::ALL.iter().map(move |&d| (q, d)))
            .filter(|&(q, d)| self.get(q, d) == 0)
            .collect()
    }
}

/// The three grids of the overview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Coverage {
    pub goals: Grid,
    pub indicators: Grid,
    pub actions: Grid,
}

/// Each value once, in order.
fn distinct<T: Copy + PartialEq>(values: &[T]) -> Vec<T> {
    let mut found: Vec<T> = Vec::new();
    for value in values {
        if !found.contains(value) {
            found.push(*value);
        }
    }
    found
}

/// The cells of a goal: its qualities × its dimensions.
pub fn goal_cells(goal: &Goal<'_>) -> Vec<(Quality, Dimension)> {
    let dimensions = distinct(goal.dimensions);
    distinct(goal.qualities)
        .into_iter()
        .flat_map(|q| dimensions.iter().map(move |&d| (q, d)))
        .collect()
}

/// The cells of an action, given every goal and indicator it may link to.
pub fn action_cells(
    action: &Action<'_>,
    goals: &[Goal<'_>],
    indicators: &[Indicator<'_>],
) -> Vec<(Quality, Dimension)> {
    let Some(dimension) = Dimension::from_code(action.dimension) else {
        return Vec::new();
    };
    let through_indicators = action
        .indicator_ids
        .iter()
        .filter_map(|id| indicators.iter().find(|i| i.id == *id))
        .map(|i| i.goal_id);
    let mut qualities: Vec<Quality> = Vec::new();
    for goal_id in action.goal_ids.iter().copied().chain(through_indicators) {
        if let Some(goal) = goals.iter().find(|g| g.id == goal_id) {
            for q in distinct(goal.qualities) {
                if !qualities.contains(&q) {
                    qualities.push(q);
                }
            }
        }
    }
    if qualities.is_empty() {
        qualities.extend(Quality::from_code(action.primary_quality));
    }
    qualities.into_iter().map(|q| (q, dimension)).collect()
}

pub fn coverage(
    goals: &[Goal<'_>],
    indicators: &[Indicator<'_>],
    actions: &[Action<'_>],
) -> Coverage {
    let mut coverage = Coverage::default();
    for goal in goals {
        coverage.goals.add(&goal_cells(goal));
    }
    for indicator in indicators {
        if let Some(goal) = goals.iter().find(|g| g.id == indicator.goal_id) {
            coverage.indicators.add(&goal_cells(goal));
        }
    }
    for action in actions {
        coverage
            .actions
            .add(&action_cells(action, goals, indicators));
    }
    coverage
}

#[cfg(test)]
mod tests {
    use super::*;
    use Dimension::*;
    use Quality::*;

    fn goals() -> Vec<Goal<'static>> {
        vec![
            Goal {
                id: "g1",
                qualities: &[Frugal, Equitable],
                dimensions: &[Commande, Offre],
            },
            Goal {
                id: "g2",
                // A repeated quality counts once.
                qualities: &[Inclusif, Inclusif],
                dimensions: &[Usages],
            },
        ]
    }

    fn indicators() -> Vec<Indicator<'static>> {
        vec![
            Indicator {
                id: "i1",
                goal_id: "g1",
            },
            Indicator {
                id: "i2",
                goal_id: "g1",
            },
            Indicator {
                id: "i3",
                goal_id: "g2",
            },
        ]
    }

    fn action(
        dimension: &'static str,
        goals: &[&'static str],
        indicators: &[&'static str],
    ) -> Action<'static> {
        Action {
            dimension,
            primary_quality: "protecteur",
            goal_ids: goals.to_vec(),
            indicator_ids: indicators.to_vec(),
        }
    }

    #[test]
    fn a_goal_covers_its_qualities_times_its_dimensions() {
        let c = coverage(&goals(), &[], &[]);
        // g1: frugal, equitable × commande, offre = 4 cells; g2: inclusif × usages = 1 cell.
        assert_eq!(c.goals.get(Frugal, Commande), 1);
        assert_eq!(c.goals.get(Frugal, Offre), 1);
        assert_eq!(c.goals.get(Equitable, Commande), 1);
        assert_eq!(c.goals.get(Equitable, Offre), 1);
        assert_eq!(c.goals.get(Inclusif, Usages), 1);
        assert_eq!(c.goals.get(Frugal, Usages), 0);
        assert_eq!(c.goals.gaps().len(), 21 - 5);
    }

    #[test]
    fn indicators_count_in_their_goals_cells() {
        let c = coverage(&goals(), &indicators(), &[]);
        // i1 and i2 under g1, i3 under g2.
        assert_eq!(c.indicators.get(Frugal, Commande), 2);
        assert_eq!(c.indicators.get(Equitable, Offre), 2);
        assert_eq!(c.indicators.get(Inclusif, Usages), 1);
        assert_eq!(c.indicators.get(Inclusif, Commande), 0);
    }

    #[test]
    fn an_action_covers_its_goals_qualities_on_its_own_dimension() {
        let goals = goals();
        let indicators = indicators();
        // Linked to g1 directly and to g2 through i3: frugal, equitable, inclusif × usages.
        let a = action("usages", &["g1"], &["i3"]);
        assert_eq!(
            action_cells(&a, &goals, &indicators),
            vec![(Frugal, Usages), (Equitable, Usages), (Inclusif, Usages)]
        );
        // Through an indicator only: its goal's qualities, once even if two indicators share
        // the goal.
        let b = action("offre", &[], &["i1", "i2"]);
        assert_eq!(
            action_cells(&b, &goals, &indicators),
            vec![(Frugal, Offre), (Equitable, Offre)]
        );
    }

    #[test]
    fn an_action_linked_to_nothing_covers_its_coalitions_primary_quality() {
        let a = action("commande", &[], &[]);
        assert_eq!(
            action_cells(&a, &goals(), &indicators()),
            vec![(Protecteur, Commande)]
        );
        // An unknown dimension covers nothing.
        assert!(action_cells(&action("ailleurs", &[], &[]), &goals(), &indicators()).is_empty());
    }

    #[test]
    fn the_action_grid_adds_every_action_once_per_cell() {
        let actions = vec![
            action("usages", &["g1"], &[]),
            action("usages", &["g1"], &["i1"]),
            action("commande", &[], &[]),
        ];
        let c = coverage(&goals(), &indicators(), &actions);
        assert_eq!(c.actions.get(Frugal, Usages), 2);
        assert_eq!(c.actions.get(Equitable, Usages), 2);
        assert_eq!(c.actions.get(Protecteur, Commande), 1);
        // 3 cells covered out of 21.
        assert_eq!(c.actions.gaps().len(), 18);
        assert_eq!(c.actions.gaps()[0], (Inclusif, Commande));
    }
}
