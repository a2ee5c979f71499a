//! Where an alert or a survey is in its life, and what kind of message an alert is: parsed once where they are
//! read from storage, so past it nothing compares strings.

use std::fmt;

use serde::Serialize;

use super::cap;

/// An enum stored as one of a fixed set of words.
macro_rules! stored_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $word:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $word)] $variant),+
        }

        impl $name {
            pub const ALL: [Self; [$($word),+].len()] = [$(Self::$variant),+];

            /// The stored word.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $word),+
                }
            }

            /// The value of a stored word; `None` for any other text.
            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.into_iter().find(|v| v.as_str() == s)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

stored_enum!(
    /// An alert's state. Drafts wait for approval; approval makes one `approved` (handed over at once) or
    /// `scheduled`; handed over, it is `sending`; an update or cancel ends it as `updated` or `cancelled`.
    AlertState {
        Draft = "draft",
        Scheduled = "scheduled",
        Approved = "approved",
        Sending = "sending",
        Cancelled = "cancelled",
        Updated = "updated",
    }
);

impl AlertState {
    /// Not yet handed to the delivery engine.
    pub fn before_sending(self) -> bool {
        matches!(self, AlertState::Draft | AlertState::Scheduled | AlertState::Approved)
    }

    /// Replaced by an update or called off: no follow-up can refer to it any more.
    pub fn ended(self) -> bool {
        matches!(self, AlertState::Cancelled | AlertState::Updated)
    }
}

stored_enum!(
    /// The kind of message an alert is (CAP's `msgType`, as far as hejnał sends them).
    MsgType {
        Alert = "Alert",
        Update = "Update",
        Cancel = "Cancel",
    }
);

impl From<MsgType> for cap::MsgType {
    fn from(m: MsgType) -> Self {
        match m {
            MsgType::Alert => cap::MsgType::Alert,
            MsgType::Update => cap::MsgType::Update,
            MsgType::Cancel => cap::MsgType::Cancel,
        }
    }
}

impl MsgType {
    /// A CAP document's message type, when it is a warning (not an acknowledgement or an error report).
    pub fn of_cap(m: cap::MsgType) -> Option<MsgType> {
        match m {
            cap::MsgType::Alert => Some(MsgType::Alert),
            cap::MsgType::Update => Some(MsgType::Update),
            cap::MsgType::Cancel => Some(MsgType::Cancel),
            cap::MsgType::Ack | cap::MsgType::Error => None,
        }
    }
}

stored_enum!(
    /// A survey's state: a `draft` may still change; a `launched` one only in wording.
    SurveyState {
        Draft = "draft",
        Launched = "launched",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_words_read_back_and_nothing_else_does() {
        for s in AlertState::ALL {
            assert_eq!(AlertState::parse(s.as_str()), Some(s));
        }
        for m in MsgType::ALL {
            assert_eq!(MsgType::parse(&m.to_string()), Some(m));
            assert_eq!(MsgType::of_cap(m.into()), Some(m));
        }
        assert_eq!(SurveyState::parse("launched"), Some(SurveyState::Launched));
        assert_eq!(AlertState::parse("Draft"), None);
        assert_eq!(MsgType::parse("Ack"), None);
        assert_eq!(MsgType::of_cap(cap::MsgType::Ack), None);
        assert_eq!(serde_json::to_value(AlertState::Sending).unwrap(), "sending");
    }
}
