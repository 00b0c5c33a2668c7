//! The resource inventory that group queries are evaluated against: resources with their ARN,
//! type and tags, imported from what `aws resourcegroupstaggingapi get-resources` prints
//! (`ResourceTagMappingList`) or from CSV (ARN, then one column per tag key), with a report of
//! every record that could not be taken — nothing is silently dropped.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::arn::Arn;
use super::error::Field;
use super::group::check_tag_key;
use super::text::strip_prefix_ignore_ascii_case;

/// One resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resource {
    pub arn: String,
    /// CloudFormation-style type, e.g. `AWS::EC2::Instance`.
    pub resource_type: String,
    /// Tags in their original order; keys are unique.
    pub tags: Vec<(String, String)>,
    /// Where it came from: the region of the backend pull that brought it (the Tagging API),
    /// or `None` for an import or a local edit. A pull replaces exactly the resources an
    /// earlier pull of the same region brought, and leaves imported ones alone.
    pub pulled_from: Option<String>,
}

impl Resource {
    /// A resource with a valid ARN; the type is derived from the ARN unless given.
    pub fn new(
        arn: &str,
        resource_type: Option<&str>,
        tags: Vec<(String, String)>,
    ) -> Result<Self, String> {
        let parsed = Arn::parse(arn).map_err(|e| e.to_string())?;
        Ok(Resource {
            arn: arn.trim().to_owned(),
            resource_type: resource_type
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .unwrap_or_else(|| parsed.resource_type()),
            tags,
            pulled_from: None,
        })
    }

    /// Whether the ARN, the type or a tag key or value contains `needle`, ignoring case. An
    /// empty needle matches everything (the tables' "Find resources" box).
    pub fn contains_text(&self, needle: &str) -> bool {
        let needle = needle.trim().to_lowercase();
        let has = |s: &str| s.to_lowercase().contains(&needle);
        needle.is_empty()
            || has(&self.arn)
            || has(&self.resource_type)
            || self.tags.iter().any(|(k, v)| has(k) || has(v))
    }

    /// The value of a tag.
    pub fn tag(&self, key: &str) -> Option<&str> {
        self.tags
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// A record that could not be imported, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordError {
    /// 1-based: the line of a CSV file, or the position in `ResourceTagMappingList`.
    pub record: usize,
    /// The ARN, when one could be read.
    pub arn: Option<String>,
    pub message: String,
}

/// What an import found: the resources it can take and the records it rejected.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub resources: Vec<Resource>,
    pub rejected: Vec<RecordError>,
}

/// The inventory.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Inventory {
    pub resources: Vec<Resource>,
}

// --- get-resources JSON -------------------------------------------------------------------------

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GetResourcesOutput {
    #[serde(rename = "ResourceTagMappingList", default)]
    list: Vec<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pagination_token: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Mapping {
    #[serde(rename = "ResourceARN")]
    resource_arn: String,
    #[serde(default)]
    tags: Vec<WireTag>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireTag {
    key: String,
    #[serde(default)]
    value: String,
}

/// Why a whole file could not be read (as opposed to single records).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

/// Checks the tags of one resource; the first problem, in plain words. AWS's own `aws:` tags
/// are allowed on resources.
pub fn check_resource_tags(tags: &[(String, String)]) -> Result<(), String> {
    check_record_tags(tags)
}

/// Checks tags of one record; the first problem, in plain words.
fn check_record_tags(tags: &[(String, String)]) -> Result<(), String> {
    for (i, (k, v)) in tags.iter().enumerate() {
        // Resources carry AWS's own tags (aws:cloudformation:stack-id = a stack ARN, which has
        // the account ID in it): written by AWS, not typed by a person. Their keys are checked
        // without the reserved prefix, their values for form and by the guard with the one
        // exemption AWS's naming needs (`aws_written_findings`: an account ID in an ARN's
        // account field). A key or a token in an `aws:` tag still blocks.
        let aws_managed = strip_prefix_ignore_ascii_case(k, "aws:");
        let key_problem = if let Some(rest) = aws_managed {
            check_tag_key(&format!("x{rest}"), Field::TagKey(i), true)
        } else {
            check_tag_key(k, Field::TagKey(i), true)
        };
        if let Some(e) = key_problem {
            return Err(format!("tag key {}: {}", i + 1, e.message));
        }
        let value_problem = if aws_managed.is_some() {
            crate::model::group::check_tag_value_form(v, Field::TagValue(i)).or_else(|| {
                crate::model::group::aws_written_findings(v)
                    .into_iter()
                    .next()
                    .map(|f| {
                        crate::model::ValidationError::new(
                            Field::TagValue(i),
                            crate::model::error::ValidationProblem::Sensitive {
                                kind: f.kind,
                                range: f.range,
                            },
                            f.message,
                        )
                    })
            })
        } else {
            crate::model::group::check_tag_pair_value(k, v, Field::TagValue(i))
        };
        if let Some(e) = value_problem {
            return Err(format!(
                "the value of tag \u{201c}{}\u{201d}: {}",
                safe_key(k),
                e.message
            ));
        }
        if tags[..i].iter().any(|(o, _)| o == k) {
            return Err(format!(
                "the tag key \u{201c}{}\u{201d} appears twice",
                safe_key(k)
            ));
        }
    }
    Ok(())
}

/// A tag key for a message: keys the guard flags are not repeated.
fn safe_key(k: &str) -> String {
    if crate::guard::scan_name(k).is_empty() {
        k.to_owned()
    } else {
        "(hidden)".to_owned()
    }
}

/// Adds a record to the report unless it is invalid or repeats an ARN.
fn take(
    report: &mut ImportReport,
    seen: &mut HashMap<String, usize>,
    record: usize,
    arn: &str,
    tags: Vec<(String, String)>,
) {
    let arn = arn.trim();
    if let Err(message) = check_record_tags(&tags) {
        report.rejected.push(RecordError {
            record,
            arn: Some(arn.to_owned()),
            message: capitalise(&message),
        });
        return;
    }
    match Resource::new(arn, None, tags) {
        Ok(r) => {
            if let Some(first) = seen.get(&r.arn) {
                report.rejected.push(RecordError {
                    record,
                    arn: Some(r.arn.clone()),
                    message: format!(
                        "The same ARN is already in record {first}; each resource can appear once."
                    ),
                });
            } else {
                seen.insert(r.arn.clone(), record);
                report.resources.push(r);
            }
        }
        Err(message) => report.rejected.push(RecordError {
            record,
            arn: (!arn.is_empty()).then(|| arn.to_owned()),
            message: format!("The ARN is not valid. {message}"),
        }),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

impl Inventory {
    /// Reads the JSON that `aws resourcegroupstaggingapi get-resources` prints.
    pub fn import_get_resources_json(text: &str) -> Result<ImportReport, FileError> {
        Self::read_get_resources_page(text).map(|(report, _)| report)
    }

    /// One page of a `GetResources` answer (the same JSON), and the token of the next page if
    /// there is one: what a pull from the Tagging API reads, with the same checks and reasons
    /// as an import of the CLI's file.
    pub fn read_get_resources_page(
        text: &str,
    ) -> Result<(ImportReport, Option<String>), FileError> {
        let out: GetResourcesOutput = serde_json::from_str(text).map_err(|e| FileError {
            line: e.line(),
            column: e.column(),
            message: format!(
                "this is not the JSON that get-resources prints ({})",
                plain_json_error(&e)
            ),
        })?;
        let mut report = ImportReport::default();
        let mut seen = HashMap::new();
        for (i, value) in out.list.into_iter().enumerate() {
            let record = i + 1;
            match serde_json::from_value::<Mapping>(value) {
                Ok(m) => {
                    let tags = m.tags.into_iter().map(|t| (t.key, t.value)).collect();
                    take(&mut report, &mut seen, record, &m.resource_arn, tags);
                }
                Err(e) => report.rejected.push(RecordError {
                    record,
                    arn: None,
                    message: format!("The record needs a ResourceARN and a list of Tags with Key and Value ({}).", plain_json_error(&e)),
                }),
            }
        }
        let next = out.pagination_token.filter(|t| !t.is_empty());
        Ok((report, next))
    }

    /// Reads CSV: a header `ARN,<tag key>,<tag key>…`, then one resource per line. Quoted fields
    /// (RFC 4180) are understood. An empty cell means the resource does not have that tag; a
    /// quoted empty cell (`""`) is the tag with an empty value, as [`Inventory::to_csv`] writes
    /// it. Unquoted header cells are trimmed (`ARN, Stage` typed by hand); quoted ones are taken
    /// as they are. A leading `'` that [`Inventory::to_csv`] put before a formula character is
    /// removed again (see [`neutralise_formula`]).
    pub fn import_csv(text: &str) -> Result<ImportReport, FileError> {
        let rows = parse_csv(text)?;
        let mut rows = rows
            .into_iter()
            .filter(|(_, cells)| !(cells.len() == 1 && cells[0].text.trim().is_empty()));
        let Some((_, header)) = rows.next() else {
            return Err(FileError {
                line: 1,
                column: 1,
                message: "the file is empty; the first line must be ARN followed by tag keys"
                    .into(),
            });
        };
        if !header
            .first()
            .is_some_and(|h| h.text.trim().eq_ignore_ascii_case("arn"))
        {
            return Err(FileError {
                line: 1,
                column: 1,
                message: "the first column of the header must be ARN, the others tag keys".into(),
            });
        }
        let keys: Vec<String> = header
            .iter()
            .skip(1)
            .map(|k| {
                let key = if k.quoted {
                    k.text.as_str()
                } else {
                    k.text.trim()
                };
                restore_formula(key).to_owned()
            })
            .collect();
        let mut report = ImportReport::default();
        let mut seen = HashMap::new();
        for (line, cells) in rows {
            if cells.len() != header.len() {
                report.rejected.push(RecordError {
                    record: line,
                    arn: cells
                        .first()
                        .map(|a| a.text.trim().to_owned())
                        .filter(|a| !a.is_empty()),
                    message: format!(
                        "The line has {} columns; the header has {}.",
                        cells.len(),
                        header.len()
                    ),
                });
                continue;
            }
            let tags = keys
                .iter()
                .zip(cells.iter().skip(1))
                .filter(|(_, v)| v.quoted || !v.text.is_empty())
                .map(|(k, v)| (k.clone(), restore_formula(&v.text).to_owned()))
                .collect();
            let arn = cells.first().map_or("", |c| restore_formula(&c.text));
            take(&mut report, &mut seen, line, arn, tags);
        }
        Ok(report)
    }

    /// The inventory as `get-resources` JSON.
    pub fn to_get_resources_json(&self) -> String {
        let list = self
            .resources
            .iter()
            .map(|r| {
                serde_json::to_value(Mapping {
                    resource_arn: r.arn.clone(),
                    tags: r
                        .tags
                        .iter()
                        .map(|(k, v)| WireTag {
                            key: k.clone(),
                            value: v.clone(),
                        })
                        .collect(),
                })
                .unwrap_or_default()
            })
            .collect();
        serde_json::to_string_pretty(&GetResourcesOutput {
            list,
            pagination_token: Some(String::new()),
        })
        .unwrap_or_default()
    }

    /// The inventory as CSV: ARN, then one column per tag key (sorted). A tag the resource
    /// lacks is an empty cell; a tag with an empty value is `""`, so the two stay apart when
    /// the file is imported again. Cells that a spreadsheet would run as a formula are
    /// neutralised (see [`neutralise_formula`]).
    pub fn to_csv(&self) -> String {
        let mut keys: Vec<&str> = self
            .resources
            .iter()
            .flat_map(|r| r.tags.iter().map(|(k, _)| k.as_str()))
            .collect();
        crate::sort::sort(&mut keys);
        keys.dedup();
        let mut out = String::new();
        let header: Vec<Option<&str>> = std::iter::once("ARN")
            .chain(keys.iter().copied())
            .map(Some)
            .collect();
        push_csv_row(&mut out, &header);
        for r in &self.resources {
            let row: Vec<Option<&str>> = std::iter::once(Some(r.arn.as_str()))
                .chain(keys.iter().map(|k| r.tag(k)))
                .collect();
            push_csv_row(&mut out, &row);
        }
        out
    }
}

fn plain_json_error(e: &serde_json::Error) -> String {
    // serde's message without its own "at line x column y" suffix.
    let s = e.to_string();
    match s.split_once(" at line ") {
        Some((message, _)) => message.to_owned(),
        None => s,
    }
}

/// The characters that make a spreadsheet (Excel, LibreOffice, Google Sheets) read a cell as a
/// formula: OWASP's "CSV Injection" list. A tag value such as `=HYPERLINK(…)` or `@SUM(…)`
/// would otherwise run when someone opens the export, and `-5` or `+49 30 1234` would be turned
/// into numbers or formulas instead of staying text.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether a cell needs a `'` in front in the export: it starts with a formula character,
/// possibly after `'`s of its own. Counting the text's own leading `'`s is what makes the
/// escape reversible: `'-5` (a value that really starts with `'`) is written `''-5` and read
/// back as `'-5`, while `'abc` needs nothing and is written and read unchanged.
fn needs_formula_guard(cell: &str) -> bool {
    cell.trim_start_matches('\'').starts_with(FORMULA_START)
}

/// The cell as written to CSV: `'` + the cell when [`needs_formula_guard`], else unchanged.
///
/// We choose the OWASP prefix over dropping or rewriting characters because it loses nothing:
/// spreadsheets show the cell as text, and [`restore_formula`] undoes it exactly on import, so
/// an export → import round trip gives back the same tags.
pub fn neutralise_formula(cell: &str) -> std::borrow::Cow<'_, str> {
    if needs_formula_guard(cell) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// The inverse of [`neutralise_formula`]: one leading `'` is removed only when what follows
/// would have been guarded. For every text `s`, `restore_formula(&neutralise_formula(s)) == s`.
pub fn restore_formula(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_formula_guard(rest) => rest,
        _ => cell,
    }
}

/// One CSV row. `None` is an absent value (an empty cell); `Some("")` is written `""` so the
/// reader can tell it from `None`. Cells are neutralised first, then quoted when they hold a
/// separator, a quote or a line break, or start or end with whitespace (which the reader would
/// otherwise trim from header cells).
fn push_csv_row(out: &mut String, cells: &[Option<&str>]) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let Some(cell) = cell else { continue };
        let f = neutralise_formula(cell);
        if f.is_empty()
            || f.contains([',', '"', '\n', '\r'])
            || f.starts_with(char::is_whitespace)
            || f.ends_with(char::is_whitespace)
        {
            out.push('"');
            out.push_str(&f.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&f);
        }
    }
    out.push('\n');
}

/// One parsed CSV cell; `quoted` tells `""` (an empty value) from an empty cell (no value).
struct Cell {
    text: String,
    quoted: bool,
}

/// Ends the cell being read: its text and quotedness go into `cells`, both reset for the next.
fn end_cell(field: &mut String, quoted: &mut bool, cells: &mut Vec<Cell>) {
    cells.push(Cell {
        text: std::mem::take(field),
        quoted: std::mem::take(quoted),
    });
}

/// RFC 4180 CSV: rows of cells with their 1-based starting line.
fn parse_csv(text: &str) -> Result<Vec<(usize, Vec<Cell>)>, FileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rows = Vec::new();
    let mut cells = Vec::new();
    let mut field = String::new();
    // Whether the field being read opened with a quote.
    let mut quoted = false;
    let mut line = 1;
    let mut row_line = 1;
    let mut chars = text.chars().peekable();
    let mut in_quotes = false;
    let mut quote_line = 0;
    let mut at_field_start = true;
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => in_quotes = false,
                '\n' => {
                    line += 1;
                    field.push('\n');
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if at_field_start => {
                in_quotes = true;
                quoted = true;
                quote_line = line;
                at_field_start = false;
            }
            ',' => {
                end_cell(&mut field, &mut quoted, &mut cells);
                at_field_start = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                end_cell(&mut field, &mut quoted, &mut cells);
                rows.push((row_line, std::mem::take(&mut cells)));
                line += 1;
                row_line = line;
                at_field_start = true;
            }
            _ => {
                field.push(c);
                at_field_start = false;
            }
        }
    }
    if in_quotes {
        return Err(FileError {
            line: quote_line,
            column: 1,
            message: "a quoted field is never closed (a \" is missing)".into(),
        });
    }
    if !field.is_empty() || quoted || !cells.is_empty() {
        end_cell(&mut field, &mut quoted, &mut cells);
        rows.push((row_line, cells));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    const JSON: &str = r#"{
        "ResourceTagMappingList": [
            {"ResourceARN": "arn:aws:ec2:us-east-1:123456789012:instance/i-1", "Tags": [{"Key": "Stage", "Value": "Prod"}]},
            {"ResourceARN": "not-an-arn", "Tags": []},
            {"ResourceARN": "arn:aws:s3:::bucket-a", "Tags": [{"Key": "Billing", "Value": "4111 1111 1111 1111"}]},
            {"Tags": []},
            {"ResourceARN": "arn:aws:ec2:us-east-1:123456789012:instance/i-1", "Tags": []},
            {"ResourceARN": "arn:aws:s3:::bucket-b"}
        ],
        "PaginationToken": ""
    }"#;

    #[test]
    fn get_resources_json_with_a_report_of_every_bad_record() {
        let r = Inventory::import_get_resources_json(JSON).unwrap();
        assert_eq!(r.resources.len(), 2);
        assert_eq!(r.resources[0].resource_type, "AWS::EC2::Instance");
        assert_eq!(r.resources[1].arn, "arn:aws:s3:::bucket-b");
        let records: Vec<usize> = r.rejected.iter().map(|e| e.record).collect();
        assert_eq!(records, [2, 3, 4, 5]);
        assert!(r.rejected[0].message.contains("ARN is not valid"));
        assert!(r.rejected[1].message.contains("payment card"));
        assert!(!r.rejected[1].message.contains("4111"));
        assert!(r.rejected[3].message.contains("record 1"));
    }

    #[test]
    fn text_search_over_arn_type_and_tags() {
        let r = Resource::new(
            "arn:aws:s3:::logs",
            None,
            vec![("Team".into(), "Data".into())],
        )
        .unwrap();
        assert!(r.contains_text(""));
        assert!(r.contains_text(" LOGS "));
        assert!(r.contains_text("s3::bucket"));
        assert!(r.contains_text("team"));
        assert!(r.contains_text("data"));
        assert!(!r.contains_text("web"));
    }

    #[test]
    fn aws_managed_tags_may_carry_arns() {
        let stack = "arn:aws:cloudformation:us-east-1:123456789012:stack/web/1";
        assert!(
            check_resource_tags(&[("aws:cloudformation:stack-id".into(), stack.into())]).is_ok()
        );
        assert!(
            check_resource_tags(&[("StackRef".into(), stack.into())]).is_err(),
            "a person's tag is guarded"
        );
    }

    #[test]
    fn malformed_json_says_where() {
        let e =
            Inventory::import_get_resources_json("{\n  \"ResourceTagMappingList\": [\n  {,\n]}")
                .unwrap_err();
        assert_eq!(e.line, 3);
    }

    #[test]
    fn csv_with_quotes_and_bad_lines() {
        let csv = "ARN,Stage,Team\n\
                   arn:aws:s3:::a,Prod,\"Platform core\"\n\
                   arn:aws:s3:::b,,x\n\
                   arn:aws:s3:::c,Prod\n\
                   bogus,Prod,x\n\
                   \"arn:aws:s3:::d\",\"multi\nline\",y\n";
        let r = Inventory::import_csv(csv).unwrap();
        assert_eq!(r.resources.len(), 2, "{:?}", r.rejected);
        assert_eq!(r.resources[0].tag("Team"), Some("Platform core"));
        assert_eq!(r.resources[1].tag("Stage"), None, "an empty cell is no tag");
        assert_eq!(
            r.rejected.iter().map(|e| e.record).collect::<Vec<_>>(),
            [4, 5, 6]
        );
        assert!(r.rejected[2]
            .message
            .contains("Tag values can't contain U+000A"));
        assert!(Inventory::import_csv("Stage,ARN\n").is_err());
        assert_eq!(Inventory::import_csv("ARN\n\"open").unwrap_err().line, 2);
    }

    #[test]
    fn export_and_import_round_trip() {
        let r = Inventory::import_get_resources_json(JSON).unwrap();
        let inv = Inventory {
            resources: r.resources,
        };
        let again = Inventory::import_get_resources_json(&inv.to_get_resources_json()).unwrap();
        assert_eq!(again.resources, inv.resources);
        let again = Inventory::import_csv(&inv.to_csv()).unwrap();
        assert_eq!(again.resources, inv.resources);
    }

    #[test]
    fn formula_cells_are_neutralised_and_restored_exactly() {
        for (value, written) in [
            ("-5", "'-5"),
            ("=SUM(A1)", "'=SUM(A1)"),
            ("@user", "'@user"),
            ("+49 30 1234", "'+49 30 1234"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            // A value of its own starting with ' and a letter: nothing to guard, nothing to undo.
            ("'abc", "'abc"),
            // Its own ' before a formula character: one more ' keeps the escape reversible.
            ("'-5", "''-5"),
            ("a-5", "a-5"),
            ("", ""),
        ] {
            assert_eq!(neutralise_formula(value), written, "{value:?}");
            assert_eq!(restore_formula(written), value, "{written:?}");
        }
    }

    #[test]
    fn csv_export_neutralises_formulas_and_keeps_empty_values() {
        let tags = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<Vec<_>>()
        };
        let a = Resource::new(
            "arn:aws:s3:::a",
            None,
            tags(&[
                ("-key", "x"),
                ("Delta", "-5"),
                ("Empty", ""),
                ("Owner", "@user"),
                ("Sum", "=1+2"),
            ]),
        )
        .unwrap();
        let b = Resource::new("arn:aws:s3:::b", None, tags(&[("Formula", "=SUM(A1)")])).unwrap();
        let inv = Inventory {
            resources: vec![a.clone(), b],
        };
        let csv = inv.to_csv();
        assert_eq!(
            csv,
            "ARN,'-key,Delta,Empty,Formula,Owner,Sum\n\
             arn:aws:s3:::a,x,'-5,\"\",,'@user,'=1+2\n\
             arn:aws:s3:::b,,,,'=SUM(A1),,\n"
        );
        let back = Inventory::import_csv(&csv).unwrap();
        assert_eq!(
            back.resources,
            [a],
            "the ' is removed again; \"\" is an empty value"
        );
        // `(` is not allowed in tag values: the record is refused, quoting the restored value's
        // character, not the '.
        assert_eq!(back.rejected.len(), 1);
        assert!(
            back.rejected[0].message.contains("\u{201c}(\u{201d}"),
            "{:?}",
            back.rejected
        );
        // A ' of the file's own before a letter stays (and is then not a valid tag character).
        let own = Inventory::import_csv("ARN,Note\narn:aws:s3:::c,'abc\n").unwrap();
        assert!(
            own.rejected[0].message.contains("\u{201c}'\u{201d}"),
            "{:?}",
            own.rejected
        );
    }

    #[test]
    fn csv_keeps_padded_keys_and_empty_values_apart_from_absent_ones() {
        let r = Resource::new(
            "arn:aws:s3:::a",
            None,
            vec![
                ("\u{3000}Team".into(), "".into()),
                (" Stage ".into(), "Prod".into()),
            ],
        )
        .unwrap();
        let mut sorted = r.clone();
        crate::sort::sort(&mut sorted.tags);
        let inv = Inventory { resources: vec![r] };
        let back = Inventory::import_csv(&inv.to_csv()).unwrap();
        assert_eq!(back.resources, [sorted]);
        // Typed by hand: unquoted header cells are trimmed, an empty cell is no tag.
        let typed = Inventory::import_csv("ARN, Stage ,Team\narn:aws:s3:::a,Prod,\n").unwrap();
        assert_eq!(
            typed.resources[0].tags,
            [("Stage".to_owned(), "Prod".to_owned())]
        );
    }
}
