//! Demo data for the embedded default, so a fresh checkout can be tried in a browser at once.
//! Every demo row is marked `is_demo`, and while any exists every page shows a "demo" banner.
//! Production (`DATABASE_URL=postgres://…`) never seeds unless `SEED_DEMO=true`.

pub mod book;
pub mod scale;

use crate::accounts::model::{AccountKind, Role};
use crate::accounts::store::{self, NewAccount};
use crate::app::AppState;
use crate::error::AppError;

/// A demo login, as printed at start. The hash is computed once and kept here: seeding costs no
/// password hashing, so a fresh start stays light (a test checks each hash matches).
pub struct DemoLogin {
    pub who: &'static str,
    pub login: &'static str,
    pub password: &'static str,
    password_hash: &'static str,
}

pub const LOGINS: [DemoLogin; 4] = [
    DemoLogin {
        who: "citizen (công dân)",
        login: "an.nguyen@demo.ansinh.vn",
        password: "mua-xuan-tren-pho-2026",
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$h0H/wX3JXXbVgbtq4fYs+Q$Ybv3FzCQ5j5tT8vtvoGY9/3CRM2dWe+KUKxw94kvDdo",
    },
    DemoLogin {
        who: "staff admin (quản trị; sets up an authenticator app at first login)",
        login: "quantri@demo.ansinh.vn",
        password: "quan-tri-vien-demo-2026",
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$X7nO3lD7zXmTe7TXEyijxg$vHHsVZaftZvihEsNrHQ5uP/inI7XVu9EDbFMyG/quyU",
    },
    DemoLogin {
        who: "staff clerk (cán bộ tiếp nhận: reviews and proposes; authenticator at first login)",
        login: "tiepnhan@demo.ansinh.vn",
        password: "can-bo-tiep-nhan-2026",
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$Msx3A0IlSIhCgRw8QRvbVg$QNv3Oj5M5f9Kie7sMNZFj8mHOexbHXn74eFSX24P4qw",
    },
    DemoLogin {
        who: "staff approver (cán bộ phê duyệt: decides; authenticator at first login)",
        login: "pheduyet@demo.ansinh.vn",
        password: "can-bo-phe-duyet-2026",
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$tYfr1bTCESxM2h08KClN2w$JQaO2fOB73dBOdCluGL70n3Zn7ZrdXOkdg3FvIp53lQ",
    },
];

impl DemoLogin {
    pub fn hash(&self) -> &'static str {
        self.password_hash
    }
}

/// Seeds the demo accounts unless they exist; returns whether anything was added.
pub async fn seed(state: &AppState) -> Result<bool, AppError> {
    let [citizen, admin, clerk, approver] = &LOGINS;
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
                    password_hash: Some(citizen.password_hash),
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
                    password_hash: Some(admin.password_hash),
                    ..base
                },
            )?;
            for (who, role, name) in [
                (clerk, Role::Clerk, "Lê Văn Cường"),
                (approver, Role::Approver, "Phạm Thị Dung"),
            ] {
                let id = uuid::Uuid::now_v7().to_string();
                store::insert_account(
                    conn,
                    &NewAccount {
                        id: &id,
                        kind: AccountKind::Staff.as_str(),
                        role: Some(role.as_str()),
                        email: who.login,
                        full_name: name,
                        password_hash: Some(who.password_hash),
                        ..base
                    },
                )?;
            }
            book::seed(conn, now)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::password::{Passwords, Verdict};

    #[tokio::test]
    async fn each_demo_hash_matches_its_printed_password() {
        let passwords = Passwords::start(1).unwrap();
        for demo in &LOGINS {
            let verdict = passwords
                .verify(demo.password, Some(demo.password_hash))
                .await
                .unwrap();
            assert_eq!(
                verdict,
                Verdict::Right {
                    needs_rehash: false
                },
                "{}",
                demo.login
            );
        }
    }
}
