//! On-call in time: who holds a team's on-call at any instant (DESIGN.md, "On-call in time").
//!
//! Rust computes these facts once; policies see the result as intervals (`input.oncall`) and
//! never do calendar arithmetic. Time zones and DST come from jiff with its bundled time-zone
//! database, so every machine computes the same shifts.

pub(crate) mod layer;
pub mod now;
pub mod options;
pub mod plan;

pub use layer::{Holder, Layer, Window};

use jiff::Timestamp;

/// Someone holds the on-call over `[from, to)`, whatever the layers say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    pub contact: String,
    pub from: Timestamp,
    pub to: Timestamp,
}

/// A team's on-call: layers in list order (later ones win) and overrides (later ones win).
#[derive(Debug, Clone, Default)]
pub struct Schedule {
    pub layers: Vec<Layer>,
    pub overrides: Vec<Override>,
}

/// A piece of the timeline: over `[from, to)` these contacts are on call. One contact when
/// the holder is known, the rotation's active members when it is not (no handoff), none when
/// nobody is on call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interval {
    pub from: Timestamp,
    pub to: Timestamp,
    pub contacts: Vec<String>,
}

impl Schedule {
    /// Who is on call at `t` (rule 4): the last override holding `t`, else the holder of the
    /// last layer on call at `t`, else nobody. An inactive holder means nobody: there is no
    /// fallback to an earlier layer, because the pager would ring an inactive person.
    pub fn at(&self, t: Timestamp, active: &dyn Fn(&str) -> bool) -> Vec<String> {
        let holder = match self
            .overrides
            .iter()
            .rev()
            .find(|o| o.from <= t && t < o.to)
        {
            Some(o) => Holder::One(o.contact.clone()),
            None => self
                .layers
                .iter()
                .rev()
                .map(|l| l.holder(t))
                .find(|h| *h != Holder::Off)
                .unwrap_or(Holder::Off),
        };
        match holder {
            Holder::Off => Vec::new(),
            Holder::One(c) if active(&c) => vec![c],
            Holder::One(_) => Vec::new(),
            Holder::Candidates(cs) => {
                let mut cs: Vec<String> = cs.into_iter().filter(|c| active(c)).collect();
                cs.sort();
                cs.dedup();
                cs
            }
        }
    }

    /// The on-call over `[from, to)` as intervals that tile it exactly, gaps included with no
    /// contacts, neighbours with the same contacts merged.
    pub fn intervals(
        &self,
        from: Timestamp,
        to: Timestamp,
        active: &dyn Fn(&str) -> bool,
    ) -> Vec<Interval> {
        if from >= to {
            return Vec::new();
        }
        let mut cuts: Vec<Timestamp> = self
            .layers
            .iter()
            .flat_map(|l| l.changes(from, to))
            .chain(
                self.overrides
                    .iter()
                    .flat_map(|o| [o.from, o.to])
                    .filter(|t| from < *t && *t < to),
            )
            .collect();
        cuts.push(from);
        cuts.sort();
        cuts.dedup();
        let mut out: Vec<Interval> = Vec::with_capacity(cuts.len());
        for (i, start) in cuts.iter().enumerate() {
            let end = cuts.get(i + 1).copied().unwrap_or(to);
            let contacts = self.at(*start, active);
            match out.last_mut() {
                Some(last) if last.contacts == contacts => last.to = end,
                _ => out.push(Interval {
                    from: *start,
                    to: end,
                    contacts,
                }),
            }
        }
        out
    }

    /// The first instant after `t`, before `limit`, at which the answer of [`Schedule::at`]
    /// changes; `None` when it holds until `limit`.
    pub fn next_change(
        &self,
        t: Timestamp,
        limit: Timestamp,
        active: &dyn Fn(&str) -> bool,
    ) -> Option<Timestamp> {
        let first = self.intervals(t, limit, active).into_iter().next()?;
        (first.to < limit).then_some(first.to)
    }
}

#[cfg(test)]
mod tests;
