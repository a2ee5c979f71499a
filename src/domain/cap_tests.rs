//! Tests of [`super`]: writing, reading back, and every refusal named.

use super::*;
use geo::{Circle, Point, Polygon};

/// The test suite's one rule for skipping (reads `CI` as the integration tests do).
#[path = "../../tests/api/support/skip.rs"]
mod skip;

const RCB_FLOOD: &str = include_str!("../../tests/fixtures/cap/rcb-flood.xml");
const IMGW_STORM: &str = include_str!("../../tests/fixtures/cap/imgw-storm-prefixed.xml");
const INVALID: &str = include_str!("../../tests/fixtures/cap/invalid-missing-sent.xml");

fn t(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

fn rich_alert() -> Alert {
    let area = |desc: &str| Area {
        desc: desc.into(),
        polygons: vec![
            Polygon::parse_cap("50.07,19.90 50.07,19.98 50.04,19.98 50.04,19.90 50.07,19.90").unwrap(),
            Polygon::parse_cap("50.01,19.95 50.02,19.97 50.00,19.97 50.01,19.95").unwrap(),
        ],
        circles: vec![Circle { center: Point::new(50.0547, 19.9355), radius_km: 1.25 }],
        geocodes: vec![
            Geocode { value_name: "TERYT".into(), value: "1261011".into() },
            Geocode { value_name: "district".into(), value: "1".into() },
        ],
    };
    let info = |language: &str, headline: &str| Info {
        language: language.into(),
        categories: vec![Category::Met, Category::Safety],
        event: "Powódź / Flood".into(),
        response_types: vec![ResponseType::Evacuate, ResponseType::AllClear],
        urgency: Urgency::Immediate,
        severity: Severity::Severe,
        certainty: Certainty::Observed,
        sender_name: Some("Urząd Miasta Krakowa — Wydział Bezpieczeństwa".into()),
        effective: Some(t("2026-12-01T12:00:00+01:00")),
        onset: Some(t("2026-12-01T13:30:00+01:00")),
        expires: Some(t("2026-12-02T00:00:00Z")),
        headline: Some(headline.into()),
        description: Some("Wisła > 6 m & rośnie.\nLine two <b>not markup</b> \"quoted\" 'x'\r\nend  ".into()),
        instruction: Some("  Leave by Al. 29 Listopada.  ".into()),
        web: Some("https://hejnal.krakow.pl/alerts/42?lang=pl&x=1".into()),
        contact: Some("+48 12 616 12 00".into()),
        areas: vec![area("Stare Miasto"), area("Podgórze, bulwary")],
    };
    Alert {
        identifier: "krakow-2026-42-u1".into(),
        sender: "alerts@hejnal.krakow.pl".into(),
        sent: t("2026-12-01T12:05:00+01:00"),
        status: Status::Actual,
        msg_type: MsgType::Update,
        scope: Scope::Public,
        source: Some("Miejskie Centrum Zarządzania Kryzysowego".into()),
        note: Some("Zmiana obszaru".into()),
        references: vec![
            Reference {
                sender: "alerts@hejnal.krakow.pl".into(),
                identifier: "krakow-2026-42".into(),
                sent: t("2026-12-01T11:00:00+01:00"),
            },
            Reference { sender: "rcb@gov.pl".into(), identifier: "RCB-7".into(), sent: t("2026-12-01T10:00:00-00:00") },
        ],
        infos: vec![info("pl-PL", "Ostrzeżenie powodziowe"), info("en-GB", "Flood warning")],
    }
}

#[test]
fn rich_alert_round_trips() {
    let a = rich_alert();
    let xml = a.to_xml();
    assert_eq!(parse(&xml), Ok(a.clone()));
    // The serde form round-trips too.
    assert_eq!(serde_json::from_str::<Alert>(&serde_json::to_string(&a).unwrap()).unwrap(), a);
}

#[test]
fn xml_shape() {
    let xml = rich_alert().to_xml();
    assert!(xml.starts_with(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">"
    ));
    assert!(xml.contains("<sent>2026-12-01T12:05:00+01:00</sent>"));
    assert!(xml.contains("<expires>2026-12-02T00:00:00+00:00</expires>"));
    assert!(xml.contains("<references>alerts@hejnal.krakow.pl,krakow-2026-42,2026-12-01T11:00:00+01:00 rcb@gov.pl,RCB-7,2026-12-01T10:00:00+00:00</references>"));
    assert!(xml.contains("Wisła &gt; 6 m &amp; rośnie.\nLine two &lt;b&gt;not markup&lt;/b&gt;"));
    assert!(xml.contains("<circle>50.0547,19.9355 1.25</circle>"));
    assert!(xml.contains("<polygon>50.07,19.9 50.07,19.98 50.04,19.98 50.04,19.9 50.07,19.9</polygon>"));
    let order = [
        "<identifier>",
        "<sender>",
        "<sent>",
        "<status>",
        "<msgType>",
        "<source>",
        "<scope>",
        "<note>",
        "<references>",
        "<info>",
    ];
    let at: Vec<usize> = order.iter().map(|tag| xml.find(tag).unwrap()).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{order:?} at {at:?}");
}

/// Validates against the official OASIS schema with xmllint. Without xmllint this skips, or fails in CI.
fn assert_schema_valid(xml: &str, name: &str) {
    let xsd = std::env::var("HEJNAL_CAP_XSD")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/cap/CAP-v1.2.xsd").into());
    let file = std::env::temp_dir().join(format!("hejnal-cap-{}-{name}.xml", std::process::id()));
    std::fs::write(&file, xml).unwrap();
    let out = std::process::Command::new("xmllint").args(["--noout", "--schema", &xsd]).arg(&file).output();
    let _ = std::fs::remove_file(&file);
    match out {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            skip::skip("xmllint is not installed (apt-get install libxml2-utils): the CAP schema check");
        }
        Err(e) => panic!("cannot run xmllint: {e}"),
        Ok(out) => {
            assert!(out.status.success(), "xmllint rejects {name}:\n{}\n{xml}", String::from_utf8_lossy(&out.stderr))
        }
    }
}

#[test]
fn rich_alert_is_schema_valid() {
    assert_schema_valid(&rich_alert().to_xml(), "rich");
    let mut minimal = rich_alert();
    minimal.references.clear();
    minimal.source = None;
    minimal.note = None;
    minimal.infos.truncate(1);
    minimal.infos[0] = Info {
        response_types: vec![],
        sender_name: None,
        effective: None,
        onset: None,
        expires: None,
        headline: None,
        description: None,
        instruction: None,
        web: None,
        contact: None,
        areas: vec![Area { desc: "Kraków".into(), polygons: vec![], circles: vec![], geocodes: vec![] }],
        ..minimal.infos[0].clone()
    };
    assert_schema_valid(&minimal.to_xml(), "minimal");
    assert_eq!(parse(&minimal.to_xml()), Ok(minimal));
}

#[test]
fn fixtures_are_schema_valid() {
    assert_schema_valid(RCB_FLOOD, "rcb-flood");
    assert_schema_valid(IMGW_STORM, "imgw-storm");
}

#[test]
fn reads_rcb_flood_fixture() {
    let a = parse(RCB_FLOOD).unwrap();
    assert_eq!(a.identifier, "RCB-2026-11-30-0017");
    assert_eq!((a.status, a.msg_type, a.scope), (Status::Actual, MsgType::Alert, Scope::Public));
    assert_eq!(a.sent, t("2025-11-30T18:42:00+01:00"));
    let info = &a.infos[0];
    assert_eq!(info.language, "pl-PL");
    assert_eq!(info.categories, vec![Category::Met, Category::Env]);
    assert_eq!(info.event, "Powódź");
    assert_eq!(info.response_types, vec![ResponseType::Prepare, ResponseType::Monitor]);
    assert_eq!(info.headline.as_deref(), Some("Ostrzeżenie hydrologiczne: Wisła w Krakowie"));
    let area = &info.areas[0];
    assert_eq!(area.polygons.len(), 1);
    assert_eq!(area.polygons[0].0.len(), 6);
    assert_eq!(area.geocodes, vec![Geocode { value_name: "TERYT".into(), value: "1261011".into() }]);
    // Round trip of what we model.
    assert_eq!(parse(&a.to_xml()), Ok(a));
}

#[test]
fn reads_prefixed_fixture_with_cdata_references_and_skipped_parts() {
    let a = parse(IMGW_STORM).unwrap();
    assert_eq!(a.msg_type, MsgType::Update);
    assert_eq!(a.references.len(), 1);
    assert_eq!(a.references[0].identifier, "IMGW-2026-0612-01");
    let info = &a.infos[0];
    assert_eq!(info.language, "en-US", "the CAP default when <language> is absent");
    assert_eq!(info.description.as_deref(), Some("Burze z gradem <3 cm> & porywy do 90 km/h"));
    assert_eq!(info.instruction.as_deref(), Some("Zostań w domu & unikaj drzew — \"schroń się\"."));
    assert_eq!(info.areas.len(), 2);
    assert_eq!(info.areas[1].circles, vec![Circle { center: Point::new(50.0647, 19.945), radius_km: 15.0 }]);
    assert_eq!(info.areas[1].geocodes[0].value_name, "district");
}

#[test]
fn invalid_fixture_names_the_missing_element() {
    assert_eq!(parse(INVALID), Err(CapError::Missing { at: "alert".into(), element: "sent" }));
    assert_eq!(parse(INVALID).unwrap_err().to_string(), "alert is missing <sent>");
}

fn doc(alert_body: &str) -> String {
    format!("<?xml version=\"1.0\"?>\n<alert xmlns=\"{CAP_NAMESPACE}\">{alert_body}</alert>")
}

const HEAD: &str = "<identifier>x</identifier><sender>s</sender><sent>2026-01-01T00:00:00+01:00</sent>\
    <status>Actual</status><msgType>Alert</msgType><scope>Public</scope>";

fn info_doc(info_body: &str) -> String {
    doc(&format!(
        "{HEAD}<info><category>Met</category><event>e</event><urgency>Past</urgency>\
        <severity>Minor</severity><certainty>Likely</certainty>{info_body}</info>"
    ))
}

/// Each case: a document, and a part of the message refusing it.
fn assert_refusals(cases: &[(String, &str)]) {
    for (xml, want) in cases {
        let got = parse(xml).unwrap_err().to_string();
        assert!(got.contains(want), "expected …{want:?}…, got {got:?}");
    }
}

#[test]
fn refusals_are_sentences() {
    let xxe = "<?xml version=\"1.0\"?><!DOCTYPE alert [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><alert/>";
    let cap11 = "root element is {urn:oasis:names:tc:emergency:cap:1.1}alert, which is CAP 1.1; only CAP 1.2";
    let atom = "not a CAP 1.2 document: root element is {http://www.w3.org/2005/Atom}feed";
    let padded = format!("{}{}", doc(HEAD), " ".repeat(3_355_443 - doc(HEAD).len()));
    let deep = doc(&format!("{}{}", "<x>".repeat(40), "</x>".repeat(40)));
    assert_refusals(&[
        (padded, "the CAP document is 3.2 MB; the limit is 1 MB"),
        (" ".repeat(MAX_CAP_BYTES + 1), "the CAP document is 1.1 MB; the limit is 1 MB"),
        (doc("<identifier>x</sender>"), "the CAP document is not well-formed XML (at byte 87): ill-formed"),
        (doc("<identifier>x"), "the CAP document is not well-formed XML"),
        (String::new(), "not well-formed XML (at byte 0): the document has no root element"),
        (format!("{} <x/>", doc(HEAD)), "(at byte 233): there is an element after the root element"),
        (xxe.into(), "the CAP document declares a DOCTYPE; CAP documents may not, so it is refused"),
        (doc("<identifier>&x;</identifier>"), "(at byte 86): unknown entity &x;"),
        (doc(HEAD).replace("cap:1.2", "cap:1.1"), cap11),
        ("<feed xmlns=\"http://www.w3.org/2005/Atom\"/>".into(), atom),
        ("<alert/>".into(), "not a CAP 1.2 document: root element is alert, in no namespace"),
        (deep, "(at byte 167): elements are nested more than 32 deep"),
        (doc("<p:identifier>x</p:identifier>"), "(at byte 74): the namespace prefix \"p\" is not declared"),
    ]);
}

#[test]
fn missing_and_bad_values_are_named() {
    let area = |body: &str| info_doc(&format!("<area>{body}</area>"));
    let second_info = "</info><info><category>Met</category><urgency>Past</urgency><severity>Minor</severity>\
        <certainty>Likely</certainty></info>";
    let status = "alert <status>: \"Real\" is not a CAP status; allowed: Actual, Exercise, System, Test, Draft";
    let sent = "alert <sent>: \"2026-01-01T00:00:00\" is not a CAP date-time like 2026-12-01T12:00:00+01:00";
    let urgency = "info 1 <urgency>: \"Soon\" is not a CAP urgency; allowed: Immediate, Expected, Future,";
    let open = "<areaDesc>a</areaDesc><polygon>50,19 50,20 51,20 51,19</polygon>";
    assert_refusals(&[
        (doc(&HEAD.replace("<sender>s</sender>", "")), "alert is missing <sender>"),
        (doc(&HEAD.replace(">x<", "> <")), "alert <identifier>: it is empty"),
        (doc(&HEAD.replace("Actual", "Real")), status),
        (doc(&HEAD.replace("+01:00", "")), sent),
        (doc(&format!("{HEAD}<scope>Public</scope>")), "alert: <scope> appears more than once"),
        (doc(&format!("{HEAD}<references>a,b</references>")), "<references>: \"a,b\" should be \"sender,identifier,"),
        (info_doc("").replace("</info>", second_info), "info 2 is missing <event>"),
        (info_doc("").replace("<category>Met</category>", ""), "info 1 is missing <category>"),
        (info_doc("").replace("Past", "Soon"), urgency),
        (info_doc("<onset>tomorrow</onset>"), "info 1 <onset>: \"tomorrow\" is not a CAP date-time"),
        (area("<polygon>50,19 50,20</polygon>"), "info 1, area 1 is missing <areaDesc>"),
        (area(open), "info 1, area 1: polygon 1 is not closed: its last point must equal its first"),
        (
            area("<areaDesc>a</areaDesc><circle>0,0 1</circle><circle>0,0 -2</circle>"),
            "area 1: circle 2 has a negative",
        ),
        (area("<areaDesc>a</areaDesc><polygon>50;19</polygon>"), "info 1, area 1, polygon 1: cannot read the polygon"),
        (area("<areaDesc>a</areaDesc><geocode><value>1</value></geocode>"), "area 1, geocode 1 is missing <valueName>"),
    ]);
}

#[test]
fn unknown_and_foreign_elements_are_skipped() {
    let a = parse(&info_doc(
        "<audience>all</audience><parameter><valueName>p</valueName><value>v</value></parameter>\
         <area><areaDesc>a</areaDesc><altitude>100</altitude><x:polygon xmlns:x=\"urn:other\">junk</x:polygon></area>",
    ))
    .unwrap();
    assert_eq!(a.infos[0].areas[0].polygons, vec![]);
}

#[test]
fn enums_parse_exact_tokens_only() {
    for c in Category::ALL {
        assert_eq!(c.as_str().parse::<Category>(), Ok(c));
    }
    assert_eq!(ResponseType::AllClear.to_string(), "AllClear");
    assert_eq!("None".parse::<ResponseType>(), Ok(ResponseType::None));
    assert_eq!(Category::ALL.len(), 12);
    assert!("actual".parse::<Status>().is_err());
    assert!("cbrne".parse::<Category>().unwrap_err().contains("allowed: Geo, Met,"));
    assert_eq!(serde_json::to_string(&Category::CBRNE).unwrap(), "\"CBRNE\"");
}
