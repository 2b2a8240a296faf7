//! Whether a task's required skills left the market a choice.
//!
//! Evidence counts only from work the market chose (`TaskClaimed.matched`), and a ranking's
//! shortlist, a batch placement, an award or an arbitration is the market's choice only among
//! the agents the spec lets through. A skill that only a ring's agents declare lets nobody else
//! through: the ring's client ranks its own task and a ring agent claims from the shortlist, kept
//! busy and away from the honest work that would measure it (MATRIX.md, `gated-ring`). So a
//! required skill counts as leaving a choice when it is *common* (at least half the agents
//! declare it at the level asked) or when the agents declaring it have been *measured* at least
//! half as often as agents overall. Measured means work the market chose on its evidence on a
//! task whose required skills were all common: work behind a rare gate cannot vouch for that
//! gate's holders, and neither can an exploration trial (`Work.exploring`), which the market
//! gives to the unknown whatever they declare: a larger exploration budget tried a ring's agents
//! as often as anyone's, so their gate counted as leaving a choice, the ring's own tasks as the
//! market's choice, and its agents rose from the prior on them (MATRIX.md, `gated-ring`).
//! Only a market that can measure nobody (no skill is common and nobody is measured: its skills
//! are all rare) counts every gate, so such a market is not protected (REPUTATION.md says so). A
//! young market with a common skill is protected from its first task: a rare gate leaves no
//! choice until its holders are measured. (It once counted every gate until the first agent was
//! measured; a ring's first tasks then counted, lifted one of its agents to the top of an honest
//! ranking on its record alone, measured it, and opened the gate: MATRIX.md.)
//!
//! Measured holders are not the whole rule: one real client could still pick its own measured
//! agents behind a gate only they pass, so a rare gate also needs clients of other owners to
//! vouch for it (`gate_vouchers.rs`; `Market::gates_leave_a_choice` asks both).
//!
//! The counts are derived: rebuilt on load from the agents' skills and their reputation's
//! `open_matched`, and compared with a fresh count by `audit`.

use crate::party::Skill;

/// Per skill code, how many agents declare it at each level, and how many of those are measured.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct SkillGates {
    /// `declared[code][level - 1]`: agents declaring the skill at exactly that level.
    declared: Vec<[u32; 5]>,
    /// The same, among measured agents.
    measured: Vec<[u32; 5]>,
    /// Agents registered.
    agents: u32,
    /// Agents measured.
    measured_agents: u32,
    /// `codes_by_total[t]`: skill codes declared by exactly `t > 0` agents (at any level), with no
    /// trailing zeros, so its last index is the most agents declaring any one skill: whether some
    /// skill is common, in O(1) (a code's total moves by one at a time, so trimming is too).
    codes_by_total: Vec<u32>,
}

impl SkillGates {
    /// One more agent, measured or not (its skills come with [`SkillGates::declare`]).
    pub(crate) fn add_agent(&mut self, measured: bool) {
        self.agents += 1;
        self.measured_agents += u32::from(measured);
    }

    /// An agent declares `skills` (code, level).
    pub(crate) fn declare(&mut self, skills: &[(u32, u8)], measured: bool) {
        for &(code, level) in skills {
            let Some(l) = level_index(level) else { continue };
            let i = code as usize;
            if self.declared.len() <= i {
                self.declared.resize(i + 1, [0; 5]);
                self.measured.resize(i + 1, [0; 5]);
            }
            self.declared[i][l] += 1;
            if measured {
                self.measured[i][l] += 1;
            }
            let total = self.declared[i].iter().sum::<u32>();
            self.move_total(total - 1, total);
        }
    }

    /// A skill code's total of declaring agents moved by one, from `before` to `after`. Codes
    /// nobody declares are not counted: there is no end to them.
    fn move_total(&mut self, before: u32, after: u32) {
        if let Some(n) = self.codes_by_total.get_mut(before as usize).filter(|_| before > 0) {
            *n -= 1;
        }
        if after > 0 {
            let a = after as usize;
            if self.codes_by_total.len() <= a {
                self.codes_by_total.resize(a + 1, 0);
            }
            self.codes_by_total[a] += 1;
        }
        while self.codes_by_total.last() == Some(&0) {
            self.codes_by_total.pop();
        }
    }

    /// The most agents declaring any one skill, at any level.
    fn largest_total(&self) -> u32 {
        self.codes_by_total.len().saturating_sub(1) as u32
    }

    /// Whether some skill is declared by at least half the agents, at any level.
    fn any_common(&self) -> bool {
        let largest = self.largest_total();
        largest > 0 && 2 * u64::from(largest) >= u64::from(self.agents)
    }

    /// Whether the market can measure nobody, and so counts every gate: no skill is common and
    /// nobody is measured (its skills are all rare).
    fn unprotected(&self) -> bool {
        self.measured_agents == 0 && !self.any_common()
    }

    /// An agent no longer declares `skills`.
    pub(crate) fn withdraw(&mut self, skills: &[(u32, u8)], measured: bool) {
        for &(code, level) in skills {
            let (Some(l), Some(row)) = (level_index(level), self.declared.get_mut(code as usize)) else { continue };
            if row[l] == 0 {
                continue;
            }
            row[l] -= 1;
            let total = row.iter().sum::<u32>();
            self.move_total(total + 1, total);
            if measured {
                let row = &mut self.measured[code as usize];
                row[l] = row[l].saturating_sub(1);
            }
        }
    }

    /// An agent declaring `skills` has just been measured for the first time.
    pub(crate) fn measure(&mut self, skills: &[(u32, u8)]) {
        self.measured_agents += 1;
        for &(code, level) in skills {
            let (Some(l), Some(row)) = (level_index(level), self.measured.get_mut(code as usize)) else { continue };
            row[l] += 1;
        }
    }

    /// Whether at least half the agents declare skill `code` at `min_level` or above.
    pub(crate) fn common(&self, code: Option<u32>, min_level: u8) -> bool {
        let declared = at_least(&self.declared, code, min_level);
        2 * u64::from(declared) >= u64::from(self.agents)
    }

    /// Whether money paid for work behind skill `code` at `min_level` establishes its client:
    /// the skill is common, or the market can measure nobody (its skills are all rare, and every
    /// gate counts anyway). A rare gate's work cannot establish its client, even once the gate
    /// leaves a choice: a ring's accounts would otherwise pay their own agents into standing, and
    /// their ratings would then weigh like anyone's.
    pub(crate) fn establishes(&self, code: Option<u32>, min_level: u8) -> bool {
        self.unprotected() || self.common(code, min_level)
    }

    /// Whether requiring skill `code` at `min_level` leaves the market a choice: the skill is
    /// common, or its holders are measured at least half as often as agents overall, once
    /// anyone is (or the market can measure nobody, or nobody declares it, so nobody could be
    /// chosen through it).
    pub(crate) fn leaves_a_choice(&self, code: Option<u32>, min_level: u8) -> bool {
        if self.establishes(code, min_level) {
            return true;
        }
        let declared = u64::from(at_least(&self.declared, code, min_level));
        let measured = u64::from(at_least(&self.measured, code, min_level));
        // measured / declared >= 1/2 * measured_agents / agents, in integers; while nobody is
        // measured, its holders are not either.
        declared == 0
            || (self.measured_agents > 0
                && 2 * measured * u64::from(self.agents) >= declared * u64::from(self.measured_agents))
    }
}

impl SkillGates {
    /// The counts of `agents` (each with its declared skills as codes, and whether it is
    /// measured) worked out afresh: what `audit` compares the kept counts with.
    pub(crate) fn afresh(agents: impl Iterator<Item = (Vec<(u32, u8)>, bool)>) -> SkillGates {
        let mut gates = SkillGates::default();
        for (skills, measured) in agents {
            gates.add_agent(measured);
            gates.declare(&skills, measured);
        }
        gates
    }

    /// Whether two sets of counts agree (codes beyond either's end count zero).
    pub(crate) fn agrees_with(&self, other: &SkillGates) -> bool {
        let same = |a: &[[u32; 5]], b: &[[u32; 5]]| {
            (0..a.len().max(b.len())).all(|i| a.get(i).unwrap_or(&[0; 5]) == b.get(i).unwrap_or(&[0; 5]))
        };
        self.agents == other.agents
            && self.measured_agents == other.measured_agents
            && self.codes_by_total == other.codes_by_total
            && same(&self.declared, &other.declared)
            && same(&self.measured, &other.measured)
    }
}

/// `skills` as (code, level) pairs, for the names `skill_index` (the market's skill table) holds.
pub(crate) fn coded(skill_index: &std::collections::BTreeMap<String, u32>, skills: &[Skill]) -> Vec<(u32, u8)> {
    skills.iter().filter_map(|s| skill_index.get(&s.name).map(|&code| (code, s.level))).collect()
}

/// Level 1..=5 as an index.
fn level_index(level: u8) -> Option<usize> {
    (1..=5).contains(&level).then(|| usize::from(level - 1))
}

/// Agents counted in `counts` at `min_level` or above for skill `code`.
fn at_least(counts: &[[u32; 5]], code: Option<u32>, min_level: u8) -> u32 {
    let Some(row) = code.and_then(|c| counts.get(c as usize)) else { return 0 };
    let from = usize::from(min_level.clamp(1, 5) - 1);
    row[from..].iter().sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rare_skill_leaves_a_choice_only_when_its_holders_are_measured_like_everyone() {
        let mut g = SkillGates::default();
        assert!(g.establishes(Some(1), 5), "nobody measured: every gate establishes");
        // Ten agents declare skill 0 (common); two of them also skill 1 at level 5 (rare).
        for i in 0..10 {
            g.add_agent(false);
            let mut skills = vec![(0, 3)];
            if i < 2 {
                skills.push((1, 5));
            }
            g.declare(&skills, false);
        }
        // Nobody is measured yet, but skill 0 is common: the market can measure, so the rare gate
        // leaves no choice from the first task.
        assert!(!g.leaves_a_choice(Some(1), 5) && !g.establishes(Some(1), 5));
        assert!(g.leaves_a_choice(Some(0), 3) && g.establishes(Some(0), 3));
        // Four agents without the rare skill are measured.
        for _ in 0..4 {
            g.measure(&[(0, 3)]);
        }
        assert!(g.common(Some(0), 1) && g.leaves_a_choice(Some(0), 1));
        assert!(!g.common(Some(1), 5));
        assert!(!g.leaves_a_choice(Some(1), 5), "its holders are measured less than half as often");
        // One of the two is measured: 1/2 >= 1/2 x 5/10.
        g.measure(&[(0, 3), (1, 5)]);
        assert!(g.leaves_a_choice(Some(1), 5));
        // An open rare gate still does not let money paid behind it establish its client; a
        // common one does.
        assert!(!g.establishes(Some(1), 5) && g.establishes(Some(0), 3));
        // A level above the declared one: nobody declares it, nobody can be chosen through it.
        assert!(g.leaves_a_choice(Some(1), 5) && g.leaves_a_choice(Some(7), 2));
        g.withdraw(&[(0, 3), (1, 5)], true);
        assert!(!g.leaves_a_choice(Some(1), 5));
    }

    #[test]
    fn a_market_whose_skills_are_all_rare_counts_every_gate_until_one_is_common() {
        // Three agents, each declaring a skill of its own: none is common, nobody can be measured.
        let mut g = SkillGates::default();
        for code in 0..3 {
            g.add_agent(false);
            g.declare(&[(code, 4)], false);
        }
        assert!(g.leaves_a_choice(Some(2), 4) && g.establishes(Some(2), 4), "unprotected: every gate counts");
        // A fourth agent declares skill 0 as well: two of four, so skill 0 is common and the
        // other gates close.
        g.add_agent(false);
        g.declare(&[(0, 2)], false);
        assert!(g.common(Some(0), 1) && !g.leaves_a_choice(Some(2), 4) && !g.establishes(Some(2), 4));
        // It withdraws: nothing is common again, and the largest total falls back with it.
        g.withdraw(&[(0, 2)], false);
        assert!(g.leaves_a_choice(Some(2), 4));
        assert_eq!(g.largest_total(), 1);
        // The kept counts equal a fresh count after every change.
        let fresh = SkillGates::afresh(
            [vec![(0, 4)], vec![(1, 4)], vec![(2, 4)], vec![]].into_iter().map(|skills| (skills, false)),
        );
        assert!(fresh.agrees_with(&g), "{fresh:?} against {g:?}");
    }
}
