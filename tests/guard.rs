//! The sensitive-data guard, rule by rule: what it must catch and what it must let through.
#![cfg(not(target_arch = "wasm32"))]

use group_console::guard::{scan_name, scan_url, FindingKind};

/// The text a finding's range covers; `None`-free because ranges are on character boundaries.
fn at<'a>(text: &'a str, range: &std::ops::Range<usize>) -> &'a str {
    text.get(range.clone())
        .expect("finding ranges are in bounds and on character boundaries")
}

fn kinds(findings: &[group_console::guard::Finding]) -> Vec<FindingKind> {
    findings.iter().map(|f| f.kind).collect()
}

/// `text` has a finding of `kind` whose range is exactly `expect`.
fn assert_name(text: &str, kind: FindingKind, expect: &str) {
    let f = scan_name(text);
    assert!(
        f.iter()
            .any(|f| f.kind == kind && at(text, &f.range) == expect),
        "{text:?}: expected {kind:?} at {expect:?}, got {:?}",
        f.iter()
            .map(|f| (f.kind, at(text, &f.range)))
            .collect::<Vec<_>>()
    );
}

fn assert_clean_name(text: &str) {
    let f = scan_name(text);
    assert!(
        f.is_empty(),
        "{text:?} should pass, got {:?}",
        f.iter()
            .map(|f| (f.kind, at(text, &f.range)))
            .collect::<Vec<_>>()
    );
}

fn assert_url(text: &str, kind: FindingKind) {
    let f = scan_url(text);
    assert!(
        f.iter().any(|f| f.kind == kind),
        "{text:?}: expected {kind:?}, got {:?}",
        kinds(&f)
    );
}

fn assert_clean_url(text: &str) {
    let f = scan_url(text);
    assert!(
        f.is_empty(),
        "{text:?} should pass, got {:?}",
        f.iter()
            .map(|f| (f.kind, at(text, &f.range)))
            .collect::<Vec<_>>()
    );
}

use FindingKind::*;

#[test]
fn aws_account_ids_in_all_their_forms() {
    assert_name("123456789012", AwsAccountId, "123456789012");
    assert_name("prod-123456789012-web", AwsAccountId, "123456789012");
    assert_name("Acct123456789012", AwsAccountId, "123456789012");
    assert_name("team_123456789012", AwsAccountId, "123456789012");
    assert_name("1234-5678-9012", AwsAccountId, "1234-5678-9012");
    assert_name(
        "billing 1234 5678 9012 east",
        AwsAccountId,
        "1234 5678 9012",
    );
    assert_name("123.456.789.012", AwsAccountId, "123.456.789.012");
    assert_name("acct 123-456-789012", AwsAccountId, "123-456-789012");
    assert_name(
        "arn:aws:iam::123456789012:root",
        AwsAccountId,
        "123456789012",
    );
    assert_name(
        "arn:aws:iam::123456789012:role/Admin",
        AwsAccountId,
        "123456789012",
    );
    assert_name(
        "acct-０１２３４５６７８９０１",
        AwsAccountId,
        "０１２３４５６７８９０１",
    );
    assert_name(
        "x-1234\u{2013}5678\u{2013}9012",
        AwsAccountId,
        "1234\u{2013}5678\u{2013}9012",
    );
    assert_name(
        "id 1234\u{200B}56789012",
        AwsAccountId,
        "1234\u{200B}56789012",
    );
    assert_name("٠١٢٣٤٥٦٧٨٩٠١", AwsAccountId, "٠١٢٣٤٥٦٧٨٩٠١");
}

#[test]
fn payment_cards() {
    assert_name("card-4111111111111111", PaymentCard, "4111111111111111");
    assert_name("4111 1111 1111 1111", PaymentCard, "4111 1111 1111 1111");
    assert_name(
        "x 5500-0055-5555-5559 y",
        PaymentCard,
        "5500-0055-5555-5559",
    );
    assert_name("amex 3782 822463 10005", PaymentCard, "3782 822463 10005");
    assert_name("t6011111111111117", PaymentCard, "6011111111111117");
    assert_name(
        "４１１１１１１１１１１１１１１１",
        PaymentCard,
        "４１１１１１１１１１１１１１１１",
    );
    // Fails Luhn, not a card: and 16 digits is no account ID either.
    assert_clean_name("4111111111111112");
}

#[test]
fn ibans() {
    assert_name("DE89370400440532013000", Iban, "DE89370400440532013000");
    assert_name(
        "pay-GB82 WEST 1234 5698 7654 32",
        Iban,
        "GB82 WEST 1234 5698 7654 32",
    );
    assert_name(
        "fr1420041010050500013m02606",
        Iban,
        "fr1420041010050500013m02606",
    );
    assert_name("NL91ABNA0417164300", Iban, "NL91ABNA0417164300");
    assert_clean_name("DE89370400440532013001"); // bad check digits
}

#[test]
fn bank_and_customer_account_numbers() {
    assert_name("account-12345678", BankAccount, "12345678");
    assert_name("customer_no_987654321", BankAccount, "987654321");
    assert_name("bank acct 1234 5678 90", BankAccount, "1234 5678 90");
    assert_name("myAcct#00123456", BankAccount, "00123456");
    assert_name("client:77889900", BankAccount, "77889900");
    assert_name("routing 021000021", RoutingNumber, "021000021");
    assert_name("aba-011000015", RoutingNumber, "011000015");
}

#[test]
fn aws_keys_and_tokens() {
    assert_name(
        "key-AKIAIOSFODNN7EXAMPLE",
        AwsAccessKeyId,
        "AKIAIOSFODNN7EXAMPLE",
    );
    assert_name(
        "ASIAY34FZKBOKMUTVV7A",
        AwsAccessKeyId,
        "ASIAY34FZKBOKMUTVV7A",
    );
    assert_name(
        "ＡＫＩＡＩＯＳＦＯＤＮＮ７ＥＸＡＭＰＬＥ",
        AwsAccessKeyId,
        "ＡＫＩＡＩＯＳＦＯＤＮＮ７ＥＸＡＭＰＬＥ",
    );
    assert_name(
        "secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        AwsSecretKey,
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    );
    assert_name(
        "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
        ApiToken,
        "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
    );
    assert_name(
        "glpat-xxxxxxxxxxxxxxxxxxxx",
        ApiToken,
        "glpat-xxxxxxxxxxxxxxxxxxxx",
    );
    assert_name(
        "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
        ApiToken,
        "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
    );
}

#[test]
fn older_aws_key_prefix() {
    assert_name(
        "A3TXIOSFODNN7EXAMPLE",
        AwsAccessKeyId,
        "A3TXIOSFODNN7EXAMPLE",
    );
}

#[test]
fn ordinary_names_pass() {
    for name in [
        "web-prod",
        "backup-2026-11-28",
        "backup-20261128",
        "run-2026-11-28T12:34:56Z",
        "snapshot-202611281230",
        "release-v1.2.3",
        "v10.20.30",
        "ip-10-0-12-7",
        "10.0.12.7",
        "team-42",
        "cost-center-1234",
        "ASIAPACIFIC",
        "ASIAPACIFICSOUTHEAST",
        "AsiaPacificSoutheastRegion",
        "monkey-keyboard-keys",
        "api-key-rotation",
        "build-1764288000",
        "order-123456",
        "phone 555-123-4567",
        "call +44 20 7946 0958",
        "2026-11-28T12:34:56.789Z",
        "20261128T123456Z",
        "build-1764288000000",
        "discard-2026",
        "123e4567-e89b-12d3-a456-426614174000",
        "deploy-3f786850e387550fdab836ed7e6dc881de23001b",
        "ThisIsMyVeryLongGroupNameForProduction1",
        "Stage",
        "",
    ] {
        assert_clean_name(name);
    }
}

#[test]
fn url_credentials_however_written() {
    for url in [
        "https://user:pass@example.com/",
        "https://user@example.com/",
        "https://:secret@example.com/",
        "https://a@b:c@example.com/",
        "https:user:pass@example.com",
        "https:\\\\user:pass@example.com",
        "https:///user:pass@example.com",
        "HTTPS://USER:PASS@EXAMPLE.COM",
        "https://us\ter:pa\nss@example.com",
        "  https://user:pass@example.com  ",
        "https://user%3Apass@example.com",
        "ftp://anonymous:guest@ftp.example.com",
        "wss://u:p@socket.example.com",
        "user:pass@example.com",
        "https://user:pass@[::1]:8443/",
        "http://&a:foo(b]c@d:2/",
        "http://::@c@d:2",
        "https://test:@test",
        "non-special://test:@test/x",
        "\u{0}https://user:pass@host",
        "ht\ttps://user:pass@host",
    ] {
        assert_url(url, UrlCredentials);
    }
}

#[test]
fn secret_parameters_and_token_shapes() {
    for url in [
        "https://bucket.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20261128&X-Amz-Signature=abc123",
        "https://bucket.s3.amazonaws.com/k?AWSAccessKeyId=XYZ&Expires=1&Signature=abc",
        "https://storage.googleapis.com/b/o?X-Goog-Signature=abcdef",
        "https://acct.blob.core.windows.net/c/b?sv=2022-11-02&sig=abc%3D",
        "https://app.example/cb#access_token=abc.def&token_type=bearer",
        "https://app.example/#/callback?id_token=xyz",
        "https://api.example/?refresh_token=r1",
        "https://api.example/?token=t",
        "https://api.example/?api_key=k&page=2",
        "https://api.example/?apikey=k",
        "https://api.example/?password=p",
        "https://api.example/?passwd=p",
        "https://api.example/?pwd=p",
        "https://api.example/?client_secret=s",
        "https://api.example/?private_key=s",
        "https://api.example/?db_password=s",
        "https://api.example/;jsessionid=abc?x=1&secret=s",
        "https://api.example/?oauth_signature=s&oauth_token=t",
        "https://api.example/?sessionToken=t",
    ] {
        assert_url(url, UrlSecretParameter);
    }
    for url in [
        "https://api.example/v1/AKIAIOSFODNN7EXAMPLE/items",
        "https://api.example/x?q=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
        "https://discord.com/api/webhooks/123456789012345678/abcdefghijklmnopqrstuvwxyzABCDEF",
        "https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getMe",
        "https://example.com/ghp_abcdefghijklmnopqrstuvwxyz0123456789",
        "https://example.com/x?q=sk_live_4eC39HqLyjWDarjtT1zdp7dc",
        "https://example.com/x?q=xoxb-123456789012-abcdefghijklmnop",
        "https://example.com/%41KIAIOSFODNN7EXAMPLE",
    ] {
        assert!(!scan_url(url).is_empty(), "{url} should be flagged");
    }
}

#[test]
fn harmless_urls_pass() {
    for url in [
        "https://resource-groups.us-east-1.amazonaws.com",
        "https://resource-groups-fips.us-east-1.amazonaws.com/",
        "https://example.com:8443/api",
        "http://127.0.0.1:5000",
        "http://localhost:5000/",
        "https://[::1]:8443/",
        "https://[2001:db8::1]/groups",
        "https://example.com/groups?page=2&sort=name",
        "https://example.com/search?q=keyword&author=me&monkey=1&tokenizer=x",
        "https://example.com/account/password_reset?step=2",
        "https://medium.com/@someone/post",
        "https://example.com/users/@alice?tab=profile",
        "https://example.com/?nextToken=abc&maxResults=50",
        "https://example.com/?page_token=abc",
        "https://@example.com/",
        "mailto:someone@example.com",
        "https://example.com/#section-2",
        "https://example.com/?token=",
        "https://:@test",
        "non-special://:@test/x",
        "http::@c:29",
        "https://example.com/a;b?c=d#e",
    ] {
        assert_clean_url(url);
    }
}

#[test]
fn ranges_point_at_the_secret_and_messages_do_not_repeat_it() {
    let url = "https://alice:hunter22@example.com/";
    let f = scan_url(url);
    assert_eq!(f.len(), 1);
    assert_eq!(at(url, &f[0].range), "alice:hunter22");
    assert!(!f[0].message.contains("hunter22"));

    let url = "https://x.example/?a=1&X-Amz-Signature=deadbeef&b=2";
    let f = scan_url(url);
    assert_eq!(at(url, &f[0].range), "deadbeef");

    let name = "ｘ-１２３４５６７８９０１２";
    let f = scan_name(name);
    assert_eq!(at(name, &f[0].range), "１２３４５６７８９０１２");
    assert!(f[0].message.contains("AWS account ID"));
}

/// Email addresses are looked for only in an owner, and only warn there; names and tags keep
/// taking them (a tag `Contact=ops@example.com` is common and fine).
#[test]
fn email_addresses_in_an_owner_warn_and_nowhere_else_are_looked_for() {
    use group_console::guard::scan_owner;
    use group_console::model::group::check_owner;
    let emails = |text: &str| -> Vec<String> {
        scan_owner(text)
            .iter()
            .filter(|f| f.kind == FindingKind::EmailAddress)
            .map(|f| at(text, &f.range).to_owned())
            .collect()
    };
    assert_eq!(
        emails("zoë.lefèvre@example.com"),
        ["zoë.lefèvre@example.com"]
    );
    assert_eq!(
        emails("Owner: jane.doe+rg@corp.example.co.jp."),
        ["jane.doe+rg@corp.example.co.jp"]
    );
    assert_eq!(emails("ops@例え.テスト"), ["ops@例え.テスト"]);
    assert_eq!(
        emails("a@b.c d@e.fr"),
        ["d@e.fr"],
        "a one-letter top-level domain is not one"
    );
    for clean in [
        "team-web",
        "@platform",
        "user@localhost",
        "Équipe plateforme",
        "x@",
        "@@",
        "",
    ] {
        assert!(emails(clean).is_empty(), "{clean:?}");
    }
    assert!(scan_name("ops@example.com").is_empty());
    // In the model: a warning, not a block; an account number in an owner still blocks.
    let e = check_owner("ops@example.com");
    assert_eq!(e.len(), 1);
    assert!(!e[0].is_blocking());
    assert!(check_owner("billing 123456789012")
        .iter()
        .any(|e| e.is_blocking()));
}

#[test]
fn display_names_and_owners_follow_the_api_model() {
    use group_console::model::group::{check_criticality, check_display_name, check_owner};
    // AWS's pattern is the tag value's: any script, spaces, _ . : / = + - @; 0–300 characters.
    assert!(check_display_name("ストアフロント 本番").is_empty());
    assert!(check_display_name("שלום-עולם").is_empty());
    assert!(check_display_name("").is_empty());
    assert!(check_display_name(&"あ".repeat(300)).is_empty());
    assert_eq!(check_display_name(&"あ".repeat(301)).len(), 1);
    let bad = check_display_name("web (prod)");
    assert_eq!(bad.len(), 1);
    assert!(bad[0].message.contains('('), "{}", bad[0].message);
    assert!(check_owner("Zoë; DROP").iter().any(|e| e.is_blocking()));
    assert!(check_display_name("acct 123456789012")
        .iter()
        .any(|e| e.is_blocking()));
    for ok in 1..=10 {
        assert!(check_criticality(Some(ok)).is_none());
    }
    for bad in [0, 11, -1, i64::MAX] {
        assert!(check_criticality(Some(bad)).is_some(), "{bad}");
    }
    assert!(check_criticality(None).is_none());
}
