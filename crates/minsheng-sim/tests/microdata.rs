//! No microdata, however malformed, makes the run panic: it is refused with
//! its row and column, or it runs.

use minsheng_cn::RuleBook;
use minsheng_sim::{Config, Population, read_csv, simulate};
use proptest::prelude::*;

const HEADER: &str = "household_id,person_id,age,sex,urban,wage_monthly,insured,pension_last_december,resident_pension_account,claimed_by,weight";

fn book() -> &'static RuleBook {
    static BOOK: std::sync::OnceLock<RuleBook> = std::sync::OnceLock::new();
    BOOK.get_or_init(|| RuleBook::embedded().expect("rule book"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Any text after the header is read or refused, never a panic.
    #[test]
    fn any_text_is_read_or_refused(body in "(?s).{0,300}") {
        let _ = read_csv(&format!("{HEADER}\n{body}"));
    }

    /// Valid rows at the edges of every range (ages 0 to 120, amounts up to a
    /// trillion yuan, the largest weight allowed) run through every programme in every year.
    #[test]
    fn extreme_but_valid_rows_run(
        age in 0u32..=120,
        male in any::<bool>(),
        urban in any::<bool>(),
        wage in prop::sample::select(vec!["", "0", "0.01", "5000", "999999999999"]),
        pension in prop::sample::select(vec!["", "0", "3000", "999999999999"]),
        account in prop::sample::select(vec!["", "0", "4000", "999999999999"]),
        claimed in prop::sample::select(vec!["", "a"]),
        weight in prop::sample::select(vec!["1", "0.5", "1e10"]),
        year in 2021i32..=2024,
    ) {
        let (sex, urban) = (if male { "M" } else { "F" }, u8::from(urban));
        let insured = u8::from(!matches!(wage, "" | "0"));
        let text = format!(
            "{HEADER}\nh1,a,35,M,{urban},6000,1,,,,{weight}\nh1,b,{age},{sex},{urban},{wage},{insured},{pension},{account},{claimed},{weight}\n"
        );
        let (households, weights) = read_csv(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let config = Config { seed: 1, partition_size: 64, keep_results: true, ..Config::new(year, 2) };
        let run = simulate(book(), &config, Population::Microdata(households, weights), &[], &|_| {});
        prop_assert!(run.is_ok(), "{:?}", run.err());
    }

    /// Rows of wild values are refused with a row and a column, or the whole
    /// run completes, in every year.
    #[test]
    fn wild_rows_are_refused_or_run(
        age in prop::sample::select(vec!["0", "17", "59", "60", "120", "121", "-1", "1.5", ""]),
        sex in prop::sample::select(vec!["M", "F", "m", ""]),
        urban in prop::sample::select(vec!["0", "1", "2", ""]),
        wage in prop::sample::select(vec!["", "0", "0.01", "5000", "999999999999", "1000000000001", "-1", "1e3", "nan"]),
        insured in prop::sample::select(vec!["0", "1", ""]),
        pension in prop::sample::select(vec!["", "0", "3000", "999999999999", "-5"]),
        account in prop::sample::select(vec!["", "0", "4000", "999999999999"]),
        claimed in prop::sample::select(vec!["", "a", "b", "a;b", "a;a", "z"]),
        weight in prop::sample::select(vec!["1", "0.5", "1e300", "0", "-1", "inf", ""]),
        year in 2021i32..=2024,
    ) {
        let text = format!(
            "{HEADER}\nh1,a,35,M,{urban},6000,1,,,,{weight}\nh1,b,{age},{sex},{urban},{wage},{insured},{pension},{account},{claimed},{weight}\n"
        );
        match read_csv(&text) {
            Err(e) => prop_assert!(e.row <= 2 && !e.column.is_empty(), "{e}"),
            Ok((households, weights)) => {
                let config = Config { seed: 1, partition_size: 64, keep_results: true, ..Config::new(year, 2) };
                let run = simulate(book(), &config, Population::Microdata(households, weights), &[], &|_| {});
                prop_assert!(run.is_ok(), "{:?}", run.err());
            }
        }
    }
}
