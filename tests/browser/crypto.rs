//! The WebCrypto module (`ui::crypto`) against published known answers, and a protected
//! backup file made and opened the way Settings → Backup does it.

use group_console::store::backup::{self, Contents, Opened};
use group_console::ui::crypto::{self, CryptoError};
use wasm_bindgen_test::wasm_bindgen_test;

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2).unwrap(), 16).unwrap())
        .collect()
}

/// RFC 7914 § 11, the PBKDF2-HMAC-SHA256 vectors: ("passwd", "salt", 1) and
/// ("Password", "NaCl", 80000), 64 bytes each.
#[wasm_bindgen_test]
async fn pbkdf2_sha256_matches_rfc_7914() {
    let one = crypto::pbkdf2_bits(b"passwd", b"salt", 1, 512)
        .await
        .unwrap();
    assert_eq!(
        one,
        hex("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783")
    );
    let many = crypto::pbkdf2_bits(b"Password", b"NaCl", 80_000, 512)
        .await
        .unwrap();
    assert_eq!(
        many,
        hex("4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d")
    );
}

/// NIST's GCM test case 14 (McGrew & Viega, "The Galois/Counter Mode of Operation"): a 256-bit
/// zero key, a zero IV, one zero block → ciphertext and tag.
#[wasm_bindgen_test]
async fn aes_gcm_256_matches_the_gcm_spec_test_case_14() {
    let key = crypto::raw_aes_key(&[0u8; 32]).await.unwrap();
    let sealed = crypto::encrypt(&key, &[0u8; 12], &[0u8; 16]).await.unwrap();
    assert_eq!(
        sealed,
        hex("cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919")
    );
    assert_eq!(
        crypto::decrypt(&key, &[0u8; 12], &sealed).await.unwrap(),
        [0u8; 16]
    );
    // One bit changed: the tag refuses it.
    let mut bad = sealed.clone();
    bad[3] ^= 1;
    assert_eq!(
        crypto::decrypt(&key, &[0u8; 12], &bad).await,
        Err(CryptoError::Refused)
    );
}

#[wasm_bindgen_test]
async fn a_protected_backup_opens_with_its_passphrase_only() {
    let contents = Contents::default();
    let salt = crypto::random_bytes(16).unwrap();
    let iv = crypto::random_bytes(12).unwrap();
    assert_ne!(salt, vec![0u8; 16]);
    // Fewer iterations than a real file, to keep the test quick; the file checks its own.
    let iterations = backup::KDF_ITERATIONS_MIN;
    let key = crypto::derive_key("秘密の合言葉は青い空と海です", &salt, iterations)
        .await
        .unwrap();
    let sealed = crypto::encrypt(&key, &iv, contents.payload_json().as_bytes())
        .await
        .unwrap();
    let file = backup::seal_encrypted(&sealed, &salt, &iv, iterations, 7);
    let Ok(Opened::Protected { sealed, .. }) = backup::open(&file) else {
        panic!("a protected file")
    };
    let wrong = crypto::derive_key("秘密の合言葉は青い空と山です", &sealed.salt, iterations)
        .await
        .unwrap();
    assert_eq!(
        crypto::decrypt(&wrong, &sealed.iv, &sealed.ciphertext).await,
        Err(CryptoError::Refused)
    );
    let right = crypto::derive_key("秘密の合言葉は青い空と海です", &sealed.salt, iterations)
        .await
        .unwrap();
    let plain = crypto::decrypt(&right, &sealed.iv, &sealed.ciphertext)
        .await
        .unwrap();
    assert_eq!(
        Contents::from_payload_json(std::str::from_utf8(&plain).unwrap()).unwrap(),
        contents
    );
}
