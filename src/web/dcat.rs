//! The open data catalogue as DCAT-AP JSON-LD (`GET /open-data/catalog.jsonld`), so the national open data portal
//! (dane.gov.pl) and any DCAT harvester can list what `/open-data` offers: the reports of the intervention desk and
//! every published survey, each with its files (CSV with its CSVW metadata, JSON), licence CC BY 4.0, titles and
//! descriptions in Polish, English and Ukrainian. Built from the same lists as the `/open-data` page.

use axum::{
    Json,
    extract::State,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

use crate::{
    i18n::{self, Lang},
    web::{AppState, error::AppError},
};

const LICENCE: &str = "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0";
const FORMAT: &str = "http://publications.europa.eu/resource/authority/file-type/";

/// One file of a dataset.
pub struct File {
    pub url: String,
    /// `CSV`, `JSON` (the EU file-type vocabulary's code).
    pub format: &'static str,
    pub media_type: &'static str,
}

/// One dataset: titles and descriptions per language, the page that presents it, its files.
pub struct Dataset {
    pub id: String,
    pub titles: Vec<(Lang, String)>,
    pub descriptions: Vec<(Lang, String)>,
    pub landing_page: String,
    pub modified: Option<DateTime<Utc>>,
    pub keywords: Vec<(Lang, String)>,
    pub files: Vec<File>,
}

fn texts(list: &[(Lang, String)]) -> Value {
    list.iter().map(|(lang, text)| json!({"@value": text, "@language": lang.code()})).collect()
}

fn in_every_language(key: &str) -> Vec<(Lang, String)> {
    Lang::ALL.iter().map(|l| (*l, i18n::t(*l, key))).collect()
}

/// The catalogue of `datasets` published at `base` (the site's public address, no trailing slash).
pub fn catalog(base: &str, datasets: &[Dataset]) -> Value {
    let publisher = json!({
        "@type": "foaf:Agent",
        "foaf:name": texts(&in_every_language("cap-sender-name")),
    });
    let datasets: Vec<Value> = datasets
        .iter()
        .map(|d| {
            let files: Vec<Value> = d
                .files
                .iter()
                .map(|f| {
                    json!({
                        "@id": f.url, "@type": "dcat:Distribution",
                        "dcat:accessURL": {"@id": f.url}, "dcat:downloadURL": {"@id": f.url},
                        "dcat:mediaType": f.media_type, "dct:format": {"@id": format!("{FORMAT}{}", f.format)},
                        "dct:license": {"@id": LICENCE},
                    })
                })
                .collect();
            let mut dataset = json!({
                "@id": d.id, "@type": "dcat:Dataset", "dct:identifier": d.id,
                "dct:title": texts(&d.titles), "dct:description": texts(&d.descriptions),
                "dcat:keyword": texts(&d.keywords), "dcat:landingPage": {"@id": d.landing_page},
                "dct:publisher": publisher, "dct:license": {"@id": LICENCE},
                "dcat:distribution": files,
            });
            if let Some(m) = d.modified {
                dataset["dct:modified"] =
                    json!({"@value": m.to_rfc3339_opts(SecondsFormat::Secs, true), "@type": "xsd:dateTime"});
            }
            dataset
        })
        .collect();
    json!({
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": format!("{base}/open-data/catalog.jsonld"),
        "@type": "dcat:Catalog",
        "dct:title": texts(&in_every_language("open-data-title")),
        "dct:description": texts(&in_every_language("open-data-catalog-description")),
        "dct:publisher": publisher,
        "dct:license": {"@id": LICENCE},
        "foaf:homepage": {"@id": format!("{base}/open-data")},
        "dcat:dataset": datasets,
    })
}

/// `GET /open-data/catalog.jsonld`.
pub(crate) async fn catalog_jsonld(State(state): State<AppState>) -> Result<Response, AppError> {
    let base = state.config.public_url.as_str().trim_end_matches('/').to_string();
    let mut datasets = vec![Dataset {
        id: format!("{base}/open-data/reports"),
        titles: in_every_language("desk-open-data-heading"),
        descriptions: in_every_language("desk-open-data-intro"),
        landing_page: format!("{base}/reports"),
        modified: None,
        keywords: in_every_language("open-data-keyword-reports"),
        files: vec![
            File { url: format!("{base}/open-data/reports.csv"), format: "CSV", media_type: "text/csv" },
            File {
                url: format!("{base}/open-data/reports.csv-metadata.json"),
                format: "JSON_LD",
                media_type: "application/csvm+json",
            },
            File { url: format!("{base}/open-data/reports.json"), format: "JSON", media_type: "application/json" },
        ],
    }];
    for s in state.store.list_surveys().await? {
        let Some(published) = s.publication.published_at else { continue };
        let file = |ext: &str| format!("{base}/open-data/surveys/{}.{ext}", s.id);
        datasets.push(Dataset {
            id: format!("{base}/open-data/surveys/{}", s.id),
            titles: Lang::ALL.iter().map(|l| (*l, s.def.title.get(l.code()).to_string())).collect(),
            descriptions: in_every_language("open-data-intro"),
            landing_page: format!("{base}/consultations/{}", s.id),
            modified: Some(published),
            keywords: in_every_language("open-data-keyword-surveys"),
            files: vec![
                File { url: file("csv"), format: "CSV", media_type: "text/csv" },
                File { url: file("csv-metadata.json"), format: "JSON_LD", media_type: "application/csvm+json" },
                File { url: file("json"), format: "JSON", media_type: "application/json" },
            ],
        });
    }
    let mut res = Json(catalog(&base, &datasets)).into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/ld+json"));
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_catalogue_names_each_dataset_its_files_and_licence_in_three_languages() {
        let d = Dataset {
            id: "https://x.example/open-data/reports".into(),
            titles: vec![(Lang::Pl, "Zgłoszenia".into()), (Lang::En, "Reports".into())],
            descriptions: vec![(Lang::Pl, "Opis".into())],
            landing_page: "https://x.example/reports".into(),
            modified: None,
            keywords: vec![],
            files: vec![File { url: "https://x.example/r.csv".into(), format: "CSV", media_type: "text/csv" }],
        };
        let c = catalog("https://x.example", &[d]);
        assert_eq!(c["@type"], "dcat:Catalog");
        assert_eq!(c["dct:title"].as_array().unwrap().len(), 3, "{c}");
        let ds = &c["dcat:dataset"][0];
        assert_eq!(ds["dct:title"][1], json!({"@value": "Reports", "@language": "en"}));
        assert_eq!(ds["dcat:distribution"][0]["dcat:downloadURL"]["@id"], "https://x.example/r.csv");
        assert_eq!(ds["dcat:distribution"][0]["dct:format"]["@id"], format!("{FORMAT}CSV"));
        assert_eq!(ds["dct:license"]["@id"], LICENCE);
        assert!(ds.get("dct:modified").is_none());
    }
}
