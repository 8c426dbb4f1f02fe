//! The plan's lists by name. Adding a list is a new variant: every `match` below (and each
//! place that must handle it) stops compiling until it does.

use super::schema::{self, Obj};

/// One of the plan's lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum List {
    Contacts,
    Teams,
    Areas,
    EscalationPolicies,
    Threats,
    Waivers,
}

impl List {
    /// Every list, in the order they appear in the input document.
    pub const ALL: [List; 6] = [
        List::Contacts,
        List::Teams,
        List::Areas,
        List::EscalationPolicies,
        List::Threats,
        List::Waivers,
    ];

    /// Its key in a plan file and in `input.plan`.
    pub const fn name(self) -> &'static str {
        match self {
            List::Contacts => "contacts",
            List::Teams => "teams",
            List::Areas => "areas",
            List::EscalationPolicies => "escalation_policies",
            List::Threats => "threats",
            List::Waivers => "waivers",
        }
    }

    /// The schema of one element.
    pub fn object(self) -> &'static Obj {
        match self {
            List::Contacts => &schema::CONTACT,
            List::Teams => &schema::TEAM,
            List::Areas => &schema::AREA,
            List::EscalationPolicies => &schema::POLICY,
            List::Threats => &schema::THREAT,
            List::Waivers => &schema::WAIVER,
        }
    }

    /// The list a plan key names.
    pub fn named(name: &str) -> Option<List> {
        List::ALL.into_iter().find(|l| l.name() == name)
    }
}

/// One value per plan list, addressed by [`List`].
#[derive(Debug, Clone, Default)]
pub struct PerList<T> {
    contacts: T,
    teams: T,
    areas: T,
    escalation_policies: T,
    threats: T,
    waivers: T,
}

impl<T> PerList<T> {
    pub fn get(&self, list: List) -> &T {
        match list {
            List::Contacts => &self.contacts,
            List::Teams => &self.teams,
            List::Areas => &self.areas,
            List::EscalationPolicies => &self.escalation_policies,
            List::Threats => &self.threats,
            List::Waivers => &self.waivers,
        }
    }

    pub fn get_mut(&mut self, list: List) -> &mut T {
        match list {
            List::Contacts => &mut self.contacts,
            List::Teams => &mut self.teams,
            List::Areas => &mut self.areas,
            List::EscalationPolicies => &mut self.escalation_policies,
            List::Threats => &mut self.threats,
            List::Waivers => &mut self.waivers,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_and_the_schema_agree_on_names_and_order() {
        let names: Vec<&str> = List::ALL.iter().map(|l| l.name()).collect();
        let schema: Vec<&str> = schema::LISTS.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, schema);
        for l in List::ALL {
            assert_eq!(List::named(l.name()), Some(l));
            let in_schema = schema::LISTS.iter().find(|(n, _)| *n == l.name());
            assert!(in_schema.is_some_and(|(_, o)| std::ptr::eq(*o, l.object())));
        }
    }
}
