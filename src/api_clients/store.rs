//! Queries of API clients and their tokens.

use diesel::prelude::*;

use super::{Binding, Credentials};
use crate::clock::Timestamp;
use crate::db::DbConn;
use crate::db::schema::{api_clients, client_tokens, employers};
use crate::error::AppError;
use crate::secrets::token_hash;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = api_clients)]
pub struct ClientRecord {
    pub id: String,
    pub client_id: String,
    pub secret_hash: String,
    pub name: String,
    pub scopes: String,
    pub employer_id: Option<String>,
    pub facility_code: Option<String>,
    pub created_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
}

pub fn insert(
    conn: &mut DbConn,
    credentials: &Credentials,
    name: &str,
    scopes: &str,
    binding: &Binding,
    now: Timestamp,
) -> Result<(), AppError> {
    let (employer_id, facility_code) = match binding {
        Binding::Employer(unit_code) => {
            let id: Option<String> = employers::table
                .filter(employers::unit_code.eq(unit_code))
                .select(employers::id)
                .first(conn)
                .optional()?;
            let id = id.ok_or_else(|| anyhow::anyhow!("no employer with unit code {unit_code}"))?;
            (Some(id), None)
        }
        Binding::Facility(code) => (None, Some(code.clone())),
        Binding::Agency => (None, None),
    };
    diesel::insert_into(api_clients::table)
        .values((
            api_clients::id.eq(uuid::Uuid::now_v7().to_string()),
            api_clients::client_id.eq(&credentials.client_id),
            api_clients::secret_hash.eq(token_hash(&credentials.client_secret)),
            api_clients::name.eq(name),
            api_clients::scopes.eq(scopes),
            api_clients::employer_id.eq(employer_id),
            api_clients::facility_code.eq(facility_code),
            api_clients::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn employer_exists(conn: &mut DbConn, unit_code: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        employers::table.filter(employers::unit_code.eq(unit_code)),
    ))
    .get_result(conn)
}

pub fn by_client_id(conn: &mut DbConn, client_id: &str) -> QueryResult<Option<ClientRecord>> {
    api_clients::table
        .filter(api_clients::client_id.eq(client_id))
        .select(ClientRecord::as_select())
        .first(conn)
        .optional()
}

pub fn list(conn: &mut DbConn) -> QueryResult<Vec<ClientRecord>> {
    api_clients::table
        .order(api_clients::created_at.desc())
        .select(ClientRecord::as_select())
        .load(conn)
}

pub fn revoke(conn: &mut DbConn, client_id: &str, now: Timestamp) -> QueryResult<bool> {
    let Some(client) = by_client_id(conn, client_id)?.filter(|c| c.revoked_at.is_none()) else {
        return Ok(false);
    };
    diesel::update(api_clients::table.find(&client.id))
        .set(api_clients::revoked_at.eq(now))
        .execute(conn)?;
    diesel::delete(client_tokens::table.filter(client_tokens::client_id.eq(&client.id)))
        .execute(conn)?;
    Ok(true)
}

pub fn insert_token(
    conn: &mut DbConn,
    client: &str,
    hash: &str,
    scopes: &str,
    now: Timestamp,
    expires: Timestamp,
) -> QueryResult<()> {
    // Expired tokens of this client go as new ones come, so the table stays small.
    diesel::delete(
        client_tokens::table
            .filter(client_tokens::client_id.eq(client))
            .filter(client_tokens::expires_at.le(now)),
    )
    .execute(conn)?;
    diesel::insert_into(client_tokens::table)
        .values((
            client_tokens::id.eq(uuid::Uuid::now_v7().to_string()),
            client_tokens::client_id.eq(client),
            client_tokens::token_hash.eq(hash),
            client_tokens::scopes.eq(scopes),
            client_tokens::created_at.eq(now),
            client_tokens::expires_at.eq(expires),
        ))
        .execute(conn)?;
    Ok(())
}

/// The active client holding an unexpired token, with the token's scopes.
pub fn by_token(
    conn: &mut DbConn,
    hash: &str,
    now: Timestamp,
) -> QueryResult<Option<(ClientRecord, String)>> {
    client_tokens::table
        .inner_join(api_clients::table)
        .filter(client_tokens::token_hash.eq(hash))
        .filter(client_tokens::expires_at.gt(now))
        .filter(api_clients::revoked_at.is_null())
        .select((ClientRecord::as_select(), client_tokens::scopes))
        .first(conn)
        .optional()
}
