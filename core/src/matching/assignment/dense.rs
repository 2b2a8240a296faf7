//! The dense benchmark solver ([`solve_dense_min_cost`]): rectangular minimum-cost assignment
//! with scipy `linear_sum_assignment` semantics, by Jonker–Volgenant on the full matrix (column
//! reduction and reduction transfer for square matrices, augmenting row reduction, shortest
//! augmenting paths). Independent of the sparse solver; used to check it and to compare speed.
//!
//! Invariants (with implicit row duals): every assigned row sits on a column minimising
//! `c[i][j] - v[j]` and free columns keep the largest `v`; entries are bounded by
//! `MAX_ABS_WEIGHT` and the total cannot overflow; ties break by lowest index.

use super::{AssignmentError, INF, MAX_ABS_WEIGHT, NONE, UNASSIGNED};

/// Dense rectangular minimum-cost assignment with scipy `linear_sum_assignment` semantics:
/// every row of the smaller side is assigned to a distinct column of the other side, and the
/// total cost is minimal. `costs` is row-major, `rows * cols` entries.
///
/// Returns, for each row, its column (`UNASSIGNED` for the rows left over when
/// `rows > cols`), and the total cost. Among optimal solutions the result is a deterministic
/// function of the matrix.
///
/// # Errors
///
/// [`AssignmentError::BadDimensions`] if `costs.len() != rows * cols` or a dimension is not
/// below `u32::MAX`; [`AssignmentError::CostOutOfRange`] for an entry with |cost| >
/// [`MAX_ABS_WEIGHT`]; [`AssignmentError::TotalOverflow`] if `min(rows, cols)` times the
/// largest |cost| does not fit in an `i64`.
pub fn solve_dense_min_cost(rows: usize, cols: usize, costs: &[i64]) -> Result<(Vec<usize>, i64), AssignmentError> {
    dense_with(rows, cols, costs, true)
}

/// [`solve_dense_min_cost`] with the initialisation phases optional (tests turn them off to
/// exercise the augmentation alone).
pub(super) fn dense_with(
    rows: usize,
    cols: usize,
    costs: &[i64],
    init: bool,
) -> Result<(Vec<usize>, i64), AssignmentError> {
    let bad = AssignmentError::BadDimensions { rows, cols, len: costs.len() };
    if rows.checked_mul(cols) != Some(costs.len()) || rows >= u32::MAX as usize || cols >= u32::MAX as usize {
        return Err(bad);
    }
    let mut max_abs = 0u64;
    for (index, &cost) in costs.iter().enumerate() {
        let m = cost.unsigned_abs();
        if m > MAX_ABS_WEIGHT as u64 {
            return Err(AssignmentError::CostOutOfRange { index, cost });
        }
        max_abs = max_abs.max(m);
    }
    let n = rows.min(cols);
    if (n as u64).checked_mul(max_abs).is_none_or(|b| b > i64::MAX as u64) {
        return Err(AssignmentError::TotalOverflow);
    }
    let mut result = vec![UNASSIGNED; rows];
    if n == 0 {
        return Ok((result, 0));
    }
    let mut total = 0i64;
    if rows <= cols {
        let x = Dense::new(rows, cols, costs).run(init);
        for (r, &c) in x.iter().enumerate() {
            result[r] = c as usize;
            total += costs[r * cols + c as usize];
        }
    } else {
        // The algorithm wants rows <= columns: solve the transpose.
        let mut t = vec![0i64; costs.len()];
        for (r, row) in costs.chunks_exact(cols).enumerate() {
            for (c, &v) in row.iter().enumerate() {
                t[c * rows + r] = v;
            }
        }
        let x = Dense::new(cols, rows, &t).run(init);
        for (c, &r) in x.iter().enumerate() {
            result[r as usize] = c;
            total += costs[r as usize * cols + c];
        }
    }
    Ok((result, total))
}

/// Jonker–Volgenant on a dense `n x m` matrix with `n <= m` (every row gets a column).
///
/// Invariants (with implicit row duals `u_i = c[i][x_i] - v[x_i]`): every assigned row sits
/// on a column minimising `c[i][j] - v[j]`, and free columns keep the largest `v` (0 in the
/// rectangular case, their column-reduction value in the square case, where no free column
/// exists at the end). Those are the LP optimality conditions once every row is assigned.
struct Dense<'c> {
    n: usize,
    m: usize,
    c: &'c [i64],
    v: Vec<i64>,
    /// Column of each row.
    x: Vec<u32>,
    /// Row of each column.
    y: Vec<u32>,
}

impl<'c> Dense<'c> {
    fn new(n: usize, m: usize, c: &'c [i64]) -> Self {
        Dense { n, m, c, v: vec![0; m], x: vec![NONE; n], y: vec![NONE; m] }
    }

    fn row(&self, i: usize) -> &'c [i64] {
        &self.c[i * self.m..(i + 1) * self.m]
    }

    fn run(mut self, init: bool) -> Vec<u32> {
        if !init {
            let all: Vec<u32> = (0..self.n as u32).collect();
            self.augment(&all);
            return self.x;
        }
        let mut free: Vec<u32> = if self.n == self.m { self.column_reduction() } else { (0..self.n as u32).collect() };
        let mut budget = 8 * self.n + 64;
        for _ in 0..2 {
            if free.is_empty() {
                break;
            }
            free = self.augmenting_row_reduction(&free, &mut budget);
        }
        self.augment(&free);
        self.x
    }

    /// Column reduction and reduction transfer (square matrices only): `v[j]` = column
    /// minimum, each column's minimising row takes it if still free; returns the free rows.
    fn column_reduction(&mut self) -> Vec<u32> {
        let (n, m) = (self.n, self.m);
        let mut argmin = vec![0u32; m];
        // Row-major sweep (cache friendly) computing per-column minima; ties keep the lower row.
        let first = self.row(0);
        self.v.copy_from_slice(first);
        for i in 1..n {
            let row = self.row(i);
            for ((vj, aj), &cij) in self.v.iter_mut().zip(argmin.iter_mut()).zip(row) {
                if cij < *vj {
                    *vj = cij;
                    *aj = i as u32;
                }
            }
        }
        // Columns in reverse order, as in Jonker–Volgenant; a row with several minima keeps
        // the first column it gets and is not given a reduction transfer.
        let mut times = vec![0u8; n];
        for j in (0..m).rev() {
            let i = argmin[j] as usize;
            if self.x[i] == NONE {
                self.x[i] = j as u32;
                self.y[j] = i as u32;
            }
            times[i] = times[i].saturating_add(1);
        }
        let mut free = Vec::new();
        for (i, &t) in times.iter().enumerate() {
            if self.x[i] == NONE {
                free.push(i as u32);
            } else if t == 1 {
                // Reduction transfer: lower v[j1] as far as row i's second-best allows.
                let j1 = self.x[i] as usize;
                let row = self.row(i);
                let mut mu = INF;
                for (j, (&cij, &vj)) in row.iter().zip(&self.v).enumerate() {
                    if j != j1 {
                        mu = mu.min(cij - vj);
                    }
                }
                if mu != INF {
                    self.v[j1] -= mu - (row[j1] - self.v[j1]);
                }
            }
        }
        free
    }

    /// Two-round auction-like phase; returns the rows still free.
    fn augmenting_row_reduction(&mut self, free: &[u32], budget: &mut usize) -> Vec<u32> {
        let mut list: Vec<u32> = free.to_vec();
        let mut next = Vec::new();
        let mut k = 0;
        while k < list.len() {
            let i = list[k] as usize;
            k += 1;
            if *budget == 0 {
                next.push(i as u32);
                continue;
            }
            *budget -= 1;
            let row = self.row(i);
            let (mut u1, mut u2) = (INF, INF);
            let (mut j1, mut j2) = (0usize, usize::MAX);
            for (j, (&cij, &vj)) in row.iter().zip(&self.v).enumerate() {
                let h = cij - vj;
                if h < u2 {
                    if h < u1 {
                        u2 = u1;
                        j2 = j1;
                        u1 = h;
                        j1 = j;
                    } else {
                        u2 = h;
                        j2 = j;
                    }
                }
            }
            let mut i0 = self.y[j1];
            if j2 == usize::MAX {
                // A single column (only when m == 1): take it.
                u2 = u1;
            }
            if u1 < u2 {
                self.v[j1] -= u2 - u1;
            } else if i0 != NONE && j2 != usize::MAX {
                // Tie: prefer the second column if that avoids evicting someone.
                j1 = j2;
                i0 = self.y[j1];
            }
            if i0 != NONE {
                self.x[i0 as usize] = NONE;
            }
            self.x[i] = j1 as u32;
            self.y[j1] = i as u32;
            if i0 != NONE {
                if u1 < u2 {
                    // Re-bid immediately: the evicted row probably has a close alternative.
                    k -= 1;
                    list[k] = i0;
                } else {
                    next.push(i0);
                }
            }
        }
        next
    }

    /// Shortest augmenting paths (Dijkstra over columns, JV style) for each free row.
    fn augment(&mut self, free: &[u32]) {
        let m = self.m;
        let mut d = vec![0i64; m];
        let mut pred = vec![0u32; m];
        let mut cols: Vec<u32> = (0..m as u32).collect();
        for &f in free {
            let row_f = self.row(f as usize);
            for j in 0..m {
                d[j] = row_f[j] - self.v[j];
                pred[j] = f;
                cols[j] = j as u32;
            }
            // cols[..low]: settled; cols[low..up]: at the current minimum, to scan;
            // cols[up..]: not yet reached at the minimum.
            let (mut low, mut up) = (0usize, 0usize);
            let mut min = 0i64;
            let sink: usize = 'search: loop {
                if up == low {
                    min = d[cols[up] as usize];
                    up += 1;
                    // Scan the rest once; `up` grows as equal-minimum columns are moved in.
                    let rest = up;
                    for k in rest..m {
                        let j = cols[k];
                        let h = d[j as usize];
                        if h <= min {
                            if h < min {
                                up = low;
                                min = h;
                            }
                            cols[k] = cols[up];
                            cols[up] = j;
                            up += 1;
                        }
                    }
                    for &j in &cols[low..up] {
                        if self.y[j as usize] == NONE {
                            break 'search j as usize;
                        }
                    }
                }
                let j1 = cols[low] as usize;
                low += 1;
                let i = self.y[j1] as usize;
                let row_i = self.row(i);
                let u1 = row_i[j1] - self.v[j1] - min;
                let mut k = up;
                while k < m {
                    let j = cols[k] as usize;
                    let h = row_i[j] - self.v[j] - u1;
                    if h < d[j] {
                        d[j] = h;
                        pred[j] = i as u32;
                        if h == min {
                            if self.y[j] == NONE {
                                break 'search j;
                            }
                            cols[k] = cols[up];
                            cols[up] = j as u32;
                            up += 1;
                        }
                    }
                    k += 1;
                }
            };
            for &j in &cols[..low] {
                self.v[j as usize] += d[j as usize] - min;
            }
            let mut j = sink;
            loop {
                let i = pred[j];
                self.y[j] = i;
                let prev = self.x[i as usize];
                self.x[i as usize] = j as u32;
                if i == f {
                    break;
                }
                j = prev as usize;
            }
        }
    }
}
