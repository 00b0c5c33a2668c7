//! Real data through the real entry points: the fixtures in tests/fixtures/ are what AWS answers
//! (made with moto and boto3 by tests/fixtures/make_fixtures.py, printed the way the AWS CLI
//! prints them), with the tags real accounts have: 環境 = 本番, Café, Größe, Propriétaire, Hebrew
//! and Arabic keys and values, values with spaces, and CloudFormation's aws:cloudformation:* tags.
//!
//! The fixtures' instance and stack IDs change each time they are made, so resources are found
//! here by type and tag, never by those IDs.
#![cfg(not(target_arch = "wasm32"))]

use group_console::model::query::{ALL_SUPPORTED, TAG_FILTERS_1_0};
use group_console::model::wire::{
    group_from_responses, GetGroupQueryResponse, GetGroupResponse, GetTagsResponse,
    ListGroupsResponse,
};
use group_console::model::{Inventory, InventoryIndex, Resource, ResourceQuery};
use group_console::store::transfer::{export_groups, preview_import};

const GET_RESOURCES: &str = include_str!("fixtures/get-resources.json");
const GET_GROUP: &str = include_str!("fixtures/get-group.json");
const GET_TAGS: &str = include_str!("fixtures/get-tags.json");
const GET_GROUP_QUERY: &str = include_str!("fixtures/get-group-query.json");
const LIST_GROUPS: &str = include_str!("fixtures/list-groups.json");

fn inventory() -> Vec<Resource> {
    let report = Inventory::import_get_resources_json(GET_RESOURCES).expect("the fixture is read");
    assert!(
        report.rejected.is_empty(),
        "every real resource is taken: {:?}",
        report.rejected
    );
    report.resources
}

/// The one resource of `resource_type` that has the tag `key` = `value`.
fn find<'a>(
    resources: &'a [Resource],
    resource_type: &str,
    key: &str,
    value: &str,
) -> &'a Resource {
    let found: Vec<&Resource> = resources
        .iter()
        .filter(|r| r.resource_type == resource_type && r.tag(key) == Some(value))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "{resource_type} with {key}={value}: {found:?}"
    );
    found[0]
}

fn count_of(resources: &[Resource], resource_type: &str) -> usize {
    resources
        .iter()
        .filter(|r| r.resource_type == resource_type)
        .count()
}

#[test]
fn get_resources_takes_every_resource_with_its_tags_intact() {
    let resources = inventory();
    assert_eq!(resources.len(), 7);
    assert_eq!(count_of(&resources, "AWS::EC2::Instance"), 2);
    assert_eq!(count_of(&resources, "AWS::S3::Bucket"), 2);
    assert_eq!(count_of(&resources, "AWS::SQS::Queue"), 2);
    assert_eq!(count_of(&resources, "AWS::CloudFormation::Stack"), 1);
    let tags: usize = resources.iter().map(|r| r.tags.len()).sum();
    assert_eq!(tags, 17);

    let bucket = find(&resources, "AWS::S3::Bucket", "Café", "Crème brûlée");
    assert_eq!(bucket.arn, "arn:aws:s3:::cafe-grosse-assets");
    assert_eq!(bucket.tag("Größe"), Some("Groß"));
    assert_eq!(bucket.tag("環境"), Some("本番"));

    let web = find(
        &resources,
        "AWS::EC2::Instance",
        "Name",
        "ウェブ サーバー 1",
    );
    assert_eq!(web.tag("Propriétaire"), Some("Équipe plateforme"));

    let hebrew = find(&resources, "AWS::S3::Bucket", "סביבה", "ייצור");
    assert_eq!(hebrew.tag("בעלים"), Some("צוות תשתיות"));
    let arabic = find(&resources, "AWS::SQS::Queue", "البيئة", "إنتاج");
    assert_eq!(arabic.tag("المالك"), Some("فريق المنصة"));
    let french = find(&resources, "AWS::SQS::Queue", "環境", "開発");
    assert_eq!(french.tag("Propriétaire"), Some("Zoë Lefèvre"));

    // What CloudFormation tags: the stack's own tags, and aws:* tags whose stack-id value is an
    // ARN with the account ID in it (allowed: AWS wrote it, not a person).
    let stacked = find(
        &resources,
        "AWS::EC2::Instance",
        "aws:cloudformation:stack-name",
        "web-stack",
    );
    assert_eq!(stacked.tag("環境"), Some("本番"));
    assert_eq!(stacked.tag("aws:cloudformation:logical-id"), Some("Web"));
    let stack = find(&resources, "AWS::CloudFormation::Stack", "環境", "本番");
    assert_eq!(
        stacked.tag("aws:cloudformation:stack-id"),
        Some(stack.arn.as_str())
    );
}

#[test]
fn real_inventory_survives_export_and_import() {
    let resources = inventory();
    let inv = Inventory {
        resources: resources.clone(),
    };
    let json = Inventory::import_get_resources_json(&inv.to_get_resources_json()).unwrap();
    assert!(json.rejected.is_empty());
    assert_eq!(json.resources, resources);
    // CSV has one column per key, sorted, so each resource's tags come back sorted by key.
    let csv = Inventory::import_csv(&inv.to_csv()).unwrap();
    assert!(csv.rejected.is_empty(), "{:?}", csv.rejected);
    let sorted: Vec<Resource> = resources
        .into_iter()
        .map(|mut r| {
            r.tags.sort();
            r
        })
        .collect();
    assert_eq!(csv.resources, sorted);
}

fn fixture_group() -> group_console::model::Group {
    let get: GetGroupResponse = serde_json::from_str(GET_GROUP).unwrap();
    let tags: GetTagsResponse = serde_json::from_str(GET_TAGS).unwrap();
    let query: GetGroupQueryResponse = serde_json::from_str(GET_GROUP_QUERY).unwrap();
    assert_eq!(query.group_query.resource_query.kind, TAG_FILTERS_1_0);
    group_from_responses(&get, Some(&query), Some(&tags)).expect("the three answers make a group")
}

#[test]
fn a_group_from_get_group_get_tags_and_get_group_query_validates_and_selects() {
    let g = fixture_group();
    assert_eq!(g.name, "production-web");
    assert_eq!(g.description, "Production web tier");
    assert_eq!(g.tags["環境"], "本番");
    assert_eq!(g.tags["Propriétaire"], "Équipe plateforme");
    assert!(g
        .arn
        .as_deref()
        .is_some_and(|a| a.ends_with(":group/production-web")));
    assert_eq!(g.validate(), vec![]);
    let q = g.query().expect("a tag query");
    let ResourceQuery::Tags { tag_filters, .. } = q else {
        panic!("a tag query: {q:?}")
    };
    assert_eq!(q.resource_types(), [ALL_SUPPORTED]);
    assert_eq!(tag_filters[0].key, "環境");
    assert_eq!(tag_filters[0].values, ["本番"]);
    // The query string round-trips byte for byte: what AWS stored is what we would send.
    let query: GetGroupQueryResponse = serde_json::from_str(GET_GROUP_QUERY).unwrap();
    assert_eq!(q.to_query_json(), query.group_query.resource_query.query);

    // 環境=本番: the bucket, the stack, and both instances; the same through the index.
    let resources = inventory();
    let matching = q.matcher().filter(&resources);
    assert_eq!(matching.len(), 4);
    let index = InventoryIndex::build(&resources);
    assert_eq!(index.matcher(q).count(&index), 4);
}

#[test]
fn the_fixture_group_survives_our_export_and_import() {
    let g = fixture_group();
    let preview = preview_import(&export_groups(std::slice::from_ref(&g), true), &[]).unwrap();
    assert!(preview.rejected.is_empty(), "{:?}", preview.rejected);
    assert_eq!(preview.new, [g]);
    // The output of get-group alone is a group without a query: named in the rejection.
    let alone = preview_import(GET_GROUP, &[]).unwrap();
    assert_eq!(alone.rejected.len(), 1);
    assert_eq!(alone.rejected[0].name.as_deref(), Some("production-web"));
}

#[test]
fn list_groups_as_moto_answers() {
    let list: ListGroupsResponse = serde_json::from_str(LIST_GROUPS).unwrap();
    assert_eq!(list.names(), ["production-web"]);
    let summaries = list.summaries();
    assert_eq!(summaries.len(), 1);
    assert_eq!(
        summaries[0].description.as_deref(),
        Some("Production web tier")
    );
    assert_eq!(
        summaries[0].labels, None,
        "stock moto lists none of the new fields"
    );
}

const GET_GROUP_LABELLED: &str = include_str!("fixtures/get-group-labelled.json");
const LIST_GROUPS_LABELLED: &str = include_str!("fixtures/list-groups-labelled.json");

/// An application group as `aws resource-groups get-group` prints it (Criticality, Owner,
/// DisplayName, ApplicationTag), beside its query and tags as our export keeps them: every
/// field is read, shown by the model, written back by the export, and read again the same.
#[test]
fn an_application_group_keeps_every_field_through_import_and_export() {
    let get: serde_json::Value = serde_json::from_str(GET_GROUP_LABELLED).unwrap();
    let query: serde_json::Value = serde_json::from_str(GET_GROUP_QUERY).unwrap();
    let entry = serde_json::json!({
        "Group": get["Group"],
        "GroupQuery": query["GroupQuery"],
        "Tags": {"環境": "本番"},
    });
    let text = serde_json::json!({ "Groups": [entry] }).to_string();
    let preview = preview_import(&text, &[]).unwrap();
    assert!(preview.rejected.is_empty(), "{:?}", preview.rejected);
    let g = &preview.new[0];
    assert_eq!(g.name, "storefront-app");
    assert_eq!(g.display_name, "ストアフロント 本番");
    assert_eq!(g.owner, "Équipe plateforme");
    assert_eq!(g.criticality, Some(2));
    assert_eq!(
        g.application_tag["awsApplication"],
        "arn:aws:resource-groups:ap-northeast-1:123456789012:group/storefront-app/0a1b2c3d4e5f6g7h8i9j0k1l2m"
    );
    assert_eq!(g.shown_name(), "ストアフロント 本番");
    assert!(g.blocking_errors().is_empty(), "{:?}", g.blocking_errors());

    let exported = export_groups(std::slice::from_ref(g), true);
    let written: serde_json::Value = serde_json::from_str(&exported).unwrap();
    // The export's Group is what get-group printed, field for field (the empty description
    // aside: an export leaves an empty one out).
    let mut expected = get["Group"].clone();
    expected.as_object_mut().unwrap().remove("Description");
    assert_eq!(written["Groups"][0]["Group"], expected);
    let again = preview_import(&exported, &[]).unwrap();
    assert_eq!(again.new, preview.new);
}

/// The `Groups` list of a backend that knows the new fields: the list is trusted for them
/// (also the "not set" of a group that has none), and criticality is read as a number.
#[test]
fn list_groups_with_the_new_fields() {
    let list: ListGroupsResponse = serde_json::from_str(LIST_GROUPS_LABELLED).unwrap();
    let s = list.summaries();
    assert_eq!(s.len(), 2);
    let plain = s[0].labels.as_ref().expect("known for the whole page");
    assert_eq!((plain.owner.as_str(), plain.criticality), ("", None));
    let app = s[1].labels.as_ref().unwrap();
    assert_eq!(app.display_name, "ストアフロント 本番");
    assert_eq!(app.owner, "Équipe plateforme");
    assert_eq!(app.criticality, Some(2));
    assert_eq!(app.application_tag.len(), 1);
}

/// A file that leaves the labels out (one from before they existed, or AWS's own shapes
/// without them) keeps the stored ones: an import must not clear what the next sync would then
/// clear on the server. The application tag is never taken from a file for a stored group.
#[test]
fn an_import_without_labels_keeps_the_stored_ones() {
    let mut stored = fixture_group();
    stored.owner = "Équipe plateforme".into();
    stored.display_name = "Web 本番".into();
    stored.criticality = Some(3);
    stored.application_tag.insert(
        "awsApplication".into(),
        "arn:aws:resource-groups:ap-northeast-1:123456789012:group/shop/0a1b2c3d4e5f6g7h8i9j0k1l2m"
            .into(),
    );
    let mut plain = fixture_group();
    plain.description = stored.description.clone();
    let file = export_groups(std::slice::from_ref(&plain), true);
    let preview = preview_import(&file, std::slice::from_ref(&stored)).unwrap();
    assert!(preview.rejected.is_empty(), "{:?}", preview.rejected);
    assert!(
        preview.changed.is_empty() && preview.new.is_empty(),
        "nothing changes: {:?}",
        preview.changed
    );
    assert_eq!(preview.unchanged, [stored.name.clone()]);
}

/// A shared export leaves out an owner that is a person's email address, as it leaves out
/// descriptions; a team name stays.
#[test]
fn a_shared_export_leaves_out_a_personal_owner() {
    use group_console::store::share::export_shared;
    let mut a = fixture_group();
    a.owner = "zoë.lefèvre@example.com".into();
    let mut b = fixture_group();
    b.name = "team-owned".into();
    b.owner = "Équipe plateforme".into();
    let shared = export_shared(&[a, b], "e1").unwrap();
    assert!(!shared.json.contains("example.com"));
    assert!(shared.json.contains("Équipe plateforme"));
}
