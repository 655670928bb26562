//! `POST pension/projection`: a person's pension projected to retirement
//! (`minsheng_calc::projection`), every month of the elastic window side by
//! side, as `minsheng pension --format json` gives it.

use std::sync::Arc;

use axum::Json as JsonBody;
use axum::body::Bytes;
use axum::extract::State;
use minsheng_calc::projection::{Options, ProjectionError, Scheme, project};
use minsheng_core::situation::Format;
use minsheng_core::{InputError, Money};
use rust_decimal::Decimal;
use serde_json::Value as Json;

use crate::{AppState, Problem, blocking};

/// A projection request: the situation holding the person, and the options
/// of `minsheng pension` (rates as decimal fractions, amounts in yuan; each a
/// JSON number or a decimal string).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Request {
    situation: Json,
    person: Option<String>,
    #[serde(default)]
    scheme: SchemeAsk,
    wage_growth: Option<Number>,
    average_wage_growth: Option<Number>,
    pension_base_growth: Option<Number>,
    crediting_rate: Option<Number>,
    price_growth: Option<Number>,
    pension_rise: Option<Number>,
    to_age: Option<u32>,
    monthly_base: Option<Number>,
    average_wage: Option<Number>,
    pension_base: Option<Number>,
    resident_contribution: Option<Number>,
    resident_subsidy: Option<Number>,
    resident_top_up: Option<Number>,
}

#[derive(serde::Deserialize, Default)]
#[serde(rename_all = "snake_case")]
enum SchemeAsk {
    #[default]
    Employee,
    Resident,
}

/// A number given as JSON or as a decimal string, kept as its text.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Number {
    Text(String),
    Number(serde_json::Number),
}

fn decimal(field: &str, n: Option<Number>) -> Result<Option<Decimal>, InputError> {
    let Some(n) = n else { return Ok(None) };
    let text = match n {
        Number::Text(t) => t,
        Number::Number(n) => n.to_string(),
    };
    text.trim().parse::<Decimal>().map(Some).map_err(|_| {
        InputError::new(field, &text, "a decimal number, e.g. 0.03 or \"12000\"").zh("十进制数，例如 0.03 或 \"12000\"")
    })
}

fn yuan(field: &str, n: Option<Number>) -> Result<Option<Money>, InputError> {
    decimal(field, n)?
        .map(|d| {
            Money::from_decimal(d).ok().filter(|m| !m.is_negative()).ok_or_else(|| {
                InputError::new(field, d, "an amount in yuan, not negative, to the fen")
                    .zh("以元计的非负金额，精确到分")
            })
        })
        .transpose()
}

fn options(r: Request) -> Result<(Json, Options), InputError> {
    let options = Options {
        person: r.person,
        scheme: match r.scheme {
            SchemeAsk::Employee => Scheme::Employee,
            SchemeAsk::Resident => Scheme::Resident,
        },
        wage_growth: decimal("wage_growth", r.wage_growth)?,
        average_wage_growth: decimal("average_wage_growth", r.average_wage_growth)?,
        pension_base_growth: decimal("pension_base_growth", r.pension_base_growth)?,
        crediting_rate: decimal("crediting_rate", r.crediting_rate)?,
        price_growth: decimal("price_growth", r.price_growth)?,
        pension_rise: decimal("pension_rise", r.pension_rise)?,
        to_age: r.to_age,
        monthly_base: yuan("monthly_base", r.monthly_base)?,
        average_wage: yuan("average_wage", r.average_wage)?,
        pension_base: yuan("pension_base", r.pension_base)?,
        resident_contribution: yuan("resident_contribution", r.resident_contribution)?,
        resident_subsidy: yuan("resident_subsidy", r.resident_subsidy)?,
        resident_top_up: yuan("resident_top_up", r.resident_top_up)?,
    };
    Ok((r.situation, options))
}

/// `POST pension/projection`.
pub(crate) async fn projection(State(state): State<Arc<AppState>>, body: Bytes) -> Result<JsonBody<Json>, Problem> {
    let request: Request = serde_json::from_slice(&body).map_err(|e| {
        Problem::bad_request(format!(
            "the body is not a projection request {{\"situation\": {{…}}, \"person\": …, \"wage_growth\": …}}: {e}"
        ))
    })?;
    let (situation, options) = options(request).map_err(|e| Problem::invalid(vec![e]))?;
    blocking(&state, move |state| {
        let book = &state.book;
        let situation = book.read_situation(&situation.to_string(), Format::Json).map_err(Problem::invalid)?;
        let projection = project(book, &situation, &options).map_err(|e| match e {
            ProjectionError::Input(errors) => Problem::invalid(errors),
            ProjectionError::Unknown(u) => {
                let field = u.field.clone().or_else(|| u.parameter.clone()).unwrap_or_default();
                let rule = format!("{}; {}", u.reason.en, u.remedy_en());
                Problem::invalid(vec![InputError::new(field, "(unknown)", rule).zh(format!(
                    "{}；{}",
                    u.reason.zh,
                    u.remedy_zh()
                ))])
            }
            ProjectionError::Rules(e) => Problem::internal(e),
        })?;
        let mut doc = serde_json::to_value(&projection).map_err(|e| Problem::internal(e.to_string()))?;
        doc["minsheng_projection"] = Json::String("1.0".into());
        Ok(JsonBody(doc))
    })
    .await
}
