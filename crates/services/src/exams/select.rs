//! Choosing a mock exam's questions from the blueprint: domain weights, item-type mix, one
//! case study in its own section, no repeats, questions the learner has not seen first.

use std::collections::{BTreeMap, BTreeSet};

use shared::question::ItemType;

/// A question that could go into the exam.
#[derive(Clone, Debug)]
pub struct Candidate<'a> {
    pub id: &'a str,
    pub domain: &'a str,
    pub item_type: ItemType,
    pub case: Option<&'a str>,
    pub seen: bool,
}

/// What to choose.
#[derive(Clone, Debug)]
pub struct Plan {
    pub questions: usize,
    /// Domain id -> weight (any scale).
    pub domains: Vec<(String, f64)>,
    /// Item type -> share of the questions outside the case study.
    pub types: Vec<(ItemType, f64)>,
    pub case_studies: usize,
}

/// A chosen question and its section (0 general, 1 case study).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chosen {
    pub id: String,
    pub section: i16,
}

/// How many questions of one domain and item type a draw looks at, at most, when they are
/// plenty: a random sample of them, so drawing from a bank of 100,000 costs what 300 do.
pub const POOL_SAMPLE: usize = 256;

/// The positions of a pool (one domain and item type) worth offering to `select` for an exam of
/// `questions`: all of a small pool, and all of a case-study pool (cases are taken whole);
/// otherwise a uniform random sample of `POOL_SAMPLE`, unless it holds fewer than `questions`
/// unseen ones, when the learner has seen most of the pool and all of it is offered (so
/// "unseen first" still holds). A uniform sample keeps every question's chance the same.
pub fn sample_pool(
    pool: &[usize],
    item_type: ItemType,
    questions: usize,
    rng: &mut fastrand::Rng,
    unseen: impl Fn(usize) -> bool,
) -> Vec<usize> {
    if pool.len() <= POOL_SAMPLE || item_type == ItemType::Case {
        return pool.to_vec();
    }
    // Floyd's algorithm: POOL_SAMPLE distinct positions of the pool, in POOL_SAMPLE steps.
    let mut chosen = std::collections::HashSet::with_capacity(POOL_SAMPLE);
    for j in pool.len() - POOL_SAMPLE..pool.len() {
        let t = rng.usize(..=j);
        if !chosen.insert(t) {
            chosen.insert(j);
        }
    }
    let sample: Vec<usize> = chosen.into_iter().map(|k| pool[k]).collect();
    if sample.iter().filter(|&&i| unseen(i)).count() >= questions {
        sample
    } else {
        pool.to_vec()
    }
}

/// Splits `total` into whole parts in proportion to `weights` (largest remainder).
pub fn apportion(total: usize, weights: &[f64]) -> Vec<usize> {
    let sum: f64 = weights.iter().filter(|w| **w > 0.0).sum();
    if weights.is_empty() || sum <= 0.0 {
        let mut parts = vec![0; weights.len()];
        if let Some(first) = parts.first_mut() {
            *first = total;
        }
        return parts;
    }
    let exact: Vec<f64> = weights
        .iter()
        .map(|w| total as f64 * w.max(0.0) / sum)
        .collect();
    let mut parts: Vec<usize> = exact.iter().map(|e| e.floor() as usize).collect();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|a, b| {
        let ra = exact[*a] - exact[*a].floor();
        let rb = exact[*b] - exact[*b].floor();
        rb.total_cmp(&ra).then(a.cmp(b))
    });
    let mut left = total - parts.iter().sum::<usize>();
    for i in order.into_iter().cycle() {
        if left == 0 {
            break;
        }
        parts[i] += 1;
        left -= 1;
    }
    parts
}

/// Takes up to `n` questions from `pool` (unseen first, at random within each group), marking
/// them used. Only the questions taken are shuffled into place, so a large pool costs one pass.
fn take<'a>(
    pool: impl Iterator<Item = &'a Candidate<'a>>,
    n: usize,
    used: &mut BTreeSet<&'a str>,
    rng: &mut fastrand::Rng,
) -> Vec<&'a Candidate<'a>> {
    if n == 0 {
        return Vec::new();
    }
    let mut fresh: Vec<&Candidate> = Vec::new();
    let mut seen: Vec<&Candidate> = Vec::new();
    for c in pool.filter(|c| !used.contains(c.id)) {
        if c.seen {
            seen.push(c);
        } else {
            fresh.push(c);
        }
    }
    let mut picked = sample(fresh, n, rng);
    picked.extend(sample(seen, n - picked.len(), rng));
    for c in &picked {
        used.insert(c.id);
    }
    picked
}

/// `n` of `items` at random, in random order (a partial Fisher-Yates shuffle).
fn sample<T>(mut items: Vec<T>, n: usize, rng: &mut fastrand::Rng) -> Vec<T> {
    let n = n.min(items.len());
    for i in 0..n {
        let j = rng.usize(i..items.len());
        items.swap(i, j);
    }
    items.truncate(n);
    items
}

/// Chooses the questions of one attempt. The general section comes first, shuffled; the case
/// study's questions follow in their own section, in bank order.
pub fn select(candidates: &[Candidate<'_>], plan: &Plan, rng: &mut fastrand::Rng) -> Vec<Chosen> {
    let n = plan.questions.min(candidates.len());
    let weights: Vec<f64> = plan.domains.iter().map(|(_, w)| *w).collect();
    let targets = apportion(n, &weights);
    let domain_index: BTreeMap<&str, usize> = plan
        .domains
        .iter()
        .enumerate()
        .map(|(i, (d, _))| (d.as_str(), i))
        .collect();
    let mut used: BTreeSet<&str> = BTreeSet::new();

    // The case study: whole cases that fit in a quarter of the exam and in every domain's share.
    let mut case_block: Vec<&Candidate> = Vec::new();
    if plan.case_studies > 0 && n >= 8 {
        let mut cases: BTreeMap<&str, Vec<&Candidate>> = BTreeMap::new();
        for c in candidates {
            if let Some(case) = c.case {
                cases.entry(case).or_default().push(c);
            }
        }
        let mut fitting: Vec<(&str, Vec<&Candidate>)> = cases
            .into_iter()
            .filter(|(_, qs)| {
                qs.len() <= n / 4
                    && domain_counts(qs.iter().copied(), &domain_index, plan.domains.len())
                        .iter()
                        .zip(&targets)
                        .all(|(have, target)| have <= target)
            })
            .collect();
        rng.shuffle(&mut fitting);
        // Cases with more unseen questions first.
        fitting.sort_by_key(|(_, qs)| std::cmp::Reverse(qs.iter().filter(|c| !c.seen).count()));
        let mut budget = targets.clone();
        let mut cases_taken = 0;
        for (_, mut qs) in fitting {
            let counts = domain_counts(qs.iter().copied(), &domain_index, plan.domains.len());
            if case_block.len() + qs.len() > n / 4
                || counts.iter().zip(&budget).any(|(have, left)| have > left)
            {
                continue;
            }
            for (b, c) in budget.iter_mut().zip(&counts) {
                *b -= c;
            }
            qs.sort_by_key(|c| c.id);
            for c in &qs {
                used.insert(c.id);
            }
            case_block.extend(qs);
            cases_taken += 1;
            if cases_taken == plan.case_studies {
                break;
            }
        }
    }

    // Each domain's remaining share, split by the item-type mix. The questions outside case
    // studies are sorted by domain once, so a large bank is walked once, not once per type.
    let in_case = domain_counts(
        case_block.iter().copied(),
        &domain_index,
        plan.domains.len(),
    );
    // buckets[domain][type]: the plan's types, then one bucket for any other type.
    let mut buckets: Vec<Vec<Vec<&Candidate>>> =
        vec![vec![Vec::new(); plan.types.len() + 1]; plan.domains.len()];
    for c in candidates.iter().filter(|c| c.case.is_none()) {
        if let Some(d) = domain_index.get(c.domain) {
            let t = plan
                .types
                .iter()
                .position(|(t, _)| *t == c.item_type)
                .unwrap_or(plan.types.len());
            buckets[*d][t].push(c);
        }
    }
    let type_weights: Vec<f64> = plan.types.iter().map(|(_, w)| *w).collect();
    let mut general: Vec<&Candidate> = Vec::new();
    for (d, in_domain) in buckets.iter().enumerate() {
        let quota = targets[d].saturating_sub(in_case[d]);
        let mut picked = Vec::new();
        if !plan.types.is_empty() {
            for (of_type, count) in in_domain.iter().zip(apportion(quota, &type_weights)) {
                picked.extend(take(of_type.iter().copied(), count, &mut used, rng));
            }
        }
        // A type the domain lacks is made up from its other questions.
        let short = quota.saturating_sub(picked.len());
        picked.extend(take(
            in_domain.iter().flatten().copied(),
            short,
            &mut used,
            rng,
        ));
        general.extend(picked);
    }
    // A domain with too few questions is made up from the rest of the bank.
    let short = n.saturating_sub(general.len() + case_block.len());
    general.extend(take(
        candidates.iter().filter(|c| c.case.is_none()),
        short,
        &mut used,
        rng,
    ));
    rng.shuffle(&mut general);
    general
        .into_iter()
        .map(|c| Chosen {
            id: c.id.to_string(),
            section: 0,
        })
        .chain(case_block.into_iter().map(|c| Chosen {
            id: c.id.to_string(),
            section: 1,
        }))
        .collect()
}

fn domain_counts<'a>(
    questions: impl Iterator<Item = &'a Candidate<'a>>,
    index: &BTreeMap<&str, usize>,
    domains: usize,
) -> Vec<usize> {
    let mut counts = vec![0; domains];
    for c in questions {
        if let Some(i) = index.get(c.domain) {
            counts[*i] += 1;
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn bank(
        sizes: &[(usize, &'static str)],
        cases: usize,
        seed: u64,
    ) -> Vec<(String, &'static str, ItemType, Option<String>)> {
        let mut rng = fastrand::Rng::with_seed(seed);
        let types = [
            ItemType::Single,
            ItemType::Multi,
            ItemType::Order,
            ItemType::Yesno,
            ItemType::Drill,
            ItemType::Diagram,
        ];
        let mut out = Vec::new();
        for (count, domain) in sizes {
            for i in 0..*count {
                let t = types[rng.usize(..types.len())];
                out.push((format!("{domain}-{i}"), *domain, t, None));
            }
        }
        for case in 0..cases {
            let domain = sizes[case % sizes.len()].1;
            for i in 0..3 + case % 3 {
                out.push((
                    format!("case{case}-{i}"),
                    domain,
                    ItemType::Case,
                    Some(format!("case{case}")),
                ));
            }
        }
        out
    }

    fn candidates<'a>(
        bank: &'a [(String, &'static str, ItemType, Option<String>)],
        seen: &BTreeSet<usize>,
    ) -> Vec<Candidate<'a>> {
        bank.iter()
            .enumerate()
            .map(|(i, (id, domain, t, case))| Candidate {
                id,
                domain,
                item_type: *t,
                case: case.as_deref(),
                seen: seen.contains(&i),
            })
            .collect()
    }

    fn plan(n: usize) -> Plan {
        Plan {
            questions: n,
            domains: vec![("infra".into(), 17.5), ("lifecycle".into(), 27.5)],
            types: vec![
                (ItemType::Single, 0.5),
                (ItemType::Multi, 0.14),
                (ItemType::Order, 0.1),
                (ItemType::Yesno, 0.1),
                (ItemType::Drill, 0.08),
                (ItemType::Diagram, 0.08),
            ],
            case_studies: 1,
        }
    }

    #[test]
    fn apportioning_keeps_the_total_and_the_proportions() {
        assert_eq!(apportion(50, &[17.5, 27.5]), vec![19, 31]);
        assert_eq!(apportion(10, &[1.0, 1.0, 1.0]), vec![4, 3, 3]);
        assert_eq!(apportion(0, &[1.0]), vec![0]);
        assert_eq!(apportion(5, &[]), Vec::<usize>::new());
    }

    #[test]
    fn a_full_exam_has_a_case_study_section_and_the_type_mix() {
        let bank = bank(&[(140, "infra"), (226, "lifecycle")], 9, 1);
        let cands = candidates(&bank, &BTreeSet::new());
        let chosen = select(&cands, &plan(50), &mut fastrand::Rng::with_seed(7));
        assert_eq!(chosen.len(), 50);
        let case: Vec<&Chosen> = chosen.iter().filter(|c| c.section == 1).collect();
        assert!((3..=12).contains(&case.len()), "{}", case.len());
        assert!(
            chosen
                .iter()
                .skip_while(|c| c.section == 0)
                .all(|c| c.section == 1)
        );
        let singles = chosen
            .iter()
            .filter(|c| {
                cands
                    .iter()
                    .any(|k| k.id == c.id && k.item_type == ItemType::Single)
            })
            .count();
        assert!(
            singles >= 15,
            "about half of the general section: {singles}"
        );
    }

    #[test]
    fn unseen_questions_come_first() {
        let bank = bank(&[(40, "infra"), (60, "lifecycle")], 0, 2);
        // Everything but 30 questions has been seen.
        let seen: BTreeSet<usize> = (30..100).collect();
        let cands = candidates(&bank, &seen);
        let chosen: BTreeSet<&str> = select(&cands, &plan(20), &mut fastrand::Rng::with_seed(3))
            .into_iter()
            .map(|c| cands.iter().find(|k| k.id == c.id).unwrap().id)
            .collect();
        // No seen question was taken while an unseen one of the same domain and type was left.
        for c in cands.iter().filter(|c| c.seen && chosen.contains(c.id)) {
            let left_out = cands.iter().find(|u| {
                !u.seen
                    && !chosen.contains(u.id)
                    && u.domain == c.domain
                    && u.item_type == c.item_type
            });
            assert!(
                left_out.is_none(),
                "{} taken before {:?}",
                c.id,
                left_out.map(|u| u.id)
            );
        }
        // The 30 unseen questions are all infra, whose share of 20 is 8.
        assert!(
            cands
                .iter()
                .filter(|c| !c.seen && chosen.contains(c.id))
                .count()
                >= 6
        );
    }

    #[test]
    fn a_large_pool_is_sampled_and_a_mostly_seen_one_offered_whole() {
        let pool: Vec<usize> = (1000..11_000).collect();
        let mut rng = fastrand::Rng::with_seed(5);
        let sample = sample_pool(&pool, ItemType::Single, 50, &mut rng, |_| true);
        assert_eq!(sample.len(), POOL_SAMPLE);
        let distinct: BTreeSet<usize> = sample.iter().copied().collect();
        assert_eq!(distinct.len(), POOL_SAMPLE, "no position twice");
        assert!(sample.iter().all(|i| (1000..11_000).contains(i)));
        // Two draws differ (a sample, not a fixed prefix).
        assert_ne!(
            distinct,
            sample_pool(&pool, ItemType::Single, 50, &mut rng, |_| true)
                .into_iter()
                .collect()
        );
        // Seen all but 40: the sample cannot promise 50 unseen, so the whole pool is offered.
        let whole = sample_pool(&pool, ItemType::Single, 50, &mut rng, |i| i < 1040);
        assert_eq!(whole.len(), pool.len());
        // Small pools and case studies are always whole.
        assert_eq!(
            sample_pool(&pool[..100], ItemType::Single, 50, &mut rng, |_| true).len(),
            100
        );
        assert_eq!(
            sample_pool(&pool, ItemType::Case, 50, &mut rng, |_| true).len(),
            pool.len()
        );
    }

    #[test]
    fn sampling_keeps_every_question_equally_likely() {
        // 1,000 questions, 10,000 samples of 256: each question is in about 2,560 of them.
        let pool: Vec<usize> = (0..1000).collect();
        let mut rng = fastrand::Rng::with_seed(11);
        let mut hits = vec![0u32; pool.len()];
        for _ in 0..10_000 {
            for i in sample_pool(&pool, ItemType::Single, 10, &mut rng, |_| true) {
                hits[i] += 1;
            }
        }
        let (min, max) = (hits.iter().min().unwrap(), hits.iter().max().unwrap());
        assert!(*min > 2300 && *max < 2820, "{min}..{max}");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn any_bank_gives_the_domain_weights_within_one_question(
            infra in 30usize..200,
            // Enough questions in each domain for its share (a short domain is made up from
            // the others by design, which this property does not cover).
            lifecycle in 40usize..300,
            cases in 0usize..6,
            n in 5usize..60,
            seed in any::<u64>(),
            seen_every in 1usize..5,
        ) {
            let bank = bank(&[(infra, "infra"), (lifecycle, "lifecycle")], cases, seed);
            let seen: BTreeSet<usize> = (0..bank.len()).filter(|i| i % seen_every == 0).collect();
            let cands = candidates(&bank, &seen);
            let p = plan(n);
            let chosen = select(&cands, &p, &mut fastrand::Rng::with_seed(seed));
            prop_assert_eq!(chosen.len(), n);
            let ids: BTreeSet<&str> = chosen.iter().map(|c| c.id.as_str()).collect();
            prop_assert_eq!(ids.len(), n, "no repeats");
            for (domain, weight) in &p.domains {
                let target = n as f64 * weight / 45.0;
                let count = chosen
                    .iter()
                    .filter(|c| cands.iter().any(|k| k.id == c.id && k.domain == domain))
                    .count();
                prop_assert!((count as f64 - target).abs() <= 1.0, "{domain}: {count} vs {target}");
            }
        }
    }
}
