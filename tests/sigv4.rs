//! SigV4 against AWS's published vectors: the Signature Version 4 test suite (service
//! "service", us-east-1, 2015-08-30T12:36:00Z, the suite's example credentials) and the worked
//! examples of the Amazon S3 API reference ("Signature Calculations for the Authorization
//! Header"), which sign with S3's single path encoding and `x-amz-content-sha256`.

use group_console::sync::sigv4::{amz_date, sign, Credentials, Request, Scope};

const SUITE_DATE: &str = "20150830T123600Z";
const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const SUITE_TOKEN: &str = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

fn suite_creds(token: Option<&str>) -> Credentials {
    Credentials {
        access_key_id: "AKIDEXAMPLE".into(),
        secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".into(),
        session_token: token.map(str::to_owned),
    }
}

struct Vector {
    name: &'static str,
    method: &'static str,
    path: &'static str,
    query: &'static str,
    headers: &'static [(&'static str, &'static str)],
    token: Option<&'static str>,
    signed_headers: &'static str,
    signature: &'static str,
}

const SUITE: &[Vector] = &[
    Vector {
        name: "get-vanilla",
        method: "GET",
        path: "/",
        query: "",
        headers: &[],
        token: None,
        signed_headers: "host;x-amz-date",
        signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
    },
    Vector {
        name: "post-vanilla",
        method: "POST",
        path: "/",
        query: "",
        headers: &[],
        token: None,
        signed_headers: "host;x-amz-date",
        signature: "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
    },
    Vector {
        name: "get-vanilla-query-order-key-case",
        method: "GET",
        path: "/",
        query: "Param2=value2&Param1=value1",
        headers: &[],
        token: None,
        signed_headers: "host;x-amz-date",
        signature: "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
    },
    Vector {
        name: "get-utf8",
        method: "GET",
        path: "/\u{1234}",
        query: "",
        headers: &[],
        token: None,
        signed_headers: "host;x-amz-date",
        signature: "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85",
    },
    Vector {
        name: "normalize-path/get-space",
        method: "GET",
        path: "/example space/",
        query: "",
        headers: &[],
        token: None,
        signed_headers: "host;x-amz-date",
        signature: "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741",
    },
    Vector {
        name: "get-unreserved",
        method: "GET",
        path: "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
        query: "",
        headers: &[],
        token: None,
        signed_headers: "host;x-amz-date",
        signature: "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f",
    },
    Vector {
        name: "normalize-path/get-slash-dot-slash",
        method: "GET",
        path: "/./",
        query: "",
        headers: &[],
        token: None,
        signed_headers: "host;x-amz-date",
        signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
    },
    Vector {
        name: "normalize-path/get-relative",
        method: "GET",
        path: "/example/..",
        query: "",
        headers: &[],
        token: None,
        signed_headers: "host;x-amz-date",
        signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
    },
    Vector {
        name: "get-header-value-trim",
        method: "GET",
        path: "/",
        query: "",
        headers: &[("My-Header1", " value1"), ("My-Header2", "\"a   b   c\"")],
        token: None,
        signed_headers: "host;my-header1;my-header2;x-amz-date",
        signature: "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736",
    },
    Vector {
        name: "post-sts-token/post-sts-header-before",
        method: "POST",
        path: "/",
        query: "",
        headers: &[],
        token: Some(SUITE_TOKEN),
        signed_headers: "host;x-amz-date;x-amz-security-token",
        signature: "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead",
    },
];

#[test]
fn the_sigv4_test_suite() {
    for v in SUITE {
        let signed = sign(
            &Request {
                method: v.method,
                host: "example.amazonaws.com",
                path: v.path,
                query: v.query,
                headers: v.headers,
                body: b"",
            },
            &suite_creds(v.token),
            Scope {
                region: "us-east-1",
                service: "service",
                s3: false,
            },
            SUITE_DATE,
        );
        let want = format!(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders={}, Signature={}",
            v.signed_headers, v.signature
        );
        assert_eq!(
            signed.header("authorization"),
            Some(want.as_str()),
            "{}",
            v.name
        );
        assert_eq!(signed.header("x-amz-date"), Some(SUITE_DATE), "{}", v.name);
        assert_eq!(signed.header("x-amz-security-token"), v.token, "{}", v.name);
    }
}

#[test]
fn the_suite_get_vanilla_intermediate_strings() {
    let signed = sign(
        &Request {
            method: "GET",
            host: "example.amazonaws.com",
            path: "/",
            query: "",
            headers: &[],
            body: b"",
        },
        &suite_creds(None),
        Scope {
            region: "us-east-1",
            service: "service",
            s3: false,
        },
        SUITE_DATE,
    );
    assert_eq!(
        signed.canonical_request,
        format!("GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n{EMPTY_SHA256}")
    );
    assert_eq!(
        signed.string_to_sign,
        "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63"
    );
}

#[test]
fn the_s3_documentation_examples() {
    let creds = Credentials {
        access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
        secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into(),
        session_token: None,
    };
    let put_sha = "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072";
    // (method, path, query, headers, body, signed headers, signature)
    type Case<'a> = (
        &'a str,
        &'a str,
        &'a str,
        &'a [(&'a str, &'a str)],
        &'a [u8],
        &'a str,
        &'a str,
    );
    let cases: &[Case] = &[
        (
            "GET",
            "/test.txt",
            "",
            &[
                ("Range", "bytes=0-9"),
                ("x-amz-content-sha256", EMPTY_SHA256),
            ],
            b"",
            "host;range;x-amz-content-sha256;x-amz-date",
            "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
        ),
        (
            "PUT",
            "/test%24file.text",
            "",
            &[
                ("Date", "Fri, 24 May 2013 00:00:00 GMT"),
                ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
                ("x-amz-content-sha256", put_sha),
            ],
            b"Welcome to Amazon S3.",
            "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class",
            "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd",
        ),
        (
            "GET",
            "/",
            "lifecycle",
            &[("x-amz-content-sha256", EMPTY_SHA256)],
            b"",
            "host;x-amz-content-sha256;x-amz-date",
            "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543",
        ),
        (
            "GET",
            "/",
            "max-keys=2&prefix=J",
            &[("x-amz-content-sha256", EMPTY_SHA256)],
            b"",
            "host;x-amz-content-sha256;x-amz-date",
            "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7",
        ),
    ];
    for (method, path, query, headers, body, signed_headers, signature) in cases {
        let signed = sign(
            &Request {
                method,
                host: "examplebucket.s3.amazonaws.com",
                path,
                query,
                headers,
                body,
            },
            &creds,
            Scope {
                region: "us-east-1",
                service: "s3",
                s3: true,
            },
            &amz_date(1_369_353_600_000),
        );
        let want = format!(
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders={signed_headers}, Signature={signature}"
        );
        assert_eq!(
            signed.header("authorization"),
            Some(want.as_str()),
            "{method} {path}?{query}"
        );
    }
}

#[test]
fn a_changed_byte_changes_the_signature() {
    let base = |body: &[u8], secret: &str| {
        let c = Credentials {
            access_key_id: "AKIDEXAMPLE".into(),
            secret_access_key: secret.into(),
            session_token: None,
        };
        sign(
            &Request {
                method: "POST",
                host: "h",
                path: "/groups",
                query: "",
                headers: &[("content-type", "application/json")],
                body,
            },
            &c,
            Scope {
                region: "us-east-1",
                service: "resource-groups",
                s3: false,
            },
            SUITE_DATE,
        )
        .header("authorization")
        .unwrap()
        .to_owned()
    };
    let a = base(b"{\"Name\":\"a\"}", "secret");
    assert_ne!(a, base(b"{\"Name\":\"b\"}", "secret"));
    assert_ne!(a, base(b"{\"Name\":\"a\"}", "secreT"));
    assert!(!a.contains("secret"));
}
