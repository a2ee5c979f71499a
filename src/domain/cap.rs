//! OASIS CAP 1.2 (Common Alerting Protocol) alert messages: writing them and reading them.
//!
//! Reading accepts any schema-valid CAP 1.2 document, skipping the parts this model leaves out (restriction,
//! addresses, code, incidents, audience, eventCode, parameter, resource, altitude, ceiling, signatures). It
//! refuses documents over [`MAX_CAP_BYTES`], malformed XML and any DOCTYPE (so no entity tricks), and names
//! what is wrong in a sentence a person can act on.

use std::{fmt, io, str::FromStr};

use chrono::{DateTime, FixedOffset};
use quick_xml::{
    NsReader, Writer,
    escape::{partial_escape, resolve_predefined_entity},
    events::{BytesDecl, BytesText, Event},
    name::ResolveResult,
};
use serde::{Deserialize, Serialize};

use super::geo::{self, GeoError};

pub const CAP_NAMESPACE: &str = "urn:oasis:names:tc:emergency:cap:1.2";
const CAP_11_NAMESPACE: &str = "urn:oasis:names:tc:emergency:cap:1.1";
/// The largest document [`parse`] reads.
pub const MAX_CAP_BYTES: usize = 1_048_576;
/// CAP nests four deep; anything much deeper is not a CAP document.
const MAX_DEPTH: usize = 32;

macro_rules! cap_enum {
    ($(#[$doc:meta])* $name:ident, $what:literal, [$($variant:ident),+ $(,)?]) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $($variant),+
        }

        impl $name {
            pub const ALL: [Self; [$(stringify!($variant)),+].len()] = [$(Self::$variant),+];

            /// The exact CAP token.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => stringify!($variant)),+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = String;

            /// Exact (case-sensitive) CAP tokens only.
            fn from_str(s: &str) -> Result<Self, String> {
                Self::ALL.into_iter().find(|v| v.as_str() == s).ok_or_else(|| {
                    format!("\"{s}\" is not a CAP {}; allowed: {}", $what, Self::ALL.map(Self::as_str).join(", "))
                })
            }
        }
    };
}

cap_enum!(Status, "status", [Actual, Exercise, System, Test, Draft]);
cap_enum!(MsgType, "msgType", [Alert, Update, Cancel, Ack, Error]);
cap_enum!(Scope, "scope", [Public, Restricted, Private]);
cap_enum!(
    Category,
    "category",
    [Geo, Met, Safety, Security, Rescue, Fire, Health, Env, Transport, Infra, CBRNE, Other]
);
cap_enum!(ResponseType, "responseType", [Shelter, Evacuate, Prepare, Execute, Avoid, Monitor, Assess, AllClear, None]);
cap_enum!(Urgency, "urgency", [Immediate, Expected, Future, Past, Unknown]);
cap_enum!(Severity, "severity", [Extreme, Severe, Moderate, Minor, Unknown]);
cap_enum!(Certainty, "certainty", [Observed, Likely, Possible, Unlikely, Unknown]);

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    pub identifier: String,
    pub sender: String,
    pub sent: DateTime<FixedOffset>,
    pub status: Status,
    pub msg_type: MsgType,
    pub scope: Scope,
    pub source: Option<String>,
    pub note: Option<String>,
    pub references: Vec<Reference>,
    pub infos: Vec<Info>,
}

/// An earlier message this one refers to; CAP writes it as "sender,identifier,sent".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    pub sender: String,
    pub identifier: String,
    pub sent: DateTime<FixedOffset>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Info {
    /// RFC 3066 language, e.g. "pl-PL". CAP's default when the element is absent is "en-US".
    pub language: String,
    pub categories: Vec<Category>,
    pub event: String,
    pub response_types: Vec<ResponseType>,
    pub urgency: Urgency,
    pub severity: Severity,
    pub certainty: Certainty,
    pub sender_name: Option<String>,
    pub effective: Option<DateTime<FixedOffset>>,
    pub onset: Option<DateTime<FixedOffset>>,
    pub expires: Option<DateTime<FixedOffset>>,
    pub headline: Option<String>,
    pub description: Option<String>,
    pub instruction: Option<String>,
    pub web: Option<String>,
    pub contact: Option<String>,
    pub areas: Vec<Area>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Area {
    pub desc: String,
    pub polygons: Vec<geo::Polygon>,
    pub circles: Vec<geo::Circle>,
    pub geocodes: Vec<Geocode>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Geocode {
    pub value_name: String,
    pub value: String,
}

/// Why a CAP document was refused. `at` names the place: "alert", "info 2", "info 1, area 3".
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum CapError {
    #[error("the CAP document is {} MB; the limit is 1 MB", (*.bytes as f64 / 104_857.6).ceil() / 10.0)]
    TooLarge { bytes: usize },
    #[error("the CAP document is not well-formed XML (at byte {position}): {message}")]
    Xml { position: u64, message: String },
    #[error("the CAP document declares a DOCTYPE; CAP documents may not, so it is refused")]
    Doctype,
    #[error("not a CAP 1.2 document: {0}")]
    NotCap12(String),
    #[error("{at} is missing <{element}>")]
    Missing { at: String, element: &'static str },
    #[error("{at}: {message}")]
    Invalid { at: String, message: String },
}

/// CAP's date-time form: seconds, no fraction, numeric offset ("+00:00" for UTC).
fn format_datetime(t: &DateTime<FixedOffset>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

fn parse_datetime(s: &str) -> Result<DateTime<FixedOffset>, String> {
    DateTime::parse_from_rfc3339(s)
        .map_err(|_| format!("\"{s}\" is not a CAP date-time like 2026-12-01T12:00:00+01:00"))
}

impl Reference {
    fn to_cap(&self) -> String {
        format!("{},{},{}", self.sender, self.identifier, format_datetime(&self.sent))
    }

    fn parse_list(text: &str) -> Result<Vec<Reference>, String> {
        text.split_whitespace()
            .map(|item| match item.split(',').collect::<Vec<_>>()[..] {
                [sender, identifier, sent] if !sender.is_empty() && !identifier.is_empty() => Ok(Reference {
                    sender: sender.to_string(),
                    identifier: identifier.to_string(),
                    sent: parse_datetime(sent)?,
                }),
                _ => Err(format!("\"{item}\" should be \"sender,identifier,sent\"")),
            })
            .collect()
    }
}

impl Alert {
    /// The alert as a CAP 1.2 document (UTF-8, with an XML declaration), elements in schema order.
    /// It does not check the alert: an info without a category, for one, gives a schema-invalid document.
    pub fn to_xml(&self) -> String {
        let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
        self.write(&mut w).expect("writing XML into memory cannot fail");
        let mut xml = String::from_utf8(w.into_inner()).expect("quick-xml writes the UTF-8 it is given");
        xml.push('\n');
        xml
    }

    fn write(&self, w: &mut Writer<Vec<u8>>) -> io::Result<()> {
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        w.create_element("alert").with_attribute(("xmlns", CAP_NAMESPACE)).write_inner_content(|w| {
            text(w, "identifier", &self.identifier)?;
            text(w, "sender", &self.sender)?;
            text(w, "sent", &format_datetime(&self.sent))?;
            text(w, "status", self.status.as_str())?;
            text(w, "msgType", self.msg_type.as_str())?;
            opt_text(w, "source", &self.source)?;
            text(w, "scope", self.scope.as_str())?;
            opt_text(w, "note", &self.note)?;
            if !self.references.is_empty() {
                let refs: Vec<String> = self.references.iter().map(Reference::to_cap).collect();
                text(w, "references", &refs.join(" "))?;
            }
            self.infos.iter().try_for_each(|info| info.write(w))
        })?;
        Ok(())
    }
}

impl Info {
    fn write(&self, w: &mut Writer<Vec<u8>>) -> io::Result<()> {
        w.create_element("info").write_inner_content(|w| {
            text(w, "language", &self.language)?;
            self.categories.iter().try_for_each(|c| text(w, "category", c.as_str()))?;
            text(w, "event", &self.event)?;
            self.response_types.iter().try_for_each(|r| text(w, "responseType", r.as_str()))?;
            text(w, "urgency", self.urgency.as_str())?;
            text(w, "severity", self.severity.as_str())?;
            text(w, "certainty", self.certainty.as_str())?;
            for (name, time) in [("effective", &self.effective), ("onset", &self.onset), ("expires", &self.expires)] {
                opt_text(w, name, &time.as_ref().map(format_datetime))?;
            }
            opt_text(w, "senderName", &self.sender_name)?;
            opt_text(w, "headline", &self.headline)?;
            opt_text(w, "description", &self.description)?;
            opt_text(w, "instruction", &self.instruction)?;
            opt_text(w, "web", &self.web)?;
            opt_text(w, "contact", &self.contact)?;
            self.areas.iter().try_for_each(|area| area.write(w))
        })?;
        Ok(())
    }
}

impl Area {
    fn write(&self, w: &mut Writer<Vec<u8>>) -> io::Result<()> {
        w.create_element("area").write_inner_content(|w| {
            text(w, "areaDesc", &self.desc)?;
            self.polygons.iter().try_for_each(|p| text(w, "polygon", &p.to_cap()))?;
            self.circles.iter().try_for_each(|c| text(w, "circle", &c.to_cap()))?;
            for g in &self.geocodes {
                w.create_element("geocode").write_inner_content(|w| {
                    text(w, "valueName", &g.value_name)?;
                    text(w, "value", &g.value)
                })?;
            }
            Ok(())
        })?;
        Ok(())
    }
}

/// Escapes `&`, `<` and `>`, and writes carriage returns as references so that reading keeps them.
fn text(w: &mut Writer<Vec<u8>>, name: &str, value: &str) -> io::Result<()> {
    let escaped = partial_escape(value);
    let escaped = if escaped.contains('\r') { escaped.replace('\r', "&#13;").into() } else { escaped };
    w.create_element(name).write_text_content(BytesText::from_escaped(escaped))?;
    Ok(())
}

fn opt_text(w: &mut Writer<Vec<u8>>, name: &str, value: &Option<String>) -> io::Result<()> {
    value.as_deref().map_or(Ok(()), |v| text(w, name, v))
}

/// Reads a CAP 1.2 document. See the module documentation for what is accepted and refused.
pub fn parse(xml: &str) -> Result<Alert, CapError> {
    if xml.len() > MAX_CAP_BYTES {
        return Err(CapError::TooLarge { bytes: xml.len() });
    }
    let root = read_tree(xml.strip_prefix('\u{feff}').unwrap_or(xml))?;
    match (root.ns.as_deref(), root.name.as_str()) {
        (Some(CAP_NAMESPACE), "alert") => read_alert(&root),
        (Some(CAP_11_NAMESPACE), _) => Err(CapError::NotCap12(format!(
            "root element is {{{CAP_11_NAMESPACE}}}{}, which is CAP 1.1; only CAP 1.2 is read",
            root.name
        ))),
        (Some(ns), name) => Err(CapError::NotCap12(format!("root element is {{{ns}}}{name}"))),
        (None, name) => Err(CapError::NotCap12(format!("root element is {name}, in no namespace"))),
    }
}

/// An element: its namespace, local name, its own text, and its child elements.
#[derive(Debug, Default)]
struct Node {
    ns: Option<String>,
    name: String,
    text: String,
    children: Vec<Node>,
}

fn read_tree(xml: &str) -> Result<Node, CapError> {
    let mut reader = NsReader::from_str(xml);
    let mut stack: Vec<Node> = Vec::new();
    let mut root: Option<Node> = None;
    loop {
        let position = reader.buffer_position();
        let bad = |message: String| CapError::Xml { position, message };
        let (ns, event) = match reader.read_resolved_event() {
            Ok((ResolveResult::Unknown(prefix), _)) => {
                return Err(bad(format!(
                    "the namespace prefix \"{}\" is not declared",
                    String::from_utf8_lossy(&prefix)
                )));
            }
            Ok((ResolveResult::Bound(ns), event)) => (Some(String::from_utf8_lossy(ns.as_ref()).into_owned()), event),
            Ok((ResolveResult::Unbound, event)) => (None, event),
            Err(e) => return Err(CapError::Xml { position: reader.error_position(), message: e.to_string() }),
        };
        let decoded =
            |r: Result<std::borrow::Cow<'_, str>, _>| r.map(|s| s.into_owned()).map_err(|e| bad(format!("{e}")));
        let text = match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                if root.is_some() {
                    return Err(bad("there is an element after the root element".into()));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(bad(format!("elements are nested more than {MAX_DEPTH} deep")));
                }
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                stack.push(Node { ns, name, ..Node::default() });
                if matches!(event, Event::Start(_)) {
                    continue;
                }
                None
            }
            Event::End(_) => None,
            Event::Text(e) => Some(decoded(e.xml10_content())?),
            Event::CData(e) => Some(decoded(e.xml10_content())?),
            Event::GeneralRef(e) => match e.resolve_char_ref() {
                Ok(Some(c)) => Some(c.to_string()),
                Ok(None) => {
                    let name = decoded(e.decode())?;
                    let value =
                        resolve_predefined_entity(&name).ok_or_else(|| bad(format!("unknown entity &{name};")))?;
                    Some(value.to_string())
                }
                Err(e) => return Err(bad(e.to_string())),
            },
            Event::DocType(_) => return Err(CapError::Doctype),
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => continue,
            Event::Eof => {
                return match (stack.last(), root) {
                    (Some(open), _) => Err(bad(format!("the document ends before <{}> is closed", open.name))),
                    (None, None) => Err(bad("the document has no root element".into())),
                    (None, Some(root)) => Ok(root),
                };
            }
        };
        match (text, stack.last_mut()) {
            (Some(t), Some(top)) => top.text.push_str(&t),
            (Some(t), None) if t.trim().is_empty() => {}
            (Some(_), None) => return Err(bad("there is text outside the root element".into())),
            (None, _) => {
                // The element ends (an End event, or an Empty one just pushed).
                let node = stack.pop().ok_or_else(|| bad("an end tag closes nothing".into()))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => root = Some(node),
                }
            }
        }
    }
}

/// A CAP element being read, with the place name used in errors.
struct Ctx<'a> {
    node: &'a Node,
    at: String,
}

impl<'a> Ctx<'a> {
    /// Children in the CAP namespace (or in none, which sloppy producers use); others are skipped.
    fn all(&self, name: &'static str) -> impl Iterator<Item = &'a Node> + use<'a> {
        self.node
            .children
            .iter()
            .filter(move |c| c.name == name && matches!(c.ns.as_deref(), None | Some(CAP_NAMESPACE)))
    }

    fn invalid(&self, name: &str, message: impl fmt::Display) -> CapError {
        CapError::Invalid { at: format!("{} <{name}>", self.at), message: message.to_string() }
    }

    fn opt(&self, name: &'static str) -> Result<Option<&'a Node>, CapError> {
        let mut found = self.all(name);
        let first = found.next();
        match found.next() {
            Some(_) => {
                Err(CapError::Invalid { at: self.at.clone(), message: format!("<{name}> appears more than once") })
            }
            None => Ok(first),
        }
    }

    fn req(&self, name: &'static str) -> Result<&'a Node, CapError> {
        self.opt(name)?.ok_or_else(|| CapError::Missing { at: self.at.clone(), element: name })
    }

    fn req_text(&self, name: &'static str) -> Result<String, CapError> {
        Ok(self.req(name)?.text.clone())
    }

    fn opt_text(&self, name: &'static str) -> Result<Option<String>, CapError> {
        Ok(self.opt(name)?.map(|n| n.text.clone()))
    }

    /// Text that may not be blank, with surrounding whitespace removed.
    fn req_token(&self, name: &'static str) -> Result<String, CapError> {
        match self.req(name)?.text.trim() {
            "" => Err(self.invalid(name, "it is empty")),
            t => Ok(t.to_string()),
        }
    }

    fn parsed<T: FromStr<Err = String>>(&self, node: &Node) -> Result<T, CapError> {
        node.text.trim().parse().map_err(|e| self.invalid(&node.name, e))
    }

    fn req_parsed<T: FromStr<Err = String>>(&self, name: &'static str) -> Result<T, CapError> {
        self.parsed(self.req(name)?)
    }

    fn all_parsed<T: FromStr<Err = String>>(&self, name: &'static str) -> Result<Vec<T>, CapError> {
        self.all(name).map(|n| self.parsed(n)).collect()
    }

    fn opt_datetime(&self, name: &'static str) -> Result<Option<DateTime<FixedOffset>>, CapError> {
        self.opt(name)?.map(|n| parse_datetime(n.text.trim()).map_err(|e| self.invalid(name, e))).transpose()
    }
}

fn read_alert(node: &Node) -> Result<Alert, CapError> {
    let c = Ctx { node, at: "alert".into() };
    let references = match c.opt("references")? {
        Some(r) => Reference::parse_list(&r.text).map_err(|e| c.invalid("references", e))?,
        None => Vec::new(),
    };
    Ok(Alert {
        identifier: c.req_token("identifier")?,
        sender: c.req_token("sender")?,
        sent: c.opt_datetime("sent")?.ok_or_else(|| CapError::Missing { at: "alert".into(), element: "sent" })?,
        status: c.req_parsed("status")?,
        msg_type: c.req_parsed("msgType")?,
        scope: c.req_parsed("scope")?,
        source: c.opt_text("source")?,
        note: c.opt_text("note")?,
        references,
        infos: c.all("info").enumerate().map(|(i, n)| read_info(n, i + 1)).collect::<Result<_, _>>()?,
    })
}

fn read_info(node: &Node, index: usize) -> Result<Info, CapError> {
    let c = Ctx { node, at: format!("info {index}") };
    let categories = c.all_parsed("category")?;
    if categories.is_empty() {
        return Err(CapError::Missing { at: c.at, element: "category" });
    }
    Ok(Info {
        language: c.opt("language")?.map_or("en-US", |n| n.text.trim()).to_string(),
        categories,
        event: c.req_text("event")?,
        response_types: c.all_parsed("responseType")?,
        urgency: c.req_parsed("urgency")?,
        severity: c.req_parsed("severity")?,
        certainty: c.req_parsed("certainty")?,
        sender_name: c.opt_text("senderName")?,
        effective: c.opt_datetime("effective")?,
        onset: c.opt_datetime("onset")?,
        expires: c.opt_datetime("expires")?,
        headline: c.opt_text("headline")?,
        description: c.opt_text("description")?,
        instruction: c.opt_text("instruction")?,
        web: c.opt("web")?.map(|n| n.text.trim().to_string()),
        contact: c.opt_text("contact")?,
        areas: c
            .all("area")
            .enumerate()
            .map(|(i, n)| read_area(n, &format!("{}, area {}", c.at, i + 1)))
            .collect::<Result<_, _>>()?,
    })
}

fn read_area(node: &Node, at: &str) -> Result<Area, CapError> {
    let c = Ctx { node, at: at.to_string() };
    let desc = c.req_text("areaDesc")?;
    let geo_error = |e: GeoError, what: &str, index: usize| match e {
        GeoError::Syntax { .. } => CapError::Invalid { at: format!("{at}, {what} {index}"), message: e.to_string() },
        _ => CapError::Invalid { at: at.to_string(), message: e.to_string() },
    };
    let polygons = c
        .all("polygon")
        .enumerate()
        .map(|(i, n)| {
            geo::Polygon::parse_cap(&n.text)
                .and_then(|p| p.validate(i + 1).map(|()| p))
                .map_err(|e| geo_error(e, "polygon", i + 1))
        })
        .collect::<Result<_, _>>()?;
    let circles = c
        .all("circle")
        .enumerate()
        .map(|(i, n)| {
            geo::Circle::parse_cap(&n.text)
                .and_then(|p| p.validate(i + 1).map(|()| p))
                .map_err(|e| geo_error(e, "circle", i + 1))
        })
        .collect::<Result<_, _>>()?;
    let geocodes = c
        .all("geocode")
        .enumerate()
        .map(|(i, n)| {
            let g = Ctx { node: n, at: format!("{at}, geocode {}", i + 1) };
            Ok(Geocode { value_name: g.req_text("valueName")?, value: g.req_text("value")? })
        })
        .collect::<Result<_, CapError>>()?;
    Ok(Area { desc, polygons, circles, geocodes })
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Circle, Point, Polygon};

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
                Reference {
                    sender: "rcb@gov.pl".into(),
                    identifier: "RCB-7".into(),
                    sent: t("2026-12-01T10:00:00-00:00"),
                },
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
                assert!(std::env::var_os("CI").is_none(), "xmllint is required in CI (apt-get install libxml2-utils)");
                eprintln!("skipping the CAP schema check: xmllint is not installed");
            }
            Err(e) => panic!("cannot run xmllint: {e}"),
            Ok(out) => assert!(
                out.status.success(),
                "xmllint rejects {name}:\n{}\n{xml}",
                String::from_utf8_lossy(&out.stderr)
            ),
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
        assert_eq!(a.sent, t("2026-11-30T18:42:00+01:00"));
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
            (
                doc(&format!("{HEAD}<references>a,b</references>")),
                "<references>: \"a,b\" should be \"sender,identifier,",
            ),
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
            (
                area("<areaDesc>a</areaDesc><polygon>50;19</polygon>"),
                "info 1, area 1, polygon 1: cannot read the polygon",
            ),
            (
                area("<areaDesc>a</areaDesc><geocode><value>1</value></geocode>"),
                "area 1, geocode 1 is missing <valueName>",
            ),
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
}
