//! Pure arithmetic of the statistics: averages and percentiles of decision times, coverage
//! and on-time shares, the province list, and CSV. No clock and no database here.

/// Seconds in a day, the unit decision times are shown in.
const DAY: i64 = 86_400;

/// The mean of `values`, rounded half up to a whole unit; `None` when there are none.
pub fn average(values: &[i64]) -> Option<i64> {
    let n = i64::try_from(values.len()).ok().filter(|n| *n > 0)?;
    let sum: i64 = values.iter().sum();
    Some((2 * sum + n).div_euclid(2 * n))
}

/// The `percent`-th percentile of `values` by the nearest-rank method: the smallest value
/// such that at least `percent`% of the values are at or below it (so always one of the
/// values, never an interpolation). `None` when there are none.
pub fn percentile(values: &[i64], percent: u32) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let n = sorted.len();
    // rank = ceil(percent × n / 100), at least 1.
    let rank = (percent as usize * n).div_ceil(100).clamp(1, n);
    sorted.get(rank - 1).copied()
}

/// A duration in seconds as tenths of a day, rounded half up (3 days 12 hours → 35).
pub fn tenths_of_day(seconds: i64) -> i64 {
    (seconds * 10 * 2 + DAY).div_euclid(2 * DAY)
}

/// The average and the 90th percentile of decision times given in seconds, each in tenths of a
/// day. Rounding: the average is the exact mean rounded half up to a tenth of a day (no
/// intermediate rounding); the 90th percentile is the nearest-rank value of the seconds,
/// then rounded half up to a tenth of a day.
pub fn decision_days(seconds: &[i64]) -> (Option<i64>, Option<i64>) {
    let n = seconds.len() as i64;
    let average = (n > 0).then(|| {
        let sum: i64 = seconds.iter().sum();
        (sum * 10 * 2 + n * DAY).div_euclid(2 * n * DAY)
    });
    (average, percentile(seconds, 90).map(tenths_of_day))
}

/// `part` of `whole` in tenths of a percent, rounded half up; `None` when `whole` is not
/// positive (no target set, or nothing decided).
pub fn share_tenths(part: i64, whole: i64) -> Option<i64> {
    (whole > 0).then(|| (part * 1000 * 2 + whole).div_euclid(2 * whole))
}

/// Tenths as the decimal number the API shows (35 → 3.5); exact to one decimal.
pub fn tenths_as_decimal(tenths: i64) -> f64 {
    tenths as f64 / 10.0
}

/// The 34 provinces and centrally run cities from 1 July 2025 (DOMAIN.md §2.4), by code.
pub const PROVINCES: [(&str, &str); 34] = [
    ("01", "Hà Nội"),
    ("04", "Cao Bằng"),
    ("08", "Tuyên Quang"),
    ("11", "Điện Biên"),
    ("12", "Lai Châu"),
    ("14", "Sơn La"),
    ("15", "Lào Cai"),
    ("19", "Thái Nguyên"),
    ("20", "Lạng Sơn"),
    ("22", "Quảng Ninh"),
    ("24", "Bắc Ninh"),
    ("25", "Phú Thọ"),
    ("31", "Hải Phòng"),
    ("33", "Hưng Yên"),
    ("37", "Ninh Bình"),
    ("38", "Thanh Hóa"),
    ("40", "Nghệ An"),
    ("42", "Hà Tĩnh"),
    ("44", "Quảng Trị"),
    ("46", "Huế"),
    ("48", "Đà Nẵng"),
    ("51", "Quảng Ngãi"),
    ("52", "Gia Lai"),
    ("56", "Khánh Hòa"),
    ("66", "Đắk Lắk"),
    ("68", "Lâm Đồng"),
    ("75", "Đồng Nai"),
    ("79", "TP. Hồ Chí Minh"),
    ("80", "Tây Ninh"),
    ("82", "Đồng Tháp"),
    ("86", "Vĩnh Long"),
    ("91", "An Giang"),
    ("92", "Cần Thơ"),
    ("96", "Cà Mau"),
];

/// The bucket of figures whose province is not known.
pub const UNKNOWN_PROVINCE: &str = "unknown";

/// The current (post-merger) province of a 2-digit code: codes from before 1 July 2025 (still
/// on older ID cards and employer records) map to the province they merged into (DOMAIN.md
/// §2.4); anything else is [`UNKNOWN_PROVINCE`].
pub fn current_province(code: &str) -> &'static str {
    let merged = match code {
        "02" => "08",
        "10" | "15" => "15",
        "06" => "19",
        "27" => "24",
        "26" | "17" => "25",
        "30" => "31",
        "34" => "33",
        "35" | "36" => "37",
        "45" => "44",
        "49" => "48",
        "62" => "51",
        "64" => "52",
        "58" => "56",
        "54" => "66",
        "67" | "60" => "68",
        "70" => "75",
        "74" | "77" => "79",
        "72" => "80",
        "87" => "82",
        "83" | "84" => "86",
        "89" => "91",
        "93" | "94" => "92",
        "95" => "96",
        other => other,
    };
    PROVINCES
        .iter()
        .find(|(c, _)| *c == merged)
        .map_or(UNKNOWN_PROVINCE, |(c, _)| c)
}

/// The name of a current province code (empty for the unknown bucket).
pub fn province_name(code: &str) -> &'static str {
    PROVINCES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("", |(_, name)| name)
}

/// A table as CSV (RFC 4180, UTF-8 with a byte-order mark so spreadsheet programs pick the
/// encoding).
pub fn csv(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::from("\u{feff}");
    let line = |cells: Vec<String>| cells.join(",") + "\r\n";
    out.push_str(&line(headers.iter().map(|h| csv_cell(h)).collect()));
    for row in rows {
        out.push_str(&line(row.iter().map(|c| csv_cell(c)).collect()));
    }
    out
}

/// Quotes a cell when needed; text starting with `=`, `+`, `-`, `@`, a tab or a carriage
/// return gets a leading `'` so a spreadsheet shows it instead of running it as a formula
/// (numbers such as `-5` are left alone).
pub fn csv_cell(value: &str) -> String {
    let risky =
        value.starts_with(['=', '+', '-', '@', '\t', '\r']) && value.parse::<i64>().is_err();
    let value = if risky {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn average_rounds_half_up_and_is_none_without_values() {
        assert_eq!(average(&[]), None);
        assert_eq!(average(&[1, 2]), Some(2));
        assert_eq!(average(&[1, 1, 2]), Some(1));
        assert_eq!(average(&[10, 20, 40]), Some(23));
    }

    #[test]
    fn p90_is_the_nearest_rank_value() {
        let ten: Vec<i64> = (1..=10).collect();
        assert_eq!(percentile(&ten, 90), Some(9));
        let eleven: Vec<i64> = (1..=11).rev().collect();
        // ceil(0.9 × 11) = 10th smallest.
        assert_eq!(percentile(&eleven, 90), Some(10));
        assert_eq!(percentile(&[7], 90), Some(7));
        assert_eq!(percentile(&[3, 1, 2], 90), Some(3));
        assert_eq!(percentile(&[], 90), None);
    }

    #[test]
    fn days_are_tenths_rounded_half_up() {
        assert_eq!(tenths_of_day(3 * DAY + DAY / 2), 35);
        assert_eq!(tenths_of_day(DAY / 20), 1);
        assert_eq!(tenths_of_day(DAY / 20 - 1), 0);
        assert_eq!(tenths_as_decimal(35), 3.5);
    }

    #[test]
    fn decision_days_average_exactly_and_take_the_p90_by_rank() {
        assert_eq!(decision_days(&[]), (None, None));
        // 1, 2 and 4 days and 6 hours: mean 2.4166 → 2.4; p90 = the largest → 4.3 (4.25 up).
        let times = [DAY, 2 * DAY, 4 * DAY + DAY / 4];
        assert_eq!(decision_days(&times), (Some(24), Some(43)));
        // Ten decisions of 1..=10 days: mean 5.5, p90 the 9th.
        let ten: Vec<i64> = (1..=10).map(|d| d * DAY).collect();
        assert_eq!(decision_days(&ten), (Some(55), Some(90)));
    }

    #[test]
    fn shares_are_tenths_of_a_percent() {
        assert_eq!(share_tenths(1, 3), Some(333));
        assert_eq!(share_tenths(2, 3), Some(667));
        assert_eq!(share_tenths(5, 0), None);
        assert_eq!(share_tenths(150, 100), Some(1500));
    }

    #[test]
    fn old_province_codes_map_to_the_merged_province() {
        assert_eq!(current_province("74"), "79");
        assert_eq!(current_province("79"), "79");
        assert_eq!(current_province("01"), "01");
        assert_eq!(current_province("99"), UNKNOWN_PROVINCE);
        assert_eq!(current_province(""), UNKNOWN_PROVINCE);
        assert_eq!(province_name("48"), "Đà Nẵng");
    }

    #[test]
    fn csv_cells_are_quoted_and_formulas_neutralised() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("-5"), "-5");
        assert_eq!(csv_cell("Công ty A, B"), "\"Công ty A, B\"");
        let table = csv(&["a", "b"], &[vec!["1".into(), "+x".into()]]);
        assert_eq!(table, "\u{feff}a,b\r\n1,'+x\r\n");
    }
}
