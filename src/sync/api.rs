//! The AWS Resource Groups REST-JSON API as the sync engine uses it: requests (signed with
//! SigV4), answers read through the model, errors classified into [`RemoteError`] in plain
//! words, and retries of transient failures. Generic over a [`Transport`] (the browser's
//! `fetch` in the app, a scripted fake in native tests).
//!
//! Never logged or put in an error: a request body (it may hold a description), a header (the
//! signature and session token) or the secret key.

use std::fmt;

use serde::Serialize;

use super::endpoint::Endpoint;
// Re-exported: tests and the UI name it by its older path.
pub use super::remote::RemoteError;
use super::remote::{Fetched, Listed, Remote};
use super::retry::RetryPolicy;
use super::sigv4::{self, Credentials, Scope};
use crate::model::wire::{
    group_from_responses, CreateGroupRequest, GetGroupQueryResponse, GetGroupResponse,
    GetTagsResponse, GroupNameRequest, ListGroupResourcesRequest, ListGroupsRequest,
    ListGroupsResponse, PutGroupConfigurationRequest, TagRequest, UntagRequest,
    UpdateGroupQueryRequest, UpdateGroupRequest, WireGroupConfiguration,
};
use crate::model::{Group, TagDiff};

/// The SigV4 service name of AWS Resource Groups.
pub const SERVICE: &str = "resource-groups";

/// One HTTP request, ready to send.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: &'static str,
    pub url: String,
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<String>,
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Method and URL only: headers carry the signature and token, bodies descriptions.
        write!(f, "{} {}", self.method, self.url)
    }
}

/// What came back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    /// The `X-Amzn-ErrorType` header, if any.
    pub error_type: Option<String>,
    /// Empty when `oversized`.
    pub body: String,
    /// The answer was larger than [`BODY_MAX`]: the transport stopped reading it (by its
    /// `Content-Length`, or once that many bytes had streamed in) instead of holding it all.
    pub oversized: bool,
}

/// How requests travel, and the clock and randomness retries need.
#[allow(async_fn_in_trait)]
pub trait Transport {
    /// `Err` when no answer came (offline, DNS, TLS, CORS); a short reason without secrets.
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse, String>;
    async fn sleep(&self, ms: u32);
    /// In [0, 1).
    fn random(&self) -> f64;
    fn now_ms(&self) -> i64;
}

const CREDENTIAL_CODES: &[&str] = &[
    "SignatureDoesNotMatch",
    "InvalidSignatureException",
    "UnrecognizedClientException",
    "InvalidClientTokenId",
    "ExpiredToken",
    "ExpiredTokenException",
    "IncompleteSignature",
    "IncompleteSignatureException",
    "MissingAuthenticationToken",
    "MissingAuthenticationTokenException",
    "InvalidAccessKeyId",
    "AuthFailure",
];

/// The error code of an answer: `X-Amzn-ErrorType` (before any `:`), else `__type`/`code` in
/// a JSON body, else `<Code>` in an XML body.
fn error_code(resp: &HttpResponse) -> Option<String> {
    if let Some(t) = &resp.error_type {
        let code = t.split(':').next().unwrap_or("").trim();
        if !code.is_empty() {
            return Some(code.to_owned());
        }
    }
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(&resp.body) {
        for key in ["__type", "code", "Code"] {
            if let Some(c) = v.get(key).and_then(|c| c.as_str()) {
                let c = c.rsplit('#').next().unwrap_or(c);
                return Some(c.to_owned());
            }
        }
    }
    let (_, after) = resp.body.split_once("<Code>")?;
    let (code, _) = after.split_once("</Code>")?;
    Some(code.trim().to_owned())
}

/// The message of an error answer as the backend wrote it; empty if none.
fn error_message(resp: &HttpResponse) -> String {
    serde_json::from_str::<serde_json::Value>(&resp.body)
        .ok()
        .and_then(|v| {
            ["message", "Message"]
                .iter()
                .find_map(|k| v.get(k).and_then(|m| m.as_str()).map(str::to_owned))
        })
        .unwrap_or_default()
}

/// The longest backend message shown, in characters.
const MESSAGE_MAX: usize = 160;

/// A backend's error message made safe to show and keep: servers like to quote what they were
/// sent (`Invalid tag value '1234-5678-9012'`), and what was sent may be a description or a
/// value the person is about to fix. So every quoted stretch becomes `…`, every string value of
/// the request body that appears in the message becomes `…`, whatever the guard flags becomes
/// `…`, control and bidi characters go, and the result is capped at [`MESSAGE_MAX`] characters.
pub fn clean_message(message: &str, submitted: &[String]) -> String {
    let mut text: String = message
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .filter(|c| !c.is_control() && !crate::model::text::is_format_control(*c))
        .collect();
    // Submitted values, longest first so a value containing another is removed whole.
    let mut values: Vec<&String> = submitted
        .iter()
        .filter(|v| v.chars().count() >= 3)
        .collect();
    crate::sort::sort_by_key(&mut values, |v| std::cmp::Reverse(v.len()));
    for v in values {
        text = text.replace(v.as_str(), "\u{2026}");
    }
    // Quoted stretches: '…', "…", “…”, ‘…’, `…`.
    let mut out = String::with_capacity(text.len());
    let mut closing: Option<char> = None;
    for c in text.chars() {
        match closing {
            Some(end) if c == end => {
                out.push('\u{2026}');
                out.push(c);
                closing = None;
            }
            Some(_) => {}
            None => {
                out.push(c);
                closing = match c {
                    '\'' => Some('\''),
                    '"' => Some('"'),
                    '`' => Some('`'),
                    '\u{201c}' => Some('\u{201d}'),
                    '\u{2018}' => Some('\u{2019}'),
                    _ => None,
                };
            }
        }
    }
    if closing.is_some() {
        out.push('\u{2026}');
    }
    // Anything the guard still flags (an account ID the server wrote unquoted).
    let findings = crate::guard::scan_name(&out);
    let mut masked = String::with_capacity(out.len());
    let mut at = 0;
    for f in &findings {
        if f.range.start < at {
            continue;
        }
        masked.push_str(out.get(at..f.range.start).unwrap_or_default());
        masked.push('\u{2026}');
        at = f.range.end;
    }
    masked.push_str(out.get(at..).unwrap_or_default());
    crate::model::text::truncate_chars(masked.trim(), MESSAGE_MAX)
}

/// Every string in a JSON request body: what the server may echo back.
fn submitted_strings(body: Option<&str>) -> Vec<String> {
    fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::String(s) => {
                out.push(s.clone());
                // A query is JSON inside a string: its values count too.
                if let Ok(inner) = serde_json::from_str::<serde_json::Value>(s) {
                    if !inner.is_string() {
                        walk(&inner, out);
                    }
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            serde_json::Value::Object(o) => o.iter().for_each(|(k, x)| {
                out.push(k.clone());
                walk(x, out)
            }),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Some(v) = body.and_then(|b| serde_json::from_str::<serde_json::Value>(b).ok()) {
        walk(&v, &mut out);
    }
    out
}

/// The largest answer read, in bytes: a ListGroups page of 50 groups is about 30 KB, a
/// GetTags answer with 50 tags about 20 KB. Anything far beyond is not a Resource Groups
/// answer (a captive portal, a misrouted download) and is refused before it is parsed.
pub const BODY_MAX: usize = 4 << 20;

/// The most pages a listing reads: 5,000 pages of 50 is 250,000 groups, far above any real
/// account's quota. A backend that keeps handing out tokens is broken, not large.
pub const PAGES_MAX: usize = 5_000;
/// ARNs per GroupResources / UngroupResources call (`ResourceArnList`: 1–10).
pub const GROUPING_BATCH: usize = 10;

/// Whether resources join or leave a static group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupingAction {
    Group,
    Ungroup,
}

/// What a membership change did, per resource.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Grouping {
    pub succeeded: Vec<String>,
    /// ARN and the backend's reason (cleaned).
    pub failed: Vec<(String, String)>,
    /// Still in progress after the last check.
    pub pending: Vec<String>,
}

/// GetGroupConfiguration checks after a PutGroupConfiguration: 0.5 + 1 + 2 + 13 × 5 s.
pub const CONFIGURATION_CHECKS: usize = 16;

/// Classifies an answer.
pub fn classify(resp: &HttpResponse, operation: &'static str) -> Result<(), RemoteError> {
    classify_sent(resp, operation, None)
}

/// Classifies an answer to a request with `body`, whose values are kept out of the message.
pub fn classify_sent(
    resp: &HttpResponse,
    operation: &'static str,
    body: Option<&str>,
) -> Result<(), RemoteError> {
    if resp.oversized || resp.body.len() > BODY_MAX {
        return Err(RemoteError::BadResponse(format!(
            "{operation}: the answer is larger than {} MiB",
            BODY_MAX >> 20
        )));
    }
    if (200..300).contains(&resp.status) {
        return Ok(());
    }
    let code = error_code(resp).unwrap_or_default();
    let status = resp.status;
    if status == 429 || code.contains("Throttling") || code.contains("TooManyRequests") {
        return Err(RemoteError::Throttled);
    }
    if CREDENTIAL_CODES.contains(&code.as_str()) || status == 401 {
        return Err(RemoteError::Credentials);
    }
    if status == 403 {
        return Err(if code.is_empty() || code.starts_with("AccessDenied") {
            RemoteError::Forbidden
        } else {
            RemoteError::Credentials
        });
    }
    if code == "NotFoundException" || code == "ResourceNotFoundException" {
        return Err(RemoteError::NotFound);
    }
    if status == 404 || status == 405 || status == 501 {
        // An HTML 404 without an error code: the route does not exist on this backend.
        return Err(RemoteError::NotSupported(operation));
    }
    let message = error_message(resp);
    if status == 400 && message.to_ascii_lowercase().contains("already exists") {
        return Err(RemoteError::AlreadyExists);
    }
    if status >= 500 {
        return Err(RemoteError::Server(status));
    }
    // Operation and code come from us and from a fixed vocabulary; only the message is the
    // server's free text, and it is cleaned.
    let code = clean_message(&code, &[]);
    let message = clean_message(&message, &submitted_strings(body));
    let what = if code.is_empty() {
        format!("{operation}, HTTP {status}")
    } else {
        format!("{operation}, {code}")
    };
    Err(RemoteError::Rejected(if message.is_empty() {
        what
    } else {
        format!("{what}: {message}")
    }))
}

/// Sends the request `make` builds — anew for each attempt, since the date is part of the
/// signature — until an answer that is not a transient failure, waiting between attempts as
/// `retry` says; the body of a successful answer. Every client of an AWS API sends this way.
pub(crate) async fn send_retrying<T: Transport>(
    transport: &T,
    retry: &RetryPolicy,
    operation: &'static str,
    body: Option<&str>,
    mut make: impl FnMut() -> HttpRequest,
) -> Result<String, RemoteError> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        let result = match transport.send(make()).await {
            Err(why) => Err(RemoteError::Unreachable(why)),
            Ok(resp) => classify_sent(&resp, operation, body).map(|()| resp.body),
        };
        match result {
            Err(e) if e.is_transient() => match retry.delay_ms(attempt, transport.random()) {
                Some(ms) => transport.sleep(ms).await,
                None => return Err(e),
            },
            other => return other,
        }
    }
}

/// A client for one endpoint and one set of credentials.
pub struct Client<T: Transport> {
    pub endpoint: Endpoint,
    credentials: Credentials,
    pub transport: T,
    pub retry: RetryPolicy,
}

impl<T: Transport> Client<T> {
    pub fn new(endpoint: Endpoint, credentials: Credentials, transport: T) -> Self {
        Client {
            endpoint,
            credentials,
            transport,
            retry: RetryPolicy::default(),
        }
    }

    /// A signed request (no network).
    pub fn request(
        &self,
        method: &'static str,
        path: &str,
        query: &str,
        body: Option<String>,
    ) -> HttpRequest {
        let full_path = format!("{}{path}", self.endpoint.path_prefix);
        let content_type = [("content-type", "application/json")];
        let signed = sigv4::sign(
            &sigv4::Request {
                method,
                host: &self.endpoint.host,
                path: &full_path,
                query,
                headers: if body.is_some() { &content_type } else { &[] },
                body: body.as_deref().unwrap_or("").as_bytes(),
            },
            &self.credentials,
            Scope {
                region: &self.endpoint.region,
                service: SERVICE,
                s3: false,
            },
            &sigv4::amz_date(self.transport.now_ms()),
        );
        let mut headers = signed.headers;
        if body.is_some() {
            headers.push(("content-type", "application/json".into()));
        }
        let mut url = format!("{}{path}", self.endpoint.base_url);
        if !query.is_empty() {
            url.push('?');
            url.push_str(query);
        }
        HttpRequest {
            method,
            url,
            headers,
            body,
        }
    }

    /// Sends with retries of transient failures; the body of a successful answer.
    pub async fn call(
        &self,
        operation: &'static str,
        method: &'static str,
        path: &str,
        query: &str,
        body: Option<String>,
    ) -> Result<String, RemoteError> {
        send_retrying(
            &self.transport,
            &self.retry,
            operation,
            body.as_deref(),
            || self.request(method, path, query, body.clone()),
        )
        .await
    }

    async fn post<B: Serialize>(
        &self,
        operation: &'static str,
        path: &str,
        body: &B,
    ) -> Result<String, RemoteError> {
        self.call(operation, "POST", path, "", Some(to_body(body)?))
            .await
    }

    async fn tags_call(
        &self,
        operation: &'static str,
        method: &'static str,
        arn: &str,
        body: Option<String>,
    ) -> Result<String, RemoteError> {
        let path = format!("/resources/{}/tags", sigv4::uri_encode(arn, false));
        self.call(operation, method, &path, "", body).await
    }

    /// Query and tags of a group whose GetGroup answer is known, through the model and the
    /// guard.
    /// `query_only`: the list said the group has no configuration beside a query, so
    /// GetGroupConfiguration is read only if GetGroupQuery finds no query.
    async fn fetch_rest(
        &self,
        group: GetGroupResponse,
        query_only: bool,
    ) -> Result<Option<Fetched>, RemoteError> {
        let name = group.group.name.clone();
        let ident = GroupNameRequest::new(&name);
        let arn = group.group.group_arn.clone();
        // Read together with the query when a configuration may sit beside it, so a group
        // with both costs no extra round trip.
        let configuration_call = async {
            if query_only {
                None
            } else {
                Some(
                    self.post("GetGroupConfiguration", "/get-group-configuration", &ident)
                        .await,
                )
            }
        };
        let (query, tags, configuration) = futures::join!(
            self.post("GetGroupQuery", "/get-group-query", &ident),
            self.tags_call("GetTags", "GET", &arn, None),
            configuration_call
        );
        let query: Option<GetGroupQueryResponse> = match query {
            // moto answers a configuration group's GetGroupQuery with `"ResourceQuery": null`
            // where AWS refuses the call: both mean "no query".
            Ok(body) => {
                let v: serde_json::Value = parse(&body)?;
                match v.pointer("/GroupQuery/ResourceQuery") {
                    None | Some(serde_json::Value::Null) => None,
                    Some(_) => Some(
                        serde_json::from_value(v)
                            .map_err(|e| RemoteError::BadResponse(e.to_string()))?,
                    ),
                }
            }
            // A group defined by a configuration has no query.
            Err(RemoteError::Rejected(_)) | Err(RemoteError::NotFound) => None,
            Err(e) => return Err(e),
        };
        let tags: GetTagsResponse = match tags {
            Ok(body) => parse(&body)?,
            Err(RemoteError::NotFound) => return Ok(None),
            Err(e) => return Err(e),
        };
        let configuration = match configuration {
            Some(Ok(body)) => Some(body),
            // A backend that refuses GetGroupConfiguration for a query group: it has none.
            Some(Err(RemoteError::Rejected(_) | RemoteError::NotFound)) if query.is_some() => None,
            Some(Err(e)) => return Err(e),
            None if query.is_none() => Some(
                self.post("GetGroupConfiguration", "/get-group-configuration", &ident)
                    .await?,
            ),
            None => None,
        };
        // An answer that has a configuration but not one we can read refuses this group (it
        // is reported with the reason and not stored), never "none": a rule group would
        // otherwise be kept as a plain query, and its configuration lost here and from every
        // export. The rest of the pull goes on.
        let configuration: Result<Option<WireGroupConfiguration>, String> = match configuration {
            Some(body) => {
                let v: serde_json::Value = parse(&body)?;
                match v.get("GroupConfiguration") {
                    None | Some(serde_json::Value::Null) => Ok(None),
                    Some(c) => serde_json::from_value::<WireGroupConfiguration>(c.clone())
                        .map(|c| Some(c).filter(|c| !c.configuration.is_empty()))
                        .map_err(|e| format!("its configuration cannot be read ({e})")),
                }
            }
            None => Ok(None),
        };
        let mut read = match configuration {
            Err(why) => Err(why),
            Ok(Some(c)) => crate::model::wire::ExportedGroup {
                group: group.group.clone(),
                group_query: query.as_ref().map(|q| q.group_query.clone()),
                group_configuration: Some(c),
                tags: tags.tags.clone(),
            }
            .to_group()
            .map_err(|e| e.to_string()),
            Ok(None) => {
                group_from_responses(&group, query.as_ref(), Some(&tags)).map_err(|e| e.to_string())
            }
        };
        let mut as_read = None;
        if let Ok(g) = &read {
            if let Some(problem) = g.blocking_errors().first() {
                as_read = Some((g.clone(), problem.to_string()));
            }
        }
        let as_read = as_read.map(|(g, problem)| {
            read = Err(problem);
            g
        });
        Ok(Some(Fetched {
            name: group.group.name,
            group: read,
            as_read,
        }))
    }

    /// GetGroup, then the rest ([`Client::fetch_rest`]).
    async fn fetch_named(
        &self,
        name: &str,
        query_only: bool,
    ) -> Result<Option<Fetched>, RemoteError> {
        let ident = GroupNameRequest::new(name);
        let group: GetGroupResponse = match self.post("GetGroup", "/get-group", &ident).await {
            Ok(body) => parse(&body)?,
            Err(RemoteError::NotFound) => return Ok(None),
            Err(e) => return Err(e),
        };
        self.fetch_rest(group, query_only).await
    }

    /// The ARNs of a group's members (ListGroupResources, all pages). Backends without the
    /// operation answer [`RemoteError::NotSupported`].
    pub async fn list_group_resources(&self, name: &str) -> Result<Vec<String>, RemoteError> {
        let mut arns = Vec::new();
        let mut token: Option<String> = None;
        for _ in 0..1_000 {
            let body = ListGroupResourcesRequest {
                group: name.to_owned(),
                max_results: 50,
                next_token: token.clone(),
            };
            let text = self
                .post("ListGroupResources", "/list-group-resources", &body)
                .await?;
            let v: serde_json::Value = parse(&text)?;
            let items = v
                .get("Resources")
                .and_then(|r| r.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|r| r.pointer("/Identifier/ResourceArn"))
                        .collect::<Vec<_>>()
                })
                .or_else(|| {
                    v.get("ResourceIdentifiers")
                        .and_then(|r| r.as_array())
                        .map(|a| a.iter().filter_map(|r| r.get("ResourceArn")).collect())
                })
                .unwrap_or_default();
            arns.extend(
                items
                    .into_iter()
                    .filter_map(|a| a.as_str().map(str::to_owned)),
            );
            match v.get("NextToken").and_then(|t| t.as_str()) {
                Some(t) if !t.is_empty() && token.as_deref() != Some(t) => {
                    token = Some(t.to_owned())
                }
                _ => break,
            }
        }
        Ok(arns)
    }

    /// PutGroupConfiguration is asynchronous on AWS (202, then `UPDATING`): asks
    /// GetGroupConfiguration until the update is done or failed, waiting 0.5 s, 1 s, 2 s, then
    /// 5 s between checks, at most [`CONFIGURATION_CHECKS`] times (about a minute). A failure
    /// is the backend's reason, cleaned as every message is; a backend that gives no status
    /// (moto) is done at once. Still updating after the last check is an error: the change
    /// stays in the outbox, and putting the same configuration again next time is harmless.
    pub async fn await_configuration(&self, name: &str) -> Result<(), RemoteError> {
        use crate::model::service_config::ConfigurationStatus;
        let ident = GroupNameRequest::new(name);
        let mut wait = 500;
        for _ in 0..CONFIGURATION_CHECKS {
            let body = self
                .post("GetGroupConfiguration", "/get-group-configuration", &ident)
                .await?;
            let v: serde_json::Value = parse(&body)?;
            let text = |key: &str| {
                v.pointer(&format!("/GroupConfiguration/{key}"))
                    .and_then(|s| s.as_str())
            };
            match ConfigurationStatus::of(text("Status"), text("FailureReason")) {
                ConfigurationStatus::Complete => return Ok(()),
                ConfigurationStatus::Failed(reason) => {
                    return Err(RemoteError::Rejected(format!(
                        "the configuration was not applied: {}",
                        clean_message(&reason, &[])
                    )))
                }
                ConfigurationStatus::Updating => {
                    self.transport.sleep(wait).await;
                    wait = (wait * 2).min(5_000);
                }
            }
        }
        // This group's outcome only (a refusal keeps it in the outbox), not the run's.
        Err(RemoteError::Rejected(
            "the configuration was still being applied after a minute; the next sync checks again"
                .into(),
        ))
    }

    /// Adds (`action` Group) or removes (Ungroup) resources of a static group: GroupResources
    /// / UngroupResources in batches of [`GROUPING_BATCH`] ARNs (the API's maximum), then
    /// ListGroupingStatuses for the ones the backend left pending, until none is in progress
    /// (waits as for a configuration, at most [`CONFIGURATION_CHECKS`] checks; what is still
    /// pending then is reported as pending). A backend without the operations (moto) answers
    /// [`RemoteError::NotSupported`], which the page says in plain words.
    pub async fn set_membership(
        &self,
        group: &str,
        arns: &[String],
        action: GroupingAction,
    ) -> Result<Grouping, RemoteError> {
        let (operation, path) = match action {
            GroupingAction::Group => ("GroupResources", "/group-resources"),
            GroupingAction::Ungroup => ("UngroupResources", "/ungroup-resources"),
        };
        let mut out = Grouping::default();
        for batch in arns.chunks(GROUPING_BATCH) {
            let body = serde_json::json!({ "Group": group, "ResourceArns": batch });
            let text = self.post(operation, path, &body).await?;
            let v: serde_json::Value = parse(&text)?;
            let strings = |key: &str, field: Option<&str>| -> Vec<serde_json::Value> {
                v.get(key)
                    .and_then(|l| l.as_array())
                    .map(|a| {
                        a.iter()
                            .filter_map(|x| match field {
                                Some(f) => x.get(f).cloned(),
                                None => Some(x.clone()),
                            })
                            .collect()
                    })
                    .unwrap_or_default()
            };
            let as_str = |x: serde_json::Value| x.as_str().map(str::to_owned);
            out.succeeded
                .extend(strings("Succeeded", None).into_iter().filter_map(as_str));
            out.pending.extend(
                strings("Pending", Some("ResourceArn"))
                    .into_iter()
                    .filter_map(as_str),
            );
            for f in v
                .get("Failed")
                .and_then(|l| l.as_array())
                .into_iter()
                .flatten()
            {
                let arn = f
                    .get("ResourceArn")
                    .and_then(|a| a.as_str())
                    .unwrap_or_default();
                let why = f
                    .get("ErrorMessage")
                    .or_else(|| f.get("ErrorCode"))
                    .and_then(|m| m.as_str())
                    .unwrap_or("no reason given");
                out.failed.push((arn.to_owned(), clean_message(why, &[])));
            }
        }
        let mut wait = 500;
        for _ in 0..CONFIGURATION_CHECKS {
            if out.pending.is_empty() {
                break;
            }
            self.transport.sleep(wait).await;
            wait = (wait * 2).min(5_000);
            let mut still = Vec::new();
            for batch in out.pending.clone().chunks(GROUPING_BATCH) {
                // Every page: a status on a later page is as much the answer as one on the
                // first (the token goes in the body, as the API model has it).
                let mut statuses: Vec<serde_json::Value> = Vec::new();
                let mut token: Option<String> = None;
                for _ in 0..PAGES_MAX {
                    let mut body = serde_json::json!({
                        "Group": group,
                        "Filters": [{ "Name": "resource-arn", "Values": batch }],
                    });
                    if let Some(t) = &token {
                        body["NextToken"] = serde_json::Value::String(t.clone());
                    }
                    let text = self
                        .post("ListGroupingStatuses", "/list-grouping-statuses", &body)
                        .await?;
                    let v: serde_json::Value = parse(&text)?;
                    if let Some(list) = v.get("GroupingStatuses").and_then(|l| l.as_array()) {
                        statuses.extend(list.iter().cloned());
                    }
                    match v.get("NextToken").and_then(|t| t.as_str()) {
                        Some(t) if !t.is_empty() && token.as_deref() != Some(t) => {
                            token = Some(t.to_owned())
                        }
                        _ => break,
                    }
                }
                let items = Some(&statuses);
                for arn in batch {
                    // The status of this action on this resource, the newest if there are
                    // several: an earlier GROUP is not the outcome of an UNGROUP.
                    let wanted = match action {
                        GroupingAction::Group => "GROUP",
                        GroupingAction::Ungroup => "UNGROUP",
                    };
                    let item = items
                        .into_iter()
                        .flatten()
                        .filter(|i| i.get("ResourceArn").and_then(|a| a.as_str()) == Some(arn))
                        .filter(|i| {
                            i.get("Action")
                                .and_then(|a| a.as_str())
                                .is_none_or(|a| a == wanted)
                        })
                        .max_by(|a, b| {
                            let at = |i: &serde_json::Value| {
                                i.get("UpdatedAt").and_then(|t| t.as_f64()).unwrap_or(0.0)
                            };
                            at(a).total_cmp(&at(b))
                        });
                    let status = item.and_then(|i| i.get("Status")).and_then(|s| s.as_str());
                    match status {
                        Some("SUCCESS") | Some("SKIPPED") => out.succeeded.push(arn.clone()),
                        Some("FAILED") => {
                            let why = item
                                .and_then(|i| i.get("ErrorMessage").or_else(|| i.get("ErrorCode")))
                                .and_then(|m| m.as_str())
                                .unwrap_or("no reason given");
                            out.failed.push((arn.clone(), clean_message(why, &[])));
                        }
                        _ => still.push(arn.clone()),
                    }
                }
            }
            out.pending = still;
        }
        Ok(out)
    }

    async fn arn_of(&self, name: &str) -> Result<String, RemoteError> {
        let body = self
            .post("GetGroup", "/get-group", &GroupNameRequest::new(name))
            .await?;
        let got: GetGroupResponse = parse(&body)?;
        Ok(got.group.group_arn)
    }
}

/// Whether a CreateGroup or UpdateGroup answer kept the labels that were sent. AWS answers
/// with the whole group, labels included; a backend that does not know them (stock moto, an
/// older proxy) leaves them out, and taking that silently would make the next pull read them
/// as "not set" and clear them here. So that is refused, in plain words: the change stays in
/// the outbox and nothing typed is lost. An answer without a `Group` says nothing either way.
fn labels_kept(
    answer: &serde_json::Value,
    owner: Option<&str>,
    display_name: Option<&str>,
    criticality: Option<u8>,
) -> Result<(), RemoteError> {
    let Some(group) = answer.get("Group").filter(|g| g.is_object()) else {
        return Ok(());
    };
    let text = |key: &str, sent: Option<&str>| {
        sent.is_none_or(|v| v.is_empty() || group.get(key).and_then(|x| x.as_str()) == Some(v))
    };
    let number = criticality
        .is_none_or(|c| group.get("Criticality").and_then(|x| x.as_i64()) == Some(i64::from(c)));
    if text("Owner", owner) && text("DisplayName", display_name) && number {
        Ok(())
    } else {
        Err(RemoteError::Rejected(
            "this backend does not keep a group's owner, display name or criticality (its answer left them out); they stay here, unsent".into(),
        ))
    }
}

/// A request body as JSON. The request types cannot fail to serialize (their maps have string
/// keys); should one ever fail, the call fails instead of sending something else.
fn to_body<B: Serialize>(body: &B) -> Result<String, RemoteError> {
    serde_json::to_string(body).map_err(|e| RemoteError::BadResponse(e.to_string()))
}

fn parse<T: serde::de::DeserializeOwned>(body: &str) -> Result<T, RemoteError> {
    serde_json::from_str(body).map_err(|e| RemoteError::BadResponse(e.to_string()))
}

impl<T: Transport> Client<T> {
    /// The groups ListGroups names with these `Filters`, all pages. A backend may ignore the
    /// filters (moto 5.2.5 does): what the list says of each group is filtered again here, so
    /// the answer is never wider than the filters, and resource and configuration types (which
    /// a list entry does not carry) are judged by the caller once the groups are read. Never
    /// a sync's pull, which must list everything.
    pub async fn list_filtered(
        &self,
        filters: &crate::model::group_filters::GroupFilters,
    ) -> Result<Vec<Listed>, RemoteError> {
        let mut listed = self.list_pages(filters.as_wire()).await?;
        listed.retain(|l| filters.keeps_listed(l.labels.as_ref()));
        Ok(listed)
    }

    async fn list_pages(
        &self,
        filters: &[crate::model::group_filters::GroupFilter],
    ) -> Result<Vec<Listed>, RemoteError> {
        let mut names: Vec<Listed> = Vec::new();
        let mut token: Option<String> = None;
        let mut pages = 0;
        loop {
            let mut query = String::from("maxResults=50");
            if let Some(t) = &token {
                query.push_str("&nextToken=");
                query.push_str(&sigv4::uri_encode(t, false));
            }
            let body = self
                .call(
                    "ListGroups",
                    "POST",
                    "/groups-list",
                    &query,
                    Some(to_body(&ListGroupsRequest {
                        filters: filters.to_vec(),
                    })?),
                )
                .await?;
            // An answer without either list is not "no groups": taking it as such would make
            // the merge delete every synced group here.
            let value: serde_json::Value = parse(&body)?;
            let has_list = ["GroupIdentifiers", "Groups"]
                .iter()
                .any(|k| value.get(k).is_some_and(|l| l.is_array()));
            if !has_list {
                return Err(RemoteError::BadResponse(
                    "ListGroups answered without a list of groups".into(),
                ));
            }
            let page: ListGroupsResponse = serde_json::from_value(value)
                .map_err(|e| RemoteError::BadResponse(e.to_string()))?;
            names.extend(page.summaries().into_iter().map(|s| Listed {
                name: s.name,
                arn: Some(s.arn).filter(|a| !a.is_empty()),
                description: s.description,
                labels: s.labels,
                query_only: false,
            }));
            pages += 1;
            // Paging that goes wrong must fail the listing: a partial list would read as "the
            // rest were deleted on the server".
            match page.next_token {
                Some(t) if !t.is_empty() => {
                    if token.as_deref() == Some(t.as_str()) {
                        return Err(RemoteError::BadResponse(
                            "ListGroups returned the same page token twice".into(),
                        ));
                    }
                    if pages >= PAGES_MAX {
                        return Err(RemoteError::BadResponse(format!(
                            "ListGroups returned more than {PAGES_MAX} pages"
                        )));
                    }
                    token = Some(t)
                }
                _ => break,
            }
        }
        crate::sort::sort_by(&mut names, |a, b| a.name.cmp(&b.name));
        names.dedup_by(|a, b| a.name == b.name);
        Ok(names)
    }
}

impl<T: Transport> Remote for Client<T> {
    /// Every group, and which of them are query groups without a configuration: a second
    /// ListGroups filtered by `configuration-type` names the groups whose configuration sits
    /// beside a query (Network Firewall rule groups', the one type AWS documents there), so
    /// only those (and the groups without a query) take a GetGroupConfiguration. A backend
    /// that ignores the filter (moto) names every group, and every group is read in full:
    /// never a configuration lost for a read saved. The second listing only saves reads, so
    /// when it fails for any reason but credentials, every group is read in full too.
    async fn list(&self) -> Result<Vec<Listed>, RemoteError> {
        let mut listed = self.list_pages(&[]).await?;
        let beside_query = [crate::model::group_filters::GroupFilter {
            name: crate::model::group_filters::FilterName::ConfigurationType,
            values: vec![crate::model::service_config::NETWORK_FIREWALL_RULE_GROUP.to_owned()],
        }];
        match self.list_pages(&beside_query).await {
            Ok(configured) => {
                let configured: std::collections::BTreeSet<&str> =
                    configured.iter().map(|l| l.name.as_str()).collect();
                for l in &mut listed {
                    l.query_only = !configured.contains(l.name.as_str());
                }
            }
            Err(RemoteError::Credentials) => return Err(RemoteError::Credentials),
            Err(_) => {}
        }
        Ok(listed)
    }

    /// One listing, without the second one `list` makes.
    async fn list_names(&self) -> Result<Vec<Listed>, RemoteError> {
        self.list_pages(&[]).await
    }

    async fn fetch(&self, name: &str) -> Result<Option<Fetched>, RemoteError> {
        self.fetch_named(name, false).await
    }

    /// With the ARN, the description and the labels from ListGroups, GetGroup is not needed:
    /// two reads a group (see `ListGroupsResponse::summaries` for when the list is trusted).
    async fn fetch_listed(&self, listed: &Listed) -> Result<Option<Fetched>, RemoteError> {
        match (&listed.arn, &listed.description, &listed.labels) {
            (Some(arn), Some(description), Some(labels)) => {
                let some = |s: &str| (!s.is_empty()).then(|| s.to_owned());
                self.fetch_rest(
                    GetGroupResponse {
                        group: crate::model::wire::WireGroup {
                            group_arn: arn.clone(),
                            name: listed.name.clone(),
                            description: Some(description.clone()),
                            criticality: labels.criticality.map(i64::from),
                            owner: some(&labels.owner),
                            display_name: some(&labels.display_name),
                            application_tag: labels.application_tag.clone(),
                        },
                    },
                    listed.query_only,
                )
                .await
            }
            _ => self.fetch_named(&listed.name, listed.query_only).await,
        }
    }

    async fn create(&self, g: &Group) -> Result<Option<String>, RemoteError> {
        let body = self
            .post("CreateGroup", "/groups", &CreateGroupRequest::from_group(g))
            .await?;
        // Only the ARN is needed; the rest of the answer varies between backends (moto sends
        // `"Configuration": null`).
        let created: serde_json::Value = parse(&body)?;
        if let Err(e) = labels_kept(
            &created,
            Some(g.owner.as_str()),
            Some(g.display_name.as_str()),
            g.criticality,
        ) {
            // The group now exists there without its labels. Left there, the next run would
            // find it, and the person would face a conflict they did not make; deleted again
            // (it was made a moment ago, by this call), the create stays pending here with
            // everything typed. Should the delete fail, the next run compares as before.
            let _ = self.delete(&g.name).await;
            return Err(e);
        }
        let updating = created
            .pointer("/GroupConfiguration/Status")
            .and_then(|s| s.as_str())
            == Some("UPDATING");
        if updating {
            self.await_configuration(&g.name).await?;
        }
        Ok(created
            .pointer("/Group/GroupArn")
            .and_then(|a| a.as_str())
            .filter(|a| !a.is_empty())
            .map(str::to_owned))
    }

    async fn update(&self, base: &Group, new: &Group) -> Result<(), RemoteError> {
        let name = new.name.as_str();
        // The labels are checked last: the query, configuration and tag calls still go out on
        // a backend that does not keep labels, and only the labels stay pending.
        let mut labels = Ok(());
        if let Some(req) = UpdateGroupRequest::between(base, new) {
            let body = self.post("UpdateGroup", "/update-group", &req).await?;
            let answer: serde_json::Value = parse(&body).unwrap_or_default();
            labels = labels_kept(
                &answer,
                req.owner.as_deref(),
                req.display_name.as_deref(),
                req.criticality,
            );
        }
        // Query and configuration are separate calls: a group with both (a Network Firewall
        // rule group's) sends only the one that changed.
        if let Some(q) = new.spec.query().filter(|q| base.spec.query() != Some(*q)) {
            self.post(
                "UpdateGroupQuery",
                "/update-group-query",
                &UpdateGroupQueryRequest::new(name, q),
            )
            .await?;
        }
        let items = new.spec.configuration();
        if base.spec.configuration() != items && !items.is_empty() {
            self.post(
                "PutGroupConfiguration",
                "/put-group-configuration",
                &PutGroupConfigurationRequest {
                    configuration: items.to_vec(),
                    group: name.to_owned(),
                },
            )
            .await?;
            self.await_configuration(name).await?;
        }
        // The diff the store's Tag and Untag events are made from: the log and the backend
        // agree on which keys a change sets and removes.
        let tags = TagDiff::between(&base.tags, &new.tags);
        if !tags.is_empty() {
            let arn = match new.arn.clone().or_else(|| base.arn.clone()) {
                Some(a) => a,
                None => self.arn_of(name).await?,
            };
            // Untag first: a group at the tag limit that swaps keys needs the room before the
            // new keys arrive.
            if !tags.remove.is_empty() {
                let body = to_body(&UntagRequest { keys: tags.remove })?;
                self.tags_call("Untag", "PATCH", &arn, Some(body)).await?;
            }
            if !tags.set.is_empty() {
                let body = to_body(&TagRequest { tags: tags.set })?;
                self.tags_call("Tag", "PUT", &arn, Some(body)).await?;
            }
        }
        labels
    }

    async fn delete(&self, name: &str) -> Result<(), RemoteError> {
        self.post("DeleteGroup", "/delete-group", &GroupNameRequest::new(name))
            .await
            .map(|_| ())
    }

    fn backend_id(&self) -> String {
        format!("{} {}", self.endpoint.base_url, self.endpoint.region)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, error_type: Option<&str>, body: &str) -> HttpResponse {
        HttpResponse {
            status,
            error_type: error_type.map(str::to_owned),
            body: body.into(),
            oversized: false,
        }
    }

    #[test]
    fn an_answer_the_transport_stopped_reading_is_a_plain_error_not_a_retry() {
        let mut r = resp(200, None, "");
        r.oversized = true;
        let e = classify(&r, "ListGroups").unwrap_err();
        assert!(matches!(e, RemoteError::BadResponse(_)));
        assert!(e.to_string().contains("larger than 4 MiB"), "{e}");
        assert!(classify(&resp(200, None, "{}"), "ListGroups").is_ok());
    }

    #[test]
    fn errors_are_classified() {
        use RemoteError::*;
        let c = |r: HttpResponse| classify(&r, "ListGroupResources").unwrap_err();
        assert_eq!(classify(&resp(200, None, "{}"), "x"), Ok(()));
        assert_eq!(c(resp(429, None, "")), Throttled);
        assert_eq!(
            c(resp(400, Some("ThrottlingException:http://x"), "{}")),
            Throttled
        );
        assert_eq!(
            c(resp(400, None, r#"{"__type":"TooManyRequestsException"}"#)),
            Throttled
        );
        assert_eq!(
            c(resp(
                403,
                None,
                "<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code></Error></ErrorResponse>"
            )),
            Credentials
        );
        assert_eq!(c(resp(403, Some("InvalidClientTokenId"), "")), Credentials);
        assert_eq!(c(resp(400, Some("ExpiredTokenException"), "")), Credentials);
        assert_eq!(c(resp(403, Some("AccessDeniedException"), "")), Forbidden);
        assert_eq!(c(resp(404, Some("NotFoundException"), "{}")), NotFound);
        assert_eq!(
            c(resp(404, None, "<html>Not Found</html>")),
            NotSupported("ListGroupResources")
        );
        assert_eq!(
            c(resp(
                400,
                Some("BadRequestException"),
                r#"{"Message":"Cannot create group: group already exists"}"#
            )),
            AlreadyExists
        );
        assert_eq!(c(resp(503, None, "")), Server(503));
        assert_eq!(
            c(resp(
                400,
                Some("BadRequestException"),
                r#"{"message":"Bad query"}"#
            )),
            Rejected("ListGroupResources, BadRequestException: Bad query".into())
        );
        assert!(Server(500).is_transient() && Throttled.is_transient());
        assert!(!Credentials.is_transient() && !NotFound.is_transient());
        assert!(Credentials.to_string().contains("rejected the credentials"));
    }
}
