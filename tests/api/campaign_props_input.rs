//! Property tests of what residents and officials type: e-mail and phone parsing, the SMS segment counter, the
//! survey answer checker and the form decoders (survey answers, the alert form).

use hejnal::domain::{
    Email, PhoneE164,
    survey::{Answer, SurveyDef},
    survey_example,
};
use hejnal_jobs::channels::segments::{Encoding, measure};
use proptest::{collection::vec, prelude::*, sample::select};
use serde_json::{Map, Value, json};

use crate::campaign_props_cap::config;

const GSM7_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM7_EXTENSION: &str = "^{}\\[~]|€\u{000C}";

/// Cuts a text into the parts a phone receives: as many whole characters as fit in each (an escape pair or a
/// surrogate pair is never split across two parts).
fn split_into_parts(text: &str, gsm: bool) -> Vec<String> {
    let width = |c: char| match gsm {
        true if GSM7_EXTENSION.contains(c) => 2,
        true => 1,
        false => c.len_utf16(),
    };
    let units: usize = text.chars().map(width).sum();
    let (single, multi) = if gsm { (160, 153) } else { (70, 67) };
    if units <= single {
        return vec![text.to_string()];
    }
    let mut parts = vec![String::new()];
    let mut used = 0;
    for c in text.chars() {
        if used + width(c) > multi {
            parts.push(String::new());
            used = 0;
        }
        parts.last_mut().expect("at least one part").push(c);
        used += width(c);
    }
    parts
}

fn sms_text() -> impl Strategy<Value = String> {
    let gsm: Vec<char> = GSM7_BASIC.chars().chain(GSM7_EXTENSION.chars()).collect();
    let others = vec!['ż', 'ł', 'ę', 'ї', 'Є', '🚨', '😀', '中'];
    let wide: Vec<char> = GSM7_EXTENSION.chars().chain(['🚨', '😀']).collect();
    // A two-unit character just where a part ends (GSM-7: after 152 septets; UCS-2: after 66 units).
    let at_a_boundary = (select(vec![('a', 152usize), ('ż', 66)]), -2..=2isize, select(wide), -3..=3isize).prop_map(
        |((fill, at), shift, wide, tail_shift)| {
            let before = at.saturating_add_signed(shift);
            let tail = at.saturating_add_signed(tail_shift);
            let base: String = std::iter::repeat_n(fill, before).collect();
            let wide = if fill == 'ż' && wide.len_utf16() == 1 { '🚨' } else { wide };
            format!("{base}{wide}{}", std::iter::repeat_n(fill, tail).collect::<String>())
        },
    );
    prop_oneof![
        at_a_boundary,
        vec(select(gsm.clone()), 0..400).prop_map(|c| c.into_iter().collect()),
        vec(prop_oneof![9 => select(gsm), 1 => select(others)], 0..400).prop_map(|c| c.into_iter().collect()),
        ".{0,200}",
    ]
}

fn survey() -> SurveyDef {
    let now = chrono::Utc::now();
    survey_example::every_type(now, now + chrono::Duration::days(7))
}

/// A checked answer as the API takes it: a normalised answer must be accepted again unchanged.
fn as_json(answer: &Answer) -> Value {
    match answer {
        Answer::Choice(v) | Answer::Text(v) => json!(v),
        Answer::Other(t) => json!({"other": t}),
        Answer::Choices(list) | Answer::Ranking(list) => json!(list),
        Answer::Number(n) => json!(n),
        Answer::Matrix(m) => json!(m),
    }
}

/// Any JSON value, a few levels deep, with the strings a survey's options use among others.
fn json_value() -> impl Strategy<Value = Value> {
    let word = prop_oneof![
        "[a-z_]{0,8}",
        select(vec!["tram", "bike", "car", "other", "yes", "5", "1"]).prop_map(String::from)
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        word.prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::Array),
            vec(("[a-z_]{1,8}", inner), 0..4).prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn email_parsing_never_panics_and_is_idempotent(raw in prop_oneof![".{0,80}", "[a-zA-Z0-9._+-]{1,20}@[a-zA-Z0-9-]{1,12}\\.[a-z]{2,6}"]) {
        if let Ok(e) = Email::parse(&raw) {
            prop_assert_eq!(e.as_str(), e.as_str().to_lowercase());
            prop_assert_eq!(Email::parse(e.as_str()).map(|again| again.as_str().to_string()), Ok(e.as_str().to_string()));
        }
    }

    #[test]
    fn well_formed_addresses_are_accepted(local in "[a-z0-9._+-]{1,20}", domain in "[a-z0-9-]{1,12}\\.[a-z]{2,6}") {
        let e = Email::parse(&format!("  {local}@{}  ", domain.to_uppercase()));
        prop_assert_eq!(e.map(|e| e.as_str().to_string()), Ok(format!("{local}@{domain}")));
    }

    #[test]
    fn phone_parsing_never_panics_and_gives_e164(raw in prop_oneof![".{0,40}", "[+0-9 ()-]{0,24}"]) {
        if let Ok(p) = PhoneE164::parse(&raw) {
            let e164 = p.as_str();
            prop_assert!(e164.starts_with('+') && e164[1..].chars().all(|c| c.is_ascii_digit()), "{}", e164);
            prop_assert_eq!(PhoneE164::parse(e164).map(|again| again.as_str().to_string()), Ok(e164.to_string()));
        }
    }

    /// Polish mobile numbers, however they are written, become +48 and nine digits.
    #[test]
    fn polish_mobiles_in_any_layout_are_accepted(
        prefix in select(vec!["50", "51", "53", "57", "60", "66", "69", "72", "73", "78", "79", "88"]),
        rest in "[0-9]{7}", country in select(vec!["", "+48", "+48 ", "0048"]), spaced in any::<bool>()
    ) {
        let digits = format!("{prefix}{rest}");
        let written = if spaced { format!("{} {} {}", &digits[..3], &digits[3..6], &digits[6..]) } else { digits.clone() };
        let parsed = PhoneE164::parse(&format!("{country}{written}")).map(|p| p.as_str().to_string());
        prop_assert_eq!(parsed, Ok(format!("+48{digits}")));
    }

    /// The counter agrees with the parts a phone receives: every part within the network's limit, characters
    /// whole, and as few parts as that allows.
    #[test]
    fn sms_segments_match_the_parts_sent(text in sms_text()) {
        let size = measure(&text);
        let gsm = text.chars().all(|c| GSM7_BASIC.contains(c) || GSM7_EXTENSION.contains(c));
        prop_assert_eq!(size.encoding, if gsm { Encoding::Gsm7 } else { Encoding::Ucs2 });
        prop_assert_eq!(size.chars, text.chars().count());
        let parts = split_into_parts(&text, gsm);
        prop_assert_eq!(parts.concat(), text.clone());
        prop_assert_eq!(size.parts, parts.len(), "{} units in {:?}", size.units, size.encoding);
    }

    /// No JSON whatever makes the checker panic; what it accepts names only real questions, and a checked answer
    /// is accepted again as it is.
    #[test]
    fn the_answer_checker_accepts_its_own_answers_and_never_panics(
        raw in vec((select(vec!["mode", "bike_lanes", "problems", "satisfaction", "recommend", "priorities",
            "minutes", "idea", "comment", "stops", "unknown"]).prop_map(String::from), json_value()), 0..8)
    ) {
        let def = survey();
        let raw: Map<String, Value> = raw.into_iter().collect();
        match def.check_answers(&raw) {
            Ok(answers) => {
                prop_assert!(answers.keys().all(|id| def.question(id).is_some()));
                let again: Map<String, Value> = answers.iter().map(|(k, a)| (k.clone(), as_json(a))).collect();
                prop_assert_eq!(def.check_answers(&again), Ok(answers));
            }
            Err(issues) => {
                prop_assert!(!issues.is_empty());
                prop_assert!(issues.iter().all(|i| raw.contains_key(&i.field) || def.question(&i.field).is_some()));
            }
        }
    }

    /// The answering form's fields, whatever a browser (or anyone) sends, decode without panicking into answers
    /// the checker then judges.
    #[test]
    fn the_survey_form_decoder_never_panics(
        fields in vec((prop_oneof!["q\\.[a-z_]{1,10}(\\.[a-z_]{1,6})?", ".{0,10}"], ".{0,12}"), 0..16)
    ) {
        let def = survey();
        let answers = hejnal::web::surveys::form::answers(&def, &fields);
        prop_assert!(answers.keys().all(|id| def.question(id).is_some()));
        let _ = def.check_answers(&answers);
    }

    /// The alert form: any field values decode, and turning them into the API's input never panics.
    #[test]
    fn the_alert_form_decoder_never_panics(
        fields in vec((select(vec!["kind", "status", "event", "urgency", "severity", "certainty", "response_type",
            "headline_pl", "area_description", "district", "polygons", "circles", "channel", "expires", "scheduled",
            "ask_safety", "other"]), ".{0,40}"), 0..12)
    ) {
        let body = serde_urlencoded::to_string(&fields).expect("encodable");
        if let Ok(form) = serde_html_form::from_str::<hejnal::web::official::alert_form::AlertForm>(&body) {
            let _ = form.to_input(chrono_tz::Europe::Warsaw);
            let _ = form.drawn();
        }
    }
}
