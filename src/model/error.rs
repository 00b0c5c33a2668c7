//! Validation errors: each names the field and says in plain words what is wrong and what is
//! allowed, so the UI can show it next to the field.

use std::fmt;

use crate::guard::FindingKind;

/// The field an error belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Name,
    Description,
    /// The key of the tag at this position in the editor.
    TagKey(usize),
    /// The value of the tag at this position.
    TagValue(usize),
    Tags,
    ResourceTypes,
    /// The key of the tag filter at this position.
    TagFilterKey(usize),
    /// The values of the tag filter at this position.
    TagFilterValues(usize),
    TagFilters,
    StackIdentifier,
    Query,
    Configuration,
    /// The group's ARN, as a backend gave it.
    Arn,
    DisplayName,
    Owner,
    Criticality,
    /// The read-only `ApplicationTag` a backend gave.
    ApplicationTag,
}

impl Field {
    /// The label of the field as people see it.
    pub fn label(&self) -> String {
        match self {
            Field::Name => "Name".into(),
            Field::Description => "Description".into(),
            Field::TagKey(i) => format!("Tag {} key", i + 1),
            Field::TagValue(i) => format!("Tag {} value", i + 1),
            Field::Tags => "Tags".into(),
            Field::ResourceTypes => "Resource types".into(),
            Field::TagFilterKey(i) => format!("Tag filter {} key", i + 1),
            Field::TagFilterValues(i) => format!("Tag filter {} values", i + 1),
            Field::TagFilters => "Tag filters".into(),
            Field::StackIdentifier => "CloudFormation stack".into(),
            Field::Query => "Resource query".into(),
            Field::Configuration => "Configuration".into(),
            Field::Arn => "Group ARN".into(),
            Field::DisplayName => "Display name".into(),
            Field::Owner => "Owner".into(),
            Field::Criticality => "Criticality".into(),
            Field::ApplicationTag => "Application".into(),
        }
    }
}

/// What is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ValidationProblem {
    Required,
    TooLong {
        max: usize,
        actual: usize,
    },
    TooMany {
        max: usize,
        actual: usize,
    },
    /// A character outside what the field allows, with its byte offset.
    BadCharacter {
        ch: char,
        at: usize,
    },
    ReservedPrefix {
        prefix: &'static str,
    },
    Duplicate,
    /// The sensitive-data guard found something (byte range into the value).
    Sensitive {
        kind: FindingKind,
        range: std::ops::Range<usize>,
    },
    Invalid,
}

/// One validation error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError {
    pub field: Field,
    pub problem: ValidationProblem,
    /// Plain words: what is wrong and what is allowed.
    pub message: String,
}

impl ValidationError {
    pub fn new(field: Field, problem: ValidationProblem, message: impl Into<String>) -> Self {
        Self {
            field,
            problem,
            message: message.into(),
        }
    }

    /// Whether this blocks saving (everything does, except guard findings in descriptions and
    /// email addresses in an owner, which are warnings).
    pub fn is_blocking(&self) -> bool {
        // In a description an account number is a warning (the person may mean it, and the
        // description is private); a credential never is: a key or password there is a leak
        // whatever the intent. An email address is only looked for where AWS invites one (the
        // owner), so it only ever warns.
        match &self.problem {
            ValidationProblem::Sensitive {
                kind: FindingKind::EmailAddress,
                ..
            } => false,
            ValidationProblem::Sensitive { kind, .. } => {
                self.field != Field::Description || kind.is_credential()
            }
            // The application tag is AWS's to write and is never sent from here: a shape the
            // API model does not describe is shown as it is, not a reason to refuse the
            // whole group on a pull (which would make the group invisible here).
            ValidationProblem::Invalid => self.field != Field::ApplicationTag,
            _ => true,
        }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field.label(), self.message)
    }
}

impl std::error::Error for ValidationError {}

/// Describes a character for a message: printable ones in quotes, others by code point.
pub fn describe_char(ch: char) -> String {
    if ch.is_control() || ch.is_whitespace() {
        format!("U+{:04X}", ch as u32)
    } else {
        format!("\u{201c}{ch}\u{201d}")
    }
}
