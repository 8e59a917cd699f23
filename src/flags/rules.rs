//! The detectors, as pure functions of plain facts. Each returns [`Finding`]s whose
//! `fingerprint` names what matched, so running a detector again over the same facts finds the
//! same flags (the store inserts only new fingerprints). Evidence names accounts, claims, months
//! and times; never a full bank account number or a personal ID.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use serde_json::json;

use crate::clock::Timestamp;
use crate::insurance_book::model::Month;

/// What a detector looks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    SharedPhone,
    SharedEmail,
    SharedBankAccount,
    PersonalIdTwoSiCodes,
    AfterDeath,
    BenefitOverlapsContributions,
    BurstFromOneOrigin,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Self::SharedPhone,
        Self::SharedEmail,
        Self::SharedBankAccount,
        Self::PersonalIdTwoSiCodes,
        Self::AfterDeath,
        Self::BenefitOverlapsContributions,
        Self::BurstFromOneOrigin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::SharedPhone => "shared_phone",
            Self::SharedEmail => "shared_email",
            Self::SharedBankAccount => "shared_bank_account",
            Self::PersonalIdTwoSiCodes => "personal_id_two_si_codes",
            Self::AfterDeath => "after_death",
            Self::BenefitOverlapsContributions => "benefit_overlaps_contributions",
            Self::BurstFromOneOrigin => "burst_from_one_origin",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The catalog key of the kind's name.
    pub fn name_key(self) -> &'static str {
        match self {
            Self::SharedPhone => "flags.kind.shared_phone",
            Self::SharedEmail => "flags.kind.shared_email",
            Self::SharedBankAccount => "flags.kind.shared_bank_account",
            Self::PersonalIdTwoSiCodes => "flags.kind.personal_id_two_si_codes",
            Self::AfterDeath => "flags.kind.after_death",
            Self::BenefitOverlapsContributions => "flags.kind.benefit_overlaps_contributions",
            Self::BurstFromOneOrigin => "flags.kind.burst_from_one_origin",
        }
    }

    /// The catalog key of the plain explanation; `{placeholders}` are filled from the evidence.
    pub fn explanation_key(self) -> &'static str {
        match self {
            Self::SharedPhone => "flags.explain.shared_phone",
            Self::SharedEmail => "flags.explain.shared_email",
            Self::SharedBankAccount => "flags.explain.shared_bank_account",
            Self::PersonalIdTwoSiCodes => "flags.explain.personal_id_two_si_codes",
            Self::AfterDeath => "flags.explain.after_death",
            Self::BenefitOverlapsContributions => "flags.explain.benefit_overlaps_contributions",
            Self::BurstFromOneOrigin => "flags.explain.burst_from_one_origin",
        }
    }
}

/// What a detector found: who it concerns, what about, what matched.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub kind: Kind,
    /// The citizen concerned.
    pub account_id: String,
    /// What the flag is about, e.g. `("claim", id)`.
    pub subject: Option<(String, String)>,
    /// What matched (JSON object); also fills the explanation's placeholders.
    pub evidence: serde_json::Value,
    /// The same facts give the same fingerprint (unique in the table).
    pub fingerprint: String,
}

impl Finding {
    pub fn explanation_key(&self) -> &'static str {
        self.kind.explanation_key()
    }
}

// ---------------------------------------------------------------------------------------------
// Who counts as related

/// Households: people on one household registration (the registering citizen and the members)
/// are related, so sharing a phone, an email inbox or a bank account among them is normal.
#[derive(Clone, Debug, Default)]
pub struct Households {
    /// Account id → the households it belongs to.
    of_account: HashMap<String, BTreeSet<usize>>,
}

impl Households {
    /// `groups`: the accounts of each household.
    pub fn new(groups: impl IntoIterator<Item = Vec<String>>) -> Self {
        let mut of_account: HashMap<String, BTreeSet<usize>> = HashMap::new();
        for (n, group) in groups.into_iter().enumerate() {
            for account in group {
                of_account.entry(account).or_default().insert(n);
            }
        }
        Self { of_account }
    }

    pub fn related(&self, a: &str, b: &str) -> bool {
        a == b
            || match (self.of_account.get(a), self.of_account.get(b)) {
                (Some(x), Some(y)) => !x.is_disjoint(y),
                _ => false,
            }
    }
}

// ---------------------------------------------------------------------------------------------
// Shared contact details and bank accounts

/// A phone number as one line: digits only, `+84`/`84` written as the leading `0`.
pub fn normalise_phone(raw: &str) -> Option<String> {
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    let national = match digits.strip_prefix("84") {
        Some(rest) if digits.len() == 11 => format!("0{rest}"),
        _ => digits,
    };
    (national.len() >= 9).then_some(national)
}

/// An email address as one inbox. Accounts cannot share a login email (it is unique), but one
/// inbox has many spellings: case, a `+tag` after the name (most providers deliver it to the
/// same inbox), and for Gmail the dots in the name and the `googlemail.com` domain. Two accounts
/// whose addresses reduce to the same inbox are one person's, or one operator's.
pub fn normalise_email(raw: &str) -> Option<String> {
    let lower = raw.trim().to_lowercase();
    let (local, domain) = lower.rsplit_once('@')?;
    let local = local.split('+').next().unwrap_or(local);
    let (local, domain) = match domain {
        "gmail.com" | "googlemail.com" => (local.replace('.', ""), "gmail.com"),
        _ => (local.to_owned(), domain),
    };
    (!local.is_empty()).then(|| format!("{local}@{domain}"))
}

/// The last three characters, for showing which number matched without showing it.
fn tail(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    let start = chars.len().saturating_sub(3);
    format!("…{}", chars[start..].iter().collect::<String>())
}

/// One value (a phone, an inbox, a bank account's blind index) given by several accounts that
/// are not all of one household: one finding per set of accounts, about the newest of them (ids
/// are time-ordered). `shown` is what the evidence may show of the value.
pub fn shared_value(
    kind: Kind,
    held: &[(String, String)],
    households: &Households,
    shown: impl Fn(&str) -> Option<String>,
) -> Vec<Finding> {
    let mut by_value: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (account, value) in held {
        by_value.entry(value).or_default().insert(account);
    }
    let mut findings = Vec::new();
    for (value, accounts) in by_value {
        let accounts: Vec<&str> = accounts.into_iter().collect();
        let unrelated = accounts
            .iter()
            .enumerate()
            .any(|(i, a)| accounts[i + 1..].iter().any(|b| !households.related(a, b)));
        if !unrelated {
            continue;
        }
        let Some(concerned) = accounts.last() else {
            continue;
        };
        let mut evidence = json!({
            "accounts": accounts,
            "count": accounts.len(),
        });
        if let Some(shown) = shown(value) {
            evidence["value"] = json!(shown);
        }
        findings.push(Finding {
            kind,
            account_id: (*concerned).to_owned(),
            subject: None,
            evidence,
            fingerprint: format!("{}:{}", kind.as_str(), accounts.join(",")),
        });
    }
    findings
}

/// Accounts sharing one phone number across households.
pub fn shared_phones(phones: &[(String, String)], households: &Households) -> Vec<Finding> {
    let held: Vec<(String, String)> = phones
        .iter()
        .filter_map(|(a, p)| Some((a.clone(), normalise_phone(p)?)))
        .collect();
    shared_value(Kind::SharedPhone, &held, households, |v| Some(tail(v)))
}

/// Accounts whose email addresses reach one inbox, across households.
pub fn shared_emails(emails: &[(String, String)], households: &Households) -> Vec<Finding> {
    let held: Vec<(String, String)> = emails
        .iter()
        .filter_map(|(a, e)| Some((a.clone(), normalise_email(e)?)))
        .collect();
    shared_value(Kind::SharedEmail, &held, households, |_| None)
}

/// Accounts paid into one bank account (grouped by the blind index, never the number).
pub fn shared_bank_accounts(indexes: &[(String, String)], households: &Households) -> Vec<Finding> {
    shared_value(Kind::SharedBankAccount, indexes, households, |_| None)
}

// ---------------------------------------------------------------------------------------------
// One personal ID, two SI codes

/// A record in the insurance book.
#[derive(Clone, Debug)]
pub struct BookPerson {
    pub id: String,
    pub si_code: String,
    pub personal_id: Option<String>,
    pub full_name: String,
    pub birth_date: NaiveDate,
    pub sex: String,
}

fn name_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A personal ID whose person holds more than one SI code. The book keeps one personal ID per
/// record (the column is unique), so the second code shows up as another record of the same
/// person: the same ID where a data load bypassed the constraint, or a record without an ID
/// (opened before IDs were collected) with the same name, birth date and sex. `accounts` maps
/// personal IDs to the citizen accounts holding them: only people with an account are flagged.
pub fn personal_id_two_si_codes(
    people: &[BookPerson],
    accounts: &HashMap<String, String>,
) -> Vec<Finding> {
    let mut groups: BTreeMap<&str, BTreeMap<&str, &str>> = BTreeMap::new();
    let identity = |p: &BookPerson| (name_key(&p.full_name), p.birth_date, p.sex.clone());
    let with_id: HashMap<_, &str> = people
        .iter()
        .filter_map(|p| Some((identity(p), p.personal_id.as_deref()?)))
        .collect();
    for p in people {
        let id = match p.personal_id.as_deref() {
            Some(id) => Some(id),
            None => with_id.get(&identity(p)).copied(),
        };
        if let Some(id) = id {
            groups
                .entry(id)
                .or_default()
                .insert(p.si_code.as_str(), p.id.as_str());
        }
    }
    let mut findings = Vec::new();
    for (personal_id, codes) in groups {
        if codes.len() < 2 {
            continue;
        }
        let Some(account) = accounts.get(personal_id) else {
            continue;
        };
        let si_codes: Vec<&str> = codes.keys().copied().collect();
        let mut person_ids: Vec<&str> = codes.values().copied().collect();
        person_ids.sort_unstable();
        findings.push(Finding {
            kind: Kind::PersonalIdTwoSiCodes,
            account_id: account.clone(),
            subject: None,
            evidence: json!({ "si_codes": si_codes, "count": si_codes.len() }),
            fingerprint: format!(
                "{}:{}",
                Kind::PersonalIdTwoSiCodes.as_str(),
                person_ids.join(",")
            ),
        });
    }
    findings
}

// ---------------------------------------------------------------------------------------------
// Claims and payments after a recorded death

/// A claim with the facts the date rules need.
#[derive(Clone, Debug)]
pub struct ClaimFact {
    pub id: String,
    pub account_id: String,
    pub kind: String,
    pub status: String,
    pub submitted_on: Option<NaiveDate>,
    pub paid_on: Option<NaiveDate>,
    /// A funeral claim: whose death it is about.
    pub deceased_personal_id: Option<String>,
}

/// A claim by, or a payment to, a person after their recorded death. `deaths` maps an account to
/// its holder's personal ID and date of death. A funeral claim about that same person is not
/// flagged (a relative filing after a death is the point of it; filed from the dead person's
/// own account it is still the relative acting).
pub fn after_death(
    claims: &[ClaimFact],
    deaths: &HashMap<String, (String, NaiveDate)>,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for claim in claims {
        let Some((personal_id, died_on)) = deaths.get(&claim.account_id) else {
            continue;
        };
        if claim.kind == "funeral" && claim.deceased_personal_id.as_ref() == Some(personal_id) {
            continue;
        }
        let submitted_after = claim.submitted_on.filter(|d| d > died_on);
        let paid_after = claim.paid_on.filter(|d| d > died_on);
        if submitted_after.is_none() && paid_after.is_none() {
            continue;
        }
        findings.push(Finding {
            kind: Kind::AfterDeath,
            account_id: claim.account_id.clone(),
            subject: Some(("claim".into(), claim.id.clone())),
            evidence: json!({
                "claim": claim.id,
                "claim_kind": claim.kind,
                "died_on": died_on,
                "submitted_on": claim.submitted_on,
                "paid_on": claim.paid_on,
            }),
            fingerprint: format!("{}:claim:{}", Kind::AfterDeath.as_str(), claim.id),
        });
    }
    findings
}

// ---------------------------------------------------------------------------------------------
// Unemployment benefit while contributing again

/// An approved (or paid) unemployment claim and when its benefit runs.
#[derive(Clone, Debug)]
pub struct BenefitFact {
    pub claim_id: String,
    pub account_id: String,
    pub termination_date: NaiveDate,
    /// The benefit runs from the month of the decision for `months` months.
    pub decided_on: NaiveDate,
    pub months: u32,
    /// The months of the person's book with a contribution (any employer or scheme).
    pub contribution_months: Vec<Month>,
}

/// Months of benefit that are also months of new contributions (after the contract ended):
/// the person is paid as unemployed while someone declares them at work. Contributions up to
/// the termination month are the old job and never count.
pub fn benefit_overlaps_contributions(benefits: &[BenefitFact]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for b in benefits {
        if b.months == 0 {
            continue;
        }
        let ended = Month::of(b.termination_date);
        let first = Month::of(b.decided_on);
        let last = first.plus(b.months - 1);
        let overlap: BTreeSet<Month> = b
            .contribution_months
            .iter()
            .copied()
            .filter(|m| *m > ended && *m >= first && *m <= last)
            .collect();
        if overlap.is_empty() {
            continue;
        }
        let shown: Vec<String> = overlap.iter().map(ToString::to_string).collect();
        findings.push(Finding {
            kind: Kind::BenefitOverlapsContributions,
            account_id: b.account_id.clone(),
            subject: Some(("claim".into(), b.claim_id.clone())),
            evidence: json!({
                "claim": b.claim_id,
                "termination_date": b.termination_date,
                "benefit_from": first.to_string(),
                "benefit_to": last.to_string(),
                "months": shown,
                "count": shown.len(),
            }),
            fingerprint: format!(
                "{}:claim:{}",
                Kind::BenefitOverlapsContributions.as_str(),
                b.claim_id
            ),
        });
    }
    findings
}

// ---------------------------------------------------------------------------------------------
// Many claims from one origin

/// Where one submission came from.
#[derive(Clone, Debug)]
pub struct Origin {
    pub subject_kind: String,
    pub subject_id: String,
    pub account_id: String,
    pub client_ip: Option<String>,
    /// A hash of the User-Agent.
    pub device: Option<String>,
    pub at: Timestamp,
}

/// How many submissions from different accounts, within how long, make a burst.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Burst {
    pub accounts: usize,
    pub window: chrono::Duration,
}

/// Submissions from `burst.accounts` or more different accounts from one address or one device
/// within `burst.window`. The flag is raised once, on the submission that completes the burst
/// (its window holds enough accounts and the window without it did not), about that
/// submission's account; later submissions in the same burst add nothing.
pub fn bursts(origins: &[Origin], burst: Burst) -> Vec<Finding> {
    let mut findings = Vec::new();
    let keyed = [
        ("ip", origins.iter().map(|o| o.client_ip.clone()).collect()),
        ("device", origins.iter().map(|o| o.device.clone()).collect()),
    ];
    for (what, keys) in keyed {
        let keys: Vec<Option<String>> = keys;
        let mut by_key: BTreeMap<&str, Vec<&Origin>> = BTreeMap::new();
        for (origin, key) in origins.iter().zip(&keys) {
            if let Some(key) = key.as_deref().filter(|k| !k.is_empty()) {
                by_key.entry(key).or_default().push(origin);
            }
        }
        for (key, mut list) in by_key {
            list.sort_by(|a, b| (a.at, &a.subject_id).cmp(&(b.at, &b.subject_id)));
            for (i, origin) in list.iter().enumerate() {
                let since = origin.at - burst.window;
                let window: Vec<&Origin> =
                    list[..i].iter().copied().filter(|o| o.at > since).collect();
                let before: BTreeSet<&str> = window.iter().map(|o| o.account_id.as_str()).collect();
                let mut with: BTreeSet<&str> = before.clone();
                with.insert(&origin.account_id);
                if with.len() < burst.accounts || before.len() >= burst.accounts {
                    continue;
                }
                let mut times: Vec<String> = window
                    .iter()
                    .map(|o| o.at.format("%Y-%m-%dT%H:%M:%S").to_string())
                    .collect();
                times.push(origin.at.format("%Y-%m-%dT%H:%M:%S").to_string());
                let others: Vec<&str> = with
                    .iter()
                    .copied()
                    .filter(|a| *a != origin.account_id)
                    .collect();
                let shown = if what == "ip" {
                    key.to_owned()
                } else {
                    key.chars().take(8).collect()
                };
                findings.push(Finding {
                    kind: Kind::BurstFromOneOrigin,
                    account_id: origin.account_id.clone(),
                    subject: Some((origin.subject_kind.clone(), origin.subject_id.clone())),
                    evidence: json!({
                        "origin": what,
                        "value": shown,
                        "accounts": others,
                        "count": with.len(),
                        "times": times,
                        "window_minutes": burst.window.num_minutes(),
                    }),
                    fingerprint: format!(
                        "{}:{what}:{}:{}",
                        Kind::BurstFromOneOrigin.as_str(),
                        origin.subject_kind,
                        origin.subject_id
                    ),
                });
            }
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    }

    #[test]
    fn one_phone_across_two_households_is_flagged_once_and_within_one_is_not() {
        let phones = pairs(&[
            ("a1", "0912 345 678"),
            ("a2", "+84912345678"),
            ("a3", "0987"),
        ]);
        let found = shared_phones(&phones, &Households::default());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].account_id, "a2");
        assert_eq!(found[0].evidence["accounts"], json!(["a1", "a2"]));
        assert_eq!(found[0].evidence["value"], json!("…678"));
        assert_eq!(found[0].fingerprint, "shared_phone:a1,a2");
        let household = Households::new([vec!["a1".to_owned(), "a2".to_owned()]]);
        assert!(shared_phones(&phones, &household).is_empty());
    }

    #[test]
    fn gmail_spellings_reach_one_inbox_but_other_names_do_not() {
        assert_eq!(
            normalise_email("Nguyen.Van.An+bhxh@googlemail.com").as_deref(),
            Some("nguyenvanan@gmail.com")
        );
        let emails = pairs(&[
            ("a1", "nguyenvanan@gmail.com"),
            ("a2", "nguyen.vanan+1@gmail.com"),
        ]);
        assert_eq!(shared_emails(&emails, &Households::default()).len(), 1);
        let near = pairs(&[
            ("a1", "nguyenvanan@gmail.com"),
            ("a2", "nguyenvanan2@gmail.com"),
        ]);
        assert!(shared_emails(&near, &Households::default()).is_empty());
        // Dots matter outside Gmail.
        let other = pairs(&[("a1", "an.nguyen@vnpt.vn"), ("a2", "annguyen@vnpt.vn")]);
        assert!(shared_emails(&other, &Households::default()).is_empty());
    }

    #[test]
    fn a_bank_account_of_three_where_two_are_one_household_is_still_flagged() {
        let held = pairs(&[("a1", "idx"), ("a2", "idx"), ("a3", "idx"), ("a4", "other")]);
        let household = Households::new([vec!["a1".to_owned(), "a2".to_owned()]]);
        let found = shared_bank_accounts(&held, &household);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].evidence["count"], json!(3));
        assert!(found[0].evidence.get("value").is_none());
    }

    fn person(id: &str, si: &str, pid: Option<&str>, born: &str) -> BookPerson {
        BookPerson {
            id: id.into(),
            si_code: si.into(),
            personal_id: pid.map(Into::into),
            full_name: "Trần Thị Bình".into(),
            birth_date: day(born),
            sex: "female".into(),
        }
    }

    #[test]
    fn a_second_record_of_the_same_person_gives_a_second_si_code() {
        let accounts = HashMap::from([("001190000001".to_owned(), "acc".to_owned())]);
        let people = [
            person("p1", "0100000001", Some("001190000001"), "1990-01-02"),
            person("p2", "0100000002", None, "1990-01-02"),
        ];
        let found = personal_id_two_si_codes(&people, &accounts);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].evidence["si_codes"],
            json!(["0100000001", "0100000002"])
        );
        // Near miss: the same name born on another day is another person.
        let people = [
            person("p1", "0100000001", Some("001190000001"), "1990-01-02"),
            person("p2", "0100000002", None, "1991-01-02"),
        ];
        assert!(personal_id_two_si_codes(&people, &accounts).is_empty());
    }

    fn claim(id: &str, kind: &str, submitted: &str, deceased: Option<&str>) -> ClaimFact {
        ClaimFact {
            id: id.into(),
            account_id: "acc".into(),
            kind: kind.into(),
            status: "submitted".into(),
            submitted_on: Some(day(submitted)),
            paid_on: None,
            deceased_personal_id: deceased.map(Into::into),
        }
    }

    #[test]
    fn a_claim_after_death_is_flagged_but_not_the_funeral_claim_about_it() {
        let deaths = HashMap::from([(
            "acc".to_owned(),
            ("001190000001".to_owned(), day("2026-10-01")),
        )]);
        let claims = [
            claim("c1", "sickness", "2026-10-05", None),
            claim("c2", "sickness", "2026-09-20", None),
            claim("c3", "funeral", "2026-10-05", Some("001190000001")),
        ];
        let found = after_death(&claims, &deaths);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].fingerprint, "after_death:claim:c1");
        // Paid after the death, though submitted before.
        let mut paid = claim("c4", "sickness", "2026-09-20", None);
        paid.paid_on = Some(day("2026-10-10"));
        assert_eq!(after_death(&[paid], &deaths).len(), 1);
    }

    #[test]
    fn contributions_during_the_benefit_are_flagged_and_those_before_termination_are_not() {
        let m = |t: &str| Month::of(day(t));
        let fact = |months: Vec<Month>| BenefitFact {
            claim_id: "c1".into(),
            account_id: "acc".into(),
            termination_date: day("2026-06-30"),
            decided_on: day("2026-07-20"),
            months: 3,
            contribution_months: months,
        };
        let found = benefit_overlaps_contributions(&[fact(vec![
            m("2026-05-01"),
            m("2026-06-01"),
            m("2026-08-01"),
            m("2026-12-01"),
        ])]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].evidence["months"], json!(["2026-08"]));
        assert!(
            benefit_overlaps_contributions(&[fact(vec![m("2026-05-01"), m("2026-06-01")])])
                .is_empty()
        );
    }

    fn origin(subject: &str, account: &str, minute: i64) -> Origin {
        Origin {
            subject_kind: "claim".into(),
            subject_id: subject.into(),
            account_id: account.into(),
            client_ip: Some("203.0.113.9".into()),
            device: None,
            at: day("2026-11-30").and_hms_opt(8, 0, 0).unwrap() + chrono::Duration::minutes(minute),
        }
    }

    const BURST: Burst = Burst {
        accounts: 3,
        window: chrono::Duration::hours(1),
    };

    #[test]
    fn three_accounts_within_the_hour_make_one_burst() {
        let origins = [
            origin("c1", "a1", 0),
            origin("c2", "a2", 20),
            origin("c3", "a3", 40),
            origin("c4", "a4", 50),
        ];
        let found = bursts(&origins, BURST);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].account_id, "a3");
        assert_eq!(found[0].evidence["accounts"], json!(["a1", "a2"]));
    }

    #[test]
    fn two_accounts_or_one_account_three_times_or_spread_out_make_no_burst() {
        let two = [origin("c1", "a1", 0), origin("c2", "a2", 10)];
        assert!(bursts(&two, BURST).is_empty());
        let same = [
            origin("c1", "a1", 0),
            origin("c2", "a1", 10),
            origin("c3", "a1", 20),
        ];
        assert!(bursts(&same, BURST).is_empty());
        let spread = [
            origin("c1", "a1", 0),
            origin("c2", "a2", 40),
            origin("c3", "a3", 61),
        ];
        assert!(bursts(&spread, BURST).is_empty());
    }
}
