//! A survey with one question of every type: the OpenAPI example, the demo's survey and the tests' fixture.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::survey::SurveyDef;

/// Every question type, with a condition (`q_other_mode` is shown only to those who chose "bike").
pub fn every_type(opens_at: DateTime<Utc>, closes_at: DateTime<Utc>) -> SurveyDef {
    let def = json!({
        "title": {"pl": "Transport w Krakowie", "en": "Transport in Kraków", "uk": "Транспорт у Кракові"},
        "intro": {"pl": "Pytamy, jak poruszasz się po mieście.", "en": "How do you get around the city?"},
        "opens_at": opens_at, "closes_at": closes_at,
        "questions": [
            {"id": "mode", "type": "single_choice", "required": true, "other": true,
             "text": {"pl": "Jak najczęściej dojeżdżasz?", "en": "How do you usually travel?"},
             "options": [
                {"value": "tram", "label": {"pl": "Tramwaj", "en": "Tram"}},
                {"value": "bus", "label": {"pl": "Autobus", "en": "Bus"}},
                {"value": "bike", "label": {"pl": "Rower", "en": "Bike"}},
                {"value": "car", "label": {"pl": "Samochód", "en": "Car"}}]},
            {"id": "bike_lanes", "type": "single_choice", "required": true,
             "show_if": {"question": "mode", "equals": ["bike"]},
             "text": {"pl": "Czy drogi rowerowe są bezpieczne?", "en": "Are the bike lanes safe?"},
             "options": [
                {"value": "yes", "label": {"pl": "Tak", "en": "Yes"}},
                {"value": "no", "label": {"pl": "Nie", "en": "No"}}]},
            {"id": "problems", "type": "multiple_choice", "min": 1, "max": 2, "required": true,
             "text": {"pl": "Co przeszkadza najbardziej? (1–2)", "en": "What bothers you most? (1–2)"},
             "options": [
                {"value": "crowds", "label": {"pl": "Tłok", "en": "Crowds"}},
                {"value": "delays", "label": {"pl": "Opóźnienia", "en": "Delays"}},
                {"value": "prices", "label": {"pl": "Ceny", "en": "Prices"}}]},
            {"id": "satisfaction", "type": "rating", "scale": 5, "required": true,
             "text": {"pl": "Jak oceniasz komunikację miejską?", "en": "How do you rate public transport?"},
             "low": {"pl": "Bardzo źle", "en": "Very poor"}, "high": {"pl": "Bardzo dobrze", "en": "Very good"}},
            {"id": "recommend", "type": "recommend", "required": false,
             "text": {"pl": "Czy poleciłbyś komunikację miejską znajomym?", "en": "Would you recommend public transport to a friend?"}},
            {"id": "priorities", "type": "ranking", "required": false,
             "text": {"pl": "Uszereguj inwestycje od najważniejszej", "en": "Rank the investments, most important first"},
             "options": [
                {"value": "metro", "label": {"pl": "Metro", "en": "Metro"}},
                {"value": "trams", "label": {"pl": "Nowe linie tramwajowe", "en": "New tram lines"}},
                {"value": "bikes", "label": {"pl": "Drogi rowerowe", "en": "Bike lanes"}}]},
            {"id": "minutes", "type": "number", "min": 0, "max": 300, "integer": true, "required": false,
             "text": {"pl": "Ile minut zajmuje Ci dojazd?", "en": "How many minutes is your commute?"}},
            {"id": "idea", "type": "short_text", "max_len": 200, "required": false,
             "text": {"pl": "Jeden pomysł w kilku słowach", "en": "One idea in a few words"}},
            {"id": "comment", "type": "long_text", "max_len": 2000, "required": false,
             "text": {"pl": "Co jeszcze chcesz nam powiedzieć?", "en": "Anything else you want to tell us?"}},
            {"id": "stops", "type": "matrix", "required": false,
             "text": {"pl": "Jak oceniasz przystanki?", "en": "How do you rate the stops?"},
             "rows": [
                {"value": "clean", "label": {"pl": "Czystość", "en": "Cleanliness"}},
                {"value": "info", "label": {"pl": "Informacja", "en": "Information"}}],
             "scale": [
                {"value": "bad", "label": {"pl": "Źle", "en": "Poor"}},
                {"value": "ok", "label": {"pl": "Średnio", "en": "Fair"}},
                {"value": "good", "label": {"pl": "Dobrze", "en": "Good"}}]}
        ]
    });
    serde_json::from_value(def).expect("the example survey is valid JSON for SurveyDef")
}
