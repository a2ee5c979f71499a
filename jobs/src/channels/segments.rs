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
    let gsm7 = |c: char| {
        if GSM7_BASIC.contains(c) {
            Some(1)
        } else if GSM7_EXTENSION.contains(c) {
            Some(2)
        } else {
            None
        }
    };
    let (encoding, width, single, multi): (_, &dyn Fn(char) -> usize, _, _) =
        match text.chars().all(|c| gsm7(c).is_some()) {
            true => (Encoding::Gsm7, &|c| gsm7(c).unwrap_or(1), 160, 153),
            false => (Encoding::Ucs2, &|c: char| c.len_utf16(), 70, 67),
        };
    let units: usize = text.chars().map(width).sum();
    let parts = if units <= single { 1 } else { concatenated_parts(text, width, multi) };
    SmsSize { encoding, units, parts, chars }
}

/// Parts of a concatenated message, filled character by character: an escape pair (GSM-7) or a surrogate pair
/// (UCS-2) never straddles two parts (3GPP TS 23.040), so a part may end one unit short and the text need one
/// part more than `units / multi` suggests.
fn concatenated_parts(text: &str, width: &dyn Fn(char) -> usize, multi: usize) -> usize {
    let (mut parts, mut used) = (1, 0);
    for w in text.chars().map(width) {
        if used + w > multi {
            parts += 1;
            used = 0;
        }
        used += w;
    }
    parts
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
    fn a_two_unit_character_is_never_split_across_parts() {
        // 152 septets fill part one but for one; the euro sign (two septets) starts part two.
        let s = measure(&format!("{}€{}", "a".repeat(152), "a".repeat(152)));
        assert_eq!((s.units, s.parts), (306, 3));
        let s = measure(&format!("{}🚨{}", "ż".repeat(66), "ż".repeat(66)));
        assert_eq!((s.units, s.parts), (134, 3));
    }

    #[test]
    fn ukrainian_is_ucs2_and_emoji_take_two_units() {
        assert_eq!(measure("Повітряна тривога").encoding, Encoding::Ucs2);
        let s = measure("🚨");
        assert_eq!((s.units, s.chars), (2, 1));
    }
}
