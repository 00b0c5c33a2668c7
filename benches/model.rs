//! Benchmarks that print figures: evaluating one tag query over 100,000 inventory resources,
//! and guard scans per second for names and URLs. Run with `scripts/bench.sh` or
//! `cargo bench --bench model`.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use std::hint::black_box;
    use std::time::Instant;

    use group_console::guard::{scan_name, scan_url};
    use group_console::model::{InventoryIndex, Resource, ResourceQuery, TagFilter};

    // A deterministic inventory: 100,000 resources of 5 types with 3–6 tags each.
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let kinds = [
        "instance/i-",
        "volume/vol-",
        "security-group/sg-",
        "snapshot/snap-",
        "natgateway/nat-",
    ];
    let stages = ["Dev", "Test", "Prod", "Staging"];
    let teams = ["Platform", "Data", "Web", "Mobile", "Security", "Billing"];
    let resources: Vec<Resource> = (0..100_000)
        .map(|i| {
            let r = next();
            let arn = format!(
                "arn:aws:ec2:us-east-1:{:012}:{}{:017x}",
                1 + r % 7,
                kinds[(r % 5) as usize],
                i
            );
            let mut tags = vec![
                ("Stage".to_owned(), stages[(r >> 8) as usize % 4].to_owned()),
                ("Team".to_owned(), teams[(r >> 16) as usize % 6].to_owned()),
                ("Name".to_owned(), format!("res-{i}")),
            ];
            for extra in 0..(r >> 24) % 4 {
                tags.push((format!("Extra{extra}"), "x".to_owned()));
            }
            Resource::new(&arn, None, tags).expect("valid ARN")
        })
        .collect();

    let query = ResourceQuery::Tags {
        resource_types: vec!["AWS::EC2::Instance".into(), "AWS::EC2::Volume".into()],
        tag_filters: vec![
            TagFilter {
                key: "Stage".into(),
                values: vec!["Prod".into(), "Staging".into()],
            },
            TagFilter {
                key: "Team".into(),
                values: vec![],
            },
        ],
    };
    let all_types = ResourceQuery::tags(vec![TagFilter {
        key: "Team".into(),
        values: vec!["Web".into()],
    }]);

    let start = Instant::now();
    let index = InventoryIndex::build(&resources);
    println!(
        "index build: 100,000 resources in {:.1} ms (once per inventory change)",
        start.elapsed().as_secs_f64() * 1e3
    );
    for (label, q) in [
        ("2 types, 2 filters", &query),
        ("all types, 1 filter", &all_types),
    ] {
        let rounds = 200;
        let mut matched = 0;
        let start = Instant::now();
        for _ in 0..rounds {
            let m = index.matcher(black_box(q));
            matched = black_box(m.count(black_box(&index)));
        }
        let per = start.elapsed() / rounds;
        println!(
            "indexed query eval ({label}): 100,000 resources in {:.2} ms ({matched} match, {:.1} M resources/s)",
            per.as_secs_f64() * 1e3,
            1e5 / per.as_secs_f64() / 1e6
        );
    }

    for (label, q) in [
        ("2 types, 2 filters", &query),
        ("all types, 1 filter", &all_types),
    ] {
        let m = q.matcher();
        let rounds = 50;
        let mut matched = 0;
        let start = Instant::now();
        for _ in 0..rounds {
            matched = black_box(m.count(black_box(&resources)));
        }
        let per = start.elapsed() / rounds;
        println!(
            "plain query eval ({label}): 100,000 resources in {:.2} ms ({matched} match, {:.1} M resources/s; a frame is 16.7 ms)",
            per.as_secs_f64() * 1e3,
            1e5 / per.as_secs_f64() / 1e6
        );
    }

    let names = [
        "web-prod",
        "backup-2026-11-28",
        "prod-123456789012-web",
        "Acct123456789012",
        "ip-10-0-12-7",
        "release-v1.2.3",
        "billing 4111 1111 1111 1111",
        "DE89370400440532013000",
        "ASIAPACIFIC",
        "key-AKIAIOSFODNN7EXAMPLE",
        "a-long-but-ordinary-group-name-for-the-data-platform-team",
        "Stage",
    ];
    let urls = [
        "https://resource-groups.us-east-1.amazonaws.com",
        "https://user:pass@example.com/",
        "https://example.com/groups?page=2&sort=name",
        "https://bucket.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20261128&X-Amz-Signature=abc123",
        "http://127.0.0.1:5000/",
        "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
    ];
    let rounds = 20_000;
    let start = Instant::now();
    for _ in 0..rounds {
        for n in &names {
            black_box(scan_name(black_box(n)));
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "scan_name: {:.0} scans/s ({:.2} µs per name, mixed names)",
        (rounds * names.len()) as f64 / secs,
        secs * 1e6 / (rounds * names.len()) as f64
    );
    let start = Instant::now();
    for _ in 0..rounds {
        for u in &urls {
            black_box(scan_url(black_box(u)));
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "scan_url: {:.0} scans/s ({:.2} µs per URL, mixed URLs)",
        (rounds * urls.len()) as f64 / secs,
        secs * 1e6 / (rounds * urls.len()) as f64
    );

    // The data-protection audit over the same 100,000 resources and 10,000 groups shaped like
    // people's (a name, a description, 3 tags, a 2-filter query; one in 50 with an account ID
    // in its name). The browser figure is in scripts/bench-ui.mjs.
    use group_console::model::Group;
    use group_console::view::audit::Audit;
    let groups: Vec<Group> = (0..10_000usize)
        .map(|i| {
            let name = if i % 50 == 0 {
                format!("web-{:012}", 100_000_000_000usize + i)
            } else {
                format!("team-{}-service-{i}", teams[i % 6])
            };
            let mut g = Group::new(&name, query.clone());
            g.description = format!(
                "Resources of the {} team, stage {}",
                teams[i % 6],
                stages[i % 4]
            );
            g.tags.insert("Team".into(), teams[i % 6].into());
            g.tags.insert("Stage".into(), stages[i % 4].into());
            g.tags.insert("CostCenter".into(), format!("cc-{}", i % 97));
            g
        })
        .collect();
    // As the page runs it: group by group through the book (which keeps what it saw).
    let start = Instant::now();
    let mut book = group_console::view::audit::AuditBook::default();
    let all: Vec<usize> = (0..groups.len()).collect();
    book.audit_groups(black_box(&groups), &all);
    let groups_ms = start.elapsed().as_secs_f64() * 1e3;
    let mut audit = Audit::default();
    let start = Instant::now();
    audit.resources(black_box(&resources));
    let resources_ms = start.elapsed().as_secs_f64() * 1e3;
    book.put_resources(1, audit);
    let report = book.report(&groups, Audit::default());
    println!(
        "audit: 10,000 groups in {groups_ms:.0} ms, 100,000 resources in {resources_ms:.0} ms ({} findings; native, one core)",
        report.findings.len()
    );
}

#[cfg(target_arch = "wasm32")]
fn main() {}
