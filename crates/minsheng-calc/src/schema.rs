//! The JSON Schemas (draft 2020-12) of the shared schema, generated from the
//! rule book's variables, so they cannot drift from what is computed: the
//! situation a client sends, the calculation document it gets back and the
//! error document. `minsheng schema` prints them; the HTTP API's OpenAPI
//! description embeds them.

use minsheng_core::{ColumnKind, EntityKind, PeriodKind, Registry, Source, ValueType, Variable};
use serde_json::{Map, Value as Json, json};

use crate::document::SCHEMA_VERSION;

const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// A month key (`2027-01`), a range of months in a situation (`2027-01..2027-12`), a year key.
const MONTH: &str = "^[0-9]{4}-(0[1-9]|1[0-2])$";
const MONTHS: &str = "^[0-9]{4}-(0[1-9]|1[0-2])(\\.\\.[0-9]{4}-(0[1-9]|1[0-2]))?$";
const YEAR: &str = "^[0-9]{4}$";

/// The schema of one value of `value_type`, as a figure (`output`) or as an input.
fn value_schema(value_type: ValueType, output: bool) -> Json {
    match value_type {
        ValueType::Money if output => json!({"$ref": "#/$defs/money"}),
        ValueType::Money => json!({"$ref": "#/$defs/amount_in"}),
        ValueType::Count => json!({"type": "integer", "minimum": if output { i64::MIN } else { 0 }}),
        ValueType::Bool => json!({"type": "boolean"}),
        ValueType::Choice(options) => json!({"type": "string", "enum": options}),
        ValueType::Text => json!({"type": "string", "minLength": 1, "maxLength": 100}),
        ValueType::Date => json!({"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}),
        ValueType::Month => json!({"type": "string", "pattern": MONTH}),
        ValueType::Number if output => json!({"$ref": "#/$defs/decimal"}),
        ValueType::Number => json!({"anyOf": [{"type": "number", "minimum": 0}, {"$ref": "#/$defs/decimal"}]}),
        ValueType::Shares if output => json!({"type": "string"}),
        ValueType::Shares => json!({
            "type": "object",
            "description": "person id → share in whole percent (100, or 50 each)",
            "additionalProperties": {"type": "integer", "minimum": 1, "maximum": 100}
        }),
        ValueType::AmountsBy(keys) | ValueType::RatesBy(keys) if !output => {
            let item = if matches!(value_type, ValueType::AmountsBy(_)) {
                json!({"$ref": "#/$defs/amount_in"})
            } else {
                json!({"type": "number", "minimum": 0, "maximum": 1})
            };
            let props: Map<String, Json> = keys.iter().map(|k| (k.to_string(), item.clone())).collect();
            json!({"type": "object", "properties": props, "additionalProperties": false})
        }
        ValueType::RateTiers if !output => json!({
            "type": "object",
            "description": "the amount each tier starts from (from 0) → its rate",
            "additionalProperties": {"type": "number", "minimum": 0, "maximum": 1}
        }),
        ValueType::ByYear(columns) if !output => {
            let props: Map<String, Json> = columns
                .iter()
                .map(|c| {
                    let item = match c.kind {
                        ColumnKind::Money => json!({"$ref": "#/$defs/amount_in"}),
                        ColumnKind::Months => json!({"type": "integer", "minimum": 0, "maximum": 12}),
                        ColumnKind::Rate => json!({"type": "number", "minimum": 0, "maximum": 1}),
                    };
                    let mut item = item.as_object().cloned().unwrap_or_default();
                    item.insert("description".into(), json!(format!("{} ({})", c.label_en, c.label_zh)));
                    (c.name.to_string(), Json::Object(item))
                })
                .collect();
            json!({
                "type": "object",
                "description": "year → that year's figures",
                "propertyNames": {"pattern": YEAR},
                "additionalProperties": {"type": "object", "properties": props, "additionalProperties": false}
            })
        }
        _ => json!({"type": "string"}),
    }
}

/// What a variable is, for a person reading the schema.
fn description(var: &Variable) -> String {
    format!("{} ({}); {}, {}; {}", var.label_en, var.label_zh, var.value_type.unit(), var.period, var.reference)
}

/// The schema of a figure: its values by period.
fn figure_schema(var: &Variable) -> Json {
    let key = match var.period {
        PeriodKind::Month => json!({"pattern": MONTH}),
        PeriodKind::Year => json!({"pattern": YEAR}),
        PeriodKind::Eternity => json!({"const": "eternity"}),
    };
    json!({
        "description": description(var),
        "x-unit": var.value_type.unit(),
        "x-period": var.period,
        "type": "object",
        "propertyNames": key,
        "additionalProperties": {"anyOf": [value_schema(var.value_type, true), {"type": "null"}]}
    })
}

/// The schema of an input as a situation gives it.
fn input_schema(var: &Variable) -> Json {
    let value = value_schema(var.value_type, false);
    let mut schema = match var.period {
        PeriodKind::Eternity => value,
        PeriodKind::Month => {
            json!({"type": "object", "propertyNames": {"pattern": MONTHS}, "additionalProperties": value})
        }
        PeriodKind::Year => {
            json!({"type": "object", "propertyNames": {"pattern": YEAR}, "additionalProperties": value})
        }
    };
    if let Some(obj) = schema.as_object_mut() {
        obj.insert("description".into(), Json::String(description(var)));
    }
    schema
}

fn common_defs() -> Map<String, Json> {
    let mut defs = Map::new();
    defs.insert(
        "money".into(),
        json!({"type": "string", "pattern": "^-?[0-9]+\\.[0-9]{2}$", "description": "yuan, an exact decimal with two decimals", "x-unit": "yuan"}),
    );
    defs.insert("decimal".into(), json!({"type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$"}));
    defs.insert(
        "amount_in".into(),
        json!({"anyOf": [{"type": "number", "minimum": 0}, {"type": "string", "pattern": "^[0-9]+(\\.[0-9]{1,2})?$"}],
               "description": "yuan with at most two decimals, as a number or a decimal string", "x-unit": "yuan"}),
    );
    defs.insert(
        "label".into(),
        json!({"type": "object", "required": ["zh", "en"], "properties": {"zh": {"type": "string"}, "en": {"type": "string"}}}),
    );
    defs
}

/// The figures of one entity kind under one scenario.
fn figures_of(registry: &Registry, kind: EntityKind) -> Json {
    let props: Map<String, Json> = registry
        .iter()
        .filter(|v| !v.is_input() && v.entity == kind)
        .map(|v| (v.name.to_string(), figure_schema(v)))
        .collect();
    json!({"type": "object", "properties": props, "additionalProperties": false})
}

/// The calculation document (what `calc --json` prints, what the API returns).
pub fn calculation(registry: &Registry) -> Json {
    let mut defs = common_defs();
    defs.insert("person_figures".into(), figures_of(registry, EntityKind::Person));
    defs.insert("household_figures".into(), figures_of(registry, EntityKind::Household));
    let finding = json!({
        "type": "object",
        "required": ["reason", "supplied_by", "remedy", "figures"],
        "properties": {
            "reason": {"$ref": "#/$defs/label"},
            "remedy": {"$ref": "#/$defs/label"},
            "supplied_by": {"type": "array", "items": {"type": "string"}},
            "parameter": {"type": "string"},
            "date": {"type": "string", "format": "date"},
            "field": {"type": "string"},
            "assumption": {"$ref": "#/$defs/label"},
            "figures": {"type": "array", "items": {
                "type": "object",
                "required": ["scenario", "entity", "variable", "periods"],
                "properties": {
                    "scenario": {"type": "string"}, "entity": {"type": "string"}, "variable": {"type": "string"},
                    "periods": {"type": "array", "items": {"type": "string"}}
                }
            }}
        }
    });
    defs.insert("finding".into(), finding);
    defs.insert("explanation".into(), explanation_schema());
    defs.insert(
        "deltas".into(),
        json!({"type": "object", "additionalProperties": {"type": "object", "additionalProperties": {
            "type": "object", "additionalProperties": {"$ref": "#/$defs/money"}
        }}}),
    );
    let series = json!({"type": "object", "additionalProperties": {"type": "array", "items": {"type": ["string", "number", "boolean", "null"]}}});
    let axis = json!({
        "description": "One money input of one person varied; each figure's value at each point, by scenario, variable, entity id and period.",
        "type": "object",
        "required": ["person", "input", "values", "figures", "slopes", "kinks"],
        "properties": {
            "person": {"type": "string"},
            "input": {"type": "string"},
            "values": {"type": "array", "items": {"$ref": "#/$defs/money"}},
            "figures": {"type": "object", "additionalProperties": {"type": "object", "additionalProperties": {
                "type": "object", "additionalProperties": series.clone()
            }}},
            "slopes": {
                "description": "Each figure's change per yuan of the input over the figure's period, between consecutive points (a tax's marginal rate).",
                "type": "object", "additionalProperties": {"type": "object", "additionalProperties": {
                "type": "object", "additionalProperties": series
            }}},
            "kinks": {
                "description": "By scenario, the points where a figure's slope changes, with the rules underneath that cause it.",
                "type": "object", "additionalProperties": {"type": "array", "items": {
                    "type": "object", "required": ["figure", "entity", "at", "value", "causes"],
                    "properties": {
                        "figure": {"type": "string"}, "entity": {"type": "string"},
                        "at": {"type": "integer", "minimum": 0}, "value": {"$ref": "#/$defs/money"},
                        "causes": {"type": "array", "items": {
                            "type": "object", "required": ["variable", "label", "reference", "parameters"],
                            "properties": {"variable": {"type": "string"}, "label": {"$ref": "#/$defs/label"},
                                           "reference": {"type": "string"}, "parameters": {"type": "array", "items": {"type": "string"}}}
                        }}
                    }
                }}
            }
        },
        "additionalProperties": false
    });
    let explanations = json!({
        "description": "The figures asked to be explained, each under every scenario.",
        "type": "array",
        "items": {
            "type": "object",
            "required": ["variable", "scenarios"],
            "properties": {
                "variable": {"type": "string"},
                "entity": {"type": "string"},
                "period": {"type": "string"},
                "scenarios": {"type": "object", "additionalProperties": {"$ref": "#/$defs/explanation"}}
            }
        }
    });
    json!({
        "$schema": DIALECT,
        "$id": format!("https://minsheng.invalid/schema/{SCHEMA_VERSION}/calculation.json"),
        "title": "minsheng calculation document",
        "description": "Figures by entity, scenario, variable and period; amounts are exact decimal strings of yuan.",
        "type": "object",
        "required": ["schema_version", "year", "scenarios", "persons", "households", "unknowns", "notices", "confidence"],
        "properties": {
            "schema_version": {"const": SCHEMA_VERSION},
            "year": {"type": "integer"},
            "scenarios": {"type": "array", "items": {
                "type": "object", "required": ["id", "label"],
                "properties": {"id": {"type": "string"}, "label": {"$ref": "#/$defs/label"}}
            }},
            "persons": {"type": "object", "additionalProperties": {
                "type": "object", "required": ["household", "figures"],
                "properties": {
                    "household": {"type": ["string", "null"]},
                    "figures": {"type": "object", "additionalProperties": {"$ref": "#/$defs/person_figures"}}
                },
                "additionalProperties": false
            }},
            "households": {"type": "object", "additionalProperties": {
                "type": "object", "required": ["members", "figures"],
                "properties": {
                    "members": {"type": "array", "items": {"type": "string"}},
                    "figures": {"type": "object", "additionalProperties": {"$ref": "#/$defs/household_figures"}}
                },
                "additionalProperties": false
            }},
            "unknowns": {"type": "array", "items": {"$ref": "#/$defs/finding"}},
            "notices": {"type": "array", "items": {"$ref": "#/$defs/finding"}},
            "confidence": {
                "description": "The lowest confidence of the parameter values the figures read, and each value below high.",
                "type": "object",
                "required": ["lowest", "parameters"],
                "properties": {
                    "lowest": {"enum": ["high", "medium", "low"]},
                    "parameters": {"type": "array", "items": {
                        "type": "object",
                        "required": ["parameter", "from", "confidence", "document"],
                        "properties": {
                            "parameter": {"type": "string"},
                            "from": {"type": "string", "format": "date"},
                            "confidence": {"enum": ["medium", "low"]},
                            "document": {"type": "string"}
                        },
                        "additionalProperties": false
                    }}
                },
                "additionalProperties": false
            },
            "explanations": explanations,
            "differences": {
                "description": "For each reform, each amount that differs from the baseline: reform minus baseline, by entity kind, id, variable and period.",
                "type": "object",
                "additionalProperties": {"type": "object", "properties": {
                    "persons": {"$ref": "#/$defs/deltas"}, "households": {"$ref": "#/$defs/deltas"}
                }}
            },
            "axis": axis
        },
        "additionalProperties": false,
        "$defs": defs
    })
}

/// One node of an explanation tree ([`minsheng_core::explain::Explanation`]).
fn explanation_schema() -> Json {
    json!({
        "type": "object",
        "required": ["variable", "label_zh", "label_en", "entity", "period", "value", "text", "unit", "reference"],
        "properties": {
            "variable": {"type": "string"},
            "label_zh": {"type": "string"},
            "label_en": {"type": "string"},
            "entity": {"type": "string"},
            "period": {"type": "string"},
            "known_at": {"type": "string"},
            "text": {"type": "string"},
            "unit": {"type": "string"},
            "reference": {"type": "string"},
            "input": {"enum": ["given", "default"]},
            "repeated": {"type": "boolean"},
            "truncated": {"type": "boolean"},
            "sources": {"type": "array", "items": {"oneOf": [
                {"allOf": [{"$ref": "#/$defs/explanation"}], "required": ["kind"], "properties": {"kind": {"const": "figure"}}},
                {
                    "type": "object",
                    "required": ["kind", "path", "label_zh", "label_en", "date", "value", "in_force_from", "citation", "origin"],
                    "properties": {"kind": {"const": "parameter"}}
                }
            ]}}
        }
    })
}

/// The inputs of one entity kind.
fn inputs_of(registry: &Registry, kind: EntityKind) -> Map<String, Json> {
    registry
        .iter()
        .filter(|v| matches!(v.source, Source::Input { .. }) && v.entity == kind)
        .map(|v| (v.name.to_string(), input_schema(v)))
        .collect()
}

/// The situation (what `calc` reads, what the API's `calculate` takes).
pub fn situation(registry: &Registry) -> Json {
    let mut household = inputs_of(registry, EntityKind::Household);
    household.insert("members".into(), json!({"type": "array", "items": {"type": "string"}, "minItems": 1}));
    json!({
        "$schema": DIALECT,
        "$id": format!("https://minsheng.invalid/schema/{SCHEMA_VERSION}/situation.json"),
        "title": "minsheng situation",
        "description": "The year to compute, persons with their inputs by period, households with their members and inputs.",
        "type": "object",
        "required": ["year", "persons"],
        "properties": {
            "year": {"type": "integer"},
            "persons": {"type": "object", "additionalProperties": {
                "type": ["object", "null"], "properties": inputs_of(registry, EntityKind::Person), "additionalProperties": false
            }},
            "households": {"type": ["object", "null"], "additionalProperties": {
                "type": "object", "required": ["members"], "properties": household, "additionalProperties": false
            }}
        },
        "additionalProperties": false,
        "$defs": common_defs()
    })
}

/// The error document (bad input: exit 2 on the command line, 4xx over HTTP).
pub fn errors() -> Json {
    json!({
        "$schema": DIALECT,
        "$id": format!("https://minsheng.invalid/schema/{SCHEMA_VERSION}/errors.json"),
        "title": "minsheng error document",
        "type": "object",
        "required": ["schema_version", "errors"],
        "properties": {
            "schema_version": {"const": SCHEMA_VERSION},
            "line": {"type": "integer", "minimum": 1},
            "source": {"type": "string"},
            "errors": {"type": "array", "minItems": 1, "items": {
                "type": "object",
                "required": ["code", "field", "value", "rule", "message"],
                "properties": {
                    "code": {"type": "string"},
                    "field": {"type": "string"},
                    "value": {"type": "string"},
                    "rule": {"type": "string"},
                    "rule_zh": {"type": ["string", "null"]},
                    "message": {"$ref": "#/$defs/label"}
                }
            }}
        },
        "$defs": common_defs()
    })
}

/// One variable as `minsheng vars --json` and the API's `variables` describe
/// it: names, type, unit, entity, period, allowed values, default, the legal
/// reference, what it reads and what reads it, from the static graph.
pub fn variable(registry: &Registry, v: &'static Variable) -> Json {
    let names = |list: Vec<&'static Variable>| list.iter().map(|r| r.name).collect::<Vec<_>>();
    let default = match &v.source {
        Source::Input { default } => crate::document::value(default),
        Source::Formula { .. } => Json::Null,
    };
    json!({
        "name": v.name, "label": {"zh": v.label_zh, "en": v.label_en},
        "entity": v.entity, "period": v.period, "type": v.value_type.name(), "unit": v.value_type.unit(),
        "allowed": v.value_type.allowed(),
        "input": v.is_input(), "default": default, "reference": v.reference,
        "reads": v.reads().iter().map(|r| r.name).collect::<Vec<_>>(),
        "parameters": v.params(),
        "required_inputs": names(registry.required_inputs(v)),
        "read_by": names(registry.readers_of(v)),
    })
}

/// The variables `vars`, under the schema version.
pub fn variables(registry: &Registry, vars: &[&'static Variable]) -> Json {
    json!({
        "schema_version": SCHEMA_VERSION,
        "variables": vars.iter().map(|v| variable(registry, v)).collect::<Vec<_>>(),
    })
}
