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
#[path = "cap_tests.rs"]
mod tests;
