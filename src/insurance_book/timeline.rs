//! The book as a picture: one row per year, one square per month, coloured (and patterned, so
//! colour is not the only cue) by status. Server-rendered SVG, no script; the periods table on
//! the same page carries the same information for screen readers.

use chrono::{Datelike, NaiveDate};

use super::model::Month;
use super::rules::{self, BookMonth, Status};

const CELL: u32 = 14;
const GAP: u32 = 2;
const LABEL: u32 = 44;

/// Texts the picture needs, in the page's language.
pub struct Labels<'a> {
    pub title: &'a str,
    pub description: &'a str,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Cell {
    Gap,
    Declared,
    Paid,
    Owed,
    Future,
}

/// The SVG for `months` (sorted), years from the first month's to today's.
pub fn svg(months: &[BookMonth], today: NaiveDate, labels: &Labels<'_>) -> String {
    let Some(first) = months.first().map(|m| m.month.first_day().year()) else {
        return String::new();
    };
    let last_year = today.year();
    let this_month = Month::of(today);
    let rows = (last_year - first + 1).max(1) as u32;
    let width = LABEL + 12 * (CELL + GAP);
    let height = rows * (CELL + GAP) + GAP;
    let mut out = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-labelledby="timeline-title timeline-desc"><title id="timeline-title">{}</title><desc id="timeline-desc">{}</desc><defs><pattern id="owed-stripes" width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="4" height="4" fill="#b3261e"/><rect width="2" height="4" fill="#f2b8b5"/></pattern></defs>"##,
        escape(labels.title),
        escape(labels.description)
    );
    for row in 0..rows {
        let year = first + row as i32;
        let y = GAP + row * (CELL + GAP);
        out.push_str(&format!(
            r##"<text x="0" y="{}" font-size="11" fill="#1b1f23">{year}</text>"##,
            y + CELL - 2
        ));
        for month in 1..=12u32 {
            let Some(day) = NaiveDate::from_ymd_opt(year, month, 1) else {
                continue;
            };
            let m = Month::of(day);
            let cell = if m > this_month {
                Cell::Future
            } else {
                cell_of(months, m, today)
            };
            let x = LABEL + (month - 1) * (CELL + GAP);
            let fill = match cell {
                Cell::Paid => "#0b6e3b",
                Cell::Declared => "#1d70b8",
                Cell::Owed => "url(#owed-stripes)",
                Cell::Gap => "#eef0f2",
                Cell::Future => "none",
            };
            let stroke = if cell == Cell::Future {
                r##" stroke="#d0d5da""##
            } else {
                ""
            };
            out.push_str(&format!(
                r#"<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" fill="{fill}"{stroke}/>"#
            ));
        }
    }
    out.push_str("</svg>");
    out
}

/// The worst status among the month's payers (one owed payer makes the month owed).
fn cell_of(months: &[BookMonth], month: Month, today: NaiveDate) -> Cell {
    let start = months.partition_point(|m| m.month < month);
    let mut cell = Cell::Gap;
    for m in months[start..].iter().take_while(|m| m.month == month) {
        let this = match rules::status(m.paid_on, m.due_date, today) {
            Status::Owed => Cell::Owed,
            Status::Declared => Cell::Declared,
            Status::Paid => Cell::Paid,
        };
        cell = match (cell, this) {
            (Cell::Owed, _) | (_, Cell::Owed) => Cell::Owed,
            (Cell::Declared, _) | (_, Cell::Declared) => Cell::Declared,
            _ => this,
        };
    }
    cell
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
