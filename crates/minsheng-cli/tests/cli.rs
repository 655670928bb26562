//! The `minsheng` binary end to end: outputs, exit codes and error messages.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn minsheng(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_minsheng")).args(args).current_dir(root()).output().expect("runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Writes `text` to a temporary file.
fn write_temp(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("minsheng-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

/// Writes a situation to a temporary file and runs `calc` on it.
fn calc_text(name: &str, text: &str) -> Output {
    let path = write_temp(name, text);
    minsheng(&["calc", path.to_str().expect("utf-8 path")])
}

#[test]
fn calc_prints_the_sta_example() {
    let o = minsheng(&["calc", "examples/sta-example-30000.yaml"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    for figure in ["555.00", "625.00", "1,850.00", "2,250.00", "27,480.00", "工资预扣税"] {
        assert!(out.contains(figure), "missing {figure}:\n{out}");
    }
}

#[test]
fn calc_json_is_machine_readable_and_exact() {
    let o = minsheng(&["calc", "examples/sta-example-30000.yaml", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(doc["schema_version"], "1.0");
    assert_eq!(doc["scenarios"][0]["id"], "baseline");
    let employee = &doc["persons"]["employee"];
    assert_eq!(employee["household"], "family");
    let base = &employee["figures"]["baseline"];
    // Amounts are exact decimal strings of yuan, figures keyed by period; no inputs among the outputs.
    assert_eq!(base["iit.total"]["2019"], "27480.00");
    assert_eq!(base["iit.withholding.wage_tax"]["2019-08"], "2250.00");
    assert!(base.get("wage").is_none(), "inputs stay in the situation");
    assert_eq!(doc["households"]["family"]["figures"]["baseline"]["household.iit"]["2019"], "27480.00");
    assert_eq!(doc["households"]["family"]["members"], serde_json::json!(["employee", "child"]));
}

#[test]
fn calc_with_a_reform_shows_both_and_the_difference() {
    let o = minsheng(&[
        "calc",
        "examples/year-end-bonus.yaml",
        "--reform",
        "examples/reforms/basic-deduction-6000.yaml",
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let total = |scenario: &str| -> rust_decimal::Decimal {
        let text = doc["persons"]["manager"]["figures"][scenario]["iit.total"]["2024"].as_str().expect("an amount");
        text.parse().expect("a decimal")
    };
    assert_eq!(doc["scenarios"][1]["id"], "basic-deduction-6000");
    // 12,000 more deduction at the manager's 20% marginal rate.
    assert_eq!(total("baseline") - total("basic-deduction-6000"), rust_decimal::Decimal::from(2400));
    let text = stdout(&minsheng(&[
        "calc",
        "examples/year-end-bonus.yaml",
        "--reform",
        "examples/reforms/basic-deduction-6000.yaml",
    ]));
    assert!(text.contains("-2,400.00"), "{text}");
}

#[test]
fn explain_traces_a_figure_to_the_law() {
    let o =
        minsheng(&["calc", "examples/sta-example-30000.yaml", "--explain", "iit.annual.tax", "--entity", "employee"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("综合所得应纳税额"), "{out}");
    assert!(out.contains("iit.comprehensive.basic_deduction_annual"), "{out}");
    assert!(out.contains("中华人民共和国主席令第九号"), "{out}");
    assert!(out.contains("国发〔2018〕41号"), "{out}");
    let json = minsheng(&[
        "calc",
        "examples/sta-example-30000.yaml",
        "--explain",
        "iit.withholding.wage_tax",
        "--period",
        "2019-03",
        "--json",
    ]);
    let tree: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(tree["value"], "1850.00");
    assert_eq!(tree["known_at"], serde_json::json!("2019-03-31"));
}

#[test]
fn params_show_values_history_and_changes() {
    let at = stdout(&minsheng(&["params", "iit.special_additional.infant_care_per_child", "--at", "2023-06-30"]));
    assert!(at.contains("2,000.00") && at.contains("国发〔2023〕13号"), "{at}");
    let history = stdout(&minsheng(&["params", "iit.special_additional.infant_care_per_child"]));
    assert!(
        history.contains("not in force") && history.contains("1,000.00") && history.contains("2023-08-28"),
        "{history}"
    );
    let diff = stdout(&minsheng(&["params", "diff", "2021-12-31", "2022-01-01"]));
    assert!(diff.contains("iit.special_additional.infant_care_per_child"), "{diff}");
    assert!(diff.contains("iit.other_deductions.private_pension_annual_cap"), "{diff}");
    // The 2022 Government Work Report's +30 and +5.
    for (path, before, after) in [
        ("medical.resident.fiscal_subsidy", "580.00", "610.00"),
        ("medical.public_health.funding_per_capita", "79.00", "84.00"),
    ] {
        let line = diff.lines().find(|l| l.contains(path)).unwrap_or_else(|| panic!("{path} missing:\n{diff}"));
        assert!(line.contains(before) && line.contains(after), "{line}");
    }
    let cut = stdout(&minsheng(&["params", "diff", "2019-03-01", "2019-09-01"]));
    assert!(cut.contains("social_insurance.contributions.pension_employer_rate") && cut.contains("16%"), "{cut}");
    let none = stdout(&minsheng(&["params", "diff", "2019-09-01", "2019-12-31"]));
    assert!(none.contains("No parameter changed"), "{none}");
}

#[test]
fn vars_lists_labels_units_and_periods() {
    let out = stdout(&minsheng(&["vars"]));
    assert!(
        out.contains("iit.withholding.wage_tax") && out.contains("本月工资薪金预扣预缴税额") && out.contains("month"),
        "{out}"
    );
    let json: serde_json::Value = serde_json::from_slice(&minsheng(&["vars", "--json"]).stdout).expect("JSON");
    assert_eq!(json["schema_version"], "1.0");
    let list = json["variables"].as_array().expect("list");
    let find = |name: &str| list.iter().find(|v| v["name"] == name).expect("listed");
    let wage_tax = find("iit.withholding.wage_tax");
    assert!(wage_tax["required_inputs"].as_array().expect("list").iter().any(|i| i == "wage"));
    assert_eq!((wage_tax["type"].as_str(), wage_tax["unit"].as_str()), (Some("money"), Some("yuan")));
    // Each input's allowed values and default.
    let method = find("bonus_method");
    assert!(method["allowed"].as_array().expect("list").iter().any(|o| o == "separate"));
    assert_eq!(find("flexible_worker")["default"], false);
    assert!(stdout(&minsheng(&["vars", "--inputs"])).contains("municipality_capital"));
}

/// Bad input: exit code 2, a message naming the field, nothing on stdout.
fn assert_bad_input(o: &Output, field: &str) {
    assert_eq!(o.status.code(), Some(2), "stderr: {}", stderr(o));
    assert!(stderr(o).contains(field), "message does not name {field}: {}", stderr(o));
    assert!(o.stdout.is_empty(), "half-written output: {}", stdout(o));
}

#[test]
fn bad_input_exits_2_naming_the_field() {
    let cases = [
        ("unknown.yaml", "year: 2023\npersons:\n  x: {salary: {2023-01: 1}}\n", "persons.x.salary"),
        ("negative.yaml", "year: 2023\npersons:\n  x: {wage: {2023-01: -5}}\n", "persons.x.wage.2023-01"),
        ("text.json", r#"{"year": 2023, "persons": {"x": {"wage": {"2023-01": "lots"}}}}"#, "persons.x.wage.2023-01"),
        ("date.yaml", "year: 2023\npersons:\n  x: {birth_date: 2023-02-29}\n", "persons.x.birth_date"),
        ("year.yaml", "year: 2031\npersons:\n  x: {wage: {2031-01: 1}}\n", "year"),
        (
            "split.yaml",
            "year: 2023\npersons:\n  m: {}\n  c: {birth_date: 2015-01-01, claimants: {m: 60}}\n",
            "persons.c.claimants.m",
        ),
        ("broken.json", "{\"year\": 2023, ", "(file)"),
        // Numbers that would not be read exactly: refused, never rounded silently.
        ("digits.json", r#"{"year": 2024, "persons": {"a": {"wage": {"2024-01": 0.10000000000000001}}}}"#, "(line 1)"),
        ("tiny.json", r#"{"year": 2024, "persons": {"a": {"wage": {"2024-01": 1e-30}}}}"#, "(file)"),
        ("tiny.yaml", "year: 2024\npersons:\n  a: {wage: {2024-01: 1e-30}}\n", "(file)"),
        // A date no rule's arithmetic can take (it panicked in the retirement rules).
        (
            "far.yaml",
            "year: 2024\npersons:\n  a: {birth_date: 9999-12-31, retirement_group: male}\n",
            "persons.a.birth_date",
        ),
        // An input leading to a date the rule book does not cover (it was an internal error).
        (
            "old-unemployment.yaml",
            "year: 2024\npersons:\n  a: {unemployment_start: 2018-05, unemployment_contribution_months: 60, unemployment_benefit_amount: {2024: 1800}}\n",
            "persons.a (unemployment.entitled_months)",
        ),
    ];
    for (name, text, field) in cases {
        assert_bad_input(&calc_text(name, text), field);
    }
}

#[test]
fn bad_arguments_exit_2() {
    assert_bad_input(&minsheng(&["calc", "does-not-exist.yaml"]), "does-not-exist.yaml");
    assert_bad_input(&minsheng(&["calc", "examples/sta-example-30000.yaml", "--explain", "iit.nope"]), "iit.nope");
    assert_bad_input(
        &minsheng(&["calc", "examples/sta-example-30000.yaml", "--explain", "iit.withholding.wage_tax"]),
        "--period",
    );
    assert_bad_input(&minsheng(&["params", "iit.nope"]), "iit.nope");
    assert_bad_input(&minsheng(&["params", "diff", "2023-02-30", "2024-01-01"]), "2023-02-30");
    let unknown = write_temp(
        "r1.yaml",
        "name: r\nlabel: {zh: 改, en: r}\nchanges:\n  - {parameter: iit.nope, from: 2024-01-01, amount: 1}\n",
    );
    let wrong_type = write_temp(
        "r2.yaml",
        "name: r\nlabel: {zh: 改, en: r}\nchanges:\n  - {parameter: iit.comprehensive.expense_rate, from: 2024-01-01, amount: 1}\n",
    );
    for (reform, words) in
        [(unknown, "no parameter `iit.nope`"), (wrong_type, "type is rate, but this entry gives a amount")]
    {
        let o = minsheng(&["calc", "examples/year-end-bonus.yaml", "--reform", reform.to_str().expect("utf-8")]);
        assert_bad_input(&o, words);
    }
}

#[test]
fn a_broken_rules_folder_is_named_by_file_and_key() {
    let dir = std::env::temp_dir().join(format!("minsheng-rules-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&root().join("rules"), &dir);
    let file = dir.join("params/iit/comprehensive.yaml");
    let text = std::fs::read_to_string(&file).expect("read").replace("amount: 60000", "amount: 60000.005");
    std::fs::write(&file, text).expect("write");
    let o = minsheng(&["--rules", dir.to_str().expect("utf-8"), "vars"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("params/iit/comprehensive.yaml")
            && err.contains("basic_deduction_annual")
            && err.contains("two decimal places"),
        "{err}"
    );
}

/// Reforms and rules folders are checked against each parameter's domain and
/// relations, and a rules folder may define a parameter once only: each
/// breach is exit 2 naming the file or change, the key and the bound.
#[test]
fn parameters_outside_their_domain_are_refused() {
    let reforms = [
        (
            "negative",
            "{parameter: iit.comprehensive.basic_deduction_annual, from: 2024-01-01, amount: -1}",
            "below the least value",
        ),
        (
            "rate",
            "{parameter: social_insurance.contributions.pension_employee_rate, from: 2024-01-01, rate: 2}",
            "above the greatest value allowed, 1",
        ),
        (
            "step",
            "{parameter: pension.retirement.step_months_men, from: 2024-01-01, count: 0}",
            "below the least value allowed, 1",
        ),
        (
            "age",
            "{parameter: pension.retirement.old_age_men, from: 2024-01-01, count: 1000000}",
            "above the greatest value allowed, 120",
        ),
        (
            "ceiling",
            "{parameter: social_insurance.contributions.base_ceiling_ratio, from: 2024-01-01, rate: 0.5}",
            "above `social_insurance.contributions.base_ceiling_ratio`",
        ),
        (
            "off",
            "{parameter: iit.comprehensive.basic_deduction_annual, from: 2024-01-01, in_force: false}",
            "always in force",
        ),
    ];
    for (name, change, words) in reforms {
        let path = write_temp(
            &format!("domain-{name}.yaml"),
            &format!("name: {name}\nlabel: {{zh: 改, en: r}}\nchanges:\n  - {change}\n"),
        );
        let o = minsheng(&["calc", "examples/year-end-bonus.yaml", "--reform", path.to_str().expect("utf-8")]);
        assert_bad_input(&o, &format!("domain-{name}.yaml"));
        assert!(stderr(&o).contains(words), "{name}: {}", stderr(&o));
    }
    let dir = std::env::temp_dir().join(format!("minsheng-rules-twice-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&root().join("rules"), &dir);
    std::fs::copy(dir.join("params/iit/comprehensive.yaml"), dir.join("params/iit.comprehensive.yaml")).expect("copy");
    let o = minsheng(&["--rules", dir.to_str().expect("utf-8"), "vars"]);
    assert_bad_input(&o, "params/iit.comprehensive.yaml");
    assert!(stderr(&o).contains("without dots"), "{}", stderr(&o));
    std::fs::remove_file(dir.join("params/iit.comprehensive.yaml")).expect("remove");
    std::fs::create_dir_all(dir.join("params/iit/comprehensive")).expect("mkdir");
    let twice = "basic_deduction_annual:\n  label: {zh: 重复, en: twice}\n  type: amount\n  unit: yuan_per_year\n  values:\n    - {from: 2019-01-01, amount: 1, source: {document: iit-law-2018}}\n";
    std::fs::write(dir.join("params/iit/comprehensive/x.yaml"), twice).expect("write");
    let o = minsheng(&["--rules", dir.to_str().expect("utf-8"), "vars"]);
    assert_bad_input(&o, "params/iit/comprehensive/x.yaml");
    assert!(stderr(&o).contains("no rule reads it"), "{}", stderr(&o));
    // A parameter removed or retyped is refused when the folder loads, not when a rule reads it.
    std::fs::remove_dir_all(dir.join("params/iit/comprehensive")).expect("remove");
    let bonus = dir.join("params/iit/bonus.yaml");
    let text = std::fs::read_to_string(&bonus).expect("read");
    let cut = text.split("\nmonthly_scale:").next().expect("part").to_string();
    std::fs::write(&bonus, &cut).expect("write");
    let o = minsheng(&["--rules", dir.to_str().expect("utf-8"), "vars"]);
    assert_bad_input(&o, "iit.bonus.monthly_scale");
    assert!(stderr(&o).contains("is missing"), "{}", stderr(&o));
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}

#[test]
fn sim_runs_a_small_population_with_a_reform_and_writes_its_report() {
    let dir = std::env::temp_dir().join(format!("minsheng-sim-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let o = minsheng(&[
        "sim",
        "--year",
        "2021",
        "--persons",
        "300",
        "--reform",
        "reforms/gwr-2022-medical-subsidy.yaml",
        "--json",
        "--out",
        dir.to_str().expect("utf-8"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(report["year"], serde_json::json!(2021));
    let subsidy = report["budget"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|b| b["programme_en"] == "Residents' medical insurance subsidy")
        .expect("row");
    assert!(subsidy["changes_yi"][0].as_f64().expect("number") > 0.0);
    for file in ["report.json", "report.md", "deciles.svg", "budget.svg"] {
        assert!(dir.join(file).exists(), "{file} not written");
    }
    let md = std::fs::read_to_string(dir.join("report.md")).expect("markdown");
    assert!(md.contains("Calibration 校准") && md.contains("Validation 验证"), "{md}");
    assert!(md.contains("take-up 领取率") && md.contains("factor 比例系数"), "{md}");
    assert!(md.contains("imputed transfers 估算转移"), "{md}");
    // The terminal summary names the largest calibration gap; without the imputed
    // transfers the five quintiles are no longer calibrated.
    for (flags, targets) in [(&[][..], 26), (&["--no-imputed-transfers"][..], 21)] {
        let mut args = vec!["sim", "--year", "2021", "--persons", "300", "--lang", "en"];
        args.extend(flags);
        let o = minsheng(&args);
        assert!(o.status.success(), "{}", stderr(&o));
        let text = String::from_utf8_lossy(&o.stdout);
        let start = format!("calibrated to 校准至 {targets} official targets");
        let line = text.lines().find(|l| l.starts_with(&start)).unwrap_or_else(|| panic!("{start}: {text}"));
        assert!(line.contains("largest gap 最大差距"), "{line}");
    }
}

#[test]
fn sim_refuses_years_and_sizes_it_cannot_do() {
    assert_bad_input(&minsheng(&["sim", "--year", "2031", "--persons", "100"]), "--year 2031");
    assert_bad_input(&minsheng(&["sim", "--persons", "0"]), "--persons 0");
}

/// `sim` on the example microdata, writing household and person results.
fn microdata_run<'a>(households: &'a Path, persons: &'a Path) -> [&'a str; 10] {
    [
        "sim",
        "--year",
        "2023",
        "--microdata",
        "examples/microdata.csv",
        "--json",
        "--households-out",
        households.to_str().expect("utf-8"),
        "--persons-out",
        persons.to_str().expect("utf-8"),
    ]
}

#[test]
fn sim_runs_microdata_and_refuses_bad_rows_without_writing() {
    let out = std::env::temp_dir().join(format!("minsheng-micro-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let households = out.join("households.csv");
    let persons = out.join("persons.csv");
    let o = minsheng(&microdata_run(&households, &persons));
    // --households-out into a folder that does not exist is refused before anything runs.
    assert_bad_input(&o, "does not exist");
    std::fs::create_dir_all(&out).expect("mkdir");
    let o = minsheng(&microdata_run(&households, &persons));
    assert!(o.status.success(), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(report["households_sampled"], serde_json::json!(4));
    assert_eq!(
        report["persons_represented"],
        serde_json::json!(4.0 * 210000.0 + 2.0 * 350000.0 + 2.0 * 400000.0 + 300000.0)
    );
    let csv = std::fs::read_to_string(&households).expect("written");
    assert_eq!(csv.lines().count(), 5, "{csv}");
    let csv = std::fs::read_to_string(&persons).expect("written");
    assert_eq!(csv.lines().count(), 10, "a header and nine persons: {csv}");
    assert!(csv.starts_with("household,person,weight,age,sex,urban,activity,market_income[baseline]"), "{csv}");
    assert!(!out.join("persons.csv.partial").exists(), "the partial file is renamed away");

    let bad = write_temp(
        "bad.csv",
        "household_id,person_id,age,sex,urban,wage_monthly,insured,pension_last_december,resident_pension_account,claimed_by,weight\nh1,a,35,M,1,-100,1,,,,5\n",
    );
    let report_dir = out.join("report");
    let o = minsheng(&[
        "sim",
        "--year",
        "2023",
        "--microdata",
        bad.to_str().expect("utf-8"),
        "--out",
        report_dir.to_str().expect("utf-8"),
    ]);
    assert_bad_input(&o, "row 1, column wage_monthly");
    assert!(!report_dir.exists(), "nothing is written for bad microdata");
}

#[test]
fn sim_writes_household_results_as_parquet_when_built_for_it() {
    let out = std::env::temp_dir().join(format!("minsheng-parquet-cli-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).expect("mkdir");
    let households = out.join("households.parquet");
    let persons = out.join("persons.parquet");
    let o = minsheng(&microdata_run(&households, &persons));
    if cfg!(feature = "parquet") {
        assert!(o.status.success(), "{}", stderr(&o));
        for file in [&households, &persons] {
            let bytes = std::fs::read(file).expect("written");
            assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"), "a Parquet file");
        }
    } else {
        assert_bad_input(&o, "without Parquet support");
        assert!(!households.exists() && !persons.exists(), "nothing written");
    }
}

/// A person with benefits but no income tax (a baby with the childcare
/// subsidy) gets the monthly table and no empty annual table.
#[test]
fn no_empty_annual_table_for_a_child() {
    let o = minsheng(&["calc", "examples/low-income-family-2025.yaml", "--lang", "en"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let baby = out.split("■ baby").nth(1).and_then(|rest| rest.split('■').next()).expect("the baby's section");
    assert!(baby.contains("Childcare subsidy"), "{baby}");
    assert!(!baby.contains("Amount"), "an annual table with no rows:\n{baby}");
}

/// A 2027 wage earner with no locality: exit 0, the tax computed, the
/// contributions unknown (in the JSON with what would supply them, and on
/// standard error), and the assumption under the tax stated; `--strict`
/// refuses it.
#[test]
fn unknown_contributions_block_nothing_else() {
    let text = "year: 2027\npersons:\n  me: {wage: {2027-01..2027-12: 20000}}\n";
    let path = std::env::temp_dir().join(format!("minsheng-unknown-{}.yaml", std::process::id()));
    std::fs::write(&path, text).expect("write");
    let file = path.to_str().expect("utf-8");
    let o = minsheng(&["calc", file, "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("unknown") && stderr(&o).contains("locality"), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let me = &doc["persons"]["me"]["figures"]["baseline"];
    assert_eq!(me["iit.withholding.wage_tax"]["2027-01"], "450.00");
    assert!(me["social_insurance.base"]["2027-01"].is_null());
    let unknowns = doc["unknowns"].as_array().expect("a list");
    let cause = unknowns.iter().find(|u| u["field"] == "persons.me.locality").expect("the missing locality");
    assert_eq!(cause["supplied_by"], serde_json::json!(["locality", "special_deduction"]));
    assert!(
        cause["figures"].as_array().expect("figures").iter().any(|f| f["variable"] == "social_insurance.take_home")
    );
    let notice = &doc["notices"][0];
    assert_eq!(notice["figures"][0]["variable"], "iit.special_deduction");
    assert!(notice["assumption"]["en"].as_str().expect("text").contains("taken as 0"));
    let strict = minsheng(&["calc", file, "--strict"]);
    assert_eq!(strict.status.code(), Some(2), "{}", stderr(&strict));
    assert!(strict.stdout.is_empty());
    let tables = stdout(&minsheng(&["calc", file, "--lang", "en"]));
    assert!(tables.contains("⚠ unknown") && tables.contains("give `locality` or `special_deduction`"), "{tables}");
}

/// Every input error of a file at once; in Chinese with `--lang zh`; as a
/// JSON document on standard error with `--json` (code, field, value, rule
/// and the message in both languages), nothing on standard output.
#[test]
fn every_input_error_at_once_in_either_language_and_in_json() {
    let text = "year: 2024\npersons:\n  a: {wage: {2024-13: 100}, wages: 5}\n  b: {birth_date: 2020-02-30}\nhouseholds:\n  h: {members: [a, nobody]}\n";
    let path = std::env::temp_dir().join(format!("minsheng-errors-{}.yaml", std::process::id()));
    std::fs::write(&path, text).expect("write");
    let file = path.to_str().expect("utf-8");
    let zh = minsheng(&["--lang", "zh", "calc", file]);
    assert_bad_input(&zh, "persons.a.wage.2024-13");
    let message = stderr(&zh);
    for field in ["persons.a.wages", "persons.b.birth_date", "households.h.members"] {
        assert!(message.contains(field), "{field} not reported: {message}");
    }
    assert!(message.contains("4 处输入错误") && message.contains("真实存在的日期"), "{message}");
    let json = minsheng(&["calc", file, "--json"]);
    assert_eq!(json.status.code(), Some(2));
    assert!(json.stdout.is_empty());
    let doc: serde_json::Value = serde_json::from_str(&stderr(&json)).expect("a JSON error document");
    assert_eq!(doc["schema_version"], "1.0");
    let errors = doc["errors"].as_array().expect("a list");
    assert_eq!(errors.len(), 4);
    let date = errors.iter().find(|e| e["field"] == "persons.b.birth_date").expect("the date");
    assert_eq!((date["code"].as_str(), date["value"].as_str()), (Some("invalid_input"), Some("\"2020-02-30\"")));
    assert!(date["message"]["zh"].as_str().expect("zh").contains("真实存在的日期"));
    assert!(date["message"]["en"].as_str().expect("en").contains("a real calendar date"));
}

/// A situation on standard input, and a stream of situations (NDJSON) on standard input.
#[test]
fn situations_on_standard_input() {
    use std::io::Write;
    let run = |args: &[&str], input: &str| {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_minsheng"))
            .args(args)
            .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("runs");
        child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write");
        child.wait_with_output().expect("ends")
    };
    let yaml = run(&["calc", "-", "--lang", "en"], "year: 2024\npersons:\n  me: {wage: {2024-01..2024-12: 10000}}\n");
    assert!(yaml.status.success(), "{}", stderr(&yaml));
    assert!(stdout(&yaml).contains("3,480.00"), "{}", stdout(&yaml));
    let lines = "{\"year\": 2024, \"persons\": {\"me\": {\"wage\": {\"2024-01..2024-12\": 10000}}}}\n".repeat(3);
    let stream = run(&["calc", "-", "--format", "ndjson", "--outputs", "iit.total"], &lines);
    assert!(stream.status.success(), "{}", stderr(&stream));
    let answers: Vec<serde_json::Value> =
        stdout(&stream).lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect();
    assert_eq!(answers.len(), 3);
    assert!(answers.iter().all(|a| a["persons"]["me"]["figures"]["baseline"]["iit.total"]["2024"] == "3480.00"));
    assert!(answers[0]["persons"]["me"]["figures"]["baseline"].get("iit.annual.tax").is_none(), "only what was asked");
}

/// Under `--json`, an error outside the situation (a reform file, a flag) is a JSON error document too.
#[test]
fn other_errors_under_json_are_json() {
    let o = minsheng(&["calc", "examples/sta-example-30000.yaml", "--json", "--outputs", "iit.nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    let doc: serde_json::Value = serde_json::from_str(&stderr(&o)).expect("a JSON error document");
    assert_eq!(doc["errors"][0]["field"], "--outputs iit.nope");
    assert!(doc["errors"][0]["rule"].as_str().expect("text").contains("no such variable"));
}

/// Inputs are bounded: a device, a pipe or a folder is refused, so is a file
/// above the size limit (which a flag raises), and so is a thread count
/// above four times the cores.
#[test]
fn inputs_are_bounded() {
    assert_bad_input(&minsheng(&["calc", "/dev/zero", "--format", "yaml"]), "not a regular file");
    assert_bad_input(&minsheng(&["calc", "examples", "--format", "yaml"]), "not a regular file");
    let big = write_temp("big.yaml", &format!("year: 2024\npersons:\n  a: {{}}\n# {}\n", "x".repeat(2 << 20)));
    let file = big.to_str().expect("utf-8");
    assert_bad_input(&minsheng(&["--max-input-mb", "1", "calc", file]), "--max-input-mb");
    assert!(minsheng(&["--max-input-mb", "4", "calc", file]).status.success());
    assert_bad_input(&minsheng(&["sim", "--year", "2024", "--persons", "1000", "--threads", "100000"]), "--threads");
}

/// The population run's outputs are checked before it runs: a target that is
/// a link, a pipe or a folder is refused (it would be replaced), as are two
/// outputs naming one file; and a run writes its files only when all are
/// written, leaving no partial file behind.
#[test]
fn sim_outputs_are_checked_before_the_run_and_never_half_written() {
    let dir = std::env::temp_dir().join(format!("minsheng-sim-targets-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    let keep = dir.join("keep.txt");
    std::fs::write(&keep, "mine").expect("write");
    let link = dir.join("link.csv");
    std::os::unix::fs::symlink(&keep, &link).expect("symlink");
    let persons = dir.join("persons.csv");
    let o = minsheng(&microdata_run(&link, &persons));
    assert_bad_input(&o, "not a regular file");
    assert_eq!(std::fs::read_to_string(&keep).expect("read"), "mine", "the link's target is untouched");
    let same = dir.join("same.csv");
    assert_bad_input(&minsheng(&microdata_run(&same, &same)), "writes the same file");
    let not_a_folder = dir.join("keep.txt");
    let o = minsheng(&[
        "sim",
        "--year",
        "2023",
        "--microdata",
        "examples/microdata.csv",
        "--out",
        not_a_folder.to_str().expect("utf-8"),
    ]);
    assert_bad_input(&o, "not a folder");
    // A good run: every file in place, no partial file left.
    let households = dir.join("households.csv");
    let o = minsheng(&microdata_run(&households, &persons));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(households.is_file() && persons.is_file());
    let partials = std::fs::read_dir(&dir)
        .expect("list")
        .filter(|e| e.as_ref().is_ok_and(|e| e.path().to_string_lossy().ends_with(".partial")))
        .count();
    assert_eq!(partials, 0);
}

/// Messages in the project's words: no library configuration advice, a
/// non-UTF-8 file named by its line.
#[test]
fn messages_in_the_projects_words() {
    let dup = write_temp("dup.yaml", "year: 2024\npersons:\n  a: {}\n  a: {}\n");
    let o = minsheng(&["calc", dup.to_str().expect("utf-8")]);
    assert_bad_input(&o, "duplicate mapping key");
    assert!(
        !stderr(&o).contains("DuplicateKeyPolicy") && stderr(&o).contains("each key is given once"),
        "{}",
        stderr(&o)
    );
    let path = std::env::temp_dir().join(format!("minsheng-latin1-{}.csv", std::process::id()));
    std::fs::write(&path, b"household_id,person_id\n\xff\xfe,a\n").expect("write");
    let o = minsheng(&["sim", "--year", "2023", "--microdata", path.to_str().expect("utf-8")]);
    assert_bad_input(&o, "line 2");
    assert!(stderr(&o).contains("not UTF-8"), "{}", stderr(&o));
}

/// Every pair of output targets, of every kind (new, an existing file, a
/// link, a folder, a pipe, the other output's path, a path in a missing
/// folder): the run succeeds exactly when both are plain files of their own,
/// refuses the others with exit 2, never touches what a link or a pipe
/// leads to, and leaves no partial file.
#[test]
fn every_kind_of_output_target() {
    let dir = std::env::temp_dir().join(format!("minsheng-targets-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    let victim = dir.join("victim.txt");
    let kinds = ["new", "existing", "link", "folder", "pipe", "same", "missing"];
    let make = |kind: &str, name: &str, other: &Path| -> (PathBuf, bool) {
        let path = dir.join(name);
        let _ = std::fs::remove_file(&path);
        let _ = std::fs::remove_dir_all(&path);
        std::fs::write(&victim, "keep").expect("write");
        match kind {
            "existing" => std::fs::write(&path, "old").expect("write"),
            "link" => std::os::unix::fs::symlink(&victim, &path).expect("link"),
            "folder" => std::fs::create_dir_all(&path).expect("mkdir"),
            "pipe" => {
                let status = Command::new("mkfifo").arg(&path).status().expect("mkfifo");
                assert!(status.success());
            }
            "same" => return (other.to_path_buf(), false),
            "missing" => return (dir.join("no-such-folder").join(name), false),
            _ => {}
        }
        (path, matches!(kind, "new" | "existing"))
    };
    for first in kinds.iter().filter(|k| **k != "same") {
        for second in &kinds {
            let (households, ok1) = make(first, "households.csv", Path::new(""));
            let (persons, ok2) = make(second, "persons.csv", &households);
            let o = minsheng(&microdata_run(&households, &persons));
            let code = o.status.code();
            if ok1 && ok2 {
                assert_eq!(code, Some(0), "{first} + {second}: {}", stderr(&o));
            } else {
                assert_eq!(code, Some(2), "{first} + {second}: {}", stderr(&o));
                assert!(o.stdout.is_empty());
            }
            assert_eq!(std::fs::read_to_string(&victim).expect("read"), "keep", "{first} + {second}");
            let partial = std::fs::read_dir(&dir)
                .expect("list")
                .filter_map(Result::ok)
                .any(|e| e.path().to_string_lossy().ends_with(".partial"));
            assert!(!partial, "{first} + {second} left a partial file");
        }
    }
}

/// A result resting on values the official text does not confirm says so, in
/// the JSON (`confidence`) and under the tables: Beijing's bases are M.
#[test]
fn a_result_names_the_values_below_high_confidence_it_rests_on() {
    let text = "year: 2024\npersons:\n  a: {locality: beijing, wage: {2024-01..2024-12: 3000}}\n";
    let path = write_temp("beijing.yaml", text);
    let o = minsheng(&["calc", path.to_str().expect("utf-8 path"), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(doc["confidence"]["lowest"], "medium");
    let listed = doc["confidence"]["parameters"].as_array().expect("a list");
    for from in ["2023-07-01", "2024-07-01"] {
        assert!(
            listed.iter().any(|p| p["parameter"] == "local.beijing.base_floor_monthly"
                && p["from"] == from
                && p["document"] == "bj-si-bases"
                && p["confidence"] == "medium"),
            "the floor from {from} is listed: {listed:#?}"
        );
    }
    assert!(listed.iter().all(|p| p["confidence"] != "high"), "only values below high: {listed:#?}");
    let tables = stdout(&calc_text("beijing.yaml", text));
    assert!(tables.contains("not confirmed by the official text"), "{tables}");
    assert!(tables.contains("local.beijing.base_floor_monthly (2024-07-01, medium, bj-si-bases)"), "{tables}");
}

/// A locality of the user's own, laid over the rules built in with its own
/// sources: computed with its figures, and refused, naming the file and the
/// key, when it leaves a key out.
#[test]
fn a_users_locality_is_laid_over_the_built_in_rules() {
    let dir = std::env::temp_dir().join(format!("minsheng-overlay-{}", std::process::id()));
    let local = dir.join("params/local");
    std::fs::create_dir_all(&local).expect("overlay folder");
    let beijing = std::fs::read_to_string(root().join("rules/params/local/beijing.yaml")).expect("beijing.yaml");
    let file = beijing.replace("bj-si-bases", "mine").replace("7162", "7000");
    std::fs::write(local.join("mytown.yaml"), &file).expect("write");
    let sources = "mine:\n  number: 示例\n  title: 示例\n  title_en: An example\n  confidence: low\n";
    std::fs::write(dir.join("sources.yaml"), sources).expect("write");
    let text = "year: 2025\npersons:\n  a: {locality: mytown, wage: {2025-01..2025-12: 3000}}\n";
    let situation = write_temp("mytown.yaml", text);
    let args = ["--rules-overlay", dir.to_str().expect("utf-8"), "calc", situation.to_str().expect("utf-8"), "--json"];
    let o = minsheng(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let base = &doc["persons"]["a"]["figures"]["baseline"]["social_insurance.base"];
    assert_eq!((&base["2025-06"], &base["2025-07"]), (&serde_json::json!("6821.00"), &serde_json::json!("7000.00")));
    assert_eq!(doc["confidence"]["lowest"], "low", "the user's own figures travel with their confidence");
    std::fs::write(local.join("mytown.yaml"), file.replace("medical_employer_rate:", "medical_employer_rat:"))
        .expect("write");
    let o = minsheng(&args);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("params/local/mytown.yaml") && err.contains("medical_employer_rate"), "{err}");
    std::fs::remove_dir_all(&dir).expect("clean up");
}

#[test]
fn pension_projects_the_example_and_compares_the_window() {
    let o = minsheng(&["pension", "examples/pension-beijing.yaml", "--pension-base", "12049", "--lang", "en"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("Statutory retirement 2029-05") && out.contains("elastic window 2028-06 – 2032-05"), "{out}");
    // One line per month of the window (48), the statutory one marked.
    assert_eq!(out.lines().filter(|l| l.starts_with("│ 20")).count(), 48, "{out}");
    assert!(out.contains("2029-05 ★statutory"), "{out}");
    assert!(out.contains("Crediting rate of the years not yet published") && out.contains("default"), "{out}");
    assert!(out.contains("pension.account.crediting_rate (2025-01-01, medium, mohrss-crediting-rates)"), "{out}");
    let json = minsheng(&["pension", "examples/pension-beijing.yaml", "--pension-base", "12049", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(doc["minsheng_projection"], "1.0");
    let points = doc["points"].as_array().expect("points");
    assert_eq!(points.len(), 48);
    let monthly: Vec<f64> = points.iter().map(|p| p["monthly"].as_str().expect("money").parse().expect("n")).collect();
    assert!(monthly.windows(2).all(|w| w[1] >= w[0]), "a later month never pays less: {monthly:?}");
}

#[test]
fn pension_refuses_bad_options_with_exit_2() {
    let o = minsheng(&["pension", "examples/pension-beijing.yaml"]);
    assert_bad_input(&o, "projection.pension_base");
    let o = minsheng(&["pension", "examples/pension-beijing.yaml", "--pension-base", "12049", "--wage-growth", "3"]);
    assert_bad_input(&o, "projection.wage_growth");
    let o = minsheng(&["pension", "examples/pension-beijing.yaml", "--pension-base", "-1"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let both = write_temp(
        "both.yaml",
        "year: 2026\npersons:\n  x:\n    birth_date: 1970-01-01\n    retirement_group: male\n    contribution_months: 100\n    pension_career: {2025: {base: 8000}}\n",
    );
    let o = minsheng(&["pension", both.to_str().expect("utf-8"), "--pension-base", "10000"]);
    assert_bad_input(&o, "persons.x.contribution_months");
}

/// `sim --years`: each year run alone, a reform's net effect and the budget a
/// column a year (projected years marked), the files of `--out`; a range it
/// cannot run is refused naming the flag.
#[test]
fn sim_over_years_gives_each_years_effect() {
    let dir = std::env::temp_dir().join(format!("minsheng-years-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let reform = dir.with_extension("yaml");
    std::fs::write(
        &reform,
        "name: higher-deduction\nlabel: {zh: 提高基本减除费用, en: Higher basic deduction}\nchanges:\n  \
         - {parameter: iit.comprehensive.basic_deduction_annual, from: 2026-01-01, amount: 72000}\n",
    )
    .expect("reform");
    let args = ["sim", "--years", "2025..2026", "--persons", "3000", "--reform", reform.to_str().expect("path")];
    let out = minsheng(&[&args[..], &["--out", dir.to_str().expect("path")]].concat());
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("2026 预测") && text.contains("net budget effect"), "{text}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("years.json")).expect("years.json")).expect("json");
    let reports = json["reports"].as_array().expect("reports");
    assert_eq!(reports.len(), 2);
    // The reform starts in 2026: nothing in 2025, less tax in 2026.
    assert_eq!(reports[0]["net_budget_change_yi"][0], 0.0);
    assert!(reports[1]["net_budget_change_yi"][0].as_f64().expect("number") < 0.0);
    assert!(reports[1]["projected"].is_string() && reports[0]["projected"].is_null());
    assert!(std::fs::read_to_string(dir.join("years.svg")).expect("svg").contains("higher-deduction"));
    for bad in ["2026..2025", "2020..2022", "2025", "2025..2040"] {
        assert_bad_input(&minsheng(&["sim", "--years", bad, "--persons", "100"]), "--years");
    }
    assert_bad_input(
        &minsheng(&["sim", "--years", "2025..2026", "--persons", "100", "--households-out", "h.csv"]),
        "single --year",
    );
}
