//! The Resource Groups Tagging API as the Tag Editor uses it: the inventory pulled page by page
//! (`GetResources`), the keys and values for autocomplete (`GetTagKeys`, `GetTagValues`), and
//! a reviewed [`TagPlan`] carried out (`TagResources`, `UntagResources`, at most 20 ARNs a
//! call). JSON 1.1 over `POST /`, signed with SigV4 for the service `tagging`; the same
//! transport, retries and error classification as the Resource Groups client, and the same
//! rule: no request body, header or secret ever goes into an error or a log.
//!
//! One client per region: the Tagging API is regional, and a custom backend (a proxy, moto)
//! takes every region on one URL and tells them apart by the signature's credential scope.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::api::{HttpRequest, RemoteError, Transport, PAGES_MAX};
use super::endpoint::{Endpoint, EndpointChoice, EndpointError};
use super::retry::RetryPolicy;
use super::sigv4::{self, Credentials, Scope};
use crate::model::inventory::{check_resource_tags, ImportReport, Inventory};
use crate::model::tag_plan::{TagCall, TagPlan};
use crate::model::tagging::{
    FailureInfo, GetResourcesRequest, GetTagKeysRequest, GetTagKeysResponse, GetTagValuesRequest,
    GetTagValuesResponse, Operation, TagFilter, TagResourcesRequest, TagResourcesResponse,
    UntagResourcesRequest, CONTENT_TYPE, RESOURCES_PER_PAGE, SIGNING_SERVICE, TAGS_PER_PAGE,
};

/// The Tagging API's endpoint for `region` under the person's backend choice: on AWS its own
/// host (`tagging.<region>.amazonaws.com`; the API has no FIPS host, so the choice of FIPS for
/// Resource Groups does not carry over), on a custom backend the same URL, signed for
/// `region`.
pub fn endpoint(choice: &EndpointChoice, region: &str) -> Result<Endpoint, EndpointError> {
    match choice {
        EndpointChoice::Aws { .. } => {
            let mut e = EndpointChoice::Aws {
                region: region.to_owned(),
                fips: false,
            }
            .resolve()?;
            e.host = e.host.replacen("resource-groups.", "tagging.", 1);
            e.base_url = format!("https://{}", e.host);
            Ok(e)
        }
        EndpointChoice::Custom { url, .. } => EndpointChoice::Custom {
            url: url.clone(),
            region: region.to_owned(),
        }
        .resolve(),
    }
}

/// A Tagging API client for one region.
pub struct Tagging<T: Transport> {
    pub endpoint: Endpoint,
    credentials: Credentials,
    pub transport: T,
    pub retry: RetryPolicy,
}

/// What a pull of one region read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pulled {
    /// Resources as checked by the import rules, and the records refused with their reasons.
    pub report: ImportReport,
    /// Pages read (requests that succeeded).
    pub pages: usize,
    /// False when `keep_going` stopped it: the report is then not the whole region.
    pub complete: bool,
}

/// Why one resource of a plan was not changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanFailure {
    pub arn: String,
    /// The backend's code (`InternalServiceException`…) or the client's reason for a call that
    /// failed as a whole; never a tag value.
    pub code: String,
    pub message: String,
    pub retryable: bool,
}

/// What applying a plan did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlanOutcome {
    pub calls: usize,
    /// By ARN, in ARN order: each failed resource once (its first failure).
    pub failed: BTreeMap<String, PlanFailure>,
}

impl PlanOutcome {
    /// The ARNs to retry.
    pub fn failed_arns(&self) -> BTreeSet<String> {
        self.failed.keys().cloned().collect()
    }
}

impl<T: Transport> Tagging<T> {
    pub fn new(endpoint: Endpoint, credentials: Credentials, transport: T) -> Self {
        Tagging {
            endpoint,
            credentials,
            transport,
            retry: RetryPolicy::default(),
        }
    }

    /// A signed JSON 1.1 request (no network). `X-Amz-Target` and the content type are signed
    /// with the rest.
    pub fn request(&self, operation: Operation, body: String) -> HttpRequest {
        let target = operation.target();
        let path = if self.endpoint.path_prefix.is_empty() {
            "/".to_owned()
        } else {
            format!("{}/", self.endpoint.path_prefix)
        };
        let signed_headers = [
            ("content-type", CONTENT_TYPE),
            ("x-amz-target", target.as_str()),
        ];
        let signed = sigv4::sign(
            &sigv4::Request {
                method: "POST",
                host: &self.endpoint.host,
                path: &path,
                query: "",
                headers: &signed_headers,
                body: body.as_bytes(),
            },
            &self.credentials,
            Scope {
                region: &self.endpoint.region,
                service: SIGNING_SERVICE,
                s3: false,
            },
            &sigv4::amz_date(self.transport.now_ms()),
        );
        let mut headers = signed.headers;
        headers.push(("content-type", CONTENT_TYPE.into()));
        headers.push(("x-amz-target", target));
        HttpRequest {
            method: "POST",
            url: format!("{}/", self.endpoint.base_url),
            headers,
            body: Some(body),
        }
    }

    /// Sends with retries of transient failures; the body of a successful answer.
    async fn call<B: Serialize>(
        &self,
        operation: Operation,
        body: &B,
    ) -> Result<String, RemoteError> {
        let body = serde_json::to_string(body)
            .map_err(|_| RemoteError::BadResponse("the request could not be written".into()))?;
        super::api::send_retrying(
            &self.transport,
            &self.retry,
            operation.name(),
            Some(&body),
            || self.request(operation, body.clone()),
        )
        .await
    }

    /// Every resource of the region that matches `filters` (none: every tagged resource), page
    /// by page. After each page `keep_going(resources so far)` is asked whether to go on: the
    /// progress line, and "Cancel".
    pub async fn pull(
        &self,
        filters: &[TagFilter],
        mut keep_going: impl FnMut(usize) -> bool,
    ) -> Result<Pulled, RemoteError> {
        let mut pulled = Pulled::default();
        let mut token: Option<String> = None;
        let mut seen = BTreeSet::new();
        for _ in 0..PAGES_MAX {
            let request = GetResourcesRequest {
                pagination_token: token.take(),
                tag_filters: filters.to_vec(),
                resources_per_page: Some(RESOURCES_PER_PAGE),
                tags_per_page: Some(TAGS_PER_PAGE),
                resource_type_filters: Vec::new(),
            };
            let body = self.call(Operation::GetResources, &request).await?;
            let (page, next) = Inventory::read_get_resources_page(&body)
                .map_err(|e| RemoteError::BadResponse(format!("GetResources: {}", e.message)))?;
            pulled.pages += 1;
            // A resource listed on two pages (a backend that shifts while paging) counts once.
            for r in page.resources {
                if seen.insert(r.arn.clone()) {
                    pulled.report.resources.push(r);
                }
            }
            pulled.report.rejected.extend(page.rejected);
            match next {
                None => {
                    pulled.complete = true;
                    break;
                }
                Some(t) => token = Some(t),
            }
            if !keep_going(pulled.report.resources.len()) {
                break;
            }
        }
        crate::sort::sort_by(&mut pulled.report.resources, |a, b| a.arn.cmp(&b.arn));
        Ok(pulled)
    }

    /// Every string of a paged listing (`GetTagKeys`, `GetTagValues`), sorted, once each:
    /// `request` makes the request for a page token, `read` takes a page's strings and the
    /// next token out of its answer, and only the strings `keep` accepts are returned (what
    /// the backend sends passes the model and the guard before anything suggests it).
    async fn strings<B: Serialize>(
        &self,
        operation: Operation,
        request: impl Fn(Option<String>) -> B,
        read: impl Fn(&str) -> Option<(Vec<String>, Option<String>)>,
        keep: impl Fn(&str) -> bool,
    ) -> Result<Vec<String>, RemoteError> {
        let mut all = BTreeSet::new();
        let mut token: Option<String> = None;
        for _ in 0..PAGES_MAX {
            let body = self.call(operation, &request(token.take())).await?;
            let (items, next) = read(&body).ok_or_else(|| {
                RemoteError::BadResponse(format!("{}: not the expected JSON", operation.name()))
            })?;
            all.extend(items.into_iter().filter(|s| keep(s)));
            match next.filter(|t| !t.is_empty()) {
                Some(t) => token = Some(t),
                None => break,
            }
        }
        Ok(all.into_iter().collect())
    }

    /// Every tag key in the region (for autocomplete), sorted; keys the model or the guard
    /// refuses are left out.
    pub async fn tag_keys(&self) -> Result<Vec<String>, RemoteError> {
        self.strings(
            Operation::GetTagKeys,
            |pagination_token| GetTagKeysRequest { pagination_token },
            |body| {
                serde_json::from_str::<GetTagKeysResponse>(body)
                    .ok()
                    .map(|p| (p.tag_keys, p.pagination_token))
            },
            |key| check_resource_tags(&[(key.to_owned(), String::new())]).is_ok(),
        )
        .await
    }

    /// Every value of `key` in the region, sorted; values the model or the guard refuses
    /// (with that key) are left out.
    pub async fn tag_values(&self, key: &str) -> Result<Vec<String>, RemoteError> {
        self.strings(
            Operation::GetTagValues,
            |pagination_token| GetTagValuesRequest {
                key: key.to_owned(),
                pagination_token,
            },
            |body| {
                serde_json::from_str::<GetTagValuesResponse>(body)
                    .ok()
                    .map(|p| (p.tag_values, p.pagination_token))
            },
            |value| check_resource_tags(&[(key.to_owned(), value.to_owned())]).is_ok(),
        )
        .await
    }

    /// Carries out a plan: its calls in order. A resource the backend reports in
    /// `FailedResourcesMap` fails with the backend's code; a call that fails as a whole (after
    /// the retries) fails each of its ARNs with the client's reason, and the other calls still
    /// go. A plan already in effect has no calls and sends nothing.
    pub async fn apply(&self, plan: &TagPlan) -> PlanOutcome {
        let mut outcome = PlanOutcome::default();
        for call in plan.calls() {
            outcome.calls += 1;
            let answer = match &call {
                TagCall::Tag { arns, tags } => {
                    self.call(
                        Operation::TagResources,
                        &TagResourcesRequest {
                            resource_arn_list: arns.clone(),
                            tags: tags.clone(),
                        },
                    )
                    .await
                }
                TagCall::Untag { arns, keys } => {
                    self.call(
                        Operation::UntagResources,
                        &UntagResourcesRequest {
                            resource_arn_list: arns.clone(),
                            tag_keys: keys.clone(),
                        },
                    )
                    .await
                }
            };
            let failures: Vec<PlanFailure> = match answer {
                Ok(body) => match serde_json::from_str::<TagResourcesResponse>(&body) {
                    Ok(r) => r
                        .failed_resources_map
                        .into_iter()
                        .filter(|(arn, _)| call.arns().contains(arn))
                        .map(|(arn, f)| failure(arn, &f))
                        .collect(),
                    Err(_) => call
                        .arns()
                        .iter()
                        .map(|arn| {
                            whole_call_failed(
                                arn,
                                &RemoteError::BadResponse(
                                    "the answer was not the expected JSON".into(),
                                ),
                            )
                        })
                        .collect(),
                },
                Err(e) => call
                    .arns()
                    .iter()
                    .map(|arn| whole_call_failed(arn, &e))
                    .collect(),
            };
            for f in failures {
                outcome.failed.entry(f.arn.clone()).or_insert(f);
            }
        }
        outcome
    }
}

fn failure(arn: String, f: &FailureInfo) -> PlanFailure {
    let code = f
        .error_code
        .as_deref()
        .map(|c| super::api::clean_message(c, &[]))
        .unwrap_or_else(|| {
            f.status_code
                .map(|s| format!("HTTP {s}"))
                .unwrap_or_default()
        });
    PlanFailure {
        message: super::api::clean_message(f.error_message.as_deref().unwrap_or(""), &[]),
        retryable: f.retryable(),
        code,
        arn,
    }
}

fn whole_call_failed(arn: &str, e: &RemoteError) -> PlanFailure {
    PlanFailure {
        arn: arn.to_owned(),
        code: "RequestFailed".into(),
        message: e.to_string(),
        retryable: e.is_transient() || matches!(e, RemoteError::Unreachable(_)),
    }
}
