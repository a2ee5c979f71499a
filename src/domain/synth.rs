//! Synthetic residents for demos and benchmarks: deterministic for a seed, spread over districts in proportion to
//! their population, with realistic mixes of languages, age bands, channels and consents. Addresses are on
//! `example.org`/`example.net`; phone numbers come from the reserved test range +48 600 000 000 + n.

use chrono::{DateTime, Duration, Utc};

use super::{
    district::District,
    panel::{AgeBand, Channel, Purpose},
};

/// Column-wise rows for one bulk insert (what the storage layer binds).
#[derive(Default, Debug)]
pub struct SynthBatch {
    pub resident_id: Vec<i64>,
    pub language: Vec<&'static str>,
    pub home_district: Vec<i64>,
    pub age_band: Vec<Option<&'static str>>,
    pub created_at: Vec<DateTime<Utc>>,
    /// Contact points: `(resident_id, kind, value)`.
    pub contacts: Vec<(i64, &'static str, String)>,
    /// Consent grants: `(resident_id, purpose, channel)`.
    pub consents: Vec<(i64, &'static str, &'static str)>,
}

/// splitmix64: tiny, fast and good enough for plausible synthetic data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A number in `0..100`.
    pub fn percent(&mut self) -> u64 {
        self.next_u64() % 100
    }
}

/// Picks an index by weight from a cumulative table.
fn pick(cumulative: &[u64], r: u64) -> usize {
    let total = *cumulative.last().unwrap_or(&1);
    let x = r % total.max(1);
    cumulative.partition_point(|c| *c <= x)
}

/// Builds synthetic residents `first_id .. first_id + count`, number `offset..` of this run.
pub struct Generator {
    rng: Rng,
    districts: Vec<i64>,
    cumulative: Vec<u64>,
    now: DateTime<Utc>,
}

const AGE_WEIGHTS: [u64; 7] = [12, 19, 18, 16, 15, 12, 8];

impl Generator {
    pub fn new(seed: u64, districts: &[District], now: DateTime<Utc>) -> Self {
        let mut acc = 0;
        let cumulative = districts
            .iter()
            .map(|d| {
                acc += d.population.max(1) as u64;
                acc
            })
            .collect();
        Self { rng: Rng::new(seed), districts: districts.iter().map(|d| d.number).collect(), cumulative, now }
    }

    /// Adds one resident with id `id` (the `n`-th of the run, for unique contact values) to the batch.
    pub fn push(&mut self, batch: &mut SynthBatch, id: i64, n: u64) {
        let r = &mut self.rng;
        let language = match r.percent() {
            0..=84 => "pl",
            85..=94 => "uk",
            _ => "en",
        };
        let district = self.districts[pick(&self.cumulative, r.next_u64())];
        let mut age_cum = [0u64; 7];
        let mut acc = 0;
        for (i, w) in AGE_WEIGHTS.iter().enumerate() {
            acc += w;
            age_cum[i] = acc;
        }
        let age_band = (r.percent() < 80).then(|| AgeBand::ALL[pick(&age_cum, r.next_u64())].as_str());
        let created_at = self.now - Duration::seconds((r.next_u64() % (90 * 86_400)) as i64);
        let has_phone = r.percent() < 60;
        let has_email = !has_phone || r.percent() < 85;
        if has_email {
            let domain = if n.is_multiple_of(2) { "example.org" } else { "example.net" };
            batch.contacts.push((id, "email", format!("synthetic.{id}@{domain}")));
        }
        if has_phone {
            batch.contacts.push((id, "phone", format!("+48{}", 600_000_000 + n)));
        }
        let mut grant = |p: Purpose, c: Channel, pct: u64, r: &mut Rng| {
            if r.percent() < pct {
                batch.consents.push((id, p.as_str(), c.as_str()));
            }
        };
        if has_phone {
            grant(Purpose::EmergencyAlerts, Channel::Sms, 80, r);
            grant(Purpose::Surveys, Channel::Sms, 10, r);
        }
        if has_email {
            grant(Purpose::EmergencyAlerts, Channel::Email, 55, r);
            grant(Purpose::ServiceAnnouncements, Channel::Email, 45, r);
            grant(Purpose::Surveys, Channel::Email, 60, r);
            if age_band.is_some() {
                grant(Purpose::ProfileDemographics, Channel::Email, 50, r);
            }
        }
        batch.resident_id.push(id);
        batch.language.push(language);
        batch.home_district.push(district);
        batch.age_band.push(age_band);
        batch.created_at.push(created_at);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_residents_and_districts_follow_population() {
        let districts = crate::domain::district::parse_csv(crate::domain::district::KRAKOW_CSV).unwrap();
        let now = Utc::now();
        let run = |seed| {
            let mut g = Generator::new(seed, &districts, now);
            let mut b = SynthBatch::default();
            for n in 0..20_000 {
                g.push(&mut b, 1 + n as i64, n);
            }
            b
        };
        let (a, b) = (run(7), run(7));
        assert_eq!(a.home_district, b.home_district);
        assert_eq!(a.contacts, b.contacts);
        assert_ne!(run(8).home_district, a.home_district);
        // The most populous district gets more residents than the least populous.
        let count = |n: i64| a.home_district.iter().filter(|d| **d == n).count();
        let most = districts.iter().max_by_key(|d| d.population).unwrap().number;
        let least = districts.iter().min_by_key(|d| d.population).unwrap().number;
        assert!(count(most) > 2 * count(least), "{} vs {}", count(most), count(least));
        let reachable: std::collections::HashSet<i64> = a.contacts.iter().map(|(r, _, _)| *r).collect();
        assert_eq!(reachable.len(), a.resident_id.len(), "everyone has a contact point");
        assert!(a.consents.len() > a.resident_id.len(), "about two consents each");
    }
}
