//! One answer, two formats: Open311 answers are built once as a small tree ([`V`]) and written as JSON or as XML
//! the way GeoReport v2 shows them — a JSON array is an XML element whose children are named after its items
//! (`services` → `<services><service>…</service></services>`), a JSON `null` an empty element.

use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

use crate::stats::chart::escape;

/// The two formats of the specification.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

impl Format {
    /// `requests.json` → (`requests`, Json); anything but `.json` or `.xml` → None.
    pub fn split(file: &str) -> Option<(&str, Format)> {
        let (stem, ext) = file.rsplit_once('.')?;
        let format = match ext {
            "json" => Format::Json,
            "xml" => Format::Xml,
            _ => return None,
        };
        (!stem.is_empty()).then_some((stem, format))
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json; charset=utf-8",
            Format::Xml => "text/xml; charset=utf-8",
        }
    }
}

/// A value of an answer.
#[derive(Clone, Debug)]
pub enum V {
    Text(String),
    /// A number, written as it is.
    Num(String),
    Bool(bool),
    Null,
    /// A list whose items are XML elements with this name.
    List(&'static str, Vec<V>),
    Obj(Vec<(&'static str, V)>),
}

impl V {
    pub fn text(s: impl Into<String>) -> V {
        V::Text(s.into())
    }
    pub fn int(n: i64) -> V {
        V::Num(n.to_string())
    }
    pub fn float(x: f64) -> V {
        if x.is_finite() { V::Num(x.to_string()) } else { V::Null }
    }
    pub fn opt(s: Option<String>) -> V {
        s.map(V::Text).unwrap_or(V::Null)
    }

    /// Writes the value as JSON, fields in their order (no intermediate tree: a list of 1000 requests is
    /// written straight into one string).
    fn json(&self, out: &mut String) {
        match self {
            V::Text(s) => json_string(s, out),
            V::Num(n) => out.push_str(n),
            V::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            V::Null => out.push_str("null"),
            V::List(_, items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.json(out);
                }
                out.push(']');
            }
            V::Obj(fields) => {
                out.push('{');
                for (i, (k, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    json_string(k, out);
                    out.push(':');
                    v.json(out);
                }
                out.push('}');
            }
        }
    }

    fn xml(&self, name: &str, out: &mut String) {
        match self {
            V::Null => {
                out.push('<');
                out.push_str(name);
                out.push_str("/>");
                return;
            }
            _ => {
                out.push('<');
                out.push_str(name);
                out.push('>');
            }
        }
        match self {
            V::Text(s) | V::Num(s) => out.push_str(&escape(s)),
            V::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            V::List(item, items) => items.iter().for_each(|v| v.xml(item, out)),
            V::Obj(fields) => fields.iter().for_each(|(k, v)| v.xml(k, out)),
            V::Null => {}
        }
        out.push_str("</");
        out.push_str(name);
        out.push('>');
    }
}

/// Writes `value` (its XML root element named `root`) in the format asked for.
pub fn respond(status: StatusCode, format: Format, root: &str, value: &V) -> Response {
    let body = match format {
        Format::Json => {
            let mut out = String::with_capacity(4096);
            value.json(&mut out);
            out
        }
        Format::Xml => {
            let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
            value.xml(root, &mut out);
            out
        }
    };
    let mut res = (status, body).into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(format.content_type()));
    res
}

/// A JSON string with its quotes, escaped as JSON requires (control characters, `"` and `\\`).
fn json_string(s: &str, out: &mut String) {
    out.push('"');
    let mut plain = 0;
    // Every character to escape is ASCII, and no byte of a multi-byte UTF-8 character is: scanning bytes is safe.
    for (i, b) in s.bytes().enumerate() {
        let escaped = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..0x20 => "",
            _ => continue,
        };
        out.push_str(&s[plain..i]);
        if escaped.is_empty() {
            out.push_str(&format!("\\u{b:04x}"));
        } else {
            out.push_str(escaped);
        }
        plain = i + 1;
    }
    out.push_str(&s[plain..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_is_an_array_in_json_and_named_children_in_xml() {
        let v = V::List(
            "request",
            vec![V::Obj(vec![("service_request_id", V::int(7)), ("account_id", V::Null), ("n", V::text("a<b"))])],
        );
        let json = |v: &V| {
            let mut out = String::new();
            v.json(&mut out);
            out
        };
        assert_eq!(json(&v), r#"[{"service_request_id":7,"account_id":null,"n":"a<b"}]"#, "fields in their order");
        let tricky = V::Obj(vec![
            ("t", V::text("quote \" back \\ line\n tab\t bell\u{7} zażółć ℃")),
            ("x", V::float(f64::NAN)),
            ("y", V::float(-19.5)),
            ("b", V::Bool(false)),
            ("l", V::List("i", vec![])),
        ]);
        let parsed: serde_json::Value = serde_json::from_str(&json(&tricky)).expect("valid JSON");
        assert_eq!(
            parsed,
            serde_json::json!({"t": "quote \" back \\ line\n tab\t bell\u{7} zażółć ℃", "x": null, "y": -19.5,
                "b": false, "l": []})
        );
        let mut xml = String::new();
        v.xml("service_requests", &mut xml);
        assert_eq!(
            xml,
            "<service_requests><request><service_request_id>7</service_request_id><account_id/><n>a&lt;b</n>\
             </request></service_requests>"
        );
        assert_eq!(Format::split("requests.json"), Some(("requests", Format::Json)));
        assert_eq!(Format::split("12.xml"), Some(("12", Format::Xml)));
        assert_eq!(Format::split("none.csv"), None);
        assert_eq!(Format::split(".json"), None);
    }
}
