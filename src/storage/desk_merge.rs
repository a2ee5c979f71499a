//! Merging a duplicate report into another (`merged`, `merged_into`): the step, its history entry and its contacts
//! moved to the report that is handled from now on, in one transaction. SQL both backends understand, expanded for
//! each by [`impl_desk_merge_store`].

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::StoreResult;
use crate::domain::desk_report::ReportState;

/// A merge to store: the report merged (as the caller read it, for the optimistic check) and its notes.
#[derive(Clone, Debug)]
pub struct NewMerge {
    pub official_id: i64,
    pub from: ReportState,
    pub from_unit: String,
    pub into: i64,
    pub public_note: String,
    pub internal_note: String,
    pub at: DateTime<Utc>,
}

/// What storing a merge did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MergeOutcome {
    /// Merged. The merged report's confirmed contacts, which follow the target now, as the target's contact rows (a
    /// contact already there is named once, by its row on the target): those to tell of the merge.
    Merged(Vec<i64>),
    /// The target is closed or merged (meanwhile): nothing changed.
    TargetClosed,
    /// The merged report changed meanwhile (state or unit): nothing changed.
    Moved,
}

#[async_trait]
pub trait DeskMergeStore: Send + Sync {
    /// Merges report `id` into `m.into` if `id` is still in `m.from` at `m.from_unit` and the target is open: the
    /// report becomes `merged` with its history entry, and each of its contacts that is not erased or stopped
    /// moves to the target as a follower, keeping its language and confirmation — or, when the same contact already
    /// follows the target, stays behind (the target's row takes over a confirmation it lacked).
    async fn merge_report(&self, id: i64, m: &NewMerge) -> StoreResult<MergeOutcome>;
}

mod sql;
pub(crate) use sql::impl_desk_merge_store;
