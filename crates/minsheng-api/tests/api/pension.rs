//! `POST pension/projection`: the projection `minsheng pension` gives, valid
//! against its OpenAPI component, and bad options as 422 naming the field.

use super::{http, json, server};

fn request(extra: serde_json::Value) -> Vec<u8> {
    let mut body = serde_json::json!({
        "situation": {"year": 2026, "persons": {"wang": {
            "birth_date": "1966-03-10", "retirement_group": "male",
            "contribution_months": 360, "average_contribution_index": 1, "personal_account_balance": 100000}}},
        "average_wage_growth": 0, "crediting_rate": "0", "price_growth": 0, "pension_rise": 0,
        "monthly_base": 10000, "average_wage": "10000", "pension_base": 10000
    });
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        b.extend(e.clone());
    }
    body.to_string().into_bytes()
}

#[test]
fn a_projection_is_served_as_the_library_computes_it() {
    let addr = server(2);
    let (status, _, body) = http(addr, "POST", "/api/v1/pension/projection", &request(serde_json::json!({})));
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let doc = json(&body);
    assert_eq!(doc["minsheng_projection"], "1.0");
    assert_eq!(doc["statutory_month"], "2026-07");
    let statutory =
        doc["points"].as_array().expect("points").iter().find(|p| p["statutory"] == true).expect("statutory");
    // The hand-checked case of minsheng-calc's tests: 3,050 + 766.64.
    assert_eq!(statutory["monthly"], "3816.64");
    assert_eq!(statutory["basic"], "3050.00");

    let (_, _, spec) = http(addr, "GET", "/api/v1/openapi.json", b"");
    let spec = json(&spec);
    let wrapper = serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": "#/components/schemas/Projection",
        "components": spec["components"],
    });
    let validator = jsonschema::validator_for(&wrapper).expect("a valid schema");
    let errors: Vec<String> = validator.iter_errors(&doc).take(3).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn bad_projection_requests_are_problems_naming_the_field() {
    let addr = server(2);
    for (extra, field) in [
        (serde_json::json!({"wage_growth": 2}), "projection.wage_growth"),
        (serde_json::json!({"crediting_rate": "abc"}), "crediting_rate"),
        (serde_json::json!({"monthly_base": -5}), "monthly_base"),
        (serde_json::json!({"person": "nobody"}), "projection.person"),
        (serde_json::json!({"to_age": 200}), "projection.to_age"),
    ] {
        let (status, _, body) = http(addr, "POST", "/api/v1/pension/projection", &request(extra.clone()));
        assert_eq!(status, 422, "{extra}: {}", String::from_utf8_lossy(&body));
        let doc = json(&body);
        assert_eq!(doc["errors"][0]["field"], field, "{extra}");
    }
    let (status, _, _) = http(addr, "POST", "/api/v1/pension/projection", br#"{"situation": 1, "nonsense": true}"#);
    assert_eq!(status, 400);
}
