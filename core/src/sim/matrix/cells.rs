//! The cells of the matrix: utilisation x allocation x client mix x adversary, and their names.

/// How tasks reach agents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Allocation {
    /// The task's client calls `RankAgents`; the top entry claims first-come (`ClaimTask`), and
    /// if it cannot, the next.
    RankClaim,
    /// The operator places open tasks with `AssignTasks`.
    Batch,
    /// Bid-priced tasks: eligible free agents `PlaceBid`; `AwardPolicy::BestValue` awards at close.
    Bids,
}

impl Allocation {
    /// Every policy.
    pub const EACH: [Allocation; 3] = [Allocation::RankClaim, Allocation::Batch, Allocation::Bids];

    /// Its name in a cell's name.
    pub fn name(self) -> &'static str {
        match self {
            Allocation::RankClaim => "rank-claim",
            Allocation::Batch => "batch",
            Allocation::Bids => "bids",
        }
    }
}

/// Who posts the (honest) work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientMix {
    /// Half as many clients as agents (100 for 200), each with a lognormal typical reward
    /// (median $10), posting equally often.
    ManySmall,
    /// Five large clients posting 80 % of the tasks at a median of $40, and a tenth as many
    /// small clients as agents posting the rest at a median of $10.
    FewLarge,
}

impl ClientMix {
    /// Both mixes.
    pub const EACH: [ClientMix; 2] = [ClientMix::ManySmall, ClientMix::FewLarge];

    /// Its name in a cell's name.
    pub fn name(self) -> &'static str {
        match self {
            ClientMix::ManySmall => "many-small",
            ClientMix::FewLarge => "few-large",
        }
    }
}

/// The attack a cell runs (drift agents are in every cell).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Adversary {
    /// Nobody attacks.
    Honest,
    /// Ring clients with $5 balances (recycled every round) post $5 tasks that the ring's weak
    /// agents claim at once; always accepted, five stars.
    SybilRing,
    /// As `SybilRing`, but the ring clients spend real money ($1,000 deposited each, nothing
    /// recycled) on $5 tasks, two per ring agent per round.
    SpendingRing,
    /// As `SpendingRing`, but every ring task requires a skill only the ring's agents declare
    /// (at level 5, added to their profiles when the attack starts), and the ring client ranks
    /// the task before the first agent of its shortlist claims it: the market "chose" among the
    /// only agents the spec lets through.
    GatedRing,
    /// As `GatedRing`, but the ring's agents declare level 5 in every skill from the start
    /// (self-description is free). They win some honest work on it, are measured, and so open
    /// the gate only they pass (`market/skill_gates.rs`): the ring's own tasks are then the
    /// market's choice among its agents alone.
    LyingRing,
    /// An honest-looking client with real spend (a tenth of the ordinary tasks, median $20,
    /// reviewed honestly) that also sends $20 tasks to the ring's weak agents, five stars.
    ColludingClient,
    /// The colluding client's ring made as strong as this matrix knows how: its agents declare
    /// level 5 in every skill (as `LyingRing`'s, in the baseline too), and the client's ring
    /// tasks require a skill only they declare, ranked before a shortlisted agent claims them
    /// (as `GatedRing`'s). Real, established spend behind a gate its agents open by being
    /// measured on honest work they won on the lie. Defeated since a rare gate needs vouchers
    /// from clients of two other owners (`market/gate_vouchers.rs`; MATRIX.md).
    LyingCollusion,
    /// `LyingCollusion` with its colluding volume split among three real clients of distinct
    /// owners, each established by its ordinary work: each vouches for the gate the others post
    /// behind, as an honest specialty's clients would. Its lift is defeated since evidence from
    /// behind a rare gate counts only as far as the agent's other work agrees with it
    /// (`reputation/gated.rs`); the honest work its agents win meanwhile is not (MATRIX.md,
    /// "Gated evidence against the rest of the agent's work").
    CollusionOfThree,
    /// A shell client pays 10 weak sock agents one $500 task each, then 50 tasks of $1 each,
    /// always accepted, five stars.
    WashTrade,
    /// Weak agents re-register under a new identity after every task.
    Whitewash,
    /// `Whitewash` by agents that also declare level 5 in every skill (as `LyingRing`'s, in the
    /// baseline too, so the ratio measures what re-registering adds to the lie): each new
    /// identity is an unknown that claims to be the best.
    LyingWhitewash,
    /// Every honest rating one star higher.
    Inflation,
    /// A client (a twentieth of the ordinary tasks) rejects everything, citing a criterion.
    MassRejector,
    /// A competitor's twenty sock accounts (together a twentieth of the ordinary tasks, median
    /// $5): the market places each task as usual, and the socks send the work back once, then
    /// accept it and give one star, whatever its quality. What change detection must not take
    /// for a drift.
    Defamer,
}

impl Adversary {
    /// Every attack (not `Honest`).
    pub const ATTACKS: [Adversary; 13] = [
        Adversary::SybilRing,
        Adversary::SpendingRing,
        Adversary::GatedRing,
        Adversary::LyingRing,
        Adversary::ColludingClient,
        Adversary::LyingCollusion,
        Adversary::CollusionOfThree,
        Adversary::WashTrade,
        Adversary::Whitewash,
        Adversary::LyingWhitewash,
        Adversary::Inflation,
        Adversary::MassRejector,
        Adversary::Defamer,
    ];

    /// Its name in a cell's name.
    pub fn name(self) -> &'static str {
        match self {
            Adversary::Honest => "honest",
            Adversary::SybilRing => "sybil-ring",
            Adversary::SpendingRing => "spending-ring",
            Adversary::GatedRing => "gated-ring",
            Adversary::LyingRing => "lying-ring",
            Adversary::ColludingClient => "colluding-client",
            Adversary::LyingCollusion => "lying-collusion",
            Adversary::CollusionOfThree => "collusion-of-three",
            Adversary::WashTrade => "wash-trade",
            Adversary::Whitewash => "whitewash",
            Adversary::LyingWhitewash => "lying-whitewash",
            Adversary::Inflation => "inflation",
            Adversary::MassRejector => "mass-rejector",
            Adversary::Defamer => "defamer",
        }
    }

    /// Whether the attack uses agents of its own (then a baseline run without the attack is
    /// measured too).
    pub fn has_agents(self) -> bool {
        self.is_ring() || self.is_whitewash() || self == Adversary::WashTrade
    }

    /// Whether the attackers re-register after every task (measured by the whitewash ratio).
    pub fn is_whitewash(self) -> bool {
        matches!(self, Adversary::Whitewash | Adversary::LyingWhitewash)
    }

    /// Whether the attackers' agents declare level 5 in every skill, in the baseline run too.
    pub fn lies(self) -> bool {
        matches!(
            self,
            Adversary::LyingRing | Adversary::LyingCollusion | Adversary::CollusionOfThree | Adversary::LyingWhitewash
        )
    }

    /// Whether a baseline run without the attack is measured too: for attacks with agents of
    /// their own, and for the defamer (its victims are measured against themselves unattacked).
    pub fn has_baseline(self) -> bool {
        self.has_agents() || self == Adversary::Defamer
    }

    /// Whether the attackers' agents feed each other through ring tasks.
    pub fn is_ring(self) -> bool {
        matches!(
            self,
            Adversary::SybilRing
                | Adversary::SpendingRing
                | Adversary::GatedRing
                | Adversary::LyingRing
                | Adversary::ColludingClient
                | Adversary::LyingCollusion
                | Adversary::CollusionOfThree
        )
    }
}

/// One cell of the matrix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cell {
    /// Tasks posted per round over agents x capacity, in percent (one round is long enough for
    /// any agent to finish a task and have it reviewed).
    pub utilisation_pct: u32,
    /// How tasks reach agents.
    pub allocation: Allocation,
    /// Who posts the work.
    pub clients: ClientMix,
    /// The attack.
    pub adversary: Adversary,
}

/// The utilisations the matrix varies.
pub const UTILISATIONS: [u32; 3] = [20, 50, 90];
/// The utilisation adversaries run at.
pub const DEFAULT_UTILISATION: u32 = 20;

impl Cell {
    /// `util20/rank-claim/many-small/honest`.
    pub fn name(&self) -> String {
        format!(
            "util{}/{}/{}/{}",
            self.utilisation_pct,
            self.allocation.name(),
            self.clients.name(),
            self.adversary.name()
        )
    }

    /// The matrix: the 18 honest cells (3 utilisations x 3 allocations x 2 client mixes), then
    /// each attack at 20 % utilisation with many small clients under each allocation (39).
    pub fn all() -> Vec<Cell> {
        let mut cells = Vec::new();
        for utilisation_pct in UTILISATIONS {
            for allocation in Allocation::EACH {
                for clients in ClientMix::EACH {
                    cells.push(Cell { utilisation_pct, allocation, clients, adversary: Adversary::Honest });
                }
            }
        }
        for adversary in Adversary::ATTACKS {
            for allocation in Allocation::EACH {
                cells.push(Cell {
                    utilisation_pct: DEFAULT_UTILISATION,
                    allocation,
                    clients: ClientMix::ManySmall,
                    adversary,
                });
            }
        }
        cells
    }
}
