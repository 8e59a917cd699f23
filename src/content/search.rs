//! Search over policy content, the same on SQLite and PostgreSQL: the query and the stored
//! text are both folded ([`crate::text::fold`]: lower case, no Vietnamese marks), so "bao hiem
//! that nghiep", "BẢO HIỂM" and "bảo hiểm thất nghiệp" all match. Every word must appear (in
//! the title or the body); a title with every word ranks first, then the phrase in the body,
//! then the count of words in the title.

/// A search as typed, folded into words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    /// The folded words, at most [`MAX_WORDS`], each at most 40 characters.
    pub words: Vec<String>,
    /// The folded words joined by single spaces.
    pub phrase: String,
}

pub const MAX_WORDS: usize = 8;

impl Query {
    /// The query in `text`, or `None` when it has no words.
    pub fn parse(text: &str) -> Option<Self> {
        let words: Vec<String> = crate::text::fold(text)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .take(MAX_WORDS)
            .map(|w| w.chars().take(40).collect())
            .collect();
        if words.is_empty() {
            return None;
        }
        let phrase = words.join(" ");
        Some(Self { words, phrase })
    }

    /// How well an item matches, from its folded title and body; 0 when a word is missing.
    pub fn score(&self, title: &str, body: &str) -> u32 {
        if !self
            .words
            .iter()
            .all(|w| title.contains(w.as_str()) || body.contains(w.as_str()))
        {
            return 0;
        }
        let in_title = self
            .words
            .iter()
            .filter(|w| title.contains(w.as_str()))
            .count();
        let mut score = 1 + 10 * u32::try_from(in_title).unwrap_or(0);
        if in_title == self.words.len() {
            score += 100;
        }
        if title.contains(&self.phrase) {
            score += 200;
        } else if body.contains(&self.phrase) {
            score += 50;
        }
        score
    }
}

/// A `LIKE` pattern finding `word` anywhere, with `%`, `_` and `\` escaped (`ESCAPE '\'`).
pub fn like_anywhere(word: &str) -> String {
    let mut pattern = String::from("%");
    for c in word.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// A piece of a snippet: text, and whether it is a match to highlight.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[schema(as = SnippetPart)]
pub struct Part {
    pub text: String,
    pub hit: bool,
}

/// Up to about `width` characters of `text` around its first match, the matched words marked.
/// Matching is on the folded text, so "thai san" marks "thai sản" in the original.
pub fn snippet(text: &str, query: &Query, width: usize) -> Vec<Part> {
    let chars: Vec<char> = text.chars().collect();
    // The folded text, and for each folded character the original character it came from.
    let mut folded = String::new();
    let mut origin = Vec::new();
    for (i, c) in chars.iter().enumerate() {
        for plain in c.to_lowercase().filter_map(crate::text::plain) {
            folded.push(plain);
            origin.push(i);
        }
    }
    let folded: Vec<char> = folded.chars().collect();
    // Original character ranges of every match of every word.
    let mut hits: Vec<(usize, usize)> = Vec::new();
    for word in &query.words {
        let word: Vec<char> = word.chars().collect();
        let mut at = 0;
        while at + word.len() <= folded.len() {
            if folded[at..at + word.len()] == word[..] {
                hits.push((origin[at], origin[at + word.len() - 1] + 1));
                at += word.len();
            } else {
                at += 1;
            }
        }
    }
    hits.sort_unstable();
    let first = hits.first().map_or(0, |h| h.0);
    let start = first.saturating_sub(width / 3);
    // Start and end on word boundaries.
    let start = if start == 0 {
        0
    } else {
        (start..first.max(start))
            .find(|&i| chars[i].is_whitespace())
            .map_or(start, |i| i + 1)
    };
    let mut end = (start + width).min(chars.len());
    if end < chars.len() {
        end = (start..end)
            .rev()
            .find(|&i| chars[i].is_whitespace())
            .unwrap_or(end);
    }
    let mut parts = Vec::new();
    let mut push = |text: String, hit: bool| {
        if !text.is_empty() {
            parts.push(Part { text, hit });
        }
    };
    if start > 0 {
        push("…".into(), false);
    }
    let mut at = start;
    for (from, to) in hits {
        let (from, to) = (from.max(at), to.min(end));
        if from >= to {
            continue;
        }
        push(chars[at..from].iter().collect(), false);
        push(chars[from..to].iter().collect(), true);
        at = to;
    }
    push(chars[at..end].iter().collect(), false);
    if end < chars.len() {
        push("…".into(), false);
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fold;

    #[test]
    fn queries_fold_like_the_stored_text() {
        let q = Query::parse("  BẢO HIỂM   thất-nghiệp ").unwrap();
        assert_eq!(q.words, ["bao", "hiem", "that", "nghiep"]);
        assert_eq!(q.phrase, "bao hiem that nghiep");
        assert_eq!(Query::parse(" , - "), None);
        assert_eq!(
            Query::parse("a b c d e f g h i j").unwrap().words.len(),
            MAX_WORDS
        );
    }

    #[test]
    fn titles_rank_before_bodies_and_every_word_must_be_there() {
        let q = Query::parse("bao hiem that nghiep").unwrap();
        let title = fold("Hưởng trợ cấp bảo hiểm thất nghiệp");
        let body = fold("Người lao động nghỉ việc có thể hưởng bảo hiểm thất nghiệp.");
        let in_title = q.score(&title, "");
        let in_body = q.score(&fold("Trợ cấp khi mất việc"), &body);
        let scattered = q.score(&fold("Bảo hiểm xã hội"), &fold("thất nghiệp hiểm"));
        assert!(in_title > in_body && in_body > scattered && scattered > 0);
        assert_eq!(q.score(&fold("Bảo hiểm y tế"), &fold("thẻ")), 0);
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_anywhere("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }

    #[test]
    fn snippets_mark_the_original_words_around_the_first_match() {
        let q = Query::parse("thai san").unwrap();
        let text = "Lao động nữ sinh con được nghỉ chế độ thai sản 6 tháng; tiền Thai Sản bằng 100% lương.";
        let parts = snippet(text, &q, 60);
        let marked: Vec<&str> = parts
            .iter()
            .filter(|p| p.hit)
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(marked, ["thai", "sản", "Thai", "Sản"]);
        let joined: String = parts.iter().map(|p| p.text.as_str()).collect();
        assert!(joined.starts_with('…') && joined.ends_with('…'), "{joined}");
        // No match: the start of the text.
        let none = snippet("Một hai ba", &Query::parse("xyz").unwrap(), 60);
        assert_eq!(
            none,
            [Part {
                text: "Một hai ba".into(),
                hit: false
            }]
        );
    }
}
