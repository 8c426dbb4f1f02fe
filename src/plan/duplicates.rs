//! Ids defined more than once in a list, computed once per plan: which ids, and for each
//! element with such an id its occurrence among the elements of its file with the same id
//! (what its stable key names), so building every key is linear in the list, not quadratic.

use std::collections::{HashMap, HashSet};

use super::list::List;
use super::Plan;

#[derive(Debug, Clone, Default)]
pub struct Duplicates {
    ids: HashSet<String>,
    /// Per element of the list (merged order): 0 for the first element of its file with its
    /// id, 1 for the second...; 0 for elements whose id is not duplicated.
    nth: Vec<u32>,
}

impl Duplicates {
    pub fn of(plan: &Plan, list: List) -> Duplicates {
        let refs = plan.lists.get(list);
        let ids: Vec<Option<&str>> = refs
            .iter()
            .map(|r| plan.elem(list, *r)?.get("id")?.as_str())
            .collect();
        let mut seen = HashSet::new();
        let mut dups = HashSet::new();
        for id in ids.iter().flatten() {
            if !seen.insert(*id) {
                dups.insert(*id);
            }
        }
        let mut count: HashMap<(usize, &str), u32> = HashMap::new();
        let nth = refs
            .iter()
            .zip(&ids)
            .map(|(r, id)| match id {
                Some(id) if dups.contains(id) => {
                    let n = count.entry((r.file, id)).or_insert(0);
                    *n += 1;
                    *n - 1
                }
                _ => 0,
            })
            .collect();
        Duplicates {
            ids: dups.into_iter().map(str::to_string).collect(),
            nth,
        }
    }

    /// Whether `id` is defined more than once in the list.
    pub fn contains(&self, id: &str) -> bool {
        self.ids.contains(id)
    }

    /// The occurrence (0-based) of element `i` among its file's elements with the same id.
    pub fn nth(&self, i: usize) -> usize {
        self.nth.get(i).map_or(0, |n| *n as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{parse_file, Plan, Seg};
    use super::*;

    fn file(path: &str, ids: &[&str]) -> super::super::PlanFile {
        let mut text =
            String::from("apiVersion: plancheck.dev/v1\nkind: IncidentResponsePlan\nthreats:\n");
        for id in ids {
            text.push_str(&format!("  - id: {id}\n"));
        }
        parse_file(path, text.into_bytes()).expect("parses")
    }

    #[test]
    fn each_duplicate_keeps_its_file_and_occurrence_in_its_key() {
        let plan = Plan::merge(vec![
            file("a.yaml", &["T-1", "T-2", "T-1", "T-3"]),
            file("b.yaml", &["T-1", "T-4", "T-1", "T-1"]),
        ]);
        let keys: Vec<String> = (0..8)
            .map(|i| plan.key(&[Seg::Key("threats".into()), Seg::Index(i)]).text)
            .collect();
        assert_eq!(
            keys,
            [
                "plan.threats[T-1 in a.yaml]",
                "plan.threats[T-2]",
                "plan.threats[T-1 in a.yaml #2]",
                "plan.threats[T-3]",
                "plan.threats[T-1 in b.yaml]",
                "plan.threats[T-4]",
                "plan.threats[T-1 in b.yaml #2]",
                "plan.threats[T-1 in b.yaml #3]",
            ]
        );
        assert!(plan.duplicate_ids.get(List::Threats).contains("T-1"));
        assert!(!plan.duplicate_ids.get(List::Threats).contains("T-2"));
    }
}
