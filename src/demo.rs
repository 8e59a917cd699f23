//! Demo data for the embedded default, so a fresh checkout can be tried in a browser at once.
//! Every demo row is marked `is_demo`, and while any exists every page shows a "demo" banner.
//! Production (`DATABASE_URL=postgres://…`) never seeds unless `SEED_DEMO=true`.

use crate::accounts::model::{AccountKind, Role};
use crate::accounts::store::{self, NewAccount};
use crate::app::AppState;
use crate::error::AppError;

/// A demo login, as printed at start.
pub struct DemoLogin {
    pub who: &'static str,
    pub login: &'static str,
    pub password: &'static str,
}

pub const LOGINS: [DemoLogin; 2] = [
    DemoLogin {
        who: "citizen (công dân)",
        login: "an.nguyen@demo.ansinh.vn",
        password: "mua-xuan-tren-pho-2026",
    },
    DemoLogin {
        who: "staff admin (quản trị; sets up an authenticator app at first login)",
        login: "quantri@demo.ansinh.vn",
        password: "quan-tri-vien-demo-2026",
    },
];

/// Seeds the demo accounts unless they exist; returns whether anything was added.
pub async fn seed(state: &AppState) -> Result<bool, AppError> {
    let [citizen, admin] = &LOGINS;
    let citizen_hash = state.passwords.hash(citizen.password).await?;
    let admin_hash = state.passwords.hash(admin.password).await?;
    let now = state.clock.now();
    state
        .db
        .write(move |conn| {
            if store::any_demo_account(conn)? {
                return Ok(false);
            }
            let base = NewAccount {
                id: "",
                kind: AccountKind::Citizen.as_str(),
                role: None,
                email: "",
                personal_id: None,
                full_name: "",
                birth_date: None,
                phone: None,
                password_hash: None,
                email_verified_at: Some(now),
                locale: "vi",
                is_demo: true,
                created_at: now,
                updated_at: now,
            };
            let citizen_id = uuid::Uuid::now_v7().to_string();
            store::insert_account(
                conn,
                &NewAccount {
                    id: &citizen_id,
                    email: citizen.login,
                    personal_id: Some("001090123456"),
                    full_name: "Nguyễn Văn An",
                    birth_date: chrono::NaiveDate::from_ymd_opt(1990, 5, 17),
                    phone: Some("0912345678"),
                    password_hash: Some(&citizen_hash),
                    ..base
                },
            )?;
            let admin_id = uuid::Uuid::now_v7().to_string();
            store::insert_account(
                conn,
                &NewAccount {
                    id: &admin_id,
                    kind: AccountKind::Staff.as_str(),
                    role: Some(Role::Admin.as_str()),
                    email: admin.login,
                    full_name: "Trần Thị Bình",
                    password_hash: Some(&admin_hash),
                    ..base
                },
            )?;
            Ok(true)
        })
        .await
}

/// Whether the database holds demo data (drives the banner).
pub async fn present(state: &AppState) -> Result<bool, AppError> {
    state
        .db
        .read(|conn| Ok(store::any_demo_account(conn)?))
        .await
}
