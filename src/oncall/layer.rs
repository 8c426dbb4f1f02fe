//! One rotation layer in time: its shift boundaries and its weekly windows (DESIGN.md,
//! "On-call in time", rules 1 to 3 and 5).

use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan};

/// A local date-time made an instant with the offset in force just before any transition at
/// that moment: a time in a spring-forward gap moves forward by the gap, an ambiguous
/// fall-back time takes its first occurrence (jiff's `compatible`, zoneinfo's `fold=0`).
pub(crate) fn instant(tz: &TimeZone, local: DateTime) -> Option<Timestamp> {
    tz.to_ambiguous_timestamp(local).compatible().ok()
}

/// A weekly window in the layer's time zone: on each of `days`, from `from` to `to`; when `to`
/// is at or before `from` the window ends at `to` the next day. `to == None` is "24:00".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    pub days: Vec<Weekday>,
    pub from: Time,
    pub to: Option<Time>,
}

impl Window {
    /// The window that opens on `date` (which must be one of `days`), as instants.
    fn on(&self, tz: &TimeZone, date: Date) -> Option<(Timestamp, Timestamp)> {
        let start = instant(tz, date.to_datetime(self.from))?;
        let end = match self.to {
            Some(to) if to > self.from => date.to_datetime(to),
            Some(to) => date.tomorrow().ok()?.to_datetime(to),
            None => date.tomorrow().ok()?.to_datetime(Time::midnight()),
        };
        Some((start, instant(tz, end)?))
    }

    /// Every opening of this window, as instants, that starts on a local date in `dates`.
    fn openings(
        &self,
        tz: &TimeZone,
        dates: impl Iterator<Item = Date>,
    ) -> Vec<(Timestamp, Timestamp)> {
        dates
            .filter(|d| self.days.contains(&d.weekday()))
            .filter_map(|d| self.on(tz, d))
            .collect()
    }
}

/// Who holds a layer at an instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holder {
    /// The layer is not on call now (outside its windows, or an empty rotation).
    Off,
    /// This contact holds the shift.
    One(String),
    /// Two or more people rotate without a `handoff`: one of them holds it, unknown which.
    Candidates(Vec<String>),
}

/// A rotation layer: `rotation[k mod n]` holds shift k, which starts at boundary k.
#[derive(Debug, Clone)]
pub struct Layer {
    pub name: String,
    pub rotation: Vec<String>,
    /// Shift length in hours, at least 1.
    pub shift_hours: u32,
    /// Local date-time (in `tz`) at which `rotation[0]`'s shift starts.
    pub handoff: Option<DateTime>,
    pub tz: TimeZone,
    pub restrict: Vec<Window>,
}

impl Layer {
    /// Shift lengths that are whole days keep their wall-clock time across DST (rule 2).
    fn whole_days(&self) -> Option<i64> {
        (self.shift_hours % 24 == 0).then_some(i64::from(self.shift_hours / 24))
    }

    /// Boundary k: the start of shift k.
    fn boundary(&self, handoff: DateTime, k: i64) -> Option<Timestamp> {
        match self.whole_days() {
            Some(days) => {
                // `days()` panics past the calendar's range: a shift of millions of days.
                let span = jiff::Span::new().try_days(k.checked_mul(days)?).ok()?;
                let local = handoff.checked_add(span).ok()?;
                instant(&self.tz, local)
            }
            None => {
                let start = instant(&self.tz, handoff)?;
                let hours = k.checked_mul(i64::from(self.shift_hours))?;
                start.checked_add(SignedDuration::from_hours(hours)).ok()
            }
        }
    }

    /// The shift that holds `t`: the k with boundary(k) <= t < boundary(k + 1).
    fn shift_at(&self, handoff: DateTime, t: Timestamp) -> Option<i64> {
        let start = instant(&self.tz, handoff)?;
        let length = i64::from(self.shift_hours) * 3600;
        let mut k = (t.as_second() - start.as_second()).div_euclid(length);
        // Whole-day shifts drift from elapsed time by the DST offsets in between: settle k.
        for _ in 0..4 {
            if self.boundary_after(handoff, k, t) {
                k -= 1;
            } else if !self.boundary_after(handoff, k + 1, t) {
                k += 1;
            } else {
                return Some(k);
            }
        }
        None
    }

    /// Whether boundary k comes after `t`. A boundary past the end of the calendar (a shift
    /// of millions of days) comes after every instant, one before its start before every one.
    fn boundary_after(&self, handoff: DateTime, k: i64, t: Timestamp) -> bool {
        self.boundary(handoff, k).map_or(k > 0, |b| b > t)
    }

    /// Whether `t` falls inside one of the layer's windows (always, without `restrict`).
    fn in_window(&self, t: Timestamp) -> bool {
        if self.restrict.is_empty() {
            return true;
        }
        let today = self.tz.to_datetime(t).date();
        let dates = [today.yesterday().ok(), Some(today)];
        self.restrict.iter().any(|w| {
            w.openings(&self.tz, dates.iter().flatten().copied())
                .iter()
                .any(|(from, to)| *from <= t && t < *to)
        })
    }

    /// Who holds this layer at `t`.
    pub fn holder(&self, t: Timestamp) -> Holder {
        if self.rotation.is_empty() || !self.in_window(t) {
            return Holder::Off;
        }
        if let [only] = self.rotation.as_slice() {
            return Holder::One(only.clone());
        }
        let Some(handoff) = self.handoff else {
            return Holder::Candidates(self.rotation.clone());
        };
        match self.shift_at(handoff, t) {
            Some(k) => {
                let n = self.rotation.len() as i64;
                Holder::One(self.rotation[k.rem_euclid(n) as usize].clone())
            }
            None => Holder::Candidates(self.rotation.clone()),
        }
    }

    /// Every instant in (from, to) at which this layer's holder may change: shift boundaries
    /// and window edges. Sorted, not de-duplicated.
    pub fn changes(&self, from: Timestamp, to: Timestamp) -> Vec<Timestamp> {
        let mut out = Vec::new();
        if let (Some(handoff), true) = (self.handoff, self.rotation.len() > 1) {
            if let Some(mut k) = self.shift_at(handoff, from) {
                while let Some(b) = self.boundary(handoff, k + 1) {
                    if b >= to {
                        break;
                    }
                    if b > from {
                        out.push(b);
                    }
                    k += 1;
                }
            }
        }
        if !self.restrict.is_empty() {
            let first = self.tz.to_datetime(from).date().yesterday().ok();
            let last = self.tz.to_datetime(to).date().tomorrow().ok();
            if let (Some(first), Some(last)) = (first, last) {
                let dates = || first.series(1.day()).take_while(move |d| *d <= last);
                for w in &self.restrict {
                    for (a, b) in w.openings(&self.tz, dates()) {
                        out.extend([a, b].into_iter().filter(|x| from < *x && *x < to));
                    }
                }
            }
        }
        out.sort();
        out
    }
}
