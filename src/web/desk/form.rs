//! Reading a report's multipart body, shared by the page and the API.

use axum::{extract::Multipart, http::StatusCode};

use crate::{desk::report::ReportInput, web::error::AppError};

/// A multipart report: the API's fields in `input`, anything else (the page's own fields, or a misspelt one) in
/// `other`.
#[derive(Default)]
pub struct ReportForm {
    pub input: ReportInput,
    pub other: Vec<(String, String)>,
}

impl ReportForm {
    pub fn other(&self, name: &str) -> Option<&str> {
        self.other.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

fn bad(e: axum::extract::multipart::MultipartError) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::PayloadTooLarge
    } else {
        AppError::BadForm(Some(e.body_text()))
    }
}

/// Reads every part. An empty file part (a form sent with no file chosen) is no photo.
pub async fn read(mut multipart: Multipart) -> Result<ReportForm, AppError> {
    let mut form = ReportForm::default();
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or("").to_string();
        if name == "photo" {
            let bytes = field.bytes().await.map_err(bad)?;
            if !bytes.is_empty() {
                form.input.photos.push(bytes.to_vec());
            }
            continue;
        }
        let value = field.text().await.map_err(bad)?;
        let i = &mut form.input;
        match name.as_str() {
            "service_code" => i.service_code = Some(value),
            "description" => i.description = Some(value),
            "lat" => i.lat = Some(value),
            "long" => i.long = Some(value),
            "address" => i.address = Some(value),
            "email" => i.email = Some(value),
            "phone" => i.phone = Some(value),
            "public" => i.public = Some(value),
            n if n.starts_with("attribute[") && n.ends_with(']') => {
                i.attributes.push((n["attribute[".len()..n.len() - 1].to_string(), value));
            }
            _ => form.other.push((name, value)),
        }
    }
    Ok(form)
}
