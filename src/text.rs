//! Text as search and name checks compare it: Vietnamese folded to plain lower-case letters.

/// Vietnamese letters with their tone and vowel marks, by the plain letter they fold to.
const MARKED: [(char, &str); 7] = [
    ('a', "àáảãạăằắẳẵặâầấẩẫậ"),
    ('e', "èéẻẽẹêềếểễệ"),
    ('i', "ìíỉĩị"),
    ('o', "òóỏõọôồốổỗộơờớởỡợ"),
    ('u', "ùúủũụưừứửữự"),
    ('y', "ỳýỷỹỵ"),
    // đ, and the look-alike ð (Icelandic eth) that some keyboards put in its place.
    ('d', "đð"),
];

/// Text as banks compare names and search compares words: lower case, without Vietnamese
/// tone and vowel marks (đ → d), single spaces. "NGUYEN VAN AN", "Nguyễn Văn An" and "nguyễn  văn  an" all fold
/// to "nguyen van an". Marks typed as separate combining characters (decomposed Unicode, as
/// some keyboards send) are dropped as well.
pub fn fold(name: &str) -> String {
    let folded: String = name
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(plain)
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A lower-case character without its tone and vowel marks (`ộ` → `o`, `đ` → `d`); `None` for
/// a combining mark (U+0300–U+036F), which folds away.
pub fn plain(c: char) -> Option<char> {
    if ('\u{0300}'..='\u{036F}').contains(&c) {
        return None;
    }
    Some(
        MARKED
            .iter()
            .find(|(_, marked)| marked.contains(c))
            .map_or(c, |(plain, _)| *plain),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fold_without_case_marks_or_extra_spaces() {
        assert_eq!(fold("Nguyễn Văn An"), "nguyen van an");
        assert_eq!(fold("NGUYEN VAN AN"), "nguyen van an");
        assert_eq!(fold("  nguyễn   VĂN\tan "), "nguyen van an");
        assert_eq!(fold("ĐẶNG THỊ THU HƯỜNG"), "dang thi thu huong");
        assert_eq!(fold("Đỗ Quỳnh Như"), "do quynh nhu");
        assert_eq!(fold("Ðinh Ngọc Ý"), "dinh ngoc y");
        assert_eq!(fold("Trương Ưng Ợ Ẩ Ẽ Ị"), "truong ung o a e i");
    }

    #[test]
    fn decomposed_marks_fold_like_precomposed_ones() {
        // "Nguyễn Văn Ơn" typed with combining marks: e + circumflex + tilde, a + breve, O + horn.
        let decomposed = "Nguye\u{0302}\u{0303}n Va\u{0306}n O\u{031B}n";
        assert_eq!(fold(decomposed), "nguyen van on");
    }
}
