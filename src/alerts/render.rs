//! What each channel delivers in each language: the email (HTML and text), the SMS and the push notification,
//! rendered from `templates/messages/alert/*.hbs` with the catalogue's words, and the personal reply links.

use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
use hejnal_jobs::{Channel, Content, channels::segments};
use serde::Serialize;

use crate::{
    core::Core,
    domain::{alert::AlertSpec, cap::Status},
    i18n::{self, Lang},
};

/// The kind of CAP message, as far as wording goes.
pub use crate::domain::lifecycle::MsgType;

/// One SMS rendering's size, for the preview's warning.
#[derive(Clone, Debug, Serialize)]
pub struct SmsSize {
    pub lang: String,
    pub chars: usize,
    pub parts: usize,
    pub unicode: bool,
    pub over_limit: bool,
}

/// Every channel × language rendering of one message.
#[derive(Clone, Debug)]
pub struct Rendered {
    pub contents: Vec<(Channel, String, Content)>,
    pub sms: Vec<SmsSize>,
}

#[derive(Serialize)]
struct MessageData<'a> {
    lang: &'a str,
    prefix: Option<String>,
    headline: &'a str,
    description: &'a str,
    instruction: &'a str,
    area: &'a str,
    expires: String,
    url: String,
    short_url: String,
    reply: bool,
    safe_url: &'static str,
    help_url: &'static str,
    unsubscribe: bool,
    unsubscribe_url: &'static str,
}

/// What goes before the headline: "ĆWICZENIA", "AKTUALIZACJA", "ODWOŁANIE", or a combination.
fn prefix(lang: Lang, spec: &AlertSpec, msg: MsgType) -> Option<String> {
    let mut parts = Vec::new();
    match spec.status {
        Status::Exercise => parts.push(i18n::t(lang, "alert-prefix-exercise")),
        Status::Test => parts.push(i18n::t(lang, "alert-prefix-test")),
        _ => {}
    }
    match msg {
        MsgType::Update => parts.push(i18n::t(lang, "alert-prefix-update")),
        MsgType::Cancel => parts.push(i18n::t(lang, "alert-prefix-cancel")),
        MsgType::Alert => {}
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}

/// Renders every channel in every language the message is written in (residents of other languages get Polish).
pub fn render(state: &Core, alert_id: i64, spec: &AlertSpec, msg: MsgType) -> anyhow::Result<Rendered> {
    let max_parts = state.config.delivery.sms_max_parts;
    let mut contents = Vec::new();
    let mut sms = Vec::new();
    for (code, text) in &spec.info {
        let lang = Lang::parse(code).unwrap_or_default();
        let data = MessageData {
            lang: lang.code(),
            prefix: prefix(lang, spec, msg),
            headline: &text.headline,
            description: &text.description,
            instruction: &text.instruction,
            area: &spec.area.description,
            expires: state.config.local_minutes(spec.expires_at),
            url: state.config.link(&format!("/alerts/{alert_id}?lang={}", lang.code())),
            short_url: state.config.link(&format!("/a/{alert_id}")),
            reply: spec.ask_safety && msg != MsgType::Cancel,
            safe_url: "{{reply_safe_url}}",
            help_url: "{{reply_help_url}}",
            unsubscribe: spec.kind == crate::domain::alert::AlertKind::Service,
            unsubscribe_url: "{{unsubscribe_url}}",
        };
        let t = &state.messages;
        let title = t.text("messages/alert/subject", &data)?;
        let email = Content {
            subject: Some(title.clone()),
            text: t.render_text("messages/alert/email-text", &data)?,
            html: Some(t.render_html("messages/alert/email-html", &data)?),
            url: None,
        };
        let sms_text = t.render_text("messages/alert/sms", &data)?.trim().to_string();
        let size = segments::measure(&sms_text);
        sms.push(SmsSize {
            lang: code.clone(),
            chars: size.chars,
            parts: size.parts,
            unicode: !matches!(size.encoding, segments::Encoding::Gsm7),
            over_limit: size.parts > max_parts,
        });
        let push_body: String = t.render_text("messages/alert/push", &data)?.trim().chars().take(240).collect();
        let push = Content { subject: Some(title), text: push_body, html: None, url: Some(data.url.clone()) };
        let sms_content = Content { subject: None, text: sms_text, html: None, url: None };
        contents.push((Channel::Email, code.clone(), email));
        contents.push((Channel::Sms, code.clone(), sms_content));
        contents.push((Channel::Push, code.clone(), push));
    }
    Ok(Rendered { contents, sms })
}

/// The signed token of a resident's personal reply link to one alert.
pub fn reply_token(secret: &str, alert_id: i64, resident_id: i64) -> String {
    let payload = format!("{alert_id}.{resident_id}");
    format!("{}.{}", URL_SAFE_NO_PAD.encode(&payload), sign(secret, &payload))
}

/// The alert and resident of a genuine reply token.
pub fn parse_reply_token(secret: &str, token: &str) -> Option<(i64, i64)> {
    let (payload, sig) = token.split_once('.')?;
    let payload = String::from_utf8(URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
    if !crate::domain::secret_token::constant_time_eq(&sign(secret, &payload), sig) {
        return None;
    }
    let (alert, resident) = payload.split_once('.')?;
    Some((alert.parse().ok()?, resident.parse().ok()?))
}

fn sign(secret: &str, payload: &str) -> String {
    crate::domain::secret_token::mac(&format!("alert-reply:{secret}"), payload, 18)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reply_tokens_are_bound_to_alert_and_resident() {
        let t = reply_token("s3cret", 12, 345);
        assert_eq!(parse_reply_token("s3cret", &t), Some((12, 345)));
        assert_eq!(parse_reply_token("other", &t), None);
        let forged = format!("{}.{}", URL_SAFE_NO_PAD.encode("12.346"), t.split_once('.').unwrap().1);
        assert_eq!(parse_reply_token("s3cret", &forged), None);
    }
}
