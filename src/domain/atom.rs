//! Reading an upstream warning feed: an Atom feed (RFC 4287) whose entries link to CAP 1.2 documents — the way
//! public warning services publish (the OASIS "CAP feed" convention; hejnał's own `/alerts/feed.atom` does it too).

use quick_xml::{
    events::{BytesStart, Event},
    name::ResolveResult,
    reader::NsReader,
};

pub const ATOM_NAMESPACE: &str = "http://www.w3.org/2005/Atom";

/// What a fetched document is.
#[derive(Debug, PartialEq, Eq)]
pub enum FeedDocument {
    /// An Atom feed: the CAP documents its entries link to, absolute, in feed order.
    Atom(Vec<String>),
    /// A CAP document itself (a source that serves its current warning at one address).
    Cap,
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name.as_bytes())
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

/// The entry's CAP link: a `link` (or `content`) typed `application/cap+xml`, else an alternate link to an `.xml`.
fn cap_link(links: &[(Option<String>, Option<String>, String)]) -> Option<&str> {
    let typed = links.iter().find(|(_, ty, _)| ty.as_deref().is_some_and(|t| t.contains("cap+xml")));
    let alternate = || {
        links.iter().find(|(rel, _, href)| {
            rel.as_deref().is_none_or(|r| r == "alternate") && href.to_ascii_lowercase().ends_with(".xml")
        })
    };
    typed.or_else(alternate).map(|(_, _, href)| href.as_str())
}

/// Reads a fetched document: an Atom feed's CAP links (relative ones resolved against `base`), or a CAP document.
pub fn read(xml: &str, base: &url::Url) -> Result<FeedDocument, String> {
    let mut reader = NsReader::from_str(xml.strip_prefix('\u{feff}').unwrap_or(xml));
    let mut depth = 0usize;
    let mut in_entry = false;
    let mut links: Vec<(Option<String>, Option<String>, String)> = Vec::new();
    let mut out = Vec::new();
    loop {
        let (ns, event) = reader.read_resolved_event().map_err(|e| format!("the feed is not well-formed XML: {e}"))?;
        let atom = matches!(ns, ResolveResult::Bound(ref n) if n.as_ref() == ATOM_NAMESPACE.as_bytes());
        match event {
            Event::DocType(_) => return Err("the feed has a DOCTYPE, which is refused".into()),
            Event::Start(ref e) | Event::Empty(ref e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if depth == 0 {
                    match (atom, name.as_str()) {
                        (true, "feed") => {}
                        (false, "alert") => return Ok(FeedDocument::Cap),
                        _ => return Err(format!("the document is neither an Atom feed nor a CAP alert (root {name})")),
                    }
                }
                if atom && depth == 1 && name == "entry" {
                    in_entry = true;
                    links.clear();
                }
                if atom && in_entry && depth == 2 && (name == "link" || name == "content") {
                    let href = if name == "link" { attr(e, "href") } else { attr(e, "src") };
                    if let Some(href) = href {
                        links.push((attr(e, "rel"), attr(e, "type"), href));
                    }
                }
                if matches!(event, Event::Start(_)) {
                    depth += 1;
                }
            }
            Event::End(ref e) => {
                depth = depth.saturating_sub(1);
                if atom && depth == 1 && e.local_name().as_ref() == b"entry" {
                    in_entry = false;
                    if let Some(href) = cap_link(&links) {
                        let absolute = base.join(href).map_err(|e| format!("entry link \"{href}\": {e}"))?;
                        if matches!(absolute.scheme(), "http" | "https") {
                            out.push(absolute.to_string());
                        }
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(FeedDocument::Atom(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> url::Url {
        url::Url::parse("https://warnings.example.org/feeds/krakow.atom").unwrap()
    }

    #[test]
    fn entries_give_their_cap_links_in_order() {
        let xml = r#"<?xml version="1.0"?>
            <feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>
              <link rel="self" href="https://warnings.example.org/feeds/krakow.atom"/>
              <entry><id>1</id><link rel="alternate" type="text/html" href="/a/1"/>
                     <link rel="alternate" type="application/cap+xml" href="/cap/1.xml"/></entry>
              <entry><id>2</id><link href="https://other.example.org/2.xml"/></entry>
              <entry><id>3</id><content type="application/cap+xml" src="3.cap"/></entry>
              <entry><id>4</id><link rel="alternate" type="text/html" href="/a/4"/></entry>
              <entry><id>5</id><link type="application/cap+xml" href="file:///etc/passwd"/></entry>
            </feed>"#;
        assert_eq!(
            read(xml, &base()).unwrap(),
            FeedDocument::Atom(vec![
                "https://warnings.example.org/cap/1.xml".into(),
                "https://other.example.org/2.xml".into(),
                "https://warnings.example.org/feeds/3.cap".into(),
            ])
        );
    }

    #[test]
    fn a_cap_document_is_recognised_and_anything_else_refused() {
        let cap = r#"<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>x</identifier></alert>"#;
        assert_eq!(read(cap, &base()).unwrap(), FeedDocument::Cap);
        assert!(read("<rss version=\"2.0\"/>", &base()).unwrap_err().contains("neither an Atom feed"));
        assert!(
            read("<feed xmlns=\"http://www.w3.org/2005/Atom\">", &base())
                .is_ok_and(|d| d == FeedDocument::Atom(vec![]))
        );
        assert!(read("<!DOCTYPE feed><feed/>", &base()).unwrap_err().contains("DOCTYPE"));
        assert!(read("<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry></feed>", &base()).is_err());
    }
}
