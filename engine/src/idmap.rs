//! A map from small ids to values, kept as a sorted vector.
//!
//! The engine's maps are keyed by ids (`TeamId`, `GridId`, `RequestId`, `VolunteerId`) and
//! hold at most thousands of entries. A sorted `Vec` with binary search is as fast there as a
//! `BTreeMap` or `HashMap`, iterates in key order (so results never depend on hashing), and
//! costs far fewer bytes in the WebAssembly build, where each map type would otherwise bring
//! its own copy of a tree or hash table.

/// Entries sorted by key, each key once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdMap<K, V> {
    entries: Vec<(K, V)>,
}

impl<K, V> Default for IdMap<K, V> {
    fn default() -> Self {
        IdMap {
            entries: Vec::new(),
        }
    }
}

impl<K: Ord + Copy, V> IdMap<K, V> {
    pub fn new() -> Self {
        Self::default()
    }

    /// From pairs in any order; a later pair replaces an earlier one with the same key.
    /// O(n log n).
    pub fn from_pairs(pairs: impl IntoIterator<Item = (K, V)>) -> Self {
        let mut numbered: Vec<(K, usize, V)> = pairs
            .into_iter()
            .enumerate()
            .map(|(i, (k, v))| (k, i, v))
            .collect();
        crate::sort::sort_by(&mut numbered, |a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
        let mut entries: Vec<(K, V)> = Vec::with_capacity(numbered.len());
        for (k, _, v) in numbered {
            match entries.last_mut() {
                Some(last) if last.0 == k => last.1 = v,
                _ => entries.push((k, v)),
            }
        }
        IdMap { entries }
    }

    fn find(&self, k: &K) -> Result<usize, usize> {
        self.entries.binary_search_by(|(key, _)| key.cmp(k))
    }

    pub fn get(&self, k: &K) -> Option<&V> {
        self.find(k).ok().map(|i| &self.entries[i].1)
    }

    pub fn get_mut(&mut self, k: &K) -> Option<&mut V> {
        match self.find(k) {
            Ok(i) => Some(&mut self.entries[i].1),
            Err(_) => None,
        }
    }

    pub fn contains_key(&self, k: &K) -> bool {
        self.find(k).is_ok()
    }

    /// Inserts or replaces; returns the old value.
    pub fn insert(&mut self, k: K, v: V) -> Option<V> {
        match self.find(&k) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, v)),
            Err(i) => {
                self.entries.insert(i, (k, v));
                None
            }
        }
    }

    /// The value for `k`, inserted as `V::default()` when absent.
    pub fn or_default(&mut self, k: K) -> &mut V
    where
        V: Default,
    {
        let i = match self.find(&k) {
            Ok(i) => i,
            Err(i) => {
                self.entries.insert(i, (k, V::default()));
                i
            }
        };
        &mut self.entries[i].1
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Values in key order.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.entries.iter().map(|(_, v)| v)
    }

    /// Pairs in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    pub fn into_pairs(self) -> Vec<(K, V)> {
        self.entries
    }
}

impl<K: Ord + Copy, V> FromIterator<(K, V)> for IdMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        IdMap::from_pairs(iter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    proptest! {
        #[test]
        fn behaves_like_a_btreemap(ops in proptest::collection::vec((0u8..20, any::<u32>(), any::<bool>()), 0..100)) {
            let mut ours = IdMap::new();
            let mut theirs = BTreeMap::new();
            for (k, v, replace) in ops {
                if replace {
                    prop_assert_eq!(ours.insert(k, v), theirs.insert(k, v));
                } else {
                    *ours.or_default(k) += v % 7;
                    *theirs.entry(k).or_default() += v % 7;
                }
            }
            let pairs: Vec<(u8, u32)> = ours.iter().map(|(k, v)| (*k, *v)).collect();
            let rebuilt = IdMap::from_pairs(pairs.into_iter().rev());
            prop_assert_eq!(&rebuilt, &ours);
            let a: Vec<_> = ours.iter().map(|(k, v)| (*k, *v)).collect();
            let b: Vec<_> = theirs.iter().map(|(k, v)| (*k, *v)).collect();
            prop_assert_eq!(a, b);
            for k in 0..20u8 {
                prop_assert_eq!(ours.get(&k), theirs.get(&k));
                prop_assert_eq!(ours.contains_key(&k), theirs.contains_key(&k));
            }
        }
    }
}
