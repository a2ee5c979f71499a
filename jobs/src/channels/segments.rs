//! How many SMS parts a text takes: GSM 03.38 7-bit (160 alone, 153 per part when concatenated; extension
//! characters count twice) or UCS-2 (70 alone, 67 per part), which any character outside GSM-7 forces — Polish
//! diacritics among them.

/// The GSM 03.38 basic character set.
const GSM7_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// Characters reached through the escape code: two septets each.
const GSM7_EXTENSION: &str = "^{}\\[~]|€\u{000C}";

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Encoding {
    Gsm7,
    Ucs2,
}

/// An SMS's size as the network counts it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SmsSize {
    pub encoding: Encoding,
    /// Septets (GSM-7) or UTF-16 code units (UCS-2).
    pub units: usize,
    pub parts: usize,
    /// Characters as a person counts them.
    pub chars: usize,
}

pub fn measure(text: &str) -> SmsSize {
    let chars = text.chars().count();
    let gsm: Option<usize> = text
        .chars()
        .map(|c| {
            if GSM7_BASIC.contains(c) {
                Some(1)
            } else if GSM7_EXTENSION.contains(c) {
                Some(2)
            } else {
                None
            }
        })
        .sum();
    let (encoding, units, single, multi) = match gsm {
        Some(septets) => (Encoding::Gsm7, septets, 160, 153),
        None => (Encoding::Ucs2, text.encode_utf16().count(), 70, 67),
    };
    let parts = if units <= single { 1 } else { units.div_ceil(multi) };
    SmsSize { encoding, units, parts, chars }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_ascii_is_gsm7() {
        let s = measure(&"a".repeat(160));
        assert_eq!((s.encoding, s.parts), (Encoding::Gsm7, 1));
        assert_eq!(measure(&"a".repeat(161)).parts, 2);
        assert_eq!(measure(&"a".repeat(306)).parts, 2);
        assert_eq!(measure(&"a".repeat(307)).parts, 3);
    }

    #[test]
    fn extension_characters_count_twice() {
        let s = measure(&"€".repeat(80));
        assert_eq!((s.encoding, s.units, s.parts), (Encoding::Gsm7, 160, 1));
        assert_eq!(measure(&"€".repeat(81)).parts, 2);
    }

    #[test]
    fn polish_diacritics_force_ucs2() {
        let s = measure("Zażółć gęślą jaźń");
        assert_eq!((s.encoding, s.units, s.parts), (Encoding::Ucs2, 17, 1));
        let seventy = "ż".repeat(70);
        assert_eq!(measure(&seventy).parts, 1);
        assert_eq!(measure(&"ż".repeat(71)).parts, 2);
        assert_eq!(measure(&"ż".repeat(134)).parts, 2);
        assert_eq!(measure(&"ż".repeat(135)).parts, 3);
    }

    #[test]
    fn ukrainian_is_ucs2_and_emoji_take_two_units() {
        assert_eq!(measure("Повітряна тривога").encoding, Encoding::Ucs2);
        let s = measure("🚨");
        assert_eq!((s.units, s.chars), (2, 1));
    }
}
