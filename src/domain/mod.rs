//! The rules of the panel. Nothing here names axum or sqlx.

pub mod audit;
pub mod district;
pub mod email;
pub mod official;
pub mod secret_token;

pub use email::Email;
pub use official::{Official, Role};
