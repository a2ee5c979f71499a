//! Languages: Polish first, English and Ukrainian complete. Strings live in Project Fluent catalogues under
//! `templates/locales/{pl,en,uk}/`, compiled into the binary; Fluent's CLDR plural rules give Polish and Ukrainian
//! their three forms.

use std::{borrow::Cow, collections::HashMap, fmt};

use fluent_templates::{Loader, fluent_bundle::FluentValue, static_loader};
use handlebars::{Context, Handlebars, Helper, HelperResult, Output, RenderContext, RenderErrorReason};
use serde::Serialize;
use unic_langid::{LanguageIdentifier, langid};

static_loader! {
    static LOCALES = {
        locales: "./templates/locales",
        fallback_language: "pl",
        // Bidi isolation marks around arguments would end up inside emails and SMS.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// A language the site speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Pl,
    En,
    Uk,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Pl, Lang::En, Lang::Uk];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Pl => "pl",
            Lang::En => "en",
            Lang::Uk => "uk",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "pl" => Some(Lang::Pl),
            "en" => Some(Lang::En),
            "uk" => Some(Lang::Uk),
            _ => None,
        }
    }

    fn id(self) -> LanguageIdentifier {
        match self {
            Lang::Pl => langid!("pl"),
            Lang::En => langid!("en"),
            Lang::Uk => langid!("uk"),
        }
    }

    /// The best match for an `Accept-Language` header, honouring q-values; Polish when nothing matches.
    pub fn from_accept_language(header: &str) -> Lang {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next().unwrap_or("");
            let q = pieces.find_map(|p| p.trim().strip_prefix("q=")).and_then(|q| q.parse::<f32>().ok()).unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            if let Some(lang) = Lang::parse(primary)
                && q > 0.0
                && best.is_none_or(|(bq, _)| q > bq)
            {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l).unwrap_or_default()
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A message argument: text or a number (numbers pick plural forms).
#[derive(Clone, Debug)]
pub enum Arg {
    Str(String),
    Num(f64),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Str(s.to_string())
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Str(s)
    }
}
impl From<i64> for Arg {
    fn from(n: i64) -> Self {
        Arg::Num(n as f64)
    }
}
impl From<u64> for Arg {
    fn from(n: u64) -> Self {
        Arg::Num(n as f64)
    }
}
/// A template's or a field error's argument: numbers stay numbers (for plurals), anything else is text.
impl From<&serde_json::Value> for Arg {
    fn from(v: &serde_json::Value) -> Self {
        match v {
            serde_json::Value::Number(n) => Arg::Num(n.as_f64().unwrap_or_default()),
            serde_json::Value::String(s) => Arg::Str(s.clone()),
            other => Arg::Str(other.to_string()),
        }
    }
}

/// Translates `key` with no arguments.
pub fn t(lang: Lang, key: &str) -> String {
    tr(lang, key, &[])
}

/// Translates `key` with arguments. A missing key shows as the key itself (and a test catches it).
pub fn tr(lang: Lang, key: &str, args: &[(&str, Arg)]) -> String {
    let map: HashMap<Cow<'static, str>, FluentValue> = args
        .iter()
        .map(|(k, v)| {
            let v = match v {
                Arg::Str(s) => FluentValue::from(s.clone()),
                Arg::Num(n) => FluentValue::from(*n),
            };
            (Cow::Owned(k.to_string()), v)
        })
        .collect();
    LOCALES
        .try_lookup_complete(&lang.id(), key, if map.is_empty() { None } else { Some(&map) })
        .unwrap_or_else(|| key.to_string())
}

/// Whether `key` exists in `lang` itself (no fallback). Used by the catalogue tests.
pub fn has_key(lang: Lang, key: &str) -> bool {
    // A message that needs arguments fails to format without them, but it exists. (The crate does not export
    // its error type, hence the look at its name.)
    match LOCALES.lookup_single_language::<&str>(&lang.id(), key, None) {
        Ok(_) => true,
        Err(e) => format!("{e:?}").starts_with("FluentError"),
    }
}

/// `{{t "key" name=value …}}` in templates; the language comes from the page's `lang` field.
pub fn register_helper(hb: &mut Handlebars<'static>) {
    hb.register_helper("t", Box::new(t_helper));
}

fn t_helper(h: &Helper, hb: &Handlebars, ctx: &Context, _: &mut RenderContext, out: &mut dyn Output) -> HelperResult {
    let key =
        h.param(0).and_then(|p| p.value().as_str()).ok_or_else(|| RenderErrorReason::ParamNotFoundForIndex("t", 0))?;
    let lang = ctx
        .data()
        .get("lang")
        .and_then(|l| l.as_str())
        .and_then(Lang::parse)
        .ok_or_else(|| RenderErrorReason::Other("page has no `lang` field".into()))?;
    let arg = Arg::from;
    let mut args: Vec<(&str, Arg)> = Vec::new();
    for (k, v) in h.hash() {
        match v.value() {
            // `args=…` spreads an object of arguments (a field error's, say).
            serde_json::Value::Object(map) if *k == "args" => {
                args.extend(map.iter().map(|(name, value)| (name.as_str(), arg(value))))
            }
            other => args.push((*k, arg(other))),
        }
    }
    out.write(&hb.get_escape_fn()(&tr(lang, key, &args)))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_best_supported() {
        assert_eq!(Lang::from_accept_language("uk-UA,uk;q=0.9,en;q=0.8"), Lang::Uk);
        assert_eq!(Lang::from_accept_language("de-DE,en;q=0.5,pl;q=0.7"), Lang::Pl);
        assert_eq!(Lang::from_accept_language("en-GB"), Lang::En);
        assert_eq!(Lang::from_accept_language("fr"), Lang::Pl);
        assert_eq!(Lang::from_accept_language(""), Lang::Pl);
    }

    #[test]
    fn polish_and_ukrainian_have_three_plural_forms() {
        let n = |lang, n: i64| tr(lang, "minutes", &[("count", n.into())]);
        assert_eq!(n(Lang::Pl, 1), "1 minutę");
        assert_eq!(n(Lang::Pl, 3), "3 minuty");
        assert_eq!(n(Lang::Pl, 5), "5 minut");
        assert_eq!(n(Lang::Pl, 22), "22 minuty");
        assert_eq!(n(Lang::Uk, 1), "1 хвилину");
        assert_eq!(n(Lang::Uk, 3), "3 хвилини");
        assert_eq!(n(Lang::Uk, 5), "5 хвилин");
        assert_eq!(n(Lang::En, 1), "1 minute");
        assert_eq!(n(Lang::En, 5), "5 minutes");
    }
}
