//! WebCrypto for protected backup files: a key derived from a passphrase (PBKDF2-SHA-256,
//! `store::backup::KDF_ITERATIONS` iterations, a random 16-byte salt) and AES-GCM with a
//! 256-bit key and a random 12-byte IV. The browser does the work (`crypto.subtle`): no
//! crypto code of ours in the bundle, and the derived key is made non-extractable, so even
//! this page's scripts cannot read it back.
//!
//! The passphrase is passed straight to `importKey` and never kept, logged or stored.

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::JsValue;

use super::browser::{call_async, call_method, prop};

/// Why a crypto step failed. The browser's own message is not shown: it says nothing a
/// person can act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CryptoError {
    /// WebCrypto is not there (a page not served over HTTPS or from localhost).
    Unavailable,
    /// AES-GCM refused the ciphertext: wrong key, or the ciphertext was changed.
    Refused,
    Failed,
}

impl std::fmt::Display for CryptoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            CryptoError::Unavailable => {
                "This browser offers no encryption on this page (it needs HTTPS)."
            }
            CryptoError::Refused => "The passphrase does not open it.",
            CryptoError::Failed => "The browser could not encrypt or decrypt it.",
        })
    }
}

fn subtle() -> Result<(JsValue, JsValue), CryptoError> {
    let crypto = prop(&js_sys::global(), "crypto");
    let subtle = prop(&crypto, "subtle");
    if subtle.is_undefined() || subtle.is_null() {
        return Err(CryptoError::Unavailable);
    }
    Ok((crypto, subtle))
}

fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in fields {
        let _ = Reflect::set(&o, &(*k).into(), v);
    }
    o.into()
}

/// `n` random bytes from the browser's CSPRNG.
pub fn random_bytes(n: u32) -> Result<Vec<u8>, CryptoError> {
    let (crypto, _) = subtle()?;
    let buf = Uint8Array::new_with_length(n);
    call_method(&crypto, "getRandomValues", &[buf.clone().into()])
        .map_err(|_| CryptoError::Failed)?;
    Ok(buf.to_vec())
}

/// The AES-GCM key for `passphrase` with `salt` and `iterations` (non-extractable).
pub async fn derive_key(
    passphrase: &str,
    salt: &[u8],
    iterations: u32,
) -> Result<JsValue, CryptoError> {
    let (_, subtle) = subtle()?;
    let base = pbkdf2_base(&subtle, passphrase.as_bytes(), "deriveKey").await?;
    let aes = object(&[("name", "AES-GCM".into()), ("length", 256.into())]);
    call_async(
        &subtle,
        "deriveKey",
        &[
            pbkdf2_params(salt, iterations),
            base,
            aes,
            false.into(),
            Array::of2(&"encrypt".into(), &"decrypt".into()).into(),
        ],
    )
    .await
    .map_err(|_| CryptoError::Failed)
}

/// The passphrase as PBKDF2 key material, for one `usage` (`deriveKey` or `deriveBits`).
async fn pbkdf2_base(subtle: &JsValue, secret: &[u8], usage: &str) -> Result<JsValue, CryptoError> {
    call_async(
        subtle,
        "importKey",
        &[
            "raw".into(),
            Uint8Array::from(secret).into(),
            "PBKDF2".into(),
            false.into(),
            Array::of1(&usage.into()).into(),
        ],
    )
    .await
    .map_err(|_| CryptoError::Failed)
}

fn pbkdf2_params(salt: &[u8], iterations: u32) -> JsValue {
    object(&[
        ("name", "PBKDF2".into()),
        ("salt", Uint8Array::from(salt).into()),
        ("iterations", iterations.into()),
        ("hash", "SHA-256".into()),
    ])
}

async fn aes(op: &str, key: &JsValue, iv: &[u8], data: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let (_, subtle) = subtle()?;
    let params = object(&[
        ("name", "AES-GCM".into()),
        ("iv", Uint8Array::from(iv).into()),
    ]);
    let out = call_async(
        &subtle,
        op,
        &[params, key.clone(), Uint8Array::from(data).into()],
    )
    .await
    .map_err(|_| {
        if op == "decrypt" {
            CryptoError::Refused
        } else {
            CryptoError::Failed
        }
    })?;
    Ok(Uint8Array::new(&out).to_vec())
}

/// AES-GCM encryption (the 16-byte tag at the end, as WebCrypto gives it).
pub async fn encrypt(key: &JsValue, iv: &[u8], plain: &[u8]) -> Result<Vec<u8>, CryptoError> {
    aes("encrypt", key, iv, plain).await
}

/// AES-GCM decryption; [`CryptoError::Refused`] for a wrong key or a changed ciphertext.
pub async fn decrypt(key: &JsValue, iv: &[u8], sealed: &[u8]) -> Result<Vec<u8>, CryptoError> {
    aes("decrypt", key, iv, sealed).await
}

/// PBKDF2-SHA-256 bits (the known-answer tests check the browser's derivation with it).
pub async fn pbkdf2_bits(
    passphrase: &[u8],
    salt: &[u8],
    iterations: u32,
    bits: u32,
) -> Result<Vec<u8>, CryptoError> {
    let (_, subtle) = subtle()?;
    let base = pbkdf2_base(&subtle, passphrase, "deriveBits").await?;
    let out = call_async(
        &subtle,
        "deriveBits",
        &[pbkdf2_params(salt, iterations), base, bits.into()],
    )
    .await
    .map_err(|_| CryptoError::Failed)?;
    Ok(Uint8Array::new(&out).to_vec())
}

/// An AES-GCM key from raw bytes (the known-answer tests; never used for data).
pub async fn raw_aes_key(bytes: &[u8]) -> Result<JsValue, CryptoError> {
    let (_, subtle) = subtle()?;
    call_async(
        &subtle,
        "importKey",
        &[
            "raw".into(),
            Uint8Array::from(bytes).into(),
            "AES-GCM".into(),
            false.into(),
            Array::of2(&"encrypt".into(), &"decrypt".into()).into(),
        ],
    )
    .await
    .map_err(|_| CryptoError::Failed)
}
