//! The work queue: every submission waiting for staff — claims, registrations, citizens'
//! questions — in one list, with the time left before its deadline, sorted by it. Claims carry
//! their legal deadline from submission; registrations and questions a service standard in
//! working days (`config::Casework`). Filtering happens after loading: only open work is
//! loaded, which is bounded by what staff can clear, and it keeps one place for each rule.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::claims::calendar::{add_working_days, holidays_between};
use crate::clock::Timestamp;
use crate::config::Casework;
use crate::db::DbConn;
use crate::db::schema::{
    accounts, assignments, claims, contribution_months, employers, enrolments, people, questions,
};
use crate::error::{AppError, FieldCode};

/// What kind of submission a work item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = WorkKind)]
pub enum SubjectKind {
    Claim,
    Enrolment,
    Question,
}

impl SubjectKind {
    pub const ALL: [SubjectKind; 3] = [Self::Claim, Self::Enrolment, Self::Question];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Claim => "claim",
            Self::Enrolment => "enrolment",
            Self::Question => "question",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The staff page of a submission of this kind.
    pub fn href(self, id: &str) -> String {
        match self {
            Self::Claim => format!("/admin/claims/{id}"),
            Self::Enrolment => format!("/admin/enrolments/{id}"),
            Self::Question => format!("/admin/questions/{id}"),
        }
    }
}

/// How close the deadline is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = WorkUrgency)]
pub enum Urgency {
    /// The deadline has passed.
    Breached,
    /// Within `near_breach_days`.
    Near,
    OnTime,
}

/// Days left before `due` on `today` and how urgent that is.
pub fn urgency(due: NaiveDate, today: NaiveDate, near_days: i64) -> (i64, Urgency) {
    let left = (due - today).num_days();
    let urgency = if left < 0 {
        Urgency::Breached
    } else if left <= near_days {
        Urgency::Near
    } else {
        Urgency::OnTime
    };
    (left, urgency)
}

#[derive(Clone, Debug, Serialize, ToSchema)]
#[schema(as = WorkAssignee)]
pub struct Assignee {
    pub id: String,
    pub name: String,
}

/// One submission waiting for staff.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct WorkItem {
    pub kind: SubjectKind,
    pub id: String,
    /// The claim kind, the registration kind, or the question's topic.
    pub subtype: String,
    pub applicant: String,
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applicant_account_id: Option<String>,
    /// Two-digit province code of the applicant's latest employer, when known.
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub province: Option<String>,
    pub status: String,
    /// A claim with a proposal waiting for approval.
    pub awaiting_approval: bool,
    #[schema(value_type = String)]
    pub submitted_at: Timestamp,
    #[schema(format = Date)]
    pub due: NaiveDate,
    /// Calendar days until the deadline; negative once passed.
    pub days_left: i64,
    pub urgency: Urgency,
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assignee: Option<Assignee>,
    /// Open fraud or duplicate flags on the applicant.
    pub flags: usize,
}

/// The queue's filters (`?type=claim&status=submitted&...`), all optional.
#[derive(Clone, Debug, Default, Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct Filter {
    /// `claim`, `enrolment` or `question`.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub kind: Option<String>,
    pub status: Option<String>,
    /// Two-digit province code.
    pub province: Option<String>,
    /// A staff account id, `me`, or `none` for unassigned work.
    pub assignee: Option<String>,
    /// Only work submitted at least this many days ago.
    pub older_than_days: Option<i64>,
    /// Only work due within this many days (overdue included).
    pub due_within_days: Option<i64>,
}

impl Filter {
    fn kind(&self) -> Result<Option<SubjectKind>, AppError> {
        match self
            .kind
            .as_deref()
            .map(str::trim)
            .filter(|k| !k.is_empty())
        {
            None => Ok(None),
            Some(k) => SubjectKind::parse(k)
                .map(Some)
                .ok_or(AppError::invalid("type", FieldCode::InvalidFormat)),
        }
    }

    fn non_empty(value: &Option<String>) -> Option<&str> {
        value.as_deref().map(str::trim).filter(|v| !v.is_empty())
    }

    /// Whether `item` passes every filter; `me` is the viewer's account id.
    fn admits(&self, item: &WorkItem, today: NaiveDate, me: &str) -> bool {
        if Self::non_empty(&self.status).is_some_and(|s| s != item.status) {
            return false;
        }
        if Self::non_empty(&self.province).is_some_and(|p| item.province.as_deref() != Some(p)) {
            return false;
        }
        let assignee = item.assignee.as_ref().map(|a| a.id.as_str());
        match Self::non_empty(&self.assignee) {
            Some("none") if assignee.is_some() => return false,
            Some("me") if assignee != Some(me) => return false,
            Some(id) if !matches!(id, "none" | "me") && assignee != Some(id) => return false,
            _ => {}
        }
        if self
            .older_than_days
            .is_some_and(|days| (today - item.submitted_at.date()).num_days() < days)
        {
            return false;
        }
        if self
            .due_within_days
            .is_some_and(|days| item.days_left > days)
        {
            return false;
        }
        true
    }
}

/// The open work matching `filter`, nearest deadline first. `me` resolves `assignee=me`.
pub fn load(
    conn: &mut DbConn,
    filter: &Filter,
    limits: &Casework,
    today: NaiveDate,
    me: &str,
) -> Result<Vec<WorkItem>, AppError> {
    if filter
        .older_than_days
        .is_some_and(|d| !(0..=3650).contains(&d))
    {
        return Err(AppError::invalid("older_than_days", FieldCode::OutOfBounds));
    }
    if filter
        .due_within_days
        .is_some_and(|d| !(-3650..=3650).contains(&d))
    {
        return Err(AppError::invalid("due_within_days", FieldCode::OutOfBounds));
    }
    let only = filter.kind()?;
    let wanted = |k: SubjectKind| only.is_none_or(|o| o == k);
    // Registrations and questions submitted up to a year ago are due within the year after.
    let holidays = holidays_between(
        conn,
        today - chrono::Duration::days(366),
        today + chrono::Duration::days(366),
    )?;
    let mut items = Vec::new();
    if wanted(SubjectKind::Claim) {
        let rows: Vec<ClaimLine> = claims::table
            .inner_join(accounts::table)
            .filter(claims::status.eq_any(["submitted", "in_review", "info_requested"]))
            .select((
                claims::id,
                claims::kind,
                claims::status,
                claims::submitted_at,
                claims::decision_due,
                claims::proposed_by,
                accounts::id,
                accounts::full_name,
                claims::created_at,
            ))
            .load(conn)?;
        for c in rows {
            let submitted_at = c.submitted.unwrap_or(c.created);
            let open = Open {
                id: c.id,
                subtype: c.kind,
                applicant: c.name,
                account: Some(c.account),
                status: c.status,
                submitted_at,
                due: c.due.unwrap_or(submitted_at.date()),
            };
            let mut work = item(SubjectKind::Claim, open, today, limits);
            work.awaiting_approval = c.proposed_by.is_some();
            items.push(work);
        }
    }
    if wanted(SubjectKind::Enrolment) {
        let rows: Vec<EnrolmentLine> = enrolments::table
            .inner_join(accounts::table)
            .filter(enrolments::status.eq("submitted"))
            .select((
                enrolments::id,
                enrolments::kind,
                enrolments::status,
                enrolments::submitted_at,
                enrolments::created_at,
                accounts::id,
                accounts::full_name,
            ))
            .load(conn)?;
        for e in rows {
            let submitted_at = e.submitted.unwrap_or(e.created);
            let days = limits.enrolment_decision_days;
            let open = Open {
                id: e.id,
                subtype: e.kind,
                applicant: e.name,
                account: Some(e.account),
                status: e.status,
                submitted_at,
                due: add_working_days(submitted_at.date(), days, &holidays),
            };
            items.push(item(SubjectKind::Enrolment, open, today, limits));
        }
    }
    if wanted(SubjectKind::Question) {
        let rows: Vec<QuestionLine> = questions::table
            .filter(questions::status.eq("open"))
            .select((
                questions::id,
                questions::topic,
                questions::status,
                questions::created_at,
                questions::account_id,
                questions::email,
            ))
            .load(conn)?;
        for q in rows {
            let days = limits.question_answer_days;
            let open = Open {
                id: q.id,
                subtype: q.topic,
                applicant: q.email.unwrap_or_default(),
                account: q.account,
                status: q.status,
                submitted_at: q.created,
                due: add_working_days(q.created.date(), days, &holidays),
            };
            items.push(item(SubjectKind::Question, open, today, limits));
        }
    }
    attach_assignees(conn, &mut items)?;
    attach_provinces(conn, &mut items)?;
    items.retain(|i| filter.admits(i, today, me));
    items.sort_by_key(|i| (i.due, i.submitted_at));
    Ok(items)
}

/// An open claim as the queue reads it.
#[derive(Queryable)]
struct ClaimLine {
    id: String,
    kind: String,
    status: String,
    submitted: Option<Timestamp>,
    due: Option<NaiveDate>,
    proposed_by: Option<String>,
    account: String,
    name: String,
    created: Timestamp,
}

/// A registration waiting for a decision, as the queue reads it.
#[derive(Queryable)]
struct EnrolmentLine {
    id: String,
    kind: String,
    status: String,
    submitted: Option<Timestamp>,
    created: Timestamp,
    account: String,
    name: String,
}

/// An open question, as the queue reads it (the asker may have no account).
#[derive(Queryable)]
struct QuestionLine {
    id: String,
    topic: String,
    status: String,
    created: Timestamp,
    account: Option<String>,
    email: Option<String>,
}

/// What every kind of open submission has.
struct Open {
    id: String,
    subtype: String,
    applicant: String,
    account: Option<String>,
    status: String,
    submitted_at: Timestamp,
    due: NaiveDate,
}

fn item(kind: SubjectKind, open: Open, today: NaiveDate, limits: &Casework) -> WorkItem {
    let (days_left, urgency) = urgency(open.due, today, limits.near_breach_days);
    WorkItem {
        kind,
        id: open.id,
        subtype: open.subtype,
        applicant: open.applicant,
        applicant_account_id: open.account,
        province: None,
        status: open.status,
        awaiting_approval: false,
        submitted_at: open.submitted_at,
        due: open.due,
        days_left,
        urgency,
        assignee: None,
        flags: 0,
    }
}

fn attach_assignees(conn: &mut DbConn, items: &mut [WorkItem]) -> QueryResult<()> {
    let rows: Vec<(String, String, String, String)> = assignments::table
        .inner_join(accounts::table.on(accounts::id.eq(assignments::assignee_id)))
        .select((
            assignments::subject_kind,
            assignments::subject_id,
            accounts::id,
            accounts::full_name,
        ))
        .load(conn)?;
    let by_subject: HashMap<(String, String), Assignee> = rows
        .into_iter()
        .map(|(kind, id, account, name)| ((kind, id), Assignee { id: account, name }))
        .collect();
    for item in items.iter_mut() {
        item.assignee = by_subject
            .get(&(item.kind.as_str().to_owned(), item.id.clone()))
            .cloned();
    }
    Ok(())
}

/// The province of each applicant's latest employer, one query per distinct applicant.
fn attach_provinces(conn: &mut DbConn, items: &mut [WorkItem]) -> QueryResult<()> {
    let mut cache: HashMap<String, Option<String>> = HashMap::new();
    for item in items.iter_mut() {
        let Some(account) = item.applicant_account_id.clone() else {
            continue;
        };
        if !cache.contains_key(&account) {
            let personal_id: Option<String> = accounts::table
                .find(&account)
                .select(accounts::personal_id)
                .first(conn)?;
            let province = match personal_id {
                Some(pid) => contribution_months::table
                    .inner_join(people::table)
                    .inner_join(employers::table)
                    .filter(people::personal_id.eq(pid))
                    .order(contribution_months::month.desc())
                    .select(employers::province_code)
                    .first::<String>(conn)
                    .optional()?,
                None => None,
            };
            cache.insert(account.clone(), province);
        }
        item.province = cache.get(&account).cloned().flatten();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_deadline_is_breached_after_its_day_and_near_within_the_margin() {
        let today = day("2026-11-30");
        assert_eq!(
            urgency(day("2026-11-29"), today, 2),
            (-1, Urgency::Breached)
        );
        assert_eq!(urgency(day("2026-11-30"), today, 2), (0, Urgency::Near));
        assert_eq!(urgency(day("2026-12-02"), today, 2), (2, Urgency::Near));
        assert_eq!(urgency(day("2026-12-03"), today, 2), (3, Urgency::OnTime));
    }
}
