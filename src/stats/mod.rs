//! Survey statistics for consultation results: weighting, disclosure control, sampling and charts.
//!
//! Pure Rust, no I/O; every function is deterministic given its inputs (and seed).
//!
//! * [`raking`] — iterative proportional fitting of respondent weights to population margins
//!   (Deming & Stephan 1940, "On a least squares adjustment of a sampled frequency table when the
//!   expected marginal totals are known", *Ann. Math. Statist.* 11(4); practice after Battaglia,
//!   Hoaglin & Frankel 2009, "Practical Considerations in Raking Survey Data", *Survey Practice* 2(5)),
//!   with Kish's effective sample size (Kish 1965, *Survey Sampling*, Wiley, §11.7).
//! * [`suppression`] — primary (threshold `k`) and secondary small-cell suppression of a two-way
//!   table with its margins, so that no hidden cell can be recomputed from the published totals
//!   (Hundepool et al. 2012, *Statistical Disclosure Control*, Wiley, ch. 4 and 5 — the method
//!   Eurostat's SDC handbook describes for frequency tables).
//! * [`sampling`] — stratified simple random sampling without replacement with proportional
//!   allocation rounded by largest remainder (Hamilton's method) (Cochran 1977, *Sampling
//!   Techniques*, 3rd ed., Wiley, ch. 5), drawn with a seeded, portable ChaCha8 stream.
//! * [`chart`] — accessible server-drawn SVG horizontal bar charts (`role="img"` with `<title>` and
//!   `<desc>`, WCAG 2.1 contrast 1.4.3/1.4.11), meant to sit beside the same numbers in a data table.

pub mod chart;
pub mod raking;
pub mod sampling;
pub mod suppression;
