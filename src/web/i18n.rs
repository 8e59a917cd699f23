//! Languages and message catalogs. Vietnamese is the default; English is the second language.
//! Strings live in `frontend/locales/{vi,en}.json` (flat `key → text`), compiled into the binary;
//! a test checks both catalogs have the same keys and every key the templates use.

use std::collections::HashMap;
use std::sync::LazyLock;

use actix_web::HttpRequest;
use actix_web::http::header::ACCEPT_LANGUAGE;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Vi,
    En,
}

/// The cookie that remembers the language chosen with the language switch.
pub const LANG_COOKIE: &str = "lang";

impl Lang {
    /// Digits grouped in thousands as written in this language: `1.500.000` (vi),
    /// `1,500,000` (en).
    pub fn group_digits(self, amount: i64) -> String {
        let separator = match self {
            Self::Vi => '.',
            Self::En => ',',
        };
        let digits = amount.unsigned_abs().to_string();
        let mut grouped = String::new();
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(separator);
            }
            grouped.push(digit);
        }
        if amount < 0 {
            format!("-{grouped}")
        } else {
            grouped
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Vi => "vi",
            Self::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code.trim().get(..2)?.to_ascii_lowercase().as_str() {
            "vi" => Some(Self::Vi),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    pub fn other(self) -> Self {
        match self {
            Self::Vi => Self::En,
            Self::En => Self::Vi,
        }
    }

    /// The language of this request: `?lang=` (the switch), then the `lang` cookie, then
    /// `Accept-Language`, then Vietnamese.
    pub fn of_request(req: &HttpRequest) -> Self {
        query_lang(req.query_string())
            .or_else(|| req.cookie(LANG_COOKIE).and_then(|c| Lang::parse(c.value())))
            .or_else(|| {
                let header = req.headers().get(ACCEPT_LANGUAGE)?.to_str().ok()?;
                header
                    .split(',')
                    .find_map(|part| Lang::parse(part.split(';').next()?))
            })
            .unwrap_or_default()
    }

    /// The text for `key` in this language (pages use [`crate::web::pages::PageContext::t`];
    /// this serves text shown in another language than the page's, such as a preview).
    pub fn t(self, key: &str) -> &str {
        self.catalog().text(key)
    }

    pub fn catalog(self) -> &'static Catalog {
        match self {
            Self::Vi => &VI,
            Self::En => &EN,
        }
    }
}

/// `lang` from a query string, when the language switch was used.
pub fn query_lang(query: &str) -> Option<Lang> {
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("lang="))
        .and_then(Lang::parse)
}

/// Middleware: when the language switch was used (`?lang=`), remembers the choice in a cookie.
pub async fn remember_choice(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let chosen = query_lang(req.query_string());
    let mut res = next.call(req).await?;
    if let Some(lang) = chosen {
        let cookie = actix_web::cookie::Cookie::build(LANG_COOKIE, lang.code())
            .path("/")
            .same_site(actix_web::cookie::SameSite::Lax)
            .max_age(actix_web::cookie::time::Duration::days(365))
            .finish();
        let _ = res.response_mut().add_cookie(&cookie);
    }
    Ok(res)
}

pub struct Catalog {
    texts: HashMap<String, String>,
}

impl Catalog {
    fn load(json: &str) -> Self {
        // The catalogs are compiled in and checked by tests; a broken one is a build defect.
        let texts = serde_json::from_str(json).unwrap_or_else(|error| {
            panic!("frontend/locales catalog is not a flat JSON object of strings: {error}")
        });
        Self { texts }
    }

    /// The text for `key`; the key itself when missing (tests keep that from happening).
    pub fn text<'a>(&'a self, key: &'a str) -> &'a str {
        self.texts.get(key).map(String::as_str).unwrap_or(key)
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.texts.keys().map(String::as_str)
    }

    pub fn has(&self, key: &str) -> bool {
        self.texts.contains_key(key)
    }
}

static VI: LazyLock<Catalog> =
    LazyLock::new(|| Catalog::load(include_str!("../../frontend/locales/vi.json")));
static EN: LazyLock<Catalog> =
    LazyLock::new(|| Catalog::load(include_str!("../../frontend/locales/en.json")));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_catalogs_have_the_same_keys() {
        let vi: std::collections::BTreeSet<_> = Lang::Vi.catalog().keys().collect();
        let en: std::collections::BTreeSet<_> = Lang::En.catalog().keys().collect();
        assert_eq!(
            vi.symmetric_difference(&en).collect::<Vec<_>>(),
            Vec::<&&str>::new()
        );
    }

    #[test]
    fn every_key_used_by_templates_and_code_exists() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/");
        let mut missing = Vec::new();
        for (dir, markers) in [
            ("frontend/templates", &[".t(\""][..]),
            ("src", &[".t(\"", ".text(\""][..]),
        ] {
            for path in files_under(&format!("{root}{dir}")) {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                for key in markers.iter().flat_map(|m| quoted_keys(&text, m)) {
                    if !Lang::Vi.catalog().has(&key) {
                        missing.push(format!("{path}: {key}"));
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "missing catalog keys:\n{}",
            missing.join("\n")
        );
    }

    /// Keys written as `<marker>…")`, e.g. `ctx.t("…")` in templates, `.text("…")` in code.
    fn quoted_keys(text: &str, marker: &str) -> Vec<String> {
        text.split(marker)
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .filter(|key| !key.contains(['{', '…']) && !key.is_empty())
            .map(str::to_owned)
            .collect()
    }

    fn files_under(dir: &str) -> Vec<String> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                files.extend(files_under(&path.to_string_lossy()));
            } else {
                files.push(path.to_string_lossy().into_owned());
            }
        }
        files
    }

    #[test]
    fn language_comes_from_the_switch_first() {
        assert_eq!(query_lang("a=1&lang=en"), Some(Lang::En));
        assert_eq!(Lang::parse("en-GB"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
    }
}
