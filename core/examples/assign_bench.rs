//! Times `gigmarket::matching::assignment` on matrices written by `bench/assign_vs_scipy.py`.
//!
//! Usage: `assign_bench <case.bin> <repetitions>`; prints one JSON line
//! `{"kind": "dense"|"sparse", "best_ms": <min over repetitions>, "total_cost": <optimum>}`.
//! Only the solver call is timed: reading the file and building the inputs are not.
//!
//! File format (little endian): magic `b"ASGB"`, `u32` version 1, `u32` kind (0 dense,
//! 1 sparse), `u64` rows, `u64` cols, then
//! - dense: `rows * cols` `i64` costs, row-major;
//! - sparse: `u64` nnz, `nnz` `u32` row indices, `nnz` `u32` column indices, `nnz` `i64` costs
//!   (the feasible pairs of a min-cost *full* matching problem, as scipy's
//!   `min_weight_full_bipartite_matching` solves it).

use gigmarket::matching::assignment::{solve, solve_dense_min_cost, AssignmentProblem, Candidate};
use std::process::ExitCode;
use std::time::Instant;

/// Sequential little-endian reader over the file bytes.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let end = self.pos + N;
        let chunk = self.bytes.get(self.pos..end).ok_or_else(|| "file ends early".to_string())?;
        self.pos = end;
        let mut out = [0u8; N];
        out.copy_from_slice(chunk);
        Ok(out)
    }
    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.take()?))
    }
    fn u64(&mut self) -> Result<usize, String> {
        usize::try_from(u64::from_le_bytes(self.take()?)).map_err(|e| e.to_string())
    }
    fn i64(&mut self) -> Result<i64, String> {
        Ok(i64::from_le_bytes(self.take()?))
    }
}

/// Runs `f` `reps` times and returns the best wall time in milliseconds and the last result.
fn best_of<T>(reps: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::INFINITY;
    let mut last = None;
    for _ in 0..reps.max(1) {
        let start = Instant::now();
        let out = f();
        best = best.min(start.elapsed().as_secs_f64() * 1e3);
        last = Some(out);
    }
    (best, last.expect("at least one repetition ran"))
}

fn run(path: &str, reps: usize) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    let mut r = Reader { bytes: &bytes, pos: 0 };
    if r.take::<4>()? != *b"ASGB" || r.u32()? != 1 {
        return Err(format!("{path}: not an ASGB v1 file"));
    }
    let kind = r.u32()?;
    let rows = r.u64()?;
    let cols = r.u64()?;
    match kind {
        0 => {
            let costs = (0..rows * cols).map(|_| r.i64()).collect::<Result<Vec<_>, _>>()?;
            let (ms, result) = best_of(reps, || solve_dense_min_cost(rows, cols, &costs));
            let (_, total) = result.map_err(|e| e.to_string())?;
            Ok(format!(r#"{{"kind": "dense", "best_ms": {ms:.3}, "total_cost": {total}}}"#))
        }
        1 => {
            let nnz = r.u64()?;
            let ri = (0..nnz).map(|_| r.u32()).collect::<Result<Vec<_>, _>>()?;
            let ci = (0..nnz).map(|_| r.u32()).collect::<Result<Vec<_>, _>>()?;
            let cost = (0..nnz).map(|_| r.i64()).collect::<Result<Vec<_>, _>>()?;
            // Min-cost full matching as max weight: weight = big - cost with `big` larger than
            // any possible spread of totals, so every extra matched pair outweighs any cost
            // difference and the maximum-weight solution is the min-cost full matching.
            let max_cost = cost.iter().copied().max().unwrap_or(0);
            let min_cost = cost.iter().copied().min().unwrap_or(0);
            let n = rows.min(cols) as i64;
            let big = (max_cost - min_cost) * (n + 1) + max_cost + 1;
            let candidates: Vec<Candidate> =
                (0..nnz).map(|k| Candidate { task: ri[k], agent: ci[k], weight: big - cost[k] }).collect();
            let caps = vec![1u32; cols];
            let problem = AssignmentProblem {
                tasks: u32::try_from(rows).map_err(|e| e.to_string())?,
                agent_capacities: &caps,
                candidates: &candidates,
            };
            let (ms, result) = best_of(reps, || solve(&problem));
            let a = result.map_err(|e| e.to_string())?;
            if a.pairs.len() as i64 != n {
                return Err(format!("matched {} of {n} rows", a.pairs.len()));
            }
            let total = n * big - a.total_weight;
            Ok(format!(r#"{{"kind": "sparse", "best_ms": {ms:.3}, "total_cost": {total}}}"#))
        }
        k => Err(format!("{path}: unknown kind {k}")),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: assign_bench <case.bin> <repetitions>");
        return ExitCode::from(2);
    }
    let reps = match args[2].parse::<usize>() {
        Ok(n) => n,
        Err(e) => {
            eprintln!("repetitions: {e}");
            return ExitCode::from(2);
        }
    };
    match run(&args[1], reps) {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("assign_bench: {e}");
            ExitCode::FAILURE
        }
    }
}
