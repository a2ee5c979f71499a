//! The rules of the panel. Nothing here names axum or sqlx.

pub mod alert;
pub mod atom;
pub mod audit;
pub mod cap;
pub mod desk;
pub mod desk_edit;
pub mod desk_report;
pub mod district;
pub mod email;
pub mod geo;
pub mod lifecycle;
pub mod official;
pub mod panel;
pub mod phone;
pub mod secret_token;
pub mod survey;
pub mod survey_example;
pub mod synth;

pub use email::Email;
pub use official::{Official, Role};
pub use phone::PhoneE164;
