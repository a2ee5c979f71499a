//! The service form of the catalogue page: reading its fields into a draft, and the rows it shows again.
//!
//! Questions and district routes are numbered rows (`attr-0-code`, `attr-0-type`, `attr-0-required`,
//! `attr-0-label_pl`…, `route-0-district`, `route-0-unit`), each with a "remove" box (`attr-0-remove`); the form
//! always ends with one empty row of each, which adds one when filled in. So adding and removing work without
//! scripts; an empty row is ignored. A field's id is its name, so an error's link leads to it.

use serde::Serialize;

use crate::domain::{
    desk::{AttributeKind, Catalogue, Texts},
    desk_edit::{AttributeDraft, RouteDraft, ServiceDraft},
    district::District,
};

fn value<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("")
}

fn texts(fields: &[(String, String)], prefix: &str) -> Texts {
    Texts {
        pl: value(fields, &format!("{prefix}_pl")).into(),
        en: value(fields, &format!("{prefix}_en")).into(),
        uk: value(fields, &format!("{prefix}_uk")).into(),
    }
}

/// The row numbers sent for `attr-` or `route-`, in order (only those present: a forged large number costs nothing).
fn rows(fields: &[(String, String)], prefix: &str) -> Vec<String> {
    let mut out: Vec<(u32, String)> = fields
        .iter()
        .filter_map(|(k, _)| {
            let n = k.strip_prefix(prefix)?.split('-').next()?;
            Some((n.parse().ok()?, n.to_string()))
        })
        .collect();
    out.sort();
    out.dedup();
    out.into_iter().map(|(_, n)| n).collect()
}

/// The draft a submitted form describes: rows marked "remove" and empty rows left out.
pub fn draft(fields: &[(String, String)]) -> ServiceDraft {
    let attributes = rows(fields, "attr-")
        .into_iter()
        .filter(|n| value(fields, &format!("attr-{n}-remove")).is_empty())
        .map(|n| AttributeDraft {
            code: value(fields, &format!("attr-{n}-code")).into(),
            kind: value(fields, &format!("attr-{n}-type")).into(),
            required: !value(fields, &format!("attr-{n}-required")).is_empty(),
            label: texts(fields, &format!("attr-{n}-label")),
        })
        .filter(|a| !(a.code.trim().is_empty() && a.label == Texts::default()))
        .collect();
    let routes = rows(fields, "route-")
        .into_iter()
        .filter(|n| value(fields, &format!("route-{n}-remove")).is_empty())
        .map(|n| RouteDraft {
            district: value(fields, &format!("route-{n}-district")).into(),
            unit: value(fields, &format!("route-{n}-unit")).into(),
        })
        .filter(|r| !(r.district.trim().is_empty() && r.unit.trim().is_empty()))
        .collect();
    ServiceDraft {
        code: value(fields, "code").into(),
        name: texts(fields, "name"),
        hint: texts(fields, "hint"),
        keywords: texts(fields, "keywords"),
        unit: value(fields, "unit").into(),
        target_days: value(fields, "target_days").into(),
        attributes,
        routes,
    }
}

/// One option of a select.
#[derive(Serialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// The three languages' texts of one kind, for the form.
#[derive(Serialize)]
pub struct LangTexts {
    pub lang: &'static str,
    pub name: String,
    pub hint: String,
    pub keywords: String,
}

#[derive(Serialize)]
pub struct AttributeRow {
    pub n: usize,
    /// `n + 1`, as people count.
    pub number: usize,
    pub code: String,
    pub types: Vec<Choice>,
    pub required: bool,
    pub labels: Vec<(&'static str, String)>,
    /// The empty row that adds a question.
    pub new: bool,
}

#[derive(Serialize)]
pub struct RouteRow {
    pub n: usize,
    pub number: usize,
    pub districts: Vec<Choice>,
    pub units: Vec<Choice>,
    pub new: bool,
}

const LANGS: [&str; 3] = ["pl", "en", "uk"];

pub fn lang_texts(d: &ServiceDraft) -> Vec<LangTexts> {
    LANGS
        .into_iter()
        .map(|l| LangTexts {
            lang: l,
            name: d.name.get(l).into(),
            hint: d.hint.get(l).into(),
            keywords: d.keywords.get(l).into(),
        })
        .collect()
}

pub fn unit_choices(c: &Catalogue, chosen: &str, lang: &str) -> Vec<Choice> {
    c.units
        .iter()
        .map(|u| Choice { value: u.code.clone(), label: u.name.get(lang).into(), selected: u.code == chosen })
        .collect()
}

/// The draft's questions, then one empty row.
pub fn attribute_rows(d: &ServiceDraft) -> Vec<AttributeRow> {
    let empty = AttributeDraft { kind: AttributeKind::Boolean.as_str().into(), ..Default::default() };
    d.attributes
        .iter()
        .chain(std::iter::once(&empty))
        .enumerate()
        .map(|(n, a)| AttributeRow {
            n,
            number: n + 1,
            code: a.code.clone(),
            types: [AttributeKind::Boolean, AttributeKind::String, AttributeKind::Number]
                .into_iter()
                .map(|k| Choice {
                    value: k.as_str().into(),
                    label: format!("desk-catalogue-type-{}", k.as_str()),
                    selected: a.kind == k.as_str(),
                })
                .collect(),
            required: a.required,
            labels: LANGS.into_iter().map(|l| (l, a.label.get(l).to_string())).collect(),
            new: n == d.attributes.len(),
        })
        .collect()
}

/// The draft's routes, then one empty row; districts named by number and name.
pub fn route_rows(d: &ServiceDraft, c: &Catalogue, districts: &[District], lang: &str) -> Vec<RouteRow> {
    let empty = RouteDraft::default();
    d.routes
        .iter()
        .chain(std::iter::once(&empty))
        .enumerate()
        .map(|(n, r)| {
            let mut districts: Vec<Choice> = districts
                .iter()
                .map(|x| Choice {
                    value: x.number.to_string(),
                    label: format!("{} {}", x.roman, x.name),
                    selected: x.number.to_string() == r.district.trim(),
                })
                .collect();
            let mut units = unit_choices(c, r.unit.trim(), lang);
            for list in [&mut districts, &mut units] {
                list.insert(0, Choice { value: String::new(), label: "—".into(), selected: false });
            }
            RouteRow { n, number: n + 1, districts, units, new: n == d.routes.len() }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn removed_and_empty_rows_are_left_out_and_rows_keep_their_order() {
        let d = draft(&f(&[
            ("name_pl", "Ławka"),
            ("attr-10-code", "tenth"),
            ("attr-2-code", "second"),
            ("attr-2-required", "true"),
            ("attr-3-code", "gone"),
            ("attr-3-remove", "true"),
            ("attr-4-code", ""),
            ("attr-4-type", "boolean"),
            ("route-0-district", "3"),
            ("route-0-unit", "ZDMK"),
            ("route-1-district", ""),
            ("route-1-unit", ""),
            ("attr-99999999999999999999-code", "ignored"),
        ]));
        assert_eq!(d.name.pl, "Ławka");
        let codes: Vec<&str> = d.attributes.iter().map(|a| a.code.as_str()).collect();
        assert_eq!(codes, ["second", "tenth"]);
        assert!(d.attributes[0].required && !d.attributes[1].required);
        assert_eq!(d.routes, [RouteDraft { district: "3".into(), unit: "ZDMK".into() }]);
    }
}
