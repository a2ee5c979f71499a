//! Integration tests: one binary (one link), one file per feature. Each test runs on SQLite, and on PostgreSQL
//! when `HEJNAL_TEST_POSTGRES_URL` is set (required under `CI=true`).

mod support;

mod alerts;
mod alerts_feeds;
mod alerts_home_point;
mod alerts_input;
mod alerts_public;
mod alerts_service;
mod browser;
mod browser_alert_map;
mod browser_alerts;
mod browser_panel;
mod browser_surveys;
mod campaign_authz;
mod campaign_bad_input;
mod campaign_faults;
mod campaign_faults_disk;
mod campaign_faults_pg;
mod campaign_faults_web;
mod campaign_pg;
mod campaign_props_cap;
mod campaign_props_input;
mod campaign_routes;
mod campaign_tables;
mod cli;
mod delivery;
mod delivery_crash;
mod delivery_rules;
mod errors;
mod i18n;
mod login;
mod ops;
mod panel;
mod panel_input;
mod panel_ledger;
mod panel_officials;
mod panel_push;
mod panel_synth;
mod polls;
mod storage;
mod surveys;
mod surveys_results;
