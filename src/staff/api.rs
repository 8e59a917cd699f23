//! Staff administration over the API: `/api/v1/staff/staff-members` (administrators only), the
//! same rules as `/admin/staff` ([`super::admin`]).

use actix_web::http::StatusCode;
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse, get, patch, post};
use serde::Deserialize;
use utoipa::ToSchema;

use super::admin::{self, Change, StaffRow};
use super::{Permission, StaffCaller};
use crate::accounts::model::Role;
use crate::app::AppState;
use crate::error::{AppError, BodyProblems, FieldCode, Problem};
use crate::web::concurrency::{IfMatch, tag};
use crate::web::extract::ApiJson;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list)
        .service(invite)
        .service(show)
        .service(update);
}

fn example() -> serde_json::Value {
    serde_json::json!({"id": "01932c4e-6a1b-7c3d-9e8f-0a1b2c3d4e5f", "email": "duyet@vss.example.vn", "full_name": "Trần Thị Bình", "role": "approver", "active": true, "totp_enrolled": true, "password_set": true, "created_at": "2026-11-20T08:00:00", "version": 3})
}

/// A body that must be a JSON object: serde alone would also read a struct from an array.
struct Object<T>(T);

impl<'de, T: serde::de::DeserializeOwned> Deserialize<'de> for Object<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = serde_json::Map::deserialize(deserializer)?;
        serde_json::from_value(serde_json::Value::Object(map))
            .map(Object)
            .map_err(serde::de::Error::custom)
    }
}

fn parse_role(raw: &str) -> Result<Role, AppError> {
    Role::parse(raw).ok_or_else(|| AppError::invalid("role", FieldCode::InvalidFormat))
}

fn with_etag(status: StatusCode, row: &StaffRow) -> HttpResponse {
    let mut response = HttpResponse::build(status);
    tag(&mut response, row.version);
    response.json(row)
}

/// Every staff account, by name.
#[utoipa::path(
    operation_id = "list_staff_members",
    tag = "staff administration",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Staff, by name", body = Vec<StaffRow>, example = json!([example()])),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator, or a token without the second factor", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/staff-members")]
async fn list(state: Data<AppState>, caller: StaffCaller) -> Result<HttpResponse, AppError> {
    caller.require(Permission::ManageStaff)?;
    let staff = state.db.read(admin::list).await?;
    Ok(HttpResponse::Ok().json(staff))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = StaffInvitation)]
pub struct Invitation {
    #[schema(example = "canbo@vss.example.vn", max_length = 254)]
    email: String,
    #[schema(example = "Lê Văn Cường", max_length = 100)]
    full_name: String,
    /// `clerk`, `approver`, `content_editor` or `admin`.
    #[schema(example = "clerk")]
    role: String,
}

/// Invite someone to the staff: they get an email with a single-use link to set a password,
/// then enrol an authenticator at their first login.
#[utoipa::path(
    operation_id = "invite_staff_member",
    tag = "staff administration",
    security(("bearer" = [])),
    request_body(content = Invitation, example = json!({"email": "canbo@vss.example.vn", "full_name": "Lê Văn Cường", "role": "clerk"})),
    responses(
        (status = 201, description = "Invited; the set-up link went by email", body = StaffRow, example = json!({"id": "01932c4e-6a1b-7c3d-9e8f-0a1b2c3d4e5f", "email": "canbo@vss.example.vn", "full_name": "Lê Văn Cường", "role": "clerk", "active": true, "totp_enrolled": false, "password_set": false, "created_at": "2026-11-30T08:00:00", "version": 1})),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator, or a token without the second factor", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field breaks a rule (or the address is taken)", body = Problem, content_type = "application/problem+json"),
        BodyProblems,
    )
)]
#[post("/staff/staff-members")]
async fn invite(
    req: HttpRequest,
    state: Data<AppState>,
    caller: StaffCaller,
    body: Result<ApiJson<Object<Invitation>>, AppError>,
) -> Result<HttpResponse, AppError> {
    let me = caller.require(Permission::ManageStaff)?;
    let ApiJson(Object(body)) = body?;
    let actor = me.actor(&req);
    let row = admin::invite(&state, &actor, &body.email, &body.full_name, &body.role).await?;
    Ok(with_etag(StatusCode::CREATED, &row))
}

/// One staff member, with its version as the `ETag` (send it back in `If-Match` to change).
#[utoipa::path(
    operation_id = "show_staff_member",
    tag = "staff administration",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The staff member's account id")),
    responses(
        (status = 200, description = "The staff member", body = StaffRow,
            headers(("ETag" = String, description = "The version, `\"v3\"`")), example = example),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator, or a token without the second factor", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No staff member with this id", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/staff-members/{id}")]
async fn show(
    state: Data<AppState>,
    caller: StaffCaller,
    id: Path<String>,
) -> Result<HttpResponse, AppError> {
    caller.require(Permission::ManageStaff)?;
    let id = id.into_inner();
    let row = state.db.read(move |conn| admin::find(conn, &id)).await?;
    Ok(with_etag(StatusCode::OK, &row))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = StaffMemberChange)]
pub struct ChangeRequest {
    /// The new role: `clerk`, `approver`, `content_editor` or `admin`.
    #[schema(example = "approver")]
    #[serde(default)]
    role: Option<String>,
    /// `false` deactivates (ends every session and token at once), `true` reactivates.
    #[schema(example = false)]
    #[serde(default)]
    active: Option<bool>,
}

/// Change a staff member's role and/or deactivate or reactivate them. Requires `If-Match` with
/// the `ETag` last read. You cannot deactivate yourself or give up your own admin role.
#[utoipa::path(
    operation_id = "change_staff_member",
    tag = "staff administration",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The staff member's account id"),
        ("If-Match" = Option<String>, Header, description = "The `ETag` last read, `\"v3\"`. Needed: without it the answer is 428"),
    ),
    request_body(content = ChangeRequest, example = json!({"role": "approver"})),
    responses(
        (status = 200, description = "The staff member as changed", body = StaffRow,
            headers(("ETag" = String, description = "The new version")), example = example),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator, or a token without the second factor", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No staff member with this id", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Someone changed this staff member since your `If-Match` version; nothing was changed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown role, or a change to your own account that would lock you out", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "`If-Match` is missing", body = Problem, content_type = "application/problem+json"),
        BodyProblems,
    )
)]
#[patch("/staff/staff-members/{id}")]
async fn update(
    req: HttpRequest,
    state: Data<AppState>,
    caller: StaffCaller,
    id: Path<String>,
    from: Result<IfMatch, AppError>,
    body: Result<ApiJson<Object<ChangeRequest>>, AppError>,
) -> Result<HttpResponse, AppError> {
    let me = caller.require(Permission::ManageStaff)?;
    let actor = me.actor(&req);
    let ApiJson(Object(body)) = body?;
    let from = from?;
    let change = Change {
        role: body.role.as_deref().map(parse_role).transpose()?,
        active: body.active,
    };
    let id = id.into_inner();
    let now = state.clock.now();
    let row = state
        .db
        .write(move |conn| admin::change(conn, &actor, &id, from, change, now))
        .await?;
    Ok(with_etag(StatusCode::OK, &row))
}
