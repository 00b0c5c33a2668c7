//! Where the backend is, and what is allowed: an AWS region (optionally FIPS) or a custom URL.
//!
//! A custom URL must use `https://`; plain `http://` is accepted only for loopback hosts
//! (127.0.0.0/8, `::1`, `localhost`) and then carries an "unencrypted" warning. Anything that
//! `guard::scan_url` flags is refused with its message, as are user info, a query string and a
//! fragment. Pure: no URL crate (bundle size), tested natively.

use std::fmt;

/// The default signing region.
pub const DEFAULT_REGION: &str = "us-east-1";

/// The regions offered in the settings form (any well-formed region name is accepted).
pub const REGIONS: &[&str] = &[
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ca-central-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "ap-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "sa-east-1",
    "me-south-1",
    "af-south-1",
    "us-gov-west-1",
    "us-gov-east-1",
    "cn-north-1",
    "cn-northwest-1",
];

/// What the person chose in Settings → Backend.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EndpointChoice {
    /// AWS itself: `https://resource-groups[-fips].<region>.amazonaws.com`.
    Aws { region: String, fips: bool },
    /// Any compatible server; requests are signed for `region`.
    Custom { url: String, region: String },
}

/// A checked endpoint, ready to send requests to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// `scheme://host[:port][/path]`, without a trailing slash.
    pub base_url: String,
    /// The `Host` the request goes to (`host[:port]`), as signed.
    pub host: String,
    /// Any path prefix before the API paths (a proxy under a sub-path), without trailing slash.
    pub path_prefix: String,
    /// The SigV4 signing region.
    pub region: String,
    /// Plain HTTP on loopback: allowed, with a visible warning.
    pub unencrypted: bool,
}

/// Why an endpoint was refused, in plain words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EndpointError {
    Empty,
    BadRegion,
    NotAUrl,
    InsecureScheme,
    UnsupportedScheme,
    UserInfo,
    QueryOrFragment,
    BadHost,
    BadPort,
    /// `guard::scan_url` flagged the URL; its message.
    Sensitive(String),
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            EndpointError::Empty => "Enter the backend URL.",
            EndpointError::BadRegion => {
                "Enter an AWS region name such as us-east-1 (lowercase letters, digits and hyphens)."
            }
            EndpointError::NotAUrl => {
                "Enter a full URL such as https://backend.example.com (scheme, host, optional port and path)."
            }
            EndpointError::InsecureScheme => {
                "Use https://. Plain http:// is allowed only for this computer (localhost, 127.0.0.1, ::1)."
            }
            EndpointError::UnsupportedScheme => "The URL must start with https:// (or http:// for localhost).",
            EndpointError::UserInfo => {
                "Remove the user name or password before the host: credentials never go into a URL. Enter them in the credentials form."
            }
            EndpointError::QueryOrFragment => {
                "Remove the query string (?…) and fragment (#…): the endpoint is a base URL only."
            }
            EndpointError::BadHost => "The host name is not valid.",
            EndpointError::BadPort => "The port must be a number from 1 to 65535.",
            EndpointError::Sensitive(m) => return f.write_str(m),
        })
    }
}

impl std::error::Error for EndpointError {}

/// Whether a region name is well formed (`us-east-1`, `us-gov-west-1`, `cn-north-1`, …).
pub fn valid_region(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    parts.len() >= 3
        && region.len() <= 32
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts[parts.len() - 1].bytes().all(|b| b.is_ascii_digit())
        && !parts[parts.len() - 1].is_empty()
}

impl EndpointChoice {
    /// Checks the choice and gives the endpoint to use.
    pub fn resolve(&self) -> Result<Endpoint, EndpointError> {
        match self {
            EndpointChoice::Aws { region, fips } => {
                let region = region.trim();
                if !valid_region(region) {
                    return Err(EndpointError::BadRegion);
                }
                let suffix = if region.starts_with("cn-") {
                    "amazonaws.com.cn"
                } else {
                    "amazonaws.com"
                };
                let service = if *fips {
                    "resource-groups-fips"
                } else {
                    "resource-groups"
                };
                let host = format!("{service}.{region}.{suffix}");
                Ok(Endpoint {
                    base_url: format!("https://{host}"),
                    host,
                    path_prefix: String::new(),
                    region: region.to_owned(),
                    unencrypted: false,
                })
            }
            EndpointChoice::Custom { url, region } => {
                let region = region.trim();
                if !valid_region(region) {
                    return Err(EndpointError::BadRegion);
                }
                parse_custom_url(url, region)
            }
        }
    }

    /// How the choice is kept in settings (one line; never secrets: the URL passed the guard).
    pub fn to_setting(&self) -> String {
        match self {
            EndpointChoice::Aws { region, fips } => {
                format!("aws {region}{}", if *fips { " fips" } else { "" })
            }
            EndpointChoice::Custom { url, region } => format!("custom {region} {url}"),
        }
    }

    /// Reads a stored choice.
    pub fn from_setting(s: &str) -> Option<Self> {
        let mut parts = s.splitn(3, ' ');
        match (parts.next()?, parts.next()?, parts.next()) {
            ("aws", region, fips) => Some(EndpointChoice::Aws {
                region: region.to_owned(),
                fips: fips == Some("fips"),
            }),
            ("custom", region, Some(url)) => Some(EndpointChoice::Custom {
                url: url.to_owned(),
                region: region.to_owned(),
            }),
            _ => None,
        }
    }
}

fn parse_custom_url(input: &str, region: &str) -> Result<Endpoint, EndpointError> {
    let url = input.trim();
    if url.is_empty() {
        return Err(EndpointError::Empty);
    }
    // The guard first: its message names the problem without repeating the secret.
    if let Some(f) = crate::guard::scan_url(url).first() {
        return Err(EndpointError::Sensitive(f.message.to_string()));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(EndpointError::NotAUrl);
    }
    let (scheme, rest) = url.split_once("://").ok_or(EndpointError::NotAUrl)?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "https" && scheme != "http" {
        return Err(EndpointError::UnsupportedScheme);
    }
    if rest.contains('?') || rest.contains('#') {
        return Err(EndpointError::QueryOrFragment);
    }
    if rest.contains('\\') {
        return Err(EndpointError::NotAUrl);
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at_checked(i).ok_or(EndpointError::NotAUrl)?,
        None => (rest, ""),
    };
    if authority.contains('@') {
        return Err(EndpointError::UserInfo);
    }
    let (host, port) = split_host_port(authority)?;
    // The browser omits a default port from the Host header it sends (and signs against).
    let port =
        port.filter(|&p| !((scheme == "https" && p == 443) || (scheme == "http" && p == 80)));
    let host_lc = host.to_ascii_lowercase();
    let loopback = is_loopback(&host_lc);
    if scheme == "http" && !loopback {
        return Err(EndpointError::InsecureScheme);
    }
    if !valid_host(&host_lc) {
        return Err(EndpointError::BadHost);
    }
    let path_prefix = path.trim_end_matches('/');
    if path_prefix.contains("//") || path_prefix.split('/').any(|s| s == "." || s == "..") {
        return Err(EndpointError::NotAUrl);
    }
    let host_port = match port {
        Some(p) => format!("{host_lc}:{p}"),
        None => host_lc.clone(),
    };
    Ok(Endpoint {
        base_url: format!("{scheme}://{host_port}{path_prefix}"),
        host: host_port,
        path_prefix: path_prefix.to_owned(),
        region: region.to_owned(),
        unencrypted: scheme == "http",
    })
}

fn split_host_port(authority: &str) -> Result<(&str, Option<u16>), EndpointError> {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let (inner, after) = rest.split_once(']').ok_or(EndpointError::BadHost)?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':').ok_or(EndpointError::BadHost)?),
        };
        // `[` + inner + `]`, all ASCII brackets: the end is a character boundary.
        let host = authority
            .get(..inner.len() + 2)
            .ok_or(EndpointError::BadHost)?;
        (host, port)
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return Err(EndpointError::BadHost);
    }
    let port = match port {
        None => None,
        Some(p) => {
            let n: u32 = p.parse().map_err(|_| EndpointError::BadPort)?;
            if n == 0 || n > 65535 || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(EndpointError::BadPort);
            }
            Some(n as u16)
        }
    };
    Ok((host, port))
}

/// `localhost`, an IPv4 address in 127.0.0.0/8, or `[::1]`.
pub fn is_loopback(host: &str) -> bool {
    let host = host.trim_end_matches('.');
    if host == "localhost" || host.ends_with(".localhost") {
        return true;
    }
    if host == "[::1]" || host == "[0:0:0:0:0:0:0:1]" {
        return true;
    }
    match parse_ipv4(host) {
        Some(octets) => octets[0] == 127,
        None => false,
    }
}

fn parse_ipv4(host: &str) -> Option<[u8; 4]> {
    let parts: Vec<&str> = host.split('.').collect();
    if parts.len() != 4 {
        return None;
    }
    let mut out = [0u8; 4];
    for (i, p) in parts.iter().enumerate() {
        if p.is_empty() || p.len() > 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        out[i] = p.parse().ok()?;
    }
    Some(out)
}

fn valid_host(host: &str) -> bool {
    if host.starts_with('[') {
        // A lone `[` used to panic here (`host[1..0]`).
        let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) else {
            return false;
        };
        return !inner.is_empty()
            && inner
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
    }
    if parse_ipv4(host).is_some() {
        return true;
    }
    let host = host.strip_suffix('.').unwrap_or(host);
    !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        // A name of digits and dots only that is not a valid IPv4 address (e.g. 999.1.1.1).
        && !host.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn custom(url: &str) -> Result<Endpoint, EndpointError> {
        EndpointChoice::Custom {
            url: url.into(),
            region: "us-east-1".into(),
        }
        .resolve()
    }

    #[test]
    fn aws_regions_and_fips() {
        let e = EndpointChoice::Aws {
            region: "eu-west-1".into(),
            fips: false,
        }
        .resolve()
        .unwrap();
        assert_eq!(
            e.base_url,
            "https://resource-groups.eu-west-1.amazonaws.com"
        );
        let e = EndpointChoice::Aws {
            region: "us-gov-west-1".into(),
            fips: true,
        }
        .resolve()
        .unwrap();
        assert_eq!(
            e.base_url,
            "https://resource-groups-fips.us-gov-west-1.amazonaws.com"
        );
        assert_eq!(e.region, "us-gov-west-1");
        let e = EndpointChoice::Aws {
            region: "cn-north-1".into(),
            fips: false,
        }
        .resolve()
        .unwrap();
        assert_eq!(e.host, "resource-groups.cn-north-1.amazonaws.com.cn");
        for bad in ["", "useast1", "US-EAST-1", "us-east-", "us east 1"] {
            let r = EndpointChoice::Aws {
                region: bad.into(),
                fips: false,
            }
            .resolve();
            assert_eq!(r, Err(EndpointError::BadRegion), "{bad}");
        }
        for r in REGIONS {
            assert!(valid_region(r), "{r}");
        }
    }

    #[test]
    fn https_custom_urls_are_accepted() {
        let e = custom("https://rg.example.com/").unwrap();
        assert_eq!(e.base_url, "https://rg.example.com");
        assert!(!e.unencrypted);
        let e = custom(" HTTPS://RG.Example.com:8443/proxy/aws/ ").unwrap();
        assert_eq!(e.base_url, "https://rg.example.com:8443/proxy/aws");
        assert_eq!(e.host, "rg.example.com:8443");
        assert_eq!(e.path_prefix, "/proxy/aws");
        assert!(custom("https://10.1.2.3:9000").is_ok());
        assert_eq!(
            custom("https://rg.example.com:443").unwrap().host,
            "rg.example.com"
        );
    }

    #[test]
    fn plain_http_only_on_loopback_with_a_warning() {
        for ok in [
            "http://127.0.0.1:5000",
            "http://127.8.9.10",
            "http://localhost:8080/",
            "http://[::1]:5000",
        ] {
            let e = custom(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
            assert!(e.unencrypted, "{ok}");
        }
        for bad in [
            "http://example.com",
            "http://128.0.0.1",
            "http://10.0.0.1:5000",
            "http://127.0.0.1.example.com",
            "http://localhost.example.com",
            "http://[::2]",
        ] {
            assert_eq!(custom(bad), Err(EndpointError::InsecureScheme), "{bad}");
        }
        assert!(!custom("https://127.0.0.1:4566").unwrap().unencrypted);
    }

    #[test]
    fn credentials_queries_and_junk_are_refused() {
        assert!(matches!(
            custom("https://user:pass@rg.example.com"),
            Err(EndpointError::Sensitive(_))
        ));
        assert!(matches!(
            custom("https://someone@rg.example.com"),
            Err(EndpointError::Sensitive(_) | EndpointError::UserInfo)
        ));
        assert!(matches!(
            custom("https://rg.example.com/?X-Amz-Signature=abc"),
            Err(EndpointError::Sensitive(_))
        ));
        assert_eq!(
            custom("https://rg.example.com/?region=x"),
            Err(EndpointError::QueryOrFragment)
        );
        assert_eq!(
            custom("https://rg.example.com/#top"),
            Err(EndpointError::QueryOrFragment)
        );
        assert_eq!(custom(""), Err(EndpointError::Empty));
        assert_eq!(custom("rg.example.com"), Err(EndpointError::NotAUrl));
        assert_eq!(
            custom("ftp://rg.example.com"),
            Err(EndpointError::UnsupportedScheme)
        );
        assert_eq!(
            custom("https://rg.example.com:0"),
            Err(EndpointError::BadPort)
        );
        assert_eq!(
            custom("https://rg.example.com:99999"),
            Err(EndpointError::BadPort)
        );
        assert_eq!(custom("https://-bad-.com"), Err(EndpointError::BadHost));
        assert_eq!(custom("https://999.1.1.1"), Err(EndpointError::BadHost));
        assert_eq!(custom("https:///path"), Err(EndpointError::BadHost));
        assert_eq!(custom("https://a.com/x/../y"), Err(EndpointError::NotAUrl));
        // The message of a guard finding never repeats the secret.
        let m = custom("https://admin:hunter2@rg.example.com")
            .unwrap_err()
            .to_string();
        assert!(!m.contains("hunter2"), "{m}");
    }

    #[test]
    fn settings_round_trip() {
        for c in [
            EndpointChoice::Aws {
                region: "us-west-2".into(),
                fips: true,
            },
            EndpointChoice::Aws {
                region: "us-west-2".into(),
                fips: false,
            },
            EndpointChoice::Custom {
                url: "https://127.0.0.1:5000/x".into(),
                region: "eu-west-1".into(),
            },
        ] {
            assert_eq!(EndpointChoice::from_setting(&c.to_setting()), Some(c));
        }
        assert_eq!(EndpointChoice::from_setting("nonsense"), None);
    }
}
