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
        V::Num(x.to_string())
    }
    pub fn opt(s: Option<String>) -> V {
        s.map(V::Text).unwrap_or(V::Null)
    }

    fn json(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            V::Text(s) => Value::String(s.clone()),
            V::Num(n) => serde_json::from_str(n).unwrap_or(Value::Null),
            V::Bool(b) => Value::Bool(*b),
            V::Null => Value::Null,
            V::List(_, items) => Value::Array(items.iter().map(V::json).collect()),
            V::Obj(fields) => Value::Object(fields.iter().map(|(k, v)| (k.to_string(), v.json())).collect()),
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
        Format::Json => value.json().to_string(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_is_an_array_in_json_and_named_children_in_xml() {
        let v = V::List(
            "request",
            vec![V::Obj(vec![("service_request_id", V::int(7)), ("account_id", V::Null), ("n", V::text("a<b"))])],
        );
        assert_eq!(v.json(), serde_json::json!([{"service_request_id": 7, "account_id": null, "n": "a<b"}]));
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
