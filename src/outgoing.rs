//! Every message residents receive, rendered with sample content for the officials' preview: each kind in each
//! language and channel, exactly as the delivery engine gets it (the personal parts — links, codes — still as the
//! `{{placeholders}}` the engine fills in per recipient). The words come from the catalogues, the shapes from
//! `templates/messages/`.

use chrono::{Duration, Utc};
use hejnal_jobs::{Channel, Content};

use crate::{
    alerts::{self, MsgType},
    core::Core,
    domain::{
        alert::{AlertArea, AlertKind, AlertSpec, AlertText},
        cap::{Category, Certainty, ResponseType, Severity, Status, Urgency},
        panel::ContactKind,
        survey::Text,
    },
    i18n::{self, Lang},
    panel::secret_content,
    storage::SecretPurpose,
    surveys::launch,
};

/// One kind of message (its name is a catalogue key) with its renderings: `(channel, language, content)`.
pub struct Kind {
    pub name_key: &'static str,
    pub renderings: Vec<(Channel, String, Content)>,
}

/// A sample alert of `kind`, written in every language.
fn sample_alert(kind: AlertKind) -> AlertSpec {
    let info = Lang::ALL
        .into_iter()
        .map(|l| {
            let text = AlertText {
                headline: i18n::t(l, "messages-sample-headline"),
                description: i18n::t(l, "messages-sample-description"),
                instruction: i18n::t(l, "messages-sample-instruction"),
            };
            (l.code().to_string(), text)
        })
        .collect();
    AlertSpec {
        kind,
        status: Status::Actual,
        category: Category::Met,
        event: "Flood".into(),
        urgency: Urgency::Immediate,
        severity: Severity::Severe,
        certainty: Certainty::Likely,
        response_type: Some(ResponseType::Evacuate),
        topic: None,
        info,
        area: AlertArea {
            description: i18n::t(Lang::Pl, "messages-sample-area"),
            districts: vec![13],
            polygons: Vec::new(),
            circles: Vec::new(),
        },
        channels: Vec::new(),
        expires_at: Utc::now() + Duration::hours(6),
        scheduled_at: None,
        ask_safety: kind == AlertKind::Emergency,
        web: None,
    }
}

/// Every kind of outgoing message, rendered.
pub fn all(core: &Core) -> anyhow::Result<Vec<Kind>> {
    let mut out = Vec::new();
    let emergency = sample_alert(AlertKind::Emergency);
    for (name_key, spec, msg) in [
        ("messages-kind-alert", &emergency, MsgType::Alert),
        ("messages-kind-alert-update", &emergency, MsgType::Update),
        ("messages-kind-alert-cancel", &emergency, MsgType::Cancel),
        ("messages-kind-announcement", &sample_alert(AlertKind::Service), MsgType::Alert),
    ] {
        out.push(Kind { name_key, renderings: alerts::render::render(core, 1, spec, msg)?.contents });
    }
    let title = Text(Lang::ALL.into_iter().map(|l| (l.code().into(), i18n::t(l, "messages-sample-survey"))).collect());
    let closes = Utc::now() + Duration::days(14);
    for (name_key, reminder) in [("messages-kind-survey-invitation", false), ("messages-kind-survey-reminder", true)] {
        out.push(Kind { name_key, renderings: launch::contents(core, &title, closes, reminder)? });
    }
    for (name_key, purpose) in
        [("messages-kind-verify", SecretPurpose::Verify), ("messages-kind-signin", SecretPurpose::SignIn)]
    {
        let mut renderings = Vec::new();
        for lang in Lang::ALL {
            for (channel, kind) in [(Channel::Email, ContactKind::Email), (Channel::Sms, ContactKind::Phone)] {
                renderings.push((channel, lang.code().to_string(), secret_content(core, kind, purpose, lang)?));
            }
        }
        out.push(Kind { name_key, renderings });
    }
    Ok(out)
}
