//! Sorting that the phone's wasm holds once. The standard library's sort is made anew for every
//! element type and comparison, some 3-4 KB of wasm each, and the main chunk held sixteen of
//! them (the duty engine's, the ledger's, the roster's, Today's lists). On wasm32, `Order` sorts
//! a list of positions under one comparison taken by reference, so one sort serves every list,
//! and then moves the items into that order. Elsewhere (the server, where speed matters and size
//! does not) it is the standard sort. Both are stable: equal items keep their order.

use std::cmp::Ordering;

/// `order_by`, `order_by_key`, `order`: `sort_by`, `sort_by_key`, `sort` of a slice, held once
/// in the phone's wasm.
pub trait Order<T> {
    fn order_by(&mut self, compare: impl FnMut(&T, &T) -> Ordering);

    fn order_by_key<K: Ord>(&mut self, mut key: impl FnMut(&T) -> K) {
        self.order_by(|a, b| key(a).cmp(&key(b)));
    }

    fn order(&mut self)
    where
        T: Ord,
    {
        self.order_by(T::cmp);
    }
}

impl<T> Order<T> for [T] {
    fn order_by(&mut self, compare: impl FnMut(&T, &T) -> Ordering) {
        #[cfg(target_arch = "wasm32")]
        by_positions(self, compare);
        #[cfg(not(target_arch = "wasm32"))]
        self.sort_by(compare);
    }
}

/// Sorts by sorting the items' positions (the one sort there is) and then moving the items.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn by_positions<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    // Most of the duty engine's lists (a subject's facts) hold one item or none: no allocation.
    if items.len() < 2 {
        return;
    }
    let order = sorted_positions(items.len(), &mut |a, b| compare(&items[a], &items[b]));
    permute(items, order);
}

#[inline(never)]
fn sorted_positions(len: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| compare(a, b));
    order
}

/// Puts at each position `i` the item that was at `order[i]`, by swaps along each cycle of the
/// permutation: the item that belongs at the cycle's start travels with the swaps until the
/// cycle closes on it.
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    const PLACED: usize = usize::MAX;
    for start in 0..items.len() {
        let mut at = start;
        while order[at] != PLACED {
            let from = order[at];
            order[at] = PLACED;
            if from == start {
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

    /// Items with many equal keys, each tagged with where it started, in a scrambled order.
    fn scrambled(n: usize) -> Vec<(u32, usize)> {
        let mut seed = 0x2545_f491_u32;
        (0..n)
            .map(|i| {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                (seed % 7, i)
            })
            .collect()
    }

    #[test]
    fn sorting_by_positions_is_the_standard_stable_sort() {
        for n in [0, 1, 2, 3, 19, 20, 21, 64, 500] {
            let items = scrambled(n);
            let mut expected = items.clone();
            expected.sort_by_key(|x| x.0);
            let mut got = items.clone();
            by_positions(&mut got, |a, b| a.0.cmp(&b.0));
            assert_eq!(got, expected, "{n} items");
        }
    }

    #[test]
    fn the_trait_sorts_by_key_by_comparison_and_in_natural_order() {
        let mut words = vec!["pear", "fig", "apple", "kiwi", "date"];
        words.order_by_key(|w| w.len());
        assert_eq!(words, ["fig", "pear", "kiwi", "date", "apple"]);
        words.order();
        assert_eq!(words, ["apple", "date", "fig", "kiwi", "pear"]);
        words.order_by(|a, b| b.cmp(a));
        assert_eq!(words, ["pear", "kiwi", "fig", "date", "apple"]);
    }

    #[test]
    fn every_permutation_of_four_is_applied_as_asked() {
        let mut orders: Vec<Vec<usize>> = vec![vec![]];
        for _ in 0..4 {
            let mut longer = Vec::new();
            for order in &orders {
                for i in (0..4).filter(|i| !order.contains(i)) {
                    longer.push([order.clone(), vec![i]].concat());
                }
            }
            orders = longer;
        }
        assert_eq!(orders.len(), 24);
        for order in orders {
            let mut items: Vec<String> = (0..4).map(|i| format!("item {i}")).collect();
            permute(&mut items, order.clone());
            let expected: Vec<String> = order.iter().map(|i| format!("item {i}")).collect();
            assert_eq!(items, expected, "{order:?}");
        }
    }
}
