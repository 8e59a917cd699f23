//! Who among staff may do what: one table ([`Permission::granted_to`]) used by every staff page
//! and every `/api/v1/staff` route, so the role matrix test reads the same rule the app does.
//! Pages admit staff through [`StaffSession`] (password + TOTP in this session); the API admits
//! them through [`StaffCaller`] (a bearer token issued after password + TOTP).

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;

use crate::accounts::model::{AccountKind, Role};
use crate::accounts::session::StaffSession;
use crate::accounts::store::Account;
use crate::accounts::tokens::ApiCaller;
use crate::audit::Actor;
use crate::error::AppError;

/// What a staff member may be allowed to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    /// Read submissions and the applicant's record; take, assign and release work; request
    /// information; propose a decision; triage fraud flags.
    Review,
    /// Approve or reject (the second pair of eyes where one is required).
    Decide,
    /// Batch approved claims into payment runs, export them, mark returns.
    Pay,
    /// Answer citizens' questions.
    AnswerQuestions,
    /// Write and publish the public content.
    EditContent,
    /// Read the statistics.
    ReadStats,
    /// Read and search the audit log.
    ReadAudit,
    /// Create, deactivate and change the roles of staff.
    ManageStaff,
    /// Register and revoke third-party applications.
    ManageClients,
    /// Add dated policy parameters and coverage targets.
    ManagePolicy,
}

impl Permission {
    pub const ALL: [Permission; 10] = [
        Self::Review,
        Self::Decide,
        Self::Pay,
        Self::AnswerQuestions,
        Self::EditContent,
        Self::ReadStats,
        Self::ReadAudit,
        Self::ManageStaff,
        Self::ManageClients,
        Self::ManagePolicy,
    ];

    /// The role matrix. Clerks review, approvers also decide and pay, content editors keep
    /// the public information, administrators do everything (they run the office).
    pub fn granted_to(self, role: Role) -> bool {
        use Role::{Admin, Approver, Clerk, ContentEditor};
        match self {
            Self::Review => matches!(role, Clerk | Approver | Admin),
            Self::Decide | Self::Pay => matches!(role, Approver | Admin),
            Self::AnswerQuestions => matches!(role, Clerk | Approver | ContentEditor | Admin),
            Self::EditContent => matches!(role, ContentEditor | Admin),
            Self::ReadStats => true,
            Self::ReadAudit | Self::ManageStaff | Self::ManageClients | Self::ManagePolicy => {
                role == Admin
            }
        }
    }
}

/// A staff member acting through a page or the API.
#[derive(Clone, Debug)]
pub struct StaffMember {
    pub account: Account,
    pub role: Role,
}

impl StaffMember {
    fn of(account: Account) -> Result<Self, AppError> {
        let role = account
            .role
            .as_deref()
            .and_then(Role::parse)
            .ok_or(AppError::Forbidden)?;
        Ok(Self { account, role })
    }

    /// 403 unless the role grants `permission`.
    pub fn require(&self, permission: Permission) -> Result<(), AppError> {
        if permission.granted_to(self.role) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub fn may(&self, permission: Permission) -> bool {
        permission.granted_to(self.role)
    }

    /// This staff member as the actor of audit rows, from the request's address.
    pub fn actor(&self, req: &HttpRequest) -> Actor {
        Actor::account(req, &self.account)
    }
}

impl StaffSession {
    /// The staff member behind the session, whatever they may do (for pages that show each
    /// role only what it may use, such as `/admin`).
    pub fn member(&self) -> Result<StaffMember, AppError> {
        StaffMember::of(self.0.account.clone())
    }

    /// The staff member behind the session, if the role grants `permission` (403 otherwise).
    pub fn require(&self, permission: Permission) -> Result<StaffMember, AppError> {
        let member = StaffMember::of(self.0.account.clone())?;
        member.require(permission)?;
        Ok(member)
    }
}

/// A staff member calling `/api/v1/staff/...` with a bearer token that passed the second
/// factor. Citizens' tokens get 403; a staff token issued without TOTP gets `mfa_required`.
pub struct StaffCaller(pub StaffMember);

impl StaffCaller {
    /// The caller, if the role grants `permission` (403 otherwise).
    pub fn require(&self, permission: Permission) -> Result<&StaffMember, AppError> {
        self.0.require(permission)?;
        Ok(&self.0)
    }
}

impl FromRequest for StaffCaller {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let caller = ApiCaller::from_request(req, payload);
        Box::pin(async move {
            let caller = caller.await?;
            match (AccountKind::parse(&caller.account.kind), caller.mfa) {
                (Some(AccountKind::Staff), true) => {
                    Ok(StaffCaller(StaffMember::of(caller.account)?))
                }
                (Some(AccountKind::Staff), false) => Err(AppError::MfaRequired),
                _ => Err(AppError::Forbidden),
            }
        })
    }
}

/// What every `/api/v1/staff` route may answer about the caller, documented once.
#[derive(utoipa::IntoResponses)]
pub enum StaffProblems {
    /// No valid access token.
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthenticated(crate::error::Problem),
    /// Not a staff token that passed the second factor, or the role does not allow this.
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(crate::error::Problem),
}

/// What a change to a versioned object may answer (`web::concurrency`), documented once.
#[derive(utoipa::IntoResponses)]
pub enum VersionProblems {
    /// Someone changed it since the version in `If-Match`: read it again (`stale`).
    #[response(status = 412, content_type = "application/problem+json")]
    Stale(crate::error::Problem),
    /// `If-Match` is missing (`precondition_required`).
    #[response(status = 428, content_type = "application/problem+json")]
    Required(crate::error::Problem),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_approvers_and_admins_decide_and_only_admins_manage_staff() {
        let who = |p: Permission| {
            [
                Role::Clerk,
                Role::Approver,
                Role::ContentEditor,
                Role::Admin,
            ]
            .into_iter()
            .filter(|r| p.granted_to(*r))
            .collect::<Vec<_>>()
        };
        assert_eq!(who(Permission::Decide), [Role::Approver, Role::Admin]);
        assert_eq!(
            who(Permission::Review),
            [Role::Clerk, Role::Approver, Role::Admin]
        );
        assert_eq!(who(Permission::ManageStaff), [Role::Admin]);
        assert_eq!(
            who(Permission::EditContent),
            [Role::ContentEditor, Role::Admin]
        );
        // Administrators hold every permission.
        assert!(Permission::ALL.iter().all(|p| p.granted_to(Role::Admin)));
    }
}
