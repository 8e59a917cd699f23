//! Password hashing with argon2id at the OWASP parameters (m = 19456 KiB, t = 2, p = 1; the
//! argon2 crate's defaults).
//!
//! Each hash needs 19 MiB of working memory and ~30 ms of a core, so hashing has its own small
//! pool of threads, one per allowed concurrent hash (SECURITY.md RL-02):
//! - each thread owns its 19 MiB once, for good, so memory stays bounded under a login flood
//!   (hashing on the general blocking pool left a 19 MiB block in every allocator arena);
//! - the threads run at the lowest scheduling priority, so a login flood uses the CPU the rest
//!   of the portal leaves idle instead of delaying every other request;
//! - requests wait for a thread in a bounded queue, off the async workers.

use std::sync::{Arc, Mutex};

use anyhow::anyhow;
use argon2::password_hash::PasswordHash;
use argon2::{Algorithm, Argon2, Block, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use tokio::sync::{mpsc, oneshot};

use crate::error::AppError;

/// Logins waiting for a hashing thread before new ones are turned away (503).
const QUEUE: usize = 256;

pub struct Passwords {
    jobs: mpsc::Sender<Job>,
}

/// Verified against when the account does not exist, so "unknown account" takes as long as
/// "wrong password" (no enumeration by timing: SECURITY.md AUTH-05). It guards nothing: the
/// hash of a random string nobody kept, at today's parameters.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$N+Fs7g8l+2KJzm+ZyKX31Q$PVADOn16c8s8AgeipEwCy+S4s8Wsk4MaDYZVpMeE7Nw";

#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Wrong,
    Right { needs_rehash: bool },
}

enum Work {
    Hash { password: String },
    Verify { password: String, stored: String },
}

struct Job {
    work: Work,
    answer: oneshot::Sender<Result<Answer, AppError>>,
}

enum Answer {
    Hashed(String),
    Checked { right: bool, needs_rehash: bool },
}

impl Passwords {
    /// Starts `threads` hashing threads.
    pub fn start(threads: usize) -> Result<Self, AppError> {
        let (jobs, queue) = mpsc::channel::<Job>(QUEUE);
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..threads.max(1) {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{n}"))
                .spawn(move || hashing_thread(&queue))
                .map_err(|e| anyhow!("starting a hashing thread: {e}"))?;
        }
        Ok(Self { jobs })
    }

    async fn run(&self, work: Work) -> Result<Answer, AppError> {
        let (answer, answered) = oneshot::channel();
        self.jobs
            .try_send(Job { work, answer })
            .map_err(|error| match error {
                mpsc::error::TrySendError::Full(_) => AppError::Unavailable,
                mpsc::error::TrySendError::Closed(_) => {
                    AppError::Internal(anyhow!("hashing threads stopped"))
                }
            })?;
        answered
            .await
            .map_err(|_| anyhow!("a hashing thread stopped"))?
    }

    pub async fn hash(&self, password: &str) -> Result<String, AppError> {
        match self
            .run(Work::Hash {
                password: password.to_owned(),
            })
            .await?
        {
            Answer::Hashed(hash) => Ok(hash),
            Answer::Checked { .. } => Err(AppError::Internal(anyhow!("hashing answered a check"))),
        }
    }

    /// Checks `password` against `stored` (the dummy hash when there is no account).
    pub async fn verify(&self, password: &str, stored: Option<&str>) -> Result<Verdict, AppError> {
        let exists = stored.is_some();
        let stored = stored.unwrap_or(DUMMY_HASH).to_owned();
        let work = Work::Verify {
            password: password.to_owned(),
            stored,
        };
        match self.run(work).await? {
            Answer::Checked {
                right: true,
                needs_rehash,
            } if exists => Ok(Verdict::Right { needs_rehash }),
            Answer::Checked { .. } => Ok(Verdict::Wrong),
            Answer::Hashed(_) => Err(AppError::Internal(anyhow!("a check answered a hash"))),
        }
    }
}

fn hashing_thread(queue: &Mutex<mpsc::Receiver<Job>>) {
    // Lowest priority: best effort, the portal keeps running if the OS refuses.
    let _ = thread_priority::set_current_thread_priority(thread_priority::ThreadPriority::Min);
    // Allocated at the first job, then kept: an idle portal does not hold it.
    let mut memory = Vec::new();
    loop {
        let job = match queue.lock() {
            Ok(mut queue) => queue.blocking_recv(),
            Err(_) => None,
        };
        let Some(job) = job else { return };
        if memory.is_empty() {
            memory = vec![Block::default(); Params::DEFAULT.block_count()];
        }
        let answer =
            match job.work {
                Work::Hash { password } => hash_with(&password, &mut memory).map(Answer::Hashed),
                Work::Verify { password, stored } => verify_with(&password, &stored, &mut memory)
                    .map(|(right, needs_rehash)| Answer::Checked {
                        right,
                        needs_rehash,
                    }),
            };
        let _ = job.answer.send(answer);
    }
}

/// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`) for `password`.
fn hash_with(password: &str, memory: &mut [Block]) -> Result<String, AppError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| anyhow!("random salt: {e}"))?;
    let params = Params::DEFAULT;
    let mut output = [0u8; Params::DEFAULT_OUTPUT_LEN];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
        .hash_password_into_with_memory(password.as_bytes(), &salt, &mut output, &mut *memory)
        .map_err(|e| anyhow!("hashing a password: {e}"))?;
    Ok(format!(
        "$argon2id$v=19$m={},t={},p={}${}${}",
        params.m_cost(),
        params.t_cost(),
        params.p_cost(),
        STANDARD_NO_PAD.encode(salt),
        STANDARD_NO_PAD.encode(output)
    ))
}

/// Whether `password` matches the PHC string `stored`, and whether `stored` is weaker than
/// today's parameters (then it is replaced after a successful login).
fn verify_with(
    password: &str,
    stored: &str,
    memory: &mut [Block],
) -> Result<(bool, bool), AppError> {
    let parsed = PasswordHash::new(stored).map_err(|e| anyhow!("stored hash unreadable: {e}"))?;
    let algorithm =
        Algorithm::try_from(parsed.algorithm).map_err(|e| anyhow!("stored hash: {e}"))?;
    let params = Params::try_from(&parsed).map_err(|e| anyhow!("stored hash parameters: {e}"))?;
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return Err(AppError::Internal(anyhow!(
            "stored hash lacks salt or output"
        )));
    };
    let mut salt_bytes = [0u8; 64];
    let salt = salt
        .decode_b64(&mut salt_bytes)
        .map_err(|e| anyhow!("stored salt: {e}"))?;
    let mut output = vec![0u8; expected.len()];
    let hasher = Argon2::new(algorithm, Version::V0x13, params.clone());
    let computed = if params.block_count() <= memory.len() {
        hasher.hash_password_into_with_memory(
            password.as_bytes(),
            salt,
            &mut output,
            &mut memory[..params.block_count()],
        )
    } else {
        // Stronger than today's parameters (a future default): needs its own memory once.
        hasher.hash_password_into(password.as_bytes(), salt, &mut output)
    };
    computed.map_err(|e| anyhow!("checking a password: {e}"))?;
    let right = crate::secrets::constant_time_eq_bytes(&output, expected.as_bytes());
    let current = Params::DEFAULT;
    let needs_rehash = algorithm != Algorithm::Argon2id
        || params.m_cost() < current.m_cost()
        || params.t_cost() < current.t_cost();
    Ok((right, needs_rehash))
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::password_hash::SaltString;
    use argon2::password_hash::{PasswordHasher, PasswordVerifier};

    fn phc_salt(bytes: &[u8]) -> Result<SaltString, argon2::password_hash::Error> {
        SaltString::encode_b64(bytes)
    }

    #[tokio::test]
    async fn hashes_are_argon2id_with_owasp_parameters_and_verify() {
        let passwords = Passwords::start(1).unwrap();
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
    async fn hashes_are_standard_phc_strings_both_ways() {
        let passwords = Passwords::start(1).unwrap();
        let ours = passwords.hash("một hai ba bốn").await.unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(
            Argon2::default()
                .verify_password("một hai ba bốn".as_bytes(), &parsed)
                .is_ok()
        );
        let theirs = Argon2::default()
            .hash_password(
                b"standard library hash",
                &phc_salt(b"0123456789abcdef").unwrap(),
            )
            .unwrap()
            .to_string();
        let verdict = passwords
            .verify("standard library hash", Some(&theirs))
            .await
            .unwrap();
        assert_eq!(
            verdict,
            Verdict::Right {
                needs_rehash: false
            }
        );
    }

    #[test]
    fn the_dummy_hash_uses_todays_parameters() {
        let mut memory = vec![Block::default(); Params::DEFAULT.block_count()];
        assert_eq!(
            verify_with("anything", DUMMY_HASH, &mut memory).unwrap(),
            (false, false)
        );
    }

    #[tokio::test]
    async fn weaker_hashes_are_upgraded_on_login() {
        let weak = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(4096, 1, 1, None).unwrap(),
        );
        let hash = weak
            .hash_password(b"old password", &phc_salt(b"0123456789abcdef").unwrap())
            .unwrap()
            .to_string();
        let verdict = Passwords::start(1)
            .unwrap()
            .verify("old password", Some(&hash))
            .await
            .unwrap();
        assert_eq!(verdict, Verdict::Right { needs_rehash: true });
    }
}
