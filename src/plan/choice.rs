//! Which host type to buy: the cheapest per month among those that fit (enough of them can be had, their disks hold
//! the local state), and for every other type the reason it loses. Without prices for every fitting type the
//! comparison falls back to the cluster's footprint (cores times hosts), and says so.

use super::TypePlan;
use super::cost::money;

/// How the types were compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Basis {
    /// Monthly cost from the prices given.
    Cost,
    /// Total cores, where prices are missing.
    Cores,
}

/// The verdict over all types.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Choice {
    /// Index into the plan's types.
    pub best: Option<usize>,
    pub basis: Basis,
    /// For each type (same order as the plan's), why it loses; `None` for the winner.
    pub reasons: Vec<Option<String>>,
}

pub(crate) fn choose(types: &[TypePlan]) -> Choice {
    let fitting: Vec<usize> = (0..types.len())
        .filter(|&i| types[i].blocker().is_none())
        .collect();
    let priced: Vec<usize> = fitting
        .iter()
        .copied()
        .filter(|&i| types[i].sizing.as_ref().is_ok_and(|s| s.cost.is_some()))
        .collect();
    let (basis, candidates) = if priced.is_empty() {
        (Basis::Cores, fitting)
    } else {
        (Basis::Cost, priced)
    };
    let score = |i: usize| -> f64 {
        let Ok(sizing) = &types[i].sizing else {
            return f64::INFINITY;
        };
        match basis {
            Basis::Cost => sizing.cost.map_or(f64::INFINITY, |cost| cost.per_month),
            Basis::Cores => types[i].host_type.spec.usable_cores().value * f64::from(sizing.hosts),
        }
    };
    // Ties go to fewer hosts, then to the earlier type: deterministic.
    let best = candidates.iter().copied().min_by(|&a, &b| {
        score(a)
            .total_cmp(&score(b))
            .then_with(|| hosts(types, a).cmp(&hosts(types, b)))
            .then(a.cmp(&b))
    });
    let reasons = (0..types.len())
        .map(|i| {
            if Some(i) == best {
                return None;
            }
            if let Some(blocker) = types[i].blocker() {
                return Some(blocker);
            }
            let Some(winner) = best else {
                return Some("no type fits".to_string());
            };
            if !candidates.contains(&i) {
                return Some(
                    "fits, but has no price-per-hour to compare on cost with the types that have one".to_string(),
                );
            }
            Some(match basis {
                Basis::Cost => format!(
                    "costs {} more per month than {} ({} vs {})",
                    money(score(i) - score(winner)),
                    types[winner].host_type.name,
                    money(score(i)),
                    money(score(winner))
                ),
                Basis::Cores => format!(
                    "takes {} cores in all, {} takes {} (prices missing: compared by cores)",
                    crate::text::units::cores(score(i)),
                    types[winner].host_type.name,
                    crate::text::units::cores(score(winner))
                ),
            })
        })
        .collect();
    Choice {
        best,
        basis,
        reasons,
    }
}

fn hosts(types: &[TypePlan], i: usize) -> u32 {
    types[i].sizing.as_ref().map_or(u32::MAX, |s| s.hosts)
}
