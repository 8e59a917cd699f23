//! The signed QR payload on a health card, so a clinic can check a card offline with the
//! published public key (`GET /api/v1/health-cards/public-key`).
//!
//! Format: `HC1.<claims>.<signature>`, both parts base64url without padding; the claims are
//! compact JSON; the Ed25519 signature covers the text `HC1.<claims>`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

const PREFIX: &str = "HC1.";

/// What the QR code asserts about the card.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// Card code, 15 characters.
    pub c: String,
    /// Holder's full name.
    pub n: String,
    /// Birth date, `YYYY-MM-DD`.
    pub b: String,
    /// Valid from / to, `YYYY-MM-DD`.
    pub f: String,
    pub t: String,
    /// Benefit level 1–5.
    pub l: i32,
    /// Primary-care facility code.
    pub p: String,
    /// Five-consecutive-years date, when reached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y: Option<String>,
    /// Id of the key that signed.
    pub k: String,
}

/// The portal's card-signing key, derived from `SECRET_KEY` (so every node of a deployment
/// signs with the same key and no second secret needs managing).
pub struct CardSigner {
    key: SigningKey,
    key_id: String,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("the QR payload is not a card signed by this portal")]
pub struct BadSignature;

impl CardSigner {
    pub fn from_secret(secret_key: &str) -> Self {
        let mut mac = match Hmac::<Sha256>::new_from_slice(secret_key.as_bytes()) {
            Ok(mac) => mac,
            Err(_) => unreachable!("HMAC takes keys of any length"),
        };
        mac.update(b"ansinh health-card signing key v1");
        let seed: [u8; 32] = mac.finalize().into_bytes().into();
        let key = SigningKey::from_bytes(&seed);
        let digest = Sha256::digest(key.verifying_key().as_bytes());
        let key_id = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
        Self { key, key_id }
    }

    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The raw 32-byte public key, base64url.
    pub fn public_key(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.key.verifying_key().as_bytes())
    }

    pub fn sign(&self, claims: &Claims) -> String {
        let json = serde_json::to_vec(claims).unwrap_or_default();
        let signed = format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(json));
        let signature = self.key.sign(signed.as_bytes());
        format!("{signed}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()))
    }

    pub fn verify(&self, payload: &str) -> Result<Claims, BadSignature> {
        verify_with(&self.key.verifying_key(), payload)
    }
}

/// Verifies a payload with a public key, as a clinic would offline.
pub fn verify_with(key: &VerifyingKey, payload: &str) -> Result<Claims, BadSignature> {
    let (signed, signature) = payload.trim().rsplit_once('.').ok_or(BadSignature)?;
    let claims = signed.strip_prefix(PREFIX).ok_or(BadSignature)?;
    let signature: [u8; 64] = URL_SAFE_NO_PAD
        .decode(signature)
        .ok()
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or(BadSignature)?;
    key.verify(signed.as_bytes(), &Signature::from_bytes(&signature))
        .map_err(|_| BadSignature)?;
    let json = URL_SAFE_NO_PAD.decode(claims).map_err(|_| BadSignature)?;
    serde_json::from_slice(&json).map_err(|_| BadSignature)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims() -> Claims {
        Claims {
            c: "DN4790123456789".into(),
            n: "Nguyễn Văn An".into(),
            b: "1990-05-17".into(),
            f: "2026-01-01".into(),
            t: "2026-12-31".into(),
            l: 4,
            p: "79071".into(),
            y: Some("2020-01-01".into()),
            k: "k".into(),
        }
    }

    #[test]
    fn a_signed_payload_verifies_and_any_changed_byte_fails() {
        let signer = CardSigner::from_secret("a test secret key of at least thirty-two chars");
        let payload = signer.sign(&claims());
        assert_eq!(signer.verify(&payload), Ok(claims()));
        for i in 0..payload.len() {
            let mut bytes = payload.clone().into_bytes();
            bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
            let tampered = String::from_utf8(bytes).unwrap();
            if tampered != payload {
                assert_eq!(signer.verify(&tampered), Err(BadSignature), "byte {i}");
            }
        }
        let other = CardSigner::from_secret("another secret key of at least thirty-two chars");
        assert_eq!(other.verify(&payload), Err(BadSignature));
    }
}
