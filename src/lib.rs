//! hejnał: Kraków's resident consultation panel and mass-notification platform.
//!
//! See the README's "Architecture" section for the module map.

pub mod alerts;
pub mod app;
pub mod background;
pub mod bench;
pub mod bench_desk;
pub mod bench_surveys;
pub mod cli;
pub mod config;
pub mod core;
pub mod delivery;
pub mod desk;
pub mod domain;
pub mod i18n;
pub mod officials;
pub mod outgoing;
pub mod panel;
pub mod polls;
pub mod stats;
pub mod storage;
pub mod surveys;
pub mod telemetry;
pub mod web;
