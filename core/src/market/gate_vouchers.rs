//! Whether a rare skill gate is a specialty several clients use, or one client's pick.
//!
//! A rare gate leaves the market a choice once its holders are measured (`skill_gates.rs`). That
//! alone let one real client pick its own agents: a ring whose agents declare top levels in a
//! common skill wins honest work on the lie, is measured, and so opens the gate only it passes;
//! a colluding client whose ordinary work gives it real standing then posts tasks behind that
//! gate, and each of them counted as the market's choice, weighed by that client's standing
//! (MATRIX.md, `lying-collusion`: +16 to +37 percentile points). An honest specialty has many
//! clients. So a rare gate also needs *vouchers*: clients of at least two owners other than the
//! task's client's that settled work behind the skill while established (weighing at least
//! [`VOUCHER_WEIGHT`] as raters). Until then a task behind it is its client's pick, whoever
//! holds the skill. Sock accounts cannot vouch (money paid behind a rare gate establishes
//! nobody), so a ring needs the standing of three real owners, bought with work for honest
//! agents behind common skills.
//!
//! A vouch is by skill name, at any level, and is recorded only while the skill is rare (a
//! common one needs none). It is never withdrawn, but a suspended or closed client's vouches do
//! not count while it is: an operator who finds a colluding client shuts its gate with it. Each
//! client stores the skills it vouched for (`Client::vouched_gates`, in snapshots); the per-skill
//! lists here are derived from them, rebuilt on load and compared with a fresh count by `audit`.

use std::collections::BTreeMap;

use crate::ids::ClientId;
use crate::party::Client;

/// The weight as a rater (`ClientReputation::weight_as_rater`, 1 past `full_weight_spend`) a
/// client needs when it settles work behind a rare gate for that to vouch for the gate: half a
/// full rater's, so a $5 account never vouches and a client with modest real spend does.
pub(crate) const VOUCHER_WEIGHT: f64 = 0.5;

/// Owners, other than the task's client's, whose vouches a rare gate needs: "several", so that
/// one colluding client, or two, cannot open a gate for their own agents.
pub(crate) const VOUCHERS_NEEDED: usize = 2;

/// Per skill name, the clients that vouched for it, sorted by id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct GateVouchers {
    by_skill: BTreeMap<String, Vec<ClientId>>,
}

impl GateVouchers {
    /// `client` vouches for `skill`; whether that is new.
    pub(crate) fn vouch(&mut self, skill: &str, client: ClientId) -> bool {
        let list = match self.by_skill.get_mut(skill) {
            Some(list) => list,
            None => self.by_skill.entry(skill.to_owned()).or_default(),
        };
        match list.binary_search(&client) {
            Ok(_) => false,
            Err(at) => {
                list.insert(at, client);
                true
            }
        }
    }

    /// Whether clients of [`VOUCHERS_NEEDED`] distinct owners other than `owner` (the task's
    /// client's) vouched for `skill`. `voucher_owner` codes a voucher's owner, or is `None` for
    /// one whose vouch does not count now (suspended or closed).
    pub(crate) fn vouched_by_others(
        &self,
        skill: &str,
        owner: u32,
        voucher_owner: impl Fn(ClientId) -> Option<u32>,
    ) -> bool {
        let Some(list) = self.by_skill.get(skill) else { return false };
        // The distinct other owners seen so far (no allocation: this runs on claims).
        let mut others = [0u32; VOUCHERS_NEEDED];
        let mut seen = 0;
        for o in list.iter().filter_map(|&client| voucher_owner(client)) {
            if o != owner && !others[..seen].contains(&o) {
                others[seen] = o;
                seen += 1;
                if seen == VOUCHERS_NEEDED {
                    return true;
                }
            }
        }
        false
    }

    /// The lists worked out afresh from what each client stores.
    pub(crate) fn afresh(clients: &[Client]) -> GateVouchers {
        let mut vouchers = GateVouchers::default();
        for c in clients {
            for skill in &c.vouched_gates {
                vouchers.vouch(skill, c.id);
            }
        }
        vouchers
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gate_needs_vouchers_of_two_owners_besides_the_tasks_own() {
        let mut v = GateVouchers::default();
        // Clients 0..4; clients 1 and 2 share owner 1.
        let owner_of = |c: ClientId| Some([0, 1, 1, 3, 4][c.index()]);
        assert!(!v.vouched_by_others("handshake", 0, owner_of), "nobody vouched");
        assert!(v.vouch("handshake", ClientId(0)) && !v.vouch("handshake", ClientId(0)), "a vouch counts once");
        assert!(v.vouch("handshake", ClientId(1)) && v.vouch("handshake", ClientId(2)));
        // For client 0's task: owners 1 and 1, one owner.
        assert!(!v.vouched_by_others("handshake", 0, owner_of));
        v.vouch("handshake", ClientId(3));
        // Owners 1 and 3 besides client 0's.
        assert!(v.vouched_by_others("handshake", 0, owner_of));
        // For owner 1's task: owners 0 and 3; for owner 3's: 0 and 1.
        assert!(v.vouched_by_others("handshake", 1, owner_of) && v.vouched_by_others("handshake", 3, owner_of));
        // Another skill is vouched for separately.
        assert!(!v.vouched_by_others("other", 4, owner_of));
        // Client 3 suspended: its vouch does not count, so client 0's task has owner 1 alone.
        let suspended_3 = |c: ClientId| owner_of(c).filter(|_| c != ClientId(3));
        assert!(!v.vouched_by_others("handshake", 0, suspended_3));
    }
}
