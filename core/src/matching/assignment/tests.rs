//! Tests of the assignment solvers: hand-made cases for each rule and tie-break, and property
//! tests against brute force and the dense solver (both orientations, with and without the
//! reduction phase). Proptest's saved failures sit beside this file
//! (`tests.proptest-regressions`) and run first.

use super::dense::dense_with;
use super::*;
use proptest::prelude::*;

fn cand(task: u32, agent: u32, weight: i64) -> Candidate {
    Candidate { task, agent, weight }
}

fn problem<'a>(tasks: u32, caps: &'a [u32], cands: &'a [Candidate]) -> AssignmentProblem<'a> {
    AssignmentProblem { tasks, agent_capacities: caps, candidates: cands }
}

/// Checks that `a` is feasible for `p` and that its total is the sum of its pairs.
fn check_feasible(p: &AssignmentProblem, a: &Assignment) -> Result<(), String> {
    let mut load = vec![0u32; p.agent_capacities.len()];
    let mut total = 0i64;
    for (k, &(t, ag)) in a.pairs.iter().enumerate() {
        if k > 0 && a.pairs[k - 1].0 >= t {
            return Err(format!("pairs not strictly sorted by task: {:?}", a.pairs));
        }
        let c = p
            .candidates
            .iter()
            .find(|c| c.task == t && c.agent == ag)
            .ok_or_else(|| format!("pair ({t}, {ag}) is not a candidate"))?;
        if c.weight <= 0 {
            return Err(format!("pair ({t}, {ag}) has non-positive weight"));
        }
        load[ag as usize] += 1;
        total += c.weight;
    }
    for (j, (&l, &c)) in load.iter().zip(p.agent_capacities).enumerate() {
        if l > c {
            return Err(format!("agent {j} has {l} tasks, capacity {c}"));
        }
    }
    if total != a.total_weight {
        return Err(format!("total {} != sum of pairs {total}", a.total_weight));
    }
    Ok(())
}

/// Exhaustive optimum: each task in turn takes nothing or one candidate with room.
fn brute_force(p: &AssignmentProblem) -> i64 {
    let n = p.tasks as usize;
    let mut by_task: Vec<Vec<(usize, i64)>> = vec![Vec::new(); n];
    for c in p.candidates {
        by_task[c.task as usize].push((c.agent as usize, c.weight));
    }
    // Optimistic bound of the tasks after `t`, for pruning.
    let mut rest = vec![0i64; n + 1];
    for t in (0..n).rev() {
        let best = by_task[t].iter().map(|&(_, w)| w).max().unwrap_or(0).max(0);
        rest[t] = rest[t + 1] + best;
    }
    fn go(t: usize, acc: i64, by_task: &[Vec<(usize, i64)>], rest: &[i64], cap: &mut [u32], best: &mut i64) {
        if acc + rest[t] <= *best {
            return;
        }
        if t == by_task.len() {
            *best = acc;
            return;
        }
        for &(a, w) in &by_task[t] {
            if w > 0 && cap[a] > 0 {
                cap[a] -= 1;
                go(t + 1, acc + w, by_task, rest, cap, best);
                cap[a] += 1;
            }
        }
        go(t + 1, acc, by_task, rest, cap, best);
    }
    let mut cap = p.agent_capacities.to_vec();
    let mut best = 0;
    go(0, 0, &by_task, &rest, &mut cap, &mut best);
    best
}

/// Exhaustive dense min cost over injective maps from the smaller side.
fn brute_dense(rows: usize, cols: usize, c: &[i64]) -> i64 {
    let (n, m) = (rows.min(cols), rows.max(cols));
    let at = |a: usize, b: usize| if rows <= cols { c[a * cols + b] } else { c[b * cols + a] };
    fn go(k: usize, n: usize, m: usize, used: &mut [bool], acc: i64, at: &dyn Fn(usize, usize) -> i64) -> i64 {
        if k == n {
            return acc;
        }
        let mut best = i64::MAX;
        for j in 0..m {
            if !used[j] {
                used[j] = true;
                best = best.min(go(k + 1, n, m, used, acc + at(k, j), at));
                used[j] = false;
            }
        }
        best
    }
    if n == 0 {
        return 0;
    }
    go(0, n, m, &mut vec![false; m], 0, &at)
}

#[test]
fn empty_problems() {
    let r = solve(&problem(0, &[], &[])).unwrap();
    assert_eq!(r, Assignment::default());
    let r = solve(&problem(5, &[1, 2], &[])).unwrap();
    assert_eq!(r, Assignment::default());
    assert_eq!(solve_greedy(&problem(5, &[1, 2], &[])).unwrap(), Assignment::default());
    assert_eq!(solve_dense_min_cost(0, 0, &[]).unwrap(), (vec![], 0));
    assert_eq!(solve_dense_min_cost(3, 0, &[]).unwrap(), (vec![UNASSIGNED; 3], 0));
    assert_eq!(solve_dense_min_cost(0, 4, &[]).unwrap(), (vec![], 0));
}

#[test]
fn single_pair() {
    let cands = [cand(0, 0, 7)];
    let r = solve(&problem(1, &[1], &cands)).unwrap();
    assert_eq!(r.pairs, vec![(0, 0)]);
    assert_eq!(r.total_weight, 7);
    assert_eq!(solve_greedy(&problem(1, &[1], &cands)).unwrap(), r);
}

#[test]
fn non_positive_weights_are_never_chosen() {
    let cands = [cand(0, 0, 0), cand(1, 0, -5), cand(2, 1, 3)];
    let r = solve(&problem(3, &[3, 1], &cands)).unwrap();
    assert_eq!(r.pairs, vec![(2, 1)]);
    assert_eq!(r.total_weight, 3);
}

#[test]
fn zero_capacity_agent_takes_nothing() {
    let cands = [cand(0, 0, 9), cand(0, 1, 2)];
    let r = solve(&problem(1, &[0, 1], &cands)).unwrap();
    assert_eq!(r.pairs, vec![(0, 1)]);
}

#[test]
fn capacities_above_one() {
    // Agent 0 (capacity 2) is everyone's favourite; the third task goes to agent 1.
    let cands = [cand(0, 0, 10), cand(1, 0, 9), cand(2, 0, 8), cand(0, 1, 1), cand(1, 1, 1), cand(2, 1, 5)];
    let p = problem(3, &[2, 1], &cands);
    let r = solve(&p).unwrap();
    assert_eq!(r.pairs, vec![(0, 0), (1, 0), (2, 1)]);
    assert_eq!(r.total_weight, 24);
    check_feasible(&p, &solve_greedy(&p).unwrap()).unwrap();
}

#[test]
fn needs_a_long_augmenting_path() {
    // Greedy takes (0,0); the optimum shifts every task one agent along.
    let cands = [cand(0, 0, 10), cand(0, 1, 9), cand(1, 0, 9), cand(1, 1, 1), cand(1, 2, 8), cand(2, 1, 8)];
    let p = problem(3, &[1, 1, 1], &cands);
    let r = solve(&p).unwrap();
    assert_eq!(r.total_weight, brute_force(&p));
    assert_eq!(r.total_weight, 9 + 9 + 8);
    let g = solve_greedy(&p).unwrap();
    check_feasible(&p, &g).unwrap();
    assert!(g.total_weight <= r.total_weight);
}

#[test]
fn greedy_local_improvement_repairs_a_greedy_mistake() {
    // Greedy takes (0, 0) = 10 and strands task 1; moving task 0 to agent 1 frees agent 0.
    let cands = [cand(0, 0, 10), cand(0, 1, 9), cand(1, 0, 8)];
    let p = problem(2, &[1, 1], &cands);
    let g = solve_greedy(&p).unwrap();
    assert_eq!(g.pairs, vec![(0, 1), (1, 0)]);
    assert_eq!(g.total_weight, 17);
    assert_eq!(solve(&p).unwrap().total_weight, 17);
}

#[test]
fn orientation_follows_shared_structure() {
    // weight = quality[agent] + small noise: agents carry the structure.
    let mut cands = Vec::new();
    for t in 0..20u32 {
        for a in 0..20u32 {
            cands.push(cand(t, a, 1000 * i64::from(a) + i64::from((t * 7 + a * 3) % 11)));
        }
    }
    let caps = vec![1u32; 20];
    let p = problem(20, &caps, &cands);
    assert_eq!(choose_rows(&canonicalize(&p).unwrap(), &caps), Rows::Agents);
    // The same with the roles of tasks and agents swapped.
    let swapped: Vec<Candidate> = cands.iter().map(|c| cand(c.agent, c.task, c.weight)).collect();
    let q = problem(20, &caps, &swapped);
    assert_eq!(choose_rows(&canonicalize(&q).unwrap(), &caps), Rows::Tasks);
    // Large capacities would multiply the agent rows: tasks stay the rows.
    let big = vec![20u32; 20];
    let r = problem(20, &big, &cands);
    assert_eq!(choose_rows(&canonicalize(&r).unwrap(), &big), Rows::Tasks);
    // Every orientation reaches the same optimum.
    for p in [p, q, r] {
        let a = solve_with(&p, 4, Some(Rows::Tasks)).unwrap().total_weight;
        assert_eq!(solve_with(&p, 4, Some(Rows::Agents)).unwrap().total_weight, a);
        assert_eq!(solve(&p).unwrap().total_weight, a);
    }
}

#[test]
fn infeasible_pairs_are_excluded() {
    // Task 1 may only go to agent 1 even though agent 0 would be free.
    let cands = [cand(0, 0, 5), cand(1, 1, 4), cand(2, 1, 6)];
    let p = problem(3, &[1, 1], &cands);
    let r = solve(&p).unwrap();
    assert_eq!(r.pairs, vec![(0, 0), (2, 1)]);
    assert_eq!(r.total_weight, 11);
}

#[test]
fn separate_components_are_all_solved() {
    let cands = [cand(3, 2, 4), cand(0, 0, 1), cand(1, 1, 2), cand(2, 1, 3)];
    let r = solve(&problem(4, &[1, 1, 1], &cands)).unwrap();
    assert_eq!(r.pairs, vec![(0, 0), (2, 1), (3, 2)]);
    assert_eq!(r.total_weight, 8);
}

#[test]
fn ties_are_deterministic_and_order_independent() {
    let mut cands = Vec::new();
    for t in 0..6 {
        for a in 0..4 {
            cands.push(cand(t, a, 1 + ((t + a) % 2) as i64));
        }
    }
    let caps = [1, 2, 1, 1];
    let first = solve(&problem(6, &caps, &cands)).unwrap();
    let greedy = solve_greedy(&problem(6, &caps, &cands)).unwrap();
    // A fixed pseudo-random sequence of permutations.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..50 {
        for i in (1..cands.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            cands.swap(i, (state % (i as u64 + 1)) as usize);
        }
        assert_eq!(solve(&problem(6, &caps, &cands)).unwrap(), first);
        assert_eq!(solve_greedy(&problem(6, &caps, &cands)).unwrap(), greedy);
    }
    assert_eq!(first.total_weight, 10);
}

#[test]
fn errors() {
    let caps = [1, 1];
    let e = solve(&problem(2, &caps, &[cand(2, 0, 1)])).unwrap_err();
    assert_eq!(e, AssignmentError::TaskOutOfRange { index: 0, task: 2, tasks: 2 });
    let e = solve(&problem(2, &caps, &[cand(0, 0, 1), cand(1, 5, 1)])).unwrap_err();
    assert_eq!(e, AssignmentError::AgentOutOfRange { index: 1, agent: 5, agents: 2 });
    let e = solve(&problem(2, &caps, &[cand(0, 1, 1), cand(1, 0, 2), cand(0, 1, 3)])).unwrap_err();
    assert_eq!(e, AssignmentError::DuplicatePair { first: 0, second: 2, task: 0, agent: 1 });
    for w in [MAX_ABS_WEIGHT + 1, -MAX_ABS_WEIGHT - 1, i64::MIN, i64::MAX] {
        let e = solve_greedy(&problem(2, &caps, &[cand(0, 0, w)])).unwrap_err();
        assert_eq!(e, AssignmentError::WeightOutOfRange { index: 0, weight: w });
    }
    // The bound itself is accepted.
    let ok = [cand(0, 0, MAX_ABS_WEIGHT), cand(1, 1, -MAX_ABS_WEIGHT)];
    assert_eq!(solve(&problem(2, &caps, &ok)).unwrap().total_weight, MAX_ABS_WEIGHT);
    // 1100 tasks at the bound could sum past i64::MAX.
    let many: Vec<Candidate> = (0..1100).map(|t| cand(t, 0, MAX_ABS_WEIGHT)).collect();
    let e = solve(&problem(1100, &[1], &many)).unwrap_err();
    assert_eq!(e, AssignmentError::TotalOverflow);
    // Every error formats to a message (the Display impl is part of the contract).
    assert!(e.to_string().contains("overflow"));
    let e = solve_dense_min_cost(2, 2, &[1, 2, 3]).unwrap_err();
    assert_eq!(e, AssignmentError::BadDimensions { rows: 2, cols: 2, len: 3 });
    let e = solve_dense_min_cost(usize::MAX, 2, &[]).unwrap_err();
    assert!(matches!(e, AssignmentError::BadDimensions { .. }));
    let e = solve_dense_min_cost(1, 2, &[1, i64::MIN]).unwrap_err();
    assert_eq!(e, AssignmentError::CostOutOfRange { index: 1, cost: i64::MIN });
    let big = vec![MAX_ABS_WEIGHT; 1100 * 1100];
    let e = solve_dense_min_cost(1100, 1100, &big).unwrap_err();
    assert_eq!(e, AssignmentError::TotalOverflow);
    let e: Box<dyn std::error::Error> = Box::new(e);
    assert!(!e.to_string().is_empty());
}

#[test]
fn dense_small_cases() {
    assert_eq!(solve_dense_min_cost(1, 1, &[-4]).unwrap(), (vec![0], -4));
    let c = [4, 1, 3, 2, 0, 5, 3, 2, 2];
    assert_eq!(solve_dense_min_cost(3, 3, &c).unwrap(), (vec![1, 0, 2], 5));
    // 3x2: one row stays without a column.
    let c = [1, 9, 9, 1, 0, 0];
    let (x, total) = solve_dense_min_cost(3, 2, &c).unwrap();
    assert_eq!(total, 1);
    assert_eq!(x.iter().filter(|&&j| j == UNASSIGNED).count(), 1);
    // 2x4.
    let c = [5, 5, 1, 5, 5, 5, 1, 2];
    assert_eq!(solve_dense_min_cost(2, 4, &c).unwrap(), (vec![2, 3], 3));
}

/// Random instance: (tasks, caps, candidates) with a random subset of pairs and small
/// weights (many ties, some non-positive).
fn instance() -> impl Strategy<Value = (u32, Vec<u32>, Vec<Candidate>)> {
    (0usize..=7, 0usize..=7).prop_flat_map(|(nt, na)| {
        (
            proptest::collection::vec(1u32..=3, na),
            proptest::collection::vec(proptest::option::weighted(0.5, -2i64..=6), nt * na),
        )
            .prop_map(move |(caps, cells)| {
                let cands = cells
                    .iter()
                    .enumerate()
                    .filter_map(|(k, w)| w.map(|w| cand((k / na) as u32, (k % na) as u32, w)))
                    .collect::<Vec<_>>();
                (nt as u32, caps, cands)
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn solve_is_optimal_and_feasible((nt, caps, cands) in instance(), seed in any::<u64>()) {
        let p = problem(nt, &caps, &cands);
        let r = solve(&p).unwrap();
        prop_assert_eq!(check_feasible(&p, &r), Ok(()));
        let optimum = brute_force(&p);
        prop_assert_eq!(r.total_weight, optimum);
        for rows in [Rows::Tasks, Rows::Agents] {
            for rounds in [0, 4] {
                let forced = solve_with(&p, rounds, Some(rows)).unwrap();
                prop_assert_eq!(check_feasible(&p, &forced), Ok(()));
                prop_assert_eq!(forced.total_weight, optimum);
            }
        }
        let g = solve_greedy(&p).unwrap();
        prop_assert_eq!(check_feasible(&p, &g), Ok(()));
        prop_assert!(g.total_weight <= r.total_weight);
        prop_assert!(2 * g.total_weight >= r.total_weight);
        // Same answer whatever the input order.
        let mut shuffled = cands.clone();
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let q = problem(nt, &caps, &shuffled);
        prop_assert_eq!(solve(&q).unwrap(), r);
        prop_assert_eq!(solve_greedy(&q).unwrap(), g);
    }

    /// Larger instances, checked against the dense solver through an exact reduction:
    /// agents expanded to one column per slot, one zero-cost "unassigned" column per
    /// task, cost = -weight for useful candidates and 0 elsewhere.
    #[test]
    fn solve_matches_dense_reduction(
        (nt, caps, cands) in (1usize..=40, 1usize..=15).prop_flat_map(|(nt, na)| {
            (
                Just(nt),
                proptest::collection::vec(1u32..=4, na),
                proptest::collection::vec(proptest::option::weighted(0.3, -3i64..=40), nt * na),
            )
        }).prop_map(|(nt, caps, cells)| {
            let na = caps.len();
            let cands = cells
                .iter()
                .enumerate()
                .filter_map(|(k, w)| w.map(|w| cand((k / na) as u32, (k % na) as u32, w)))
                .collect::<Vec<_>>();
            (nt as u32, caps, cands)
        })
    ) {
        let p = problem(nt, &caps, &cands);
        let r = solve(&p).unwrap();
        prop_assert_eq!(check_feasible(&p, &r), Ok(()));
        let slots: u32 = caps.iter().sum();
        let cols = slots as usize + nt as usize;
        let mut first_slot = vec![0usize; caps.len()];
        for j in 1..caps.len() {
            first_slot[j] = first_slot[j - 1] + caps[j - 1] as usize;
        }
        let mut cost = vec![0i64; nt as usize * cols];
        for c in &cands {
            for k in 0..caps[c.agent as usize] as usize {
                cost[c.task as usize * cols + first_slot[c.agent as usize] + k] = -c.weight.max(0);
            }
        }
        let (_, dense_total) = solve_dense_min_cost(nt as usize, cols, &cost).unwrap();
        prop_assert_eq!(r.total_weight, -dense_total);
        for rows in [Rows::Tasks, Rows::Agents] {
            for rounds in [0, 4] {
                prop_assert_eq!(solve_with(&p, rounds, Some(rows)).unwrap().total_weight, -dense_total);
            }
        }
        let (_, pure_dense) = dense_with(nt as usize, cols, &cost, false).unwrap();
        prop_assert_eq!(pure_dense, dense_total);
    }

    /// Hostile input never panics: every call returns a feasible answer or an error.
    #[test]
    fn never_panics(
        tasks in 0u32..10,
        caps in proptest::collection::vec(prop_oneof![Just(0u32), 1u32..4, Just(u32::MAX)], 0..6),
        raw in proptest::collection::vec(
            (0u32..12, 0u32..8, prop_oneof![
                -5i64..20,
                Just(MAX_ABS_WEIGHT),
                Just(-MAX_ABS_WEIGHT),
                Just(i64::MAX),
                Just(i64::MIN),
            ]),
            0..30,
        ),
        rows in 0usize..5,
        cols in 0usize..5,
        extra in 0usize..3,
    ) {
        let cands: Vec<Candidate> = raw.iter().map(|&(t, a, w)| cand(t, a, w)).collect();
        let p = problem(tasks, &caps, &cands);
        for a in [solve(&p), solve_greedy(&p)].into_iter().flatten() {
            prop_assert_eq!(check_feasible(&p, &a), Ok(()));
        }
        let costs: Vec<i64> = raw.iter().map(|&(_, _, w)| w).chain([0; 25]).take(rows * cols + extra).collect();
        if let Ok((x, _)) = solve_dense_min_cost(rows, cols, &costs) {
            prop_assert_eq!(x.len(), rows);
        }
    }

    #[test]
    fn dense_matches_brute_force(
        (rows, cols, c) in (0usize..=6, 0usize..=6).prop_flat_map(|(r, c)| {
            (Just(r), Just(c), proptest::collection::vec(-5i64..=20, r * c))
        })
    ) {
        let (x, total) = solve_dense_min_cost(rows, cols, &c).unwrap();
        let (_, pure_total) = dense_with(rows, cols, &c, false).unwrap();
        prop_assert_eq!(pure_total, total);
        prop_assert_eq!(x.len(), rows);
        let mut seen = vec![false; cols];
        let mut sum = 0;
        let mut assigned = 0;
        for (r, &j) in x.iter().enumerate() {
            if j != UNASSIGNED {
                prop_assert!(j < cols && !seen[j]);
                seen[j] = true;
                sum += c[r * cols + j];
                assigned += 1;
            }
        }
        prop_assert_eq!(assigned, rows.min(cols));
        prop_assert_eq!(sum, total);
        prop_assert_eq!(total, brute_dense(rows, cols, &c));
    }
}
