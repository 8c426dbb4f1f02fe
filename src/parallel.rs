//! Work spread over every core, for the loaders that parse many files (plan files, manifests).
//! One helper, so that no caller can lose a worker's results.

/// Applies `f` to every `(index, item)` on `threads` scoped threads, dealing the items
/// round-robin in the order given (sort them first to balance by size), and returns the results
/// ordered by `index`. A worker that panics re-raises its panic here: its items are never dropped
/// silently.
pub(crate) fn map_by_index<T: Send, R: Send>(
    items: Vec<(usize, T)>,
    threads: usize,
    f: impl Fn(T) -> R + Sync,
) -> Vec<R> {
    let threads = threads.max(1);
    let mut buckets: Vec<Vec<(usize, T)>> = (0..threads).map(|_| Vec::new()).collect();
    for (n, item) in items.into_iter().enumerate() {
        buckets[n % threads].push(item);
    }
    let f = &f;
    let mut done: Vec<(usize, R)> = std::thread::scope(|s| {
        let handles: Vec<_> = buckets
            .into_iter()
            .map(|bucket| {
                s.spawn(move || {
                    let done = bucket
                        .into_iter()
                        .map(|(i, t)| (i, f(t)))
                        .collect::<Vec<_>>();
                    crate::limits::flush_thread();
                    done
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::map_by_index;

    #[test]
    fn results_come_back_in_index_order_whatever_the_dealing_order() {
        let items: Vec<(usize, u32)> = vec![(2, 30), (0, 10), (3, 40), (1, 20)];
        assert_eq!(map_by_index(items, 3, |x| x + 1), vec![11, 21, 31, 41]);
    }

    #[test]
    fn a_panicking_worker_is_not_silently_dropped() {
        let r = std::panic::catch_unwind(|| {
            map_by_index(vec![(0, 1), (1, 2)], 2, |x: i32| {
                assert!(x != 2, "boom");
                x
            })
        });
        assert!(r.is_err());
    }
}
