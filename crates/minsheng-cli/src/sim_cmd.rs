//! `minsheng sim`: the population run: a calibrated synthetic population of
//! China, the baseline and reforms, the budget by programme, the distribution
//! of gains and losses, poverty, inequality and validation.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};
use minsheng_cn::RuleBook;
use minsheng_core::{Lang, Reform};
use minsheng_sim::chart::{self, text};
use minsheng_sim::generate::SynthHousehold;
use minsheng_sim::sampling::shown;
use minsheng_sim::table::{self as results_table, Table};
use minsheng_sim::{Config, Engine, Population, Stage, markdown};

use crate::error::{CliError, read_file};
use crate::table;

/// Arguments of `minsheng sim`.
#[derive(clap::Args)]
pub struct SimArgs {
    /// The year to simulate (the built-in population covers 2021–2025 from data and 2026–2030
    /// projected).
    #[arg(long, default_value_t = 2022)]
    pub(crate) year: i32,
    /// Several years, `FROM..TO` (e.g. `2025..2030`): each run alone, the budget and each
    /// reform's net effect given year by year (a table; with --out, years.md, years.json and
    /// years.svg). Instead of --year.
    #[arg(long, value_name = "FROM..TO", conflicts_with = "year")]
    pub(crate) years: Option<String>,
    /// About how many persons to sample; weights make the sample stand for the whole country.
    #[arg(long, default_value_t = 1_000_000)]
    pub(crate) persons: usize,
    /// The seed of the synthetic population (the same seed gives the same population).
    #[arg(long, default_value_t = 2022)]
    seed: u64,
    /// A reform file to compare with the baseline (repeat for several).
    #[arg(long, value_name = "FILE")]
    pub(crate) reform: Vec<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// What computes the households: `kernel` (the year kernel, held equal to the formulas by
    /// tests, with the formulas for any household it does not cover) or `formulas` (the rule
    /// book's formulas for every household: about 100 times slower).
    #[arg(long, value_enum, default_value_t = EngineArg::Kernel)]
    engine: EngineArg,
    /// Leave out the imputed transfers: by default the built-in population is given the net
    /// transfers the rules do not compute (medical reimbursements, transfers between households,
    /// local subsidies), fitted so that its five income quintiles are NBS's; with this flag the
    /// distribution is the rules' alone.
    #[arg(long)]
    no_imputed_transfers: bool,
    /// Write report.json, report.md and the charts (deciles.svg, budget.svg) to this folder.
    #[arg(long, value_name = "DIR")]
    pub(crate) out: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    pub(crate) json: bool,
    /// Run the user's microdata (CSV, or Parquet when built with the `parquet` feature; one row
    /// per person, schema in the README) instead of the built-in synthetic population.
    #[arg(long, value_name = "FILE.csv|FILE.parquet")]
    pub(crate) microdata: Option<PathBuf>,
    /// Write per-household results to this file: Parquet if it ends in `.parquet` (with the
    /// `parquet` feature), else CSV.
    #[arg(long, value_name = "FILE.csv|FILE.parquet")]
    households_out: Option<PathBuf>,
    /// Write per-person results (age, sex, activity and each scenario's income, tax,
    /// contributions, benefits and disposable income) to this file, Parquet or CSV as above.
    #[arg(long, value_name = "FILE.csv|FILE.parquet")]
    persons_out: Option<PathBuf>,
    /// Write the result tables long (tidy): one row per household or person and scenario, with
    /// a `scenario` column, instead of a column per figure and scenario (`income_tax[baseline]`).
    #[arg(long)]
    long: bool,
    /// Write amounts and weights in Parquet as 64-bit floats (yuan), for plotting, instead of
    /// exact decimals (amounts to the fen, weights to 1e-9).
    #[arg(long)]
    float: bool,
}

/// The choices of `--engine`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum)]
enum EngineArg {
    Kernel,
    Formulas,
}

/// Runs `minsheng sim`.
pub fn run(book: &RuleBook, args: &SimArgs, lang: Lang) -> Result<String, CliError> {
    // The whole country is about 1.41 billion persons; the run streams, so any size fits in memory.
    if args.persons == 0 || args.persons > 2_000_000_000 {
        return Err(CliError::Input(format!(
            "--persons {}: give 1 to 2,000,000,000 persons (the whole country is about 1,410,000,000)",
            args.persons
        )));
    }
    if let Some(n) = args.threads {
        let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
        if n == 0 || n > 4 * cores {
            return Err(CliError::Input(format!(
                "--threads {n}: give 1 to {} (four times the {cores} cores)",
                4 * cores
            )));
        }
        // A second call (in tests) finds the pool already built; that is fine.
        let _ = rayon::ThreadPoolBuilder::new().num_threads(n).build_global();
    }
    for (flag, path) in outputs(args) {
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
        if !parent.is_dir() {
            return Err(CliError::Input(format!(
                "{flag} {}: the folder {} does not exist",
                path.display(),
                parent.display()
            )));
        }
        #[cfg(not(feature = "parquet"))]
        if is_parquet(path) {
            return Err(no_parquet(path));
        }
    }
    check_targets(args)?;
    let reforms = read_reforms(book, args)?;
    if let Some(range) = &args.years {
        return crate::sim_years::run(book, args, range, &reforms, lang);
    }
    let config = config(args, args.year);
    let input_error = |e: minsheng_sim::SimError| match e {
        minsheng_sim::SimError::Targets(t) => CliError::Input(format!("--year {}: {t}", args.year)),
        minsheng_sim::SimError::Results(message) => CliError::Input(message),
        other => CliError::Internal(other.to_string()),
    };
    let population = match &args.microdata {
        Some(path) => {
            let (households, weights) = read_microdata(path)?;
            Population::Microdata(households, weights)
        }
        None => Population::Synthetic,
    };
    let bar = if args.json { ProgressBar::hidden() } else { ProgressBar::new(0) };
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} partitions · {elapsed} · ETA {eta}")
            .map_err(|e| CliError::Internal(e.to_string()))?
            .progress_chars("=> "),
    );
    // The synthetic population is read twice: once to calibrate (at most its first
    // partitions), once to simulate.
    let progress = |stage: Stage| {
        let (label, partitions) = match stage {
            Stage::Calibrating(n) => ("calibrating 校准中", n),
            Stage::CountingEligible(n) => ("counting 低保 eligibility 测算低保资格", n),
            Stage::Imputing(n) => ("fitting imputed transfers 估算未模拟转移", n),
            Stage::Simulating(n) => ("simulating 模拟中", n),
        };
        if bar.message() != label {
            bar.set_message(label);
            bar.set_length(partitions as u64);
            bar.set_position(0);
            bar.reset_eta();
        }
        bar.inc(1);
    };
    // The result tables are written as the run goes, a batch at a time, to partial files.
    let layout = Layout {
        year: args.year,
        shape: if args.long { results_table::Shape::Long } else { results_table::Shape::Wide },
        numbers: if args.float { results_table::Numbers::Float } else { results_table::Numbers::Exact },
    };
    let mut tables: Vec<ResultFile> = outputs(args).map(|(flag, path)| ResultFile::new(flag, path, layout)).collect();
    let mut write_results = |names: &[String], results: Vec<minsheng_sim::run::HouseholdResult>| {
        tables.iter_mut().try_for_each(|t| t.append(names, &results)).map_err(minsheng_sim::SimError::Results)
    };
    let outcome = minsheng_sim::simulate_with(book, &config, population, &reforms, &progress, &mut write_results)
        .map_err(input_error)?;
    bar.finish_and_clear();
    let report = outcome.report;
    let mut staged = Staged::default();
    let written: Vec<String> = tables.iter().map(ResultFile::described).collect();
    for table in tables {
        let (partial, path) = table.finish().map_err(CliError::Input)?;
        staged.files.push((partial, path));
    }

    let md = markdown::render(&report);
    let json = serde_json::to_string_pretty(&report)?;
    if let Some(dir) = &args.out {
        let files = report_files(&report, &json, &md);
        std::fs::create_dir_all(dir).map_err(|e| CliError::Input(format!("{}: {e}", dir.display())))?;
        for (name, text) in files {
            staged.stage("--out", &dir.join(name), text.as_bytes())?;
        }
    }
    // Everything is written: the files take their names together.
    staged.commit()?;
    if args.json {
        return Ok(json + "\n");
    }
    let mut out = summary(&report, lang);
    if let Some(dir) = &args.out {
        let _ = writeln!(out, "Report, calibration and charts written to {}", dir.display());
    }
    for line in written {
        let _ = writeln!(out, "written 已写入 {line}");
    }
    Ok(out)
}

/// The files of `--out`: the report as JSON and Markdown, and its charts: by
/// decile (every reform, in yuan and relative to income) and by programme
/// (every reform's change, or the baseline's totals).
fn report_files(report: &minsheng_sim::report::Report, json: &str, md: &str) -> Vec<(&'static str, String)> {
    let reforms: Vec<String> = report.scenarios.iter().skip(1).cloned().collect();
    let deciles: Vec<String> = report.deciles.iter().map(|d| format!("D{}", d.decile)).collect();
    let by_reform = |f: &dyn Fn(&minsheng_sim::report::DecileRow, usize) -> f64| -> Vec<(String, Vec<f64>)> {
        reforms
            .iter()
            .enumerate()
            .map(|(i, name)| (name.clone(), report.deciles.iter().map(|d| f(d, i)).collect()))
            .collect()
    };
    let computed: Vec<&minsheng_sim::report::BudgetRow> =
        report.budget.iter().filter(|b| b.status == minsheng_sim::report::BudgetStatus::Computed).collect();
    let programmes: Vec<String> = computed.iter().map(|b| format!("{} {}", b.programme_zh, b.programme_en)).collect();
    let mut files = vec![("report.json", json.to_string()), ("report.md", md.to_string())];
    if reforms.is_empty() {
        let income = vec![(String::new(), report.deciles.iter().map(|d| d.mean_income_per_person).collect())];
        files.push(("deciles.svg", chart::grouped(text::INCOME_BY_DECILE, text::YUAN_PER_PERSON, &deciles, &income)));
        let totals = vec![(String::new(), computed.iter().map(|b| b.totals_yi[0]).collect())];
        files.push(("budget.svg", chart::grouped(text::BUDGET, text::YI, &programmes, &totals)));
    } else {
        let absolute = by_reform(&|d, i| d.mean_change_per_person[i]);
        files.push(("deciles.svg", chart::grouped(text::CHANGE_BY_DECILE, text::YUAN_PER_PERSON, &deciles, &absolute)));
        let relative = by_reform(&|d, i| d.relative_change[i] * 100.0);
        let relative_chart = chart::grouped(text::RELATIVE_BY_DECILE, text::PERCENT_OF_INCOME, &deciles, &relative);
        files.push(("deciles-relative.svg", relative_chart));
        let changes = reforms
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), computed.iter().map(|b| b.changes_yi[i]).collect()))
            .collect::<Vec<_>>();
        files.push(("budget.svg", chart::grouped(text::BUDGET_CHANGE, text::YI, &programmes, &changes)));
    }
    files
}

/// The run summarised for the terminal: what was run, the budget, deciles, poverty, taxpayers and validation.
fn summary(report: &minsheng_sim::report::Report, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "minsheng sim · {} · {} households, {} persons sampled, standing for {:.0} 万 persons · {:.1} s on {} threads ({:.0} persons/s, {:.0} person-scenarios/s)",
        report.year,
        report.households_sampled,
        report.persons_sampled,
        report.persons_represented / 1e4,
        report.seconds,
        report.threads,
        report.persons_sampled as f64 / report.seconds.max(1e-9),
        report.persons_sampled as f64 * report.scenarios.len() as f64 / report.seconds.max(1e-9)
    );
    let _ = writeln!(
        out,
        "computed by the year kernel 年度核算内核: {} of {} households; by the formulas 逐项公式: {}{}",
        report.households_by_kernel,
        report.households_sampled,
        report.households_sampled - report.households_by_kernel.min(report.households_sampled),
        report.kernel_refused.as_ref().map_or(String::new(), |why| format!(" ({why})"))
    );
    if let Some(line) = markdown::imputed_line(report) {
        let _ = writeln!(out, "{line}");
    }
    if let Some(line) = &report.dibao_standards_assumed {
        let _ = writeln!(out, "note 注意: {line}");
    }
    if let Some(how) = &report.projected {
        let _ = writeln!(out, "projection 预测年度: the targets are {how}; nothing is validated against them");
        let carried: Vec<&str> = report.law_carried_forward.iter().map(|c| c.parameter.as_str()).collect();
        let _ = writeln!(
            out,
            "the law as last known, carried forward 沿用最新已知政策 ({}; values in report.md): {}",
            carried.len(),
            carried.join(", ")
        );
    }
    for o in &report.reforms_outside_year {
        let _ = writeln!(out, "note 注意: {}", markdown::outside_year(o, report.year));
    }
    if let Some(worst) = report.calibration.iter().max_by(|a, b| a.gap_percent.abs().total_cmp(&b.gap_percent.abs())) {
        let _ = writeln!(
            out,
            "calibrated to 校准至 {} official targets (every one in report.md with `--out`); largest gap 最大差距 {:+.2}%: {}",
            report.calibration.len(),
            worst.gap_percent,
            worst.name
        );
    }
    let mut headers = vec!["programme 项目".to_string()];
    headers.extend(report.scenarios.iter().map(|s| format!("{s}\n亿元")));
    headers.extend(report.scenarios.iter().skip(1).map(|s| format!("Δ {s}\n亿元")));
    let mut t = table::new(headers, 1);
    for b in &report.budget {
        let name = lang.pick(&b.programme_zh, &b.programme_en, " ");
        let mut row = vec![name];
        let errors = |se: &Option<Vec<f64>>, i: usize| se.as_ref().and_then(|e| e.get(i).copied());
        let totals = b.totals_yi.iter().enumerate().map(|(i, v)| (*v, errors(&b.totals_se_yi, i)));
        let changes = b.changes_yi.iter().enumerate().map(|(i, v)| (*v, errors(&b.changes_se_yi, i)));
        row.extend(totals.chain(changes).map(|(v, se)| b.status.shown().map_or_else(|| shown(v, se, 2), String::from)));
        t.add_row(row);
    }
    let _ = writeln!(out, "{t}");
    for (s, (i, v)) in report.scenarios.iter().skip(1).zip(report.net_budget_change_yi.iter().enumerate()) {
        let se = report.net_budget_change_se_yi.as_ref().and_then(|e| e.get(i).copied());
        let _ =
            writeln!(out, "net budget effect 净财政影响 of `{s}`: {} 亿元 (revenue less spending)", shown(*v, se, 2));
    }
    if let Some(m) = &report.sampling {
        let _ = writeln!(
            out,
            "± one standard error 标准误, from {} replicate groups of partitions (README: sampling error); figures rounded to it",
            m.groups
        );
    }
    if report.scenarios.len() > 1 {
        let mut t = table::new(
            vec![
                "decile 组".into(),
                "income/person 人均收入".into(),
                "Δ/person 人均变化".into(),
                "winners 受益".into(),
                "losers 受损".into(),
            ],
            1,
        );
        let first = |se: &Option<Vec<f64>>| se.as_ref().and_then(|e| e.first().copied());
        for d in &report.deciles {
            let percent = |v: f64, se: Option<f64>| format!("{}%", shown(v * 100.0, se.map(|e| e * 100.0), 1));
            t.add_row(vec![
                d.decile.to_string(),
                format!("{:.0}", d.mean_income_per_person),
                shown(d.mean_change_per_person[0], first(&d.mean_change_se), 2),
                percent(d.winners_share[0], first(&d.winners_share_se)),
                percent(d.losers_share[0], first(&d.losers_share_se)),
            ]);
        }
        let _ = writeln!(out, "\nBy income decile 按收入十等分组 ({})\n{t}", report.scenarios[1]);
    }
    let mut t = table::new(
        vec!["scenario 方案".into(), "below 低保 line 万人".into(), "below half median 万人".into(), "Gini".into()],
        1,
    );
    for d in &report.distribution {
        t.add_row(vec![
            d.scenario.clone(),
            d.below_dibao_line
                .map_or("not assessed".into(), |v| shown(v / 1e4, d.below_dibao_line_se.map(|e| e / 1e4), 1)),
            shown(d.below_relative_line / 1e4, d.below_relative_line_se.map(|e| e / 1e4), 1),
            shown(d.gini, d.gini_se, 4),
        ]);
    }
    let _ = writeln!(out, "\nPoverty and inequality 贫困与不平等\n{t}");
    let mut t = table::new(
        vec!["scenario 方案".into(), "taxpayers 纳税人".into(), "pay less 减税".into(), "pay more 增税".into()],
        1,
    );
    let wan = |v: Option<f64>, se: Option<f64>| v.map_or("—".into(), |v| shown(v / 1e4, se.map(|e| e / 1e4), 1));
    for row in &report.taxpayers {
        t.add_row(vec![
            row.scenario.clone(),
            wan(Some(row.taxpayers), row.taxpayers_se),
            wan(row.paying_less, row.paying_less_se),
            wan(row.paying_more, row.paying_more_se),
        ]);
    }
    let _ = writeln!(out, "\nIncome tax payers 个税纳税人 (万人)\n{t}");
    let mut t = table::new(
        vec![
            "validation 验证".into(),
            "unit".into(),
            "simulated 模拟".into(),
            "official 官方".into(),
            "gap 差距".into(),
        ],
        2,
    );
    for v in &report.validation {
        t.add_row(vec![
            v.item.clone(),
            v.unit.clone(),
            shown(v.simulated, v.simulated_se, v.decimals()),
            format!("{:.*}", v.decimals(), v.official),
            format!("{:+.1}% {}", v.gap_percent, if v.within_band { "✓" } else { "✗" }),
        ]);
    }
    let _ = writeln!(out, "\n{t}");
    let _ = writeln!(
        out,
        "✓ within its band 在容差内 (amounts ±10%, counts ±15%, Gini ±0.02); ✗ outside, explained in report.md (--out) 超出容差的说明见 report.md"
    );
    out
}

fn is_parquet(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("parquet"))
}

#[cfg(not(feature = "parquet"))]
fn no_parquet(path: &Path) -> CliError {
    CliError::Input(format!(
        "{}: this minsheng was built without Parquet support; rebuild with `cargo build --release -p minsheng-cli --features parquet`, or give a CSV file",
        path.display()
    ))
}

/// Reads the user's microdata, CSV or Parquet by the file's extension.
fn read_microdata(path: &Path) -> Result<(Vec<SynthHousehold>, Vec<f64>), CliError> {
    let located = |e: minsheng_sim::MicrodataError| CliError::Input(format!("{}: {e}", path.display()));
    if is_parquet(path) {
        #[cfg(feature = "parquet")]
        return minsheng_sim::read_parquet(path).map_err(located);
        #[cfg(not(feature = "parquet"))]
        return Err(no_parquet(path));
    }
    minsheng_sim::read_csv(&read_file(path)?).map_err(located)
}

/// The reform files of `--reform`, applied to the baseline.
fn read_reforms(book: &RuleBook, args: &SimArgs) -> Result<Vec<(String, minsheng_core::ParamSet)>, CliError> {
    let mut reforms = Vec::new();
    for path in &args.reform {
        let r =
            Reform::from_yaml(&read_file(path)?).map_err(|e| CliError::Input(format!("{}: {e}", path.display())))?;
        let params = r.apply(&book.baseline).map_err(|e| CliError::Input(format!("{}: {e}", path.display())))?;
        reforms.push((r.name.clone(), params));
    }
    Ok(reforms)
}

/// The run's configuration for `year`.
pub(crate) fn config(args: &SimArgs, year: i32) -> Config {
    Config {
        seed: args.seed,
        impute_transfers: !args.no_imputed_transfers,
        keep_results: outputs(args).next().is_some(),
        engine: match args.engine {
            EngineArg::Kernel => Engine::Kernel,
            EngineArg::Formulas => Engine::Formulas,
        },
        ..Config::new(year, args.persons)
    }
}

/// The result files asked for, with their flags.
pub(crate) fn outputs(args: &SimArgs) -> impl Iterator<Item = (&'static str, &PathBuf)> {
    [("--households-out", &args.households_out), ("--persons-out", &args.persons_out)]
        .into_iter()
        .filter_map(|(flag, path)| Some((flag, path.as_ref()?)))
}

/// A result table (`--households-out`, `--persons-out`) written as the run
/// goes: CSV rows appended to a partial file, or Parquet batches, so memory
/// holds one batch of households, whatever the population.
struct ResultFile {
    flag: &'static str,
    path: PathBuf,
    partial: PathBuf,
    layout: Layout,
    /// Rows written so far.
    rows: usize,
    /// Households written so far (the next batch numbers its households on from them).
    households: u64,
    out: TableOut,
}

/// How the result tables are laid out (`--long`, `--float`), for the run's year.
#[derive(Clone, Copy)]
struct Layout {
    year: i32,
    shape: results_table::Shape,
    numbers: results_table::Numbers,
}

enum TableOut {
    /// Not opened yet (the first batch gives the columns).
    Pending,
    Csv(std::io::BufWriter<std::fs::File>),
    #[cfg(feature = "parquet")]
    Parquet(Box<minsheng_sim::ParquetTableWriter>),
}

impl ResultFile {
    fn new(flag: &'static str, path: &Path, layout: Layout) -> ResultFile {
        ResultFile {
            flag,
            path: path.to_path_buf(),
            partial: partial_path(path),
            layout,
            rows: 0,
            households: 0,
            out: TableOut::Pending,
        }
    }

    fn failed(&self, e: impl std::fmt::Display) -> String {
        format!("{} {}: {e}", self.flag, self.path.display())
    }

    /// The table of `results` this file holds.
    fn table(&self, names: &[String], results: &[minsheng_sim::run::HouseholdResult]) -> Table {
        let Layout { year, shape, numbers } = self.layout;
        let spec = results_table::Spec { year, scenarios: names, shape, numbers, first_household: self.households };
        match self.flag {
            "--persons-out" => results_table::persons(&spec, results),
            _ => results_table::households(&spec, results),
        }
    }

    /// Appends a batch of households.
    fn append(&mut self, names: &[String], results: &[minsheng_sim::run::HouseholdResult]) -> Result<(), String> {
        use std::io::Write as _;
        let table = self.table(names, results);
        self.rows += table.rows;
        self.households += results.len() as u64;
        if matches!(self.out, TableOut::Pending) {
            register_partial(&self.partial);
            self.out = if is_parquet(&self.path) {
                #[cfg(feature = "parquet")]
                {
                    TableOut::Parquet(Box::new(
                        minsheng_sim::ParquetTableWriter::create(&self.partial, &table).map_err(|e| self.failed(e))?,
                    ))
                }
                #[cfg(not(feature = "parquet"))]
                return Err(self.failed("this minsheng was built without Parquet support"));
            } else {
                let file = std::fs::File::create(&self.partial).map_err(|e| self.failed(e))?;
                let mut w = std::io::BufWriter::new(file);
                w.write_all(table.csv_header().as_bytes()).map_err(|e| self.failed(e))?;
                TableOut::Csv(w)
            };
        }
        let written = match &mut self.out {
            TableOut::Csv(w) => w.write_all(table.csv_rows().as_bytes()).map_err(|e| e.to_string()),
            #[cfg(feature = "parquet")]
            TableOut::Parquet(w) => w.write(&table),
            TableOut::Pending => Ok(()),
        };
        written.map_err(|e| self.failed(e))
    }

    /// What the file holds, for the line that says what was written where.
    fn described(&self) -> String {
        let what = if self.flag == "--persons-out" { "persons 个人" } else { "households 家庭" };
        let shape = match self.layout.shape {
            results_table::Shape::Wide => "wide 宽表",
            results_table::Shape::Long => "long 长表 (one row per scenario)",
        };
        let numbers = match (is_parquet(&self.path), self.layout.numbers) {
            (false, _) => "CSV",
            (true, results_table::Numbers::Exact) => "Parquet, exact decimals 精确小数",
            (true, results_table::Numbers::Float) => "Parquet, float64",
        };
        format!("{what}: {} rows, {shape}, {numbers} → {}", self.rows, self.path.display())
    }

    /// Closes the file; returns its partial path and its place, to be renamed with the others.
    fn finish(self) -> Result<(PathBuf, PathBuf), String> {
        use std::io::Write as _;
        let failed = |e: String| format!("{} {}: {e}", self.flag, self.path.display());
        match self.out {
            // No household at all: an empty table with its header.
            TableOut::Pending => {
                let empty = self.table(&[], &[]);
                if is_parquet(&self.path) {
                    #[cfg(feature = "parquet")]
                    {
                        let w = minsheng_sim::ParquetTableWriter::create(&self.partial, &empty).map_err(failed)?;
                        w.finish().map_err(failed)?;
                    }
                } else {
                    std::fs::write(&self.partial, empty.csv_header()).map_err(|e| failed(e.to_string()))?;
                }
            }
            TableOut::Csv(mut w) => w.flush().map_err(|e| failed(e.to_string()))?,
            #[cfg(feature = "parquet")]
            TableOut::Parquet(w) => w.finish().map_err(failed)?,
        }
        Ok((self.partial, self.path))
    }
}

/// Every file the run will write, refused before anything runs where a
/// target exists and is not a regular file (a symlink, a FIFO, a device: it
/// would be replaced), or where two outputs name one file.
fn check_targets(args: &SimArgs) -> Result<(), CliError> {
    let mut targets: Vec<(&str, PathBuf)> = outputs(args).map(|(flag, p)| (flag, p.clone())).collect();
    if let Some(dir) = &args.out {
        if dir.exists() && !dir.is_dir() {
            return Err(CliError::Input(format!("--out {}: not a folder", dir.display())));
        }
        for name in ["report.json", "report.md", "deciles.svg", "budget.svg"] {
            targets.push(("--out", dir.join(name)));
        }
    }
    let mut seen: Vec<(&str, PathBuf)> = Vec::new();
    for (flag, path) in targets {
        if let Ok(meta) = std::fs::symlink_metadata(&path)
            && !meta.file_type().is_file()
        {
            return Err(CliError::Input(format!(
                "{flag} {}: exists and is not a regular file (a link, a pipe, a device or a folder); give a new file",
                path.display()
            )));
        }
        let canonical = match (path.parent().filter(|p| !p.as_os_str().is_empty()), path.file_name()) {
            (Some(parent), Some(name)) => parent.canonicalize().map_or_else(|_| path.clone(), |p| p.join(name)),
            _ => std::env::current_dir().map_or_else(|_| path.clone(), |d| d.join(&path)),
        };
        if let Some((other, _)) = seen.iter().find(|(_, p)| *p == canonical) {
            return Err(CliError::Input(format!("{flag} {}: {other} writes the same file", path.display())));
        }
        seen.push((flag, canonical));
    }
    Ok(())
}

/// Where `path` is written before it takes its name: `path.partial` beside it.
fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".partial");
    path.with_file_name(name)
}

/// The partial files being written, removed by the interrupt handler
/// ([`remove_partials_on_interrupt`]) if the run is stopped (Ctrl-C, SIGTERM).
static PARTIALS: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

fn register_partial(path: &Path) {
    if let Ok(mut list) = PARTIALS.lock() {
        list.push(path.to_path_buf());
    }
}

/// On SIGINT or SIGTERM, removes the partial files being written and exits 130.
pub fn remove_partials_on_interrupt() {
    let _ = ctrlc::set_handler(|| {
        if let Ok(list) = PARTIALS.lock() {
            for path in list.iter() {
                let _ = std::fs::remove_file(path);
            }
        }
        eprintln!("interrupted: nothing was written");
        std::process::exit(130);
    });
}

/// Files written beside their places as `.partial` and renamed only when
/// every one is written; on failure, or when dropped unrenamed, the partial
/// files are removed, so a failed run leaves nothing half-written.
#[derive(Default)]
struct Staged {
    files: Vec<(PathBuf, PathBuf)>,
}

impl Staged {
    /// Writes `bytes` to `path`'s partial file.
    fn stage(&mut self, flag: &str, path: &Path, bytes: &[u8]) -> Result<(), CliError> {
        let partial = partial_path(path);
        register_partial(&partial);
        std::fs::write(&partial, bytes).map_err(|e| {
            let _ = std::fs::remove_file(&partial);
            CliError::Input(format!("{flag} {}: {e}", path.display()))
        })?;
        self.files.push((partial, path.to_path_buf()));
        Ok(())
    }

    /// Renames every partial file to its place.
    fn commit(mut self) -> Result<(), CliError> {
        for (partial, path) in std::mem::take(&mut self.files) {
            std::fs::rename(&partial, &path).map_err(|e| CliError::Input(format!("{}: {e}", path.display())))?;
        }
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        for (partial, _) in &self.files {
            let _ = std::fs::remove_file(partial);
        }
    }
}
