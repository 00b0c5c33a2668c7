//! The AWS Resource Groups client over a scripted transport: request shapes and signatures,
//! retries with backoff for transient failures only, pagination, and plain error messages
//! that never carry a secret.
#![cfg(not(target_arch = "wasm32"))]

use futures::executor::block_on;
use group_console::model::{Group, ResourceQuery, TagFilter};
use group_console::sync::api::{Client, HttpResponse, RemoteError};
use group_console::sync::endpoint::EndpointChoice;
use group_console::sync::engine::{Listed, Remote};
use group_console::sync::sigv4::Credentials;

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

#[path = "support/scripted.rs"]
mod scripted;
use scripted::{ok, Scripted};

fn err(status: u16, error_type: &str, body: &str) -> Result<HttpResponse, String> {
    Ok(HttpResponse {
        status,
        error_type: (!error_type.is_empty()).then(|| error_type.into()),
        body: body.into(),
        oversized: false,
    })
}

fn client(t: &Scripted) -> Client<&Scripted> {
    let endpoint = EndpointChoice::Custom {
        url: "https://127.0.0.1:4566/rg".into(),
        region: "eu-west-1".into(),
    }
    .resolve()
    .unwrap();
    Client::new(
        endpoint,
        Credentials {
            access_key_id: "AKIDEXAMPLE".into(),
            secret_access_key: SECRET.into(),
            session_token: Some("SESSIONTOKEN".into()),
        },
        t,
    )
}

fn names(listed: Vec<Listed>) -> Vec<String> {
    listed.into_iter().map(|l| l.name).collect()
}

fn group() -> Group {
    let mut g = Group::new(
        "web",
        ResourceQuery::tags(vec![TagFilter {
            key: "Stage".into(),
            values: vec!["Prod".into()],
        }]),
    );
    g.description = "private".into();
    g.tags.insert("Team".into(), "A".into());
    g
}

#[test]
fn create_group_is_a_signed_post_with_the_aws_body() {
    let t = Scripted::default();
    t.answers.borrow_mut().push_back(ok(
        r#"{"Group":{"GroupArn":"arn:aws:resource-groups:eu-west-1:000000000000:group/web","Name":"web"},"GroupConfiguration":{"Configuration":null}}"#,
    ));
    let arn = block_on(client(&t).create(&group())).unwrap();
    assert_eq!(
        arn.as_deref(),
        Some("arn:aws:resource-groups:eu-west-1:000000000000:group/web")
    );
    let sent = t.sent.borrow();
    let req = &sent[0];
    assert_eq!(req.method, "POST");
    assert_eq!(req.url, "https://127.0.0.1:4566/rg/groups");
    let body: serde_json::Value = serde_json::from_str(req.body.as_deref().unwrap()).unwrap();
    assert_eq!(body["Name"], "web");
    assert_eq!(body["ResourceQuery"]["Type"], "TAG_FILTERS_1_0");
    assert_eq!(body["Tags"]["Team"], "A");
    let auth = req
        .headers
        .iter()
        .find(|(n, _)| *n == "authorization")
        .unwrap();
    assert!(auth.1.starts_with(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/resource-groups/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature="
    ));
    assert!(req
        .headers
        .iter()
        .any(|(n, v)| *n == "x-amz-security-token" && v == "SESSIONTOKEN"));
    // Debug output names the request only.
    let shown = format!("{req:?}");
    assert_eq!(shown, "POST https://127.0.0.1:4566/rg/groups");
    assert!(!req.headers.iter().any(|(_, v)| v.contains(SECRET)));
}

#[test]
fn transient_failures_are_retried_with_backoff_then_reported() {
    let t = Scripted::default();
    {
        let mut a = t.answers.borrow_mut();
        a.push_back(Err("network error".into()));
        a.push_back(err(503, "", ""));
        a.push_back(err(429, "", ""));
        a.push_back(err(400, "ThrottlingException", "{}"));
        a.push_back(ok(
            r#"{"GroupIdentifiers":[{"GroupName":"a","GroupArn":"x"}]}"#,
        ));
        // The second listing, by configuration type.
        a.push_back(ok(r#"{"GroupIdentifiers":[]}"#));
    }
    let names = names(block_on(client(&t).list()).unwrap());
    assert_eq!(names, ["a"]);
    // Full jitter at random = 0.5 of 200, 400, 800, 1600 ms.
    assert_eq!(*t.sleeps.borrow(), [100, 200, 400, 800]);
    assert_eq!(
        t.sent.borrow()[0].url,
        "https://127.0.0.1:4566/rg/groups-list?maxResults=50"
    );

    let t = Scripted::default();
    for _ in 0..5 {
        t.answers.borrow_mut().push_back(err(500, "", ""));
    }
    let e = block_on(client(&t).list()).unwrap_err();
    assert_eq!(e, RemoteError::Server(500));
    assert_eq!(t.sent.borrow().len(), 5, "five attempts in all");
}

#[test]
fn credentials_and_refusals_are_not_retried() {
    let t = Scripted::default();
    t.answers.borrow_mut().push_back(err(
        403,
        "",
        "<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match</Message></Error></ErrorResponse>",
    ));
    let e = block_on(client(&t).delete("web")).unwrap_err();
    assert_eq!(e, RemoteError::Credentials);
    assert_eq!(t.sent.borrow().len(), 1);
    assert!(t.sleeps.borrow().is_empty());
    let msg = e.to_string();
    assert!(msg.contains("rejected the credentials") && !msg.contains(SECRET));
}

#[test]
fn pages_are_followed_until_the_last() {
    let t = Scripted::default();
    {
        let mut a = t.answers.borrow_mut();
        a.push_back(ok(
            r#"{"GroupIdentifiers":[{"GroupName":"b","GroupArn":"x"}],"NextToken":"t/1+"}"#,
        ));
        a.push_back(ok(
            r#"{"GroupIdentifiers":[{"GroupName":"a","GroupArn":"y"}]}"#,
        ));
        a.push_back(ok(r#"{"GroupIdentifiers":[]}"#));
    }
    let names = names(block_on(client(&t).list()).unwrap());
    assert_eq!(names, ["a", "b"]);
    assert_eq!(
        t.sent.borrow()[1].url,
        "https://127.0.0.1:4566/rg/groups-list?maxResults=50&nextToken=t%2F1%2B"
    );
}

#[test]
fn fetch_reads_the_group_its_query_tags_and_configuration_through_the_model_and_the_guard() {
    let t = Scripted::default();
    let arn = "arn:aws:resource-groups:eu-west-1:000000000000:group/web";
    {
        let mut a = t.answers.borrow_mut();
        a.push_back(ok(&format!(
            r#"{{"Group":{{"GroupArn":"{arn}","Name":"web","Description":"d"}}}}"#
        )));
        a.push_back(ok(r#"{"GroupQuery":{"GroupName":"web","ResourceQuery":{"Type":"TAG_FILTERS_1_0","Query":"{\"ResourceTypeFilters\":[\"AWS::AllSupported\"],\"TagFilters\":[{\"Key\":\"Stage\",\"Values\":[\"Prod\"]}]}"}}}"#));
        a.push_back(ok(&format!(r#"{{"Arn":"{arn}","Tags":{{"Team":"A"}}}}"#)));
        // A query group: moto's answer for "no configuration".
        a.push_back(ok(r#"{"GroupConfiguration":{"Configuration":null}}"#));
    }
    let f = block_on(client(&t).fetch("web")).unwrap().unwrap();
    let g = f.group.unwrap();
    assert_eq!(
        (g.description.as_str(), g.tags["Team"].as_str()),
        ("d", "A")
    );
    let sent = t.sent.borrow();
    assert_eq!(sent[2].method, "GET");
    assert_eq!(
        sent[2].url,
        "https://127.0.0.1:4566/rg/resources/arn%3Aaws%3Aresource-groups%3Aeu-west-1%3A000000000000%3Agroup%2Fweb/tags"
    );
    drop(sent);

    // A server group whose tag holds an AWS account ID is read but refused, with a reason.
    let t = Scripted::default();
    {
        let mut a = t.answers.borrow_mut();
        a.push_back(ok(&format!(
            r#"{{"Group":{{"GroupArn":"{arn}","Name":"web"}}}}"#
        )));
        a.push_back(ok(r#"{"GroupQuery":{"GroupName":"web","ResourceQuery":{"Type":"TAG_FILTERS_1_0","Query":"{\"ResourceTypeFilters\":[\"AWS::AllSupported\"],\"TagFilters\":[]}"}}}"#));
        a.push_back(ok(&format!(
            r#"{{"Arn":"{arn}","Tags":{{"Owner":"acct 123456789012"}}}}"#
        )));
        // AWS refuses GetGroupConfiguration for some query groups: no configuration.
        a.push_back(err(
            400,
            "BadRequestException",
            r#"{"Message":"no configuration"}"#,
        ));
    }
    let f = block_on(client(&t).fetch("web")).unwrap().unwrap();
    let why = f.group.unwrap_err();
    assert!(!why.contains("123456789012"), "{why}");

    // Gone: GetGroup says NotFound.
    let t = Scripted::default();
    t.answers
        .borrow_mut()
        .push_back(err(404, "NotFoundException", r#"{"Message":"gone"}"#));
    assert_eq!(block_on(client(&t).fetch("web")).unwrap(), None);
}

#[test]
fn updates_send_only_what_changed() {
    let t = Scripted::default();
    let mut base = group();
    base.arn = Some("arn:aws:resource-groups:eu-west-1:000000000000:group/web".into());
    base.tags.insert("Old".into(), "x".into());
    let mut new = base.clone();
    new.tags.remove("Old");
    new.tags.insert("Team".into(), "B".into());
    for _ in 0..2 {
        t.answers.borrow_mut().push_back(ok("{}"));
    }
    block_on(client(&t).update(&base, &new)).unwrap();
    let sent = t.sent.borrow();
    let calls: Vec<(&str, String)> = sent
        .iter()
        .map(|r| (r.method, r.body.clone().unwrap_or_default()))
        .collect();
    assert_eq!(
        calls,
        [
            ("PATCH", r#"{"Keys":["Old"]}"#.to_owned()),
            ("PUT", r#"{"Tags":{"Team":"B"}}"#.to_owned())
        ]
    );
}

#[test]
fn a_listed_group_with_its_description_and_labels_is_read_with_two_calls() {
    let t = Scripted::default();
    let arn = "arn:aws:resource-groups:eu-west-1:000000000000:group/web";
    let other = "arn:aws:resource-groups:eu-west-1:000000000000:group/app";
    {
        let mut a = t.answers.borrow_mut();
        // A backend that lists the new fields (AWS, our extended moto): `Groups` with
        // descriptions, and an owner on one group, so "absent" means "not set" on this page.
        a.push_back(ok(&format!(r#"{{"GroupIdentifiers":[{{"GroupName":"web","GroupArn":"{arn}"}}],"Groups":[{{"GroupArn":"{arn}","Name":"web","Description":""}},{{"GroupArn":"{other}","Name":"app","Description":"","Owner":"Zoë","Criticality":3}}],"NextToken":null}}"#)));
        // No group has a configuration beside its query.
        a.push_back(ok(r#"{"GroupIdentifiers":[]}"#));
        a.push_back(ok(r#"{"GroupQuery":{"GroupName":"web","ResourceQuery":{"Type":"TAG_FILTERS_1_0","Query":"{\"ResourceTypeFilters\":[\"AWS::AllSupported\"],\"TagFilters\":[{\"Key\":\"Stage\",\"Values\":[\"Prod\"]}]}"}}}"#));
        a.push_back(ok(&format!(r#"{{"Arn":"{arn}","Tags":{{"Team":"A"}}}}"#)));
    }
    let c = client(&t);
    let listed = block_on(c.list()).unwrap();
    let web = listed.iter().find(|l| l.name == "web").unwrap();
    assert_eq!(web.description.as_deref(), Some(""));
    let app = listed.iter().find(|l| l.name == "app").unwrap();
    let labels = app.labels.as_ref().unwrap();
    assert_eq!(
        (labels.owner.as_str(), labels.criticality),
        ("Zoë", Some(3))
    );
    let f = block_on(c.fetch_listed(web)).unwrap().unwrap();
    let g = f.group.unwrap();
    assert_eq!(g.tags["Team"], "A");
    assert_eq!((g.owner.as_str(), g.criticality), ("", None));
    let urls: Vec<String> = t.sent.borrow().iter().map(|r| r.url.clone()).collect();
    assert_eq!(
        urls.len(),
        4,
        "ListGroups twice, GetGroupQuery, GetTags: no GetGroup, no GetGroupConfiguration"
    );
    assert!(urls[2].ends_with("/get-group-query"));
}

/// Stock moto (and any backend that does not know Criticality, Owner and DisplayName) lists
/// none of them: the list cannot tell "not set" from "not said", so GetGroup is read.
#[test]
fn a_list_without_labels_is_not_taken_for_not_set() {
    let t = Scripted::default();
    let arn = "arn:aws:resource-groups:eu-west-1:000000000000:group/web";
    {
        let mut a = t.answers.borrow_mut();
        a.push_back(ok(&format!(r#"{{"GroupIdentifiers":[{{"GroupName":"web","GroupArn":"{arn}"}}],"Groups":[{{"GroupArn":"{arn}","Name":"web","Description":""}}],"NextToken":null}}"#)));
        a.push_back(ok(r#"{"GroupIdentifiers":[]}"#));
        a.push_back(ok(&format!(
            r#"{{"Group":{{"GroupArn":"{arn}","Name":"web","Description":"","DisplayName":"Web","Owner":"team-web","Criticality":1}}}}"#
        )));
        a.push_back(ok(r#"{"GroupQuery":{"GroupName":"web","ResourceQuery":{"Type":"TAG_FILTERS_1_0","Query":"{\"ResourceTypeFilters\":[\"AWS::AllSupported\"],\"TagFilters\":[{\"Key\":\"Stage\",\"Values\":[\"Prod\"]}]}"}}}"#));
        a.push_back(ok(&format!(r#"{{"Arn":"{arn}","Tags":{{}}}}"#)));
    }
    let c = client(&t);
    let listed = block_on(c.list()).unwrap();
    assert_eq!(listed[0].labels, None);
    let g = block_on(c.fetch_listed(&listed[0]))
        .unwrap()
        .unwrap()
        .group
        .unwrap();
    assert_eq!(
        (g.display_name.as_str(), g.owner.as_str(), g.criticality),
        ("Web", "team-web", Some(1))
    );
    let urls: Vec<String> = t.sent.borrow().iter().map(|r| r.url.clone()).collect();
    assert_eq!(urls.len(), 5);
    assert!(urls[2].ends_with("/get-group"));
}

/// UpdateGroup carries exactly what changed: a display name alone is sent alone, with no
/// description (which would be sent, and so asked about, only when it changed).
#[test]
fn update_group_sends_only_the_changed_fields() {
    let t = Scripted::default();
    let mut base = Group::new(
        "web",
        ResourceQuery::tags(vec![TagFilter {
            key: "Stage".into(),
            values: vec![],
        }]),
    );
    base.description = "private words".into();
    base.owner = "team-web".into();
    base.criticality = Some(4);
    base.arn = Some("arn:aws:resource-groups:eu-west-1:000000000000:group/web".into());
    let mut new = base.clone();
    new.display_name = "ウェブ".into();
    t.answers.borrow_mut().push_back(ok("{}"));
    block_on(client(&t).update(&base, &new)).unwrap();
    {
        let sent = t.sent.borrow();
        assert_eq!(sent.len(), 1);
        assert!(sent[0].url.ends_with("/update-group"));
        assert_eq!(
            sent[0].body.as_deref(),
            Some(r#"{"DisplayName":"ウェブ","Group":"web","GroupName":"web"}"#)
        );
    }
    // Owner cleared and criticality changed: both, and nothing else.
    let mut newer = base.clone();
    newer.owner.clear();
    newer.criticality = Some(1);
    t.answers.borrow_mut().push_back(ok("{}"));
    block_on(client(&t).update(&base, &newer)).unwrap();
    assert_eq!(
        t.sent.borrow()[1].body.as_deref(),
        Some(r#"{"Criticality":1,"Group":"web","GroupName":"web","Owner":""}"#)
    );
    // A criticality unset (which the API cannot do) and nothing else: no call at all.
    let mut unset = base.clone();
    unset.criticality = None;
    block_on(client(&t).update(&base, &unset)).unwrap();
    assert_eq!(t.sent.borrow().len(), 2);
}

#[test]
fn a_group_defined_by_a_configuration_is_read_through_get_group_configuration() {
    let t = Scripted::default();
    let arn = "arn:aws:resource-groups:eu-west-1:000000000000:group/pool";
    {
        let mut a = t.answers.borrow_mut();
        a.push_back(ok(&format!(
            r#"{{"Group":{{"GroupArn":"{arn}","Name":"pool"}}}}"#
        )));
        // A configuration group has no query: AWS answers GetGroupQuery with a BadRequest.
        a.push_back(err(
            400,
            "BadRequestException",
            r#"{"Message":"The group does not have a resource query"}"#,
        ));
        a.push_back(ok(&format!(r#"{{"Arn":"{arn}","Tags":{{}}}}"#)));
        a.push_back(ok(r#"{"GroupConfiguration":{"Configuration":[{"Type":"AWS::EC2::CapacityReservationPool"},{"Type":"AWS::ResourceGroups::Generic","Parameters":[{"Name":"allowed-resource-types","Values":["AWS::EC2::CapacityReservation"]}]}],"Status":"UPDATE_COMPLETE"}}"#));
    }
    let f = block_on(client(&t).fetch("pool")).unwrap().unwrap();
    let g = f.group.unwrap();
    match &g.spec {
        group_console::model::GroupSpec::Configuration(items) => {
            assert_eq!(items.len(), 2);
            assert_eq!(items[0].kind, "AWS::EC2::CapacityReservationPool");
        }
        other => panic!("expected a configuration, got {other:?}"),
    }
    assert!(t.sent.borrow()[3].url.ends_with("/get-group-configuration"));
}

#[test]
fn a_list_answer_without_a_list_or_with_broken_paging_is_an_error() {
    // Without either list: an error, never "the server has no groups" (which would delete
    // every synced group here).
    for body in [r#"{}"#, r#"{"NextToken":null}"#, r#"{"Groups":null}"#] {
        let t = Scripted::default();
        t.answers.borrow_mut().push_back(ok(body));
        let e = block_on(client(&t).list()).unwrap_err();
        assert!(
            matches!(e, RemoteError::BadResponse(ref m) if m.contains("without a list")),
            "{body}: {e:?}"
        );
    }
    // An empty list is a real answer.
    let t = Scripted::default();
    for _ in 0..2 {
        t.answers
            .borrow_mut()
            .push_back(ok(r#"{"GroupIdentifiers":[]}"#));
    }
    assert!(block_on(client(&t).list()).unwrap().is_empty());
    // The same token twice: paging stopped early, an error.
    let t = Scripted::default();
    {
        let mut a = t.answers.borrow_mut();
        a.push_back(ok(
            r#"{"GroupIdentifiers":[{"GroupName":"a"}],"NextToken":"p"}"#,
        ));
        a.push_back(ok(
            r#"{"GroupIdentifiers":[{"GroupName":"b"}],"NextToken":"p"}"#,
        ));
    }
    let e = block_on(client(&t).list()).unwrap_err();
    assert!(matches!(e, RemoteError::BadResponse(ref m) if m.contains("same page token")));
}

#[test]
fn a_list_entry_without_a_description_is_read_in_full() {
    // `Groups` without `Description`: unknown, so GetGroup is asked, not "empty".
    let t = Scripted::default();
    t.answers.borrow_mut().push_back(ok(
        r#"{"Groups":[{"Name":"web","GroupArn":"arn:aws:resource-groups:eu-west-1:000000000000:group/web"}]}"#,
    ));
    t.answers.borrow_mut().push_back(ok(r#"{"Groups":[]}"#));
    let listed = block_on(client(&t).list()).unwrap();
    assert_eq!(listed[0].description, None);
    let t = Scripted::default();
    t.answers.borrow_mut().push_back(ok(
        r#"{"Groups":[{"Name":"web","GroupArn":"arn:aws:resource-groups:eu-west-1:000000000000:group/web","Description":""}]}"#,
    ));
    t.answers.borrow_mut().push_back(ok(r#"{"Groups":[]}"#));
    assert_eq!(
        block_on(client(&t).list()).unwrap()[0]
            .description
            .as_deref(),
        Some("")
    );
}

#[test]
fn oversized_answers_are_refused() {
    let t = Scripted::default();
    let huge = format!(
        r#"{{"GroupIdentifiers":[],"Pad":"{}"}}"#,
        "x".repeat(group_console::sync::api::BODY_MAX)
    );
    t.answers.borrow_mut().push_back(ok(&huge));
    let e = block_on(client(&t).list()).unwrap_err();
    assert!(e.to_string().contains("larger than"), "{e}");
}

#[test]
fn refusals_name_the_operation_and_code_and_never_quote_what_was_sent() {
    let t = Scripted::default();
    let mut g = group();
    g.description = "Secret plans for Müller & Söhne".into();
    g.tags.insert("環境".into(), "本番環境".into());
    t.answers.borrow_mut().push_back(err(
        400,
        "BadRequestException",
        r#"{"Message":"Invalid description Secret plans for Müller & Söhne; tag 本番環境 rejected; see 'value 42'; account 123456789012 \u202Eevil"}"#,
    ));
    let e = block_on(client(&t).create(&g)).unwrap_err();
    let RemoteError::Rejected(m) = &e else {
        panic!("{e:?}")
    };
    assert!(m.starts_with("CreateGroup, BadRequestException: "), "{m}");
    for leaked in [
        "Secret plans",
        "本番環境",
        "value 42",
        "123456789012",
        "\u{202e}",
    ] {
        assert!(!m.contains(leaked), "{leaked} in {m}");
    }
    assert!(m.contains("Invalid description"), "{m}");
}

fn pool(name: &str) -> Group {
    let mut g = Group::new(name, ResourceQuery::tags(vec![]));
    g.spec = group_console::model::GroupSpec::Configuration(
        group_console::model::service_config::Template::CapacityReservationPool.items(),
    );
    g.arn = Some(format!(
        "arn:aws:resource-groups:eu-west-1:000000000000:group/{name}"
    ));
    g
}

/// PutGroupConfiguration is asynchronous: the status is asked for until it is done, with
/// growing waits; a failure is the backend's reason, never what was sent.
#[test]
fn a_configuration_change_is_polled_until_done_or_failed() {
    let base = Group {
        spec: group_console::model::GroupSpec::Configuration(vec![]),
        ..pool("pool")
    };
    let new = pool("pool");
    let t = Scripted::default();
    {
        let mut a = t.answers.borrow_mut();
        a.push_back(ok("")); // 202, empty
        a.push_back(ok(r#"{"GroupConfiguration":{"Status":"UPDATING"}}"#));
        a.push_back(ok(r#"{"GroupConfiguration":{"Status":"UPDATING"}}"#));
        a.push_back(ok(
            r#"{"GroupConfiguration":{"Configuration":[],"Status":"UPDATE_COMPLETE"}}"#,
        ));
    }
    block_on(client(&t).update(&base, &new)).unwrap();
    assert_eq!(*t.sleeps.borrow(), [500, 1000]);
    let urls: Vec<String> = t.sent.borrow().iter().map(|r| r.url.clone()).collect();
    assert!(urls[0].ends_with("/put-group-configuration"));
    assert!(urls[1..]
        .iter()
        .all(|u| u.ends_with("/get-group-configuration")));

    let t = Scripted::default();
    {
        let mut a = t.answers.borrow_mut();
        a.push_back(ok(""));
        a.push_back(ok(r#"{"GroupConfiguration":{"Status":"UPDATE_FAILED","FailureReason":"The group still has hosts allocated in 'us-east-1a'"}}"#));
    }
    let e = block_on(client(&t).update(&base, &new)).unwrap_err();
    match e {
        RemoteError::Rejected(m) => {
            assert!(
                m.contains("not applied") && m.contains("hosts allocated"),
                "{m}"
            );
            assert!(!m.contains("us-east-1a"), "quoted text is taken out: {m}");
        }
        other => panic!("{other:?}"),
    }

    // A backend that never says (moto): done after one check.
    let t = Scripted::default();
    {
        let mut a = t.answers.borrow_mut();
        a.push_back(ok(r#"{"GroupConfiguration":{"Configuration":[]}}"#));
        a.push_back(ok(r#"{"GroupConfiguration":{"Configuration":null}}"#));
    }
    block_on(client(&t).update(&base, &new)).unwrap();
    assert!(t.sleeps.borrow().is_empty());
    assert_eq!(t.sent.borrow().len(), 2);
}

/// moto answers GetGroupQuery for a configuration group with a null query (AWS refuses the
/// call): the group is read through GetGroupConfiguration all the same, AppRegistry's
/// capitalised parameter names and the AWS-reserved name prefix included.
#[test]
fn a_null_query_is_no_query() {
    let t = Scripted::default();
    let name = "AWS_AppRegistry_Application-shop";
    let arn = format!("arn:aws:resource-groups:eu-west-1:000000000000:group/{name}");
    {
        let mut a = t.answers.borrow_mut();
        a.push_back(ok(&format!(
            r#"{{"Group":{{"GroupArn":"{arn}","Name":"{name}","Description":""}}}}"#
        )));
        a.push_back(ok(&format!(
            r#"{{"GroupQuery":{{"GroupName":"{name}","ResourceQuery":null}}}}"#
        )));
        a.push_back(ok(&format!(r#"{{"Arn":"{arn}","Tags":{{}}}}"#)));
        a.push_back(ok(r#"{"GroupConfiguration":{"Configuration":[{"Type":"AWS::AppRegistry::Application","Parameters":[{"Name":"Name","Values":["shop"]},{"Name":"Arn","Values":["arn:aws:servicecatalog:us-east-1:123456789012:/applications/0abc123def456ghi789jkl"]}]}]}}"#));
    }
    let f = block_on(client(&t).fetch(name)).unwrap().unwrap();
    let g = f.group.unwrap();
    assert!(matches!(
        g.spec,
        group_console::model::GroupSpec::Configuration(_)
    ));
}

/// A filtered listing sends ListGroups' `Filters` in the body (paging stays in the query
/// string), and what a backend that ignored them answers is filtered again by what the list
/// says.
#[test]
fn a_filtered_listing_sends_the_filters_and_trusts_no_backend_to_honour_them() {
    use group_console::model::group_filters::{FilterName, GroupFilters};
    let t = Scripted::default();
    let arn = |n: &str| format!("arn:aws:resource-groups:eu-west-1:000000000000:group/{n}");
    t.answers.borrow_mut().push_back(ok(&format!(
        r#"{{"Groups":[{{"GroupArn":"{}","Name":"web","Owner":"team-web"}},{{"GroupArn":"{}","Name":"db","Owner":"team-db"}}]}}"#,
        arn("web"),
        arn("db")
    )));
    let mut f = GroupFilters::default();
    f.set(FilterName::Owner, "team-web");
    let listed = block_on(client(&t).list_filtered(&f)).unwrap();
    assert_eq!(
        listed.iter().map(|l| l.name.as_str()).collect::<Vec<_>>(),
        ["web"]
    );
    let sent = t.sent.borrow();
    assert!(sent[0].url.ends_with("/groups-list?maxResults=50"));
    assert_eq!(
        sent[0].body.as_deref(),
        Some(r#"{"Filters":[{"Name":"owner","Values":["team-web"]}]}"#)
    );
}

/// Static membership: 23 ARNs go out in batches of 10, 10 and 3; a pending one is asked
/// for with ListGroupingStatuses until it is done; failures keep the backend's (cleaned)
/// reason; a backend without the operation (moto: an HTML 404) is "not supported".
#[test]
fn resources_join_a_static_group_in_batches_of_ten_and_pending_ones_are_followed() {
    use group_console::sync::api::GroupingAction;
    let arns: Vec<String> = (0..23)
        .map(|i| format!("arn:aws:ec2:us-east-1:123456789012:dedicated-host/h-{i:017}"))
        .collect();
    let t = Scripted::default();
    {
        let mut a = t.answers.borrow_mut();
        a.push_back(ok(&format!(
            r#"{{"Succeeded":{},"Failed":[],"Pending":[]}}"#,
            serde_json::to_string(&arns[0..10]).unwrap()
        )));
        a.push_back(ok(&format!(
            r#"{{"Succeeded":{},"Failed":[{{"ResourceArn":"{}","ErrorCode":"InvalidResource","ErrorMessage":"Host 'h-1' is not in this account"}}],"Pending":[]}}"#,
            serde_json::to_string(&arns[10..19]).unwrap(),
            arns[19]
        )));
        a.push_back(ok(&format!(
            r#"{{"Succeeded":["{}","{}"],"Pending":[{{"ResourceArn":"{}"}}]}}"#,
            arns[20], arns[21], arns[22]
        )));
        a.push_back(ok(&format!(
            r#"{{"GroupingStatuses":[{{"ResourceArn":"{}","Action":"GROUP","Status":"IN_PROGRESS"}}]}}"#,
            arns[22]
        )));
        // The second check's answer comes on its second page.
        a.push_back(ok(r#"{"GroupingStatuses":[],"NextToken":"p/2"}"#));
        a.push_back(ok(&format!(
            r#"{{"GroupingStatuses":[{{"ResourceArn":"{}","Action":"GROUP","Status":"SUCCESS"}}]}}"#,
            arns[22]
        )));
    }
    let g = block_on(client(&t).set_membership("hosts", &arns, GroupingAction::Group)).unwrap();
    assert_eq!(g.succeeded.len(), 22);
    assert_eq!(g.failed.len(), 1);
    assert_eq!(g.failed[0].0, arns[19]);
    assert!(!g.failed[0].1.contains("h-1"), "{}", g.failed[0].1);
    assert!(g.pending.is_empty());
    let sent = t.sent.borrow();
    let sizes: Vec<usize> = sent[0..3]
        .iter()
        .map(|r| {
            let v: serde_json::Value = serde_json::from_str(r.body.as_deref().unwrap()).unwrap();
            v["ResourceArns"].as_array().unwrap().len()
        })
        .collect();
    assert_eq!(sizes, [10, 10, 3]);
    assert!(sent[3].url.ends_with("/list-grouping-statuses"));
    let page2: serde_json::Value = serde_json::from_str(sent[5].body.as_deref().unwrap()).unwrap();
    assert_eq!(page2["NextToken"], "p/2");
    assert_eq!(sent.len(), 6);
    drop(sent);
    assert_eq!(*t.sleeps.borrow(), [500, 1000]);

    let t = Scripted::default();
    t.answers
        .borrow_mut()
        .push_back(err(404, "", "<!doctype html><title>404 Not Found</title>"));
    let e = block_on(client(&t).set_membership("hosts", &arns[0..1], GroupingAction::Ungroup))
        .unwrap_err();
    assert_eq!(e, RemoteError::NotSupported("UngroupResources"));
}

/// A backend that does not keep the labels (stock moto answers UpdateGroup with a `Group`
/// without them) is refused in plain words instead of being taken at its word: otherwise the
/// next pull would read "not set" and clear them here.
#[test]
fn a_backend_that_drops_the_labels_is_refused_not_believed() {
    let t = Scripted::default();
    let base = Group::new("web", ResourceQuery::tags(vec![]));
    let mut new = base.clone();
    new.owner = "team-web".into();
    t.answers.borrow_mut().push_back(ok(
        r#"{"Group":{"GroupArn":"arn:aws:resource-groups:eu-west-1:000000000000:group/web","Name":"web","Description":""}}"#,
    ));
    match block_on(client(&t).update(&base, &new)) {
        Err(RemoteError::Rejected(m)) => assert!(m.contains("does not keep"), "{m}"),
        other => panic!("{other:?}"),
    }
    // One that echoes them is fine, and so is one that answers without a group.
    t.answers.borrow_mut().push_back(ok(
        r#"{"Group":{"GroupArn":"arn:aws:resource-groups:eu-west-1:000000000000:group/web","Name":"web","Owner":"team-web"}}"#,
    ));
    block_on(client(&t).update(&base, &new)).unwrap();
    t.answers.borrow_mut().push_back(ok("{}"));
    block_on(client(&t).update(&base, &new)).unwrap();
    // CreateGroup likewise, and the group it made is deleted again: the next run would
    // otherwise find it without labels and report a conflict nobody made.
    t.answers.borrow_mut().push_back(ok(
        r#"{"Group":{"GroupArn":"arn:aws:resource-groups:eu-west-1:000000000000:group/web","Name":"web"}}"#,
    ));
    t.answers.borrow_mut().push_back(ok("{}"));
    assert!(matches!(
        block_on(client(&t).create(&new)),
        Err(RemoteError::Rejected(_))
    ));
    let sent = t.sent.borrow();
    assert!(sent[sent.len() - 2].url.ends_with("/groups"));
    assert!(sent[sent.len() - 1].url.ends_with("/delete-group"));
}

/// A group Network Firewall rule groups reference has a tag query *and* an
/// `AWS::NetworkFirewall::RuleGroup` configuration. The second ListGroups (filtered by that
/// configuration type) says which groups need GetGroupConfiguration; the others skip it.
#[test]
fn a_query_group_with_a_configuration_beside_it_keeps_both() {
    let t = Scripted::default();
    let arn = |n: &str| format!("arn:aws:resource-groups:eu-west-1:000000000000:group/{n}");
    let query = r#"{"GroupQuery":{"GroupName":"G","ResourceQuery":{"Type":"TAG_FILTERS_1_0","Query":"{\"ResourceTypeFilters\":[\"AWS::EC2::Instance\"],\"TagFilters\":[{\"Key\":\"ファイアウォール\",\"Values\":[\"許可\"]}]}"}}}"#;
    {
        let mut a = t.answers.borrow_mut();
        a.push_back(ok(&format!(
            r#"{{"GroupIdentifiers":[{{"GroupName":"web","GroupArn":"{}"}},{{"GroupName":"fw","GroupArn":"{}"}}]}}"#,
            arn("web"),
            arn("fw")
        )));
        a.push_back(ok(&format!(
            r#"{{"GroupIdentifiers":[{{"GroupName":"fw","GroupArn":"{}"}}]}}"#,
            arn("fw")
        )));
    }
    let c = client(&t);
    let listed = block_on(c.list()).unwrap();
    assert_eq!(
        listed
            .iter()
            .map(|l| (l.name.as_str(), l.query_only))
            .collect::<Vec<_>>(),
        [("fw", false), ("web", true)]
    );
    assert_eq!(
        t.sent.borrow()[1].body.as_deref(),
        Some(
            r#"{"Filters":[{"Name":"configuration-type","Values":["AWS::NetworkFirewall::RuleGroup"]}]}"#
        )
    );
    // web: GetGroup, GetGroupQuery, GetTags — no GetGroupConfiguration.
    {
        let mut a = t.answers.borrow_mut();
        a.push_back(ok(&format!(
            r#"{{"Group":{{"GroupArn":"{}","Name":"web"}}}}"#,
            arn("web")
        )));
        a.push_back(ok(&query.replace("\"G\"", "\"web\"")));
        a.push_back(ok(&format!(r#"{{"Arn":"{}","Tags":{{}}}}"#, arn("web"))));
    }
    let web = listed.iter().find(|l| l.name == "web").unwrap();
    let g = block_on(c.fetch_listed(web))
        .unwrap()
        .unwrap()
        .group
        .unwrap();
    assert!(matches!(g.spec, group_console::model::GroupSpec::Query(_)));
    assert_eq!(t.sent.borrow().len(), 5);
    // fw: the configuration is read with the query, and both are kept.
    {
        let mut a = t.answers.borrow_mut();
        a.push_back(ok(&format!(
            r#"{{"Group":{{"GroupArn":"{}","Name":"fw"}}}}"#,
            arn("fw")
        )));
        a.push_back(ok(&query.replace("\"G\"", "\"fw\"")));
        a.push_back(ok(&format!(r#"{{"Arn":"{}","Tags":{{}}}}"#, arn("fw"))));
        a.push_back(ok(r#"{"GroupConfiguration":{"Configuration":[{"Type":"AWS::NetworkFirewall::RuleGroup","Parameters":[]}],"Status":"UPDATE_COMPLETE"}}"#));
    }
    let fw = listed.iter().find(|l| l.name == "fw").unwrap();
    let g = block_on(c.fetch_listed(fw))
        .unwrap()
        .unwrap()
        .group
        .unwrap();
    let group_console::model::GroupSpec::QueryAndConfiguration(q, items) = &g.spec else {
        panic!("expected a query and a configuration, got {:?}", g.spec);
    };
    assert_eq!(q.resource_types(), ["AWS::EC2::Instance"]);
    assert_eq!(items[0].kind, "AWS::NetworkFirewall::RuleGroup");
    assert!(t.sent.borrow()[8].url.ends_with("/get-group-configuration"));

    // A query edit sends UpdateGroupQuery only: the configuration is not sent again.
    let mut edited = g.clone();
    edited.spec = g.spec.with_query(ResourceQuery::tags(vec![TagFilter {
        key: "ファイアウォール".into(),
        values: vec!["拒否".into()],
    }]));
    assert_eq!(edited.spec.configuration(), g.spec.configuration());
    t.answers.borrow_mut().push_back(ok("{}"));
    block_on(c.update(&g, &edited)).unwrap();
    let sent = t.sent.borrow();
    assert_eq!(sent.len(), 10);
    assert!(sent[9].url.ends_with("/update-group-query"));
}

/// A backend that ignores the filter (moto 5.2.5) names every group in the second listing:
/// every group is then read with its configuration, never one lost. One that refuses the
/// filter gets the same.
#[test]
fn a_backend_that_ignores_or_refuses_the_configuration_filter_reads_every_configuration() {
    let all = r#"{"GroupIdentifiers":[{"GroupName":"a"},{"GroupName":"b"}]}"#;
    let t = Scripted::default();
    t.answers.borrow_mut().push_back(ok(all));
    t.answers.borrow_mut().push_back(ok(all));
    let listed = block_on(client(&t).list()).unwrap();
    assert!(listed.iter().all(|l| !l.query_only));
    let t = Scripted::default();
    t.answers.borrow_mut().push_back(ok(all));
    t.answers.borrow_mut().push_back(err(
        400,
        "BadRequestException",
        r#"{"Message":"Filters are not supported"}"#,
    ));
    let listed = block_on(client(&t).list()).unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().all(|l| !l.query_only));
}

/// A configuration the backend sends in a shape we cannot read refuses that group, with the
/// reason, instead of failing the pull or keeping the group without it.
#[test]
fn an_unreadable_configuration_refuses_the_group_not_the_pull() {
    let t = Scripted::default();
    let arn = "arn:aws:resource-groups:eu-west-1:000000000000:group/fw";
    {
        let mut a = t.answers.borrow_mut();
        a.push_back(ok(&format!(
            r#"{{"Group":{{"GroupArn":"{arn}","Name":"fw"}}}}"#
        )));
        a.push_back(ok(r#"{"GroupQuery":{"GroupName":"fw","ResourceQuery":{"Type":"TAG_FILTERS_1_0","Query":"{\"ResourceTypeFilters\":[\"AWS::AllSupported\"],\"TagFilters\":[{\"Key\":\"Zone\",\"Values\":[\"北\"]}]}"}}}"#));
        a.push_back(ok(&format!(r#"{{"Arn":"{arn}","Tags":{{}}}}"#)));
        a.push_back(ok(
            r#"{"GroupConfiguration":{"Configuration":"AWS::NetworkFirewall::RuleGroup"}}"#,
        ));
    }
    let f = block_on(client(&t).fetch("fw")).unwrap().unwrap();
    let why = f.group.unwrap_err();
    assert!(why.contains("configuration cannot be read"), "{why}");
}
