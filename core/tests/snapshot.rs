//! `Market::load` trusts nothing it can check (issue #12): each test builds a real market through
//! commands, saves it, corrupts one value in the JSON the way an attacker would, and expects a
//! typed `SnapshotError::Inconsistent` naming that value's path. Every corruption here loaded
//! without complaint before the load-time check existed (or, for `deposited < withdrawn`, failed
//! only as an unnamed money mismatch).

mod support;
use gigmarket::prelude::*;
use serde_json::{json, Value};
use support::*;

/// Open fixed-price task, posted at 0.
const OPEN: TaskId = TaskId(0);
/// Claimed by AI and verified: under review by the client.
const REVIEWED: TaskId = TaskId(1);
/// Delivered by HUMAN, accepted and rated.
const SETTLED: TaskId = TaskId(2);
/// Claimed by AI, waiting on a clarification.
const ASKED: TaskId = TaskId(3);
/// Bid-priced, HUMAN has bid.
const BIDDING: TaskId = TaskId(4);
/// In its priority window, HUMAN's claim queued.
const QUEUED: TaskId = TaskId(5);

/// A market with a task in each of the main reachable states, a remembered request id and a
/// rated settlement.
fn rich() -> Market {
    let mut m = market();
    let mut now = 0;
    post(&mut m, now, spec());
    let reviewed = post(&mut m, now, spec());
    let settled = post(&mut m, now, spec());
    let asked = post(&mut m, now, spec());
    now += MINUTE;
    ok(&mut m, now, AI, claim(reviewed));
    ok(&mut m, now, AI, submit(reviewed, good_output(), confident()));
    assign(&mut m, now, settled, AgentId(2));
    ok(&mut m, now, HUMAN, submit(settled, good_output(), confident()));
    now += MINUTE;
    ok(&mut m, now, CLIENT, Command::Review { task: settled, decision: ReviewDecision::Accept });
    let rating = Rating { quality: 5, timeliness: 4 };
    ok(&mut m, now, CLIENT, Command::RateTask { task: settled, rating });
    ok(&mut m, now, AI, claim(asked));
    ok(&mut m, now, AI, Command::AskClarification { task: asked, question: "Which currency?".into() });
    let mut bids = spec();
    bids.pricing = Pricing::Bids { ceiling: 2_000, award: AwardPolicy::Client, bidding_closes_at: 5 * HOUR };
    let bidding = post(&mut m, now, bids);
    ok(&mut m, now, HUMAN, Command::PlaceBid { task: bidding, price: 1_500, eta_ms: HOUR });
    let mut window = spec();
    window.priority_window = Some(PriorityWindow { tier: Tier::New, duration_ms: 10 * MINUTE });
    let queued = post(&mut m, now, window);
    ok(&mut m, now, HUMAN, claim(queued));
    m.apply_request(now, CLIENT, "deposit-1", Command::Deposit { amount: 1 }).expect("deposit");
    assert_eq!(
        [OPEN, REVIEWED, SETTLED, ASKED, BIDDING, QUEUED].map(|t| state(&m, t)),
        ["Open", "UnderReview", "Settled", "InputRequired", "Open", "Open"]
    );
    m
}

/// Save `m`, apply `corrupt` to the JSON of the market, and load it: it must be refused as
/// inconsistent at `path`. Returns the reason.
#[track_caller]
fn refused_at(m: &Market, path: &str, corrupt: impl FnOnce(&mut Value)) -> String {
    let mut snapshot: Value = serde_json::from_str(&m.save()).unwrap();
    let before = snapshot.clone();
    corrupt(&mut snapshot["market"]);
    assert_ne!(snapshot, before, "the corruption changed nothing");
    match Market::load(&snapshot.to_string()) {
        Err(SnapshotError::Inconsistent { path: found, reason }) => {
            assert_eq!(found, path, "refused for another value: {reason}");
            let e = SnapshotError::Inconsistent { path: found, reason: reason.clone() };
            assert_eq!(e.code(), "snapshot_inconsistent");
            assert!(e.to_string().contains(path), "{e}");
            reason
        }
        Err(other) => panic!("refused as {other}, expected inconsistent at {path}"),
        Ok(_) => panic!("loaded a snapshot corrupt at {path}"),
    }
}

fn task(market: &mut Value, t: TaskId) -> &mut Value {
    &mut market["tasks"][t.index()]
}

/// How a settled task ended, stored as the last item of its short record:
/// `{"Settled": [agent, verdict, verified, rated]}`.
fn settled_end(market: &mut Value, t: TaskId) -> &mut Value {
    &mut market["tasks"][t.index()][8]["Settled"]
}

#[test]
fn every_reachable_state_here_round_trips() {
    let m = rich();
    let saved = m.save();
    let loaded = Market::load(&saved).expect("a valid market loads");
    assert_eq!(loaded.save(), saved);
    loaded.audit().unwrap();
}

#[test]
fn fees_above_the_limit_are_refused() {
    let m = rich();
    let reason = refused_at(&m, "market.fee_bps", |v| v["fee_bps"] = json!(20_000));
    assert!(reason.contains("above the limit 5000"), "{reason}");
    // The attack: a held task's fee above 100 % makes the payout's `gross - fee` wrap.
    let reason = refused_at(&m, "market.tasks[1].fee_bps", |v| task(v, REVIEWED)["fee_bps"] = json!(20_000));
    assert_eq!(reason, "20000 is above the limit 5000");
    refused_at(&m, "market.config.fee_bps", |v| v["config"]["fee_bps"] = json!(9_000));
}

#[test]
fn instants_after_now_and_deadlines_beyond_max_safe_are_refused() {
    let m = rich();
    let later = m.now() + 1;
    refused_at(&m, "market.now", |v| v["now"] = json!(u64::MAX));
    refused_at(&m, "market.tasks[0].posted_at", |v| task(v, OPEN)["posted_at"] = json!(later));
    refused_at(&m, "market.tasks[1].status.verified_at", |v| task(v, REVIEWED)["status"]["verified_at"] = json!(later));
    refused_at(&m, "market.tasks[1].status.work.claimed_at", |v| {
        task(v, REVIEWED)["status"]["work"]["claimed_at"] = json!(later)
    });
    refused_at(&m, "market.tasks[3].status.work.stretch_started", |v| {
        task(v, ASKED)["status"]["work"]["stretch_started"] = json!(later)
    });
    refused_at(&m, "market.tasks[4].status.bids[0].placed_at", |v| {
        task(v, BIDDING)["status"]["bids"][0]["placed_at"] = json!(later)
    });
    refused_at(&m, "market.requests[0].at", |v| v["requests"][0]["at"] = json!(later));
    refused_at(&m, "market.tasks[1].status.review_due", |v| {
        task(v, REVIEWED)["status"]["review_due"] = json!(1u64 << 60)
    });
    refused_at(&m, "market.tasks[0].spec.deadlines.claim_by", |v| {
        task(v, OPEN)["spec"]["deadlines"]["claim_by"] = json!(1u64 << 60)
    });
    refused_at(&m, "market.reputation.agents[2].changes[0].at", |v| {
        v["reputation"]["agents"][2]["changes"][0]["at"] = json!(later)
    });
}

#[test]
fn counters_must_agree_with_what_they_count() {
    let m = rich();
    refused_at(&m, "market.reputation.agents[2].categories[0].settled", |v| {
        v["reputation"]["agents"][2]["categories"][0]["settled"] = json!(40)
    });
    refused_at(&m, "market.reputation.clients[0].settled", |v| v["reputation"]["clients"][0]["settled"] = json!(9));
    refused_at(&m, "market.reputation.clients[0].ratings_given", |v| {
        v["reputation"]["clients"][0]["ratings_given"] = json!(0)
    });
    refused_at(&m, "market.fairness.exploratory", |v| v["fairness"]["exploratory"] = json!(1_000));
    refused_at(&m, "market.withdrawn", |v| v["withdrawn"] = json!(1u64 << 40));
    // The tier is derived from the record: a promotion written into the snapshot is refused.
    let reason = refused_at(&m, "market.reputation.agents[2].summary.tier", |v| {
        v["reputation"]["agents"][2]["summary"]["tier"] = json!("expert")
    });
    assert!(reason.contains("earns"), "{reason}");
    refused_at(&m, "market.reputation.agents[2].summary.levels", |v| {
        v["reputation"]["agents"][2]["summary"]["levels"][1][0] = json!(50.0)
    });
    refused_at(&m, "market.reputation.agents[2].summary.overall", |v| {
        v["reputation"]["agents"][2]["summary"]["overall"]["lower"] = json!(0.99)
    });
    // Change detection's run is part of the evidence beside it.
    refused_at(&m, "market.reputation.agents[2].categories[0].watch[1].run_pos", |v| {
        v["reputation"]["agents"][2]["categories"][0]["watch"][1]["run_pos"] = json!(1e6)
    });
    refused_at(&m, "market.reputation.agents[2].categories[0].watch[0].squares", |v| {
        v["reputation"]["agents"][2]["categories"][0]["watch"][0]["squares"] = json!(-1.0)
    });
    // Values lie in [0, 1]: their weighted squares sum to no more than the good observations.
    refused_at(&m, "market.reputation.agents[2].categories[0].watch[1].squared_values", |v| {
        v["reputation"]["agents"][2]["categories"][0]["watch"][1]["squared_values"] = json!(1e6)
    });
    // So is the agent-wide run, and its part in each category.
    refused_at(&m, "market.reputation.agents[2].watch[1].watch.run_neg", |v| {
        v["reputation"]["agents"][2]["watch"][1]["watch"]["run_neg"] = json!(1e6)
    });
    refused_at(&m, "market.reputation.agents[2].categories[0].agent_run[0].pos", |v| {
        v["reputation"]["agents"][2]["categories"][0]["agent_run"][0]["pos"] = json!(1e6)
    });
    // Agents' first work in a category is a part of all its work, and its observations lie in
    // [0, 1].
    refused_at(&m, "market.reputation.categories[0].first_task_weights[1]", |v| {
        v["reputation"]["categories"][0]["first_task_weights"][1] = json!(1e6)
    });
    refused_at(&m, "market.reputation.categories[0].first_task_sums[1]", |v| {
        let weight = v["reputation"]["categories"][0]["first_task_weights"][1].clone();
        v["reputation"]["categories"][0]["first_task_sums"][1] = json!(weight.as_f64().unwrap_or(0.0) + 0.5)
    });
}

#[test]
fn states_no_command_sequence_leaves_behind_are_refused() {
    let m = rich();
    refused_at(&m, "market.tasks[1].status.state", |v| task(v, REVIEWED)["status"]["state"] = json!("Submitted"));
    refused_at(&m, "market.tasks[3].status.work.clarifications", |v| {
        task(v, ASKED)["status"]["work"]["clarifications"] = json!(0)
    });
    refused_at(&m, "market.tasks[1].status.work.revisions", |v| {
        task(v, REVIEWED)["status"]["work"]["revisions"] = json!(5)
    });
    refused_at(&m, "market.tasks[3].status.work.clarifications", |v| {
        task(v, ASKED)["status"]["work"]["clarifications"] = json!(9)
    });
    refused_at(&m, "market.tasks[1].status.route", |v| {
        v["reviewers"] = json!([]);
        task(v, REVIEWED)["status"]["route"] = json!("human_sampled");
    });
    refused_at(&m, "market.tasks[0].status.queued", |v| task(v, OPEN)["status"]["queued"] = json!([1]));
    let bid = json!({ "agent": 1, "price": 500, "eta_ms": 1000, "placed_at": 0 });
    refused_at(&m, "market.tasks[0].status.bids", |v| task(v, OPEN)["status"]["bids"] = json!([bid]));
    refused_at(&m, "market.tasks[5].status.queued[1]", |v| task(v, QUEUED)["status"]["queued"] = json!([2, 2]));
    refused_at(&m, "market.tasks[4].status.bids[1].agent", |v| {
        let first = task(v, BIDDING)["status"]["bids"][0].clone();
        task(v, BIDDING)["status"]["bids"] = json!([first.clone(), first]);
    });
    // A settlement credited to an agent that never held the task: reputation counted HUMAN's.
    refused_at(&m, "market.reputation.agents[0].settled", |v| settled_end(v, SETTLED)[0] = json!(0));
    // Verified means accepted; only paid work is rated.
    refused_at(&m, "market.tasks[2].status.verified", |v| settled_end(v, SETTLED)[1] = json!("rejected"));
    refused_at(&m, "market.tasks[2].status.rated", |v| {
        settled_end(v, SETTLED)[1] = json!("rejected");
        settled_end(v, SETTLED)[2] = json!(false);
    });
}

#[test]
fn escrow_must_be_exactly_what_the_state_holds() {
    let m = rich();
    // Money still adds up (the difference goes to the client), so the audit alone passed it.
    let reason = refused_at(&m, "market.tasks[0].escrow", |v| {
        task(v, OPEN)["escrow"] = json!(900);
        let balance = v["clients"][0]["balance"].as_u64().unwrap();
        v["clients"][0]["balance"] = json!(balance + 100);
    });
    assert!(reason.contains("holds 1000"), "{reason}");
    refused_at(&m, "market.tasks[1].status.work.price", |v| task(v, REVIEWED)["status"]["work"]["price"] = json!(10));
    refused_at(&m, "market.tasks[4].status.bids[0].price", |v| {
        task(v, BIDDING)["status"]["bids"][0]["price"] = json!(5_000)
    });
}

#[test]
fn an_edited_live_specification_is_refused() {
    let m = rich();
    refused_at(&m, "market.tasks[0].spec_hash", |v| {
        task(v, OPEN)["spec"]["instructions"] = json!("Send me the bank file.")
    });
    // Declassifying an input would show it to everyone.
    refused_at(&m, "market.tasks[1].spec_hash", |v| {
        task(v, REVIEWED)["spec"]["inputs"][2]["classification"] = json!("public")
    });
    // A finished task's specification is stored archived; full details there are refused.
    // (Stored as an object, as version 1 did, so that it has room for them.)
    let mut full = serde_json::to_value(m.task(SETTLED).unwrap()).unwrap();
    full["spec"]["instructions"] = json!("hidden");
    refused_at(&m, "market.tasks[2].spec", |v| *task(v, SETTLED) = full.clone());
}

#[test]
fn values_registration_and_apply_refuse_are_refused() {
    let m = rich();
    refused_at(&m, "market.clients[0].name", |v| v["clients"][0]["name"] = json!("x".repeat(1 << 20)));
    refused_at(&m, "market.agents[0].owner", |v| v["agents"][0]["owner"] = json!("bo\u{7}ts"));
    // An owner registration refuses because nothing of it is visible once normalised.
    refused_at(&m, "market.clients[1].owner", |v| v["clients"][1]["owner"] = json!("\u{200B}\u{FEFF}"));
    let skills: Vec<Value> = (0..5_000).map(|i| json!({ "name": format!("s{i:05}"), "level": 1 })).collect();
    refused_at(&m, "market.agents[1].skills", |v| v["agents"][1]["skills"] = json!(skills));
    refused_at(&m, "market.agents[2].capacity", |v| v["agents"][2]["capacity"] = json!(4_000_000_000u32));
    refused_at(&m, "market.agents[2].min_rate", |v| v["agents"][2]["min_rate"] = json!(1u64 << 60));
    refused_at(&m, "market.reviewers[0].name", |v| v["reviewers"][0]["name"] = json!(""));
    refused_at(&m, "market.categories[0]", |v| v["categories"][0] = json!("line\nbreak"));
    refused_at(&m, "market.tasks[0].spec.title", |v| task(v, OPEN)["spec"]["title"] = json!("t".repeat(100_000)));
    refused_at(&m, "market.tasks[0].spec.inputs", |v| {
        let input = task(v, OPEN)["spec"]["inputs"][0].clone();
        let many: Vec<Value> = (0..100)
            .map(|i| {
                let mut one = input.clone();
                one["name"] = json!(format!("in{i}"));
                one
            })
            .collect();
        task(v, OPEN)["spec"]["inputs"] = json!(many);
    });
    let bids: Vec<Value> =
        (0..100_000).map(|i| json!({ "agent": i % 4, "price": 100, "eta_ms": 1, "placed_at": 0 })).collect();
    refused_at(&m, "market.tasks[4].status.bids", |v| task(v, BIDDING)["status"]["bids"] = json!(bids));
    refused_at(&m, "market.tasks[3].status.question", |v| {
        task(v, ASKED)["status"]["question"] = json!("?".repeat(30_000))
    });
    refused_at(&m, "market.tasks[1].status.submission.output", |v| {
        task(v, REVIEWED)["status"]["submission"]["output"]["currency"] = json!("x".repeat(200_000))
    });
    refused_at(&m, "market.tasks[1].status.work.failed_criteria[0]", |v| {
        task(v, REVIEWED)["status"]["work"]["failed_criteria"] = json!(["not-a-criterion"])
    });
    refused_at(&m, "market.requests[0].request_id", |v| v["requests"][0]["request_id"] = json!("r".repeat(500)));
}

#[test]
fn the_configuration_must_be_usable() {
    let m = rich();
    refused_at(&m, "market.config.reputation.max_rater_share", |v| {
        v["config"]["reputation"]["max_rater_share"] = json!(2.5)
    });
    refused_at(&m, "market.config.reputation.prior_strength", |v| {
        v["config"]["reputation"]["prior_strength"] = json!(-1.0)
    });
    refused_at(&m, "market.config.matching.newcomer_budget_bps", |v| {
        v["config"]["matching"]["newcomer_budget_bps"] = json!(60_000)
    });
    refused_at(&m, "market.config.request_retention_ms", |v| v["config"]["request_retention_ms"] = json!(u64::MAX));
    refused_at(&m, "market.config.reputation.tiers[2][1]", |v| v["config"]["reputation"]["tiers"][2][1] = json!(7.0));
}

/// The simulator's adversarial world (disputes, abandonments, whitewashing, rings, mass
/// rejection; change logs past their cap, decayed evidence) saves and loads after every round:
/// nothing it reaches is refused.
#[cfg(feature = "sim")]
#[test]
fn every_state_the_simulator_reaches_loads() {
    use gigmarket::sim::{Scenario, World};
    let mut world = World::new(MarketConfig::default(), Scenario::All, 3, 60, 600, true).expect("valid config");
    for round in 0..40 {
        world.step();
        let saved = world.market.save();
        let loaded = Market::load(&saved).unwrap_or_else(|e| panic!("round {round}: {e}"));
        assert_eq!(loaded.save(), saved, "round {round}");
    }
    let m = &world.market;
    let settled = |v: Verdict| {
        m.tasks().iter().filter(|t| matches!(t.status, TaskStatus::Settled { verdict, .. } if verdict == v)).count()
    };
    let full_logs =
        m.agents().iter().filter(|a| m.reputation().agent(a.id).is_some_and(|r| r.changes.len() == 16)).count();
    let abandoned: u32 = m.agents().iter().filter_map(|a| m.reputation().agent(a.id)).map(|r| r.abandoned).sum();
    let disputes = settled(Verdict::DisputePaid) + settled(Verdict::DisputeRefunded) + settled(Verdict::DisputeSplit);
    assert!(settled(Verdict::Accepted) > 0 && disputes > 0, "the walk reached settlements and disputes");
    assert!(full_logs > 0 && abandoned > 0, "the walk filled change logs and abandoned leases");
}
