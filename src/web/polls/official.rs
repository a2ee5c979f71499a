//! The officials' poll pages: the list with the create form, a poll's page with its results, closing early.

use super::*;
use crate::{core::CoreError, web::error::refusal_status};
// ---------------------------------------------------------------------------------------------------------------
// Officials' pages.

/// The create form's fields, as the browser sends them. Option rows repeat `option_pl`/`option_en`/`option_uk`.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct PollForm {
    pub question_pl: String,
    pub question_en: String,
    pub question_uk: String,
    pub option_pl: Vec<String>,
    pub option_en: Vec<String>,
    pub option_uk: Vec<String>,
    pub audience: String,
    /// `datetime-local` values in the city's time zone; `opens` empty means now.
    pub opens: String,
    pub closes: String,
}

/// A `datetime-local` value (`2026-12-01T12:00`) in the city's zone.
pub(super) fn parse_local(value: &str, tz: chrono_tz::Tz) -> Option<DateTime<Utc>> {
    crate::config::parse_local(value, tz).map(|t| t.with_timezone(&Utc))
}

pub(super) fn optional(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

impl PollForm {
    fn blank(tz: chrono_tz::Tz) -> Self {
        let closes = (Utc::now() + chrono::Duration::days(7)).with_timezone(&tz).format("%Y-%m-%dT%H:%M").to_string();
        Self { audience: "public".into(), closes, ..Self::default() }
    }

    /// Validates the form into a new poll; every problem is named by its field.
    pub fn validate(&self, tz: chrono_tz::Tz, now: DateTime<Utc>, author_id: i64) -> Result<NewPoll, Vec<FieldError>> {
        let mut errors = Vec::new();
        let question = PollText {
            pl: self.question_pl.trim().to_string(),
            en: optional(&self.question_en),
            uk: optional(&self.question_uk),
        };
        if question.pl.is_empty() {
            errors.push(FieldError::new("question.pl", "poll-error-question-pl"));
        }
        for (field, text) in [
            ("question.pl", Some(&question.pl)),
            ("question.en", question.en.as_ref()),
            ("question.uk", question.uk.as_ref()),
        ] {
            if text.is_some_and(|t| t.chars().count() > MAX_QUESTION_CHARS) {
                errors.push(FieldError::new(field, "poll-error-question-long"));
            }
        }
        let rows = self.option_pl.len().max(self.option_en.len()).max(self.option_uk.len());
        let cell = |v: &Vec<String>, i: usize| v.get(i).map(|s| s.trim().to_string()).unwrap_or_default();
        let mut options: Vec<PollText> = Vec::new();
        for i in 0..rows {
            let (pl, en, uk) = (cell(&self.option_pl, i), cell(&self.option_en, i), cell(&self.option_uk, i));
            if pl.is_empty() && en.is_empty() && uk.is_empty() {
                continue;
            }
            let n = i + 1;
            if pl.is_empty() {
                errors.push(FieldError::new(&format!("options.{n}.pl"), "poll-error-option-pl"));
                continue;
            }
            for (lang, text) in [("pl", &pl), ("en", &en), ("uk", &uk)] {
                if text.chars().count() > MAX_OPTION_CHARS {
                    errors.push(FieldError::new(&format!("options.{n}.{lang}"), "poll-error-option-long"));
                }
            }
            if options.iter().any(|o| o.pl.to_lowercase() == pl.to_lowercase()) {
                errors.push(FieldError::new(&format!("options.{n}.pl"), "poll-error-option-duplicate"));
            }
            options.push(PollText { pl, en: optional(&en), uk: optional(&uk) });
        }
        if options.len() < MIN_OPTIONS && !errors.iter().any(|e| e.field.starts_with("options.")) {
            errors.push(FieldError::new("options", "poll-error-options-few"));
        }
        if options.len() > MAX_OPTIONS {
            errors.push(FieldError::new("options", "poll-error-options-many"));
        }
        let audience = Audience::parse(self.audience.trim());
        if audience.is_none() {
            errors.push(FieldError::new("audience", "poll-error-audience"));
        }
        let opens_at = if self.opens.trim().is_empty() {
            Some(now)
        } else {
            let t = parse_local(&self.opens, tz);
            if t.is_none() {
                errors.push(FieldError::new("opens", "poll-error-time"));
            }
            t
        };
        let closes_at = if self.closes.trim().is_empty() {
            errors.push(FieldError::new("closes", "poll-error-closes-missing"));
            None
        } else {
            let t = parse_local(&self.closes, tz);
            match (t, opens_at) {
                (None, _) => errors.push(FieldError::new("closes", "poll-error-time")),
                (Some(c), _) if c <= now => errors.push(FieldError::new("closes", "poll-error-closes-past")),
                (Some(c), Some(o)) if c <= o => errors.push(FieldError::new("closes", "poll-error-closes-before")),
                _ => {}
            }
            t
        };
        match (errors.is_empty(), audience, opens_at, closes_at) {
            (true, Some(audience), Some(opens_at), Some(closes_at)) => {
                Ok(NewPoll { question, options, audience, opens_at, closes_at, author_id, created_at: now })
            }
            _ => Err(errors),
        }
    }
}

#[derive(Serialize)]
pub(super) struct OptionRowView {
    n: usize,
    pl: String,
    en: String,
    uk: String,
}

#[derive(Serialize)]
pub(super) struct OfficialListPage {
    #[serde(flatten)]
    chrome: Chrome,
    polls: Vec<PollView>,
    can_create: bool,
    form: PollForm,
    rows: Vec<OptionRowView>,
    errors: Vec<FieldError>,
}

pub(super) async fn render_official_list(
    state: &AppState,
    ctx: &RequestContext,
    form: PollForm,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let polls = state.store.list_polls(200).await?.iter().map(|p| poll_view(state, ctx.lang, p)).collect();
    let cell = |v: &Vec<String>, i: usize| v.get(i).cloned().unwrap_or_default();
    let rows = (0..MAX_OPTIONS)
        .map(|i| OptionRowView {
            n: i + 1,
            pl: cell(&form.option_pl, i),
            en: cell(&form.option_en, i),
            uk: cell(&form.option_uk, i),
        })
        .collect();
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = OfficialListPage {
        chrome: Chrome::new(ctx, "polls-official-title"),
        polls,
        can_create: ctx.official()?.has(Role::Editor),
        form,
        rows,
        errors,
    };
    Ok((status, state.templates.page("pages/polls/official-list", &page)?).into_response())
}

pub(super) async fn official_list(State(state): State<AppState>, ctx: RequestContext) -> Result<Response, AppError> {
    let form = PollForm::blank(state.config.time_zone());
    render_official_list(&state, &ctx, form, Vec::new()).await
}

pub(super) async fn official_create(
    State(state): State<AppState>,
    ctx: RequestContext,
    CsrfForm(form): CsrfForm<PollForm>,
) -> Result<Response, AppError> {
    let official = ctx.official()?;
    match form.validate(state.config.time_zone(), Utc::now(), official.id) {
        Ok(new) => {
            let id = crate::polls::create(&state, official, &new).await?;
            Ok(Redirect::to(&format!("/official/polls/{id}")).into_response())
        }
        Err(errors) => render_official_list(&state, &ctx, form, errors).await,
    }
}

#[derive(Serialize)]
pub(super) struct OfficialShowPage {
    #[serde(flatten)]
    chrome: Chrome,
    poll: PollView,
    author: String,
    results: ResultsView,
    can_close: bool,
    notice: Option<Notice>,
}

pub(super) async fn official_show(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    render_official_show(&state, &ctx, &load(&state, id).await?, None).await
}

pub(super) async fn render_official_show(
    state: &AppState,
    ctx: &RequestContext,
    poll: &PollRecord,
    refused: Option<(StatusCode, &'static str)>,
) -> Result<Response, AppError> {
    let page = OfficialShowPage {
        chrome: Chrome::new(ctx, "poll-official-title"),
        poll: poll_view(state, ctx.lang, poll),
        author: poll.author_name.clone(),
        results: results(state, ctx.lang, poll).await?,
        can_close: ctx.official()?.has(Role::Editor) && poll.state(Utc::now()) != PollState::Closed,
        notice: refused.map(|(_, key)| Notice { alert: true, ..Notice::info(key) }),
    };
    let status = refused.map(|(s, _)| s).unwrap_or(StatusCode::OK);
    Ok((status, state.templates.page("pages/polls/official-show", &page)?).into_response())
}

/// A form with nothing but its CSRF token.
#[derive(Deserialize)]
pub(super) struct NoFields {}

pub(super) async fn official_close(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<Response, AppError> {
    let official = ctx.official()?;
    let poll = load(&state, id).await?;
    match crate::polls::close(&state, official, id).await {
        Ok(()) => Ok(Redirect::to(&format!("/official/polls/{id}")).into_response()),
        Err(CoreError::Refused { kind, reason }) => {
            render_official_show(&state, &ctx, &poll, Some((refusal_status(kind), reason))).await
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> PollForm {
        PollForm {
            question_pl: " Czy zamknąć Rynek dla rowerów? ".into(),
            option_pl: vec!["Tak".into(), "".into(), "Nie".into(), "".into()],
            option_en: vec!["Yes".into(), "".into(), "No".into(), "".into()],
            option_uk: vec!["".into(); 4],
            audience: "public".into(),
            closes: "2099-01-01T12:00".into(),
            ..PollForm::default()
        }
    }

    #[test]
    fn a_valid_form_becomes_a_poll() {
        let now = Utc::now();
        let p = form().validate(chrono_tz::Europe::Warsaw, now, 7).unwrap();
        assert_eq!(p.question.pl, "Czy zamknąć Rynek dla rowerów?");
        assert_eq!(p.options.len(), 2, "empty rows are skipped");
        assert_eq!(p.options[1].en.as_deref(), Some("No"));
        assert_eq!(p.options[1].uk, None);
        assert_eq!(p.opens_at, now);
        assert_eq!(p.closes_at.to_rfc3339(), "2099-01-01T11:00:00+00:00");
    }

    #[test]
    fn every_problem_is_named() {
        let fields = |f: PollForm| -> Vec<String> {
            f.validate(chrono_tz::Europe::Warsaw, Utc::now(), 1).unwrap_err().into_iter().map(|e| e.field).collect()
        };
        assert_eq!(fields(PollForm { question_pl: " ".into(), ..form() }), ["question.pl"]);
        assert_eq!(fields(PollForm { option_pl: vec!["Tak".into()], option_en: vec![], ..form() }), ["options"]);
        assert_eq!(
            fields(PollForm {
                option_pl: vec!["Tak".into(), "".into(), "Nie".into()],
                option_en: vec!["".into(), "Yes".into(), "".into()],
                ..form()
            }),
            ["options.2.pl"]
        );
        assert_eq!(
            fields(PollForm { option_pl: vec!["Tak".into(), "tak".into()], option_en: vec![], ..form() }),
            ["options.2.pl"]
        );
        assert_eq!(
            fields(PollForm { option_pl: vec!["x".into(); 11], option_en: vec![], ..form() }).last().unwrap(),
            "options"
        );
        assert_eq!(fields(PollForm { audience: "everyone".into(), ..form() }), ["audience"]);
        assert_eq!(fields(PollForm { closes: "".into(), ..form() }), ["closes"]);
        assert_eq!(fields(PollForm { closes: "tomorrow".into(), ..form() }), ["closes"]);
        assert_eq!(fields(PollForm { closes: "2001-01-01T12:00".into(), ..form() }), ["closes"]);
        assert_eq!(fields(PollForm { opens: "2099-02-01T12:00".into(), ..form() }), ["closes"]);
        assert_eq!(fields(PollForm { question_en: "x".repeat(301), ..form() }), ["question.en"]);
    }

    #[test]
    fn percentages_round_to_whole_numbers() {
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(2, 3), 67);
        assert_eq!(percent(0, 0), 0);
    }
}
