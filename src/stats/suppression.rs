//! Small-cell suppression of frequency tables (Hundepool et al. 2012, *Statistical Disclosure
//! Control*, Wiley, ch. 5 "Frequency tables"; the threshold rule and secondary suppression as in
//! Eurostat's SDC handbook).
//!
//! The published table is the `rows × columns` counts plus row totals, column totals and the grand
//! total. Rules, in order:
//!
//! 1. **Primary**: every entry (cell or total) with `0 < n < k` is hidden. Zeros are shown — except
//!    that a row or column whose total is below `k` is hidden whole, zeros included, since "nobody in
//!    this small group chose X" discloses everyone's answer (zeros whose crossing line sums to 0 stay
//!    shown: they are implied by that visible 0 total anyway).
//! 2. **Secondary**, repeated until nothing changes:
//!    * no row or column (the totals row and column included, the grand total belonging to both) may
//!      have exactly one hidden entry, or it is the total minus the rest; the smallest visible
//!      non-zero entry of that line is added, preferring one whose crossing line also has a single
//!      hidden entry, then one whose crossing line already has hidden entries, then cells over totals;
//!    * on a line whose total is shown the hidden entries must sum to 0 or at least `k` (else their
//!      sum is itself a small count, and with all hidden entries ≥ 1 can pin them down, e.g. 1 + 1);
//!    * no hidden entry may be recoverable by combining several lines' equations: seen as a graph
//!      (lines are vertices, hidden entries edges), no hidden entry may be a bridge; a bridge is closed
//!      into a cycle with the smallest visible entry linking its two sides.
//!
//! This guarantees that no hidden value follows *exactly* from the published additive relations; like
//! every greedy method it gives no minimum interval width (τ-ARGUS' optimal suppression does). Use
//! `k ≥ 3`: with `k = 2` every primary cell is known to be 1.

use serde::Serialize;

/// One published entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Cell {
    /// Shown as is.
    Value(u64),
    /// Hidden (serialised as `null`).
    Suppressed,
}

impl Cell {
    pub fn is_suppressed(self) -> bool {
        self == Cell::Suppressed
    }
    pub fn value(self) -> Option<u64> {
        match self {
            Cell::Value(v) => Some(v),
            Cell::Suppressed => None,
        }
    }
    /// The value, or `"<k"` when hidden (for tables and chart labels).
    pub fn display(self, k: u64) -> String {
        self.value().map_or_else(|| format!("<{k}"), |v| v.to_string())
    }
}

/// Where a hidden entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Position {
    Cell { row: usize, column: usize },
    RowTotal(usize),
    ColumnTotal(usize),
    GrandTotal,
}

/// A suppressed two-way table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suppressed {
    pub cells: Vec<Vec<Cell>>,
    pub row_totals: Vec<Cell>,
    pub column_totals: Vec<Cell>,
    pub grand_total: Cell,
    /// Entries hidden because they are small (or in a small row/column), in row-major order.
    pub primary: Vec<Position>,
    /// Entries hidden only to protect others, in the order they were chosen.
    pub secondary: Vec<Position>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Why {
    Primary,
    Secondary,
}

/// The table extended with its totals: `(rows + 1) × (columns + 1)`, last row/column the totals.
struct Grid {
    value: Vec<Vec<u64>>,
    hidden: Vec<Vec<Option<Why>>>,
    secondary: Vec<(usize, usize)>,
}

/// A line: `Row(r)` is `(r, 0..=C)`, `Col(c)` is `(0..=R, c)`; the last entry is the line's total.
#[derive(Clone, Copy)]
enum Line {
    Row(usize),
    Col(usize),
}

impl Grid {
    fn rows(&self) -> usize {
        self.value.len()
    }
    fn cols(&self) -> usize {
        self.value[0].len()
    }
    fn lines(&self) -> impl Iterator<Item = Line> + use<> {
        (0..self.rows()).map(Line::Row).chain((0..self.cols()).map(Line::Col))
    }
    fn entries(&self, line: Line) -> Vec<(usize, usize)> {
        match line {
            Line::Row(r) => (0..self.cols()).map(|c| (r, c)).collect(),
            Line::Col(c) => (0..self.rows()).map(|r| (r, c)).collect(),
        }
    }
    fn total(&self, line: Line) -> (usize, usize) {
        match line {
            Line::Row(r) => (r, self.cols() - 1),
            Line::Col(c) => (self.rows() - 1, c),
        }
    }
    fn is_hidden(&self, (r, c): (usize, usize)) -> bool {
        self.hidden[r][c].is_some()
    }
    fn hidden_count(&self, line: Line) -> usize {
        self.entries(line).into_iter().filter(|&e| self.is_hidden(e)).count()
    }
    fn hide(&mut self, (r, c): (usize, usize)) {
        self.hidden[r][c] = Some(Why::Secondary);
        self.secondary.push((r, c));
    }
    fn is_total(&self, (r, c): (usize, usize)) -> bool {
        r == self.rows() - 1 || c == self.cols() - 1
    }
    /// The visible entry to hide next among `candidates` (`crossing` gives each one's other line).
    fn best(&self, candidates: Vec<(usize, usize)>, crossing: impl Fn((usize, usize)) -> Line) -> (usize, usize) {
        let rank = |e: (usize, usize)| {
            let fixes = match self.hidden_count(crossing(e)) {
                1 => 0,
                0 => 2,
                _ => 1,
            };
            (self.value[e.0][e.1] == 0, fixes, self.value[e.0][e.1], self.is_total(e), e)
        };
        candidates.into_iter().filter(|&e| !self.is_hidden(e)).min_by_key(|&e| rank(e)).expect("a visible entry")
    }

    /// Applies one secondary suppression; false once every rule holds.
    fn step(&mut self, k: u64) -> bool {
        let cross = |line: Line| {
            move |(r, c): (usize, usize)| if let Line::Row(_) = line { Line::Col(c) } else { Line::Row(r) }
        };
        for line in self.lines() {
            if self.hidden_count(line) == 1 {
                let pick = self.best(self.entries(line), cross(line));
                self.hide(pick);
                return true;
            }
        }
        for line in self.lines() {
            let (tr, tc) = self.total(line);
            if self.is_hidden((tr, tc)) {
                continue;
            }
            let hidden_sum: u64 =
                self.entries(line).into_iter().filter(|&e| self.is_hidden(e)).map(|(r, c)| self.value[r][c]).sum();
            if hidden_sum > 0 && hidden_sum < k {
                let pick = self.best(self.entries(line), cross(line));
                self.hide(pick);
                return true;
            }
        }
        if let Some(pick) = self.bridge_fix() {
            self.hide(pick);
            return true;
        }
        false
    }

    /// Vertices reachable from row vertex `from` over hidden entries, not using entry `skip`.
    /// Vertices `0..rows` are rows, `rows..rows+cols` columns.
    fn reach(&self, from: usize, skip: (usize, usize)) -> Vec<bool> {
        let (rows, cols) = (self.rows(), self.cols());
        let mut seen = vec![false; rows + cols];
        let mut stack = vec![from];
        seen[from] = true;
        while let Some(v) = stack.pop() {
            let next: Vec<usize> = if v < rows {
                (0..cols).filter(|&c| (v, c) != skip && self.is_hidden((v, c))).map(|c| rows + c).collect()
            } else {
                (0..rows).filter(|&r| (r, v - rows) != skip && self.is_hidden((r, v - rows))).collect()
            };
            for n in next {
                if !seen[n] {
                    seen[n] = true;
                    stack.push(n);
                }
            }
        }
        seen
    }

    /// For the first hidden entry whose value follows from the line equations (a bridge), the entry
    /// to hide that closes a cycle through it.
    fn bridge_fix(&self) -> Option<(usize, usize)> {
        let (rows, cols) = (self.rows(), self.cols());
        let hidden = (0..rows).flat_map(|r| (0..cols).map(move |c| (r, c))).filter(|&e| self.is_hidden(e));
        for (r, c) in hidden.collect::<Vec<_>>() {
            let side = self.reach(r, (r, c));
            if side[rows + c] {
                continue;
            }
            let other = self.reach(rows + c, (r, c));
            let candidates: Vec<(usize, usize)> = (0..rows)
                .flat_map(|u| (0..cols).map(move |v| (u, v)))
                .filter(|&(u, v)| (side[u] && other[rows + v]) || (other[u] && side[rows + v]))
                .collect();
            // Crossing heuristics do not apply here; rank by value only.
            return Some(self.best(candidates, |_| Line::Row(0)));
        }
        None
    }
}

/// Suppresses small cells of `table` (rows × columns, all rows the same length) for publication with
/// its row, column and grand totals, under threshold `k` (see the module docs for the rules).
///
/// # Panics
/// If rows differ in length.
pub fn suppress(table: &[Vec<u64>], k: u64) -> Suppressed {
    let columns = table.first().map_or(0, Vec::len);
    assert!(table.iter().all(|r| r.len() == columns), "suppress: rows of different lengths");
    let mut value: Vec<Vec<u64>> = table.iter().map(|r| r.iter().copied().chain([r.iter().sum()]).collect()).collect();
    value.push((0..=columns).map(|c| table.iter().map(|r| r.get(c).copied().unwrap_or(0)).sum::<u64>()).collect());
    let grand: u64 = table.iter().flatten().sum();
    value.last_mut().expect("totals row")[columns] = grand;
    let hidden = vec![vec![None; columns + 1]; table.len() + 1];
    let mut grid = Grid { value, hidden, secondary: Vec::new() };

    let small = |v: u64| v > 0 && v < k;
    for r in 0..grid.rows() {
        for c in 0..grid.cols() {
            let (row_total, col_total) = (grid.value[r][columns], grid.value[table.len()][c]);
            let small_line_zero =
                grid.value[r][c] == 0 && ((small(row_total) && col_total > 0) || (small(col_total) && row_total > 0));
            if small(grid.value[r][c]) || small_line_zero {
                grid.hidden[r][c] = Some(Why::Primary);
            }
        }
    }
    while grid.step(k) {}

    let position = |(r, c): (usize, usize)| match (r == table.len(), c == columns) {
        (false, false) => Position::Cell { row: r, column: c },
        (false, true) => Position::RowTotal(r),
        (true, false) => Position::ColumnTotal(c),
        (true, true) => Position::GrandTotal,
    };
    let cell =
        |r: usize, c: usize| if grid.is_hidden((r, c)) { Cell::Suppressed } else { Cell::Value(grid.value[r][c]) };
    let all = (0..grid.rows()).flat_map(|r| (0..grid.cols()).map(move |c| (r, c)));
    Suppressed {
        cells: (0..table.len()).map(|r| (0..columns).map(|c| cell(r, c)).collect()).collect(),
        row_totals: (0..table.len()).map(|r| cell(r, columns)).collect(),
        column_totals: (0..columns).map(|c| cell(table.len(), c)).collect(),
        grand_total: cell(table.len(), columns),
        primary: all.filter(|&(r, c)| grid.hidden[r][c] == Some(Why::Primary)).map(position).collect(),
        secondary: grid.secondary.iter().copied().map(position).collect(),
    }
}

/// A suppressed one-way distribution (e.g. a question's answers over all respondents).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SuppressedCounts {
    pub counts: Vec<Cell>,
    pub total: Cell,
}

/// Suppresses a one-way distribution under threshold `k`.
///
/// If `0 < total < k` everything is hidden, zeros and total included (a handful of respondents must
/// not have their answers shown in any form). Otherwise counts in `1..k` are hidden and, when
/// `total_visible`, one hidden count alone (or hidden counts summing to less than `k`) is joined by
/// the smallest other non-zero counts, since total minus the rest would reveal it. For a whole-city
/// distribution with many respondents the caller may prefer `k = 1` (no suppression).
pub fn suppress_counts(counts: &[u64], total_visible: bool, k: u64) -> SuppressedCounts {
    let total: u64 = counts.iter().sum();
    if total > 0 && total < k {
        return SuppressedCounts { counts: vec![Cell::Suppressed; counts.len()], total: Cell::Suppressed };
    }
    let mut hidden: Vec<bool> = counts.iter().map(|&v| v > 0 && v < k).collect();
    if total_visible {
        loop {
            let (n, sum) = hidden.iter().zip(counts).filter(|(h, _)| **h).fold((0, 0), |(n, s), (_, v)| (n + 1, s + v));
            if n == 0 || (n >= 2 && sum >= k) {
                break;
            }
            let next = (0..counts.len()).filter(|&i| !hidden[i] && counts[i] > 0).min_by_key(|&i| (counts[i], i));
            match next {
                Some(i) => hidden[i] = true,
                None => break,
            }
        }
    }
    let counts = counts.iter().zip(hidden).map(|(&v, h)| if h { Cell::Suppressed } else { Cell::Value(v) }).collect();
    SuppressedCounts { counts, total: Cell::Value(total) }
}

#[cfg(test)]
#[path = "suppression_tests.rs"]
mod tests;
