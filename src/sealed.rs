//! Field encryption at rest (SECURITY.md DP-01): values such as a bank account number are
//! stored sealed with XChaCha20-Poly1305 under a key from the environment, never in the clear,
//! with a keyed HMAC "blind index" beside them for equality lookups.
//!
//! A sealed value reads `v1:<key id>:<base64url(nonce ‖ ciphertext ‖ tag)>`: a random 24-byte
//! nonce per value, and the id of the key that sealed it, so keys can rotate. The [`Keyring`]
//! holds the current key (which seals) and any old keys (which only open); `ansinh keys reseal`
//! moves old rows to the current key. Each value is bound to its place (`context`, e.g. the
//! column and the row's owner) as associated data: a sealed value copied into another row does
//! not open there.
//!
//! Each configured key is 32 random bytes (base64). The encryption key, the blind-index key and
//! the key id are derived from it with HMAC-SHA256 under distinct labels, so one secret per key
//! is all an operator handles.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The format tag at the start of every sealed value.
const VERSION: &str = "v1";
const NONCE_BYTES: usize = 24;
const TAG_BYTES: usize = 16;
const KEY_BYTES: usize = 32;
/// A key of 32 random bytes has ~30 distinct byte values; fewer than this is a key someone
/// typed (all zeros, a repeated pattern), not one drawn from a random source.
const MIN_DISTINCT_BYTES: usize = 16;

/// Why a sealed value could not be opened. Never partial or garbled plaintext: either the
/// value opens exactly as sealed, or one of these.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    #[error("not a sealed value")]
    Malformed,
    /// Sealed under a key that is no longer configured (add it to the old keys to read it).
    #[error("sealed under key {0}, which is not configured")]
    UnknownKey(String),
    /// The value was changed, belongs to another place, or the key is wrong.
    #[error("the sealed value does not authenticate")]
    Forged,
}

/// Why a configured key is refused at start (SECURITY.md CFG-02).
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("is not base64")]
    NotBase64,
    #[error("must be {KEY_BYTES} bytes, not {0}")]
    WrongLength(usize),
    #[error("is not random (too few distinct bytes): generate one with `ansinh keys new`")]
    Weak,
    #[error("is configured twice")]
    Duplicate,
}

struct Key {
    id: String,
    cipher: XChaCha20Poly1305,
    index: [u8; KEY_BYTES],
}

impl Key {
    fn parse(text: &str) -> Result<Self, KeyError> {
        let text = text.trim();
        let bytes = [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD]
            .iter()
            .find_map(|engine| engine.decode(text).ok())
            .ok_or(KeyError::NotBase64)?;
        let master: [u8; KEY_BYTES] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| KeyError::WrongLength(bytes.len()))?;
        let distinct = master
            .iter()
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        if distinct < MIN_DISTINCT_BYTES {
            return Err(KeyError::Weak);
        }
        let encryption = derive(&master, "ansinh/field-encryption/v1");
        let id = derive(&master, "ansinh/key-id/v1")[..4]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Ok(Key {
            id,
            cipher: XChaCha20Poly1305::new(&encryption.into()),
            index: derive(&master, "ansinh/blind-index/v1"),
        })
    }

    fn blind_index(&self, context: &str, value: &str) -> String {
        let mut mac = hmac_with(&self.index);
        mac.update(context.as_bytes());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }
}

/// HMAC-SHA256 under `key`; HMAC takes keys of any length.
fn hmac_with(key: &[u8]) -> Hmac<Sha256> {
    match <Hmac<Sha256> as Mac>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC takes keys of any length"),
    }
}

fn derive(master: &[u8; KEY_BYTES], label: &str) -> [u8; KEY_BYTES] {
    let mut mac = hmac_with(master);
    mac.update(label.as_bytes());
    mac.finalize().into_bytes().into()
}

/// The associated data: the format, the key id and the value's place are all authenticated.
fn associated_data(key_id: &str, context: &str) -> String {
    format!("{VERSION}:{key_id}:{context}")
}

/// The field-encryption keys: one current key that seals, old keys that still open.
#[derive(Clone)]
pub struct Keyring {
    keys: std::sync::Arc<[Key]>,
}

impl std::fmt::Debug for Keyring {
    /// Key ids only, never key material (settings are logged at start in debug builds).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keyring")
            .field("current", &self.current_id())
            .field(
                "old",
                &self.keys[1..].iter().map(|k| &k.id).collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl Keyring {
    /// The current key and the old ones, each 32 random bytes in base64. The error names the
    /// key at fault by position, never by value.
    pub fn new(current: &str, old: &[String]) -> Result<Self, (String, KeyError)> {
        let mut keys: Vec<Key> = Vec::with_capacity(1 + old.len());
        let named = std::iter::once(("the current key".to_owned(), current)).chain(
            old.iter()
                .enumerate()
                .map(|(n, text)| (format!("old key #{}", n + 1), text.as_str())),
        );
        for (name, text) in named {
            let key = Key::parse(text).map_err(|error| (name.clone(), error))?;
            if keys.iter().any(|k| k.id == key.id) {
                return Err((name, KeyError::Duplicate));
            }
            keys.push(key);
        }
        Ok(Self { keys: keys.into() })
    }

    fn current(&self) -> &Key {
        &self.keys[0]
    }

    /// The id new values are sealed under.
    pub fn current_id(&self) -> &str {
        &self.current().id
    }

    /// Seals `plaintext` for `context` under the current key with a fresh random nonce.
    pub fn seal(&self, context: &str, plaintext: &str) -> String {
        let key = self.current();
        let mut nonce = [0u8; NONCE_BYTES];
        // As with session tokens: no random source, no secure service (see `secrets`).
        if let Err(error) = getrandom::fill(&mut nonce) {
            panic!("operating system random source unavailable: {error}");
        }
        let aad = associated_data(&key.id, context);
        let sealed = key.cipher.encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: plaintext.as_bytes(),
                aad: aad.as_bytes(),
            },
        );
        let Ok(ciphertext) = sealed else {
            unreachable!("XChaCha20-Poly1305 seals any message shorter than 256 GiB")
        };
        let mut body = Vec::with_capacity(NONCE_BYTES + ciphertext.len());
        body.extend_from_slice(&nonce);
        body.extend_from_slice(&ciphertext);
        format!("{VERSION}:{}:{}", key.id, URL_SAFE_NO_PAD.encode(body))
    }

    /// Opens a value sealed for `context` under any configured key.
    pub fn open(&self, context: &str, sealed: &str) -> Result<String, SealError> {
        let (key_id, body) = split(sealed)?;
        let key = self
            .keys
            .iter()
            .find(|k| k.id == key_id)
            .ok_or_else(|| SealError::UnknownKey(key_id.to_owned()))?;
        let body = URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|_| SealError::Malformed)?;
        if body.len() < NONCE_BYTES + TAG_BYTES {
            return Err(SealError::Malformed);
        }
        let (nonce, ciphertext) = body.split_at(NONCE_BYTES);
        let aad = associated_data(key_id, context);
        let plaintext = key
            .cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| SealError::Forged)?;
        String::from_utf8(plaintext).map_err(|_| SealError::Forged)
    }

    /// Whether `sealed` was sealed under an old key (and `reseal` would move it).
    pub fn is_old(&self, sealed: &str) -> bool {
        split(sealed).is_ok_and(|(key_id, _)| key_id != self.current_id())
    }

    /// Opens a value and seals it again under the current key.
    pub fn reseal(&self, context: &str, sealed: &str) -> Result<String, SealError> {
        Ok(self.seal(context, &self.open(context, sealed)?))
    }

    /// The blind index of `value` under the current key: equal values in the same `context`
    /// give equal indexes; without the key, the index says nothing about the value.
    pub fn blind_index(&self, context: &str, value: &str) -> String {
        self.current().blind_index(context, value)
    }

    /// The indexes `value` may be stored under while keys rotate (current key first): look
    /// rows up with any of them.
    pub fn blind_indexes(&self, context: &str, value: &str) -> Vec<String> {
        self.keys
            .iter()
            .map(|k| k.blind_index(context, value))
            .collect()
    }
}

/// `v1:<key id>:<body>` → (key id, body).
fn split(sealed: &str) -> Result<(&str, &str), SealError> {
    let mut parts = sealed.splitn(3, ':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(VERSION), Some(key_id), Some(body)) if !key_id.is_empty() => Ok((key_id, body)),
        _ => Err(SealError::Malformed),
    }
}

/// A new random key for `FIELD_KEY`: 32 bytes from the operating system, base64.
pub fn new_key() -> String {
    let mut bytes = [0u8; KEY_BYTES];
    if let Err(error) = getrandom::fill(&mut bytes) {
        panic!("operating system random source unavailable: {error}");
    }
    STANDARD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONTEXT: &str = "payout_accounts.account_number:acc-1";

    fn keyring(current: &str, old: &[&str]) -> Keyring {
        let old: Vec<String> = old.iter().map(|k| (*k).to_owned()).collect();
        Keyring::new(current, &old).unwrap()
    }

    #[test]
    fn a_sealed_value_opens_to_exactly_what_was_sealed() {
        let keys = keyring(&new_key(), &[]);
        let sealed = keys.seal(CONTEXT, "0071001234567");
        assert_eq!(keys.open(CONTEXT, &sealed).unwrap(), "0071001234567");
        assert_eq!(keys.open(CONTEXT, &keys.seal(CONTEXT, "")).unwrap(), "");
    }

    #[test]
    fn the_stored_form_names_the_key_and_hides_the_value() {
        let keys = keyring(&new_key(), &[]);
        let sealed = keys.seal(CONTEXT, "0071001234567");
        let prefix = format!("v1:{}:", keys.current_id());
        assert!(sealed.starts_with(&prefix), "{sealed}");
        assert_eq!(keys.current_id().len(), 8);
        assert!(!sealed.contains("1234567"), "{sealed}");
        // A fresh nonce each time: the same value never seals the same way twice.
        assert_ne!(sealed, keys.seal(CONTEXT, "0071001234567"));
    }

    #[test]
    fn flipping_any_byte_of_the_ciphertext_is_an_error_never_garbage() {
        let keys = keyring(&new_key(), &[]);
        let sealed = keys.seal(CONTEXT, "0071001234567");
        let (head, body) = sealed.rsplit_once(':').unwrap();
        let bytes = URL_SAFE_NO_PAD.decode(body).unwrap();
        for i in 0..bytes.len() {
            let mut flipped = bytes.clone();
            flipped[i] ^= 0x01;
            let tampered = format!("{head}:{}", URL_SAFE_NO_PAD.encode(&flipped));
            assert_eq!(
                keys.open(CONTEXT, &tampered),
                Err(SealError::Forged),
                "byte {i}"
            );
        }
        let truncated = format!("{head}:{}", URL_SAFE_NO_PAD.encode(&bytes[..30]));
        assert_eq!(keys.open(CONTEXT, &truncated), Err(SealError::Malformed));
        assert_eq!(
            keys.open(CONTEXT, "0071001234567"),
            Err(SealError::Malformed)
        );
    }

    #[test]
    fn a_value_moved_to_another_place_does_not_open() {
        let keys = keyring(&new_key(), &[]);
        let sealed = keys.seal(CONTEXT, "0071001234567");
        assert_eq!(
            keys.open("payout_accounts.account_number:acc-2", &sealed),
            Err(SealError::Forged)
        );
    }

    #[test]
    fn another_key_cannot_open_it() {
        let sealed = keyring(&new_key(), &[]).seal(CONTEXT, "0071001234567");
        let other = keyring(&new_key(), &[]);
        assert!(matches!(
            other.open(CONTEXT, &sealed),
            Err(SealError::UnknownKey(_))
        ));
        // A changed key id is caught as well: the id is authenticated with the value.
        let (old_id, rest) = sealed[3..].split_once(':').unwrap();
        let relabelled = format!("v1:{}:{rest}", other.current_id());
        assert_ne!(old_id, other.current_id());
        assert_eq!(other.open(CONTEXT, &relabelled), Err(SealError::Forged));
    }

    #[test]
    fn a_row_sealed_under_an_old_key_still_opens_and_resealing_moves_it() {
        let (first, second) = (new_key(), new_key());
        let before = keyring(&first, &[]);
        let sealed = before.seal(CONTEXT, "0071001234567");
        let rotated = keyring(&second, &[&first]);
        assert!(rotated.is_old(&sealed));
        assert_eq!(rotated.open(CONTEXT, &sealed).unwrap(), "0071001234567");
        let moved = rotated.reseal(CONTEXT, &sealed).unwrap();
        assert!(!rotated.is_old(&moved));
        assert!(moved.starts_with(&format!("v1:{}:", rotated.current_id())));
        assert_eq!(rotated.open(CONTEXT, &moved).unwrap(), "0071001234567");
        // Once moved, the old key can be dropped.
        let after = keyring(&second, &[]);
        assert_eq!(after.open(CONTEXT, &moved).unwrap(), "0071001234567");
        assert!(matches!(
            after.open(CONTEXT, &sealed),
            Err(SealError::UnknownKey(_))
        ));
    }

    #[test]
    fn blind_indexes_match_equal_values_only_and_follow_rotation() {
        let (first, second) = (new_key(), new_key());
        let keys = keyring(&first, &[]);
        let index = keys.blind_index("bank_account", "970436:0071001234567");
        assert_eq!(
            index,
            keys.blind_index("bank_account", "970436:0071001234567")
        );
        assert_ne!(
            index,
            keys.blind_index("bank_account", "970436:0071001234568")
        );
        assert_ne!(index, keys.blind_index("other", "970436:0071001234567"));
        assert!(!index.contains("1234567"));
        let rotated = keyring(&second, &[&first]);
        let candidates = rotated.blind_indexes("bank_account", "970436:0071001234567");
        assert_eq!(candidates.len(), 2);
        assert_eq!(
            candidates[0],
            rotated.blind_index("bank_account", "970436:0071001234567")
        );
        assert_eq!(candidates[1], index);
    }

    #[test]
    fn keys_must_be_32_random_bytes_in_base64() {
        let error = |key: &str| Keyring::new(key, &[]).err().map(|(_, e)| e);
        assert_eq!(error(""), Some(KeyError::WrongLength(0)));
        assert_eq!(error("not base64 at all!"), Some(KeyError::NotBase64));
        assert_eq!(
            error(&STANDARD.encode([7u8; 16])),
            Some(KeyError::WrongLength(16))
        );
        assert_eq!(error(&STANDARD.encode([0u8; 32])), Some(KeyError::Weak));
        let patterned: Vec<u8> = (0..32).map(|i| (i % 4) as u8).collect();
        assert_eq!(error(&STANDARD.encode(patterned)), Some(KeyError::Weak));
        let key = new_key();
        assert_eq!(error(&key), None);
        // The URL-safe alphabet and missing padding are accepted too.
        let bytes = STANDARD.decode(&key).unwrap();
        assert_eq!(error(&URL_SAFE_NO_PAD.encode(&bytes)), None);
        let twice = Keyring::new(&key, std::slice::from_ref(&key)).err();
        assert_eq!(twice, Some(("old key #1".to_owned(), KeyError::Duplicate)));
    }

    #[test]
    fn debug_output_shows_key_ids_not_keys() {
        let key = new_key();
        let keys = keyring(&key, &[]);
        let shown = format!("{keys:?}");
        assert!(shown.contains(keys.current_id()), "{shown}");
        assert!(!shown.contains(&key), "{shown}");
    }
}
