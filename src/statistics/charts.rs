//! Charts as inline SVG drawn on the server: no script and no third-party resources. Each
//! chart is one image to assistive technology (`role="img"`, named by its `<title>` and
//! described by its `<desc>`); pages pair it with a data table that carries the same figures.
//! Every bar has its label and its value written out as text, so no meaning rests on colour.

/// One bar: what it counts, its size, and the value as the page writes it.
#[derive(Clone, Debug)]
pub struct Bar {
    pub label: String,
    pub value: i64,
    pub shown: String,
}

/// Drawing units across: the SVG scales to its container (at most 36rem wide, see app.css), so
/// on a 320 px screen its text is still about 11 px high.
const WIDTH: i64 = 400;
/// The longest bar, leaving room for the value written after it.
const BAR_MAX: i64 = 260;
const ROW: i64 = 46;
/// Dark blue on white: contrast above 8:1, for the bars as for the text.
const INK: &str = "#1b365d";

/// A horizontal bar chart: each row is the label, then the bar with its value after it. Bar
/// lengths are proportional to the values (the largest is [`BAR_MAX`] long).
pub fn bar_chart(id: &str, title: &str, description: &str, bars: &[Bar]) -> String {
    let height = ROW * bars.len().max(1) as i64 + 8;
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(0);
    let id = escape(id);
    let mut svg = format!(
        "<svg class=\"chart\" width=\"100%\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" focusable=\"false\"><title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        escape(title),
        escape(description)
    );
    for (i, bar) in bars.iter().enumerate() {
        let y = ROW * i as i64;
        let length = bar_length(bar.value, max);
        svg.push_str(&format!(
            "<text x=\"0\" y=\"{}\" font-size=\"16\" fill=\"{INK}\">{}</text><rect x=\"0\" y=\"{}\" width=\"{length}\" height=\"18\" fill=\"{INK}\"/><text x=\"{}\" y=\"{}\" font-size=\"16\" fill=\"{INK}\">{}</text>",
            y + 16,
            escape(&shortened(&bar.label)),
            y + 22,
            length + 8,
            y + 37,
            escape(&bar.shown),
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// Labels longer than the drawing is wide end in "…" (the table beside has them in full).
fn shortened(label: &str) -> String {
    const MOST: usize = 42;
    if label.chars().count() <= MOST {
        label.to_owned()
    } else {
        label.chars().take(MOST - 1).chain(['…']).collect()
    }
}

/// The length of a bar for `value` when the largest is `max`, rounded half up.
pub fn bar_length(value: i64, max: i64) -> i64 {
    if max <= 0 || value <= 0 {
        return 0;
    }
    (2 * value.min(max) * BAR_MAX + max).div_euclid(2 * max)
}

/// Text as SVG (XML) character data or attribute value.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, value: i64) -> Bar {
        Bar {
            label: label.into(),
            value,
            shown: value.to_string(),
        }
    }

    #[test]
    fn bars_are_proportional_to_their_values() {
        assert_eq!(bar_length(100, 100), BAR_MAX);
        assert_eq!(bar_length(50, 100), BAR_MAX / 2);
        assert_eq!(bar_length(1, 3), 87);
        assert_eq!(bar_length(0, 100), 0);
        assert_eq!(bar_length(5, 0), 0);
        let svg = bar_chart("c", "t", "d", &[bar("a", 40), bar("b", 10)]);
        assert!(svg.contains("width=\"260\""), "{svg}");
        assert!(svg.contains("width=\"65\""), "{svg}");
    }

    #[test]
    fn labels_are_escaped_and_the_chart_is_named() {
        let svg = bar_chart(
            "claims",
            "Hồ sơ <theo> loại",
            "a & b",
            &[bar("<script>alert(1)</script>", 3)],
        );
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("aria-labelledby=\"claims-title claims-desc\""));
        assert!(svg.contains("<title id=\"claims-title\">Hồ sơ &lt;theo&gt; loại</title>"));
        assert!(svg.contains("<desc id=\"claims-desc\">a &amp; b</desc>"));
        let long = "Công ty Cổ phần Đầu tư Phát triển Công nghệ Sông Hồng Xanh";
        assert_eq!(shortened(long).chars().count(), 42);
        assert!(shortened(long).ends_with('…'));
    }
}
