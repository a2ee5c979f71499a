//! The intervention desk's use cases: the service catalogue and finding a service by describing the problem
//! ([`catalogue`]), filing a report with its photos ([`report`], [`photo`]), and handling it — state changes by
//! dispatchers and unit staff ([`handling`]); Open311 GeoReport v2's view of reports ([`open311`]) and the apps'
//! API keys ([`apikeys`]). They take the [`Core`](crate::core::Core) and return
//! [`CoreError`](crate::core::CoreError); the rules are in `domain::desk` and `domain::desk_report`, the SQL in
//! `storage::desk`.
//!
//! The public side — publication by a dispatcher, the public list and pages ([`publication`]) and the
//! statistics ([`stats`]).
//!
//! Not built yet (see docs/desk.md): confirming an email or phone before hearing back, telling the reporter and
//! followers about changes, "is it fixed?", erasing contacts 30 days after closing, duplicates nearby.

pub mod apikeys;
pub mod catalogue;
pub mod follow;
pub mod handling;
pub mod open311;
pub mod notify;
pub mod photo;
pub mod publication;
pub mod report;
pub mod stats;
