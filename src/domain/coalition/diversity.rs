//! How diverse a coalition's members are by actor type: Shannon entropy of their types,
//! normalised by `ln 5` (the five actor types of `coalitions.toml`).

use serde::Serialize;

/// The five actor types of coalition members, as in `domain/coalitions.toml`.
pub const ACTOR_TYPES: [&str; 5] = [
    "entreprise",
    "collectivite",
    "etat",
    "association",
    "recherche",
];

/// How heterogeneous a coalition's members are by actor type.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Diversity {
    /// Distinct actor types present.
    pub types: usize,
    /// Shannon entropy `H = −Σ p ln p` over the types present, in nats.
    pub shannon: f64,
    /// `H / ln K`, in [0, 1].
    pub normalised: f64,
}

/// Diversity of a coalition from its members' actor types (one entry per member).
///
/// Normalised by `ln K` with K = 5, the number of possible actor types ([`ACTOR_TYPES`]),
/// not by the number of types present (Pielou's evenness): evenness would rate a coalition
/// of one company and one association as diverse as one balanced over all five types,
/// whereas the programme values breadth as well as balance. So 1 means all five types in
/// equal shares. Should a code outside the five appear, K becomes the number of types
/// present, so that the index stays within [0, 1] instead of the member being dropped.
/// Codes are compared as given, after trimming; empty codes are ignored.
pub fn diversity(actor_types: &[&str]) -> Diversity {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for code in actor_types
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
    {
        match counts.iter_mut().find(|(c, _)| *c == code) {
            Some((_, n)) => *n += 1,
            None => counts.push((code, 1)),
        }
    }
    let total: usize = counts.iter().map(|(_, n)| n).sum();
    let types = counts.len();
    if types <= 1 {
        return Diversity {
            types,
            shannon: 0.0,
            normalised: 0.0,
        };
    }
    let shannon = -counts
        .iter()
        .map(|&(_, n)| {
            let p = n as f64 / total as f64;
            p * p.ln()
        })
        .sum::<f64>();
    let k = ACTOR_TYPES.len().max(types) as f64;
    Diversity {
        types,
        shannon,
        normalised: shannon / k.ln(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn diversity_of_two_balanced_types_is_ln_2_normalised_by_ln_5() {
        let d = diversity(&["a", "a", "b", "b"]);
        assert_eq!(d.types, 2);
        assert!(close(d.shannon, 2f64.ln()));
        assert!(close(d.normalised, 2f64.ln() / 5f64.ln()));
        assert!((d.normalised - 0.4307).abs() < 1e-4);
    }

    #[test]
    fn diversity_is_zero_for_one_type_or_none_and_one_for_all_five_balanced() {
        assert_eq!(diversity(&[]).normalised, 0.0);
        let one = diversity(&["etat", "etat"]);
        assert_eq!((one.types, one.shannon, one.normalised), (1, 0.0, 0.0));
        let all = diversity(&ACTOR_TYPES);
        assert!(close(all.normalised, 1.0));
    }
}
