//! Deciding commands about parties and money outside tasks: sign-ups, profiles, deposits,
//! withdrawals, the fee.

use super::{validate, Market, MAX_FEE_BPS};
use crate::actor::{Actor, Role};
use crate::command::Command;
use crate::event::{Account, EventKind};
use crate::ids::{AgentId, ClientId, ReviewerId, MAX_SAFE};
use crate::limits::MAX_CAPACITY;
use crate::rejection::Rejection;

impl Market {
    pub(super) fn decide_account(&self, actor: Actor, command: Command) -> Result<Vec<EventKind>, Rejection> {
        let wrong_role = |action: &str| Rejection::WrongRole { role: actor.role(), action: action.to_owned() };
        let event = match command {
            Command::RegisterClient { name, owner } => {
                if actor != Actor::Operator {
                    return Err(wrong_role("register a client"));
                }
                validate::name("name", &name)?;
                validate::owner(&owner)?;
                let client = ClientId(dense_id(self.clients.len())?);
                EventKind::ClientRegistered { client, name, owner }
            }
            Command::RegisterAgent { name, kind, owner, skills, capacity, min_rate } => {
                if actor != Actor::Operator {
                    return Err(wrong_role("register an agent"));
                }
                validate::name("name", &name)?;
                validate::owner(&owner)?;
                let skills = validate::skills(skills)?;
                capacity_in_range(capacity)?;
                rate_in_range(min_rate)?;
                let agent = AgentId(dense_id(self.agents.len())?);
                EventKind::AgentRegistered { agent, name, kind, owner, skills, capacity, min_rate }
            }
            Command::RegisterReviewer { name, owner } => {
                if actor != Actor::Operator {
                    return Err(wrong_role("register a reviewer"));
                }
                validate::name("name", &name)?;
                validate::owner(&owner)?;
                let reviewer = ReviewerId(dense_id(self.reviewers.len())?);
                EventKind::ReviewerRegistered { reviewer, name, owner }
            }
            Command::UpdateAgentProfile { skills, capacity, min_rate } => {
                let Actor::Agent { id: agent } = actor else {
                    return Err(wrong_role("update an agent profile"));
                };
                let skills = validate::skills(skills)?;
                capacity_in_range(capacity)?;
                rate_in_range(min_rate)?;
                EventKind::AgentProfileUpdated { agent, skills, capacity, min_rate }
            }
            Command::Deposit { amount } => {
                let Actor::Client { id: client } = actor else {
                    return Err(wrong_role("deposit"));
                };
                validate::amount("amount", amount)?;
                // Capping the deposit total caps every account: by conservation, balances, fees
                // and escrow together never hold more than was deposited. So no balance can pass
                // 2^53 - 1 (and leave JavaScript's exact range), and `evolve`'s sums cannot wrap.
                let balance = self.clients[client.index()].balance;
                if balance.saturating_add(amount) > MAX_SAFE {
                    return Err(Rejection::out_of_range("amount", "the balance would pass 2^53 - 1"));
                }
                if self.deposited.saturating_add(amount) > MAX_SAFE {
                    return Err(Rejection::out_of_range("amount", "the market's deposits would pass 2^53 - 1"));
                }
                EventKind::FundsDeposited { client, amount }
            }
            Command::Withdraw { amount } => {
                validate::amount("amount", amount)?;
                let (account, available) = match actor {
                    Actor::Client { id } => (Account::Client { id }, self.clients[id.index()].balance),
                    Actor::Agent { id } => (Account::Agent { id }, self.agents[id.index()].balance),
                    Actor::Operator => (Account::Platform, self.platform_balance),
                    Actor::Reviewer { .. } => return Err(wrong_role("withdraw")),
                };
                if amount > available {
                    return Err(Rejection::InsufficientFunds { available, needed: amount });
                }
                EventKind::FundsWithdrawn { account, amount }
            }
            Command::SetFee { fee_bps } => {
                if actor.role() != Role::Operator {
                    return Err(wrong_role("set the fee"));
                }
                if fee_bps > MAX_FEE_BPS {
                    return Err(Rejection::out_of_range("fee_bps", format!("at most {MAX_FEE_BPS}")));
                }
                EventKind::FeeSet { fee_bps }
            }
            other => unreachable!("decide_account got {}", other.name()),
        };
        Ok(vec![event])
    }
}

fn dense_id(len: usize) -> Result<u32, Rejection> {
    u32::try_from(len).map_err(|_| Rejection::out_of_range("id", "the market is full"))
}

pub(super) fn capacity_in_range(capacity: u32) -> Result<(), Rejection> {
    if !(1..=MAX_CAPACITY).contains(&capacity) {
        return Err(Rejection::out_of_range("capacity", format!("1 to {MAX_CAPACITY}")));
    }
    Ok(())
}

pub(super) fn rate_in_range(rate: u64) -> Result<(), Rejection> {
    if rate > MAX_SAFE {
        return Err(Rejection::out_of_range("min_rate", "beyond 2^53 - 1"));
    }
    Ok(())
}
