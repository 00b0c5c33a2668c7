//! Service configurations: the documented kinds of configuration-based groups, the rules AWS
//! states for each (the user guide's "Service configurations for resource groups"), templates
//! for the ones a person can make, and which ones are AWS's alone to change.
//!
//! [`super::group::check_configuration`] checks the shape the API model allows (1–2 items,
//! names and values by pattern) and runs on every group, also one a backend sends; the rules
//! here are stricter and run only on what a person makes or edits here ([`check_rules`]): a
//! group AWS made with a type this version does not know must still be readable.

use super::error::{Field, ValidationError, ValidationProblem};
use super::group::{ConfigurationItem, ConfigurationParameter};

pub const GENERIC: &str = "AWS::ResourceGroups::Generic";
pub const CAPACITY_RESERVATION_POOL: &str = "AWS::EC2::CapacityReservationPool";
pub const HOST_MANAGEMENT: &str = "AWS::EC2::HostManagement";
pub const NETWORK_FIREWALL_RULE_GROUP: &str = "AWS::NetworkFirewall::RuleGroup";
pub const APPREGISTRY_APPLICATION: &str = "AWS::AppRegistry::Application";
pub const APPREGISTRY_APPLICATION_RESOURCE_GROUP: &str =
    "AWS::AppRegistry::ApplicationResourceGroup";
pub const CLOUDFORMATION_STACK: &str = "AWS::CloudFormation::Stack";
pub const APPLICATION_GROUP: &str = "AWS::ResourceGroups::ApplicationGroup";

/// The `configuration-type` values ListGroups documents, in its order.
pub const KNOWN_TYPES: [&str; 7] = [
    APPLICATION_GROUP,
    APPREGISTRY_APPLICATION,
    APPREGISTRY_APPLICATION_RESOURCE_GROUP,
    CLOUDFORMATION_STACK,
    CAPACITY_RESERVATION_POOL,
    HOST_MANAGEMENT,
    NETWORK_FIREWALL_RULE_GROUP,
];

/// Parameters of `AWS::ResourceGroups::Generic`.
pub const ALLOWED_RESOURCE_TYPES: &str = "allowed-resource-types";
pub const DELETION_PROTECTION: &str = "deletion-protection";
pub const UNLESS_EMPTY: &str = "UNLESS_EMPTY";
/// Parameters of `AWS::EC2::HostManagement`.
pub const AUTO_ALLOCATE_HOST: &str = "auto-allocate-host";
pub const AUTO_RELEASE_HOST: &str = "auto-release-host";
pub const ALLOWED_HOST_FAMILIES: &str = "allowed-host-families";
pub const LICENSE_CONFIGURATIONS: &str = "allowed-host-based-license-configurations";
pub const ANY_LICENSE_CONFIGURATION: &str = "any-host-based-license-configuration";

/// Why a configuration group cannot be changed here, if it cannot: the types AWS services
/// manage (AppRegistry makes and updates them; AWS refuses changes from anyone else).
pub fn read_only_reason(items: &[ConfigurationItem]) -> Option<&'static str> {
    items.iter().find_map(|i| match i.kind.as_str() {
        APPREGISTRY_APPLICATION | APPREGISTRY_APPLICATION_RESOURCE_GROUP => Some(
            "This group belongs to an AWS AppRegistry application: AppRegistry creates and updates it. Change the application in AppRegistry instead.",
        ),
        CLOUDFORMATION_STACK => Some(
            "AWS AppRegistry made this group for a CloudFormation stack associated with an application; only AppRegistry can change it.",
        ),
        APPLICATION_GROUP => Some(
            "This is an application group of myApplications: its configuration is managed by AWS. Its display name, owner, criticality and tags can be changed.",
        ),
        _ => None,
    })
}

/// Whether parameter names of this type follow AWS's own capitalised spelling (`Name`, `Arn`)
/// rather than the API model's `[a-z-]+`: the AWS-managed types do.
pub fn capitalised_parameters(kind: &str) -> bool {
    matches!(
        kind,
        APPREGISTRY_APPLICATION | APPREGISTRY_APPLICATION_RESOURCE_GROUP | CLOUDFORMATION_STACK
    )
}

/// What a person can make here: a capacity reservation pool, or EC2 host management with its
/// settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Template {
    CapacityReservationPool,
    HostManagement(HostSettings),
}

/// The settings of `AWS::EC2::HostManagement`, as a form holds them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HostSettings {
    pub auto_allocate: Option<bool>,
    pub auto_release: Option<bool>,
    /// Instance families (`c5`, `m5`), none for all.
    pub families: Vec<String>,
    /// License Manager configuration ARNs; used when `any_license` is false.
    pub licenses: Vec<String>,
    /// Any host-based license configuration (else the ones in `licenses`).
    pub any_license: bool,
}

fn param(name: &str, values: Vec<String>) -> ConfigurationParameter {
    ConfigurationParameter {
        name: name.to_owned(),
        values,
    }
}

fn generic(types: &str, protected: bool) -> ConfigurationItem {
    let mut parameters = vec![param(ALLOWED_RESOURCE_TYPES, vec![types.to_owned()])];
    if protected {
        parameters.push(param(DELETION_PROTECTION, vec![UNLESS_EMPTY.to_owned()]));
    }
    ConfigurationItem {
        kind: GENERIC.to_owned(),
        parameters,
    }
}

impl Template {
    pub fn label(&self) -> &'static str {
        match self {
            Template::CapacityReservationPool => "EC2 Capacity Reservation pool",
            Template::HostManagement(_) => "EC2 host management (License Manager)",
        }
    }

    /// The configuration AWS documents for it, Generic item included.
    pub fn items(&self) -> Vec<ConfigurationItem> {
        match self {
            Template::CapacityReservationPool => vec![
                ConfigurationItem {
                    kind: CAPACITY_RESERVATION_POOL.to_owned(),
                    parameters: Vec::new(),
                },
                generic("AWS::EC2::CapacityReservation", false),
            ],
            Template::HostManagement(s) => {
                let flag = |b: bool| vec![if b { "true" } else { "false" }.to_owned()];
                let mut parameters = Vec::new();
                if let Some(b) = s.auto_allocate {
                    parameters.push(param(AUTO_ALLOCATE_HOST, flag(b)));
                }
                if let Some(b) = s.auto_release {
                    parameters.push(param(AUTO_RELEASE_HOST, flag(b)));
                }
                if !s.families.is_empty() {
                    parameters.push(param(ALLOWED_HOST_FAMILIES, s.families.clone()));
                }
                if s.any_license {
                    parameters.push(param(ANY_LICENSE_CONFIGURATION, flag(true)));
                } else if !s.licenses.is_empty() {
                    parameters.push(param(LICENSE_CONFIGURATIONS, s.licenses.clone()));
                }
                vec![
                    ConfigurationItem {
                        kind: HOST_MANAGEMENT.to_owned(),
                        parameters,
                    },
                    generic("AWS::EC2::Host", true),
                ]
            }
        }
    }

    /// The template a configuration was made from, if it is one of them (what the editor
    /// opens with); `None` for any other configuration, which is then shown, not edited.
    pub fn of(items: &[ConfigurationItem]) -> Option<Template> {
        let main = items.iter().find(|i| i.kind != GENERIC)?;
        let t = match main.kind.as_str() {
            CAPACITY_RESERVATION_POOL => Template::CapacityReservationPool,
            HOST_MANAGEMENT => {
                let values = |n: &str| {
                    main.parameters
                        .iter()
                        .find(|p| p.name == n)
                        .map(|p| p.values.clone())
                };
                let flag = |n: &str| values(n).and_then(|v| v.first().map(|b| b == "true"));
                Template::HostManagement(HostSettings {
                    auto_allocate: flag(AUTO_ALLOCATE_HOST),
                    auto_release: flag(AUTO_RELEASE_HOST),
                    families: values(ALLOWED_HOST_FAMILIES).unwrap_or_default(),
                    licenses: values(LICENSE_CONFIGURATIONS).unwrap_or_default(),
                    any_license: flag(ANY_LICENSE_CONFIGURATION).unwrap_or(false),
                })
            }
            _ => return None,
        };
        // Only if the template makes exactly this configuration back: otherwise editing it
        // here would change what the person did not touch.
        (t.items() == items).then_some(t)
    }
}

fn rule(message: impl Into<String>) -> ValidationError {
    ValidationError::new(Field::Configuration, ValidationProblem::Invalid, message)
}

/// The documented rules of each service configuration, on what a person makes or changes:
/// types once each; AWS-managed types not made here; a capacity reservation pool has no
/// parameters and is paired with Generic `allowed-resource-types` = `AWS::EC2::CapacityReservation`;
/// host management takes only its five parameters (flags `true`/`false` in lower case, license
/// configurations as License Manager ARNs or "any", one of the two) and is paired with Generic
/// `AWS::EC2::Host` and `deletion-protection` = `UNLESS_EMPTY`. Messages never quote a value.
pub fn check_rules(items: &[ConfigurationItem]) -> Vec<ValidationError> {
    let mut errors = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if items.iter().skip(i + 1).any(|o| o.kind == item.kind) {
            errors.push(rule(format!(
                "Item {}: each type can be in a configuration once.",
                i + 1
            )));
        }
    }
    if let Some(reason) = read_only_reason(items) {
        errors.push(rule(reason));
        return errors;
    }
    let generic_item = items.iter().find(|i| i.kind == GENERIC);
    let generic_values = |name: &str| -> Option<&Vec<String>> {
        generic_item?
            .parameters
            .iter()
            .find(|p| p.name == name)
            .map(|p| &p.values)
    };
    if let Some(g) = generic_item {
        for p in &g.parameters {
            match p.name.as_str() {
                ALLOWED_RESOURCE_TYPES => {}
                DELETION_PROTECTION if p.values == [UNLESS_EMPTY] => {}
                DELETION_PROTECTION => errors.push(rule(
                    "Generic: deletion-protection takes one value, UNLESS_EMPTY (in capitals).",
                )),
                _ => errors.push(rule(
                    "Generic: the parameters are allowed-resource-types and deletion-protection.",
                )),
            }
        }
    }
    let needs_generic = |types: &str, protected: bool| -> Option<String> {
        let types_ok = generic_values(ALLOWED_RESOURCE_TYPES).is_some_and(|v| v == &[types]);
        let protection_ok = !protected || generic_values(DELETION_PROTECTION).is_some();
        (!(types_ok && protection_ok)).then(|| {
            format!(
                "It needs an {GENERIC} item with allowed-resource-types {types}{}.",
                if protected {
                    " and deletion-protection UNLESS_EMPTY"
                } else {
                    ""
                }
            )
        })
    };
    for item in items {
        match item.kind.as_str() {
            GENERIC => {}
            CAPACITY_RESERVATION_POOL => {
                if !item.parameters.is_empty() {
                    errors.push(rule("A capacity reservation pool takes no parameters."));
                }
                if let Some(m) = needs_generic("AWS::EC2::CapacityReservation", false) {
                    errors.push(rule(format!("Capacity reservation pool: {m}")));
                }
            }
            HOST_MANAGEMENT => {
                errors.extend(check_host_parameters(&item.parameters));
                if let Some(m) = needs_generic("AWS::EC2::Host", true) {
                    errors.push(rule(format!("Host management: {m}")));
                }
            }
            NETWORK_FIREWALL_RULE_GROUP => errors.push(rule(
                "A Network Firewall rule group also needs a tag query beside its configuration; make it with the AWS CLI or console.",
            )),
            _ => errors.push(rule(
                "This configuration type is not one AWS documents for resource groups.",
            )),
        }
    }
    errors
}

fn check_host_parameters(params: &[ConfigurationParameter]) -> Vec<ValidationError> {
    let mut errors = Vec::new();
    let flag_ok = |p: &ConfigurationParameter| p.values == ["true"] || p.values == ["false"];
    let mut licenses = 0;
    for p in params {
        match p.name.as_str() {
            AUTO_ALLOCATE_HOST | AUTO_RELEASE_HOST | ANY_LICENSE_CONFIGURATION if !flag_ok(p) => {
                errors.push(rule(format!(
                    "Host management: {} is true or false, in lower case.",
                    p.name
                )))
            }
            AUTO_ALLOCATE_HOST | AUTO_RELEASE_HOST => {}
            ANY_LICENSE_CONFIGURATION => licenses += 1,
            LICENSE_CONFIGURATIONS => {
                licenses += 1;
                let arn_ok = |v: &String| {
                    super::arn::Arn::parse(v).is_ok_and(|a| {
                        a.service == "license-manager"
                            && a.resource.starts_with("license-configuration:")
                    })
                };
                if p.values.is_empty() || !p.values.iter().all(arn_ok) {
                    errors.push(rule(
                        "Host management: license configurations are License Manager ARNs (arn:aws:license-manager:REGION:ACCOUNT:license-configuration:lic-…).",
                    ));
                }
            }
            ALLOWED_HOST_FAMILIES => {
                let family_ok = |v: &String| {
                    !v.is_empty() && v.len() <= 16 && v.chars().all(|c| c.is_ascii_alphanumeric())
                };
                if !p.values.iter().all(family_ok) {
                    errors.push(rule(
                        "Host management: host families are instance families such as c5 or m5.",
                    ));
                }
            }
            _ => errors.push(rule(
                "Host management: the parameters are auto-allocate-host, auto-release-host, allowed-host-families and one of allowed-host-based-license-configurations or any-host-based-license-configuration.",
            )),
        }
    }
    if licenses != 1 {
        errors.push(rule(
            "Host management: choose license configurations, or any license configuration (one of the two).",
        ));
    }
    errors
}

/// Whether resources are added to this group by hand (GroupResources): AWS allows it only for
/// host management, capacity reservation pools and application groups.
pub fn takes_static_members(items: &[ConfigurationItem]) -> bool {
    items.iter().any(|i| {
        matches!(
            i.kind.as_str(),
            HOST_MANAGEMENT | CAPACITY_RESERVATION_POOL | APPLICATION_GROUP
        )
    })
}

/// The ARNs typed for a membership change, one per line or separated by commas or spaces,
/// repeats dropped; or the positions (1-based) of what is not an ARN.
pub fn parse_member_arns(text: &str) -> Result<Vec<String>, Vec<usize>> {
    let mut arns: Vec<String> = Vec::new();
    let mut bad = Vec::new();
    let pieces = text
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|p| !p.is_empty());
    for (i, p) in pieces.enumerate() {
        if super::arn::Arn::parse(p).is_err() {
            bad.push(i + 1);
        } else if !arns.iter().any(|a| a == p) {
            arns.push(p.to_owned());
        }
    }
    if bad.is_empty() {
        Ok(arns)
    } else {
        Err(bad)
    }
}

/// What GetGroupConfiguration says of the last PutGroupConfiguration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigurationStatus {
    /// Still being applied: ask again.
    Updating,
    /// Done (also when the backend gives no status: moto never does).
    Complete,
    /// Failed, with the backend's reason (cleaned of what was sent, as every message is).
    Failed(String),
}

impl ConfigurationStatus {
    pub fn of(status: Option<&str>, reason: Option<&str>) -> Self {
        match status {
            Some("UPDATING") => ConfigurationStatus::Updating,
            Some("UPDATE_FAILED") => ConfigurationStatus::Failed(
                reason
                    .filter(|r| !r.trim().is_empty())
                    .unwrap_or("the backend gave no reason")
                    .to_owned(),
            ),
            _ => ConfigurationStatus::Complete,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::group::check_configuration;

    fn host(any: bool) -> HostSettings {
        HostSettings {
            auto_allocate: Some(true),
            auto_release: Some(false),
            families: vec!["c5".into(), "m5".into()],
            licenses: if any {
                vec![]
            } else {
                vec!["arn:aws:license-manager:us-west-2:123456789012:license-configuration:lic-0123456789abcdef0123456789abcdef".into()]
            },
            any_license: any,
        }
    }

    #[test]
    fn the_templates_make_what_the_user_guide_shows() {
        // The guide's example for a capacity reservation pool, exactly.
        let pool = serde_json::to_string(&Template::CapacityReservationPool.items()).unwrap();
        assert_eq!(
            pool,
            r#"[{"Type":"AWS::EC2::CapacityReservationPool"},{"Type":"AWS::ResourceGroups::Generic","Parameters":[{"Name":"allowed-resource-types","Values":["AWS::EC2::CapacityReservation"]}]}]"#
        );
        for t in [
            Template::CapacityReservationPool,
            Template::HostManagement(host(false)),
            Template::HostManagement(host(true)),
        ] {
            let items = t.items();
            assert!(check_configuration(&items).is_empty(), "{items:?}");
            assert!(check_rules(&items).is_empty(), "{:?}", check_rules(&items));
            assert_eq!(Template::of(&items), Some(t));
        }
    }

    #[test]
    fn the_documented_rules_are_enforced() {
        let mut pool = Template::CapacityReservationPool.items();
        pool.pop(); // without its Generic item
        assert!(check_rules(&pool)[0]
            .message
            .contains("allowed-resource-types"));
        let mut items = Template::HostManagement(host(false)).items();
        items[0]
            .parameters
            .push(param(ANY_LICENSE_CONFIGURATION, vec!["true".into()]));
        assert!(check_rules(&items)
            .iter()
            .any(|e| e.message.contains("one of the two")));
        let mut items = Template::HostManagement(host(true)).items();
        items[0].parameters[0].values = vec!["TRUE".into()];
        assert!(check_rules(&items)
            .iter()
            .any(|e| e.message.contains("lower case")));
        let mut items = Template::HostManagement(host(true)).items();
        items[1].parameters[1].values = vec!["unless_empty".into()];
        assert!(!check_rules(&items).is_empty());
        let twice = vec![Template::CapacityReservationPool.items()[0].clone(); 2];
        assert!(check_rules(&twice)[0].message.contains("once"));
    }

    #[test]
    fn aws_managed_configurations_are_read_only_and_readable() {
        let app = vec![ConfigurationItem {
            kind: APPREGISTRY_APPLICATION.into(),
            parameters: vec![
                param("Name", vec!["storefront".into()]),
                param(
                    "Arn",
                    vec!["arn:aws:servicecatalog:us-east-1:123456789012:/applications/0abc123def456ghi789jkl".into()],
                ),
            ],
        }];
        // Readable (the shape check takes AWS's capitalised names for these types) …
        assert!(
            check_configuration(&app).is_empty(),
            "{:?}",
            check_configuration(&app)
        );
        // … under the name AWS gives them, whose prefix people may not use …
        let mut g = crate::model::Group::new(
            "AWS_AppRegistry_Application-storefront",
            crate::model::ResourceQuery::tags(vec![]),
        );
        assert!(
            !g.blocking_errors().is_empty(),
            "a person's group may not start with AWS"
        );
        g.spec = crate::model::GroupSpec::Configuration(app.clone());
        assert!(g.blocking_errors().is_empty(), "{:?}", g.blocking_errors());
        // … but not made or changed here, with the reason.
        assert!(read_only_reason(&app).unwrap().contains("AppRegistry"));
        assert!(!check_rules(&app).is_empty());
        assert_eq!(Template::of(&app), None);
    }

    #[test]
    fn member_arns_are_typed_as_a_list() {
        let text = "arn:aws:ec2:us-east-1:123456789012:dedicated-host/h-0a1b2c3d4e5f67890\n arn:aws:ec2:us-east-1:123456789012:dedicated-host/h-0a1b2c3d4e5f67890, arn:aws:ec2:us-east-1:123456789012:capacity-reservation/cr-1";
        assert_eq!(parse_member_arns(text).unwrap().len(), 2);
        assert_eq!(
            parse_member_arns("arn:aws:s3:::b nonsense ぶ"),
            Err(vec![2, 3])
        );
        assert_eq!(parse_member_arns(""), Ok(vec![]));
        assert!(takes_static_members(
            &Template::CapacityReservationPool.items()
        ));
        assert!(!takes_static_members(&[]));
    }

    #[test]
    fn statuses() {
        assert_eq!(
            ConfigurationStatus::of(Some("UPDATING"), None),
            ConfigurationStatus::Updating
        );
        assert_eq!(
            ConfigurationStatus::of(None, None),
            ConfigurationStatus::Complete
        );
        assert_eq!(
            ConfigurationStatus::of(Some("UPDATE_FAILED"), Some("Hosts are still allocated")),
            ConfigurationStatus::Failed("Hosts are still allocated".into())
        );
        assert_eq!(
            ConfigurationStatus::of(Some("UPDATE_FAILED"), Some(" ")),
            ConfigurationStatus::Failed("the backend gave no reason".into())
        );
    }
}
