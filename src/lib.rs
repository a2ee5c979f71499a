//! hejnał: Kraków's resident consultation panel and mass-notification platform.
//!
//! See the README's "Architecture" section for the module map.

pub mod alerts;
pub mod app;
pub mod bench;
pub mod bench_surveys;
pub mod cli;
pub mod config;
pub mod delivery;
pub mod domain;
pub mod i18n;
pub mod stats;
pub mod storage;
pub mod surveys;
pub mod telemetry;
pub mod web;
