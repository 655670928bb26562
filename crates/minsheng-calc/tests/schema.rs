//! The generated JSON Schemas accept what minsheng writes and reads: every
//! example situation, their calculation documents (with and without a
//! reform, with unknown figures) and the error document.

use minsheng_calc::document::{DocumentWriter, PartJson, error_document};
use minsheng_calc::{Outputs, Part, Scenario, schema};
use minsheng_cn::RuleBook;
use minsheng_core::situation::Format;
use minsheng_core::{InputError, Reform};

fn validator(schema: &serde_json::Value) -> jsonschema::Validator {
    jsonschema::validator_for(schema).expect("a valid schema")
}

fn assert_valid(v: &jsonschema::Validator, doc: &serde_json::Value, what: &str) {
    let errors: Vec<String> = v.iter_errors(doc).take(5).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
}

fn document(book: &RuleBook, text: &str, format: Format, scenarios: &[Scenario<'_>]) -> serde_json::Value {
    let sit = book.situation(text, format).expect("a valid situation");
    let ids: Vec<String> = scenarios.iter().map(|s| s.id.clone()).collect();
    let vars = Outputs::All.variables(&book.registry);
    let mut doc = DocumentWriter::begin(Vec::new(), sit.year, scenarios).expect("writes");
    for part in sit.into_components() {
        let part = Part::compute(book, part, scenarios, &Outputs::All).expect("computes");
        doc.part(PartJson::render(&book.registry, &part, &ids, &vars)).expect("writes");
    }
    serde_json::from_slice(&doc.finish().expect("writes")).expect("JSON")
}

#[test]
fn the_examples_and_their_documents_follow_the_schemas() {
    let book = RuleBook::embedded().expect("the rule book");
    let situations = validator(&schema::situation(&book.registry));
    let calculations = validator(&schema::calculation(&book.registry));
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let reform = Reform::from_yaml(
        &std::fs::read_to_string(examples.join("reforms/basic-deduction-6000.yaml")).expect("reform"),
    )
    .expect("valid");
    let params = reform.apply(&book.baseline).expect("applies");
    let scenarios = [
        Scenario::baseline(&book.baseline),
        Scenario { id: reform.name.clone(), label: reform.label.clone(), params: &params },
    ];
    let mut checked = 0;
    for entry in std::fs::read_dir(&examples).expect("examples") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read");
        let as_json: serde_json::Value = serde_saphyr::from_str(&text).expect("YAML");
        assert_valid(&situations, &as_json, &path.display().to_string());
        assert_valid(&calculations, &document(&book, &text, Format::Yaml, &scenarios), &path.display().to_string());
        checked += 1;
    }
    assert!(checked >= 8, "only {checked} examples");
    // A document with unknown figures and a notice.
    let unknown = document(
        &book,
        "year: 2027\npersons:\n  me: {wage: {2027-01..2027-12: 20000}}\n",
        Format::Yaml,
        &scenarios[..1],
    );
    assert!(!unknown["unknowns"].as_array().expect("list").is_empty());
    assert_valid(&calculations, &unknown, "2027 without a locality");
    // A document that breaks the schema is caught: an amount as a number.
    let mut broken = unknown.clone();
    broken["persons"]["me"]["figures"]["baseline"]["iit.total"]["2027"] = serde_json::json!(1.5);
    assert!(!calculations.is_valid(&broken));
}

#[test]
fn the_error_document_follows_its_schema() {
    let errors = validator(&schema::errors());
    let doc =
        error_document(Some(3), &[InputError::new("persons.me.wage.2024-13", "2024-13", "not a month").zh("不是月份")]);
    assert_valid(&errors, &doc, "error document");
}
