//! Signed identities: JWT HS256 tokens the host site signs with its per-site secret.
//!
//! Only HS256 is accepted (the header's `alg` must say so: no `none`, no algorithm
//! confusion); the signature is checked in constant time ([`Mac::verify_slice`]); `exp` is
//! required, may be at most 30 s in the past, and at most [`MAX_LIFETIME`] ahead. Claims:
//! `sub` (the user's id at the host site), `role`, and `vid` for volunteers.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use engine::model::VolunteerId;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// Longest validity of a token from now.
pub const MAX_LIFETIME: i64 = 24 * 3600;
/// Clock skew tolerated on `exp`.
pub const LEEWAY: i64 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Resident,
    Volunteer,
    Coordinator,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vid: Option<VolunteerId>,
    pub exp: i64,
}

/// Why a token was refused (all map to 401).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    Malformed,
    Algorithm,
    Signature,
    Expired,
    TooLong,
    Claims,
}

impl TokenError {
    pub fn message(self) -> &'static str {
        match self {
            TokenError::Malformed => "The token is not a JWT.",
            TokenError::Algorithm => "The token must be signed with HS256.",
            TokenError::Signature => "The token's signature does not match.",
            TokenError::Expired => "The token has expired.",
            TokenError::TooLong => "The token is valid for more than 24 hours.",
            TokenError::Claims => {
                "The token's claims are incomplete (sub, role, exp; vid for volunteers)."
            }
        }
    }
}

/// The site's secret.
#[derive(Clone)]
pub struct Keys {
    secret: Vec<u8>,
}

#[derive(Deserialize)]
struct Header {
    alg: String,
}

impl Keys {
    pub fn new(secret: &[u8]) -> Keys {
        Keys {
            secret: secret.to_vec(),
        }
    }

    fn mac(&self) -> Hmac<Sha256> {
        // HMAC takes a key of any length.
        match Hmac::<Sha256>::new_from_slice(&self.secret) {
            Ok(m) => m,
            Err(_) => unreachable!("HMAC accepts every key length"),
        }
    }

    pub fn sign(&self, claims: &Claims) -> String {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
        let body = serde_json::to_vec(claims).unwrap_or_default();
        let signing = format!("{header}.{}", URL_SAFE_NO_PAD.encode(body));
        let mut mac = self.mac();
        mac.update(signing.as_bytes());
        let sig = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        format!("{signing}.{sig}")
    }

    pub fn verify(&self, token: &str, now: i64) -> Result<Claims, TokenError> {
        let mut parts = token.split('.');
        let (Some(h), Some(p), Some(s), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(TokenError::Malformed);
        };
        let header: Header = URL_SAFE_NO_PAD
            .decode(h)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or(TokenError::Malformed)?;
        if header.alg != "HS256" {
            return Err(TokenError::Algorithm);
        }
        let sig = URL_SAFE_NO_PAD
            .decode(s)
            .map_err(|_| TokenError::Malformed)?;
        let mut mac = self.mac();
        mac.update(h.as_bytes());
        mac.update(b".");
        mac.update(p.as_bytes());
        mac.verify_slice(&sig).map_err(|_| TokenError::Signature)?;
        let claims: Claims = URL_SAFE_NO_PAD
            .decode(p)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or(TokenError::Claims)?;
        if claims.exp + LEEWAY < now {
            return Err(TokenError::Expired);
        }
        if claims.exp - now > MAX_LIFETIME {
            return Err(TokenError::TooLong);
        }
        let sub_ok = !claims.sub.is_empty() && claims.sub.len() <= 128;
        let vid_ok = (claims.role == Role::Volunteer) == claims.vid.is_some();
        if !sub_ok || !vid_ok {
            return Err(TokenError::Claims);
        }
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_790_000_000;

    fn claims() -> Claims {
        Claims {
            sub: "v-7".into(),
            role: Role::Volunteer,
            vid: Some(VolunteerId(7)),
            exp: NOW + 3600,
        }
    }

    #[test]
    fn round_trip() {
        let k = Keys::new(b"secret");
        assert_eq!(k.verify(&k.sign(&claims()), NOW), Ok(claims()));
    }

    #[test]
    fn forged_expired_and_odd_tokens_are_refused() {
        let k = Keys::new(b"secret");
        let other = Keys::new(b"other");
        assert_eq!(
            k.verify(&other.sign(&claims()), NOW),
            Err(TokenError::Signature)
        );
        let mut c = claims();
        c.exp = NOW - LEEWAY - 1;
        assert_eq!(k.verify(&k.sign(&c), NOW), Err(TokenError::Expired));
        c.exp = NOW + MAX_LIFETIME + 1;
        assert_eq!(k.verify(&k.sign(&c), NOW), Err(TokenError::TooLong));
        let mut c = claims();
        c.vid = None;
        assert_eq!(k.verify(&k.sign(&c), NOW), Err(TokenError::Claims));
        // A changed payload under the old signature.
        let t = k.sign(&claims());
        let mut parts: Vec<&str> = t.split('.').collect();
        let mut c = claims();
        c.role = Role::Coordinator;
        c.vid = None;
        let forged = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&c).unwrap());
        parts[1] = &forged;
        assert_eq!(k.verify(&parts.join("."), NOW), Err(TokenError::Signature));
        // alg none.
        let none = URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#);
        let p = t.split('.').nth(1).unwrap();
        assert_eq!(
            k.verify(&format!("{none}.{p}."), NOW),
            Err(TokenError::Algorithm)
        );
        assert_eq!(k.verify("abc", NOW), Err(TokenError::Malformed));
    }
}
