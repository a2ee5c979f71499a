//! Checking a service as an admin writes it on the catalogue page: names in the three languages, the responsible
//! unit, target working days, the extra questions and the district routes. Every problem is named by its field (the
//! form's field names: `name_pl`, `attr-0-code`, `route-1-unit`, …) and nothing is kept unless all is right.

use super::{
    alert::Issue,
    desk::{Attribute, AttributeKind, Catalogue, DistrictRoute, Service, Texts},
};

/// The shortest and longest time a service may promise, in working days.
pub const TARGET_DAYS: std::ops::RangeInclusive<i64> = 1..=365;
pub const MAX_NAME_CHARS: usize = 200;
pub const MAX_TEXT_CHARS: usize = 1000;
pub const MAX_CODE_CHARS: usize = 40;
pub const MAX_ATTRIBUTES: usize = 20;

/// An extra question as written on the form.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AttributeDraft {
    pub code: String,
    pub kind: String,
    pub required: bool,
    pub label: Texts,
}

/// A district route as written on the form.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RouteDraft {
    pub district: String,
    pub unit: String,
}

/// A service as written on the form (every value raw).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServiceDraft {
    pub code: String,
    pub name: Texts,
    pub hint: Texts,
    pub keywords: Texts,
    pub unit: String,
    pub target_days: String,
    pub attributes: Vec<AttributeDraft>,
    pub routes: Vec<RouteDraft>,
}

impl ServiceDraft {
    /// A stored service as a draft (the form filled in).
    pub fn of(s: &Service) -> Self {
        ServiceDraft {
            code: s.code.clone(),
            name: s.name.clone(),
            hint: s.hint.clone(),
            keywords: s.keywords.clone(),
            unit: s.unit.clone(),
            target_days: s.target_days.to_string(),
            attributes: s
                .attributes
                .iter()
                .map(|a| AttributeDraft {
                    code: a.code.clone(),
                    kind: a.kind.as_str().into(),
                    required: a.required,
                    label: a.label.clone(),
                })
                .collect(),
            routes: s
                .routes
                .iter()
                .map(|r| RouteDraft { district: r.district.to_string(), unit: r.unit.clone() })
                .collect(),
        }
    }
}

/// A service code: capital letters, digits and hyphens, starting with a letter (`TREE-FALLEN`); Open311 shows it.
pub fn valid_service_code(code: &str) -> bool {
    let mut chars = code.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && code.len() <= MAX_CODE_CHARS
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
}

/// A question's code: small letters, digits and underscores, starting with a letter (`road_blocked`); it is the
/// API's `attribute[code]`.
pub fn valid_attribute_code(code: &str) -> bool {
    let mut chars = code.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && code.len() <= MAX_CODE_CHARS
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn texts(out: &mut Vec<Issue>, prefix: &str, t: &Texts, required: bool, max: usize) -> Texts {
    let trimmed = Texts { pl: t.pl.trim().into(), en: t.en.trim().into(), uk: t.uk.trim().into() };
    for lang in ["pl", "en", "uk"] {
        let text = trimmed.get(lang);
        let field = format!("{prefix}_{lang}");
        if required && text.is_empty() {
            out.push(Issue::new(field, "desk-catalogue-error-text-missing").with("lang", lang));
        } else if text.chars().count() > max {
            out.push(Issue::new(field, "desk-catalogue-error-text-long").with("max", max));
        }
    }
    trimmed
}

/// Checks a draft against the catalogue and the districts; `adding` when the code is new (else the code is the
/// stored service's and stays). Returns the service to store (active; questions in the order given).
pub fn check_service(
    d: &ServiceDraft,
    catalogue: &Catalogue,
    districts: &[i64],
    adding: bool,
) -> Result<Service, Vec<Issue>> {
    let mut out = Vec::new();
    let code = d.code.trim().to_string();
    if adding && !valid_service_code(&code) {
        out.push(Issue::new("code", "desk-catalogue-error-code").with("max", MAX_CODE_CHARS));
    } else if adding && catalogue.service(&code).is_some() {
        out.push(Issue::new("code", "desk-catalogue-error-code-taken"));
    }
    let name = texts(&mut out, "name", &d.name, true, MAX_NAME_CHARS);
    let hint = texts(&mut out, "hint", &d.hint, false, MAX_TEXT_CHARS);
    let keywords = texts(&mut out, "keywords", &d.keywords, false, MAX_TEXT_CHARS);
    let unit = d.unit.trim().to_string();
    if catalogue.unit(&unit).is_none() {
        out.push(Issue::new("unit", "desk-catalogue-error-unit"));
    }
    let target_days = d.target_days.trim().parse::<i64>().ok().filter(|n| TARGET_DAYS.contains(n));
    if target_days.is_none() {
        out.push(
            Issue::new("target_days", "desk-catalogue-error-target-days")
                .with("min", TARGET_DAYS.start())
                .with("max", TARGET_DAYS.end()),
        );
    }
    if d.attributes.len() > MAX_ATTRIBUTES {
        out.push(Issue::new("attr-0-code", "desk-catalogue-error-attributes-many").with("max", MAX_ATTRIBUTES));
    }
    let mut attributes: Vec<Attribute> = Vec::new();
    for (i, a) in d.attributes.iter().enumerate() {
        let code = a.code.trim().to_string();
        if !valid_attribute_code(&code) {
            out.push(Issue::new(format!("attr-{i}-code"), "desk-catalogue-error-attribute-code"));
        } else if attributes.iter().any(|x| x.code == code) {
            out.push(Issue::new(format!("attr-{i}-code"), "desk-catalogue-error-attribute-twice"));
        }
        let kind = AttributeKind::parse(a.kind.trim());
        if kind.is_none() {
            out.push(Issue::new(format!("attr-{i}-type"), "desk-catalogue-error-attribute-type"));
        }
        let label = texts(&mut out, &format!("attr-{i}-label"), &a.label, true, MAX_NAME_CHARS);
        attributes.push(Attribute { code, kind: kind.unwrap_or(AttributeKind::String), required: a.required, label });
    }
    let mut routes: Vec<DistrictRoute> = Vec::new();
    for (i, r) in d.routes.iter().enumerate() {
        let district = r.district.trim().parse::<i64>().ok().filter(|n| districts.contains(n));
        match district {
            None => out.push(Issue::new(format!("route-{i}-district"), "desk-catalogue-error-route-district")),
            Some(n) if routes.iter().any(|x| x.district == n) => {
                out.push(Issue::new(format!("route-{i}-district"), "desk-catalogue-error-route-twice"))
            }
            Some(_) => {}
        }
        let unit = r.unit.trim().to_string();
        if catalogue.unit(&unit).is_none() {
            out.push(Issue::new(format!("route-{i}-unit"), "desk-catalogue-error-unit"));
        }
        routes.push(DistrictRoute { district: district.unwrap_or_default(), unit });
    }
    match (out.is_empty(), target_days) {
        (true, Some(target_days)) => {
            routes.sort_by_key(|r| r.district);
            Ok(Service { code, unit, target_days, name, hint, keywords, attributes, active: true, routes })
        }
        _ => Err(out),
    }
}

/// The parts of a service that differ between two versions (for the audit log: what changed, never the texts).
pub fn changed_parts(before: &Service, after: &Service) -> Vec<&'static str> {
    let mut out = Vec::new();
    for (part, differs) in [
        ("name", before.name != after.name),
        ("hint", before.hint != after.hint),
        ("keywords", before.keywords != after.keywords),
        ("unit", before.unit != after.unit),
        ("target_days", before.target_days != after.target_days),
        ("attributes", before.attributes != after.attributes),
        ("routes", before.routes != after.routes),
    ] {
        if differs {
            out.push(part);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::desk::default_catalogue;

    fn fields(r: Result<Service, Vec<Issue>>) -> Vec<String> {
        r.unwrap_err().into_iter().map(|i| i.field).collect()
    }

    #[test]
    fn a_stored_service_written_back_unchanged_passes_and_changes_nothing() {
        let c = default_catalogue().unwrap();
        let tree = c.service("TREE-FALLEN").unwrap();
        let back = check_service(&ServiceDraft::of(tree), &c, &[1, 2, 3], false).unwrap();
        assert_eq!(&back, tree);
        assert!(changed_parts(tree, &back).is_empty());
    }

    #[test]
    fn each_bad_value_is_named_by_its_field() {
        let c = default_catalogue().unwrap();
        let mut d = ServiceDraft::of(c.service("TREE-FALLEN").unwrap());
        d.name.uk = "  ".into();
        d.unit = "NOPE".into();
        for days in ["0", "400", "x", ""] {
            d.target_days = days.into();
            let got = fields(check_service(&d, &c, &[1], false));
            assert_eq!(got, ["name_uk", "unit", "target_days"], "days {days:?}");
        }
        d = ServiceDraft::of(c.service("TREE-FALLEN").unwrap());
        d.attributes[0].code = "Road Blocked".into();
        d.attributes.push(AttributeDraft { code: "x".into(), kind: "date".into(), ..Default::default() });
        d.routes = vec![
            RouteDraft { district: "3".into(), unit: "ZDMK".into() },
            RouteDraft { district: "3".into(), unit: "ZZM".into() },
            RouteDraft { district: "99".into(), unit: "NOPE".into() },
        ];
        let got = fields(check_service(&d, &c, &[1, 2, 3], false));
        assert_eq!(
            got,
            [
                "attr-0-code",
                "attr-2-type",
                "attr-2-label_pl",
                "attr-2-label_en",
                "attr-2-label_uk",
                "route-1-district",
                "route-2-district",
                "route-2-unit"
            ]
        );
    }

    #[test]
    fn a_new_code_must_be_well_formed_and_free() {
        let c = default_catalogue().unwrap();
        let mut d = ServiceDraft::of(c.service("TREE-FALLEN").unwrap());
        assert_eq!(fields(check_service(&d, &c, &[], true)), ["code"], "taken");
        for bad in ["", "tree", "-A", "A B", &"A".repeat(41)] {
            d.code = bad.into();
            assert_eq!(fields(check_service(&d, &c, &[], true)), ["code"], "{bad:?}");
        }
        d.code = "BENCH-BROKEN2".into();
        assert_eq!(check_service(&d, &c, &[], true).unwrap().code, "BENCH-BROKEN2");
        assert!(valid_attribute_code("road_blocked") && !valid_attribute_code("1a") && !valid_attribute_code(""));
    }

    #[test]
    fn the_audit_names_what_changed() {
        let c = default_catalogue().unwrap();
        let tree = c.service("TREE-FALLEN").unwrap();
        let mut d = ServiceDraft::of(tree);
        d.target_days = "9".into();
        d.routes.push(RouteDraft { district: "3".into(), unit: "ZDMK".into() });
        let after = check_service(&d, &c, &[3], false).unwrap();
        assert_eq!(changed_parts(tree, &after), ["target_days", "routes"]);
    }
}
