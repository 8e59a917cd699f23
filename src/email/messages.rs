//! The texts of every email, in the recipient's language. One layout for all: a greeting, a few
//! paragraphs, at most one action link, and a footer saying why the message was sent. Messages
//! never carry personal ID numbers, bank details or amounts (SECURITY.md AUTH-08).

use askama::Template;

use super::Email;
use crate::web::i18n::Lang;

#[derive(Template)]
#[template(path = "email/message.html")]
struct HtmlMessage<'a> {
    lang: Lang,
    subject: &'a str,
    greeting: &'a str,
    paragraphs: &'a [String],
    action: Option<(&'a str, &'a str)>,
    footer: &'a str,
}

struct Message<'a> {
    lang: Lang,
    to: &'a str,
    name: &'a str,
    /// Catalog key prefix: `email.<kind>.subject`, `.body`, `.action`.
    kind: &'a str,
    link: Option<&'a str>,
    extra: &'a [(&'a str, String)],
}

impl Message<'_> {
    fn render(&self) -> Email {
        let catalog = self.lang.catalog();
        let fill = |text: &str| {
            let mut text = text.replace("{name}", self.name);
            for (placeholder, value) in self.extra {
                text = text.replace(&format!("{{{placeholder}}}"), value);
            }
            text
        };
        let subject = fill(catalog.text(&format!("email.{}.subject", self.kind)));
        let greeting = fill(catalog.text("email.greeting"));
        let paragraphs: Vec<String> = catalog
            .text(&format!("email.{}.body", self.kind))
            .split("\n\n")
            .map(fill)
            .collect();
        let action_label = catalog
            .text(&format!("email.{}.action", self.kind))
            .to_owned();
        // Security notices say what to do if it was not you, not "ignore this email".
        let own_footer = format!("email.{}.footer", self.kind);
        let footer = if catalog.has(&own_footer) {
            catalog.text(&own_footer)
        } else {
            catalog.text("email.footer")
        };
        let action = self.link.map(|link| (action_label.as_str(), link));

        let mut text = format!("{greeting}\n\n{}\n\n", paragraphs.join("\n\n"));
        if let Some((label, link)) = action {
            text.push_str(&format!("{label}:\n{link}\n\n"));
        }
        text.push_str(&format!("--\n{footer}\n"));
        let html = HtmlMessage {
            lang: self.lang,
            subject: &subject,
            greeting: &greeting,
            paragraphs: &paragraphs,
            action,
            footer,
        }
        .render()
        .unwrap_or_else(|_| {
            format!(
                "<pre>{}</pre>",
                askama::filters::escape(&text, askama::filters::Html)
                    .map(|e| e.to_string())
                    .unwrap_or_default()
            )
        });
        Email {
            to: self.to.to_owned(),
            subject,
            text,
            html,
        }
    }
}

/// Confirms the address given at registration.
pub fn verify_email(lang: Lang, to: &str, name: &str, link: &str) -> Email {
    Message {
        lang,
        to,
        name,
        kind: "verify_email",
        link: Some(link),
        extra: &[],
    }
    .render()
}

/// Someone tried to register with this address or personal ID again: tell the owner, not them.
pub fn already_registered(lang: Lang, to: &str, name: &str, reset_link: &str) -> Email {
    Message {
        lang,
        to,
        name,
        kind: "already_registered",
        link: Some(reset_link),
        extra: &[],
    }
    .render()
}

pub fn password_reset(lang: Lang, to: &str, name: &str, link: &str, minutes: u64) -> Email {
    let extra = [("minutes", minutes.to_string())];
    Message {
        lang,
        to,
        name,
        kind: "password_reset",
        link: Some(link),
        extra: &extra,
    }
    .render()
}

/// Sent after any password change, so the owner notices one they did not make.
pub fn password_changed(lang: Lang, to: &str, name: &str, reset_link: &str) -> Email {
    Message {
        lang,
        to,
        name,
        kind: "password_changed",
        link: Some(reset_link),
        extra: &[],
    }
    .render()
}

pub fn staff_invitation(lang: Lang, to: &str, name: &str, link: &str, role: &str) -> Email {
    let extra = [("role", role.to_owned())];
    Message {
        lang,
        to,
        name,
        kind: "staff_invitation",
        link: Some(link),
        extra: &extra,
    }
    .render()
}

/// A notice about a registration, a claim or their payments (`kind` picks the texts:
/// `email.<kind>.subject`, `.body`, `.action`). It links to the page concerned and carries no
/// amounts; `extra` fills placeholders such as a refusal reason or a date.
pub fn notice(
    lang: Lang,
    to: &str,
    name: &str,
    kind: &str,
    link: &str,
    extra: &[(&str, String)],
) -> Email {
    Message {
        lang,
        to,
        name,
        kind,
        link: Some(link),
        extra,
    }
    .render()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_come_in_both_languages_with_text_and_html() {
        let vi = verify_email(
            Lang::Vi,
            "lan@example.vn",
            "Lan",
            "https://x/verify?token=abc",
        );
        let en = verify_email(
            Lang::En,
            "lan@example.vn",
            "Lan",
            "https://x/verify?token=abc",
        );
        assert_ne!(vi.subject, en.subject);
        for email in [&vi, &en] {
            assert!(email.text.contains("https://x/verify?token=abc"));
            assert!(email.html.contains("href=\"https://x/verify?token=abc\""));
            assert!(email.text.contains("Lan"));
        }
    }

    #[test]
    fn names_are_escaped_in_html() {
        let email = password_changed(Lang::En, "a@b.vn", "<script>", "https://x/");
        assert!(!email.html.contains("<script>"));
    }

    #[test]
    fn security_notices_say_what_to_do_if_it_was_not_you() {
        let notice = password_changed(Lang::Vi, "a@b.vn", "Lan", "https://x/");
        assert!(
            notice.text.contains("đặt lại mật khẩu ngay"),
            "{}",
            notice.text
        );
        assert!(!notice.text.contains("bỏ qua email"), "{}", notice.text);
        let ordinary = verify_email(Lang::Vi, "a@b.vn", "Lan", "https://x/verify");
        assert!(ordinary.text.contains("bỏ qua email"), "{}", ordinary.text);
    }
}
