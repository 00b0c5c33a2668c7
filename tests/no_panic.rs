//! Real data never crashes the app: property tests that feed every entry point that reads text
//! from a person, a file or a server with arbitrary Unicode (CJK, combining marks, emoji and
//! ZWJ sequences, right-to-left text and bidi controls, NUL and control characters, very long
//! strings, lone surrogates turned into text by `String::from_utf16_lossy`), and with *almost
//! valid* documents (get-resources JSON, CSV, group exports, API answers with random tags, random
//! quoting and small corruptions) so the deep paths run, not only the first parse error.
//!
//! Besides "no panic", each property checks what must hold for any input: error positions point
//! into the text, what an import accepts comes back the same after export and import, what the
//! import preview accepts the store accepts, the index agrees with the plain matcher.
//!
//! Cases per property: `NO_PANIC_CASES` (default 256, the whole file in seconds). With the
//! variable set, each property prints how many inputs it tried and the last one to finish the
//! total (scripts/bench.sh runs 100,000 a property in release). Failures are not persisted to a
//! file: each panic found is kept below as a regression test with its shrunk input.
#![cfg(not(target_arch = "wasm32"))]

use std::cell::RefCell;
use std::collections::{BTreeMap, VecDeque};
use std::fmt::Debug;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use futures::executor::block_on;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{json, Value};

use group_console::display::{pieces, split_list};
use group_console::guard::{scan_name, scan_owner, scan_tag, scan_url, Finding, FindingPart};
use group_console::model::error::ValidationProblem;
use group_console::model::group::{
    check_description, check_name, check_tag_key, check_tag_value, check_tags, ConfigurationItem,
    ConfigurationParameter,
};
use group_console::model::inventory::{check_resource_tags, neutralise_formula, restore_formula};
use group_console::model::query::{
    is_resource_type, ALL_SUPPORTED, CLOUDFORMATION_STACK_1_0, TAG_FILTERS_1_0,
};
use group_console::model::tag_plan::{TagCall, TagEdit, TagPlan, ARNS_PER_CALL, TAGS_PER_CALL};
use group_console::model::text::{strip_prefix_ignore_ascii_case, truncate_chars};
use group_console::model::wire::{
    group_from_responses, CreateGroupRequest, CreateGroupResponse, ExportedGroup,
    GetGroupQueryResponse, GetGroupResponse, GetTagsResponse, GroupIdentifier, GroupQuery,
    ListGroupsResponse, WireGroup, WireGroupConfiguration, WireResourceQuery,
};
use group_console::model::{
    Arn, Field, Group, GroupSpec, Inventory, InventoryIndex, Resource, ResourceQuery, TagFilter,
    ValidationError,
};
use group_console::store::load;
use group_console::store::records::{migrate_group_v1_to_v2, GroupRecord};
use group_console::store::transfer::{export_groups, import_batch, preview_import, ImportMode};
use group_console::sync::api::{classify, Client, HttpRequest, HttpResponse, Transport};
use group_console::sync::endpoint::{is_loopback, valid_region, EndpointChoice, REGIONS};
use group_console::sync::engine::{Listed, Remote};
use group_console::sync::sigv4::{uri_encode, Credentials};
use group_console::view::finder::{Filter, FinderMatches, FinderRows, RowFacts};
use group_console::view::resource_table::{ResourceOrder, ResourcePrefs, SortBy};
use group_console::view::table::SortDir;

// --- Running and counting ----------------------------------------------------------------------

/// Every property of this file, by name. A property not listed fails at once, so the summary
/// ("in all") is printed exactly when the last listed property finishes.
const PROPERTIES: &[&str] = &[
    "one_sort_like_std",
    "text_helpers",
    "names_descriptions_and_tags",
    "groups_validate",
    "queries_round_trip",
    "arns_and_resources",
    "get_resources_json",
    "inventory_csv",
    "formula_guard_is_reversible",
    "group_import_preview",
    "wire_decoders",
    "wire_group_from_responses",
    "store_records",
    "endpoints",
    "api_client_answers",
    "display_pieces",
    "guard_scanners",
    "index_agrees_with_matcher",
    "finder_filters",
    "tag_plans",
    "resource_table",
    "audit",
    "share_safely",
    "stored_settings",
    "backup_files",
    "undo_and_restore",
    "vault_records_and_passphrases",
    "service_configurations_filters_and_members",
];

static TRIED: AtomicU64 = AtomicU64::new(0);
static FINISHED: AtomicUsize = AtomicUsize::new(0);

/// `NO_PANIC_CASES` when set (a long run that reports its counts), else `None`.
fn long_run() -> Option<u32> {
    std::env::var("NO_PANIC_CASES").ok()?.parse().ok()
}

/// Runs one property for the configured number of cases; on failure, panics with the shrunk
/// input. Prints counts only in a long run.
fn check<S>(name: &'static str, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S: Strategy,
    S::Value: Debug,
{
    assert!(
        PROPERTIES.contains(&name),
        "{name} is missing from PROPERTIES"
    );
    let config = Config {
        cases: long_run().unwrap_or(256),
        // Regressions live in this file as plain tests (below), not in a side file.
        failure_persistence: None,
        ..Config::default()
    };
    let tried = AtomicU64::new(0);
    let result = TestRunner::new(config).run(&strategy, |input| {
        tried.fetch_add(1, Ordering::Relaxed);
        test(input)
    });
    let n = tried.load(Ordering::Relaxed);
    // Each property adds its count before it counts itself finished (SeqCst keeps that order
    // across threads), so the last to finish sees every count.
    TRIED.fetch_add(n, Ordering::SeqCst);
    let finished = FINISHED.fetch_add(1, Ordering::SeqCst) + 1;
    if long_run().is_some() {
        println!("no_panic: {name}: {n} inputs");
        if finished == PROPERTIES.len() {
            println!(
                "no_panic: {} inputs tried in all ({} properties)",
                TRIED.load(Ordering::SeqCst),
                PROPERTIES.len()
            );
        }
    }
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
}

// --- Text ----------------------------------------------------------------------------------------

/// Pieces real data is made of, and the characters that break naive code: multi-byte
/// characters where a byte index lands inside one, combining marks and ZWJ sequences where a
/// "character" is several, bidi controls, controls, separators, and the ASCII that parsers and
/// spreadsheets give a meaning to.
const PIECES: &[&str] = &[
    "環境",
    "本番",
    "開発",
    "東京",
    "개발",
    "Café",
    "Größe",
    "Propriétaire",
    "ß",
    "İ",
    "ﬁ",
    "Ω",
    "e\u{301}",
    "\u{301}",
    "\u{308}",
    "\u{20DD}",
    "a\u{338}",
    "\u{64B}",
    "👩\u{200D}👩\u{200D}👧",
    "🇯🇵",
    "👍🏽",
    "\u{1F600}",
    "\u{FE0F}",
    "\u{200D}",
    "שלום",
    "סביבה",
    "ייצור",
    "مرحبا",
    "البيئة",
    "إنتاج",
    "\u{202E}",
    "\u{202D}",
    "\u{202A}",
    "\u{202C}",
    "\u{2066}",
    "\u{2067}",
    "\u{2068}",
    "\u{2069}",
    "\u{200E}",
    "\u{200F}",
    "\u{61C}",
    "\0",
    "\u{1}",
    "\u{1B}[31m",
    "\u{7F}",
    "\u{85}",
    "\u{9F}",
    "\u{FEFF}",
    "\u{FFFD}",
    "\u{FFFF}",
    "\u{10FFFF}",
    "\u{E000}",
    "\t",
    "\n",
    "\r",
    "\r\n",
    " ",
    "\u{A0}",
    "\u{3000}",
    "\u{2028}",
    "\u{2029}",
    "\u{200B}",
    ",",
    "\"",
    "'",
    "''",
    "=",
    "+",
    "-",
    "@",
    ":",
    "/",
    "\\",
    "%",
    "%4",
    "%41",
    "?",
    "#",
    "&",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ";",
    "*",
    "_",
    ".",
    "aws:",
    "AWS:",
    "arn:",
    "arn:aws:",
    "::",
    "://",
    "https://",
    "http://",
    "localhost",
    "127.0.0.1",
    "[::1]",
    "123456789012",
    "4111 1111 1111 1111",
    "１２３",
    "٣",
    "AKIA",
    "AKIAIOSFODNN7EXAMPLE",
    "eyJ",
    "DE89 3704 0044 0532 0130 00",
    "\\ud800",
    "\\u0000",
    "x",
];

fn piece() -> BoxedStrategy<String> {
    prop_oneof![
        6 => select(PIECES).prop_map(str::to_owned),
        2 => any::<char>().prop_map(String::from),
        2 => "[a-zA-Z0-9]{1,8}",
        1 => lossy_utf16(0..8),
    ]
    .boxed()
}

/// UTF-16 with lone surrogates (half the units are drawn from the surrogate range), made text
/// the way a browser API or a Windows file name would: U+FFFD for each unpaired one.
fn lossy_utf16(len: std::ops::Range<usize>) -> BoxedStrategy<String> {
    proptest::collection::vec(prop_oneof![any::<u16>(), 0xD800u16..0xE000], len)
        .prop_map(|units| String::from_utf16_lossy(&units))
        .boxed()
}

/// Arbitrary text: mostly pieces, also whatever proptest makes of `String`, lone surrogates,
/// and long runs that cross every length limit (128, 256, 512, 4096 characters).
fn wild_text() -> BoxedStrategy<String> {
    prop_oneof![
        6 => proptest::collection::vec(piece(), 0..16).prop_map(|p| p.concat()),
        2 => any::<String>(),
        1 => lossy_utf16(0..48),
        1 => (piece(), 100usize..5000).prop_map(|(p, n)| {
            let p = if p.is_empty() { "x".to_owned() } else { p };
            p.chars().cycle().take(n).collect()
        }),
    ]
    .boxed()
}

// Generators of values with a meaning come in two kinds: the *good* ones (what AWS accepts:
// real-world keys, names, ARNs…) and the rest (what must be refused, or anything). The mix
// leans on good values, so that a document of several fields is often entirely valid and the
// code behind validation (index, export, store, sync) runs too, not only the first rejection.

/// Tag keys AWS accepts, as accounts have them; the formula-like ones matter for CSV.
const GOOD_KEYS: &[&str] = &[
    "環境",
    "Café",
    "Größe",
    "Propriétaire",
    "סביבה",
    "בעלים",
    "البيئة",
    "المالك",
    "Name",
    "Stage",
    "Team",
    "Cost Center",
    "-key",
    "=key",
    "@owner",
    "+1",
    " padded ",
    "\u{3000}全角",
    "a:b/c=d+e-f@g",
    "ウェブ",
    "개발팀",
];
/// Tag keys that must be refused (on groups; `aws:` ones are fine on resources), or that break
/// naive CSV.
const BAD_KEYS: &[&str] = &[
    "aws:cloudformation:stack-name",
    "aws:cloudformation:stack-id",
    "AWS:Name",
    "'quoted",
    "👩\u{200D}👩\u{200D}👧",
    "Cafe\u{301}",
    "\u{202E}evil",
    "k,comma",
    "q\"uote",
    "line\nbreak",
    "",
];
/// Tag values AWS accepts.
const GOOD_VALUES: &[&str] = &[
    "本番",
    "開発",
    "ייצור",
    "إنتاج",
    "Crème brûlée",
    "Production web",
    "צוות תשתיות",
    "فريق المنصة",
    "",
    "0",
    "-5",
    "=1+2",
    "@user",
    "+49 30 1234",
    " ",
    "Prod",
    "a b",
    "ウェブ サーバー 1",
];
/// Tag values to refuse, or that only aws: tags may have.
const BAD_VALUES: &[&str] = &[
    "=SUM(A1)",
    "'abc",
    "'-5",
    "\t1",
    "\r1",
    "arn:aws:cloudformation:us-east-1:123456789012:stack/web/abc",
    "4111 1111 1111 1111",
    "123456789012",
    "AKIAIOSFODNN7EXAMPLE",
    "x;y",
];

fn tag_key() -> BoxedStrategy<String> {
    prop_oneof![
        8 => select(GOOD_KEYS).prop_map(str::to_owned),
        3 => "[A-Za-z][A-Za-z0-9 _.:/=+@-]{0,12}",
        1 => select(BAD_KEYS).prop_map(str::to_owned),
        1 => wild_text(),
    ]
    .boxed()
}

fn tag_value() -> BoxedStrategy<String> {
    prop_oneof![
        8 => select(GOOD_VALUES).prop_map(str::to_owned),
        3 => "[A-Za-z0-9 _.:/=+@-]{0,16}",
        1 => select(BAD_VALUES).prop_map(str::to_owned),
        1 => wild_text(),
    ]
    .boxed()
}

/// Tags, now and then around the limit of 50 a group.
fn tag_pairs() -> BoxedStrategy<Vec<(String, String)>> {
    prop_oneof![
        12 => proptest::collection::vec((tag_key(), tag_value()), 0..6),
        1 => proptest::collection::vec((tag_key(), tag_value()), 48..53),
    ]
    .boxed()
}

/// Good ARNs from good parts; broken ones with one bad part or a bad shape; and anything.
fn arn() -> BoxedStrategy<String> {
    let partition = select(&["aws", "aws-cn", "aws-us-gov", "aws-iso-b"][..]);
    let service_kind = select(
        &[
            ("ec2", "instance/"),
            ("ec2", "volume/"),
            ("s3", ""),
            ("sqs", ""),
            ("lambda", "function:"),
            ("dynamodb", "table/"),
            ("cloudformation", "stack/"),
            ("states", "stateMachine:"),
            ("foo-bar", "widget-box/"),
            ("foo", "a.b/"),
        ][..],
    );
    let region = select(
        &[
            "us-east-1",
            "eu-central-2",
            "us-gov-west-1",
            "cn-north-1",
            "",
        ][..],
    );
    let account = select(&["123456789012", "", "aws"][..]);
    let id = prop_oneof![6 => "[a-z0-9-]{1,12}", 1 => piece()];
    let good = (partition, service_kind, region, account, id)
        .prop_map(|(p, (s, k), r, a, id)| format!("arn:{p}:{s}:{r}:{a}:{k}{id}"));
    // One part replaced by a wrong one.
    let bad_part = select(
        &[
            (0, "azure"),
            (0, "aws-"),
            (0, "AWS"),
            (1, "Bad"),
            (1, ""),
            (2, "useast"),
            (2, "us-east-"),
            (2, "ap-😀-1"),
            (3, "1234"),
            (3, "12345678901２"),
            (4, ""),
        ][..],
    );
    let broken = (good.clone(), bad_part).prop_map(|(arn, (i, part))| {
        let mut parts: Vec<&str> = arn.splitn(6, ':').skip(1).collect();
        parts[i] = part;
        format!("arn:{}", parts.join(":"))
    });
    prop_oneof![
        12 => good,
        2 => broken,
        1 => select(&["arn:", "arn:aws", " arn:aws:s3:::x ", "ARN:aws:s3:::x", "arn:aws:s3:::a\nb", "arn:aws:s3:::a\"b,c"][..])
            .prop_map(str::to_owned),
        1 => wild_text(),
    ]
    .boxed()
}

const GOOD_RESOURCE_TYPES: &[&str] = &[
    ALL_SUPPORTED,
    "AWS::EC2::Instance",
    "AWS::S3::Bucket",
    "AWS::SQS::Queue",
    "AWS::CloudFormation::Stack",
    "AWS::FooBar::WidgetBox",
];

fn resource_type() -> BoxedStrategy<String> {
    prop_oneof![
        10 => select(GOOD_RESOURCE_TYPES).prop_map(str::to_owned),
        1 => select(&["EC2", "AWS::環境::X", "AWS::::", ""][..]).prop_map(str::to_owned),
        1 => wild_text(),
    ]
    .boxed()
}

/// The resource types of a query: usually one good one (all supported, or specific types).
fn resource_types() -> BoxedStrategy<Vec<String>> {
    prop_oneof![
        6 => Just(vec![ALL_SUPPORTED.to_owned()]),
        3 => proptest::collection::vec(select(&GOOD_RESOURCE_TYPES[1..]).prop_map(str::to_owned), 1..3),
        1 => proptest::collection::vec(resource_type(), 0..3),
        1 => proptest::collection::vec(select(&GOOD_RESOURCE_TYPES[1..]).prop_map(str::to_owned), 19..22),
    ]
    .boxed()
}

/// Group names, shared with the "existing groups" of import tests so imports hit changes too.
const GOOD_NAMES: &[&str] = &["web", "db", "web-prod_1.0", "Awsome", "production-web"];
const BAD_NAMES: &[&str] = &[
    "AWSGroup",
    "aws-x",
    "prod-123456789012",
    "環境",
    "Café",
    "a b",
    "",
];

fn group_name() -> BoxedStrategy<String> {
    prop_oneof![
        6 => select(GOOD_NAMES).prop_map(str::to_owned),
        4 => "[A-Za-z0-9_.-]{1,24}",
        1 => select(BAD_NAMES).prop_map(str::to_owned),
        1 => Just("n".repeat(129)),
        1 => wild_text(),
    ]
    .boxed()
}

fn description() -> BoxedStrategy<String> {
    prop_oneof![
        8 => "[A-Za-z0-9 ._-]{0,40}",
        // A warning, not an error: the group is still taken.
        1 => Just("Owned by account 123456789012".to_owned()),
        1 => wild_text(),
    ]
    .boxed()
}

fn tag_filter() -> BoxedStrategy<TagFilter> {
    let values = prop_oneof![
        12 => proptest::collection::vec(tag_value(), 0..4),
        1 => proptest::collection::vec(tag_value(), 19..22),
    ];
    (tag_key(), values)
        .prop_map(|(key, values)| TagFilter { key, values })
        .boxed()
}

fn resource_query() -> BoxedStrategy<ResourceQuery> {
    let stack = prop_oneof![
        4 => "[a-z][a-z0-9-]{0,10}".prop_map(|n| Some(format!("arn:aws:cloudformation:us-east-1:123456789012:stack/{n}/1c2fa620-982a-11e3-aff7-50e2416294e0"))),
        1 => proptest::option::of(arn()),
    ];
    prop_oneof![
        6 => (resource_types(), prop_oneof![12 => proptest::collection::vec(tag_filter(), 1..4), 1 => proptest::collection::vec(tag_filter(), 49..52)]).prop_map(
            |(resource_types, tag_filters)| ResourceQuery::Tags { resource_types, tag_filters }
        ),
        1 => proptest::collection::vec(tag_filter(), 0..2).prop_map(|f| ResourceQuery::Tags { resource_types: Vec::new(), tag_filters: f }),
        2 => (resource_types(), stack).prop_map(|(resource_types, stack_identifier)| {
            ResourceQuery::Stack { resource_types, stack_identifier }
        }),
    ]
    .boxed()
}

fn configuration_item() -> BoxedStrategy<ConfigurationItem> {
    let kind = prop_oneof![
        3 => select(&["AWS::EC2::CapacityReservationPool", "AWS::ResourceGroups::Generic", "AWS::EC2::HostManagement", "AWS::AppRegistry::Application"][..])
            .prop_map(str::to_owned),
        1 => wild_text(),
    ];
    let parameter = (
        prop_oneof![
            3 => select(&["allowed-resource-types", "deletion-protection", "auto-allocate-host", "allowed-host-families", "any-host-based-license-configuration", "allowed-host-based-license-configurations", "Name", "Arn"][..]).prop_map(str::to_owned),
            1 => wild_text(),
        ],
        proptest::collection::vec(resource_type(), 0..3),
    )
        .prop_map(|(name, values)| ConfigurationParameter { name, values });
    (kind, proptest::collection::vec(parameter, 0..2))
        .prop_map(|(kind, parameters)| ConfigurationItem { kind, parameters })
        .boxed()
}

fn group() -> BoxedStrategy<Group> {
    let spec = prop_oneof![
        6 => resource_query().prop_map(GroupSpec::Query),
        1 => proptest::collection::vec(configuration_item(), 0..4).prop_map(GroupSpec::Configuration),
        1 => (resource_query(), proptest::collection::vec(configuration_item(), 1..3))
            .prop_map(|(q, c)| GroupSpec::QueryAndConfiguration(q, c)),
    ];
    let arn = proptest::option::of(prop_oneof![
        3 => group_name().prop_map(|n| format!("arn:aws:resource-groups:us-east-1:123456789012:group/{n}")),
        1 => wild_text(),
    ]);
    // Display name and owner: tag-value text (what they allow) or anything at all; a
    // criticality in range or not (the model takes u8, the wire any integer).
    let label = || prop_oneof![3 => Just(String::new()), 3 => tag_value(), 1 => wild_text()];
    let labels = (
        label(),
        label(),
        proptest::option::of(0u8..=12),
        proptest::collection::btree_map(
            prop_oneof![3 => Just("awsApplication".to_owned()), 1 => tag_key()],
            prop_oneof![
                3 => group_name().prop_map(|n| format!("arn:aws:resource-groups:us-east-1:123456789012:group/{n}/0a1b2c3d4e5f6g7h8i9j0k1l2m")),
                1 => wild_text(),
            ],
            0..2,
        ),
    );
    (group_name(), description(), tag_pairs(), spec, arn, labels)
        .prop_map(
            |(
                name,
                description,
                tags,
                spec,
                arn,
                (display_name, owner, criticality, application_tag),
            )| Group {
                name,
                description,
                spec,
                tags: tags.into_iter().collect(),
                arn,
                display_name,
                owner,
                criticality,
                application_tag,
                created_at: 0,
                updated_at: 0,
            },
        )
        .boxed()
}

// --- Almost valid documents --------------------------------------------------------------------

/// The field names of every document read here: random JSON made of them reaches the decoders'
/// inner fields instead of failing on the first unknown one.
const WIRE_KEYS: &[&str] = &[
    "Group",
    "GroupArn",
    "Name",
    "Description",
    "GroupQuery",
    "GroupName",
    "ResourceQuery",
    "Type",
    "Query",
    "Tags",
    "Arn",
    "GroupIdentifiers",
    "Groups",
    "NextToken",
    "GroupConfiguration",
    "Configuration",
    "Parameters",
    "Values",
    "Status",
    "FailureReason",
    "Key",
    "Value",
    "ResourceTagMappingList",
    "ResourceARN",
    "PaginationToken",
    "ResourceTypeFilters",
    "TagFilters",
    "StackIdentifier",
    "Resources",
    "Identifier",
    "ResourceArn",
    "__type",
    "code",
    "message",
    "Message",
    "name",
    "description",
    "query",
    "configuration",
    "tags",
    "arn",
    "createdAt",
    "updatedAt",
    "queryType",
];

fn json_string() -> BoxedStrategy<String> {
    prop_oneof![
        2 => select(WIRE_KEYS).prop_map(str::to_owned),
        2 => tag_value(),
        1 => arn(),
        1 => Just(TAG_FILTERS_1_0.to_owned()),
        1 => Just(CLOUDFORMATION_STACK_1_0.to_owned()),
    ]
    .boxed()
}

fn json_leaf() -> BoxedStrategy<Value> {
    prop_oneof![
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::from),
        1 => any::<i64>().prop_map(Value::from),
        1 => any::<f64>().prop_map(|f| json!(f)),
        4 => json_string().prop_map(Value::from),
    ]
    .boxed()
}

fn json_key() -> BoxedStrategy<String> {
    prop_oneof![6 => select(WIRE_KEYS).prop_map(str::to_owned), 1 => wild_text()].boxed()
}

/// Random JSON, keys mostly from the wire vocabulary.
fn json_value() -> BoxedStrategy<Value> {
    json_leaf()
        .prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                proptest::collection::vec((json_key(), inner), 0..5)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
        .boxed()
}

/// A small corruption of a document: cut short, something inserted, something removed. Char
/// positions, so the result is still text (corruptions of bytes are `from_utf16_lossy`'s job).
#[derive(Clone, Debug)]
enum Mutation {
    None,
    Truncate(usize),
    Insert(usize, String),
    Delete(usize, usize),
}

fn mutation() -> BoxedStrategy<Mutation> {
    let junk = prop_oneof![
        3 => select(&["\\ud800", "\\udc00\\ud800", "\\u0000", "\"", "\\", "}", "]", ",", ":", "{", "[", "null", "1e999", "-", "\0", "\u{feff}", "'", "\n", "\r", "\"\""][..])
            .prop_map(str::to_owned),
        1 => piece(),
    ];
    prop_oneof![
        6 => Just(Mutation::None),
        1 => any::<usize>().prop_map(Mutation::Truncate),
        2 => (any::<usize>(), junk).prop_map(|(at, s)| Mutation::Insert(at, s)),
        1 => (any::<usize>(), 1usize..4).prop_map(|(at, n)| Mutation::Delete(at, n)),
    ]
    .boxed()
}

fn mutate(text: &str, m: &Mutation) -> String {
    let chars: Vec<char> = text.chars().collect();
    let at = |i: usize| i % (chars.len() + 1);
    match m {
        Mutation::None => text.to_owned(),
        Mutation::Truncate(i) => chars[..at(*i)].iter().collect(),
        Mutation::Insert(i, s) => {
            let i = at(*i);
            chars[..i]
                .iter()
                .copied()
                .chain(s.chars())
                .chain(chars[i..].iter().copied())
                .collect()
        }
        Mutation::Delete(i, n) => {
            let i = at(*i);
            let end = (i + n).min(chars.len());
            chars[..i].iter().chain(&chars[end..]).collect()
        }
    }
}

/// A document as text: compact or pretty, corrupted or not; `true` when left intact.
fn document(doc: BoxedStrategy<Value>) -> BoxedStrategy<(String, Value, bool)> {
    (doc, any::<bool>(), mutation())
        .prop_map(|(v, pretty, m)| {
            let text = if pretty {
                serde_json::to_string_pretty(&v).unwrap()
            } else {
                v.to_string()
            };
            let intact = matches!(m, Mutation::None);
            (mutate(&text, &m), v, intact)
        })
        .boxed()
}

fn tag_json() -> BoxedStrategy<Value> {
    prop_oneof![
        20 => (tag_key(), tag_value()).prop_map(|(k, v)| json!({"Key": k, "Value": v})),
        1 => tag_key().prop_map(|k| json!({"Key": k})),
        1 => tag_value().prop_map(|v| json!({"Value": v})),
        1 => (tag_key(), json_leaf()).prop_map(|(k, v)| json!({"Key": k, "Value": v})),
        1 => json_value(),
    ]
    .boxed()
}

/// One entry of `ResourceTagMappingList`.
fn mapping_json() -> BoxedStrategy<Value> {
    prop_oneof![
        10 => (arn(), proptest::collection::vec(tag_json(), 0..4), any::<bool>()).prop_map(
            |(arn, tags, compliance)| {
                let mut m = json!({"ResourceARN": arn, "Tags": tags});
                if compliance {
                    m["ComplianceDetails"] = json!({"NoncompliantKeys": [], "KeysWithNoncompliantValues": [], "ComplianceStatus": true});
                }
                m
            }
        ),
        1 => arn().prop_map(|a| json!({"ResourceARN": a})),
        1 => proptest::collection::vec(tag_json(), 0..3).prop_map(|t| json!({"Tags": t})),
        1 => json_value(),
    ]
    .boxed()
}

/// What `aws resourcegroupstaggingapi get-resources` prints, more or less.
fn get_resources_doc() -> BoxedStrategy<Value> {
    let token = prop_oneof![
        4 => Just(json!("")),
        1 => Just(json!("token")),
        1 => Just(Value::Null),
        1 => json_leaf(),
    ];
    prop_oneof![
        8 => (proptest::collection::vec(mapping_json(), 0..8), token).prop_map(|(list, token)| {
            json!({"PaginationToken": token, "ResourceTagMappingList": list})
        }),
        2 => proptest::collection::vec(mapping_json(), 0..8)
            .prop_map(|list| json!({"ResourceTagMappingList": list})),
        1 => json_value().prop_map(|v| json!({"ResourceTagMappingList": v})),
        1 => json_value(),
        // Deep nesting: serde_json stops at its recursion limit instead of the stack.
        1 => (1usize..400).prop_map(|depth| {
            let mut v = json!([]);
            for _ in 0..depth {
                v = json!([v]);
            }
            json!({"ResourceTagMappingList": v})
        }),
    ]
    .boxed()
}

/// The `Query` string of a resource query: JSON text, usually of the right shape.
fn query_text() -> BoxedStrategy<String> {
    let filter = (tag_key(), proptest::collection::vec(tag_value(), 0..3))
        .prop_map(|(k, v)| json!({"Key": k, "Values": v}));
    let tag_query = (resource_types(), proptest::collection::vec(filter, 0..4))
        .prop_map(|(t, f)| json!({"ResourceTypeFilters": t, "TagFilters": f}));
    let stack_query = (resource_types(), arn())
        .prop_map(|(t, s)| json!({"ResourceTypeFilters": t, "StackIdentifier": s}));
    let doc = prop_oneof![4 => tag_query, 2 => stack_query, 1 => json_value()].boxed();
    prop_oneof![
        6 => document(doc).prop_map(|(text, _, _)| text),
        1 => wild_text(),
    ]
    .boxed()
}

fn query_type() -> BoxedStrategy<String> {
    prop_oneof![
        4 => Just(TAG_FILTERS_1_0.to_owned()),
        2 => Just(CLOUDFORMATION_STACK_1_0.to_owned()),
        1 => wild_text(),
    ]
    .boxed()
}

/// `ResourceQuery` on the wire: mostly a query of ours as AWS stores it, else any type and text.
fn wire_query_json() -> BoxedStrategy<Value> {
    prop_oneof![
        3 => resource_query().prop_map(|q| json!({"Type": q.type_name(), "Query": q.to_query_json()})),
        1 => (query_type(), query_text()).prop_map(|(t, q)| json!({"Type": t, "Query": q})),
    ]
    .boxed()
}

fn wire_group_json() -> BoxedStrategy<Value> {
    (
        group_name(),
        proptest::option::of(arn()),
        proptest::option::of(description()),
        any::<bool>(),
    )
        .prop_map(|(name, arn, description, extra)| {
            let mut g = json!({"Name": name});
            if let Some(a) = arn {
                g["GroupArn"] = json!(a);
            }
            if let Some(d) = description {
                g["Description"] = json!(d);
            }
            if extra {
                // Fields newer API versions send: ignored.
                g["Criticality"] = json!(1);
                g["Owner"] = json!("team");
            }
            g
        })
        .boxed()
}

fn tags_map_json() -> BoxedStrategy<Value> {
    tag_pairs()
        .prop_map(|pairs| Value::Object(pairs.into_iter().map(|(k, v)| (k, json!(v))).collect()))
        .boxed()
}

fn configuration_json() -> BoxedStrategy<Value> {
    prop_oneof![
        4 => proptest::collection::vec(configuration_item(), 0..3).prop_map(|c| json!(c)),
        1 => json_value(),
    ]
    .boxed()
}

/// One entry of our groups export: the three CLI outputs side by side.
fn exported_group_json() -> BoxedStrategy<Value> {
    (
        wire_group_json(),
        prop_oneof![6 => wire_query_json().prop_map(Some), 1 => Just(None)],
        proptest::option::weighted(0.2, configuration_json()),
        proptest::option::weighted(0.8, tags_map_json()),
    )
        .prop_map(|(group, query, configuration, tags)| {
            let mut e = json!({"Group": group});
            if let Some(q) = query {
                e["GroupQuery"] = json!({"GroupName": group["Name"], "ResourceQuery": q});
            }
            if let Some(c) = configuration {
                e["GroupConfiguration"] = json!({"Configuration": c, "Status": "UPDATE_COMPLETE"});
            }
            if let Some(t) = tags {
                e["Tags"] = t;
            }
            e
        })
        .boxed()
}

/// The documents the groups import reads: our export, a list of entries, one entry, or
/// something else.
fn groups_import_doc() -> BoxedStrategy<Value> {
    let entries = proptest::collection::vec(exported_group_json(), 0..5);
    prop_oneof![
        4 => entries.clone().prop_map(|e| json!({"Groups": e})),
        1 => entries.prop_map(Value::Array),
        2 => exported_group_json(),
        1 => json_value(),
    ]
    .boxed()
}

/// What `get-group` prints.
fn get_group_doc() -> BoxedStrategy<Value> {
    wire_group_json().prop_map(|g| json!({"Group": g})).boxed()
}

/// What `get-group-query` prints.
fn get_group_query_doc() -> BoxedStrategy<Value> {
    (group_name(), wire_query_json())
        .prop_map(|(n, q)| json!({"GroupQuery": {"GroupName": n, "ResourceQuery": q}}))
        .boxed()
}

/// What `get-tags` prints.
fn get_tags_doc() -> BoxedStrategy<Value> {
    (arn(), tags_map_json())
        .prop_map(|(a, t)| json!({"Arn": a, "Tags": t}))
        .boxed()
}

fn next_token() -> BoxedStrategy<Option<String>> {
    proptest::option::of(prop_oneof![Just(String::new()), "[a-z]{1,3}"]).boxed()
}

/// What `list-groups` prints: AWS fills both lists, moto only `Groups`.
fn list_groups_doc() -> BoxedStrategy<Value> {
    let identifier =
        (group_name(), arn(), proptest::option::of(description())).prop_map(|(n, a, d)| match d {
            Some(d) => json!({"GroupName": n, "GroupArn": a, "Description": d}),
            None => json!({"GroupName": n, "GroupArn": a}),
        });
    (
        proptest::collection::vec(identifier, 0..4),
        proptest::collection::vec(wire_group_json(), 0..4),
        next_token(),
    )
        .prop_map(|(ids, groups, token)| {
            json!({"GroupIdentifiers": ids, "Groups": groups, "NextToken": token})
        })
        .boxed()
}

/// What `list-group-resources` prints.
fn group_resources_doc() -> BoxedStrategy<Value> {
    (
        proptest::collection::vec((arn(), resource_type()), 0..4),
        next_token(),
    )
        .prop_map(|(r, token)| {
            let r: Vec<Value> = r
                .into_iter()
                .map(|(a, t)| json!({"Identifier": {"ResourceArn": a, "ResourceType": t}}))
                .collect();
            json!({"Resources": r, "NextToken": token})
        })
        .boxed()
}

/// What `create-group` prints.
fn create_group_doc() -> BoxedStrategy<Value> {
    (wire_group_json(), wire_query_json(), tags_map_json(), configuration_json())
        .prop_map(|(g, q, t, c)| json!({"Group": g, "ResourceQuery": q, "Tags": t, "GroupConfiguration": {"Configuration": c}}))
        .boxed()
}

/// What the Resource Groups API answers, one of each call's shape.
fn wire_doc() -> BoxedStrategy<Value> {
    prop_oneof![
        2 => get_group_doc(),
        2 => get_group_query_doc(),
        2 => get_tags_doc(),
        2 => list_groups_doc(),
        1 => create_group_doc(),
        1 => configuration_json().prop_map(|c| json!({"GroupConfiguration": {"Configuration": c}})),
        1 => group_resources_doc(),
        2 => exported_group_json(),
        1 => (select(&["NotFoundException", "BadRequestException", "ThrottlingException", "com.amazon#AccessDeniedException", ""][..]), wild_text())
            .prop_map(|(code, message)| json!({"__type": code, "message": message})),
        1 => json_value(),
    ]
    .boxed()
}

/// An API answer as text: a wire document (maybe corrupted), an XML error, or anything.
fn wire_text() -> BoxedStrategy<String> {
    prop_oneof![
        8 => document(wire_doc()).prop_map(|(text, _, _)| text),
        1 => (wild_text(), wild_text())
            .prop_map(|(code, message)| format!("<Error><Code>{code}</Code><Message>{message}</Message></Error>")),
        1 => wild_text(),
    ]
    .boxed()
}

// --- Checks shared by properties -----------------------------------------------------------------

/// Every error says something, and its position (a bad character's byte offset, a finding's
/// range) points into one of the texts of its field.
fn check_error(texts: &[String], e: &ValidationError) -> Result<(), TestCaseError> {
    prop_assert!(!e.message.is_empty());
    let _ = (e.to_string(), e.field.label(), e.is_blocking());
    match &e.problem {
        ValidationProblem::BadCharacter { ch, at } => prop_assert!(
            texts
                .iter()
                .any(|t| t.get(*at..).and_then(|s| s.chars().next()) == Some(*ch)),
            "{:?} at {} is not in {:?}",
            ch,
            at,
            texts
        ),
        ValidationProblem::Sensitive { range, .. } => prop_assert!(
            texts.iter().any(|t| t.get(range.clone()).is_some()),
            "{:?} is not in {:?}",
            range,
            texts
        ),
        _ => {}
    }
    Ok(())
}

/// The texts an error of `field` can be about.
fn texts_of(g: &Group, field: &Field) -> Vec<String> {
    let tags: Vec<(&String, &String)> = g.tags.iter().collect();
    let filters = match g.query() {
        Some(ResourceQuery::Tags { tag_filters, .. }) => tag_filters.clone(),
        _ => Vec::new(),
    };
    match field {
        Field::Name => vec![g.name.clone()],
        Field::Description => vec![g.description.clone()],
        Field::TagKey(i) => tags
            .get(*i)
            .map(|(k, _)| vec![(*k).clone()])
            .unwrap_or_default(),
        Field::TagValue(i) => tags
            .get(*i)
            .map(|(_, v)| vec![(*v).clone()])
            .unwrap_or_default(),
        Field::TagFilterKey(i) => filters
            .get(*i)
            .map(|f| vec![f.key.clone()])
            .unwrap_or_default(),
        Field::TagFilterValues(i) => filters
            .get(*i)
            .map(|f| f.values.clone())
            .unwrap_or_default(),
        Field::DisplayName => vec![g.display_name.clone()],
        Field::Owner => vec![g.owner.clone()],
        Field::ApplicationTag => g.application_tag.values().cloned().collect(),
        _ => Vec::new(),
    }
}

fn check_group(g: &Group) -> Result<(), TestCaseError> {
    let errors = g.validate();
    for e in &errors {
        check_error(&texts_of(g, &e.field), e)?;
    }
    let blocking = g.blocking_errors();
    prop_assert!(blocking.len() <= errors.len());
    prop_assert!(blocking.iter().all(ValidationError::is_blocking));
    Ok(())
}

fn check_findings(text: &str, findings: &[Finding]) -> Result<(), TestCaseError> {
    for f in findings {
        prop_assert!(f.range.start < f.range.end, "empty range {:?}", f.range);
        prop_assert!(
            text.get(f.range.clone()).is_some(),
            "{:?} is not in {:?}",
            f.range,
            text
        );
        prop_assert!(!f.message.is_empty());
    }
    Ok(())
}

/// What an import accepted comes back the same after export and import: exactly through
/// get-resources JSON; through CSV with each resource's tags sorted by key (one column per key,
/// sorted, is all CSV can say about order).
fn check_inventory_round_trip(resources: &[Resource]) -> Result<(), TestCaseError> {
    for r in resources {
        prop_assert!(Arn::parse(&r.arn).is_ok());
        prop_assert!(check_resource_tags(&r.tags).is_ok());
    }
    let inv = Inventory {
        resources: resources.to_vec(),
    };
    let json = Inventory::import_get_resources_json(&inv.to_get_resources_json())
        .map_err(|e| TestCaseError::fail(format!("our own JSON is refused: {e}")))?;
    prop_assert!(json.rejected.is_empty(), "{:?}", json.rejected);
    prop_assert_eq!(&json.resources, &inv.resources);
    let csv_text = inv.to_csv();
    let csv = Inventory::import_csv(&csv_text)
        .map_err(|e| TestCaseError::fail(format!("our own CSV is refused: {e}\n{csv_text}")))?;
    prop_assert!(csv.rejected.is_empty(), "{:?}\n{}", csv.rejected, csv_text);
    let sorted: Vec<Resource> = inv
        .resources
        .iter()
        .cloned()
        .map(|mut r| {
            r.tags.sort();
            r
        })
        .collect();
    prop_assert_eq!(csv.resources, sorted, "{}", csv_text);
    Ok(())
}

// --- Properties ----------------------------------------------------------------------------------

/// The app's one sorting routine (`group_console::sort`) gives what the standard stable sort
/// gives, on any text, and never panics.
#[test]
fn one_sort_like_std() {
    check(
        "one_sort_like_std",
        proptest::collection::vec((wild_text(), 0u8..4), 0..60),
        |items| {
            let mut ours = items.clone();
            let mut std_sorted = items.clone();
            group_console::sort::sort_by_key(&mut ours, |(_, n)| *n);
            std_sorted.sort_by_key(|(_, n)| *n);
            prop_assert_eq!(&ours, &std_sorted);
            let mut ours = items.clone();
            let mut std_sorted = items;
            group_console::sort::sort(&mut ours);
            std_sorted.sort();
            prop_assert_eq!(ours, std_sorted);
            Ok(())
        },
    );
}

#[test]
fn text_helpers() {
    check(
        "text_helpers",
        (wild_text(), wild_text(), 0usize..300),
        |(s, prefix, max)| {
            if let Some(rest) = strip_prefix_ignore_ascii_case(&s, &prefix) {
                prop_assert!(s.ends_with(rest));
            }
            let cut = truncate_chars(&s, max);
            prop_assert!(cut.chars().count() <= max + 1);
            for item in split_list(&s) {
                prop_assert!(!item.is_empty() && !item.contains(','));
            }
            Ok(())
        },
    );
}

#[test]
fn names_descriptions_and_tags() {
    let input = (
        wild_text(),
        tag_key(),
        tag_value(),
        tag_pairs(),
        any::<bool>(),
    );
    check(
        "names_descriptions_and_tags",
        input,
        |(text, key, value, pairs, guarded)| {
            let texts = [text.clone()];
            for e in check_name(&text).iter().chain(&check_description(&text)) {
                check_error(&texts, e)?;
            }
            for k in [&text, &key] {
                if let Some(e) = check_tag_key(k, Field::TagKey(0), guarded) {
                    check_error(std::slice::from_ref(k), &e)?;
                }
            }
            for v in [&text, &value] {
                if let Some(e) = check_tag_value(v, Field::TagValue(0)) {
                    check_error(std::slice::from_ref(v), &e)?;
                }
            }
            for e in check_tags(&pairs) {
                let texts: Vec<String> = match e.field {
                    Field::TagKey(i) => vec![pairs[i].0.clone()],
                    Field::TagValue(i) => vec![pairs[i].1.clone()],
                    _ => Vec::new(),
                };
                check_error(&texts, &e)?;
            }
            let _ = check_resource_tags(&pairs);
            Ok(())
        },
    );
}

#[test]
fn groups_validate() {
    check("groups_validate", group(), |g| check_group(&g));
}

#[test]
fn queries_round_trip() {
    let input = (query_type(), query_text(), resource_query());
    check("queries_round_trip", input, |(kind, text, built)| {
        let read = ResourceQuery::from_aws(&kind, &text);
        for q in read.iter().chain(std::iter::once(&built)) {
            for e in q.validate() {
                prop_assert!(!e.message.is_empty());
            }
            let json = q.to_query_json();
            let again = ResourceQuery::from_aws(q.type_name(), &json);
            prop_assert_eq!(again.as_ref(), Ok(q), "{}", json);
            let wire = WireResourceQuery::from(q);
            let back = ResourceQuery::try_from(&wire);
            prop_assert_eq!(back.as_ref(), Ok(q));
            for t in q.resource_types() {
                let _ = is_resource_type(t);
            }
        }
        if let Err(e) = read {
            prop_assert!(!e.to_string().is_empty());
        }
        Ok(())
    });
}

#[test]
fn arns_and_resources() {
    check(
        "arns_and_resources",
        (arn(), resource_type(), tag_pairs(), wild_text()),
        |(text, kind, tags, needle)| {
            match Arn::parse(&text) {
                Ok(a) => {
                    prop_assert_eq!(Arn::parse(&a.to_string()), Ok(a.clone()));
                    prop_assert!(a.resource.starts_with(a.resource_kind()));
                    let t = a.resource_type();
                    prop_assert!(t.starts_with("AWS::"), "{}", t);
                    let r = Resource::new(&text, None, tags.clone());
                    prop_assert!(r.is_ok());
                    let r = Resource::new(&text, Some(&kind), tags).unwrap();
                    let _ = (r.contains_text(&needle), r.tag(&needle));
                    prop_assert!(r.contains_text(""));
                }
                Err(e) => {
                    prop_assert!(!e.to_string().is_empty());
                    prop_assert!(Resource::new(&text, Some(&kind), tags).is_err());
                }
            }
            Ok(())
        },
    );
}

#[test]
fn get_resources_json() {
    check(
        "get_resources_json",
        document(get_resources_doc()),
        |(text, doc, intact)| {
            let Ok(report) = Inventory::import_get_resources_json(&text) else {
                return Ok(());
            };
            // Nothing is dropped silently: each record is taken or named in the report, in order.
            if let (true, Some(list)) = (intact, doc["ResourceTagMappingList"].as_array()) {
                prop_assert_eq!(report.resources.len() + report.rejected.len(), list.len());
            }
            let records: Vec<usize> = report.rejected.iter().map(|e| e.record).collect();
            prop_assert!(records.windows(2).all(|w| w[0] < w[1]), "{:?}", records);
            for e in &report.rejected {
                prop_assert!(e.record >= 1 && !e.message.is_empty());
            }
            check_inventory_round_trip(&report.resources)
        },
    );
}

/// CSV as people write it: a header (sometimes wrong), rows with random quoting, `'` prefixes,
/// missing or extra cells, any line ending.
fn csv_text() -> BoxedStrategy<String> {
    let cell = |value: BoxedStrategy<String>| {
        (value, 0u8..7)
            .prop_map(|(v, style)| match style {
                0..=2 => v,
                3 => format!("\"{}\"", v.replace('"', "\"\"")),
                4 => format!("\"{v}"),
                5 => format!("'{v}"),
                _ => format!(" {v} "),
            })
            .boxed()
    };
    let first = select(&["ARN", "arn", " Arn ", "\u{feff}ARN", "\"ARN\"", "Stage", ""][..]);
    let header = (first, proptest::collection::vec(cell(tag_key()), 0..5));
    let value = prop_oneof![4 => tag_value(), 1 => Just(String::new()), 1 => arn()].boxed();
    (
        header,
        select(&["\n", "\r\n", "\r"][..]),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_flat_map(move |((first, keys), eol, trailing, blank)| {
            let n = keys.len();
            let row = (
                cell(arn()),
                prop_oneof![
                    8 => proptest::collection::vec(cell(value.clone()), n..=n),
                    1 => proptest::collection::vec(cell(value.clone()), 0..n + 2),
                ],
            );
            proptest::collection::vec(row, 0..6).prop_map(move |rows| {
                let mut lines = vec![std::iter::once(first.to_owned())
                    .chain(keys.clone())
                    .collect::<Vec<_>>()
                    .join(",")];
                for (arn, cells) in rows {
                    lines.push(
                        std::iter::once(arn)
                            .chain(cells)
                            .collect::<Vec<_>>()
                            .join(","),
                    );
                    if blank {
                        lines.push(String::new());
                    }
                }
                let mut text = lines.join(eol);
                if trailing {
                    text.push_str(eol);
                }
                text
            })
        })
        .boxed()
}

#[test]
fn inventory_csv() {
    let input = prop_oneof![6 => csv_text(), 1 => wild_text()];
    check("inventory_csv", (input, mutation()), |(text, m)| {
        let text = mutate(&text, &m);
        match Inventory::import_csv(&text) {
            Ok(report) => {
                for e in &report.rejected {
                    prop_assert!(e.record >= 1 && !e.message.is_empty());
                }
                check_inventory_round_trip(&report.resources)
            }
            Err(e) => {
                prop_assert!(e.line >= 1 && !e.message.is_empty());
                Ok(())
            }
        }
    });
}

#[test]
fn formula_guard_is_reversible() {
    let input = prop_oneof![
        2 => tag_value(),
        1 => (select(&["'", "''", "'''", ""][..]), select(&["=", "+", "-", "@", "\t", "\r", "a", "'", ""][..]), wild_text())
            .prop_map(|(q, c, rest)| format!("{q}{c}{rest}")),
    ];
    check("formula_guard_is_reversible", input, |s| {
        let written = neutralise_formula(&s);
        prop_assert_eq!(restore_formula(&written), s.as_str());
        // What a spreadsheet sees first is never a formula character.
        prop_assert!(
            !written.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "{:?}",
            written
        );
        Ok(())
    });
}

#[test]
fn group_import_preview() {
    let existing =
        proptest::collection::vec((select(GOOD_NAMES), group()), 0..4).prop_map(|groups| {
            let mut by_name = BTreeMap::new();
            for (name, mut g) in groups {
                g.name = name.to_owned();
                g.created_at = 7;
                g.updated_at = 8;
                by_name.insert(g.name.clone(), g);
            }
            by_name.into_values().collect::<Vec<_>>()
        });
    let input = (document(groups_import_doc()), existing, any::<bool>());
    check(
        "group_import_preview",
        input,
        |((text, doc, intact), existing, valid_only)| {
            let Ok(preview) = preview_import(&text, &existing) else {
                return Ok(());
            };
            // Every entry is accounted for. (Only for the unambiguous shapes: serde also reads a
            // struct from a JSON array of its fields, so `[[]]` is an export with no groups.)
            let entries = match (&doc, &doc["Groups"]) {
                (Value::Object(o), Value::Array(list)) if !o.contains_key("Group") => {
                    Some(list.len())
                }
                (Value::Array(list), _) if list.iter().all(Value::is_object) => Some(list.len()),
                (Value::Object(o), _) if o.contains_key("Group") && !o.contains_key("Groups") => {
                    Some(1)
                }
                _ => None,
            };
            let total = preview.new.len()
                + preview.changed.len()
                + preview.unchanged.len()
                + preview.rejected.len();
            if let (true, Some(entries)) = (intact, entries) {
                prop_assert_eq!(total, entries);
            }
            for r in &preview.rejected {
                prop_assert!(!r.reasons.is_empty() && r.reasons.iter().all(|m| !m.is_empty()));
            }
            let accepted: Vec<Group> = preview
                .new
                .iter()
                .chain(&preview.changed)
                .cloned()
                .collect();
            for g in &accepted {
                prop_assert!(g.blocking_errors().is_empty(), "{:?}", g);
            }
            // What the preview accepts, the store accepts.
            let mode = if valid_only {
                ImportMode::ValidOnly
            } else {
                ImportMode::AllOrNothing
            };
            match import_batch(&preview, &existing, mode, 1_000) {
                Ok(batch) => prop_assert_eq!(batch.check(), Ok(())),
                Err(e) => prop_assert!(
                    mode == ImportMode::AllOrNothing && !preview.rejected.is_empty(),
                    "{}",
                    e
                ),
            }
            // Our export of what was accepted reads back as the same groups. Times are not
            // exported, and an empty ARN (kept from a stored group) is written as no ARN.
            let again = preview_import(&export_groups(&accepted, true), &[])
                .map_err(|e| TestCaseError::fail(format!("our own export is refused: {e}")))?;
            prop_assert!(again.rejected.is_empty(), "{:?}", again.rejected);
            let untimed: Vec<Group> = accepted
                .into_iter()
                .map(|mut g| {
                    g.created_at = 0;
                    g.updated_at = 0;
                    g.arn = g.arn.filter(|a| !a.is_empty());
                    g
                })
                .collect();
            prop_assert_eq!(again.new, untimed);
            Ok(())
        },
    );
}

/// Decodes `text` as `T`; a decoded value serializes and decodes to itself.
fn decode<T>(text: &str) -> Result<Option<T>, TestCaseError>
where
    T: serde::de::DeserializeOwned + serde::Serialize + PartialEq + Debug,
{
    let Ok(v) = serde_json::from_str::<T>(text) else {
        return Ok(None);
    };
    let again: T = serde_json::from_str(&serde_json::to_string(&v).unwrap())
        .map_err(|e| TestCaseError::fail(format!("{e}: our own JSON of {v:?}")))?;
    prop_assert_eq!(&again, &v);
    Ok(Some(v))
}

fn check_wire_group(g: Result<Group, impl std::fmt::Display>) -> Result<(), TestCaseError> {
    match g {
        Ok(g) => {
            check_group(&g)?;
            // Back to the wire and into a group again: the same group.
            let exported = ExportedGroup::from_group(&g, true);
            let again = exported.to_group();
            if g.query().is_some()
                || !matches!(&g.spec, GroupSpec::Configuration(c) if c.is_empty())
            {
                let mut expected = g.clone();
                expected.arn = g.arn.clone().filter(|a| !a.is_empty());
                prop_assert_eq!(again.ok(), Some(expected));
            }
            let _ = serde_json::to_string(&CreateGroupRequest::from_group(&g)).unwrap();
        }
        Err(e) => prop_assert!(!e.to_string().is_empty()),
    }
    Ok(())
}

#[test]
fn wire_decoders() {
    check("wire_decoders", wire_text(), |text| {
        if let Some(q) = decode::<WireResourceQuery>(&text)? {
            let _ = ResourceQuery::try_from(&q);
        }
        decode::<WireGroup>(&text)?;
        decode::<WireGroupConfiguration>(&text)?;
        if let Some(r) = decode::<CreateGroupRequest>(&text)? {
            let _ = r.resource_query.as_ref().map(ResourceQuery::try_from);
        }
        decode::<CreateGroupResponse>(&text)?;
        decode::<GroupIdentifier>(&text)?;
        decode::<GroupQuery>(&text)?;
        decode::<GetTagsResponse>(&text)?;
        let query = decode::<GetGroupQueryResponse>(&text)?;
        if let Some(list) = decode::<ListGroupsResponse>(&text)? {
            // The two lists are the same groups on AWS; a server may send either or both, and
            // they need not agree (moto fills only `Groups`), so only "no panic" holds here.
            let _ = (list.summaries(), list.names());
        }
        if let Some(e) = decode::<ExportedGroup>(&text)? {
            check_wire_group(e.to_group())?;
        }
        if let Some(get) = decode::<GetGroupResponse>(&text)? {
            check_wire_group(group_from_responses(&get, query.as_ref(), None))?;
        }
        Ok(())
    });
}

#[test]
fn wire_group_from_responses() {
    let input = (
        document(wire_group_json().prop_map(|g| json!({"Group": g})).boxed()),
        proptest::option::of(document(
            (group_name(), wire_query_json())
                .prop_map(|(n, q)| json!({"GroupQuery": {"GroupName": n, "ResourceQuery": q}}))
                .boxed(),
        )),
        proptest::option::of(document(
            (arn(), tags_map_json())
                .prop_map(|(a, t)| json!({"Arn": a, "Tags": t}))
                .boxed(),
        )),
    );
    check("wire_group_from_responses", input, |(get, query, tags)| {
        let Some(get) = decode::<GetGroupResponse>(&get.0)? else {
            return Ok(());
        };
        let query = match query {
            Some((text, _, _)) => decode::<GetGroupQueryResponse>(&text)?,
            None => None,
        };
        let tags = match tags {
            Some((text, _, _)) => decode::<GetTagsResponse>(&text)?,
            None => None,
        };
        check_wire_group(group_from_responses(&get, query.as_ref(), tags.as_ref()))
    });
}

#[test]
fn store_records() {
    let v1 = (group_name(), description(), query_type(), query_text(), tag_pairs()).prop_map(
        |(name, description, query_type, query, tags)| {
            let tags: Vec<Value> = tags.into_iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect();
            json!({"name": name, "description": description, "queryType": query_type, "query": query, "tags": tags, "createdAt": 1})
        },
    );
    let input = prop_oneof![
        2 => document(v1.boxed()).prop_map(|(t, _, _)| t),
        2 => group().prop_map(|g| serde_json::to_string(&GroupRecord::from(&g)).unwrap()),
        1 => wire_text(),
    ];
    check("store_records", input, |text| {
        if let Some(r) = decode::<GroupRecord>(&text)? {
            if let Ok(g) = r.to_group() {
                check_group(&g)?;
                prop_assert_eq!(GroupRecord::from(&g), r);
            }
        }
        if let Ok(v2) = migrate_group_v1_to_v2(&text) {
            let r: GroupRecord = serde_json::from_str(&v2)
                .map_err(|e| TestCaseError::fail(format!("{e}: the migration's own output")))?;
            if let Ok(g) = r.to_group() {
                check_group(&g)?;
            }
        }
        // Loading, record by record: every record is either loaded or quarantined with a
        // reason, whatever it is, and a list that is not a list fails as a whole.
        // (The text itself may hold commas or brackets: the list has as many records as JSON
        // reads in it, not always two.)
        let list = format!("[{text},{text}]");
        let records = serde_json::from_str::<Vec<Value>>(&list).map(|v| v.len());
        let is_list = records.is_ok();
        macro_rules! loads {
            ($f:path) => {
                match $f(&list) {
                    Ok((good, bad)) => {
                        prop_assert!(is_list);
                        prop_assert_eq!(
                            Ok(good.len() + bad.len()),
                            records.as_ref().map(|n| *n).map_err(|_| ())
                        );
                        prop_assert!(bad.iter().all(|q| !q.reason.is_empty()));
                    }
                    Err(_) => prop_assert!(!is_list),
                }
            };
        }
        loads!(load::groups);
        loads!(load::bases);
        loads!(load::resources);
        loads!(load::conflicts);
        loads!(load::tombstones);
        loads!(load::outbox);
        // The inventory's blocks: the text as a block, and the two-record list as another; a
        // block that is not a list is set aside whole, and each loads in ARN order.
        let blocks = [
            load::Block {
                key: "1".into(),
                text: Some(text.clone()),
            },
            load::Block {
                key: "2".into(),
                text: Some(list.clone()),
            },
            load::Block {
                key: "3".into(),
                text: None,
            },
        ];
        let (good, bad) = load::resources_in_blocks(&blocks);
        prop_assert!(good.windows(2).all(|w| w[0].arn < w[1].arn));
        prop_assert!(bad.iter().any(|q| q.key == "block:3"));
        let unchecked = load::resources_in_blocks_unchecked(&blocks);
        prop_assert!(unchecked.windows(2).all(|w| w[0].arn < w[1].arn));
        Ok(())
    });
}

/// Endpoint URLs built from the pieces URL parsers disagree about, or anything.
fn url_text() -> BoxedStrategy<String> {
    let scheme = select(&["https", "http", "HTTPS", "ftp", "", "ht tp"][..]);
    let sep = select(&["://", ":/", ":", ":///", ":\\\\"][..]);
    let userinfo = select(&["", "user@", "user:pass@", "@", "%40@"][..]);
    let host = prop_oneof![
        4 => select(&["example.com", "rg.example.com", "127.0.0.1", "127.8.9.10", "[::1]", "[", "[::1", "[]", "localhost", "a.localhost", "999.1.1.1", "-bad-.com", "例え.jp", "ＥＸＡＭＰＬＥ.com", "xn--e1afmkfd.xn--p1ai", ""][..]).prop_map(str::to_owned),
        1 => piece(),
    ];
    let port = prop_oneof![
        4 => select(&["", ":", ":0", ":443", ":4566", ":65535", ":65536", ":+1", ":٣", ":99999999999"][..]).prop_map(str::to_owned),
        1 => piece().prop_map(|p| format!(":{p}")),
    ];
    let path = prop_oneof![
        4 => select(&["", "/", "/rg", "/a/b/", "//", "/..", "/./x", "/?x=1", "#f", "/?X-Amz-Signature=abc", "\\x"][..]).prop_map(str::to_owned),
        1 => piece(),
    ];
    prop_oneof![
        6 => (scheme, sep, userinfo, host, port, path).prop_map(|(s, sep, u, h, p, path)| format!("{s}{sep}{u}{h}{p}{path}")),
        1 => wild_text(),
    ]
    .boxed()
}

#[test]
fn endpoints() {
    let region = prop_oneof![4 => select(REGIONS).prop_map(str::to_owned), 1 => wild_text()];
    check(
        "endpoints",
        (url_text(), region, any::<bool>(), wild_text()),
        |(url, region, fips, setting)| {
            let _ = (
                valid_region(&url),
                is_loopback(&url),
                EndpointChoice::from_setting(&setting),
            );
            let choices = [
                EndpointChoice::Custom {
                    url: url.clone(),
                    region: region.clone(),
                },
                EndpointChoice::Aws {
                    region: region.clone(),
                    fips,
                },
            ];
            for choice in choices {
                match choice.resolve() {
                    Ok(e) => {
                        prop_assert!(!e.host.is_empty());
                        prop_assert!(
                            e.base_url.starts_with("https://")
                                || (e.unencrypted && e.base_url.starts_with("http://"))
                        );
                        prop_assert!(e.base_url.ends_with(&e.path_prefix));
                        prop_assert!(valid_region(&e.region));
                        prop_assert_eq!(
                            EndpointChoice::from_setting(&choice.to_setting()),
                            Some(choice.clone())
                        );
                    }
                    Err(e) => prop_assert!(!e.to_string().is_empty()),
                }
            }
            Ok(())
        },
    );
}

/// A server that answers from a script, then is offline.
struct Script(RefCell<VecDeque<HttpResponse>>);

impl Transport for &Script {
    async fn send(&self, _req: HttpRequest) -> Result<HttpResponse, String> {
        self.0
            .borrow_mut()
            .pop_front()
            .ok_or_else(|| "offline".to_owned())
    }
    async fn sleep(&self, _ms: u32) {}
    fn random(&self) -> f64 {
        0.5
    }
    fn now_ms(&self) -> i64 {
        1_440_938_160_000
    }
}

fn response() -> BoxedStrategy<HttpResponse> {
    let status = prop_oneof![
        8 => Just(200u16),
        4 => select(&[400u16, 401, 403, 404, 405, 429, 500, 501, 503][..]),
        1 => any::<u16>(),
    ];
    let error_type = proptest::option::of(prop_oneof![
        3 => select(&["NotFoundException", "ThrottlingException", "AccessDeniedException", "UnrecognizedClientException", "BadRequestException:http://internal.amazon.com/", ":", ""][..]).prop_map(str::to_owned),
        1 => wild_text(),
    ]);
    (status, error_type, wire_text())
        .prop_map(|(status, error_type, body)| HttpResponse {
            status,
            error_type,
            body,
            oversized: false,
        })
        .boxed()
}

fn script() -> BoxedStrategy<Vec<HttpResponse>> {
    proptest::collection::vec(response(), 0..6).boxed()
}

/// Mostly the answer the call expects (HTTP 200 and that document, maybe corrupted), else any
/// answer: so a conversation of several calls often gets far.
fn answer(doc: BoxedStrategy<Value>) -> BoxedStrategy<HttpResponse> {
    prop_oneof![
        6 => document(doc).prop_map(|(body, _, _)| HttpResponse { status: 200, error_type: None, body, oversized: false }),
        1 => response(),
    ]
    .boxed()
}

/// The answers of one operation's calls in order, then a few more of anything (retries).
fn conversation(calls: Vec<BoxedStrategy<Value>>) -> BoxedStrategy<Vec<HttpResponse>> {
    let calls: Vec<BoxedStrategy<HttpResponse>> = calls.into_iter().map(answer).collect();
    (calls, script())
        .prop_map(|(mut answers, more)| {
            answers.extend(more);
            answers
        })
        .boxed()
}

#[test]
fn api_client_answers() {
    let endpoint = EndpointChoice::Custom {
        url: "https://127.0.0.1:4566/rg".into(),
        region: "eu-west-1".into(),
    }
    .resolve()
    .unwrap();
    let input = (
        (
            conversation(vec![list_groups_doc(), list_groups_doc()]),
            conversation(vec![get_group_doc(), get_group_query_doc(), get_tags_doc()]),
            conversation(vec![get_group_query_doc(), get_tags_doc()]),
            conversation(vec![group_resources_doc(), group_resources_doc()]),
        ),
        (
            conversation(vec![Just(json!({})).boxed(); 4]),
            conversation(vec![create_group_doc()]),
        ),
        (group(), group()),
        group_name(),
    );
    check(
        "api_client_answers",
        input,
        |(scripts, more, (base, new), name)| {
            let (list, fetch, listed, members) = scripts;
            let (update, create) = more;
            let client = |answers: Vec<HttpResponse>| {
                for a in &answers {
                    let _ = classify(a, "Op");
                }
                let script = Script(RefCell::new(answers.into()));
                let credentials = Credentials {
                    access_key_id: "AKIDEXAMPLE".into(),
                    secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".into(),
                    session_token: None,
                };
                (script, credentials)
            };
            let run =
                |answers: Vec<HttpResponse>,
                 op: &dyn Fn(&Client<&Script>) -> Result<(), TestCaseError>| {
                    let (script, credentials) = client(answers);
                    let c = Client::new(endpoint.clone(), credentials, &script);
                    op(&c)
                };
            let fetched_ok =
                |f: Option<group_console::sync::engine::Fetched>| -> Result<(), TestCaseError> {
                    // A group read from the server is taken only if it would pass our own checks.
                    if let Some(Ok(g)) = f.map(|f| f.group) {
                        prop_assert!(g.blocking_errors().is_empty(), "{:?}", g);
                    }
                    Ok(())
                };
            run(list, &|c| {
                if let Ok(listed) = block_on(c.list()) {
                    prop_assert!(listed.windows(2).all(|w| w[0].name < w[1].name));
                }
                Ok(())
            })?;
            run(fetch, &|c| {
                block_on(c.fetch(&name)).map_or(Ok(()), fetched_ok)
            })?;
            run(listed, &|c| {
                let l = Listed {
                    name: name.clone(),
                    arn: base.arn.clone(),
                    description: Some(base.description.clone()),
                    labels: Some(group_console::model::wire::GroupLabels {
                        display_name: base.display_name.clone(),
                        owner: base.owner.clone(),
                        criticality: base.criticality,
                        application_tag: base.application_tag.clone(),
                    }),
                    query_only: name.len() % 2 == 0,
                };
                block_on(c.fetch_listed(&l)).map_or(Ok(()), fetched_ok)
            })?;
            run(members, &|c| {
                let _ = block_on(c.list_group_resources(&name));
                Ok(())
            })?;
            run(update, &|c| {
                let _ = block_on(c.update(&base, &new));
                Ok(())
            })?;
            run(create, &|c| {
                let _ = block_on(c.create(&new));
                let _ = block_on(c.delete(&name));
                let _ = (uri_encode(&name, true), uri_encode(&name, false));
                Ok(())
            })
        },
    );
}

#[test]
fn display_pieces() {
    let ranges = proptest::collection::vec(
        prop_oneof![4 => (0usize..80, 0usize..80), 1 => (any::<usize>(), any::<usize>())],
        0..6,
    );
    check("display_pieces", (wild_text(), ranges), |(text, ranges)| {
        let ranges: Vec<std::ops::Range<usize>> = ranges.into_iter().map(|(a, b)| a..b).collect();
        let out = pieces(&text, &ranges);
        // The pieces are the text, cut only where a valid range starts or ends.
        prop_assert_eq!(
            out.iter().map(|(p, _)| p.as_str()).collect::<String>(),
            text.clone()
        );
        for (p, marked) in &out {
            prop_assert!(!p.is_empty());
            if *marked {
                prop_assert!(ranges
                    .iter()
                    .any(|r| text.get(r.clone()) == Some(p.as_str())));
            }
        }
        Ok(())
    });
}

#[test]
fn guard_scanners() {
    let text = prop_oneof![3 => wild_text(), 1 => tag_value(), 1 => url_text(), 1 => arn()];
    let key = prop_oneof![
        3 => tag_key(),
        1 => select(&["AccountNumber", "db_password", "CostCenter", "BuildNumber", "IBAN", "api-key", "Kontonummer", "口座番号"][..]).prop_map(str::to_owned),
    ];
    check(
        "guard_scanners",
        (text, key, tag_value()),
        |(text, key, value)| {
            check_findings(&text, &scan_name(&text))?;
            check_findings(&text, &scan_url(&text))?;
            check_findings(&text, &scan_owner(&text))?;
            // scan_tag: each finding's range is into the part it names; key findings come first.
            for (k, v) in [(&key, &value), (&key, &text), (&text, &value)] {
                let findings = scan_tag(k, v);
                for f in &findings {
                    let of = match f.part {
                        FindingPart::Key => k,
                        FindingPart::Value => v,
                        FindingPart::Text => {
                            return Err(TestCaseError::fail("a tag finding of no part"))
                        }
                    };
                    check_findings(of, std::slice::from_ref(f))?;
                }
                let parts: Vec<FindingPart> = findings.iter().map(|f| f.part).collect();
                prop_assert!(
                    !parts
                        .windows(2)
                        .any(|w| w == [FindingPart::Value, FindingPart::Key]),
                    "{:?}",
                    parts
                );
            }
            Ok(())
        },
    );
}

#[test]
fn index_agrees_with_matcher() {
    let resources = proptest::collection::vec(
        (arn(), proptest::option::of(resource_type()), tag_pairs()),
        0..8,
    );
    check(
        "index_agrees_with_matcher",
        (resources, resource_query()),
        |(resources, q)| {
            let resources: Vec<Resource> = resources
                .into_iter()
                .filter_map(|(a, t, tags)| Resource::new(&a, t.as_deref(), tags).ok())
                .collect();
            let index = InventoryIndex::build(&resources);
            let m = index.matcher(&q);
            let plain: Vec<usize> = (0..resources.len())
                .filter(|&i| q.matches(&resources[i]))
                .collect();
            prop_assert_eq!(m.positions(&index), plain.clone());
            prop_assert_eq!(m.count(&index), plain.len());
            prop_assert_eq!(q.matcher().count(&resources), plain.len());
            Ok(())
        },
    );
}

/// Finder lines: tokens of every kind with wild keys and values, quotes, escapes, operators
/// in odd places, or anything. Parsing never fails; the canonical text reads back to the same
/// filter; evaluating it over any resource does not panic, and its query form (when there is
/// one) is a valid group query that accepts what the filter accepts.
#[test]
fn finder_filters() {
    let word = prop_oneof![
        3 => (tag_key(), select(&["=", "!=", ":", " exists", " missing", "=\"", ""][..]), tag_value())
            .prop_map(|(k, op, v)| format!("{k}{op}{v}")),
        1 => (select(&["type", "service", "region", "account", "\"type\""][..]), select(&["=", "!="][..]), piece())
            .prop_map(|(k, op, v)| format!("{k}{op}{v}")),
        2 => wild_text(),
        1 => select(&["\"", "\\", "\"a b\"=\"c\\\"d\"", "=", "!=", ":", "exists", "missing", "!", "untagged", "\"untagged\"", "UnTagged"][..]).prop_map(str::to_owned),
    ];
    let line = proptest::collection::vec(word, 0..6).prop_map(|w| w.join(" "));
    let resources = proptest::collection::vec((arn(), tag_pairs()), 0..4);
    check("finder_filters", (line, resources), |(line, resources)| {
        let f = Filter::parse(&line);
        let text = f.to_text();
        prop_assert_eq!(Filter::parse(&text), f.clone(), "{:?} -> {:?}", line, text);
        let resources: Vec<Resource> = resources
            .into_iter()
            .filter_map(|(a, tags)| Resource::new(&a, None, tags).ok())
            .collect();
        let query = f.to_query().ok();
        for r in &resources {
            let facts = RowFacts::of(r);
            let hit = f.matches(r, &facts);
            if let Some(q) = &query {
                // The query adds "of a supported type": it may accept less, never more.
                prop_assert!(!q.matches(r) || hit, "{:?} {:?}", text, r);
            }
        }
        for i in 0..=f.tokens.len() {
            prop_assert!(
                f.without(i).tokens.len() + usize::from(i < f.tokens.len()) == f.tokens.len()
            );
        }
        // The table's path (tokens compiled against the index) finds what the plain one does.
        let mut sorted = resources.clone();
        sorted.sort_by(|a, b| a.arn.cmp(&b.arn));
        let rows = FinderRows::build(&sorted);
        let index = InventoryIndex::build(&sorted);
        let fast = FinderMatches::update(None, 1, &sorted, &rows, &index, &f);
        let plain: Vec<usize> = (0..sorted.len())
            .filter(|&i| f.matches(&sorted[i], &RowFacts::of(&sorted[i])))
            .collect();
        prop_assert_eq!(fast.positions(), plain.as_slice(), "{:?}", text);
        Ok(())
    });
}

/// The Resources table's preferences read back whatever keys they hold and whatever text is
/// saved, and any sort gives every match exactly once, pages included.
#[test]
fn resource_table() {
    let saved = prop_oneof![
        wild_text(),
        (tag_key(), tag_key(), wild_text())
            .prop_map(|(a, b, c)| format!("size=50;keys={a},{b};sort=key:{c}:asc")),
    ];
    let keys = proptest::collection::vec(tag_key(), 0..14);
    let resources = proptest::collection::vec((arn(), tag_pairs()), 0..12);
    let sort = (0..8usize, any::<bool>(), tag_key());
    check(
        "resource_table",
        (saved, keys, resources, sort, 0..5usize),
        |(saved, keys, resources, (by, desc, key), page)| {
            let _ = ResourcePrefs::decode(&saved);
            let mut prefs = ResourcePrefs::default();
            for k in &keys {
                let _ = prefs.add_key(k);
            }
            let by = match by {
                0 => SortBy::Arn,
                1 => SortBy::Type,
                2 => SortBy::Region,
                3 => SortBy::Account,
                4 => SortBy::Source,
                5 => SortBy::Tags,
                _ => SortBy::Key(prefs.keys.first().cloned().unwrap_or(key)),
            };
            if prefs.keys.iter().any(|k| SortBy::Key(k.clone()) == by)
                || !matches!(by, SortBy::Key(_))
            {
                prefs.toggle_sort(by.clone());
                if desc {
                    prefs.toggle_sort(by.clone());
                }
            }
            prop_assert_eq!(ResourcePrefs::decode(&prefs.encode()), prefs.clone());

            let resources: Vec<Resource> = resources
                .into_iter()
                .filter_map(|(a, tags)| Resource::new(&a, None, tags).ok())
                .collect();
            let rows = FinderRows::build(&resources);
            let index = InventoryIndex::build(&resources);
            let m = FinderMatches::update(None, 1, &resources, &rows, &index, &Filter::parse(""));
            let dir = if desc {
                SortDir::Descending
            } else {
                SortDir::Ascending
            };
            let order = ResourceOrder::sorted(&resources, &rows, Some(&(by, dir)));
            let mut every = order.page(&m, resources.len(), 0..usize::MAX);
            let size = 3;
            let one = order.page(&m, resources.len(), page * size..(page + 1) * size);
            let expected: Vec<usize> = every.iter().skip(page * size).take(size).copied().collect();
            prop_assert_eq!(one, expected);
            every.sort_unstable();
            prop_assert_eq!(every, (0..resources.len()).collect::<Vec<_>>());
            Ok(())
        },
    );
}

/// Tag plans over any resources and any edit: only what changes is planned, the calls stay
/// within the API's limits and carry exactly the plan, and the plan applied is what the edit
/// means for each resource's tags.
#[test]
fn tag_plans() {
    let resources = proptest::collection::vec((arn(), tag_pairs()), 0..30);
    let edit = (
        proptest::collection::vec((tag_key(), tag_value()), 0..60),
        proptest::collection::vec(tag_key(), 0..4),
    );
    check(
        "tag_plans",
        (resources, edit),
        |(resources, (set, remove))| {
            // As the store holds them: keys unique (a resource read from the store is checked).
            let resources: Vec<Resource> = resources
                .into_iter()
                .filter(|(_, tags)| check_resource_tags(tags).is_ok())
                .filter_map(|(a, tags)| Resource::new(&a, None, tags).ok())
                .collect();
            let edit = TagEdit {
                set: set.into_iter().collect(),
                remove: remove.into_iter().collect(),
            };
            let plan = TagPlan::build(&resources, &edit);
            let mut sent: BTreeMap<String, (BTreeMap<String, String>, Vec<String>)> =
                BTreeMap::new();
            for call in plan.calls() {
                prop_assert!(!call.arns().is_empty() && call.arns().len() <= ARNS_PER_CALL);
                match call {
                    TagCall::Tag { arns, tags } => {
                        prop_assert!(!tags.is_empty() && tags.len() <= TAGS_PER_CALL);
                        for a in arns {
                            sent.entry(a).or_default().0.extend(tags.clone());
                        }
                    }
                    TagCall::Untag { arns, keys } => {
                        prop_assert!(!keys.is_empty() && keys.len() <= TAGS_PER_CALL);
                        for a in arns {
                            sent.entry(a).or_default().1.extend(keys.clone());
                        }
                    }
                }
            }
            for c in &plan.changes {
                let (set, mut removed) = sent.remove(&c.arn).unwrap_or_default();
                removed.sort();
                prop_assert_eq!(&set, &c.set);
                prop_assert_eq!(&removed, &c.remove);
            }
            prop_assert!(sent.is_empty(), "calls only for planned resources");
            for r in plan.applied(&resources) {
                let before = resources
                    .iter()
                    .find(|x| x.arn == r.arn)
                    .map(|x| x.tags.clone())
                    .unwrap_or_default();
                let mut expected: BTreeMap<String, String> = before.into_iter().collect();
                for k in &edit.remove {
                    expected.remove(k);
                }
                expected.extend(edit.set.clone());
                let got: BTreeMap<String, String> = r.tags.into_iter().collect();
                prop_assert_eq!(got, expected);
            }
            Ok(())
        },
    );
}

// --- Regressions: the shrunk inputs of failures the properties found -----------------------------

/// src/guard/numbers.rs `value` (the u32 of a digit group, for `is_grouped_date`): a 15-digit
/// group before three short ones (`123456789012127.0.0.1`) overflowed in debug builds ("attempt
/// to multiply with overflow"), from every guarded field. Found by `guard_scanners` and
/// `names_descriptions_and_tags`; fixed in the guard (saturating arithmetic) by its owner.
#[test]
fn regression_long_digit_group_before_an_ip_address() {
    let text = "123456789012127.0.0.1";
    check_findings(text, &scan_name(text)).unwrap();
    check_findings(text, &scan_url(text)).unwrap();
    let _ = check_name(text);
}

/// src/store/transfer.rs `preview_import`: the preview validated a group before filling in the
/// description kept from the stored group, so a group with a stored description that no longer
/// validates (`環境`: descriptions are ASCII on AWS) was previewed as "changed" and then refused
/// by the store's own check when the batch was written. Now it is rejected in the preview.
#[test]
fn regression_preview_validates_the_group_as_it_will_be_written() {
    let mut old = Group::new(
        "web-prod_1.0",
        ResourceQuery::tags(vec![TagFilter {
            key: "Stage".into(),
            values: vec![],
        }]),
    );
    old.description = "環境".into();
    let file = r#"{"Group": {"Name": "web-prod_1.0"}, "GroupConfiguration": {"Configuration": [{"Type": "AWS::EC2::CapacityReservationPool"}]}}"#;
    let preview = preview_import(file, std::slice::from_ref(&old)).unwrap();
    assert!(preview.changed.is_empty(), "{:?}", preview.changed);
    assert_eq!(preview.rejected.len(), 1);
    assert!(
        preview.rejected[0].reasons[0].contains("Description"),
        "{:?}",
        preview.rejected
    );
    let batch = import_batch(&preview, &[old], ImportMode::ValidOnly, 1).unwrap();
    assert_eq!(batch.check(), Ok(()));
}

/// src/model/inventory.rs CSV: an empty tag value was written as an empty cell, which reads as
/// "no such tag", and a key with leading or trailing whitespace (` padded `, `\u{3000}全角`:
/// valid tag keys) lost it to the header trimming. Empty values are now `""` and such cells are
/// quoted, quoted header cells are not trimmed, and the round trip is exact.
#[test]
fn regression_csv_round_trip_keeps_empty_values_and_padded_keys() {
    let tags = vec![
        (" padded ".to_owned(), String::new()),
        ("\u{3000}全角".to_owned(), "本番".to_owned()),
    ];
    let r = Resource::new("arn:aws:s3:::a", None, tags).unwrap();
    check_inventory_round_trip(&[r]).unwrap();
}

/// The data-protection audit over any group (stored, deleted, refused by a pull), any stored
/// record set aside as quarantined (raw JSON or not), any outbox name and any endpoint: it never
/// panics, excerpts stay within their window, and the JSON report always parses.
#[test]
fn audit() {
    use group_console::store::{OutboxEntry, Quarantined, RecordKind};
    use group_console::view::audit::{Audit, EXCERPT_MAX};
    let input = (
        proptest::collection::vec(group(), 0..4),
        prop_oneof![json_value().prop_map(|v| v.to_string()), wild_text()],
        wild_text(),
        url_text(),
        select(RecordKind::ALL.to_vec()),
    );
    check("audit", input, |(groups, raw, name, url, kind)| {
        let mut a = Audit::default();
        a.groups(&groups);
        a.backend_groups(&groups);
        a.quarantined(&[Quarantined {
            kind,
            key: name.clone(),
            reason: String::new(),
            raw,
        }]);
        a.outbox(&[OutboxEntry::new(&name, "CreateGroup", 0)]);
        a.backend_group(&name);
        a.endpoint(&url);
        let a = a.sorted();
        for f in &a.findings {
            prop_assert!(f.excerpt.chars().count() <= EXCERPT_MAX + 2);
        }
        let report: Value = serde_json::from_str(&a.report_json(1, 0)).expect("JSON");
        prop_assert_eq!(
            report["findings"].as_array().map(Vec::len),
            Some(a.findings.len())
        );
        Ok(())
    });
}

/// "Share safely" over any groups: never panics; an export it offers holds nothing the guard
/// flags, and imported back with its aliases it reads as valid JSON for the import preview.
#[test]
fn share_safely() {
    use group_console::store::share::{export_shared, restore, AliasMaps};
    check(
        "share_safely",
        proptest::collection::vec(group(), 0..4),
        |groups| {
            if let Ok(shared) = export_shared(&groups, "e1") {
                let doc: Value = serde_json::from_str(&shared.json).expect("JSON");
                fn texts(v: &Value, out: &mut Vec<String>) {
                    match v {
                        Value::String(s) => out.push(s.clone()),
                        Value::Array(a) => a.iter().for_each(|v| texts(v, out)),
                        Value::Object(m) => m.iter().for_each(|(k, v)| {
                            out.push(k.clone());
                            texts(v, out)
                        }),
                        _ => {}
                    }
                }
                let mut all = Vec::new();
                texts(&doc["Groups"], &mut all);
                for t in &all {
                    prop_assert!(scan_name(t).is_empty(), "flagged in a shared export");
                }
                let maps = AliasMaps::default().with(shared.map);
                let (back, mapped) = restore(&shared.json, &maps);
                prop_assert_eq!(mapped, Some(true));
                prop_assert!(serde_json::from_str::<Value>(&back).is_ok());
            }
            Ok(())
        },
    );
}

/// Settings read back from the store (any text: damaged, older or hostile): the alias maps of
/// shared exports, the person's own detectors and the sync consent decode without panicking,
/// and what they decode to encodes to what decodes the same.
#[test]
fn stored_settings() {
    use group_console::guard::custom::Detectors;
    use group_console::store::share::AliasMaps;
    use group_console::sync::outgoing::Consent;
    check(
        "stored_settings",
        prop_oneof![wild_text(), json_value().prop_map(|v| v.to_string())],
        |text| {
            let maps = AliasMaps::decode(&text);
            prop_assert_eq!(AliasMaps::decode(&maps.encode()), maps);
            let detectors = Detectors::decode(&text);
            prop_assert_eq!(Detectors::decode(&detectors.encode()), detectors);
            let consent = Consent::decode(&text);
            prop_assert_eq!(Consent::decode(&consent.encode()), consent);
            Ok(())
        },
    );
}

/// A backup file, whole or damaged (cut, with characters inserted or removed), or any text at
/// all: opening it never panics; an intact file gives back exactly what was sealed; a damaged
/// one is refused as a whole, never half-read; the passphrase form counts characters.
#[test]
fn backup_files() {
    use group_console::store::backup::{self, Contents, Opened};
    let input = (
        prop::collection::vec(group(), 0..4),
        prop::collection::btree_map(wild_text(), wild_text(), 0..3),
        mutation(),
        wild_text(),
        any::<i64>(),
    );
    check("backup_files", input, |(groups, settings, m, junk, at)| {
        let contents = Contents {
            groups,
            settings,
            ..Contents::default()
        };
        let file = backup::seal_plain(&contents, at);
        let damaged = mutate(&file, &m);
        match backup::open(&damaged) {
            Ok(Opened::Plain {
                contents: read,
                created_at,
            }) => {
                // Only an intact payload passes its checksum (a change outside it, in the
                // envelope's white space, is harmless).
                prop_assert_eq!(read, contents.clone());
                // The envelope's own fields are not covered by the checksum (only the payload
                // is: that is what is restored).
                if damaged == file {
                    prop_assert_eq!(created_at, at);
                }
            }
            Ok(Opened::Protected { .. }) => prop_assert!(false, "a plain file read as protected"),
            Err(_) => prop_assert!(damaged != file, "an intact file is always read"),
        }
        let _ = backup::open(&junk);
        let _ = Contents::from_payload_json(&junk);
        let mut draft = group_console::view::backup::PassphraseDraft {
            protect: true,
            passphrase: junk.clone(),
            confirm: junk.clone(),
            submitted: false,
        };
        let ok = draft.submit();
        prop_assert_eq!(ok.is_ok(), junk.chars().count() >= 12);
        Ok(())
    });
}

/// Undo over arbitrary groups: deleting any of them and undoing gives back exactly what was
/// stored, whatever their names, descriptions and tags.
#[test]
fn undo_and_restore() {
    use group_console::store::undo::{Keys, Snapshot, Undo};
    use group_console::store::{ops, Batch, MemoryStore, Op, Source, Store};
    check(
        "undo_and_restore",
        (prop::collection::vec(group(), 1..6), any::<u8>()),
        |(groups, pick)| {
            let store = MemoryStore::new();
            let valid: Vec<Group> = groups
                .into_iter()
                .filter(|g| g.blocking_errors().is_empty())
                .map(|g| (g.name.clone(), g))
                .collect::<std::collections::BTreeMap<_, _>>()
                .into_values()
                .collect();
            let _ = block_on(store.apply(Batch {
                ops: valid.iter().cloned().map(Op::PutGroup).collect(),
                ..Batch::default()
            }));
            let stored = block_on(store.groups()).unwrap();
            let doomed: Vec<Group> = stored
                .iter()
                .enumerate()
                .filter(|(i, _)| (pick >> (i % 8)) & 1 == 1)
                .map(|(_, g)| g.clone())
                .collect();
            let batch = ops::delete_groups_keeping(&doomed, 77, Source::Local);
            let keys = Keys::of(&batch);
            let before = block_on(Snapshot::read(&store, &keys)).unwrap();
            block_on(store.apply(batch)).unwrap();
            let after = block_on(Snapshot::read(&store, &keys)).unwrap();
            let undo = Undo::new("Groups deleted", before, after.clone());
            let back = undo.batch(&after, 78).unwrap();
            block_on(store.apply(back)).unwrap();
            prop_assert_eq!(block_on(store.groups()).unwrap(), stored);
            prop_assert!(block_on(store.tombstones()).unwrap().is_empty());
            Ok(())
        },
    );
}

/// Encryption at rest, what is read before anything is decrypted: the record kept in the
/// clear (any text, or a real record damaged) gives a status and never panics; a damaged
/// record is never read as "plain" (that would read ciphertexts as data); the passphrase
/// forms and the idle time take any text, counted in characters.
#[test]
fn vault_records_and_passphrases() {
    use group_console::store::vault::{status_at_start, VaultRecord, VaultStatus};
    use group_console::view::encryption::{idle_minutes, NewPassphrase, Strength};
    let real = r#"{"version":1,"state":"on","cipher":"AES-GCM-256","kdf":"PBKDF2-SHA-256","iterations":600000,"salt":"AAAAAAAAAAAAAAAAAAAAAA==","dataKey":{"iv":"AAAAAAAAAAAAAAAA","key":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},"indexKey":{"iv":"AAAAAAAAAAAAAAAA","key":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},"epoch":"e","since":1,"passphraseAt":1}"#;
    assert_eq!(status_at_start(Some(real)).0, VaultStatus::Locked);
    check(
        "vault_records_and_passphrases",
        (mutation(), wild_text(), wild_text()),
        |(m, junk, other)| {
            let damaged = mutate(real, &m);
            let (status, record) = status_at_start(Some(&damaged));
            if damaged != real {
                // Whatever it became: encrypted (locked or damaged) or a readable record.
                prop_assert!(status != VaultStatus::Plain);
            }
            if let Some(r) = record {
                prop_assert_eq!(VaultRecord::decode(&r.encode()), Ok(r.clone()));
            }
            let _ = status_at_start(Some(&junk));
            let mut form = NewPassphrase {
                current: other.clone(),
                passphrase: junk.clone(),
                confirm: junk.clone(),
                acknowledged: true,
                submitted: false,
            };
            let accepted = Strength::of(&junk).accepted();
            prop_assert_eq!(form.submit(false).is_ok(), accepted);
            let _ = form.submit(true);
            let _ = idle_minutes(Some(&junk));
            Ok(())
        },
    );
}

/// Service configurations (any items: the rules, the templates they are read back as, the
/// polling status), the groups table's ListGroups-style filters (anything typed, any group),
/// and ARNs typed for a membership change: nothing panics, a template reads back as itself,
/// and a filter keeps only what it says.
#[test]
fn service_configurations_filters_and_members() {
    use group_console::model::group_filters::{FilterName, GroupFilters};
    use group_console::model::service_config::{
        check_rules, parse_member_arns, read_only_reason, takes_static_members,
        ConfigurationStatus, Template,
    };
    let items = proptest::collection::vec(configuration_item(), 0..3);
    let typed = (select(&FilterName::ALL[..]), wild_text());
    let input = (
        items,
        proptest::collection::vec(typed, 0..4),
        group(),
        wild_text(),
        proptest::option::of(wild_text()),
    );
    check(
        "service_configurations_filters_and_members",
        input,
        |(items, typed, g, text, reason)| {
            for e in check_rules(&items) {
                prop_assert!(!e.message.is_empty());
            }
            let _ = (read_only_reason(&items), takes_static_members(&items));
            if let Some(t) = Template::of(&items) {
                prop_assert_eq!(t.items(), items.clone());
            }
            let _ = ConfigurationStatus::of(Some(text.as_str()), reason.as_deref());
            let mut f = GroupFilters::default();
            for (name, value) in &typed {
                f.set(*name, value);
                prop_assert!(f
                    .as_wire()
                    .iter()
                    .all(|w| !w.values.is_empty() && w.values.len() <= 5));
                let again = f.typed(*name);
                let mut g2 = GroupFilters::default();
                g2.set(*name, &again);
                prop_assert_eq!(g2.typed(*name), again);
            }
            let groups = vec![g];
            let kept = f.positions(&groups, &[0]);
            prop_assert!(kept.len() <= 1);
            // The backend's answer for the filters, any names, set against the groups here:
            // every group lands in at most one list, and nothing panics.
            let listed = vec![text.clone(), groups[0].name.clone(), text.clone()];
            let m =
                group_console::view::backend_filter::BackendMatches::compare(&listed, &groups, &f);
            prop_assert!(m.matching.len() + m.differ.len() + m.not_there.len() <= 1);
            prop_assert!(m.listed <= 2 && !m.sentences().is_empty());
            let _ = serde_json::to_string(f.as_wire());
            if let Ok(arns) = parse_member_arns(&text) {
                prop_assert!(arns.iter().all(|a| Arn::parse(a).is_ok()));
            }
            Ok(())
        },
    );
}
