//! The intervention desk's use cases: the service catalogue and finding a service by describing the problem
//! ([`catalogue`]) and editing it on the admins' page, retiring services and routing per district
//! ([`catalogue_edit`]), filing a report with its photos ([`report`], [`photo`]), and handling it — state changes by
//! dispatchers and unit staff ([`handling`]), the worklist's filters ([`worklist`]), merging duplicates
//! ([`merge`]); Open311 GeoReport v2's view of reports ([`open311`]) and the apps' API keys ([`apikeys`]). They
//! take the [`Core`](crate::core::Core) and return [`CoreError`](crate::core::CoreError); the rules are in
//! `domain::desk` and `domain::desk_report`, the SQL in `storage::desk`.
//!
//! The public side — publication by a dispatcher, the public list and pages ([`publication`]), the statistics
//! ([`stats`]) and the open data ([`open_data`]). Hearing back: contacts confirmed and reporters and followers
//! told of each public step ([`follow`], [`notify`]); "is it fixed?" and erasing contacts after closing
//! ([`aftercare`]).

pub mod aftercare;
pub mod apikeys;
pub mod catalogue;
pub mod catalogue_edit;
pub mod follow;
pub mod handling;
pub mod merge;
pub mod notify;
pub mod open311;
pub mod open_data;
pub mod photo;
pub mod photo_scale;
pub mod publication;
pub mod report;
pub mod stats;
pub mod worklist;
