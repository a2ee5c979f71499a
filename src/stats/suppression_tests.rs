//! Tests of [`super`]: every published table is checked against the line rule, the hidden-sum rule
//! and, independently of the bridge search, by linear algebra: no hidden entry may be determined by the
//! published additive relations.

use super::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The published table as an extended grid: `Some(v)` shown, `None` hidden; last row/column totals.
fn published(s: &Suppressed) -> Vec<Vec<Option<u64>>> {
    let mut grid: Vec<Vec<Option<u64>>> =
        s.cells.iter().zip(&s.row_totals).map(|(r, t)| r.iter().chain([t]).map(|c| c.value()).collect()).collect();
    grid.push(s.column_totals.iter().chain([&s.grand_total]).map(|c| c.value()).collect());
    grid
}

/// Rows then columns of the extended grid, as lists of positions; the last one is the line's total.
fn lines(rows: usize, cols: usize) -> Vec<Vec<(usize, usize)>> {
    let mut out: Vec<Vec<(usize, usize)>> = (0..rows).map(|r| (0..cols).map(|c| (r, c)).collect()).collect();
    out.extend((0..cols).map(|c| (0..rows).map(|r| (r, c)).collect()));
    out
}

fn rank(mut m: Vec<Vec<f64>>) -> usize {
    let mut rank = 0;
    let cols = m.first().map_or(0, Vec::len);
    for col in 0..cols {
        let Some(pivot) = (rank..m.len()).max_by(|&a, &b| m[a][col].abs().total_cmp(&m[b][col].abs())) else { break };
        if m[pivot][col].abs() < 1e-9 {
            continue;
        }
        m.swap(rank, pivot);
        let pivot_row = m[rank].clone();
        for (r, row) in m.iter_mut().enumerate() {
            if r != rank {
                let f = row[col] / pivot_row[col];
                for (x, p) in row.iter_mut().zip(&pivot_row).skip(col) {
                    *x -= f * p;
                }
            }
        }
        rank += 1;
    }
    rank
}

/// Asserts that the published table protects every hidden entry; `table` is the original.
fn check(table: &[Vec<u64>], s: &Suppressed, k: u64) {
    let grid = published(s);
    let (rows, cols) = (grid.len(), grid[0].len());
    let truth = |(r, c): (usize, usize)| {
        let row = table.get(r);
        match (row, c == cols - 1) {
            (Some(row), false) => row[c],
            (Some(row), true) => row.iter().sum(),
            (None, false) => table.iter().map(|row| row[c]).sum(),
            (None, true) => table.iter().flatten().sum(),
        }
    };
    let unknowns: Vec<(usize, usize)> =
        (0..rows).flat_map(|r| (0..cols).map(move |c| (r, c))).filter(|&(r, c)| grid[r][c].is_none()).collect();
    for (r, c) in (0..rows).flat_map(|r| (0..cols).map(move |c| (r, c))) {
        if let Some(v) = grid[r][c] {
            assert_eq!(v, truth((r, c)), "shown value wrong at {r},{c}");
            assert!(v == 0 || v >= k, "small value {v} shown at {r},{c}");
        }
    }
    let mut equations = Vec::new();
    for line in lines(rows, cols) {
        let hidden: Vec<_> = line.iter().filter(|&&(r, c)| grid[r][c].is_none()).collect();
        assert!(hidden.len() != 1, "line {line:?} has exactly one hidden entry: {grid:?}");
        let &(tr, tc) = line.last().unwrap();
        if grid[tr][tc].is_some() {
            let sum: u64 = hidden.iter().map(|&&e| truth(e)).sum();
            assert!(sum == 0 || sum >= k, "hidden entries of {line:?} sum to {sum} < {k}");
        }
        let total = *line.last().unwrap();
        equations.push(
            unknowns
                .iter()
                .map(|u| {
                    if *u == total {
                        -1.0
                    } else if line.contains(u) {
                        1.0
                    } else {
                        0.0
                    }
                })
                .collect::<Vec<f64>>(),
        );
    }
    let base = rank(equations.clone());
    for (i, u) in unknowns.iter().enumerate() {
        let mut with = equations.clone();
        with.push((0..unknowns.len()).map(|j| if i == j { 1.0 } else { 0.0 }).collect());
        assert_eq!(rank(with), base + 1, "hidden entry {u:?} is determined by the totals: {grid:?}");
    }
}

#[test]
fn a_three_is_hidden_and_cannot_be_derived() {
    let table = vec![vec![3, 40, 25], vec![12, 30, 18], vec![20, 11, 50]];
    let s = suppress(&table, 10);
    assert_eq!(s.cells[0][0], Cell::Suppressed);
    assert_eq!(s.primary, vec![Position::Cell { row: 0, column: 0 }]);
    assert!(!s.secondary.is_empty());
    assert_eq!(s.grand_total, Cell::Value(209));
    check(&table, &s, 10);
    // Smallest partners: 25 beside it, 12 below it, and 18 closing the rectangle.
    let expected = [(0, 2), (1, 0), (1, 2)].map(|(row, column)| Position::Cell { row, column });
    assert_eq!(s.secondary, expected);
    assert_eq!(s.row_totals[0], Cell::Value(68));
}

#[test]
fn small_totals_are_suppressed_with_their_line() {
    let table = vec![vec![3, 0, 0], vec![15, 20, 30], vec![25, 0, 40]];
    let s = suppress(&table, 10);
    assert_eq!(s.row_totals[0], Cell::Suppressed);
    assert_eq!(s.cells[0][0], Cell::Suppressed);
    // Column 1's total is 20, so "nobody in row 0 chose it" is hidden too; column 1 zeros elsewhere stay.
    assert_eq!(s.cells[0][1], Cell::Suppressed);
    assert_eq!(s.cells[2][1], Cell::Value(0));
    check(&table, &s, 10);
}

#[test]
fn big_cells_only_are_untouched() {
    let table = vec![vec![10, 0, 25], vec![0, 12, 30]];
    let s = suppress(&table, 10);
    assert!(s.primary.is_empty() && s.secondary.is_empty());
    assert_eq!(s.cells[1][1], Cell::Value(12));
    assert_eq!(s.column_totals, vec![Cell::Value(10), Cell::Value(12), Cell::Value(55)]);
}

#[test]
fn tiny_table_hides_everything_nonzero() {
    let s = suppress(&[vec![1, 2], vec![0, 4]], 10);
    assert_eq!(s.grand_total, Cell::Suppressed);
    check(&[vec![1, 2], vec![0, 4]], &s, 10);
    let empty = suppress(&[], 10);
    assert_eq!(empty.grand_total, Cell::Value(0));
}

#[test]
fn random_tables_are_protected() {
    let mut rng = ChaCha8Rng::seed_from_u64(20_240_611);
    for round in 0..400 {
        let rows = rng.random_range(1..7);
        let cols = rng.random_range(1..7);
        let k = rng.random_range(3..12);
        let table: Vec<Vec<u64>> = (0..rows)
            .map(|_| {
                (0..cols)
                    .map(|_| match rng.random_range(0..10) {
                        0..2 => 0,
                        2..5 => rng.random_range(1..k),
                        _ => rng.random_range(1..60),
                    })
                    .collect()
            })
            .collect();
        let s = suppress(&table, k);
        assert!(s.primary.iter().all(|p| !s.secondary.contains(p)), "round {round}");
        check(&table, &s, k);
    }
}

#[test]
fn one_way_counts() {
    let s = suppress_counts(&[3, 0, 40, 57], true, 10);
    assert_eq!(s.counts, vec![Cell::Suppressed, Cell::Value(0), Cell::Suppressed, Cell::Value(57)]);
    assert_eq!(s.total, Cell::Value(100));
    let s = suppress_counts(&[3, 0, 40, 57], false, 10);
    assert_eq!(s.counts[2], Cell::Value(40));
    let s = suppress_counts(&[3, 4, 40], true, 10);
    assert_eq!(s.counts, vec![Cell::Suppressed, Cell::Suppressed, Cell::Suppressed]);
    let s = suppress_counts(&[2, 0, 5], true, 10);
    assert!(s.counts.iter().all(|c| c.is_suppressed()) && s.total.is_suppressed());
    assert_eq!(suppress_counts(&[0, 0], true, 10).total, Cell::Value(0));
    assert_eq!(Cell::Suppressed.display(10), "<10");
    assert_eq!(serde_json::to_string(&s.counts[0]).unwrap(), "null");
}
