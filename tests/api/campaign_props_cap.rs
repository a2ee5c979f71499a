//! Property tests of the CAP reader and writer and of polygon and circle validation: every valid document reads
//! back as it was written, and no input, however broken, makes the reader panic.

use chrono::{DateTime, FixedOffset};
use hejnal::domain::{
    cap::{
        self, Alert, Area, Category, Certainty, Geocode, Info, MsgType, Reference, ResponseType, Scope, Severity,
        Status, Urgency,
    },
    geo::{Circle, GeoError, Point, Polygon},
};
use proptest::{collection::vec, option, prelude::*, sample::select};

/// Bounded so the suite stays fast; failures print the smallest input found (no regression files are written).
pub fn config(cases: u32) -> ProptestConfig {
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

/// Text as CAP carries it: any characters XML 1.0 allows (tab, newline and carriage return among them).
fn text() -> impl Strategy<Value = String> {
    "[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\u{fffe}\\u{ffff}]{0,24}"
}

/// Identifiers and senders: CAP forbids spaces, commas and the XML specials.
fn token() -> impl Strategy<Value = String> {
    "[A-Za-z0-9._@:+-]{1,24}"
}

fn time() -> impl Strategy<Value = DateTime<FixedOffset>> {
    (0i64..4_102_444_800, -14 * 60..=14 * 60i32).prop_map(|(secs, minutes)| {
        let offset = FixedOffset::east_opt(minutes * 60).expect("within ±14 h");
        DateTime::from_timestamp(secs, 0).expect("in range").with_timezone(&offset)
    })
}

pub fn point() -> impl Strategy<Value = Point> {
    (-90.0..=90.0f64, -180.0..=180.0f64).prop_map(|(lat, lon)| Point::new(lat, lon))
}

/// A valid polygon: a closed ring of at least 4 points.
pub fn polygon() -> impl Strategy<Value = Polygon> {
    vec(point(), 3..8).prop_map(|mut ring| {
        ring.push(ring[0]);
        Polygon(ring)
    })
}

pub fn circle() -> impl Strategy<Value = Circle> {
    (point(), 0.0..500.0f64).prop_map(|(center, radius_km)| Circle { center, radius_km })
}

fn area() -> impl Strategy<Value = Area> {
    (text(), vec(polygon(), 0..3), vec(circle(), 0..3), vec((text(), text()), 0..3)).prop_map(
        |(desc, polygons, circles, codes)| Area {
            desc,
            polygons,
            circles,
            geocodes: codes.into_iter().map(|(value_name, value)| Geocode { value_name, value }).collect(),
        },
    )
}

fn info() -> impl Strategy<Value = Info> {
    let kinds = (
        "[a-z]{2}-[A-Z]{2}",
        vec(select(Category::ALL.to_vec()), 1..4),
        text(),
        vec(select(ResponseType::ALL.to_vec()), 0..3),
        select(Urgency::ALL.to_vec()),
        select(Severity::ALL.to_vec()),
        select(Certainty::ALL.to_vec()),
    );
    let times = (option::of(time()), option::of(time()), option::of(time()));
    let texts = (option::of(text()), option::of(text()), option::of(text()), option::of(text()), option::of(text()));
    let rest = (option::of("https://[a-z]{1,12}\\.pl/[a-z0-9?=&]{0,12}"), vec(area(), 0..3));
    (kinds, times, texts, rest).prop_map(
        |(
            (language, categories, event, response_types, urgency, severity, certainty),
            (effective, onset, expires),
            (sender_name, headline, description, instruction, contact),
            (web, areas),
        )| Info {
            language,
            categories,
            event,
            response_types,
            urgency,
            severity,
            certainty,
            sender_name,
            effective,
            onset,
            expires,
            headline,
            description,
            instruction,
            web,
            contact,
            areas,
        },
    )
}

fn alert() -> impl Strategy<Value = Alert> {
    let head = (token(), token(), time(), select(Status::ALL.to_vec()), select(MsgType::ALL.to_vec()));
    let references = vec(
        (token(), token(), time()).prop_map(|(sender, identifier, sent)| Reference { sender, identifier, sent }),
        0..3,
    );
    let rest = (select(Scope::ALL.to_vec()), option::of(text()), option::of(text()), references, vec(info(), 0..3));
    (head, rest).prop_map(|((identifier, sender, sent, status, msg_type), (scope, source, note, references, infos))| {
        Alert { identifier, sender, sent, status, msg_type, scope, source, note, references, infos }
    })
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn every_valid_document_reads_back_as_written(alert in alert()) {
        let xml = alert.to_xml();
        prop_assert_eq!(cap::parse(&xml), Ok(alert), "{}", xml);
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_reader(bytes in vec(any::<u8>(), 0..2048)) {
        let _ = cap::parse(&String::from_utf8_lossy(&bytes));
    }

    /// A valid document cut short or with a stray character inside: an error naming a place, or a document.
    #[test]
    fn damaged_documents_are_refused_or_read_never_panic(
        alert in alert(), cut in any::<prop::sample::Index>(), junk in "[<>&;\"'/=a-z\\]!\\[-]{1,4}"
    ) {
        let xml = alert.to_xml();
        let mut at = cut.index(xml.len());
        while !xml.is_char_boundary(at) {
            at -= 1;
        }
        if let Err(e) = cap::parse(&xml[..at]) {
            prop_assert!(!e.to_string().is_empty());
        }
        let damaged = format!("{}{junk}{}", &xml[..at], &xml[at..]);
        let _ = cap::parse(&damaged);
    }

    #[test]
    fn polygons_and_circles_read_back_from_their_cap_text(p in polygon(), c in circle()) {
        prop_assert_eq!(Polygon::parse_cap(&p.to_cap()), Ok(p.clone()));
        prop_assert_eq!(p.validate(1), Ok(()));
        prop_assert_eq!(Circle::parse_cap(&c.to_cap()), Ok(c.clone()));
        prop_assert_eq!(c.validate(1), Ok(()));
    }

    /// Validation accepts exactly the closed rings of ≥ 4 points within range, and names the first problem.
    #[test]
    fn polygon_validation_accepts_exactly_the_valid_rings(
        points in vec((-200.0..200.0f64, -400.0..400.0f64), 0..7), close in any::<bool>()
    ) {
        let mut ring: Vec<Point> = points.into_iter().map(|(lat, lon)| Point::new(lat, lon)).collect();
        if close && !ring.is_empty() {
            ring.push(ring[0]);
        }
        let in_range = ring.iter().all(|p| p.lat.abs() <= 90.0 && p.lon.abs() <= 180.0);
        let closed = ring.len() >= 4 && ring.first() == ring.last();
        let result = Polygon(ring.clone()).validate(3);
        prop_assert_eq!(result.is_ok(), in_range && closed, "{:?}", result);
        if let Err(e) = result {
            let named = matches!(e, GeoError::PolygonPoint { index: 3, .. } | GeoError::TooFewPoints { index: 3, .. }
                | GeoError::NotClosed { index: 3 });
            prop_assert!(named, "{:?}", e);
        }
    }

    #[test]
    fn circle_validation_refuses_bad_centres_and_radii(lat in -200.0..200.0f64, lon in -400.0..400.0f64,
        radius in prop_oneof![Just(f64::NAN), Just(f64::INFINITY), -10.0..10.0f64]) {
        let valid = lat.abs() <= 90.0 && lon.abs() <= 180.0 && radius.is_finite() && radius >= 0.0;
        prop_assert_eq!(Circle { center: Point::new(lat, lon), radius_km: radius }.validate(1).is_ok(), valid);
    }

    #[test]
    fn arbitrary_geometry_text_never_panics(s in "[-0-9., eE+naNinf\\t\\n]{0,64}") {
        if let Ok(p) = Polygon::parse_cap(&s) {
            let _ = p.validate(1);
        }
        if let Ok(c) = Circle::parse_cap(&s) {
            let _ = c.validate(1);
        }
    }
}
