//! A line diff, so an editor sees what a revision has that the current text does not (and the
//! other way round) before restoring it. The longest common subsequence of lines, after the
//! common head and tail are set aside; a pure function of two texts.

/// How a line of the diff relates the old text to the new.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// In both texts.
    Same,
    /// Only in the old text.
    Removed,
    /// Only in the new text.
    Added,
}

/// One line of a diff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line<'a> {
    pub change: Change,
    pub text: &'a str,
}

impl Line<'_> {
    pub fn is_same(&self) -> bool {
        self.change == Change::Same
    }

    pub fn is_removed(&self) -> bool {
        self.change == Change::Removed
    }

    pub fn is_added(&self) -> bool {
        self.change == Change::Added
    }
}

/// The most table cells the subsequence may take (about 16 MB); beyond it the differing middle
/// is shown as removed, then added, rather than slowing the page or exhausting memory.
const MAX_CELLS: usize = 4_000_000;

/// The lines of `old` and `new` in order, each marked as kept, removed or added. Line ends
/// (`\n` or `\r\n`) do not count, so a text saved from another system compares equal.
pub fn lines<'a>(old: &'a str, new: &'a str) -> Vec<Line<'a>> {
    let old: Vec<&str> = old.lines().collect();
    let new: Vec<&str> = new.lines().collect();
    let head = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let tail = old[head..]
        .iter()
        .rev()
        .zip(new[head..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (old_middle, new_middle) = (&old[head..old.len() - tail], &new[head..new.len() - tail]);
    let same = |text: &'a str| Line {
        change: Change::Same,
        text,
    };
    let mut diff: Vec<Line<'a>> = old[..head].iter().map(|t| same(t)).collect();
    diff.extend(middle(old_middle, new_middle));
    diff.extend(old[old.len() - tail..].iter().map(|t| same(t)));
    diff
}

/// The diff of two texts that differ in their first and last lines.
fn middle<'a>(old: &[&'a str], new: &[&'a str]) -> Vec<Line<'a>> {
    let removed = |text: &'a str| Line {
        change: Change::Removed,
        text,
    };
    let added = |text: &'a str| Line {
        change: Change::Added,
        text,
    };
    let (n, m) = (old.len(), new.len());
    if n == 0 || m == 0 || (n + 1).saturating_mul(m + 1) > MAX_CELLS {
        let mut diff: Vec<Line<'a>> = old.iter().map(|t| removed(t)).collect();
        diff.extend(new.iter().map(|t| added(t)));
        return diff;
    }
    // common[i][j]: the length of the longest common subsequence of old[i..] and new[j..].
    let width = m + 1;
    let mut common = vec![0u32; (n + 1) * width];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            common[i * width + j] = if old[i] == new[j] {
                common[(i + 1) * width + j + 1] + 1
            } else {
                common[(i + 1) * width + j].max(common[i * width + j + 1])
            };
        }
    }
    let mut diff = Vec::with_capacity(n + m);
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if old[i] == new[j] {
            diff.push(Line {
                change: Change::Same,
                text: old[i],
            });
            i += 1;
            j += 1;
        } else if common[(i + 1) * width + j] >= common[i * width + j + 1] {
            // Removals first, so a changed line reads as the old one, then the new one.
            diff.push(removed(old[i]));
            i += 1;
        } else {
            diff.push(added(new[j]));
            j += 1;
        }
    }
    diff.extend(old[i..].iter().map(|t| removed(t)));
    diff.extend(new[j..].iter().map(|t| added(t)));
    diff
}

/// Whether a diff has any change at all.
pub fn any_change(diff: &[Line<'_>]) -> bool {
    diff.iter().any(|line| !line.is_same())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The diff written as `  kept`, `- removed`, `+ added`.
    fn shown(old: &str, new: &str) -> Vec<String> {
        lines(old, new)
            .into_iter()
            .map(|line| {
                let mark = match line.change {
                    Change::Same => ' ',
                    Change::Removed => '-',
                    Change::Added => '+',
                };
                format!("{mark} {}", line.text)
            })
            .collect()
    }

    #[test]
    fn the_same_text_has_no_change() {
        let text = "Điều kiện\nĐóng đủ 12 tháng";
        assert_eq!(shown(text, text), ["  Điều kiện", "  Đóng đủ 12 tháng"]);
        assert!(!any_change(&lines(text, text)));
        assert!(lines("", "").is_empty());
    }

    #[test]
    fn a_changed_line_reads_as_the_old_one_then_the_new_one() {
        let old = "# Trợ cấp\nMức hưởng 60%\nNộp tại xã";
        let new = "# Trợ cấp\nMức hưởng 65%\nNộp tại xã";
        assert_eq!(
            shown(old, new),
            [
                "  # Trợ cấp",
                "- Mức hưởng 60%",
                "+ Mức hưởng 65%",
                "  Nộp tại xã"
            ]
        );
        assert!(any_change(&lines(old, new)));
    }

    #[test]
    fn lines_added_and_removed_anywhere_keep_the_rest_in_place() {
        assert_eq!(
            shown("a\nb\nc\nd", "x\na\nc\nd\ne"),
            ["+ x", "  a", "- b", "  c", "  d", "+ e"]
        );
        assert_eq!(shown("", "một\nhai"), ["+ một", "+ hai"]);
        assert_eq!(shown("một\nhai", ""), ["- một", "- hai"]);
    }

    #[test]
    fn the_longest_common_run_is_kept_when_lines_move() {
        // "b c d" is longer than "a", so "a" is the line that moved.
        assert_eq!(
            shown("a\nb\nc\nd", "b\nc\nd\na"),
            ["- a", "  b", "  c", "  d", "+ a"]
        );
    }

    #[test]
    fn repeated_lines_are_matched_once_each() {
        assert_eq!(shown("-\n-\nx", "-\nx\n-"), ["  -", "- -", "  x", "+ -"]);
    }

    #[test]
    fn line_ends_do_not_count() {
        assert!(!any_change(&lines("một\r\nhai\r\n", "một\nhai")));
    }

    #[test]
    fn very_long_texts_fall_back_to_removed_then_added_in_the_middle() {
        let old: String = (0..2_100).map(|n| format!("old {n}\n")).collect();
        let new: String = (0..2_100).map(|n| format!("new {n}\n")).collect();
        let old = format!("head\n{old}tail");
        let new = format!("head\n{new}tail");
        let diff = lines(&old, &new);
        assert_eq!(diff.len(), 2 + 2 * 2_100);
        assert!(diff[0].is_same() && diff[diff.len() - 1].is_same());
        assert!(diff[1..=2_100].iter().all(Line::is_removed));
        assert!(diff[2_101..diff.len() - 1].iter().all(Line::is_added));
    }
}
