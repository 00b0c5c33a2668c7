//! The Tagging API client over a scripted transport: JSON 1.1 requests signed for `tagging`,
//! paging of GetResources with progress and cancel, a reviewed plan sent in batches of at
//! most 20 ARNs, per-resource failures and whole-call failures, and "nothing to send".
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use futures::executor::block_on;
use group_console::model::tag_plan::{TagEdit, TagPlan};
use group_console::model::Resource;
use group_console::sync::api::{HttpRequest, HttpResponse, RemoteError};
use group_console::sync::endpoint::EndpointChoice;
use group_console::sync::sigv4::Credentials;
use group_console::sync::tagging::{endpoint, Tagging};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

#[path = "support/scripted.rs"]
mod scripted;
use scripted::{ok, Scripted};

fn client(t: &Scripted) -> Tagging<&Scripted> {
    let choice = EndpointChoice::Custom {
        url: "https://127.0.0.1:4566".into(),
        region: "eu-west-1".into(),
    };
    Tagging::new(
        endpoint(&choice, "ap-northeast-1").unwrap(),
        Credentials {
            access_key_id: "AKIDEXAMPLE".into(),
            secret_access_key: SECRET.into(),
            session_token: None,
        },
        t,
    )
}

fn header<'a>(req: &'a HttpRequest, name: &str) -> &'a str {
    req.headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

fn body(req: &HttpRequest) -> serde_json::Value {
    serde_json::from_str(req.body.as_deref().unwrap_or("null")).unwrap()
}

#[test]
fn aws_hosts_and_custom_urls() {
    let aws = EndpointChoice::Aws {
        region: "eu-west-1".into(),
        fips: true,
    };
    let e = endpoint(&aws, "ap-northeast-1").unwrap();
    assert_eq!(e.base_url, "https://tagging.ap-northeast-1.amazonaws.com");
    assert_eq!(e.region, "ap-northeast-1");
    let cn = endpoint(&aws, "cn-north-1").unwrap();
    assert_eq!(cn.host, "tagging.cn-north-1.amazonaws.com.cn");
    assert!(endpoint(&aws, "not a region").is_err());
}

#[test]
fn a_pull_pages_through_and_reads_like_an_import() {
    let t = Scripted::default();
    let page1 = r#"{"PaginationToken":"p2","ResourceTagMappingList":[
        {"ResourceARN":"arn:aws:sqs:ap-northeast-1:123456789012:キュー","Tags":[{"Key":"環境","Value":"本番"}]},
        {"ResourceARN":"arn:aws:s3:::bucket-b","Tags":[{"Key":"Team","Value":"web"}]}]}"#;
    let page2 = r#"{"PaginationToken":"","ResourceTagMappingList":[
        {"ResourceARN":"arn:aws:s3:::bucket-a","Tags":[{"Key":"Acct","Value":"123456789012"}]},
        {"ResourceARN":"arn:aws:s3:::bucket-b","Tags":[{"Key":"Team","Value":"web"}]}]}"#;
    t.answers.borrow_mut().extend([ok(page1), ok(page2)]);
    let mut progress = Vec::new();
    let pulled = block_on(client(&t).pull(&[], |n| {
        progress.push(n);
        true
    }))
    .unwrap();
    assert!(pulled.complete);
    assert_eq!(pulled.pages, 2);
    assert_eq!(progress, [2]);
    let arns: Vec<&str> = pulled
        .report
        .resources
        .iter()
        .map(|r| r.arn.as_str())
        .collect();
    assert_eq!(
        arns,
        [
            "arn:aws:s3:::bucket-b",
            "arn:aws:sqs:ap-northeast-1:123456789012:キュー"
        ]
    );
    // The account number in a tag is refused as an import refuses it, with a reason.
    assert_eq!(pulled.report.rejected.len(), 1);
    assert!(!pulled.report.rejected[0].message.contains("123456789012"));

    let sent = t.sent.borrow();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].url, "https://127.0.0.1:4566/");
    assert_eq!(
        header(&sent[0], "x-amz-target"),
        "ResourceGroupsTaggingAPI_20170126.GetResources"
    );
    assert_eq!(
        header(&sent[0], "content-type"),
        "application/x-amz-json-1.1"
    );
    let auth = header(&sent[0], "authorization");
    assert!(
        auth.contains("/ap-northeast-1/tagging/aws4_request"),
        "{auth}"
    );
    assert!(
        auth.contains("x-amz-target"),
        "the target is signed: {auth}"
    );
    assert_eq!(
        body(&sent[0]),
        serde_json::json!({"ResourcesPerPage": 100, "TagsPerPage": 500})
    );
    assert_eq!(body(&sent[1])["PaginationToken"], "p2");
    assert!(!format!("{:?}", sent[0]).contains(SECRET));
}

#[test]
fn a_pull_can_be_cancelled_between_pages() {
    let t = Scripted::default();
    t.answers.borrow_mut().push_back(ok(
        r#"{"PaginationToken":"more","ResourceTagMappingList":[{"ResourceARN":"arn:aws:s3:::a","Tags":[]}]}"#,
    ));
    let pulled = block_on(client(&t).pull(&[], |_| false)).unwrap();
    assert!(!pulled.complete);
    assert_eq!(t.sent.borrow().len(), 1);
}

fn resources(n: usize) -> Vec<Resource> {
    (0..n)
        .map(|i| {
            Resource::new(
                &format!("arn:aws:sqs:ap-northeast-1:123456789012:q-{i:03}"),
                None,
                vec![("Old".into(), "x".into())],
            )
            .unwrap()
        })
        .collect()
}

#[test]
fn a_plan_goes_out_in_batches_and_failures_are_per_resource() {
    let selected = resources(45);
    let edit = TagEdit {
        set: [("環境".to_owned(), "本番".to_owned())].into(),
        remove: ["Old".to_owned()].into(),
    };
    let plan = TagPlan::build(&selected, &edit);
    let calls = plan.calls();
    assert_eq!(calls.len(), 6, "3 tag calls (20+20+5) and 3 untag calls");
    let t = Scripted::default();
    // Call 1: two resources fail inside the answer; call 2: the whole call fails for good
    // (a refused parameter); the rest succeed.
    t.answers.borrow_mut().extend([
        ok(r#"{"FailedResourcesMap":{
            "arn:aws:sqs:ap-northeast-1:123456789012:q-003":{"StatusCode":500,"ErrorCode":"InternalServiceException","ErrorMessage":"try again"},
            "arn:aws:sqs:ap-northeast-1:123456789012:q-007":{"StatusCode":400,"ErrorCode":"InvalidParameterException","ErrorMessage":"bad"},
            "arn:aws:s3:::not-in-this-call":{"StatusCode":500,"ErrorCode":"InternalServiceException"}}}"#),
        Ok(HttpResponse {
            status: 400,
            error_type: Some("InvalidParameterException".into()),
            body: r#"{"__type":"InvalidParameterException","message":"nope"}"#.into(),
            oversized: false,
        }),
        ok("{}"),
        ok(r#"{"FailedResourcesMap":{}}"#),
        ok("{}"),
        ok("{}"),
    ]);
    let outcome = block_on(client(&t).apply(&plan));
    assert_eq!(outcome.calls, 6);
    let sent = t.sent.borrow();
    assert_eq!(sent.len(), 6);
    for (req, call) in sent.iter().zip(&calls) {
        assert!(body(req)["ResourceARNList"].as_array().unwrap().len() <= 20);
        assert_eq!(
            body(req)["ResourceARNList"].as_array().unwrap().len(),
            call.arns().len()
        );
    }
    assert_eq!(
        header(&sent[0], "x-amz-target"),
        "ResourceGroupsTaggingAPI_20170126.TagResources"
    );
    assert_eq!(body(&sent[0])["Tags"]["環境"], "本番");
    assert_eq!(
        header(&sent[5], "x-amz-target"),
        "ResourceGroupsTaggingAPI_20170126.UntagResources"
    );
    assert_eq!(body(&sent[5])["TagKeys"], serde_json::json!(["Old"]));
    // 2 from the first call's map (the ARN of no call is ignored) + 20 of the second call.
    assert_eq!(outcome.failed.len(), 22);
    let q3 = &outcome.failed["arn:aws:sqs:ap-northeast-1:123456789012:q-003"];
    assert!(q3.retryable && q3.code == "InternalServiceException");
    assert!(!outcome.failed["arn:aws:sqs:ap-northeast-1:123456789012:q-007"].retryable);
    let q25 = &outcome.failed["arn:aws:sqs:ap-northeast-1:123456789012:q-025"];
    assert_eq!(q25.code, "RequestFailed");
    assert!(!q25.message.contains("本番"), "no tag value in a message");
    // Retry failed: only those, still in batches.
    let retry = plan.only(&outcome.failed_arns());
    assert_eq!(retry.changes.len(), 22);
    let by_call: BTreeMap<usize, usize> = retry
        .calls()
        .iter()
        .enumerate()
        .map(|(i, c)| (i, c.arns().len()))
        .collect();
    assert!(by_call.values().all(|&n| n <= 20));
}

#[test]
fn a_plan_already_in_effect_sends_nothing() {
    let t = Scripted::default();
    let selected = resources(3);
    let edit = TagEdit {
        set: [("Old".to_owned(), "x".to_owned())].into(),
        remove: Default::default(),
    };
    let plan = TagPlan::build(&selected, &edit);
    let outcome = block_on(client(&t).apply(&plan));
    assert_eq!((outcome.calls, outcome.failed.len()), (0, 0));
    assert!(t.sent.borrow().is_empty());
}

#[test]
fn transient_failures_are_retried_and_autocomplete_pages() {
    let t = Scripted::default();
    t.answers.borrow_mut().extend([
        Ok(HttpResponse {
            status: 400,
            error_type: None,
            body: r#"{"__type":"com.amazon.coral.availability#ThrottlingException","message":"Rate exceeded"}"#.into(),
            oversized: false,
        }),
        ok(r#"{"PaginationToken":"k2","TagKeys":["環境","Team"]}"#),
        ok(r#"{"TagKeys":["Owner","Team","acct-123456789012","","aws:cloudformation:stack-name"]}"#),
        ok(r#"{"TagValues":["本番","開発","billing 123456789012","AKIAIOSFODNN7EXAMPLE"],"PaginationToken":""}"#),
        Err("offline".into()),
        Err("offline".into()),
        Err("offline".into()),
        Err("offline".into()),
        Err("offline".into()),
        Err("offline".into()),
    ]);
    let c = client(&t);
    // An account number in a key or a value, a credential and an empty key never reach a
    // suggestion list; AWS's own keys do.
    assert_eq!(
        block_on(c.tag_keys()).unwrap(),
        ["Owner", "Team", "aws:cloudformation:stack-name", "環境"]
    );
    assert_eq!(block_on(c.tag_values("環境")).unwrap(), ["本番", "開発"]);
    assert_eq!(body(&t.sent.borrow()[3])["Key"], "環境");
    match block_on(c.tag_keys()) {
        Err(RemoteError::Unreachable(_)) => {}
        other => panic!("{other:?}"),
    }
}
