//! Password hashing with argon2id at the OWASP parameters (m = 19456 KiB, t = 2, p = 1; the
//! argon2 crate's defaults). Each hash takes ~19 MiB and ~30 ms of a core, so hashing runs on the
//! blocking pool behind a semaphore: a login flood queues here instead of starving the async
//! workers or exhausting memory (SECURITY.md RL-02).

use std::sync::Arc;

use anyhow::anyhow;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

use crate::error::AppError;

pub struct Passwords {
    permits: Arc<Semaphore>,
    /// Verified against when the account does not exist, so "unknown account" takes as long as
    /// "wrong password" (no enumeration by timing: SECURITY.md AUTH-05).
    dummy_hash: String,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Wrong,
    Right { needs_rehash: bool },
}

fn hasher() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::DEFAULT)
}

fn hash_now(password: &str) -> Result<String, AppError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| anyhow!("random salt: {e}"))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| anyhow!("salt: {e}"))?;
    let hash = hasher()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow!("hashing a password: {e}"))?;
    Ok(hash.to_string())
}

impl Passwords {
    pub fn new(concurrency: usize) -> Result<Self, AppError> {
        Ok(Self {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            dummy_hash: hash_now("not a real password; only spends the same time")?,
        })
    }

    pub async fn hash(&self, password: &str) -> Result<String, AppError> {
        let password = password.to_owned();
        let _permit = self.permits.acquire().await.map_err(|e| anyhow!("{e}"))?;
        tokio::task::spawn_blocking(move || hash_now(&password)).await?
    }

    /// Checks `password` against `stored` (the dummy hash when there is no account).
    pub async fn verify(&self, password: &str, stored: Option<&str>) -> Result<Verdict, AppError> {
        let exists = stored.is_some();
        let stored = stored.unwrap_or(&self.dummy_hash).to_owned();
        let password = password.to_owned();
        let _permit = self.permits.acquire().await.map_err(|e| anyhow!("{e}"))?;
        let right = tokio::task::spawn_blocking(move || -> Result<(bool, bool), AppError> {
            let parsed =
                PasswordHash::new(&stored).map_err(|e| anyhow!("stored hash unreadable: {e}"))?;
            let right = hasher()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok();
            Ok((right, needs_rehash(&parsed)))
        })
        .await??;
        Ok(match right {
            (true, needs_rehash) if exists => Verdict::Right { needs_rehash },
            _ => Verdict::Wrong,
        })
    }
}

/// True when `hash` was made with another algorithm or weaker parameters than today's.
fn needs_rehash(hash: &PasswordHash<'_>) -> bool {
    let current = Params::DEFAULT;
    let param = |name: &str| hash.params.get_decimal(name);
    hash.algorithm.as_str() != "argon2id"
        || param("m").is_none_or(|m| m < current.m_cost())
        || param("t").is_none_or(|t| t < current.t_cost())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_with_owasp_parameters_and_verify() {
        let passwords = Passwords::new(1).unwrap();
        let hash = passwords.hash("mây trắng bay").await.unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert_eq!(
            passwords
                .verify("mây trắng bay", Some(&hash))
                .await
                .unwrap(),
            Verdict::Right {
                needs_rehash: false
            }
        );
        assert_eq!(
            passwords
                .verify("may trang bay", Some(&hash))
                .await
                .unwrap(),
            Verdict::Wrong
        );
        assert_eq!(
            passwords.verify("anything", None).await.unwrap(),
            Verdict::Wrong
        );
    }

    #[tokio::test]
    async fn weaker_hashes_are_upgraded_on_login() {
        let weak = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(4096, 1, 1, None).unwrap(),
        );
        let salt = SaltString::encode_b64(b"0123456789abcdef").unwrap();
        let hash = weak
            .hash_password(b"old password", &salt)
            .unwrap()
            .to_string();
        let verdict = Passwords::new(1)
            .unwrap()
            .verify("old password", Some(&hash))
            .await
            .unwrap();
        assert_eq!(verdict, Verdict::Right { needs_rehash: true });
    }
}
