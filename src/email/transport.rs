//! Where email goes: an SMTP server when `SMTP_URL` is set, otherwise `.eml` files in
//! `MAIL_DIR` (the embedded default), each logged so a developer sees the link to click.

use std::path::PathBuf;

use anyhow::Context;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::Settings;

pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>, PathBuf),
}

/// One queued row, as the worker hands it over.
pub struct Outgoing {
    pub id: String,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl Transport {
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        match &settings.smtp_url {
            Some(url) => Ok(Self::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .context("SMTP_URL is not a valid smtp:// or smtps:// URL")?
                    .timeout(Some(std::time::Duration::from_secs(10)))
                    .build(),
            )),
            None => {
                std::fs::create_dir_all(&settings.mail_dir)
                    .with_context(|| format!("creating {}", settings.mail_dir.display()))?;
                Ok(Self::Files(
                    AsyncFileTransport::new(&settings.mail_dir),
                    settings.mail_dir.clone(),
                ))
            }
        }
    }

    pub async fn send(&self, from: &str, message: &Outgoing) -> anyhow::Result<()> {
        let from: Mailbox = from.parse().context("MAIL_FROM is not a valid address")?;
        let to: Mailbox = message.to.parse().context("recipient address")?;
        let email = Message::builder()
            .from(from)
            .to(to)
            .subject(&message.subject)
            // Stable per outbox row: a message sent twice after a crash can be recognised.
            .message_id(Some(format!("<{}@ansinh>", message.id)))
            .multipart(MultiPart::alternative_plain_html(
                message.text.clone(),
                message.html.clone(),
            ))
            .context("building the message")?;
        match self {
            Self::Smtp(smtp) => smtp.send(email).await.map(drop).context("SMTP delivery"),
            Self::Files(files, dir) => {
                let id = files.send(email).await.context("writing the .eml file")?;
                tracing::info!(
                    subject = %message.subject,
                    file = %dir.join(format!("{id}.eml")).display(),
                    "email written to a file (no SMTP_URL set)"
                );
                Ok(())
            }
        }
    }
}
