//! One sorting routine for the whole app, below every layer.
//!
//! The standard library's stable sort is generic over the element and the comparison: every
//! `sort_by` call site with its own closure gets its own copy of driftsort and its small-sort
//! helpers, a few KiB of wasm each. The release's main module held 158 such functions (83 KiB
//! before wasm-opt, more than the router). Here every sort orders positions (`usize`) through
//! one `dyn` comparison, so the app carries the sorting code once; each call site adds only a
//! small, non-generic-heavy permutation step. A comparison costs one indirect call more —
//! nothing next to comparing two strings, also on the 10,000-row tables.
//!
//! Same results as `slice::sort_by`: stable (equal elements keep their order). As there, the
//! comparison must be a total order (the standard sort may panic on one that is not; every
//! comparison in the app compares strings, numbers or tuples of them).

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Sorts `positions` stably by `cmp`, which compares two positions. The one instantiation of
/// the standard sort that the app's sorting goes through.
#[inline(never)]
pub fn sort_positions(positions: &mut [usize], cmp: &mut dyn FnMut(usize, usize) -> Ordering) {
    positions.sort_by(|&a, &b| cmp(a, b));
}

/// `items.sort_by(cmp)`, through [`sort_positions`].
pub fn sort_by<T>(items: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..items.len()).collect();
    {
        let items: &[T] = items;
        sort_positions(&mut order, &mut |a, b| match (items.get(a), items.get(b)) {
            (Some(x), Some(y)) => cmp(x, y),
            _ => Ordering::Equal,
        });
    }
    permute(items, &order);
}

/// `items.sort_by_key(key)`, through [`sort_positions`] (the key is computed per comparison,
/// as the standard `sort_by_key` does).
pub fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// `items.sort()`, through [`sort_positions`].
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// `items.collect::<BTreeSet<_>>()` without the sort: the standard `FromIterator` of the B-tree
/// collections sorts what it collects (its own copy of the sort per element type) and then
/// builds the tree; inserting one by one gives the same set (and [`map`] the same map: the last
/// value of a repeated key wins) with the insertion code every B-tree already has.
pub fn set<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    set.extend(items);
    set
}

/// `items.collect::<BTreeMap<_, _>>()` without the sort (see [`set`]).
pub fn map<K: Ord, V>(items: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    map.extend(items);
    map
}

/// Rearranges `items` so that position `k` holds what was at `order[k]`; `order` must be a
/// permutation of `0..items.len()` (anything else leaves `items` some permutation of itself).
/// In place, by following each cycle of the permutation with swaps.
fn permute<T>(items: &mut [T], order: &[usize]) {
    let mut done = vec![false; items.len()];
    for start in 0..items.len() {
        if done.get(start).copied().unwrap_or(true) {
            continue;
        }
        let mut at = start;
        loop {
            if let Some(d) = done.get_mut(at) {
                *d = true;
            }
            let Some(&from) = order.get(at) else { break };
            if from == start || from >= items.len() || done.get(from).copied().unwrap_or(true) {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_stable_sort() {
        let mut words = vec!["環境", "b", "a", "Ça", "b", "🙂", "a", ""];
        let mut expected = words.clone();
        expected.sort();
        sort(&mut words);
        assert_eq!(words, expected);
    }

    #[test]
    fn is_stable() {
        // Sorted by the number only: the letters keep their order within a number.
        let mut pairs = vec![(2, 'a'), (1, 'b'), (2, 'c'), (1, 'd'), (0, 'e'), (2, 'f')];
        sort_by_key(&mut pairs, |p| p.0);
        assert_eq!(
            pairs,
            vec![(0, 'e'), (1, 'b'), (1, 'd'), (2, 'a'), (2, 'c'), (2, 'f')]
        );
    }

    #[test]
    fn set_and_map_collect_like_std() {
        let words = ["b", "a", "環境", "a", "🙂"];
        assert_eq!(set(words), words.into_iter().collect::<BTreeSet<_>>());
        let pairs = [("k", 1), ("j", 2), ("k", 3)];
        assert_eq!(map(pairs), pairs.into_iter().collect::<BTreeMap<_, _>>());
        assert_eq!(
            map(pairs).get("k"),
            Some(&3),
            "the last value of a key wins"
        );
    }

    #[test]
    fn permute_follows_every_cycle() {
        let mut items = vec!['a', 'b', 'c', 'd', 'e'];
        // Cycles (0 1 2) and (3 4).
        permute(&mut items, &[1, 2, 0, 4, 3]);
        assert_eq!(items, vec!['b', 'c', 'a', 'e', 'd']);
    }

    #[test]
    fn a_broken_permutation_never_panics() {
        let mut items = vec![3, 1, 2];
        permute(&mut items, &[0, 0, 9]);
        let mut seen = items.clone();
        seen.sort();
        assert_eq!(seen, vec![1, 2, 3], "still the same elements");
    }

    #[test]
    fn sorts_many_in_reverse_and_short_slices() {
        let mut many: Vec<u32> = (0..2000).rev().collect();
        sort(&mut many);
        assert_eq!(many, (0..2000).collect::<Vec<_>>());
        let mut one = vec![7];
        sort(&mut one);
        assert_eq!(one, vec![7]);
        let mut none: Vec<u8> = Vec::new();
        sort(&mut none);
        assert!(none.is_empty());
    }
}
