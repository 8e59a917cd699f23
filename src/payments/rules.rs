//! Pure rules of payment runs: their references, the states of runs and items, the totals and
//! the bank-transfer file (CSV) built from the opened accounts. No clock, database or I/O here.

use chrono::NaiveDate;

/// Where a run is: a draft until its file is exported, closed once every item is settled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = PaymentRunStatus)]
pub enum RunStatus {
    Draft,
    Exported,
    Closed,
}

impl RunStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Exported => "exported",
            Self::Closed => "closed",
        }
    }

    pub fn parse(text: &str) -> Self {
        match text {
            "exported" => Self::Exported,
            "closed" => Self::Closed,
            _ => Self::Draft,
        }
    }

    /// The catalog key naming the state (also what `AppError::WrongState` shows).
    pub fn key(self) -> &'static str {
        match self {
            Self::Draft => "payments.status.draft",
            Self::Exported => "payments.status.exported",
            Self::Closed => "payments.status.closed",
        }
    }
}

/// Where one claim of a run is: waiting for the bank, paid, or sent back by the bank.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = PaymentItemStatus)]
pub enum ItemStatus {
    Pending,
    Paid,
    Returned,
}

impl ItemStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Paid => "paid",
            Self::Returned => "returned",
        }
    }

    pub fn parse(text: &str) -> Self {
        match text {
            "paid" => Self::Paid,
            "returned" => Self::Returned,
            _ => Self::Pending,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Self::Pending => "payments.item.pending",
            Self::Paid => "payments.item.paid",
            Self::Returned => "payments.item.returned",
        }
    }
}

/// A run's reference: the Vietnam date it was made and its number that day,
/// `PR-2026-11-30-001`.
pub fn run_reference(day: NaiveDate, number_that_day: u32) -> String {
    format!("PR-{}-{number_that_day:03}", day.format("%Y-%m-%d"))
}

/// The reference each paid claim carries when the bank gave none: `<run reference>/<seq>`.
pub fn item_reference(run_reference: &str, seq: i64) -> String {
    format!("{run_reference}/{seq}")
}

/// The claim's short id in transfer descriptions: the last 8 characters of its UUID (the
/// random part of a v7 UUID, so claims made in the same millisecond still differ).
pub fn claim_short_id(claim_id: &str) -> String {
    let hex: Vec<char> = claim_id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    hex[hex.len().saturating_sub(8)..]
        .iter()
        .collect::<String>()
        .to_ascii_uppercase()
}

/// What the citizen reads on their bank statement, ASCII only (bank batch files refuse
/// anything else): `BHXH 3C4D5E6F PR-2026-11-30-001`.
pub fn transfer_description(claim_id: &str, run_reference: &str) -> String {
    let text = format!("BHXH {} {run_reference}", claim_short_id(claim_id));
    text.chars()
        .filter(|c| c.is_ascii_graphic() || *c == ' ')
        .collect()
}

/// A name as bank batch files expect it: upper case, without Vietnamese marks, ASCII letters
/// and single spaces. "Nguyễn Văn Ân" → "NGUYEN VAN AN".
pub fn holder_ascii(name: &str) -> String {
    let folded: String = crate::text::fold(name)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == ' ')
        .collect();
    folded
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_uppercase()
}

/// The count and sum of amounts (whole VND).
pub fn totals(amounts: impl IntoIterator<Item = i64>) -> (i64, i64) {
    amounts
        .into_iter()
        .fold((0, 0), |(count, sum), amount| (count + 1, sum + amount))
}

/// One transfer of the bank file, the account number opened from the sealed payout account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transfer {
    pub seq: i64,
    pub bank_bin: String,
    pub account_number: String,
    /// As the citizen gave it, with its marks.
    pub holder_name: String,
    pub amount: i64,
    pub claim_id: String,
}

/// The columns of the bank-transfer file.
pub const CSV_HEADER: [&str; 8] = [
    "seq",
    "bank_bin",
    "account_number",
    "account_holder",
    "account_holder_original",
    "amount",
    "description",
    "reference",
];

/// One CSV cell: quoted when it holds a separator, a quote or a line break; a cell a
/// spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage
/// return) gets a leading `'` so it stays text (OWASP "CSV injection").
pub fn csv_cell(value: &str) -> String {
    let guarded = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// The bank-transfer file of a run: a header, then one line per transfer in order, CRLF line
/// ends (what bank batch imports expect), amounts in whole VND without separators.
pub fn transfer_csv(run_reference: &str, transfers: &[Transfer]) -> String {
    let mut out = CSV_HEADER.join(",");
    out.push_str("\r\n");
    for t in transfers {
        let cells = [
            t.seq.to_string(),
            t.bank_bin.clone(),
            t.account_number.clone(),
            holder_ascii(&t.holder_name),
            t.holder_name.clone(),
            t.amount.to_string(),
            transfer_description(&t.claim_id, run_reference),
            item_reference(run_reference, t.seq),
        ];
        let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_carry_the_day_and_the_number_that_day() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(run_reference(day, 1), "PR-2026-11-30-001");
        assert_eq!(run_reference(day, 12), "PR-2026-11-30-012");
        assert_eq!(
            item_reference("PR-2026-11-30-001", 3),
            "PR-2026-11-30-001/3"
        );
    }

    #[test]
    fn names_lose_their_marks_for_the_bank() {
        assert_eq!(holder_ascii("Nguyễn Văn Ân"), "NGUYEN VAN AN");
        assert_eq!(holder_ascii("  Đặng  Thị Ngọc Ánh "), "DANG THI NGOC ANH");
    }

    #[test]
    fn formula_cells_are_kept_as_text_and_separators_are_quoted() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("+84"), "'+84");
        assert_eq!(csv_cell("-1"), "'-1");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("NGUYEN VAN AN"), "NGUYEN VAN AN");
        assert_eq!(csv_cell("0071001234567"), "0071001234567");
    }

    #[test]
    fn the_file_has_one_line_per_transfer_with_whole_dong_amounts() {
        let transfers = [
            Transfer {
                seq: 1,
                bank_bin: "970436".into(),
                account_number: "0071001234567".into(),
                holder_name: "Nguyễn Văn An".into(),
                amount: 5_060_000,
                claim_id: "01932c4e-6a1b-7c3d-9e8f-0a1b2c3d4e5f".into(),
            },
            Transfer {
                seq: 2,
                bank_bin: "970415".into(),
                account_number: "101234567".into(),
                holder_name: "=cmd|' /C calc'!A0".into(),
                amount: 700_000,
                claim_id: "01932c4e-6a1b-7c3d-9e8f-0a1b2c3d4e60".into(),
            },
        ];
        let csv = transfer_csv("PR-2026-11-30-001", &transfers);
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines.len(), 4, "{csv}");
        assert_eq!(lines[0], CSV_HEADER.join(","));
        assert_eq!(
            lines[1],
            "1,970436,0071001234567,NGUYEN VAN AN,Nguyễn Văn An,5060000,BHXH 2C3D4E5F PR-2026-11-30-001,PR-2026-11-30-001/1"
        );
        assert!(lines[2].contains(",'=cmd|' /C calc'!A0,"), "{}", lines[2]);
        assert!(lines[2].contains(",700000,"));
        assert_eq!(lines[3], "");
    }

    #[test]
    fn totals_count_and_add_up() {
        assert_eq!(totals([5_060_000, 700_000]), (2, 5_760_000));
        assert_eq!(totals([]), (0, 0));
    }
}
