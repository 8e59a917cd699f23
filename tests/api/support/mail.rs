//! A real SMTP server in the test process (mailin-embedded on port 0). The app delivers to it
//! over TCP exactly as to a production relay; tests read what arrived.

use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use mailin_embedded::response::{self, Response};
use mailin_embedded::{Handler, Server};

#[derive(Clone, Debug)]
pub struct Mail {
    pub to: Vec<String>,
    pub raw: String,
}

#[derive(Clone, Default)]
struct Capture {
    inbox: Arc<Mutex<Vec<Mail>>>,
    to: Vec<String>,
    data: Vec<u8>,
}

impl Handler for Capture {
    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.to = to.to_vec();
        self.data.clear();
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let mail = Mail {
            to: std::mem::take(&mut self.to),
            raw: String::from_utf8_lossy(&self.data).into_owned(),
        };
        self.inbox.lock().expect("inbox").push(mail);
        response::OK
    }
}

pub struct MailSink {
    pub port: u16,
    inbox: Arc<Mutex<Vec<Mail>>>,
}

impl MailSink {
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("SMTP port");
        let port = listener.local_addr().expect("address").port();
        let capture = Capture::default();
        let inbox = capture.inbox.clone();
        let mut server = Server::new(capture);
        server
            .with_name("sink.test")
            .with_num_threads(2)
            .with_tcp_listener(listener);
        // The server has no shutdown; its threads end with the test process.
        std::thread::spawn(move || {
            let _ = server.serve();
        });
        MailSink { port, inbox }
    }

    pub fn all(&self) -> Vec<Mail> {
        self.inbox.lock().expect("inbox").clone()
    }

    pub fn to(&self, address: &str) -> Vec<Mail> {
        self.all()
            .into_iter()
            .filter(|m| m.to.iter().any(|t| t == address))
            .collect()
    }

    /// Waits (up to 10 s) until `count` messages have reached `address`; returns them in order.
    pub async fn wait_count(&self, address: &str, count: usize) -> Vec<Mail> {
        for _ in 0..200 {
            let mails = self.to(address);
            if mails.len() >= count {
                return mails;
            }
            actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "expected {count} emails to {address}, got {}",
            self.to(address).len()
        );
    }

    /// Waits (up to 10 s) for a message to `address` whose subject contains `subject`.
    pub async fn wait_for(&self, address: &str, subject: &str) -> Mail {
        for _ in 0..200 {
            if let Some(mail) = self
                .to(address)
                .into_iter()
                .rev()
                .find(|m| m.subject().contains(subject))
            {
                return mail;
            }
            actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "no email to {address} with subject containing {subject:?}; got {:#?}",
            self.all()
                .iter()
                .map(|m| (m.to.clone(), m.subject()))
                .collect::<Vec<_>>()
        );
    }
}

impl Mail {
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.raw.split("\r\n\r\n").next()?;
        let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
        unfolded.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name)
                .then(|| value.trim().to_owned())
        })
    }

    pub fn subject(&self) -> String {
        decode_words(&self.header("subject").unwrap_or_default())
    }

    /// The decoded text/plain part.
    pub fn text(&self) -> String {
        self.part("text/plain")
    }

    pub fn html(&self) -> String {
        self.part("text/html")
    }

    fn part(&self, content_type: &str) -> String {
        for part in self.raw.split("\r\n--") {
            let Some((head, body)) = part.split_once("\r\n\r\n") else {
                continue;
            };
            let head_lower = head.to_ascii_lowercase();
            if !head_lower.contains(&format!("content-type: {content_type}")) {
                continue;
            }
            let body = body.trim_end_matches("\r\n");
            return if head_lower.contains("content-transfer-encoding: base64") {
                let compact: String = body.split_whitespace().collect();
                String::from_utf8_lossy(
                    &base64::engine::general_purpose::STANDARD
                        .decode(compact)
                        .unwrap_or_default(),
                )
                .into_owned()
            } else if head_lower.contains("content-transfer-encoding: quoted-printable") {
                quoted_printable(body)
            } else {
                body.to_owned()
            };
        }
        String::new()
    }

    /// The token of the first link carrying `?token=`.
    pub fn token(&self) -> Option<String> {
        let text = self.text();
        let start = text.find("?token=")? + "?token=".len();
        Some(
            text[start..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect(),
        )
    }
}

fn quoted_printable(body: &str) -> String {
    let joined = body.replace("=\r\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Ok(byte) = u8::from_str_radix(&joined[i + 1..i + 3], 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Decodes RFC 2047 encoded words (`=?utf-8?b?…?=`, `=?utf-8?q?…?=`).
fn decode_words(value: &str) -> String {
    value
        .split_whitespace()
        .map(|word| {
            let parts: Vec<&str> = word.split('?').collect();
            if parts.len() == 5 && parts[0] == "=" && parts[4] == "=" {
                match parts[2].to_ascii_lowercase().as_str() {
                    "b" => String::from_utf8_lossy(
                        &base64::engine::general_purpose::STANDARD
                            .decode(parts[3])
                            .unwrap_or_default(),
                    )
                    .into_owned(),
                    _ => quoted_printable(&parts[3].replace('_', " ")),
                }
            } else {
                format!(" {word} ")
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
