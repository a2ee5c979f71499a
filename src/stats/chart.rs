//! Accessible server-drawn SVG horizontal bar charts.
//!
//! The SVG is `role="img"` named by its `<title>` and described by a `<desc>` that lists every bar's
//! label and displayed value, so a screen reader gets the whole content even though the caller also
//! puts the numbers in a data table beside it (WCAG 2.1 1.1.1). Text is #1a1a1a on white (17:1,
//! WCAG 1.4.3), bars #005ea5 (6.6:1 against white, above the 3:1 of 1.4.11 for graphics). Suppressed
//! bars carry no length — their value is unknown — and are drawn as a short grey hatched stub
//! (#595959 strokes, 7:1) with their display text (e.g. "<10"), so they differ by more than colour
//! (1.4.1). Sizes are in the `viewBox` only, so the chart scales with its container. Labels longer than
//! 60 characters are shortened with "…" on screen (in full in `<desc>`). All caller text is
//! XML-escaped; the id prefix is reduced to `[A-Za-z0-9_-]`.

/// One bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    /// Length of the bar; negative or non-finite values are drawn as 0.
    pub value: f64,
    /// Text shown after the bar, e.g. "42 %" or "<10".
    pub display: String,
    /// Value hidden by disclosure control: drawn hatched, `value` ignored.
    pub suppressed: bool,
}

const WIDTH: f64 = 640.0;
const LEFT: f64 = 8.0;
/// Longest bar; leaves room for the value text on its right.
pub const MAX_BAR: f64 = 520.0;
const ROW: f64 = 48.0;
const TOP: f64 = 8.0;
const BAR_HEIGHT: f64 = 18.0;
const STUB: f64 = 24.0;
const MAX_LABEL_CHARS: usize = 60;

/// Escapes text for XML content and attribute values; drops characters XML 1.0 forbids.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(ch),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

fn sanitise_id(id: &str) -> String {
    let clean: String =
        id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' }).collect();
    if clean.is_empty() { "chart".to_owned() } else { clean }
}

fn shorten(label: &str) -> String {
    if label.chars().count() <= MAX_LABEL_CHARS {
        label.to_owned()
    } else {
        label.chars().take(MAX_LABEL_CHARS - 1).chain(['…']).collect()
    }
}

/// Drawn length of a bar of `value` when the longest shown bar has `max`.
pub fn bar_width(value: f64, max: f64) -> f64 {
    if value.is_finite() && value > 0.0 && max > 0.0 { MAX_BAR * value.min(max) / max } else { 0.0 }
}

/// Renders `bars` top to bottom as an SVG fragment for inline HTML. `id` prefixes the element ids
/// (`{id}-title`, `{id}-desc`, `{id}-hatch`) and must be unique on the page.
pub fn bar_chart(id: &str, title: &str, bars: &[Bar]) -> String {
    let id = sanitise_id(id);
    let max = bars.iter().filter(|b| !b.suppressed && b.value.is_finite()).map(|b| b.value).fold(0.0, f64::max);
    let height = TOP * 2.0 + ROW * bars.len().max(1) as f64;
    let desc = if bars.is_empty() {
        "—".to_owned()
    } else {
        bars.iter().map(|b| format!("{}: {}", b.label, b.display)).collect::<Vec<_>>().join("; ")
    };
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"bar-chart\" role=\"img\" \
         aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 0 {WIDTH} {height}\" \
         font-family=\"system-ui, sans-serif\" font-size=\"14\">\n\
         <title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>\n\
         <defs><pattern id=\"{id}-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" \
         patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#f0f0f0\"/>\
         <line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#595959\" stroke-width=\"2\"/></pattern></defs>\n\
         <rect width=\"{WIDTH}\" height=\"{height}\" fill=\"#ffffff\"/>\n",
        escape(title),
        escape(&desc),
    );
    for (i, bar) in bars.iter().enumerate() {
        let y = TOP + ROW * i as f64;
        let bar_y = y + 20.0;
        let (width, rect) = if bar.suppressed {
            (STUB, format!("fill=\"url(#{id}-hatch)\" stroke=\"#595959\" stroke-width=\"1\" class=\"bar suppressed\""))
        } else {
            (bar_width(bar.value, max), "fill=\"#005ea5\" class=\"bar\"".to_owned())
        };
        svg.push_str(&format!(
            "<g>\n<text x=\"{LEFT}\" y=\"{:.1}\" fill=\"#1a1a1a\">{}</text>\n\
             <rect x=\"{LEFT}\" y=\"{bar_y:.1}\" width=\"{width:.1}\" height=\"{BAR_HEIGHT}\" {rect}/>\n\
             <text x=\"{:.1}\" y=\"{:.1}\" fill=\"#1a1a1a\" font-weight=\"bold\">{}</text>\n</g>\n",
            y + 14.0,
            escape(&shorten(&bar.label)),
            LEFT + width + 6.0,
            bar_y + 14.0,
            escape(&bar.display),
        ));
    }
    svg.push_str("</svg>\n");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, value: f64, display: &str, suppressed: bool) -> Bar {
        Bar { label: label.to_owned(), value, display: display.to_owned(), suppressed }
    }

    fn widths(svg: &str) -> Vec<f64> {
        svg.split("<rect x=")
            .skip(1)
            .map(|s| {
                let w = &s[s.find("width=\"").unwrap() + 7..];
                w[..w.find('"').unwrap()].parse().unwrap()
            })
            .collect()
    }

    #[test]
    fn text_is_escaped() {
        let svg = bar_chart(
            "q1\"><script>",
            "Tytuł <b>&\"'",
            &[bar("<script>alert(1)</script>&\"", 3.0, "42 % <", false), bar("ok\u{0}", 1.0, "1", false)],
        );
        assert!(!svg.contains("<script>"));
        assert!(!svg.contains('\u{0}'));
        assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;"));
        assert!(svg.contains("<title id=\"q1---script--title\">Tytuł &lt;b&gt;&amp;&quot;&apos;</title>"));
        assert!(svg.contains(">42 % &lt;</text>"));
        assert!(svg.contains("aria-labelledby=\"q1---script--title q1---script--desc\""));
        assert!(svg.contains("role=\"img\""));
    }

    #[test]
    fn widths_are_proportional_and_suppressed_bars_are_stubs() {
        let bars = [
            bar("Tak", 60.0, "60 %", false),
            bar("Nie", 30.0, "30 %", false),
            bar("Nie wiem", 7.0, "<10", true),
            bar("Inne", 0.0, "0 %", false),
            bar("Błąd", f64::NAN, "?", false),
        ];
        let svg = bar_chart("c", "Pytanie", &bars);
        let w = widths(&svg);
        assert_eq!(w, vec![MAX_BAR, MAX_BAR / 2.0, STUB, 0.0, 0.0]);
        assert!(svg.contains("url(#c-hatch)") && svg.contains("class=\"bar suppressed\""));
        assert!(svg.contains("<desc id=\"c-desc\">Tak: 60 %; Nie: 30 %; Nie wiem: &lt;10; Inne: 0 %; Błąd: ?</desc>"));
        assert_eq!(svg.matches("<g>").count(), 5);
    }

    #[test]
    fn long_labels_shortened_on_screen_only() {
        let long = "ą".repeat(80);
        let svg = bar_chart("x", "t", &[bar(&long, 1.0, "1", false)]);
        assert!(svg.contains(&format!(">{}…</text>", "ą".repeat(59))));
        assert!(svg.contains(&format!("<desc id=\"x-desc\">{long}: 1</desc>")));
    }

    #[test]
    fn empty_chart_is_valid() {
        let svg = bar_chart("", "t", &[]);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>\n"));
        assert!(svg.contains("id=\"chart-title\""));
        assert_eq!(bar_width(5.0, 0.0), 0.0);
    }
}
