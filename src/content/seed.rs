//! The content the portal starts with, written by us (never copied) from DOMAIN.md: procedures,
//! FAQ entries and articles in Vietnamese and English, in `seed/*.json`. Loaded once, into an
//! empty content table; editors change it from there.

use serde::Deserialize;

use super::model::{Facts, Kind, Status};
use super::store::{self, Draft};
use crate::app::AppState;
use crate::error::AppError;

const PROCEDURES: &str = include_str!("seed/procedures.json");
const FAQS: &str = include_str!("seed/faqs.json");
const ARTICLES: &str = include_str!("seed/articles.json");

#[derive(Deserialize)]
struct Procedure {
    code: String,
    category: String,
    tags: Vec<String>,
    online_form: Option<String>,
    vi: ProcedureText,
    en: ProcedureText,
}

#[derive(Deserialize)]
struct ProcedureText {
    title: String,
    summary: String,
    who: String,
    documents: Vec<String>,
    steps: Vec<String>,
    processing_time: String,
    fee: String,
    where_to_file: String,
    body_md: String,
}

#[derive(Deserialize)]
struct Faq {
    category: String,
    tags: Vec<String>,
    vi: FaqText,
    en: FaqText,
}

#[derive(Deserialize)]
struct FaqText {
    question: String,
    answer_md: String,
}

#[derive(Deserialize)]
struct Article {
    slug: String,
    category: String,
    tags: Vec<String>,
    vi: ArticleText,
    en: ArticleText,
}

#[derive(Deserialize)]
struct ArticleText {
    title: String,
    summary: String,
    body_md: String,
}

/// Every seeded item, both languages.
pub fn drafts(now: crate::clock::Timestamp) -> Result<Vec<Draft>, AppError> {
    let parse = |what: &str, error: serde_json::Error| {
        AppError::Internal(anyhow::anyhow!("seed content {what}: {error}"))
    };
    let procedures: Vec<Procedure> =
        serde_json::from_str(PROCEDURES).map_err(|e| parse("procedures", e))?;
    let faqs: Vec<Faq> = serde_json::from_str(FAQS).map_err(|e| parse("faqs", e))?;
    let articles: Vec<Article> =
        serde_json::from_str(ARTICLES).map_err(|e| parse("articles", e))?;
    let published = |kind, lang, slug: &str, group: String| Draft {
        kind,
        lang,
        slug: slug.to_owned(),
        group_id: group,
        status: Status::Published,
        publish_at: Some(now),
        category: String::new(),
        tags: Vec::new(),
        title: String::new(),
        summary: String::new(),
        body_md: String::new(),
        facts: Facts::default(),
    };
    let mut drafts = Vec::new();
    for p in procedures {
        for (lang, text) in [("vi", &p.vi), ("en", &p.en)] {
            drafts.push(Draft {
                category: p.category.clone(),
                tags: p.tags.clone(),
                title: text.title.clone(),
                summary: text.summary.clone(),
                body_md: text.body_md.clone(),
                facts: Facts {
                    who: text.who.clone(),
                    documents: text.documents.clone(),
                    steps: text.steps.clone(),
                    processing_time: text.processing_time.clone(),
                    fee: text.fee.clone(),
                    where_to_file: text.where_to_file.clone(),
                    online_form: p.online_form.clone(),
                },
                ..published(
                    Kind::Procedure,
                    lang,
                    &p.code,
                    format!("procedure:{}", p.code),
                )
            });
        }
    }
    for (n, f) in faqs.into_iter().enumerate() {
        let group = format!("faq:{}", n + 1);
        for (lang, text) in [("vi", &f.vi), ("en", &f.en)] {
            drafts.push(Draft {
                category: f.category.clone(),
                tags: f.tags.clone(),
                title: text.question.clone(),
                body_md: text.answer_md.clone(),
                ..published(Kind::Faq, lang, &slug_of(&text.question), group.clone())
            });
        }
    }
    for a in articles {
        // One slug for both languages, so the language switch keeps the page.
        for (lang, text) in [("vi", &a.vi), ("en", &a.en)] {
            drafts.push(Draft {
                category: a.category.clone(),
                tags: a.tags.clone(),
                title: text.title.clone(),
                summary: text.summary.clone(),
                body_md: text.body_md.clone(),
                ..published(Kind::Article, lang, &a.slug, format!("article:{}", a.slug))
            });
        }
    }
    Ok(drafts)
}

/// A URL slug from a title: folded, words joined by hyphens, at most 80 characters.
pub fn slug_of(title: &str) -> String {
    let folded = crate::text::fold(title);
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut slug = String::new();
    for word in words {
        if slug.len() + word.len() + 1 > 80 {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(word);
    }
    slug
}

/// Loads the seed into an empty content table (one transaction).
pub async fn load(state: &AppState) -> Result<(), AppError> {
    let now = state.clock.now();
    state
        .db
        .write(move |conn| {
            if store::any(conn)? {
                return Ok(());
            }
            for draft in drafts(now)? {
                store::save(conn, &draft, None, now)?;
            }
            Ok(())
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_parses_and_has_what_the_catalogue_needs() {
        let drafts = drafts(chrono::NaiveDateTime::default()).unwrap();
        let count = |kind, lang| {
            drafts
                .iter()
                .filter(|d| d.kind == kind && d.lang == lang)
                .count()
        };
        for lang in ["vi", "en"] {
            assert!(count(Kind::Procedure, lang) >= 20, "{lang} procedures");
            assert!(count(Kind::Faq, lang) >= 15, "{lang} FAQ entries");
        }
        for d in &drafts {
            assert!(!d.slug.is_empty() && !d.title.trim().is_empty(), "{d:?}");
            assert!(!d.body_md.contains("http"), "no outside links: {}", d.slug);
        }
        let mut keys: Vec<_> = drafts
            .iter()
            .map(|d| (d.kind.as_str(), d.lang, &d.slug))
            .collect();
        keys.sort();
        let before = keys.len();
        keys.dedup();
        assert_eq!(before, keys.len(), "slugs are unique per kind and language");
    }

    #[test]
    fn slugs_are_plain_words() {
        assert_eq!(
            slug_of("Hưởng trợ cấp thất nghiệp: cần gì?"),
            "huong-tro-cap-that-nghiep-can-gi"
        );
    }
}
