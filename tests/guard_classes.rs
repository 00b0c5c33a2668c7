//! The sensitive-data guard, class by class: the shapes of issue §3 that it must catch, and the
//! look-alikes it must let through. Each class has its positives and its tricky negatives.
#![cfg(not(target_arch = "wasm32"))]

use group_console::guard::{scan_name, scan_tag, scan_url, Finding, FindingKind, FindingPart};

use FindingKind::*;

/// The text a finding's range covers; `None`-free because ranges are on character boundaries.
fn at<'a>(text: &'a str, range: &std::ops::Range<usize>) -> &'a str {
    text.get(range.clone())
        .expect("finding ranges are in bounds and on character boundaries")
}

fn show<'a>(text: &'a str, f: &[Finding]) -> Vec<(FindingKind, &'a str)> {
    f.iter().map(|f| (f.kind, at(text, &f.range))).collect()
}

/// `text` has a finding of `kind` whose range is exactly `expect`.
fn assert_name(text: &str, kind: FindingKind, expect: &str) {
    let f = scan_name(text);
    assert!(
        f.iter()
            .any(|f| f.kind == kind && at(text, &f.range) == expect),
        "{text:?}: expected {kind:?} at {expect:?}, got {:?}",
        show(text, &f)
    );
}

fn assert_clean_name(text: &str) {
    let f = scan_name(text);
    assert!(
        f.is_empty(),
        "{text:?} should pass, got {:?}",
        show(text, &f)
    );
}

fn assert_url(text: &str, kind: FindingKind, expect: &str) {
    let f = scan_url(text);
    assert!(
        f.iter()
            .any(|f| f.kind == kind && at(text, &f.range) == expect),
        "{text:?}: expected {kind:?} at {expect:?}, got {:?}",
        show(text, &f)
    );
}

fn assert_clean_url(text: &str) {
    let f = scan_url(text);
    assert!(
        f.is_empty(),
        "{text:?} should pass, got {:?}",
        show(text, &f)
    );
}

/// The tag has a finding of `kind` in the value, whose range is exactly `expect`.
fn assert_tag_value(key: &str, value: &str, kind: FindingKind, expect: &str) {
    let f = scan_tag(key, value);
    let got: Vec<_> = f
        .iter()
        .map(|f| {
            let text = if f.part == FindingPart::Key {
                key
            } else {
                value
            };
            (f.part, f.kind, at(text, &f.range))
        })
        .collect();
    assert!(
        got.contains(&(FindingPart::Value, kind, expect)),
        "{key:?}={value:?}: expected {kind:?} at {expect:?} in the value, got {got:?}"
    );
}

fn assert_clean_tag(key: &str, value: &str) {
    let f = scan_tag(key, value);
    assert!(
        f.is_empty(),
        "{key:?}={value:?} should pass, got {:?}",
        f.iter()
            .map(|f| (f.part, f.kind, f.range.clone()))
            .collect::<Vec<_>>()
    );
}

// --- Digit groups joined by short, mixed or repeated runs of separators ---------------------

#[test]
fn account_ids_with_any_short_separator_run() {
    for (text, id) in [
        ("acct 1234_5678_9012", "1234_5678_9012"),
        ("1234/5678/9012", "1234/5678/9012"),
        ("id 1234 - 5678 - 9012 x", "1234 - 5678 - 9012"),
        ("1234  5678  9012", "1234  5678  9012"),
        ("1234.5678.9012", "1234.5678.9012"),
        ("1234-5678_9012", "1234-5678_9012"),
        ("1234 -_5678 -_9012", "1234 -_5678 -_9012"),
        (
            "1234\u{2028}5678\u{2028}9012",
            "1234\u{2028}5678\u{2028}9012",
        ),
        (
            "1234\u{2029}5678\u{2029}9012",
            "1234\u{2029}5678\u{2029}9012",
        ),
        (
            "1234\u{00A0}5678\u{3000}9012",
            "1234\u{00A0}5678\u{3000}9012",
        ),
        (
            "1234 \u{2014} 5678 \u{2014} 9012",
            "1234 \u{2014} 5678 \u{2014} 9012",
        ),
        ("123 456 789 012", "123 456 789 012"),
        ("123_456_789_012", "123_456_789_012"),
        ("1234\t5678\n9012", "1234\t5678\n9012"),
        // The account ID stands out of a longer chain by its own separator.
        ("1234-5678-9012 / 42", "1234-5678-9012"),
        ("v2 / 1234-5678-9012", "1234-5678-9012"),
    ] {
        assert_name(text, AwsAccountId, id);
    }
}

#[test]
fn cards_and_ibans_with_any_short_separator_run() {
    for (text, card) in [
        ("4111_1111_1111_1111", "4111_1111_1111_1111"),
        ("4111 - 1111 - 1111 - 1111", "4111 - 1111 - 1111 - 1111"),
        ("4111/1111/1111/1111", "4111/1111/1111/1111"),
        ("4111.1111.1111.1111", "4111.1111.1111.1111"),
        ("4111  1111  1111  1111", "4111  1111  1111  1111"),
        ("5500-0055 5555_5559", "5500-0055 5555_5559"),
        (
            "amex 3782\u{2028}822463\u{2028}10005",
            "3782\u{2028}822463\u{2028}10005",
        ),
    ] {
        assert_name(text, PaymentCard, card);
    }
    for (text, iban) in [
        ("DE89_3704_0044_0532_0130_00", "DE89_3704_0044_0532_0130_00"),
        (
            "DE89 - 3704 - 0044 - 0532 - 0130 - 00",
            "DE89 - 3704 - 0044 - 0532 - 0130 - 00",
        ),
        (
            "pay DE89/3704/0044/0532/0130/00",
            "DE89/3704/0044/0532/0130/00",
        ),
        ("DE89.3704.0044.0532.0130.00", "DE89.3704.0044.0532.0130.00"),
        (
            "GB82  WEST  1234  5698  7654  32",
            "GB82  WEST  1234  5698  7654  32",
        ),
        (
            "GB82\u{2029}WEST\u{2029}1234\u{2029}5698\u{2029}7654\u{2029}32",
            "GB82\u{2029}WEST\u{2029}1234\u{2029}5698\u{2029}7654\u{2029}32",
        ),
    ] {
        assert_name(text, Iban, iban);
    }
}

#[test]
fn separated_numbers_that_are_no_accounts() {
    for text in [
        // IPv4 addresses, dotted or as EC2 host names.
        "10.0.0.1",
        "192.168.100.200",
        "host 172.16.254.255 up",
        "ip-192-168-100-200",
        "ip_100_200_150_250",
        "192.168.100.200/24",
        "10.100.200.255:8080",
        // Dates and times.
        "2024.01.15",
        "15.01.2024",
        "01/15/2024",
        "2024/01/15/1234",
        "12.30.45",
        "2024.01.15 12.30.45",
        "backup 2024-01-15 - 2024-02-15",
        // Versions.
        "1.2.3",
        "v2024.10.1234",
        "v100.200.300.400",
        "release 10.20.30",
        // Too long or too short to be an account: 16 digits without a card's checksum.
        "1234-5678-1234-5678",
        "1234_5678_9012_3456_7",
        "12 34 56 78 90 12",
        "phone 555 - 123 - 4567",
        // More than three separators between groups.
        "1234 -- 5678 -- 9012",
        "1234    5678    9012",
        "DE89 -- 3704 -- 0044 -- 0532 -- 0130 -- 00",
        // Words and paths that start like an IBAN but are mostly letters.
        "de12/prod/web/logs/2024/backup",
    ] {
        assert_clean_name(text);
    }
}

// --- Compatibility digits ------------------------------------------------------------------

#[test]
fn compatibility_digits_fold_like_other_lookalikes() {
    for (text, id) in [
        ("①②③④⑤⑥⑦⑧⑨⓪①②", "①②③④⑤⑥⑦⑧⑨⓪①②"),
        ("acct ⑴⑵⑶⑷⑸⑹⑺⑻⑼⑴⑵⑶", "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑴⑵⑶"),
        ("⒈⒉⒊⒋⒌⒍⒎⒏⒐⒈⒉⒊", "⒈⒉⒊⒋⒌⒍⒎⒏⒐⒈⒉⒊"),
        ("❶❷❸❹❺❻❼❽❾⓿❶❷", "❶❷❸❹❺❻❼❽❾⓿❶❷"),
        ("➀➁➂➃➄➅➆➇➈🄋➀➁", "➀➁➂➃➄➅➆➇➈🄋➀➁"),
        // Enclosed numbers above 9 are two digits: ⑫ is "12".
        ("⑫③④⑤⑥⑦⑧⑨⓪⑫", "⑫③④⑤⑥⑦⑧⑨⓪⑫"),
        ("x ⑿⒀⒁⒂⒃⒄", "⑿⒀⒁⒂⒃⒄"),
        ("１２３４－５６７８－９０１２", "１２３４－５６７８－９０１２"),
        ("\u{1D7CF}\u{1D7D0}\u{1D7D1}\u{1D7D2}\u{1D7D3}\u{1D7D4}\u{1D7D5}\u{1D7D6}\u{1D7D7}\u{1D7CE}\u{1D7CF}\u{1D7D0}", "\u{1D7CF}\u{1D7D0}\u{1D7D1}\u{1D7D2}\u{1D7D3}\u{1D7D4}\u{1D7D5}\u{1D7D6}\u{1D7D7}\u{1D7CE}\u{1D7CF}\u{1D7D0}"),
        ("¹²³⁴⁵⁶⁷⁸⁹⁰¹²", "¹²³⁴⁵⁶⁷⁸⁹⁰¹²"),
        // Keycaps and combining marks drawn over ASCII digits.
        ("1\u{FE0F}\u{20E3}2\u{FE0F}\u{20E3}3\u{FE0F}\u{20E3}456789012", "1\u{FE0F}\u{20E3}2\u{FE0F}\u{20E3}3\u{FE0F}\u{20E3}456789012"),
        ("1\u{20DD}2\u{20DD}3\u{20DD}456789012", "1\u{20DD}2\u{20DD}3\u{20DD}456789012"),
        ("1\u{0332}2\u{0332}3\u{0332}456789012", "1\u{0332}2\u{0332}3\u{0332}456789012"),
    ] {
        assert_name(text, AwsAccountId, id);
    }
    assert_name("card ④①①①①①①①①①①①①①①①", PaymentCard, "④①①①①①①①①①①①①①①①");
    assert_name(
        "DE⑧⑨３７０４００４４０５３２０１３０００",
        Iban,
        "DE⑧⑨３７０４００４４０５３２０１３０００",
    );
}

#[test]
fn compatibility_digits_that_are_no_accounts() {
    for text in [
        "① web ② db ③ cache",
        "step ⑴ build ⑵ test",
        "⒈ plan ⒉ apply",
        "❶❷❸ priority",
        "⑩⑪⑫",              // six digits
        "１０．０．０．１", // a fullwidth IPv4 address
        "２０２４．０１．１５",
    ] {
        assert_clean_name(text);
    }
}

// --- Tokens and keys glued to a prefix inside a name ---------------------------------------

#[test]
fn tokens_glued_to_a_word() {
    let ghp = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
    for (text, token, kind) in [
        (format!("runner-{ghp}"), ghp.to_owned(), ApiToken),
        (format!("runner_{ghp}"), ghp.to_owned(), ApiToken),
        (format!("runner{ghp}"), ghp.to_owned(), ApiToken),
        (format!("ci.{ghp}.prod"), ghp.to_owned(), ApiToken),
        (
            "ci_AKIAXXXXXXXXXXXXXXXX".to_owned(),
            "AKIAXXXXXXXXXXXXXXXX".to_owned(),
            AwsAccessKeyId,
        ),
        (
            "ciAKIAIOSFODNN7EXAMPLE".to_owned(),
            "AKIAIOSFODNN7EXAMPLE".to_owned(),
            AwsAccessKeyId,
        ),
        (
            "build-xoxb-123456789012-abcdefghijklmnop".to_owned(),
            "xoxb-123456789012-abcdefghijklmnop".to_owned(),
            ApiToken,
        ),
        (
            "deploy_sk_live_4eC39HqLyjWDarjtT1zdp7dc".to_owned(),
            "sk_live_4eC39HqLyjWDarjtT1zdp7dc".to_owned(),
            ApiToken,
        ),
        (
            "deploysk_live_4eC39HqLyjWDarjtT1zdp7dc".to_owned(),
            "sk_live_4eC39HqLyjWDarjtT1zdp7dc".to_owned(),
            ApiToken,
        ),
        (
            "runner-glrt-abcdEFGH1234ijklMNOP".to_owned(),
            "glrt-abcdEFGH1234ijklMNOP".to_owned(),
            ApiToken,
        ),
        (
            "ci_glpat-xxxxxxxxxxxxxxxxxxxx".to_owned(),
            "glpat-xxxxxxxxxxxxxxxxxxxx".to_owned(),
            ApiToken,
        ),
        (
            "ci_wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".to_owned(),
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".to_owned(),
            AwsSecretKey,
        ),
        (
            "ciwJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".to_owned(),
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".to_owned(),
            AwsSecretKey,
        ),
        (
            "npm-npm_abcdefghijklmnopqrstuvwxyz0123456789".to_owned(),
            "npm_abcdefghijklmnopqrstuvwxyz0123456789".to_owned(),
            ApiToken,
        ),
        (
            "key-AIzaSyA1234567890abcdefghijklmnopqrstuv".to_owned(),
            "AIzaSyA1234567890abcdefghijklmnopqrstuv".to_owned(),
            ApiToken,
        ),
        (
            "jwt_eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U".to_owned(),
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U".to_owned(),
            ApiToken,
        ),
    ] {
        assert_name(&text, kind, &token);
    }
}

#[test]
fn words_that_hold_a_token_prefix_pass() {
    for text in [
        "task_AKIAPACIFIC",
        "task_test_abcdefghijklmnop",
        "mask_live_streaming_for_all",
        "desk_test_environment_setup",
        "xoxo-gossip-girl-fan-club",
        "ASIAPACIFICSOUTHEAST_region",
        "the-github-pages-site",
        "npm_install_packages_for_the_whole_monorepo",
        "glpat-short",
        "ghp_tooShort123",
        "ThisIsMyVeryLongGroupNameForProduction12x",
    ] {
        assert_clean_name(text);
    }
}

// --- Connection strings and URLs with a password in names and tag values ---------------------

#[test]
fn connection_strings_in_names() {
    for (text, creds) in [
        ("postgres://user:pw@host/db", "user:pw"),
        (
            "db postgres://app:s3cret@db.internal:5432/app",
            "app:s3cret",
        ),
        ("redis://:pw@host:6379", ":pw"),
        ("mongodb+srv://u:p@cluster0.mongodb.net/test", "u:p"),
        ("amqp://guest:guest@rabbit:5672/", "guest:guest"),
        ("jdbc:mysql://u:p@host:3306/db", "u:p"),
        ("url=jdbc:postgresql://u:p@host/db", "u:p"),
        ("mysql://root:toor@127.0.0.1", "root:toor"),
        ("conn \"postgresql://u:p@h/db\"", "u:p"),
        ("jdbc:oracle:thin:scott/tiger@db:1521:orcl", "scott/tiger"),
        ("https://u%3Ap%40@host", "u%3Ap%40"),
        ("link //user:pass@host/x", "user:pass"),
    ] {
        assert_name(text, UrlCredentials, creds);
    }
    for (text, secret) in [
        ("jdbc:postgresql://host/db?user=u&password=p", "p"),
        (
            "jdbc:sqlserver://db:1433;databaseName=app;user=sa;password=S3cret",
            "S3cret",
        ),
        ("link https://api.example/x?token=abc123", "abc123"),
    ] {
        assert_name(text, UrlSecretParameter, secret);
    }
    for (text, secret) in [
        ("Server=x;Database=y;User Id=u;Password=p;", "p"),
        ("Server=x;Database=y;Uid=u;Pwd=hunter2;", "hunter2"),
        ("Data Source=db;Password = 'my pass';", "my pass"),
        (
            "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=abc123+/xyz==;",
            "abc123+/xyz==",
        ),
        ("DB_PASSWORD=hunter2", "hunter2"),
        ("export api_key=k-123", "k-123"),
        // Notes in a description: `name: value` with a made-up value.
        ("Login: admin / Password: hunter2", "hunter2"),
        ("password:hunter2", "hunter2"),
        ("X-Auth-Token: abc123def", "abc123def"),
        ("pwd: P@ss", "P@ss"),
    ] {
        assert_name(text, ConnectionString, secret);
    }
}

#[test]
fn connection_strings_without_a_secret_pass() {
    for text in [
        // A user name alone reveals no secret.
        "postgres://admin@host/db",
        "postgres://host:5432/db",
        "redis://cache:6379/0",
        "mongodb+srv://cluster0.mongodb.net/test",
        "jdbc:oracle:thin:@//db:1521/orcl",
        "jdbc:postgresql://host/db?user=app",
        "https://u:@host",
        // Settings that name a password but hold none.
        "Server=x;Database=y;Integrated Security=true;",
        "Password=;",
        "Password=${DB_PASSWORD};",
        "password=true",
        "PasswordPolicy=strict",
        "password_reset=enabled",
        "TokenType=bearer",
        "Server=x;Password=****;",
        "reset the password= field",
        "password==",
        "Password: see the vault",
        "Password: Vault!",
        "Token: none",
        "arn:aws:secretsmanager:eu-west-1:1:secret:db-AbC123",
        "postgres://user:${DB_PASS}@host/db",
        "postgres://user:****@host/db",
        // Not URLs: colons and at signs of a name.
        "team:web@prod",
        "owner:alice@example.com",
    ] {
        assert_clean_name(text);
    }
}

// --- URLs: nested, scheme-relative, wrapped, non-special, percent-encoded --------------------

#[test]
fn credentials_in_nested_and_unusual_urls() {
    for (url, creds) in [
        ("https://h/?next=https%3A%2F%2Fu%3Ap%40evil", "u%3Ap"),
        ("https://h/?next=https://u:p@evil/x", "u:p"),
        ("https://h/#https://u:p@x", "u:p"),
        ("https://h/#/route?to=https://u:p@x", "u:p"),
        (
            "https://h/?next=https%253A%252F%252Fu%253Ap%2540evil",
            "u%253Ap",
        ),
        ("https://h/?next=%2F%2Fu%3Ap%40evil", "u%3Ap"),
        ("https://h/?next=//u:p@evil", "u:p"),
        ("https://web.archive.org/web/2024/https://u:p@x/", "u:p"),
        ("//user:pass@host", "user:pass"),
        ("//user:pass@host/path", "user:pass"),
        ("\\\\user:pass@host", "user:pass"),
        ("jdbc:mysql://u:p@host/db", "u:p"),
        ("jdbc:postgresql://u:p@host/db", "u:p"),
        ("jdbc:oracle:thin:scott/tiger@host:1521:orcl", "scott/tiger"),
        ("postgresql://u:p@host/db", "u:p"),
        ("postgresql:u:p@host/db", "postgresql:u:p"),
        ("amqp://u:p@host", "u:p"),
        ("amqps://u:p@host/vhost", "u:p"),
        ("redis://:p@host:6379", ":p"),
        ("mongodb+srv://u:p@cluster0.mongodb.net", "u:p"),
        ("https://u%3Ap%40@host", "u%3Ap%40"),
        ("https://%75%3A%70@host", "%75%3A%70"),
    ] {
        assert_url(url, UrlCredentials, creds);
    }
    for (url, secret) in [
        ("jdbc:postgresql://host/db?user=u&password=p", "p"),
        ("jdbc:sqlserver://host:1433;user=sa;password=p", "p"),
        ("https://h/app;jsessionid=abc123?x=1", "abc123"),
        (
            "https://h/?redirect_uri=https%3A%2F%2Fapp%2Fcb%3Faccess_token%3Dabc",
            "abc",
        ),
    ] {
        assert_url(url, UrlSecretParameter, secret);
    }
}

#[test]
fn urls_without_credentials_pass() {
    for url in [
        "mailto:someone@example.com",
        "MAILTO:someone@example.com",
        "mailto:a@b.example?subject=hi",
        "acct:alice@example.com",
        "xmpp:alice@example.com",
        "sip:alice@atlanta.example",
        "tel:+1-555-123-4567",
        "urn:isbn:0451450523",
        "urn:ietf:rfc:3986",
        "news:comp.infosystems.www.servers.unix",
        "data:text/plain,a@b",
        "https://host/path/@user",
        "https://host/users/@me/x",
        "https://medium.com/@someone/post?source=a@b",
        "https://h/?next=https://other.example/path",
        "https://h/?next=https%3A%2F%2Fother.example%2F%40user",
        "https://h/?next=https%3A%2F%2Fadmin%40other.example%2F",
        "https://h/#https://x/@user",
        "https://h//double/slash@x",
        "https://h/?email=a%40b.example",
        "https://h/?url=mailto:a@b.example",
        "//host/path",
        "//host/@user",
        "postgresql://host/db",
        "jdbc:mysql://host:3306/db",
        "jdbc:oracle:thin:@//host:1521/orcl",
        "amqp://host/vhost",
        "redis://host:6379/0",
        "https://h/a;b?c=d",
        "https://h/a;v=1.2/b",
    ] {
        assert_clean_url(url);
    }
}

// --- Tags: the value in the light of its key -------------------------------------------------

#[test]
fn account_keys_make_long_numbers_account_numbers() {
    for (key, value, number) in [
        ("AccountNumber", "12345678", "12345678"),
        ("account", "87654321", "87654321"),
        ("acct", "1234 5678", "1234 5678"),
        ("AcctNo", "00123456", "00123456"),
        ("customer_id", "987654321", "987654321"),
        ("CustomerRef", "cust-00012345", "00012345"),
        ("cust-no", "12345678", "12345678"),
        ("ClientId", "55512345", "55512345"),
        ("client.number", "1234-5678-90", "1234-5678-90"),
        ("BankAccount", "12345678901", "12345678901"),
        ("bank", "1234_5678", "1234_5678"),
        ("IBAN", "12345678", "12345678"),
        ("CardNumber", "12345678", "12345678"),
        ("card", "1234 - 5678 - 99", "1234 - 5678 - 99"),
        ("routing", "12345678", "12345678"),
        ("aba", "123456789", "123456789"),
        ("SortCode", "12345678", "12345678"),
        ("team:accountid", "77889900", "77889900"),
        ("owner/customer", "11223344", "11223344"),
        ("Customer Account", "11223344", "11223344"),
        ("ACCOUNT_ID", "１２３４５６７８", "１２３４５６７８"),
    ] {
        assert_tag_value(key, value, BankAccount, number);
    }
    // Groups of two are no IPv4 address when the key says account.
    assert_tag_value("AccountNumber", "12-34-56-78", BankAccount, "12-34-56-78");
    // A 12-digit value is still the more specific AWS account ID, a valid ABA number a routing
    // number: one finding each, not a second generic one.
    assert_tag_value("AccountId", "123456789012", AwsAccountId, "123456789012");
    let f = scan_tag("AccountId", "123456789012");
    assert_eq!(f.len(), 1, "one finding, not two: {f:?}");
    let f = scan_tag("routing", "021000021");
    assert_eq!(
        f.iter().map(|f| f.kind).collect::<Vec<_>>(),
        [RoutingNumber]
    );
}

#[test]
fn other_keys_and_short_or_harmless_values_pass() {
    for (key, value) in [
        ("CostCenter", "87654321"),
        ("BuildNumber", "123456789"),
        ("Version", "20240115"),
        ("Port", "8080"),
        ("Team", "12345678"),
        ("Owner", "alice"),
        ("AccountName", "prod"),
        ("AccountAlias", "web-prod"),
        ("account", "1234567"),
        ("CustomerSince", "2024-01-15"),
        ("customer", "15.01.2024"),
        ("ClientIp", "192.168.100.200"),
        ("client", "10.100.200.255"),
        ("ClientVersion", "20240115"),
        ("ClientBuild", "123456789"),
        ("CardCount", "12345678"),
        ("CustomerPhone", "5551234567"),
        ("CustomField", "12345678"),
        ("AccessLevel", "12345678"),
        ("Cardinality", "12345678"),
        ("Discard", "12345678"),
        ("AccountRequestId", "123e4567-e89b-12d3-a456-426614174000"),
        ("client", "v2024.10.1234"),
        ("Customer", "+1 555 123 4567"),
        ("AccountEmail", "alice12345678@example.com"),
        ("acct", "0x12345678"),
        ("account", "deadbeefcafebabe12345678"),
        ("Stage", "prod"),
    ] {
        assert_clean_tag(key, value);
    }
}

#[test]
fn secret_keys_make_values_secrets() {
    for (key, value, secret) in [
        ("password", "hunter2", "hunter2"),
        ("Password", " p ", "p"),
        ("db_password", "S3cr3t!", "S3cr3t!"),
        ("DbPassword", "changeme", "changeme"),
        ("api_key", "k-1234567890", "k-1234567890"),
        ("ApiKey", "abcdef", "abcdef"),
        ("client_secret", "Zm9vYmFy", "Zm9vYmFy"),
        ("GithubToken", "t0ken", "t0ken"),
        ("pwd", "1234", "1234"),
    ] {
        assert_tag_value(key, value, SecretTagValue, secret);
    }
    // A value a shape rule recognises keeps that finding, not a second generic one.
    let f = scan_tag("AccessKey", "AKIAIOSFODNN7EXAMPLE");
    assert_eq!(
        f.iter().map(|f| f.kind).collect::<Vec<_>>(),
        [AwsAccessKeyId]
    );
}

#[test]
fn secret_keys_with_placeholder_values_pass() {
    for (key, value) in [
        ("password", ""),
        ("password", "true"),
        ("password", "none"),
        ("Password", "N/A"),
        ("password", "****"),
        ("password", "${DB_PASSWORD}"),
        ("password", "/prod/db/password"),
        ("DbSecret", "arn:aws:secretsmanager:eu-west-1::secret:db"),
        ("secret", "prod/db/creds"),
        ("token", "kept in the vault"),
        ("PasswordPolicy", "strict-90d"),
        ("PasswordRotation", "30 days"),
        ("password_reset", "k29s8"),
        ("SecretArn", "arn:aws:secretsmanager:x"),
        ("SecretName", "prod-db"),
        ("TokenType", "bearer"),
        ("secret", "my-secret-name"),
        ("password", "P@ss w0rd of several words"),
        ("NextToken", "abc123"),
        ("Keyword", "abc123"),
        ("Author", "abc123"),
    ] {
        assert_clean_tag(key, value);
    }
}

#[test]
fn tag_findings_say_which_part_their_range_is_in() {
    let (key, value) = (
        "acct-123456789012",
        "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
    );
    let f = scan_tag(key, value);
    assert_eq!(f.len(), 2, "{f:?}");
    assert_eq!((f[0].part, f[0].kind), (FindingPart::Key, AwsAccountId));
    assert_eq!(at(key, &f[0].range), "123456789012");
    assert_eq!((f[1].part, f[1].kind), (FindingPart::Value, ApiToken));
    assert_eq!(at(value, &f[1].range), value);

    // A connection string in a tag value.
    let value = "Server=db;User Id=app;Password=hunter2;";
    let f = scan_tag("ConnectionString", value);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(
        (f[0].part, f[0].kind),
        (FindingPart::Value, ConnectionString)
    );
    assert_eq!(at(value, &f[0].range), "hunter2");

    // scan_name and scan_url speak of the text they were given.
    assert!(scan_name("prod-123456789012")
        .iter()
        .all(|f| f.part == FindingPart::Text));
    assert!(scan_url("https://u:p@h/")
        .iter()
        .all(|f| f.part == FindingPart::Text));
}

// --- Descriptions: credentials block, account numbers warn -----------------------------------

#[test]
fn every_kind_says_whether_it_is_a_credential() {
    for kind in [AwsAccountId, PaymentCard, Iban, BankAccount, RoutingNumber] {
        assert!(!kind.is_credential(), "{kind:?}");
    }
    for kind in [
        AwsAccessKeyId,
        AwsSecretKey,
        ApiToken,
        UrlCredentials,
        UrlSecretParameter,
        ConnectionString,
        SecretTagValue,
    ] {
        assert!(kind.is_credential(), "{kind:?}");
        assert!(!kind.label().is_empty());
    }
    // What a description may hold: credentials there are found as credentials.
    let description = "Ops notes.\nDB: postgres://app:hunter22@db.internal/app\nAccount 12345678.";
    let f = scan_name(description);
    let kinds: Vec<_> = f.iter().map(|f| (f.kind, f.kind.is_credential())).collect();
    assert!(kinds.contains(&(UrlCredentials, true)), "{kinds:?}");
    assert!(kinds.contains(&(BankAccount, false)), "{kinds:?}");
    for f in &f {
        assert!(!f.message.contains("hunter22"));
    }
}
