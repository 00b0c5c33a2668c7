//! The groups table's filters, named as ListGroups names them (`resource-type`,
//! `configuration-type`, `owner`, `display-name`, `criticality`) and meaning what AWS says they
//! mean: a group passes when, for every filter, it has one of the filter's values. The same
//! filters go to a backend's ListGroups as `Filters`, and because a backend may ignore them
//! (moto 5.2.5 does) every answer is filtered here again ([`GroupFilters::keeps_listed`]).

use serde::{Deserialize, Serialize};

use super::Group;

/// The five filter names of ListGroups (`GroupFilterName`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum FilterName {
    #[serde(rename = "resource-type")]
    ResourceType,
    #[serde(rename = "configuration-type")]
    ConfigurationType,
    #[serde(rename = "owner")]
    Owner,
    #[serde(rename = "display-name")]
    DisplayName,
    #[serde(rename = "criticality")]
    Criticality,
}

impl FilterName {
    pub const ALL: [FilterName; 5] = [
        FilterName::ResourceType,
        FilterName::ConfigurationType,
        FilterName::Owner,
        FilterName::DisplayName,
        FilterName::Criticality,
    ];

    /// The API's spelling (also the id of the filter's field on the page).
    pub fn as_str(self) -> &'static str {
        match self {
            FilterName::ResourceType => "resource-type",
            FilterName::ConfigurationType => "configuration-type",
            FilterName::Owner => "owner",
            FilterName::DisplayName => "display-name",
            FilterName::Criticality => "criticality",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            FilterName::ResourceType => "Resource type",
            FilterName::ConfigurationType => "Configuration type",
            FilterName::Owner => "Owner",
            FilterName::DisplayName => "Display name",
            FilterName::Criticality => "Criticality",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        FilterName::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

/// At most this many values per filter (`GroupFilterValues`: 1–5).
pub const VALUES_MAX: usize = 5;

/// One ListGroups filter, as the API sends it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GroupFilter {
    pub name: FilterName,
    pub values: Vec<String>,
}

/// The filters of the table: at most one per name, each with 1–5 values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GroupFilters {
    filters: Vec<GroupFilter>,
}

impl GroupFilters {
    /// Sets the values of one filter from what was typed (comma-separated, trimmed, empties
    /// and repeats dropped, at most five kept); no values removes the filter.
    pub fn set(&mut self, name: FilterName, typed: &str) {
        let mut values: Vec<String> = Vec::new();
        for v in typed.split(',').map(str::trim).filter(|v| !v.is_empty()) {
            if !values.iter().any(|w| w == v) && values.len() < VALUES_MAX {
                values.push(v.to_owned());
            }
        }
        self.filters.retain(|f| f.name != name);
        if !values.is_empty() {
            self.filters.push(GroupFilter { name, values });
            crate::sort::sort_by_key(&mut self.filters, |f| f.name);
        }
    }

    /// What was typed for a filter, as the field shows it again.
    pub fn typed(&self, name: FilterName) -> String {
        self.filters
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.values.join(", "))
            .unwrap_or_default()
    }

    pub fn is_empty(&self) -> bool {
        self.filters.is_empty()
    }

    pub fn clear(&mut self) {
        self.filters.clear();
    }

    /// The filters for ListGroups' `Filters`.
    pub fn as_wire(&self) -> &[GroupFilter] {
        &self.filters
    }

    /// Whether `g` passes every filter. Resource types are matched in the query's
    /// `ResourceTypeFilters` (as AWS does; `AWS::AllSupported` is a value like any other),
    /// configuration types in the configuration's items, owner and display name exactly,
    /// criticality as its number.
    pub fn keeps(&self, g: &Group) -> bool {
        self.filters.iter().all(|f| {
            let any = |have: &str| f.values.iter().any(|v| v == have);
            match f.name {
                FilterName::ResourceType => g
                    .query()
                    .is_some_and(|q| q.resource_types().iter().any(|t| any(t))),
                FilterName::ConfigurationType => {
                    g.spec.configuration().iter().any(|i| any(&i.kind))
                }
                FilterName::Owner => any(&g.owner),
                FilterName::DisplayName => any(&g.display_name),
                FilterName::Criticality => g.criticality.is_some_and(|c| any(&c.to_string())),
            }
        })
    }

    /// The positions in `groups` that pass.
    pub fn positions(&self, groups: &[Group], order: &[usize]) -> Vec<usize> {
        if self.is_empty() {
            return order.to_vec();
        }
        order
            .iter()
            .copied()
            .filter(|&i| groups.get(i).is_some_and(|g| self.keeps(g)))
            .collect()
    }

    /// Whether a group a backend's filtered ListGroups named still passes here, where the list
    /// says enough to tell (owner, display name, criticality); a backend that ignored the
    /// filters then answers no more than one that honoured them. Resource and configuration
    /// types are not in a list entry: those are judged when the group is read.
    pub fn keeps_listed(&self, labels: Option<&super::wire::GroupLabels>) -> bool {
        let Some(l) = labels else {
            return true;
        };
        self.filters.iter().all(|f| {
            let any = |have: &str| f.values.iter().any(|v| v == have);
            match f.name {
                FilterName::Owner => any(&l.owner),
                FilterName::DisplayName => any(&l.display_name),
                FilterName::Criticality => l.criticality.is_some_and(|c| any(&c.to_string())),
                FilterName::ResourceType | FilterName::ConfigurationType => true,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::service_config::Template;
    use crate::model::{GroupSpec, ResourceQuery, TagFilter};

    fn groups() -> Vec<Group> {
        let mut web = Group::new(
            "web",
            ResourceQuery::Tags {
                resource_types: vec!["AWS::EC2::Instance".into(), "AWS::S3::Bucket".into()],
                tag_filters: vec![TagFilter {
                    key: "環境".into(),
                    values: vec![],
                }],
            },
        );
        web.owner = "Équipe web".into();
        web.criticality = Some(2);
        let mut pool = Group::new("pool", ResourceQuery::tags(vec![]));
        pool.spec = GroupSpec::Configuration(Template::CapacityReservationPool.items());
        pool.display_name = "Réserve".into();
        vec![web, pool]
    }

    fn kept(f: &GroupFilters) -> Vec<String> {
        let gs = groups();
        f.positions(&gs, &[0, 1])
            .into_iter()
            .map(|i| gs[i].name.clone())
            .collect()
    }

    #[test]
    fn filters_mean_what_list_groups_says() {
        let mut f = GroupFilters::default();
        assert_eq!(kept(&f), ["web", "pool"]);
        f.set(
            FilterName::ResourceType,
            "AWS::S3::Bucket, AWS::Lambda::Function",
        );
        assert_eq!(kept(&f), ["web"]);
        f.set(FilterName::ResourceType, "");
        f.set(
            FilterName::ConfigurationType,
            "AWS::EC2::CapacityReservationPool",
        );
        assert_eq!(kept(&f), ["pool"]);
        f.clear();
        f.set(FilterName::Owner, " Équipe web ,x");
        assert_eq!(f.typed(FilterName::Owner), "Équipe web, x");
        assert_eq!(kept(&f), ["web"]);
        f.set(FilterName::Criticality, "1, 2");
        assert_eq!(kept(&f), ["web"], "every filter, one of its values");
        f.set(FilterName::Criticality, "3");
        assert!(kept(&f).is_empty());
        f.clear();
        f.set(FilterName::DisplayName, "Réserve");
        assert_eq!(kept(&f), ["pool"]);
    }

    #[test]
    fn filters_go_to_the_backend_as_aws_spells_them() {
        let mut f = GroupFilters::default();
        f.set(FilterName::Criticality, "1,1,2,3,4,5,6");
        f.set(FilterName::Owner, "team-web");
        let json = serde_json::to_string(f.as_wire()).unwrap();
        assert_eq!(
            json,
            r#"[{"Name":"owner","Values":["team-web"]},{"Name":"criticality","Values":["1","2","3","4","5"]}]"#
        );
        for n in FilterName::ALL {
            assert_eq!(FilterName::parse(n.as_str()), Some(n));
        }
    }

    #[test]
    fn a_backend_that_ignores_the_filters_is_filtered_again() {
        let mut f = GroupFilters::default();
        f.set(FilterName::Owner, "team-web");
        let labels = |owner: &str| crate::model::wire::GroupLabels {
            owner: owner.into(),
            ..Default::default()
        };
        assert!(f.keeps_listed(Some(&labels("team-web"))));
        assert!(!f.keeps_listed(Some(&labels("someone-else"))));
        assert!(f.keeps_listed(None), "unknown until read");
    }
}
