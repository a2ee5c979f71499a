//! `hejnal bench desk-seed | desk-photos`: the intervention desk's benchmarks' own set-up and reports (numbers and
//! commands in docs/desk.md, "Performance"). `desk-seed` adds synthetic reports (no contact, no person) for the
//! Open311 listing benchmark; `desk-photos` files reports with a phone-sized JPEG through the desk's own use case
//! and times them, one at a time and as a burst (watching how many decode at once). Filing over HTTP and
//! `GET /open311/v2/requests.json` are measured with wrk against `hejnal serve` (scripts in `benches/`).

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use chrono::Utc;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};

use crate::{
    config::Config,
    core::Core,
    desk::report::{self, Channel, ReportInput},
    i18n::Lang,
    storage::{DynStorage, open311::SyntheticReport},
};

/// Adds `count` synthetic reports spread evenly over the last `days` days, oldest first (as a desk's table grows),
/// about a third of them closed.
pub async fn seed(store: &DynStorage, count: u64, days: i64) -> anyhow::Result<Value> {
    let catalogue = store.catalogue().await?.offered();
    anyhow::ensure!(!catalogue.services.is_empty(), "the catalogue is empty");
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(311);
    let started = Instant::now();
    let now = Utc::now();
    let batch = 500;
    let mut done = 0;
    let run = crate::domain::secret_token::generate("")[..8].to_string();
    while done < count {
        let n = batch.min(count - done);
        let rows: Vec<SyntheticReport> = (0..n)
            .map(|i| {
                let s = &catalogue.services[rng.random_range(0..catalogue.services.len())];
                // In the order they would have been filed (a desk's table grows in time order), a few seconds apart.
                let step = (days * 86_400) as f64 / count.max(1) as f64;
                let at = (((done + i) as f64 + rng.random_range(0.0..1.0)) * step) as i64;
                let created = now - chrono::Duration::seconds(days * 86_400 - at);
                let state = ["new", "acknowledged", "in_progress", "transferred", "resolved", "rejected"]
                    [rng.random_range(0..6)];
                SyntheticReport {
                    service_code: s.code.clone(),
                    unit: s.unit.clone(),
                    state,
                    lat: rng.random_range(50.0..50.1),
                    lon: rng.random_range(19.85..20.1),
                    token: format!("rq_bench_{run}_{}", done + i),
                    due_on: (created.date_naive() + chrono::Duration::days(s.target_days))
                        .format("%Y-%m-%d")
                        .to_string(),
                    created_at: created,
                }
            })
            .collect();
        store.insert_synthetic_reports(&rows).await?;
        done += n;
    }
    Ok(json!({ "reports": count, "days": days, "seconds": started.elapsed().as_secs_f64() }))
}

/// A phone-sized JPEG (4032×3024, a gradient with fine noise so it does not compress to nothing), about 3.6 MB.
pub fn phone_jpeg() -> Vec<u8> {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(4);
    let img = image::RgbImage::from_fn(4032, 3024, |x, y| {
        let n: u8 = rng.random_range(0..20);
        image::Rgb([((x / 16) as u8).wrapping_add(n), ((y / 12) as u8).wrapping_add(n / 2), 120u8.wrapping_add(n)])
    });
    let mut out = Vec::new();
    // As a phone's camera stores it: 4:2:0 chroma, high quality (about 3.6 MB for this picture).
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, 92);
    encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::R_4_2_0);
    encoder.encode(img.as_raw(), 4032, 3024, jpeg_encoder::ColorType::Rgb).expect("encoding a JPEG in memory");
    out
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

fn input(service: &str, attributes: &[(String, String)], i: usize, photo: &[u8]) -> ReportInput {
    ReportInput {
        service_code: Some(service.to_string()),
        description: Some(format!("Benchmark report {i} {}", Utc::now().timestamp_nanos_opt().unwrap_or_default())),
        lat: Some("50.0614".into()),
        long: Some("19.9366".into()),
        photos: vec![photo.to_vec()],
        attributes: attributes.to_vec(),
        ..Default::default()
    }
}

/// Files `count` reports with one ~4 MB JPEG each: first one at a time (each photo's time from upload to stored),
/// then all at once (the peak number of decodes running together, against the core's slots).
pub async fn photos(config: Config, store: DynStorage, count: usize) -> anyhow::Result<Value> {
    let core = Core::new(config, store).await?;
    let catalogue = core.store.catalogue().await?.offered();
    let service = catalogue.services.first().ok_or_else(|| anyhow::anyhow!("the catalogue is empty"))?;
    let attributes: Vec<(String, String)> = service
        .attributes
        .iter()
        .map(|a| {
            (a.code.clone(), if a.kind == crate::domain::desk::AttributeKind::Number { "1" } else { "true" }.into())
        })
        .collect();
    let photo = phone_jpeg();
    let slots = core.photo_slots.available_permits();

    let mut one_at_a_time = Vec::with_capacity(count);
    for i in 0..count {
        let started = Instant::now();
        report::file(&core, input(&service.code, &attributes, i, &photo), Lang::Pl, Channel::Api).await?;
        one_at_a_time.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    one_at_a_time.sort_by(f64::total_cmp);

    // A burst: every upload at once; a watcher samples how many slots are taken.
    let peak = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let watcher = {
        let (core, peak, stop) = (core.clone(), peak.clone(), stop.clone());
        tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                peak.fetch_max(slots - core.photo_slots.available_permits(), Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
        })
    };
    let started = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..count {
        let (core, code, attributes, photo) = (core.clone(), service.code.clone(), attributes.clone(), photo.clone());
        tasks.push(tokio::spawn(async move {
            let t = Instant::now();
            report::file(&core, input(&code, &attributes, count + i, &photo), Lang::Pl, Channel::Api).await?;
            Ok::<f64, crate::core::CoreError>(t.elapsed().as_secs_f64() * 1000.0)
        }));
    }
    let mut burst = Vec::with_capacity(count);
    for t in tasks {
        burst.push(t.await??);
    }
    let burst_secs = started.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    watcher.await?;
    burst.sort_by(f64::total_cmp);
    Ok(json!({
        "photo_bytes": photo.len(),
        "photo_pixels": "4032x3024",
        "cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        "slots": slots,
        "one_at_a_time_ms": { "p50": percentile(&one_at_a_time, 0.5), "p95": percentile(&one_at_a_time, 0.95), "max": percentile(&one_at_a_time, 1.0) },
        "burst": {
            "uploads": count,
            "seconds": burst_secs,
            "peak_decoding_at_once": peak.load(Ordering::Relaxed),
            "ms_from_upload_to_stored": { "p50": percentile(&burst, 0.5), "p95": percentile(&burst, 0.95), "max": percentile(&burst, 1.0) },
        },
    }))
}
