//! Sorting that costs few bytes in WebAssembly.
//!
//! The standard library's sorts are fast but large: every call site with its own element type
//! or comparison gets its own copy of the whole algorithm (tens of kilobytes across the
//! engine). In Wasm the engine therefore uses one small heapsort per instantiation; natively it
//! uses `sort_unstable_by`. Every caller sorts by a *total* order (ties broken by an id or the
//! element itself), so both give the same result and the engine stays identical on both.

use std::cmp::Ordering;

/// Sorts `v` by `cmp`, which must be a total order (no two distinct elements compare equal
/// unless they are interchangeable), so the result does not depend on the algorithm.
pub fn sort_by<T, F: FnMut(&T, &T) -> Ordering>(v: &mut [T], mut cmp: F) {
    #[cfg(target_arch = "wasm32")]
    heapsort(v, &mut cmp);
    #[cfg(not(target_arch = "wasm32"))]
    v.sort_unstable_by(|a, b| cmp(a, b));
}

/// [`sort_by`] on a key.
pub fn sort_by_key<T, K: Ord, F: FnMut(&T) -> K>(v: &mut [T], mut key: F) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// [`sort_by`] in the elements' own order.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// Reorders `v` so that `v[n]` holds the element a full sort would put there, with no greater
/// element before it and no smaller one after (in Wasm: a full [`sort_by`]).
pub fn select_nth_by<T, F: FnMut(&T, &T) -> Ordering>(v: &mut [T], n: usize, mut cmp: F) {
    #[cfg(target_arch = "wasm32")]
    {
        let _ = n;
        heapsort(v, &mut cmp);
    }
    #[cfg(not(target_arch = "wasm32"))]
    v.select_nth_unstable_by(n, |a, b| cmp(a, b));
}

#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn heapsort<T, F: FnMut(&T, &T) -> Ordering>(v: &mut [T], cmp: &mut F) {
    let n = v.len();
    let mut sift = |v: &mut [T], mut root: usize, end: usize| loop {
        let mut child = 2 * root + 1;
        if child >= end {
            return;
        }
        if child + 1 < end && cmp(&v[child], &v[child + 1]) == Ordering::Less {
            child += 1;
        }
        if cmp(&v[root], &v[child]) != Ordering::Less {
            return;
        }
        v.swap(root, child);
        root = child;
    };
    for start in (0..n / 2).rev() {
        sift(v, start, n);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift(v, 0, end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn heapsort_agrees_with_the_standard_sort(mut v in proptest::collection::vec(any::<(u8, u16)>(), 0..200)) {
            let mut expected = v.clone();
            expected.sort_unstable();
            heapsort(&mut v, &mut |a: &(u8, u16), b: &(u8, u16)| a.cmp(b));
            prop_assert_eq!(v, expected);
        }
    }

    #[test]
    fn sort_by_key_orders_by_the_key() {
        let mut v = vec![(3, 'c'), (1, 'a'), (2, 'b')];
        sort_by_key(&mut v, |x| x.0);
        assert_eq!(v, [(1, 'a'), (2, 'b'), (3, 'c')]);
        let mut w = vec![5u32, 1, 4];
        sort(&mut w);
        assert_eq!(w, [1, 4, 5]);
    }
}
