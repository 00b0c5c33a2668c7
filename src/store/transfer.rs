//! Export and import of groups in AWS shapes, with a preview before anything is written.
//!
//! The export is one JSON document `{"Groups": [...]}`, each entry what `aws resource-groups
//! get-group`, `get-group-query` and `get-tags` print, side by side. Descriptions are left out
//! unless asked for. The import reads that document, a bare list of entries, one entry, or the
//! output of `get-group` alone.

use serde::{Deserialize, Serialize};

use super::{ActivityEvent, Batch, EventName, Op, Source, StoreError};
use crate::model::inventory::FileError;
use crate::model::wire::ExportedGroup;
use crate::model::Group;

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ExportDocument {
    groups: Vec<ExportedGroup>,
}

/// All groups as one JSON document.
pub fn export_groups(groups: &[Group], include_descriptions: bool) -> String {
    let doc = ExportDocument {
        groups: groups
            .iter()
            .map(|g| ExportedGroup::from_group(g, include_descriptions))
            .collect(),
    };
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// One record of an import that cannot be taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejected {
    /// 1-based position in the file.
    pub record: usize,
    pub name: Option<String>,
    pub reasons: Vec<String>,
}

/// What an import would do.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportPreview {
    pub new: Vec<Group>,
    pub changed: Vec<Group>,
    pub unchanged: Vec<String>,
    pub rejected: Vec<Rejected>,
}

/// How to import when some records are rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportMode {
    /// Nothing is written unless every record is valid.
    AllOrNothing,
    /// The valid records are written; the rejected ones are not.
    ValidOnly,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum ImportDocument {
    Document(ExportDocument),
    List(Vec<ExportedGroup>),
    One(Box<ExportedGroup>),
}

/// Reads an import file and compares it with what is stored. Nothing is written.
pub fn preview_import(text: &str, existing: &[Group]) -> Result<ImportPreview, FileError> {
    // Parse as generic JSON first, so a syntax error gets its line and column.
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| FileError {
        line: e.line(),
        column: e.column(),
        message: "this is not valid JSON".into(),
    })?;
    let doc: ImportDocument = serde_json::from_value(value).map_err(|_| FileError {
        line: 1,
        column: 1,
        message: "expected our export ({\"Groups\": [...]}) or the output of aws resource-groups get-group".into(),
    })?;
    let entries = match doc {
        ImportDocument::Document(d) => d.groups,
        ImportDocument::List(l) => l,
        ImportDocument::One(g) => vec![*g],
    };
    let mut preview = ImportPreview::default();
    let mut seen = std::collections::HashSet::new();
    for (i, entry) in entries.iter().enumerate() {
        let record = i + 1;
        let name = Some(entry.group.name.clone())
            .filter(|n| !n.is_empty() && crate::guard::scan_name(n).is_empty());
        let mut group = match entry.to_group() {
            Ok(g) => g,
            Err(e) => {
                preview.rejected.push(Rejected {
                    record,
                    name,
                    reasons: vec![e.to_string()],
                });
                continue;
            }
        };
        // Fill in what the file does not carry from the stored group first, then validate the
        // group as it would be written: a description kept from the store is checked too, so
        // what the preview accepts the store's own check (`Batch::check`) accepts as well.
        let old = existing.iter().find(|g| g.name == group.name);
        if let Some(old) = old {
            // Keep what the file does not carry: times, the ARN, and a description left out of
            // an export.
            group.created_at = old.created_at;
            group.updated_at = old.updated_at;
            if group.arn.is_none() {
                group.arn = old.arn.clone();
            }
            if entry.group.description.is_none() {
                group.description = old.description.clone();
            }
            // Likewise the labels: a file from before they existed (or any that leaves them
            // out) must not clear them, which the next sync would then clear on the server.
            if entry.group.owner.is_none() {
                group.owner = old.owner.clone();
            }
            if entry.group.display_name.is_none() {
                group.display_name = old.display_name.clone();
            }
            if entry.group.criticality.is_none() {
                group.criticality = old.criticality;
            }
            // The application tag is AWS's: a file never changes the one a group has.
            group.application_tag = old.application_tag.clone();
        }
        let errors = group.blocking_errors();
        if !errors.is_empty() {
            preview.rejected.push(Rejected {
                record,
                name,
                reasons: errors.iter().map(|e| e.to_string()).collect(),
            });
            continue;
        }
        if !seen.insert(group.name.clone()) {
            preview.rejected.push(Rejected {
                record,
                name,
                reasons: vec!["The same group name appears earlier in the file.".into()],
            });
            continue;
        }
        match old {
            None => preview.new.push(group),
            Some(old) if &group == old => preview.unchanged.push(group.name),
            Some(_) => preview.changed.push(group),
        }
    }
    Ok(preview)
}

/// The batch that carries out a previewed import.
pub fn import_batch(
    preview: &ImportPreview,
    existing: &[Group],
    mode: ImportMode,
    now: i64,
) -> Result<Batch, StoreError> {
    if mode == ImportMode::AllOrNothing && !preview.rejected.is_empty() {
        return Err(StoreError::Refused(format!(
            "{} record(s) of the file are not valid, so nothing was imported. Fix them, or import only the valid ones.",
            preview.rejected.len()
        )));
    }
    let mut batch = Batch {
        bulk: true,
        ..Batch::default()
    };
    for g in &preview.new {
        let mut g = g.clone();
        g.created_at = now;
        g.updated_at = now;
        batch.events.push(ActivityEvent::new(
            now,
            EventName::CreateGroup,
            Some(&g.name),
            Source::Import,
        ));
        // Still absent when written: not created meanwhile (another tab), and not the name of
        // a quarantined record, which this would silently replace.
        batch.ops.push(Op::ExpectGroup {
            name: g.name.clone(),
            updated_at: None,
        });
        batch.ops.push(Op::PutGroup(g));
    }
    for g in &preview.changed {
        let old = existing
            .iter()
            .find(|o| o.name == g.name)
            .ok_or_else(|| StoreError::NotFound(format!("The group \u{201c}{}\u{201d}", g.name)))?;
        let fields = super::ops::changed_fields(old, g);
        batch.ops.push(Op::ExpectGroup {
            name: g.name.clone(),
            updated_at: Some(old.updated_at),
        });
        let mut g = g.clone();
        g.updated_at = now;
        batch.events.push(
            ActivityEvent::new(now, EventName::UpdateGroup, Some(&g.name), Source::Import)
                .with_fields(&fields),
        );
        batch.ops.push(Op::PutGroup(g));
    }
    batch.events.push(
        ActivityEvent::new(now, EventName::ImportGroups, None, Source::Import)
            .with_count(preview.new.len() + preview.changed.len()),
    );
    Ok(batch)
}
