//! The claim forms as HTML form fields: which inputs each kind's page shows, how the posted
//! strings become a typed [`ClaimForm`] (every unreadable field named, like the API does), and
//! how a saved form reads back as labelled answers for "check your answers".

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::form::{ClaimForm, ClaimKind};
use super::rules::{Line, Unit};
use crate::error::{AppError, FieldCode, FieldError};
use crate::web::i18n::Lang;
use crate::web::pages::PageContext;

/// How a field is typed in and turned into JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    Date,
    /// Whole number (digits; dots, commas and spaces between groups allowed for money).
    Number,
    Text,
    /// One of the given values; labels are `claims.value.<value>`.
    Choice(&'static [&'static str]),
    /// A checkbox that must be ticked to be true.
    Tick,
}

/// One input of a claim form: its name in `details`, its type and whether it may be left empty.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub name: &'static str,
    pub input: Input,
    pub optional: bool,
}

impl Field {
    pub fn label_key(&self) -> String {
        format!("claims.field.{}", self.name)
    }

    pub fn hint_key(&self) -> String {
        format!("claims.hint.{}", self.name)
    }

    pub fn choices(&self) -> &'static [&'static str] {
        match self.input {
            Input::Choice(values) => values,
            _ => &[],
        }
    }

    pub fn html_type(&self) -> &'static str {
        match self.input {
            Input::Date => "date",
            Input::Number | Input::Text | Input::Choice(_) | Input::Tick => "text",
        }
    }
}

const fn required(name: &'static str, input: Input) -> Field {
    Field {
        name,
        input,
        optional: false,
    }
}

const fn optional(name: &'static str, input: Input) -> Field {
    Field {
        name,
        input,
        optional: true,
    }
}

use Input::*;

const SICKNESS: &[Field] = &[
    required(
        "reason",
        Choice(&["own_illness", "child_illness", "commuting_accident"]),
    ),
    required("first_day", Date),
    required("last_day", Date),
    optional("child_birth_date", Date),
];

const MATERNITY: &[Field] = &[
    required("event", Choice(&["birth", "adoption", "miscarriage"])),
    required("event_date", Date),
    required("children", Number),
    required("leave_from", Date),
];

const UNEMPLOYMENT: &[Field] = &[
    required("termination_date", Date),
    required("last_employer", Text),
];

const LUMP_SUM: &[Field] = &[
    required(
        "route",
        Choice(&[
            "retirement_age_short",
            "emigration",
            "serious_illness",
            "severe_disability",
            "out_of_si_twelve_months",
        ]),
    ),
    optional("comparison_read", Tick),
];

const FUNERAL: &[Field] = &[
    required("deceased_personal_id", Text),
    required("deceased_name", Text),
    required("date_of_death", Date),
    required("relationship", Text),
];

const HI_REIMBURSEMENT: &[Field] = &[
    required("facility_name", Text),
    required("treatment_from", Date),
    required("treatment_to", Date),
    required("amount_paid", Number),
    required(
        "case",
        Choice(&[
            "non_contracted_facility",
            "emergency",
            "card_issued_late",
            "incomplete_procedures",
        ]),
    ),
    optional(
        "facility_level",
        Choice(&["district", "provincial", "central"]),
    ),
    optional("care", Choice(&["outpatient", "inpatient"])),
];

/// The inputs of each kind's form, in the order the page shows them.
pub fn of(kind: ClaimKind) -> &'static [Field] {
    match kind {
        ClaimKind::Sickness => SICKNESS,
        ClaimKind::Maternity => MATERNITY,
        ClaimKind::Unemployment => UNEMPLOYMENT,
        ClaimKind::LumpSum => LUMP_SUM,
        ClaimKind::Funeral => FUNERAL,
        ClaimKind::HiReimbursement => HI_REIMBURSEMENT,
    }
}

/// The kind named in a page's address.
pub fn kind_of(text: &str) -> Option<ClaimKind> {
    serde_json::from_value(Value::String(text.to_owned())).ok()
}

/// The posted fields of `kind`'s form as a typed claim, or every field at fault (named
/// without the `details.` prefix, as the page's inputs are).
pub fn parse(kind: ClaimKind, posted: &HashMap<String, String>) -> Result<ClaimForm, AppError> {
    let mut details = Map::new();
    let mut errors = Vec::new();
    for field in of(kind) {
        let text = posted.get(field.name).map(|v| v.trim()).unwrap_or_default();
        if field.input == Input::Tick {
            details.insert(field.name.into(), Value::Bool(!text.is_empty()));
            continue;
        }
        if text.is_empty() {
            if !field.optional {
                errors.push(FieldError::new(field.name, FieldCode::Required));
            }
            continue;
        }
        let value = match field.input {
            Input::Date => text
                .parse::<chrono::NaiveDate>()
                .map(|_| Value::String(text.into()))
                .map_err(|_| FieldCode::DateFormat),
            Input::Number => {
                let digits: String = text
                    .chars()
                    .filter(|c| !matches!(c, '.' | ',' | ' ' | '\u{a0}'))
                    .collect();
                digits
                    .parse::<i64>()
                    .map(Value::from)
                    .map_err(|_| FieldCode::InvalidFormat)
            }
            Input::Choice(values) if values.contains(&text) => Ok(Value::String(text.into())),
            Input::Choice(_) => Err(FieldCode::InvalidFormat),
            Input::Text | Input::Tick => Ok(Value::String(text.into())),
        };
        match value {
            Ok(value) => {
                details.insert(field.name.into(), value);
            }
            Err(code) => errors.push(FieldError::new(field.name, code)),
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let tagged = serde_json::json!({ "kind": kind, "details": details });
    serde_json::from_value(tagged).map_err(|error| AppError::Malformed {
        field: None,
        detail: error.to_string(),
    })
}

/// Field errors named as the page's inputs are (`details.first_day` → `first_day`).
pub fn on_page(error: AppError) -> AppError {
    match error {
        AppError::Invalid(errors) => AppError::Invalid(
            errors
                .into_iter()
                .map(|e| FieldError {
                    field: e
                        .field
                        .strip_prefix("details.")
                        .map(str::to_owned)
                        .unwrap_or(e.field),
                    code: e.code,
                })
                .collect(),
        ),
        other => other,
    }
}

/// The saved answers as the page's inputs hold them (for editing a draft).
pub fn values(form: &ClaimForm) -> HashMap<String, String> {
    let tagged = serde_json::to_value(form).unwrap_or_default();
    tagged["details"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, value)| {
            let text = match value {
                Value::String(text) => text.clone(),
                Value::Bool(true) => "true".into(),
                Value::Bool(false) | Value::Null => String::new(),
                other => other.to_string(),
            };
            (name.clone(), text)
        })
        .collect()
}

/// One answer as "check your answers" shows it.
pub struct Answer {
    pub label_key: String,
    pub value: AnswerValue,
}

pub enum AnswerValue {
    Date(chrono::NaiveDate),
    Money(i64),
    Number(i64),
    Text(String),
    /// A catalog key (a choice, or yes/no).
    Key(String),
}

/// The saved answers, labelled and typed for display, in the form's order.
pub fn answers(form: &ClaimForm) -> Vec<Answer> {
    let saved = values(form);
    of(form.kind())
        .iter()
        .filter_map(|field| {
            let text = saved.get(field.name)?;
            let value = match field.input {
                Input::Date => AnswerValue::Date(text.parse().ok()?),
                Input::Number if field.name == "amount_paid" => {
                    AnswerValue::Money(text.parse().ok()?)
                }
                Input::Number => AnswerValue::Number(text.parse().ok()?),
                Input::Text => AnswerValue::Text(text.clone()),
                Input::Choice(_) => AnswerValue::Key(format!("claims.value.{text}")),
                Input::Tick if text.is_empty() => AnswerValue::Key("common.no".into()),
                Input::Tick => AnswerValue::Key("common.yes".into()),
            };
            Some(Answer {
                label_key: field.label_key(),
                value,
            })
        })
        .collect()
}

/// An explanation line's value as the page shows it, by its unit (money, a percentage, months,
/// days, yes or no).
pub fn shown(ctx: &PageContext, line: &Line) -> String {
    let decimal = |hundredths: i64| {
        let (whole, rest) = (hundredths / 100, hundredths % 100);
        let comma = if ctx.lang == Lang::Vi { "," } else { "." };
        match rest {
            0 => whole.to_string(),
            r if r % 10 == 0 => format!("{whole}{comma}{}", r / 10),
            r => format!("{whole}{comma}{r:02}"),
        }
    };
    match line.unit {
        Unit::Vnd => ctx.money(&line.value),
        Unit::BasisPoints => format!("{}%", decimal(line.value)),
        Unit::Months => ctx.duration(&u32::try_from(line.value).unwrap_or(0)),
        Unit::Days => format!("{} {}", line.value, ctx.t("unit.working_days")),
        Unit::HalfDays => format!(
            "{} {}",
            decimal(line.value * 50),
            ctx.t("unit.working_days")
        ),
        Unit::Condition if line.value > 0 => ctx.t("common.yes").to_owned(),
        Unit::Condition => ctx.t("common.no").to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posted(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn posted_strings_become_a_typed_claim_or_named_errors() {
        let form = parse(
            ClaimKind::HiReimbursement,
            &posted(&[
                ("facility_name", " Bệnh viện Đa khoa tỉnh "),
                ("treatment_from", "2026-10-01"),
                ("treatment_to", "2026-10-03"),
                ("amount_paid", "2.400.000"),
                ("case", "emergency"),
                ("csrf_token", "ignored"),
            ]),
        )
        .unwrap();
        assert_eq!(values(&form)["amount_paid"], "2400000");
        let answers = answers(&form);
        assert!(matches!(answers[3].value, AnswerValue::Money(2_400_000)));

        let errors = match parse(
            ClaimKind::Sickness,
            &posted(&[("reason", "boredom"), ("first_day", "31/02/2026")]),
        ) {
            Err(AppError::Invalid(errors)) => errors,
            other => panic!("expected field errors, got {other:?}"),
        };
        let named: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            named,
            [
                ("reason", FieldCode::InvalidFormat),
                ("first_day", FieldCode::DateFormat),
                ("last_day", FieldCode::Required),
            ]
        );
        let lump = parse(ClaimKind::LumpSum, &posted(&[("route", "emigration")])).unwrap();
        assert_eq!(values(&lump)["comparison_read"], "");
        let read = parse(
            ClaimKind::LumpSum,
            &posted(&[("route", "emigration"), ("comparison_read", "true")]),
        )
        .unwrap();
        assert!(read.ready().is_ok());
    }

    #[test]
    fn every_form_field_is_listed_for_the_pages() {
        // A required field added to a form but not to its page could never be filled in, and
        // a page field the form does not know would be refused (`deny_unknown_fields`).
        for kind in [
            ClaimKind::Sickness,
            ClaimKind::Maternity,
            ClaimKind::Unemployment,
            ClaimKind::LumpSum,
            ClaimKind::Funeral,
            ClaimKind::HiReimbursement,
        ] {
            let names: Vec<&str> = of(kind).iter().map(|f| f.name).collect();
            let mut sample = serde_json::Map::new();
            for field in of(kind) {
                let value = match field.input {
                    Input::Date => Value::from("2026-01-01"),
                    Input::Number => Value::from(1),
                    Input::Text => Value::from("x"),
                    Input::Choice(values) => Value::from(values[0]),
                    Input::Tick => Value::from(true),
                };
                sample.insert(field.name.into(), value);
            }
            let parsed: Result<ClaimForm, _> =
                serde_json::from_value(serde_json::json!({"kind": kind, "details": sample}));
            assert!(
                parsed.is_ok(),
                "{kind:?}: the page's fields {names:?} do not make a form: {parsed:?}"
            );
        }
    }
}
