//! Integration tests: one binary (one link), one file per feature. Each test runs on SQLite, and on PostgreSQL
//! when `HEJNAL_TEST_POSTGRES_URL` is set (required under `CI=true`).

mod support;

mod alerts;
mod alerts_cancel_race;
mod alerts_feeds;
mod alerts_home_point;
mod alerts_input;
mod alerts_public;
mod alerts_service;
mod authz;
mod browser;
mod browser_alert_map;
mod browser_alerts;
mod browser_panel;
mod browser_surveys;
mod cli;
mod delivery;
mod delivery_crash;
mod delivery_gate;
mod delivery_rules;
mod errors;
mod i18n;
mod login;
mod messages;
mod ops;
mod panel;
mod panel_codes;
mod panel_input;
mod panel_ledger;
mod panel_officials;
mod panel_push;
mod panel_synth;
mod polls;
mod proxy;
mod quiet_hours;
mod storage;
mod surveys;
mod surveys_results;
mod worker;
