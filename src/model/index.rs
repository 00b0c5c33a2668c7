//! An index of the inventory for evaluating queries fast: every string (types, tag keys, tag
//! values) is interned once, and each resource becomes a type id and a run of (key, value) id
//! pairs in one flat array. Evaluating a query is then integer comparisons over contiguous
//! memory, instead of chasing the heap strings of every resource. Build it once when the
//! inventory loads; evaluate every query preview against it.

use std::collections::HashMap;

use super::inventory::Resource;
use super::query::{ResourceQuery, ALL_SUPPORTED, STACK_ID_TAG};

/// The interned inventory.
#[derive(Debug, Default)]
pub struct InventoryIndex {
    ids: HashMap<String, u32>,
    types: Vec<u32>,
    /// Resource `i` has tags `tags[tag_start[i]..tag_start[i + 1]]`.
    tag_start: Vec<u32>,
    tags: Vec<(u32, u32)>,
}

impl InventoryIndex {
    pub fn build(resources: &[Resource]) -> Self {
        let mut index = InventoryIndex {
            ids: HashMap::new(),
            types: Vec::with_capacity(resources.len()),
            tag_start: Vec::with_capacity(resources.len() + 1),
            tags: Vec::with_capacity(resources.len() * 4),
        };
        index.tag_start.push(0);
        for r in resources {
            let t = index.intern(&r.resource_type);
            index.types.push(t);
            for (k, v) in &r.tags {
                let pair = (index.intern(k), index.intern(v));
                index.tags.push(pair);
            }
            index.tag_start.push(index.tags.len() as u32);
        }
        index
    }

    fn intern(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.ids.len() as u32;
        self.ids.insert(s.to_owned(), id);
        id
    }

    fn id(&self, s: &str) -> Option<u32> {
        self.ids.get(s).copied()
    }

    /// The id of a string (a key, a value or a type) some resource has, if any.
    pub fn string_id(&self, s: &str) -> Option<u32> {
        self.id(s)
    }

    /// The value id of tag `key` on resource `i` (`None`: the resource has no such tag, or
    /// `i` is not in the index).
    #[inline]
    pub fn tag_value(&self, i: usize, key: u32) -> Option<u32> {
        let (start, end) = (*self.tag_start.get(i)?, *self.tag_start.get(i + 1)?);
        self.tags
            .get(start as usize..end as usize)?
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| *v)
    }

    /// The ids of every string that starts with `prefix` (for a value prefix: which values
    /// qualify, found once per filter rather than per resource).
    pub fn ids_with_prefix(&self, prefix: &str) -> std::collections::HashSet<u32> {
        self.ids
            .iter()
            .filter(|(s, _)| s.starts_with(prefix))
            .map(|(_, id)| *id)
            .collect()
    }

    /// Number of resources.
    pub fn len(&self) -> usize {
        self.types.len()
    }

    pub fn is_empty(&self) -> bool {
        self.types.is_empty()
    }

    /// Prepares a query for this index.
    pub fn matcher(&self, query: &ResourceQuery) -> IndexedMatcher {
        let types = query.resource_types();
        let all_types = types.iter().any(|t| t == ALL_SUPPORTED);
        let type_ids: Vec<u32> = types.iter().filter_map(|t| self.id(t)).collect();
        let mut impossible = !all_types && type_ids.is_empty();
        let mut filters = Vec::new();
        let mut add = |key: &str, values: &[String]| match self.id(key) {
            None => impossible = true,
            Some(k) => {
                let ids: Vec<u32> = values.iter().filter_map(|v| self.id(v)).collect();
                if !values.is_empty() && ids.is_empty() {
                    impossible = true;
                }
                filters.push(Filter {
                    key: k,
                    any_value: values.is_empty(),
                    values: ids,
                });
            }
        };
        match query {
            ResourceQuery::Tags { tag_filters, .. } => {
                for f in tag_filters {
                    add(&f.key, &f.values);
                }
            }
            ResourceQuery::Stack {
                stack_identifier, ..
            } => match stack_identifier {
                Some(stack) => add(STACK_ID_TAG, std::slice::from_ref(stack)),
                None => impossible = true,
            },
        }
        IndexedMatcher {
            all_types,
            types: type_ids,
            filters,
            impossible,
        }
    }
}

#[derive(Debug)]
struct Filter {
    key: u32,
    any_value: bool,
    values: Vec<u32>,
}

/// A query prepared for one [`InventoryIndex`].
#[derive(Debug)]
pub struct IndexedMatcher {
    all_types: bool,
    types: Vec<u32>,
    filters: Vec<Filter>,
    /// A key, value or type that no resource has: nothing can match.
    impossible: bool,
}

impl IndexedMatcher {
    /// Whether resource `i` of the index matches.
    #[inline]
    pub fn matches(&self, index: &InventoryIndex, i: usize) -> bool {
        if self.impossible || (!self.all_types && !self.types.contains(&index.types[i])) {
            return false;
        }
        let tags = &index.tags[index.tag_start[i] as usize..index.tag_start[i + 1] as usize];
        self.filters
            .iter()
            .all(|f| match tags.iter().find(|(k, _)| *k == f.key) {
                None => false,
                Some((_, v)) => f.any_value || f.values.contains(v),
            })
    }

    /// How many resources match.
    pub fn count(&self, index: &InventoryIndex) -> usize {
        if self.impossible {
            return 0;
        }
        (0..index.len()).filter(|&i| self.matches(index, i)).count()
    }

    /// The positions of the matching resources, in order.
    pub fn positions(&self, index: &InventoryIndex) -> Vec<usize> {
        if self.impossible {
            return Vec::new();
        }
        (0..index.len())
            .filter(|&i| self.matches(index, i))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::query::TagFilter;

    /// The index gives exactly the answers of the plain matcher, on a varied inventory and many
    /// queries, including keys and values no resource has.
    #[test]
    fn agrees_with_the_plain_matcher() {
        let arns = [
            "arn:aws:ec2:us-east-1:123456789012:instance/i-1",
            "arn:aws:s3:::b",
            "arn:aws:ec2:us-east-1:123456789012:volume/vol-1",
            "arn:aws:lambda:us-east-1:123456789012:function:f",
        ];
        let stack = "arn:aws:cloudformation:us-east-1:123456789012:stack/s/1";
        let keys = ["Stage", "Team", "Owner", STACK_ID_TAG];
        let values = ["Prod", "Dev", "", stack];
        let mut resources = Vec::new();
        for i in 0..400usize {
            let tags: Vec<(String, String)> = (0..4)
                .filter(|k| (i >> k) & 1 == 1)
                .map(|k| (keys[k].to_owned(), values[(i / 16 + k) % 4].to_owned()))
                .collect();
            resources.push(Resource::new(arns[i % 4], None, tags).unwrap());
        }
        let index = InventoryIndex::build(&resources);
        let type_sets: [&[&str]; 4] = [
            &[ALL_SUPPORTED],
            &["AWS::EC2::Instance"],
            &["AWS::S3::Bucket", "AWS::Lambda::Function"],
            &["AWS::Nope::X"],
        ];
        let value_sets: [&[&str]; 4] = [&[], &["Prod"], &["Dev", "Prod"], &["Missing"]];
        let mut queries = Vec::new();
        for types in type_sets {
            let resource_types: Vec<String> = types.iter().map(|s| s.to_string()).collect();
            for key in ["Stage", "Team", "Nokey"] {
                for vals in value_sets {
                    queries.push(ResourceQuery::Tags {
                        resource_types: resource_types.clone(),
                        tag_filters: vec![
                            TagFilter {
                                key: key.into(),
                                values: vals.iter().map(|s| s.to_string()).collect(),
                            },
                            TagFilter {
                                key: "Owner".into(),
                                values: vec![],
                            },
                        ],
                    });
                }
            }
            queries.push(ResourceQuery::Stack {
                resource_types: resource_types.clone(),
                stack_identifier: Some(stack.into()),
            });
            queries.push(ResourceQuery::Stack {
                resource_types,
                stack_identifier: None,
            });
        }
        let mut total = 0;
        for q in &queries {
            let plain: Vec<usize> = (0..resources.len())
                .filter(|&i| q.matches(&resources[i]))
                .collect();
            let m = index.matcher(q);
            assert_eq!(m.positions(&index), plain, "{q:?}");
            assert_eq!(m.count(&index), plain.len());
            total += plain.len();
        }
        assert!(total > 0, "the queries must match something");
    }
}
