//! The OpenAPI 3.1 description of the API (`GET /api/v1/openapi.json`),
//! built from the same JSON Schemas the documents are validated against
//! ([`minsheng_calc::schema`]), so it cannot drift from what is served.

use minsheng_core::Registry;
use serde_json::{Map, Value as Json, json};

/// Moves a JSON Schema's `$defs` into `components` under `prefix_…` names and
/// points its `$ref`s there.
fn adopt(mut schema: Json, prefix: &str, components: &mut Map<String, Json>) -> Json {
    fn rewrite(v: &mut Json, prefix: &str) {
        match v {
            Json::Object(map) => {
                if let Some(Json::String(r)) = map.get_mut("$ref")
                    && let Some(name) = r.strip_prefix("#/$defs/")
                {
                    *r = format!("#/components/schemas/{prefix}_{name}");
                }
                map.values_mut().for_each(|v| rewrite(v, prefix));
            }
            Json::Array(items) => items.iter_mut().for_each(|v| rewrite(v, prefix)),
            _ => {}
        }
    }
    rewrite(&mut schema, prefix);
    if let Json::Object(map) = &mut schema {
        map.remove("$schema");
        map.remove("$id");
        if let Some(Json::Object(defs)) = map.remove("$defs") {
            for (name, def) in defs {
                components.insert(format!("{prefix}_{name}"), def);
            }
        }
    }
    schema
}

fn ok(description: &str, schema: &str) -> Json {
    json!({"description": description, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}})
}

fn problem(description: &str) -> Json {
    json!({"description": description, "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}})
}

fn query(name: &str, description: &str, required: bool) -> Json {
    json!({"name": name, "in": "query", "required": required, "description": description, "schema": {"type": "string"}})
}

/// The OpenAPI document.
pub fn document(registry: &Registry) -> Json {
    let mut components = Map::new();
    let situation = adopt(minsheng_calc::schema::situation(registry), "Situation", &mut components);
    let calculation = adopt(minsheng_calc::schema::calculation(registry), "Calculation", &mut components);
    let errors = adopt(minsheng_calc::schema::errors(), "Errors", &mut components);
    components.insert("Situation".into(), situation);
    components.insert("Calculation".into(), calculation);
    components.insert("ErrorDocument".into(), errors);
    components.insert(
        "Problem".into(),
        json!({
            "type": "object",
            "description": "RFC 9457 problem details, with the shared input errors",
            "required": ["title", "status", "detail", "errors"],
            "properties": {
                "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                "detail": {"type": "string"}, "schema_version": {"type": "string"},
                "request_id": {"type": "string", "description": "the request's x-request-id, as the logs name it"},
                "errors": {"$ref": "#/components/schemas/ErrorDocument/properties/errors"}
            }
        }),
    );
    components.insert(
        "CalculateRequest".into(),
        json!({
            "type": "object",
            "required": ["situation"],
            "additionalProperties": false,
            "properties": {
                "situation": {"$ref": "#/components/schemas/Situation"},
                "outputs": {"type": "array", "items": {"type": "string"}, "description": "computed variables to report (default: all)"},
                "reforms": {"type": "array", "items": {"$ref": "#/components/schemas/ReformRef"}},
                "explain": {"type": "array", "maxItems": 20, "description": "figures to explain under every scenario", "items": {
                    "type": "object", "required": ["variable"], "additionalProperties": false,
                    "properties": {
                        "variable": {"type": "string"},
                        "entity": {"type": "string", "description": "person or household id (default: the first)"},
                        "period": {"type": "string", "description": "YYYY-MM for a monthly variable; the year otherwise"},
                        "depth": {"type": "integer", "minimum": 0, "maximum": 64, "default": 6}
                    }
                }},
                "axes": {
                    "type": "object", "required": ["input", "from", "to", "step"], "additionalProperties": false,
                    "description": "one money input of one person set for the whole year to each value from `from` to `to` by `step` (at most 201 points); needs `outputs`",
                    "properties": {
                        "person": {"type": "string"}, "input": {"type": "string"},
                        "from": {"$ref": "#/components/schemas/Situation_amount_in"},
                        "to": {"$ref": "#/components/schemas/Situation_amount_in"},
                        "step": {"$ref": "#/components/schemas/Situation_amount_in"}
                    }
                }
            }
        }),
    );
    components.insert(
        "ReformRef".into(),
        json!({"description": "a shipped reform's name (GET /api/v1/reforms), or a reform file's content as an object",
               "oneOf": [{"type": "string"}, {"type": "object", "required": ["name", "label", "changes"]}]}),
    );
    let rate = json!({"anyOf": [{"type": "number"}, {"type": "string"}], "description": "a rate a year, as a decimal fraction from -0.5 to 0.5"});
    let amount = json!({"$ref": "#/components/schemas/Situation_amount_in"});
    components.insert(
        "ProjectionRequest".into(),
        json!({
            "type": "object", "required": ["situation"], "additionalProperties": false,
            "description": "the options of `minsheng pension`; each assumption not given takes its default, which the answer states",
            "properties": {
                "situation": {"$ref": "#/components/schemas/Situation"},
                "person": {"type": "string", "description": "the person projected (default: the first)"},
                "scheme": {"enum": ["employee", "resident"], "default": "employee"},
                "wage_growth": rate, "average_wage_growth": rate, "pension_base_growth": rate,
                "crediting_rate": rate, "price_growth": rate, "pension_rise": rate,
                "to_age": {"type": "integer", "minimum": 50, "maximum": 110},
                "monthly_base": amount, "average_wage": amount, "pension_base": amount,
                "resident_contribution": amount, "resident_subsidy": amount, "resident_top_up": amount
            }
        }),
    );
    let money = json!({"type": "string", "pattern": "^-?[0-9]+\\.[0-9]{2}$"});
    let month = json!({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"});
    let label = json!({"type": "object", "required": ["zh", "en"], "properties": {"zh": {"type": "string"}, "en": {"type": "string"}}});
    components.insert(
        "Projection".into(),
        json!({
            "type": "object",
            "required": ["minsheng_projection", "person", "scheme", "statutory_month", "record", "assumptions", "to_age", "points", "notices", "confidence", "uncertain"],
            "properties": {
                "minsheng_projection": {"const": "1.0"},
                "person": {"type": "string"},
                "scheme": {"enum": ["employee", "resident"]},
                "statutory_month": month,
                "window": {"anyOf": [{"type": "null"}, {"type": "array", "items": month, "minItems": 2, "maxItems": 2}]},
                "record": {"type": "object", "required": ["from", "contribution_months"], "properties": {
                    "from": month, "contribution_months": {"type": "integer"},
                    "account_balance": {"anyOf": [money, {"type": "null"}]},
                    "monthly_base": money, "average_wage": money, "pension_base": money}},
                "assumptions": {"type": "array", "items": {"type": "object", "required": ["name", "value", "label", "source"],
                    "properties": {"name": {"type": "string"}, "value": {"type": "string"}, "label": label, "source": {"type": "string"}}}},
                "to_age": {"type": "integer"},
                "points": {"type": "array", "items": {"type": "object",
                    "required": ["retirement_month", "age", "statutory", "eligible", "contribution_months", "account_balance",
                                 "basic", "account", "transitional", "monthly", "monthly_today", "cumulative", "cumulative_today"],
                    "properties": {
                        "retirement_month": month,
                        "age": {"type": "object", "properties": {"years": {"type": "integer"}, "months": {"type": "integer"}}},
                        "statutory": {"type": "boolean"}, "eligible": {"type": "boolean"},
                        "contribution_months": {"type": "integer"},
                        "average_index": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                        "account_balance": money, "pension_base": {"anyOf": [money, {"type": "null"}]},
                        "basic": money, "account": money, "transitional": money, "monthly": money,
                        "monthly_today": money, "cumulative": money, "cumulative_today": money
                    }}},
                "notices": {"type": "array", "items": label},
                "confidence": {"enum": ["high", "medium", "low"]},
                "uncertain": {"type": "array", "items": {"type": "object", "required": ["parameter", "from", "confidence", "document"]}}
            }
        }),
    );
    components.insert(
        "SimulationRequest".into(),
        json!({
            "type": "object", "required": ["year"], "additionalProperties": false,
            "properties": {
                "year": {"type": "integer"},
                "persons": {"type": "integer", "minimum": 1, "default": 100000},
                "seed": {"type": "integer", "minimum": 0, "default": 2022},
                "reforms": {"type": "array", "items": {"$ref": "#/components/schemas/ReformRef"}},
                "imputed_transfers": {"type": "boolean", "default": true}
            }
        }),
    );
    components.insert(
        "Simulation".into(),
        json!({
            "type": "object", "required": ["id", "status", "request", "links"],
            "properties": {
                "id": {"type": "string"},
                "status": {"enum": ["queued", "running", "done", "failed", "cancelled", "cancelling"]},
                "request": {"$ref": "#/components/schemas/SimulationRequest"},
                "progress": {"type": "object", "properties": {
                    "stage": {"type": "string"}, "partitions_done": {"type": "integer"}, "partitions": {"type": "integer"}}},
                "result": {"type": "object", "description": "the report, as `minsheng sim` writes report.json"},
                "error": {"type": "string"},
                "queued_s": {"type": ["number", "null"]}, "elapsed_s": {"type": ["number", "null"]},
                "links": {"type": "object"}
            }
        }),
    );
    components.insert("Any".into(), json!({"type": "object"}));
    let busy = json!({"description": "every calculation slot is taken; retry after the Retry-After seconds",
                      "headers": {"Retry-After": {"schema": {"type": "integer"}}},
                      "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}});
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "minsheng API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "China's livelihood rules, computable: households, population runs, variables and parameters, exact to the fen."
        },
        "paths": {
            "/api/v1/meta": {"get": {"summary": "The version, the schema version, the rule book's hash, the years, the population's years (projected or not)", "responses": {"200": ok("meta", "Any")}}},
            "/api/v1/variables": {"get": {"summary": "Every variable", "responses": {"200": ok("the variables", "Any")}}},
            "/api/v1/variables/{name}": {"get": {
                "summary": "One variable: type, unit, period, reference, reads and readers",
                "parameters": [{"name": "name", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": ok("the variable", "Any"), "404": problem("no such variable")}
            }},
            "/api/v1/inputs": {"get": {"summary": "The JSON Schema of situations", "responses": {"200": ok("the schema", "Any")}}},
            "/api/v1/parameters": {"get": {"summary": "Every parameter", "responses": {"200": ok("the parameters", "Any")}}},
            "/api/v1/parameters/diff": {"get": {
                "summary": "The parameters whose value differs between two dates",
                "parameters": [query("from", "YYYY-MM-DD", true), query("to", "YYYY-MM-DD", true)],
                "responses": {"200": ok("the changes", "Any"), "422": problem("a date is not a date")}
            }},
            "/api/v1/parameters/{path}": {"get": {
                "summary": "A parameter's history, or its value on a date as the law was known",
                "parameters": [{"name": "path", "in": "path", "required": true, "schema": {"type": "string"}},
                               query("at", "YYYY-MM-DD", false), query("known_at", "YYYY-MM-DD", false)],
                "responses": {"200": ok("the parameter", "Any"), "404": problem("no such parameter"), "422": problem("a bad date")}
            }},
            "/api/v1/calculate": {"post": {
                "summary": "A household's figures under the baseline and reforms",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CalculateRequest"}}}},
                "responses": {"200": ok("the calculation document", "Calculation"), "400": problem("not a request"),
                              "413": {"description": "the body is over the limit"}, "422": problem("bad input"), "503": busy.clone()}
            }},
            "/api/v1/pension/projection": {"post": {
                "summary": "A person's pension projected to retirement: every month of the elastic window, nominal and in today's money",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ProjectionRequest"}}}},
                "responses": {"200": ok("the projection", "Projection"), "400": problem("not a request"),
                              "422": problem("bad input, or a figure not known (the error names what would supply it)"), "503": busy.clone()}
            }},
            "/api/v1/calculate/batch": {"post": {
                "summary": "NDJSON in (a situation a line), NDJSON out (a document or an error document a line)",
                "parameters": [query("outputs", "computed variables, comma-separated", false),
                               query("reforms", "shipped reforms, comma-separated", false)],
                "requestBody": {"required": true, "content": {"application/x-ndjson": {"schema": {"type": "string"}}}},
                "responses": {"200": {"description": "a line per situation", "content": {"application/x-ndjson": {"schema": {"type": "string"}}}},
                              "422": problem("bad outputs"), "503": busy}
            }},
            "/api/v1/reforms": {"get": {"summary": "The shipped reforms, by name", "responses": {"200": ok("the reforms", "Any")}}},
            "/api/v1/views": {"get": {"summary": "What a household's tables show: the month table's columns, the year's rows, the statement's and retirement's lines", "responses": {"200": ok("the views", "Any")}}},
            "/api/v1/simulations": {
                "post": {
                    "summary": "Queue a population run; identical requests share one job",
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SimulationRequest"}}}},
                    "responses": {"202": ok("queued or running", "Simulation"), "200": ok("an identical run, done", "Simulation"),
                                  "400": problem("not a request"), "422": problem("bad input"), "503": busy.clone()}
                },
                "get": {"summary": "Every job known, without results", "responses": {"200": ok("the jobs", "Any")}}
            },
            "/api/v1/simulations/{id}": {
                "get": {"summary": "A job's progress, then its report",
                        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                        "responses": {"200": ok("the job", "Simulation"), "404": problem("no such job")}},
                "delete": {"summary": "Cancel a job queued or running; forget one finished",
                           "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                           "responses": {"200": ok("the job", "Any"), "404": problem("no such job")}}
            },
            "/api/v1/openapi.json": {"get": {"summary": "This description", "responses": {"200": ok("OpenAPI 3.1", "Any")}}}
        },
        "components": {"schemas": components}
    })
}
