use chrono::Duration;
use serde_json::json;

use super::*;

fn def() -> SurveyDef {
    let now = Utc::now();
    super::super::survey_example::every_type(now, now + Duration::days(14))
}

fn answers(v: Value) -> serde_json::Map<String, Value> {
    v.as_object().unwrap().clone()
}

fn fields(r: Result<BTreeMap<String, Answer>, Vec<Issue>>) -> Vec<(String, &'static str)> {
    r.unwrap_err().into_iter().map(|i| (i.field, i.key)).collect()
}

#[test]
fn the_example_is_a_valid_survey_with_every_type() {
    let d = def();
    assert_eq!(d.validate(), vec![]);
    let types: std::collections::BTreeSet<_> = d.questions.iter().map(|q| q.kind.name()).collect();
    assert_eq!(types.len(), 9);
}

#[test]
fn a_complete_response_checks_and_tallies() {
    let d = def();
    let a = d
        .check_answers(&answers(json!({
            "mode": "bike", "bike_lanes": "no", "problems": ["delays", "crowds"], "satisfaction": 4,
            "recommend": "9", "priorities": ["bikes", "metro", "trams"], "minutes": 25, "idea": " More trams ",
            "comment": "", "stops": {"clean": "ok", "info": "good"}
        })))
        .unwrap();
    assert_eq!(a["idea"], Answer::Text("More trams".into()));
    assert_eq!(a["recommend"].tally_keys(), vec!["9"]);
    assert_eq!(a["priorities"].tally_keys(), vec!["bikes@1", "metro@2", "trams@3"]);
    assert_eq!(a["stops"].tally_keys(), vec!["clean=ok", "info=good"]);
    assert!(!a.contains_key("comment"), "an empty optional text is not an answer");
}

#[test]
fn every_kind_of_wrong_answer_is_named() {
    let d = def();
    let got = fields(d.check_answers(&answers(json!({
        "mode": "plane", "problems": ["crowds", "delays", "prices"], "satisfaction": 6, "recommend": 3.5,
        "priorities": ["metro", "metro", "bikes"], "minutes": 301, "idea": "x".repeat(201),
        "stops": {"clean": "ok"}, "nope": 1
    }))));
    for (field, key) in [
        ("nope", "answer-error-unknown-question"),
        ("mode", "answer-error-no-such-option"),
        ("problems", "answer-error-count"),
        ("satisfaction", "answer-error-range"),
        ("recommend", "answer-error-range"),
        ("priorities", "answer-error-ranking"),
        ("minutes", "answer-error-range"),
        ("idea", "answer-error-too-long"),
        ("stops", "answer-error-matrix-rows"),
    ] {
        assert!(got.contains(&(field.to_string(), key)), "{field}/{key} not in {got:?}");
    }
}

#[test]
fn conditions_hide_and_require() {
    let d = def();
    let base = json!({"problems": ["prices"], "satisfaction": 3});
    let mut bike = base.clone();
    bike["mode"] = json!("bike");
    assert_eq!(fields(d.check_answers(&answers(bike))), vec![("bike_lanes".into(), "answer-error-required")]);
    let mut tram = base.clone();
    tram["mode"] = json!("tram");
    tram["bike_lanes"] = json!("yes");
    assert_eq!(fields(d.check_answers(&answers(tram))), vec![("bike_lanes".into(), "answer-error-hidden")]);
    let mut other = base;
    other["mode"] = json!({"other": "kayak"});
    assert!(d.check_answers(&answers(other)).is_ok());
}

#[test]
fn bad_questionnaires_are_refused() {
    let mut d = def();
    d.title = Text::default();
    d.questions[1].show_if = Some(Condition { question: "later".into(), equals: vec!["x".into()] });
    d.questions[2].kind = QuestionKind::MultipleChoice { options: vec![], min: 3, max: 1 };
    d.questions[3].id = "mode".into();
    let keys: Vec<_> = d.validate().into_iter().map(|i| (i.field, i.key)).collect();
    for (field, key) in [
        ("title", "survey-error-polish-required"),
        ("questions.1.show_if", "survey-error-condition"),
        ("questions.2.options", "survey-error-options"),
        ("questions.2.max", "survey-error-min-max"),
        ("questions.3.id", "survey-error-key"),
    ] {
        assert!(keys.contains(&(field.to_string(), key)), "{field}/{key} not in {keys:?}");
    }
}
