//! The Resource Groups Tagging API on the wire (JSON 1.1: `POST /` with
//! `X-Amz-Target: ResourceGroupsTaggingAPI_20170126.<Operation>`, SigV4 service `tagging`):
//! the requests the Tag Editor sends and the answers it reads, typed, with the API's names.
//!
//! What comes back is backend text: it is decoded into plain shapes here; resources come into
//! our model only through `Inventory::read_get_resources_page`, with the same checks as an
//! import (a resource that fails is listed with its reason, never stored).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The `X-Amz-Target` prefix of every operation.
pub const TARGET_PREFIX: &str = "ResourceGroupsTaggingAPI_20170126.";
/// The SigV4 service name (moto routes on it).
pub const SIGNING_SERVICE: &str = "tagging";
/// The content type of JSON 1.1 requests.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";
/// `GetResources` answers at most this many resources per page.
pub const RESOURCES_PER_PAGE: u32 = 100;
/// And at most this many tags per page (the documented maximum; a resource without tags
/// counts as one). Without it a backend may apply the documented default of 100 tags, and a
/// page of resources with three tags each holds 33: moto does, which made pulls three times
/// as many pages as needed.
pub const TAGS_PER_PAGE: u32 = 500;

/// The operations the app calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    GetResources,
    GetTagKeys,
    GetTagValues,
    TagResources,
    UntagResources,
}

impl Operation {
    pub fn name(self) -> &'static str {
        match self {
            Operation::GetResources => "GetResources",
            Operation::GetTagKeys => "GetTagKeys",
            Operation::GetTagValues => "GetTagValues",
            Operation::TagResources => "TagResources",
            Operation::UntagResources => "UntagResources",
        }
    }

    /// The `X-Amz-Target` header's value.
    pub fn target(self) -> String {
        format!("{TARGET_PREFIX}{}", self.name())
    }
}

/// A tag filter of `GetResources`: the key, and the values of which one must match (none:
/// any value).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TagFilter {
    pub key: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetResourcesRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination_token: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tag_filters: Vec<TagFilter>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resources_per_page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags_per_page: Option<u32>,
    /// `service[:resourceType]`, e.g. `ec2:instance`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resource_type_filters: Vec<String>,
}

// A `GetResources` answer is the JSON the CLI prints: it is read by
// `Inventory::read_get_resources_page`, with the import's checks and reasons.

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetTagKeysRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination_token: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetTagKeysResponse {
    #[serde(default)]
    pub pagination_token: Option<String>,
    #[serde(default)]
    pub tag_keys: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetTagValuesRequest {
    pub key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination_token: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetTagValuesResponse {
    #[serde(default)]
    pub pagination_token: Option<String>,
    #[serde(default)]
    pub tag_values: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TagResourcesRequest {
    #[serde(rename = "ResourceARNList")]
    pub resource_arn_list: Vec<String>,
    pub tags: BTreeMap<String, String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UntagResourcesRequest {
    #[serde(rename = "ResourceARNList")]
    pub resource_arn_list: Vec<String>,
    pub tag_keys: Vec<String>,
}

/// Why one resource of a `TagResources` / `UntagResources` call was not changed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FailureInfo {
    #[serde(default)]
    pub status_code: Option<u16>,
    /// `InternalServiceException`, `InvalidParameterException`, …
    #[serde(default)]
    pub error_code: Option<String>,
    #[serde(default)]
    pub error_message: Option<String>,
}

impl FailureInfo {
    /// Whether trying again may work: the service's own failures and throttling, not a
    /// refused parameter.
    pub fn retryable(&self) -> bool {
        let code = self.error_code.as_deref().unwrap_or("");
        code != "InvalidParameterException" && self.status_code.is_none_or(|s| s >= 500 || s == 429)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TagResourcesResponse {
    /// By ARN: the resources the call did not change. Empty when all were changed.
    #[serde(default)]
    pub failed_resources_map: BTreeMap<String, FailureInfo>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_have_the_api_shapes() {
        let r = GetResourcesRequest {
            pagination_token: Some("tok".into()),
            tag_filters: vec![TagFilter {
                key: "環境".into(),
                values: vec!["本番".into()],
            }],
            resources_per_page: Some(RESOURCES_PER_PAGE),
            tags_per_page: Some(TAGS_PER_PAGE),
            resource_type_filters: vec![],
        };
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"PaginationToken":"tok","TagFilters":[{"Key":"環境","Values":["本番"]}],"ResourcesPerPage":100,"TagsPerPage":500}"#
        );
        assert_eq!(
            serde_json::to_string(&GetResourcesRequest::default()).unwrap(),
            "{}"
        );
        let t = TagResourcesRequest {
            resource_arn_list: vec!["arn:aws:s3:::b".into()],
            tags: [("Team".to_owned(), "web".to_owned())].into(),
        };
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            r#"{"ResourceARNList":["arn:aws:s3:::b"],"Tags":{"Team":"web"}}"#
        );
        let u = UntagResourcesRequest {
            resource_arn_list: vec!["arn:aws:s3:::b".into()],
            tag_keys: vec!["Team".into()],
        };
        assert_eq!(
            serde_json::to_string(&u).unwrap(),
            r#"{"ResourceARNList":["arn:aws:s3:::b"],"TagKeys":["Team"]}"#
        );
        let v = GetTagValuesRequest {
            key: "Team".into(),
            pagination_token: None,
        };
        assert_eq!(serde_json::to_string(&v).unwrap(), r#"{"Key":"Team"}"#);
        assert_eq!(
            Operation::GetResources.target(),
            "ResourceGroupsTaggingAPI_20170126.GetResources"
        );
    }

    #[test]
    fn answers_decode_and_refused_resources_are_listed() {
        // The shape boto3 and the CLI print for `get-resources`: read as an import is.
        let (report, next) = crate::model::Inventory::read_get_resources_page(
            r#"{"PaginationToken":"","ResourceTagMappingList":[
                {"ResourceARN":"arn:aws:s3:::zeta","Tags":[{"Key":"環境","Value":"本番"}]},
                {"ResourceARN":"not an arn","Tags":[{"Key":"k","Value":"v"}]}
            ]}"#,
        )
        .unwrap();
        assert_eq!(
            (report.resources.len(), report.rejected.len(), next),
            (1, 1, None)
        );
        let (_, next) =
            crate::model::Inventory::read_get_resources_page(r#"{"PaginationToken":"abc"}"#)
                .unwrap();
        assert_eq!(next.as_deref(), Some("abc"));
        let failed: TagResourcesResponse = serde_json::from_str(
            r#"{"FailedResourcesMap":{"arn:aws:s3:::b":{"StatusCode":500,"ErrorCode":"InternalServiceException","ErrorMessage":"try later"},
               "arn:aws:s3:::c":{"StatusCode":400,"ErrorCode":"InvalidParameterException"}}}"#,
        )
        .unwrap();
        assert!(failed.failed_resources_map["arn:aws:s3:::b"].retryable());
        assert!(!failed.failed_resources_map["arn:aws:s3:::c"].retryable());
        let none: TagResourcesResponse = serde_json::from_str("{}").unwrap();
        assert!(none.failed_resources_map.is_empty());
    }
}
