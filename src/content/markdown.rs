//! Markdown as editors write it, rendered to HTML that is safe to put in a page: pulldown-cmark
//! renders, then ammonia keeps only harmless tags and attributes (no `<script>`, no event
//! handlers, no `javascript:` links, no inline styles).

use pulldown_cmark::{Event, Options, Parser, html};

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// The sanitised HTML of `markdown`.
pub fn to_html(markdown: &str) -> String {
    let mut raw = String::new();
    html::push_html(&mut raw, Parser::new_ext(markdown, options()));
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer"))
        .url_schemes(["https", "mailto", "tel"].into_iter().collect())
        .clean(&raw)
        .to_string()
}

/// The words of `markdown` without its markup, for search snippets.
pub fn to_text(markdown: &str) -> String {
    let mut text = String::new();
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_renders_and_anything_that_could_run_is_stripped() {
        let html = to_html("## Quyền lợi\n\n- **Thai sản**: 6 tháng\n\n[Hồ sơ](/account/claims)");
        assert!(html.contains("<h2>Quyền lợi</h2>"), "{html}");
        assert!(html.contains("<strong>Thai sản</strong>"), "{html}");
        assert!(html.contains("href=\"/account/claims\""), "{html}");

        let hostile = to_html(
            "<script>alert(1)</script>\n\n<img src=x onerror=\"alert(2)\">\n\n\
             [bấm vào đây](javascript:alert(3))\n\n<a href=\"JaVaScRiPt:alert(4)\">x</a>\n\n\
             <p onclick=\"alert(5)\" style=\"color:red\">đoạn</p>\n\n<iframe src=\"https://x\"></iframe>",
        );
        for bad in [
            "<script",
            "alert(1)",
            "onerror",
            "javascript:",
            "JaVaScRiPt",
            "onclick",
            "style=",
            "<iframe",
        ] {
            assert!(
                !hostile.to_lowercase().contains(&bad.to_lowercase()),
                "{bad} left in {hostile}"
            );
        }
        assert!(
            hostile.contains("đoạn") && hostile.contains("bấm vào đây"),
            "{hostile}"
        );
    }

    #[test]
    fn text_drops_the_markup() {
        assert_eq!(
            to_text("## Điều kiện\n\nĐóng **đủ 6 tháng** trong 12 tháng.\n\n- một\n- hai"),
            "Điều kiện Đóng đủ 6 tháng trong 12 tháng. một hai"
        );
    }
}
