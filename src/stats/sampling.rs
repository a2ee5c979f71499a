//! Stratified simple random sampling without replacement, proportional allocation (Cochran 1977,
//! *Sampling Techniques*, 3rd ed., Wiley, §5.5).
//!
//! Allocation: stratum `h` of size `N_h` gets the quota `n·N_h/N`, rounded by the largest-remainder
//! (Hamilton) method — every stratum gets the integer part, the strata with the largest fractional
//! parts one more each until the sizes sum to `n` — so each `n_h` is within 1 of its exact quota and
//! never exceeds `N_h`. Quotas are computed in exact integer arithmetic, so there are no float ties.
//!
//! Draw: the frame is grouped by stratum (in key order) and sorted by id within each, so the result
//! depends only on the frame's content and the seed, not on its order. One `ChaCha8Rng` seeded with
//! `seed_from_u64(seed)` is consumed stratum by stratum; a partial Fisher–Yates shuffle picks `n_h`
//! ids, with unbiased bounded integers by Lemire's multiply-and-reject (Lemire 2019, "Fast random
//! integer generation in an interval", *ACM TOMACS* 29(1)) built on `next_u64` only. ChaCha8's output
//! is a fixed cipher stream, identical on every platform and word size, and this module relies on no
//! `rand` distribution code that could change between `rand` releases: a published (frame, seed) pair
//! can be re-drawn and audited years later. Time and memory are O(N + N_h log N_h).

use std::collections::BTreeMap;
use std::fmt;

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// Why a sample cannot be drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SampleError {
    /// A sample of nobody was asked for.
    ZeroSample,
    /// More residents were asked for than the frame holds.
    TooLarge { n: u64, population: u64 },
    /// A resident appears more than once in the frame.
    DuplicateId(u64),
}

/// `12000` → `"12,000"`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

impl fmt::Display for SampleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ZeroSample => write!(f, "the sample size must be at least 1"),
            Self::TooLarge { n, population } => {
                write!(f, "the sample of {} is larger than the audience of {}", thousands(*n), thousands(*population))
            }
            Self::DuplicateId(id) => write!(f, "resident {id} appears more than once in the sampling frame"),
        }
    }
}

impl std::error::Error for SampleError {}

/// A drawn sample.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sample {
    /// Chosen resident ids, ascending.
    pub ids: Vec<u64>,
    /// Per stratum: (population size `N_h`, drawn `n_h`).
    pub allocation: BTreeMap<String, (u64, u64)>,
    /// The seed, to be stored with the sample so that it can be re-drawn.
    pub seed: u64,
}

/// Proportional allocation of `n` over strata of the given sizes, largest-remainder rounding.
/// Ties in the remainder go to the larger stratum, then to the first key. Empty strata get 0.
pub fn allocate(strata_sizes: &BTreeMap<String, u64>, n: u64) -> Result<BTreeMap<String, u64>, SampleError> {
    let population: u64 = strata_sizes.values().sum();
    if n == 0 {
        return Err(SampleError::ZeroSample);
    }
    if n > population {
        return Err(SampleError::TooLarge { n, population });
    }
    let (n128, pop128) = (u128::from(n), u128::from(population));
    let mut quotas: Vec<(&String, u64, u64, u64)> = strata_sizes
        .iter()
        .map(|(key, &size)| {
            let exact = n128 * u128::from(size);
            // Both fit: floor(n·N_h/N) ≤ N_h, remainder < N.
            (key, size, (exact / pop128) as u64, (exact % pop128) as u64)
        })
        .collect();
    let mut left = n - quotas.iter().map(|q| q.2).sum::<u64>();
    let mut order: Vec<usize> = (0..quotas.len()).collect();
    order.sort_by(|&a, &b| quotas[b].3.cmp(&quotas[a].3).then(quotas[b].1.cmp(&quotas[a].1)).then(a.cmp(&b)));
    for i in order {
        if left == 0 {
            break;
        }
        // The fractional parts sum to `left`, so only strata with a positive remainder are reached.
        quotas[i].2 += 1;
        left -= 1;
    }
    Ok(quotas.into_iter().map(|(key, _, n_h, _)| (key.clone(), n_h)).collect())
}

/// A uniform integer in `0..bound` (`bound > 0`), Lemire's unbiased multiply-and-reject.
fn below(rng: &mut ChaCha8Rng, bound: u64) -> u64 {
    let mut m = u128::from(rng.next_u64()) * u128::from(bound);
    if (m as u64) < bound {
        let threshold = bound.wrapping_neg() % bound;
        while (m as u64) < threshold {
            m = u128::from(rng.next_u64()) * u128::from(bound);
        }
    }
    (m >> 64) as u64
}

/// Draws a stratified random sample of `n` residents from `frame` (`(resident id, stratum key)`),
/// proportionally allocated (see [`allocate`]), reproducibly from `seed` (see the module docs).
pub fn draw(frame: &[(u64, String)], n: u64, seed: u64) -> Result<Sample, SampleError> {
    let mut strata: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
    for (id, key) in frame {
        strata.entry(key.as_str()).or_default().push(*id);
    }
    let sizes: BTreeMap<String, u64> = strata.iter().map(|(k, ids)| ((*k).to_owned(), ids.len() as u64)).collect();
    let allocation = allocate(&sizes, n)?;
    let mut all: Vec<u64> = frame.iter().map(|(id, _)| *id).collect();
    all.sort_unstable();
    if let Some(pair) = all.windows(2).find(|w| w[0] == w[1]) {
        return Err(SampleError::DuplicateId(pair[0]));
    }

    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut ids = Vec::with_capacity(n as usize);
    for (key, members) in &mut strata {
        members.sort_unstable();
        let take = allocation[*key] as usize;
        let len = members.len();
        for i in 0..take {
            let j = i + below(&mut rng, (len - i) as u64) as usize;
            members.swap(i, j);
        }
        ids.extend_from_slice(&members[..take]);
    }
    ids.sort_unstable();
    let allocation = sizes.into_iter().map(|(k, size)| (k.clone(), (size, allocation[&k]))).collect();
    Ok(Sample { ids, allocation, seed })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(sizes: &[(&str, u64)]) -> Vec<(u64, String)> {
        let mut out = Vec::new();
        let mut id = 1000;
        for (key, size) in sizes {
            for _ in 0..*size {
                out.push((id, (*key).to_owned()));
                id += 7;
            }
        }
        out
    }

    fn sizes(pairs: &[(&str, u64)]) -> BTreeMap<String, u64> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
    }

    #[test]
    fn hamilton_rounding_sums_to_n_and_stays_within_one() {
        let strata = sizes(&[("Stare Miasto", 3_000), ("Podgórze", 4_500), ("Nowa Huta", 2_000), ("Bieżanów", 1)]);
        for n in [1, 2, 3, 10, 99, 1_000, 9_501] {
            let alloc = allocate(&strata, n).unwrap();
            assert_eq!(alloc.values().sum::<u64>(), n);
            for (key, &n_h) in &alloc {
                let exact = n as f64 * strata[key] as f64 / 9_501.0;
                assert!((n_h as f64 - exact).abs() < 1.0, "{key}: {n_h} vs {exact}");
                assert!(n_h <= strata[key]);
            }
        }
        // 10 over 3:3:3 — quotas 3⅓ each; the tie goes to the first key.
        let alloc = allocate(&sizes(&[("a", 3), ("b", 3), ("c", 3)]), 10).unwrap_err();
        assert_eq!(alloc, SampleError::TooLarge { n: 10, population: 9 });
        let alloc = allocate(&sizes(&[("a", 30), ("b", 30), ("c", 30)]), 10).unwrap();
        assert_eq!(alloc.values().copied().collect::<Vec<_>>(), vec![4, 3, 3]);
        // Classic example: quotas 4.6, 3.4, 2.0 (N = 100, n = 10 over 46/34/20).
        let alloc = allocate(&sizes(&[("x", 46), ("y", 34), ("z", 20)]), 10).unwrap();
        assert_eq!(alloc.values().copied().collect::<Vec<_>>(), vec![5, 3, 2]);
        let all = allocate(&sizes(&[("x", 5), ("y", 0)]), 5).unwrap();
        assert_eq!(all.values().copied().collect::<Vec<_>>(), vec![5, 0]);
    }

    #[test]
    fn errors_are_readable() {
        let err = allocate(&sizes(&[("a", 9_500)]), 12_000).unwrap_err();
        assert_eq!(err.to_string(), "the sample of 12,000 is larger than the audience of 9,500");
        assert_eq!(allocate(&sizes(&[("a", 5)]), 0), Err(SampleError::ZeroSample));
        assert_eq!(draw(&[], 1, 1), Err(SampleError::TooLarge { n: 1, population: 0 }));
        let dup = vec![(1, "a".to_owned()), (2, "a".to_owned()), (1, "b".to_owned())];
        assert_eq!(draw(&dup, 2, 1), Err(SampleError::DuplicateId(1)));
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
    }

    #[test]
    fn same_seed_same_sample_whatever_the_frame_order() {
        let f = frame(&[("a", 500), ("b", 300), ("c", 200)]);
        let one = draw(&f, 100, 42).unwrap();
        let mut reversed = f.clone();
        reversed.reverse();
        assert_eq!(draw(&reversed, 100, 42).unwrap(), one);
        assert_ne!(draw(&f, 100, 43).unwrap().ids, one.ids);
        assert_eq!(one.ids.len(), 100);
        assert!(one.ids.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(one.allocation["a"], (500, 50));
        assert_eq!(one.allocation["b"], (300, 30));
        assert_eq!(one.allocation["c"], (200, 20));
        let members: std::collections::HashSet<u64> = f.iter().map(|(id, _)| *id).collect();
        assert!(one.ids.iter().all(|id| members.contains(id)));
    }

    /// Pins the stream: a change here means published samples could no longer be re-drawn.
    #[test]
    fn golden_sample() {
        let f = frame(&[("a", 10), ("b", 10)]);
        assert_eq!(draw(&f, 4, 2024).unwrap().ids, GOLDEN);
    }
    const GOLDEN: [u64; 4] = [1007, 1063, 1112, 1133];

    #[test]
    fn proportional_share_within_one_and_whole_population() {
        let f = frame(&[("a", 333), ("b", 333), ("c", 334), ("d", 1)]);
        let s = draw(&f, 250, 7).unwrap();
        for (key, (size, drawn)) in &s.allocation {
            let exact = 250.0 * *size as f64 / 1001.0;
            assert!((*drawn as f64 - exact).abs() < 1.0, "{key}");
            let in_stratum = f.iter().filter(|(id, k)| k == key && s.ids.binary_search(id).is_ok()).count();
            assert_eq!(in_stratum as u64, *drawn);
        }
        let everyone = draw(&f, 1001, 7).unwrap();
        assert_eq!(everyone.ids.len(), 1001);
    }

    #[test]
    fn selection_is_roughly_uniform() {
        let f = frame(&[("a", 20)]);
        let mut hits = [0u32; 20];
        for seed in 0..2000 {
            for id in draw(&f, 5, seed).unwrap().ids {
                hits[((id - 1000) / 7) as usize] += 1;
            }
        }
        // Expected 500 each; binomial sd ≈ 19.
        assert!(hits.iter().all(|&h| (400..600).contains(&h)), "{hits:?}");
    }

    #[test]
    #[ignore = "timing; run with --release --ignored"]
    fn ten_thousand_from_a_million_is_fast() {
        let districts: Vec<String> = (1..=18).map(|d| format!("district {d}")).collect();
        let f: Vec<(u64, String)> =
            (0..1_000_000u64).map(|i| (i * 31 % 1_000_003, districts[(i % 18) as usize].clone())).collect();
        let start = std::time::Instant::now();
        let s = draw(&f, 10_000, 1).unwrap();
        assert_eq!(s.ids.len(), 10_000);
        assert!(start.elapsed().as_secs_f64() < 1.0, "{:?}", start.elapsed());
    }
}
