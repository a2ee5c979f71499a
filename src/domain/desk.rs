//! The intervention desk's catalogue: city units, the services (problem types) residents report, each service's
//! extra questions (attributes), and finding a service by describing the problem in Polish, English or Ukrainian.
//!
//! The defaults are data, not code: `migrations/seed/krakow-units.csv` and `krakow-services.csv` (copied from the
//! project's shared data; target days are demonstration values), plus `desk-service-hints.csv` ("what to include")
//! and `desk-service-attributes.csv` (the extra questions), both written for hejnał as demonstration values.
//! Report rules (states, validation) live in [`super::desk_report`].

use serde::Serialize;

pub const UNITS_CSV: &str = include_str!("../../migrations/seed/krakow-units.csv");
pub const SERVICES_CSV: &str = include_str!("../../migrations/seed/krakow-services.csv");
pub const HINTS_CSV: &str = include_str!("../../migrations/seed/desk-service-hints.csv");
pub const ATTRIBUTES_CSV: &str = include_str!("../../migrations/seed/desk-service-attributes.csv");

/// A text in the three languages.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Texts {
    pub pl: String,
    pub en: String,
    pub uk: String,
}

impl Texts {
    pub fn get(&self, lang: &str) -> &str {
        match lang {
            "en" => &self.en,
            "uk" => &self.uk,
            _ => &self.pl,
        }
    }
}

/// A city unit that handles reports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Unit {
    pub code: String,
    pub name: Texts,
}

/// What kind of answer an attribute takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum AttributeKind {
    /// `true` or `false` (a yes/no question).
    Boolean,
    /// Free text, up to [`MAX_ATTRIBUTE_CHARS`].
    String,
    /// A number.
    Number,
}

impl AttributeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AttributeKind::Boolean => "boolean",
            AttributeKind::String => "string",
            AttributeKind::Number => "number",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "boolean" => Some(AttributeKind::Boolean),
            "string" => Some(AttributeKind::String),
            "number" => Some(AttributeKind::Number),
            _ => None,
        }
    }
}

pub const MAX_ATTRIBUTE_CHARS: usize = 200;

/// An extra question of a service ("is the road blocked?").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Attribute {
    pub code: String,
    #[serde(rename = "type")]
    pub kind: AttributeKind,
    pub required: bool,
    pub label: Texts,
}

/// A problem type residents report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Service {
    /// Stable; the Open311 `service_code`.
    pub code: String,
    /// The responsible unit's code.
    pub unit: String,
    /// Working days to resolve (Monday–Friday).
    pub target_days: i64,
    pub name: Texts,
    /// What a good report includes.
    pub hint: Texts,
    /// Search words per language.
    pub keywords: Texts,
    pub attributes: Vec<Attribute>,
    /// Offered to residents; a retired service (false) is kept only so its old reports still read.
    pub active: bool,
    /// Districts whose reports go to another unit than [`Service::unit`].
    pub routes: Vec<DistrictRoute>,
}

/// A district whose reports of a service go to another unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DistrictRoute {
    pub district: i64,
    pub unit: String,
}

impl Service {
    /// The unit responsible for a report at a point in `district`: the district's override, else the service's own.
    pub fn unit_for(&self, district: Option<i64>) -> &str {
        district
            .and_then(|d| self.routes.iter().find(|r| r.district == d))
            .map(|r| r.unit.as_str())
            .unwrap_or(&self.unit)
    }
}

/// The whole catalogue, as loaded.
#[derive(Clone, Debug, Default)]
pub struct Catalogue {
    pub units: Vec<Unit>,
    pub services: Vec<Service>,
}

impl Catalogue {
    pub fn service(&self, code: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.code == code)
    }

    pub fn unit(&self, code: &str) -> Option<&Unit> {
        self.units.iter().find(|u| u.code == code)
    }

    /// The catalogue residents are offered: the active services only (retired ones are left out).
    pub fn offered(&self) -> Catalogue {
        Catalogue { units: self.units.clone(), services: self.services.iter().filter(|s| s.active).cloned().collect() }
    }
}

/// Splits one CSV line (RFC 4180 quoting, no line breaks inside fields).
pub fn csv_fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) if cur.is_empty() => quoted = true,
            (',', false) => out.push(std::mem::take(&mut cur)),
            (c, _) => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// Rows of a CSV with a header, each checked to have `columns` fields; errors name the file and line.
fn rows(name: &str, text: &str, columns: usize) -> Result<Vec<Vec<String>>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<String> = csv_fields(line).into_iter().map(|s| s.trim().to_string()).collect();
        if f.len() != columns {
            return Err(format!("{name} line {}: expected {columns} columns, found {}", i + 1, f.len()));
        }
        out.push(f);
    }
    Ok(out)
}

fn texts(f: &[String]) -> Texts {
    Texts { pl: f[0].clone(), en: f[1].clone(), uk: f[2].clone() }
}

/// Parses the four catalogue files into one catalogue; every service's unit must exist.
pub fn parse_catalogue(units: &str, services: &str, hints: &str, attributes: &str) -> Result<Catalogue, String> {
    let units: Vec<Unit> =
        rows("units", units, 4)?.into_iter().map(|f| Unit { code: f[0].clone(), name: texts(&f[1..4]) }).collect();
    let hints = rows("hints", hints, 4)?;
    let attributes = rows("attributes", attributes, 7)?;
    let mut out = Vec::new();
    for f in rows("services", services, 9)? {
        if !units.iter().any(|u| u.code == f[1]) {
            return Err(format!("service {}: unknown unit {}", f[0], f[1]));
        }
        let target_days = f[2].parse().map_err(|_| format!("service {}: target_days is not a number", f[0]))?;
        let hint = hints.iter().find(|h| h[0] == f[0]).map(|h| texts(&h[1..4])).unwrap_or_default();
        let mut attrs = Vec::new();
        for a in attributes.iter().filter(|a| a[0] == f[0]) {
            attrs.push(Attribute {
                code: a[1].clone(),
                kind: AttributeKind::parse(&a[2])
                    .ok_or_else(|| format!("attribute {}: unknown type {}", a[1], a[2]))?,
                required: a[3] == "true",
                label: texts(&a[4..7]),
            });
        }
        out.push(Service {
            code: f[0].clone(),
            unit: f[1].clone(),
            target_days,
            name: texts(&f[3..6]),
            hint,
            keywords: texts(&f[6..9]),
            attributes: attrs,
            active: true,
            routes: Vec::new(),
        });
    }
    Ok(Catalogue { units, services: out })
}

/// The built-in catalogue.
pub fn default_catalogue() -> Result<Catalogue, String> {
    parse_catalogue(UNITS_CSV, SERVICES_CSV, HINTS_CSV, ATTRIBUTES_CSV)
}

/// Lower case without diacritics (Polish letters, and Ukrainian й/ї/є/ґ folded to their base letters).
pub fn fold(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'ą' => 'a',
            'ć' => 'c',
            'ę' => 'e',
            'ł' => 'l',
            'ń' => 'n',
            'ó' => 'o',
            'ś' => 's',
            'ź' | 'ż' => 'z',
            'й' => 'и',
            'ї' => 'і',
            'є' => 'е',
            'ґ' => 'г',
            'ё' => 'е',
            '\'' | '’' | 'ʼ' => '\u{0}',
            c => c,
        })
        .filter(|c| *c != '\u{0}')
        .collect()
}

/// Words of a text, folded.
pub fn words(s: &str) -> Vec<String> {
    fold(s).split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() >= 2).map(str::to_string).collect()
}

/// How well two folded words match: 3 the same, 2 the same stem (a shared beginning of at least four letters that
/// leaves at most two letters of either over: "впало"/"впале", "złamane"/"złamany"), else 0.
fn word_score(q: &str, w: &str) -> u32 {
    if q == w {
        return 3;
    }
    let common = q.chars().zip(w.chars()).take_while(|(a, b)| a == b).count();
    let (lq, lw) = (q.chars().count(), w.chars().count());
    if common >= 4 && lq - common <= 2 && lw - common <= 2 { 2 } else { 0 }
}

/// One service found by [`search`], with how well it matched.
#[derive(Clone, Debug)]
pub struct Hit<'a> {
    pub service: &'a Service,
    pub score: u32,
}

/// Active services whose names or keywords (in any of the three languages) match the words of `query`, best first.
pub fn search<'a>(catalogue: &'a Catalogue, query: &str, limit: usize) -> Vec<Hit<'a>> {
    let q = words(query);
    if q.is_empty() {
        return Vec::new();
    }
    let mut hits: Vec<Hit> = catalogue
        .services
        .iter()
        .filter(|s| s.active)
        .filter_map(|s| {
            let mut vocabulary = Vec::new();
            for t in [&s.name, &s.keywords] {
                for text in [&t.pl, &t.en, &t.uk] {
                    vocabulary.extend(words(text));
                }
            }
            let score: u32 = q.iter().map(|qw| vocabulary.iter().map(|w| word_score(qw, w)).max().unwrap_or(0)).sum();
            (score > 0).then_some(Hit { service: s, score })
        })
        .collect();
    hits.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.service.code.cmp(&b.service.code)));
    hits.truncate(limit);
    hits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_catalogue_loads_with_units_hints_and_attributes() {
        let c = default_catalogue().unwrap();
        assert_eq!(c.units.len(), 7);
        assert_eq!(c.services.len(), 18);
        let tree = c.service("TREE-FALLEN").unwrap();
        assert_eq!(tree.unit, "ZZM");
        assert_eq!(tree.name.en, "Fallen or broken tree");
        assert!(tree.hint.uk.contains("дерево"));
        assert_eq!(tree.attributes.iter().filter(|a| a.required).count(), 1);
        let green = c.service("GREENERY-CARE").unwrap();
        assert_eq!(green.name.pl, "Zaniedbana zieleń (trawa, krzewy)", "a quoted field keeps its comma");
    }

    #[test]
    fn describing_a_fallen_tree_in_any_language_finds_it_first() {
        let c = default_catalogue().unwrap();
        for q in ["drzewo spadło", "fallen tree", "впало дерево", "DRZEWO", "Fallen Tree!", "впале дерево"]
        {
            let hits = search(&c, q, 5);
            assert_eq!(hits.first().map(|h| h.service.code.as_str()), Some("TREE-FALLEN"), "query {q:?}");
        }
    }

    #[test]
    fn accents_and_case_do_not_matter() {
        let c = default_catalogue().unwrap();
        assert_eq!(search(&c, "SNIEG lod", 1)[0].service.code, "SNOW-ICE");
        assert_eq!(search(&c, "wyciek wody", 1)[0].service.code, "WATER-LEAK");
        assert!(search(&c, "", 5).is_empty());
        assert!(search(&c, "qqqq zzzz", 5).is_empty());
    }

    #[test]
    fn a_district_override_routes_only_that_district_and_retired_services_are_not_offered() {
        let mut c = default_catalogue().unwrap();
        let tree = c.services.iter_mut().find(|s| s.code == "TREE-FALLEN").unwrap();
        tree.routes.push(DistrictRoute { district: 3, unit: "ZDMK".into() });
        assert_eq!(tree.unit_for(Some(3)), "ZDMK");
        assert_eq!(tree.unit_for(Some(4)), "ZZM");
        assert_eq!(tree.unit_for(None), "ZZM");
        tree.active = false;
        assert!(c.offered().service("TREE-FALLEN").is_none());
        assert!(c.service("TREE-FALLEN").is_some(), "still readable for its old reports");
        assert!(search(&c, "fallen tree", 5).iter().all(|h| h.service.code != "TREE-FALLEN"));
    }

    #[test]
    fn a_bad_catalogue_is_named() {
        let e = parse_catalogue("code,a,b,c\nX,a,b,c\n", "h\nS,NOPE,1,a,b,c,d,e,f\n", "h\n", "h\n").unwrap_err();
        assert!(e.contains("unknown unit NOPE"), "{e}");
    }
}
