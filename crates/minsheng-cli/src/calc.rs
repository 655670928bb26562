//! `minsheng calc`: compute a situation, month by month and for the year,
//! optionally beside a reform, and explain any figure.

use std::fmt::Write;
use std::io::{Seek, SeekFrom, Write as _};
use std::path::{Path, PathBuf};

use minsheng_calc::document::{DocumentWriter, PartJson};
use minsheng_calc::findings::Findings;
use minsheng_calc::{Figures, OutputError, Outputs, Part, Scenario, calculate_rendered};

use minsheng_calc::explain::{Ask, ExplainError, explain_figure};
use minsheng_cn::RuleBook;
use minsheng_cn::iit::{annual, payments};
use minsheng_cn::{assistance, views};
use minsheng_core::explain::render;
use minsheng_core::situation::Format;
use minsheng_core::{Entity, Lang, Month, ParamSet, Period, Reform, Registry, Situation, Source, Value, Variable};

use crate::error::{CliError, read_file};
use crate::table;

/// Arguments of `minsheng calc`.
#[derive(clap::Args)]
pub struct CalcArgs {
    /// The situation: a .json, .yaml or .yml file in the OpenFisca-like format of the README,
    /// an .ndjson or .jsonl file of one situation a line, or `-` for standard input.
    file: PathBuf,
    /// The format of the situation (default: from the file's extension; for standard input,
    /// JSON if it starts with `{`, else YAML).
    #[arg(long, value_enum)]
    format: Option<InputFormat>,
    /// Print machine-readable JSON (schema version 1) instead of tables.
    #[arg(long)]
    json: bool,
    /// Compute and report only these variables (comma-separated names; `minsheng vars` lists them).
    #[arg(long, value_name = "VARIABLES", value_delimiter = ',')]
    outputs: Vec<String>,
    /// Explain this variable: the tree of figures and parameters it came from.
    #[arg(long, value_name = "VARIABLE")]
    explain: Option<String>,
    /// With --explain: the person or household id (default: the first person).
    #[arg(long, value_name = "ID")]
    entity: Option<String>,
    /// With --explain: the period, YYYY-MM for monthly variables (default: the year).
    #[arg(long, value_name = "PERIOD")]
    period: Option<String>,
    /// With --explain: how many levels of the tree to expand.
    #[arg(long, default_value_t = 6)]
    depth: usize,
    /// A reform file: compute it beside the baseline and show the difference.
    #[arg(long, value_name = "FILE")]
    reform: Option<PathBuf>,
    /// Refuse (exit 2) a situation with any unknown figure or assumption, instead of
    /// computing everything else and warning.
    #[arg(long)]
    strict: bool,
}

impl CalcArgs {
    /// Whether JSON is asked for (errors then come as a JSON document too).
    pub fn json(&self) -> bool {
        self.json
    }
}

/// How a situation file is written.
#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum InputFormat {
    /// One JSON situation.
    Json,
    /// One YAML situation.
    Yaml,
    /// One JSON situation a line (a stream of households), each computed and printed on its own.
    Ndjson,
}

impl InputFormat {
    /// The format named by a file's extension.
    fn of_path(path: &Path) -> Option<InputFormat> {
        match path.extension().and_then(|e| e.to_str()) {
            Some("json") => Some(InputFormat::Json),
            Some("yaml" | "yml") => Some(InputFormat::Yaml),
            Some("ndjson" | "jsonl") => Some(InputFormat::Ndjson),
            _ => None,
        }
    }
}

/// A view of one scenario's figures for one part: the computed figures from
/// `figures`, the inputs from the situation.
struct View<'a> {
    registry: &'a Registry,
    sit: &'a Situation,
    figures: &'a Figures,
}

impl View<'_> {
    fn value(&self, var: &'static Variable, entity: Entity, period: Period) -> Value {
        if let Source::Input { default } = &var.source {
            return self.sit.input(var, entity, period).unwrap_or(default).clone();
        }
        self.figures.get(self.registry, var, entity, period).clone()
    }

    /// A monthly figure of person `p` in month `i` (0-based).
    fn month(&self, var: &'static Variable, p: usize, i: usize) -> Value {
        match Month::of_year(self.sit.year).nth(i) {
            Some(m) => self.value(var, Entity::Person(p), Period::Month(m)),
            None => Value::Absent,
        }
    }

    /// A yearly figure of person `p`.
    fn year(&self, var: &'static Variable, p: usize) -> Value {
        self.value(var, Entity::Person(p), Period::Year(self.sit.year))
    }

    /// A timeless figure of person `p`.
    fn timeless(&self, var: &'static Variable, p: usize) -> Value {
        self.value(var, Entity::Person(p), Period::Eternity)
    }

    /// A yearly figure of household `h`.
    fn household(&self, var: &'static Variable, h: usize) -> Value {
        self.value(var, Entity::Household(h), Period::Year(self.sit.year))
    }
}

/// Reads the situation's text: the file, or standard input for `-`.
fn read_input(path: &Path) -> Result<String, CliError> {
    if path == Path::new("-") {
        return crate::error::read_bounded(std::io::stdin().lock(), "standard input");
    }
    read_file(path)
}

/// The variables to report: every computed one, or those named by `--outputs`.
fn outputs(book: &RuleBook, names: &[String]) -> Result<Outputs, CliError> {
    Outputs::named(&book.registry, names.iter().map(String::as_str)).map_err(|e| match e {
        OutputError::NoSuchVariable(name) => {
            CliError::Input(format!("--outputs {name}: no such variable; `minsheng vars` lists them"))
        }
        OutputError::Input(name) => CliError::Input(format!(
            "--outputs {name}: an input, not a figure the rules compute; ask for computed variables"
        )),
    })
}

/// Runs `minsheng calc`, writing the result to `out` only once everything succeeded
/// (for a stream of situations, line by line).
pub fn run(book: &RuleBook, args: &CalcArgs, lang: Lang, out: &mut dyn std::io::Write) -> Result<(), CliError> {
    let stdin = args.file == Path::new("-");
    let format = match args.format.or_else(|| InputFormat::of_path(&args.file)) {
        Some(f) => f,
        None if stdin => InputFormat::Json,
        None => {
            return Err(CliError::Input(format!(
                "{}: give a .json, .yaml, .yml, .ndjson or .jsonl file, or --format",
                args.file.display()
            )));
        }
    };
    let reform = match &args.reform {
        Some(path) => {
            let r = Reform::from_yaml(&read_file(path)?)
                .map_err(|e| CliError::Input(format!("{}: {e}", path.display())))?;
            if r.name == Scenario::BASELINE {
                return Err(CliError::Input(format!(
                    "{}: name: `baseline` names the law as it stands; give the reform another name",
                    path.display()
                )));
            }
            let params = r.apply(&book.baseline).map_err(|e| CliError::Input(format!("{}: {e}", path.display())))?;
            Some((r, params))
        }
        None => None,
    };
    let mut scenarios = vec![Scenario::baseline(&book.baseline)];
    if let Some((r, params)) = &reform {
        scenarios.push(Scenario { id: r.name.clone(), label: r.label.clone(), params });
    }
    let outputs = outputs(book, &args.outputs)?;
    let text_format = match format {
        InputFormat::Ndjson => {
            if args.explain.is_some() {
                return Err(CliError::Input("--explain: explain one situation, not a stream (.ndjson)".into()));
            }
            return crate::stream::run(book, &args.file, &scenarios, &outputs, args.strict, out);
        }
        InputFormat::Json => Format::Json,
        InputFormat::Yaml => Format::Yaml,
    };
    let text = read_input(&args.file)?;
    let sniffed_yaml = stdin && args.format.is_none() && !text.trim_start().starts_with('{');
    let format = if sniffed_yaml { Format::Yaml } else { text_format };
    let name = if stdin { "standard input".to_string() } else { args.file.display().to_string() };
    let sit =
        book.read_situation(&text, format).map_err(|errors| CliError::Invalid { source: name.clone(), errors })?;

    if let Some(var) = &args.explain {
        let mut text = explain_one(book, &book.baseline, &sit, args, var, lang)?;
        if let Some((r, params)) = &reform {
            let tree = explain_one(book, params, &sit, args, var, lang)?;
            if args.json {
                text = format!("{{\"baseline\": {text}, \"reform\": {tree}}}\n");
            } else {
                let _ = write!(text, "\n── reform 改革方案: {} ({}) ──\n{tree}", r.name, r.label);
            }
        }
        return out.write_all(text.as_bytes()).map_err(CliError::from_write);
    }

    // Everything is written to a spool (memory, then a temporary file past a
    // few megabytes) and copied out only once every part has computed: an
    // error leaves nothing half-written, and memory stays bounded.
    let mut spool = std::io::BufWriter::new(tempfile::spooled_tempfile(SPOOL_IN_MEMORY));
    let year = sit.year;
    let vars = outputs.variables(&book.registry);
    let ids: Vec<String> = scenarios.iter().map(|s| s.id.clone()).collect();
    let mut bad = RuleErrors::default();
    let findings = if args.json {
        let mut doc = DocumentWriter::begin(&mut spool, year, &scenarios).map_err(CliError::spool)?;
        calculate_rendered(
            book,
            sit,
            &scenarios,
            &outputs,
            |part| {
                Ok::<_, CliError>(input_errors(part)?.map(|part| PartJson::render(&book.registry, &part, &ids, &vars)))
            },
            |json| bad.keep(json, |json| doc.part(json).map_err(CliError::spool)),
        )?;
        let findings = doc.findings().clone();
        doc.finish().map_err(CliError::spool)?;
        findings
    } else {
        let reform_ref = reform.as_ref().map(|(r, _)| r);
        let mut header = String::new();
        let _ = writeln!(
            header,
            "minsheng · {year} · {}",
            match reform_ref {
                Some(r) => format!("baseline 现行政策 vs reform 改革方案 `{}`: {}", r.name, r.label),
                None => "baseline 现行政策".to_string(),
            }
        );
        spool.write_all(header.as_bytes()).map_err(CliError::spool)?;
        let mut findings = Findings::default();
        calculate_rendered(
            book,
            sit,
            &scenarios,
            &outputs,
            |part| {
                Ok::<_, CliError>(input_errors(part)?.map(|part| {
                    let found = Findings::of_part(&book.registry, &part, &ids, &vars);
                    let mut text = text_part(book, &part, reform_ref, lang);
                    if !found.is_empty() {
                        text.push_str(&found.warnings(lang, usize::MAX));
                    }
                    if let Some(note) = found.confidence_note(lang) {
                        text.push_str(&note);
                    }
                    (text, found)
                }))
            },
            |rendered| {
                bad.keep(rendered, |(text, found)| {
                    findings.merge(found);
                    spool.write_all(text.as_bytes()).map_err(CliError::spool)
                })
            },
        )?;
        findings
    };
    if !bad.0.is_empty() {
        return Err(CliError::Invalid { source: name, errors: bad.0 });
    }
    if !findings.is_empty() {
        if args.strict {
            return Err(CliError::Input(format!(
                "--strict: some figures are unknown or rest on an assumption:\n{}",
                findings.warnings(lang, WARNINGS_SHOWN)
            )));
        }
        let detail = if args.json { findings.warnings(lang, WARNINGS_SHOWN) } else { String::new() };
        eprintln!(
            "warning: {} figures are unknown and {} causes led to an assumption; {} (--strict refuses them)\n{detail}",
            findings.unknown_figures(),
            findings.notices.len(),
            if args.json {
                "`unknowns` and `notices` in the JSON say which"
            } else {
                "the warnings under the tables say which"
            },
        );
    }
    let mut spool = spool.into_inner().map_err(|e| CliError::spool(e.into_error()))?;
    spool.seek(SeekFrom::Start(0)).map_err(CliError::spool)?;
    std::io::copy(&mut spool, out).map_err(CliError::from_write)?;
    Ok(())
}

/// Input errors found while computing (a rule's, such as a flexible base
/// outside the bounds), one per part at most, all reported together; once
/// one is found, nothing more is written.
#[derive(Default)]
struct RuleErrors(Vec<minsheng_core::InputError>);

impl RuleErrors {
    /// Writes a part's output with `write`, or keeps its error.
    fn keep<T>(
        &mut self,
        rendered: Result<T, minsheng_core::InputError>,
        write: impl FnOnce(T) -> Result<(), CliError>,
    ) -> Result<(), CliError> {
        match rendered {
            Ok(t) if self.0.is_empty() => write(t),
            Ok(_) => Ok(()),
            Err(e) => {
                self.0.push(e);
                Ok(())
            }
        }
    }
}

/// A part's figures, or the input error that stopped it (to report beside
/// the others); any other error stops the run.
fn input_errors(
    part: Result<Part, minsheng_core::EvalError>,
) -> Result<Result<Part, minsheng_core::InputError>, CliError> {
    match part {
        Ok(part) => Ok(Ok(part)),
        Err(minsheng_core::EvalError::Input(e)) => Ok(Err(e)),
        Err(other) => Err(other.into()),
    }
}

/// How many causes of unknown figures standard error shows before it counts the rest.
const WARNINGS_SHOWN: usize = 10;

/// What the spool keeps in memory before it moves to a temporary file.
const SPOOL_IN_MEMORY: usize = 16 << 20;

/// The tables of one part: each person's, then its households' statements.
pub(crate) fn text_part(book: &RuleBook, part: &Part, reform: Option<&Reform>, lang: Lang) -> String {
    let sit = &part.situation;
    let views: Vec<View<'_>> =
        part.figures.iter().map(|figures| View { registry: &book.registry, sit, figures }).collect();
    let base = &views[0];
    let reformed = reform.zip(views.get(1));
    let mut out = String::new();
    for (p, person) in sit.persons.iter().enumerate() {
        let has_flows =
            views.iter().any(|v| views::MONTHS.iter().any(|c| (0..12).any(|i| !is_blank(&v.month(c.var, p, i)))));
        let _ = writeln!(out, "\n■ {}", person.id);
        out.push_str(&retirement_table(base, p, lang));
        if !has_flows {
            let _ = writeln!(out, "  no income, tax or benefit in {} 本年无收入、税款或待遇", sit.year);
            continue;
        }
        match reformed {
            None => {
                out.push_str(&monthly_table(base, p, lang));
                out.push('\n');
                out.push_str(&annual_table(&[base], p, lang));
            }
            Some((_, r)) => {
                out.push_str(&monthly_comparison(base, r, p, lang));
                out.push('\n');
                out.push_str(&annual_table(&[base, r], p, lang));
            }
        }
        out.push('\n');
    }
    for h in 0..sit.households.len() {
        out.push_str(&household_statement(sit, h, base, reformed.map(|(_, r)| r), lang));
    }
    out
}

fn explain_one(
    book: &RuleBook,
    params: &ParamSet,
    sit: &Situation,
    args: &CalcArgs,
    name: &str,
    lang: Lang,
) -> Result<String, CliError> {
    let ask = Ask { variable: name, entity: args.entity.as_deref(), period: args.period.as_deref(), depth: args.depth };
    let tree = explain_figure(&book.registry, params, sit, ask).map_err(|e| match e {
        // The ask's fields are the command's flags.
        ExplainError::Input(mut e) => {
            e.field = match e.field.as_str() {
                "variable" => "--explain".into(),
                "entity" | "period" | "depth" => format!("--{}", e.field),
                _ => e.field,
            };
            CliError::Input(e.message(lang))
        }
        ExplainError::Rules(e) => CliError::Internal(e),
    })?;
    if args.json {
        return Ok(serde_json::to_string_pretty(&tree)? + "\n");
    }
    Ok(render(&tree, lang))
}

fn label(var: &Variable, lang: Lang) -> String {
    lang.pick(var.label_zh, var.label_en, "\n")
}

fn inline_label(var: &Variable, lang: Lang) -> String {
    label(var, lang).replace('\n', " ")
}

fn is_blank(v: &Value) -> bool {
    matches!(v, Value::Money(m) if m.is_zero())
        || matches!(v, Value::Bool(false) | Value::Absent | Value::Count(0))
        || *v == Value::Choice("no_bonus")
}

fn money_of(v: &Value) -> minsheng_core::Money {
    match v {
        Value::Money(m) => *m,
        _ => minsheng_core::Money::ZERO,
    }
}

/// The household statement: each member's income lines, the household's 低保,
/// totals and the amount per person; beside a reform, the change in the totals.
fn household_statement(sit: &Situation, h: usize, base: &View<'_>, reform: Option<&View<'_>>, lang: Lang) -> String {
    let household = &sit.households[h];
    let short = |zh: &str, en: &str| lang.pick(zh, en, "\n");
    let mut headers = vec![short("成员", "Member")];
    headers.extend(views::STATEMENT.iter().map(|l| l.heading.show(lang, "\n")));
    let mut t = table::new(headers, 1);
    for &m in &household.members {
        let mut row = vec![sit.persons[m].id.clone()];
        row.extend(views::STATEMENT.iter().map(|l| base.year(l.person, m).to_string()));
        t.add_row(row);
    }
    let dibao = base.household(&assistance::DIBAO_ANNUAL, h);
    if !is_blank(&dibao) {
        t.add_row(vec![
            short("低保（家庭）", "Dibao (household)").replace('\n', " "),
            String::new(),
            dibao.to_string(),
            String::new(),
            String::new(),
            dibao.to_string(),
        ]);
    }
    let mut total = vec![short("家庭合计", "Household").replace('\n', " ")];
    total.extend(views::STATEMENT.iter().map(|l| base.household(l.household, h).to_string()));
    t.add_row(total);
    let per_person = base.household(&minsheng_cn::household::HOUSEHOLD_PER_PERSON, h);
    t.add_row(vec![
        short("人均", "Per person").replace('\n', " "),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        per_person.to_string(),
    ]);
    let mut out = format!("\n▲ household 家庭 {} · {} statement 收支表\n{t}\n", household.id, sit.year);
    if let Some(r) = reform {
        for v in [&minsheng_cn::household::IIT, &minsheng_cn::household::HOUSEHOLD_DISPOSABLE] {
            let (before, after) = (base.household(v, h), r.household(v, h));
            let _ = writeln!(
                out,
                "  {}: {before} → {after} (Δ {})",
                inline_label(v, lang),
                (money_of(&after) - money_of(&before)).grouped()
            );
        }
    }
    out
}

fn retirement_table(view: &View<'_>, p: usize, lang: Lang) -> String {
    let rows: Vec<&'static Variable> =
        views::RETIREMENT.iter().copied().filter(|v| !is_blank(&view.timeless(v, p))).collect();
    if rows.is_empty() {
        return String::new();
    }
    let headers = vec![lang.pick("退休与待遇", "Retirement and benefits", " "), lang.pick("数值", "Value", " ")];
    let mut t = table::new(headers, 1);
    for v in rows {
        t.add_row(vec![inline_label(v, lang), view.timeless(v, p).to_string()]);
    }
    format!("{t}\n")
}

fn monthly_table(view: &View<'_>, p: usize, lang: Lang) -> String {
    let year = view.sit.year;
    let columns: Vec<&views::Column> =
        views::MONTHS.iter().filter(|c| c.always || (0..12).any(|i| !is_blank(&view.month(c.var, p, i)))).collect();
    let mut headers = vec![lang.pick("月份", "Month", "\n")];
    headers.extend(columns.iter().map(|c| c.heading.show(lang, "\n")));
    let mut t = table::new(headers, 1);
    for (i, m) in Month::of_year(year).enumerate() {
        let mut row = vec![m.to_string()];
        row.extend(columns.iter().map(|c| view.month(c.var, p, i).to_string()));
        t.add_row(row);
    }
    let mut total = vec![lang.pick("全年", "Year", " ")];
    for c in &columns {
        // Stocks, not flows: a year's total of them means nothing.
        let values: Vec<Value> = (0..12).map(|i| view.month(c.var, p, i)).collect();
        let sum: minsheng_core::Money = values.iter().map(money_of).sum();
        total.push(if c.stock {
            String::new()
        } else if let Some(unknown) = values.iter().find(|v| matches!(v, Value::Unknown(_))) {
            unknown.to_string()
        } else {
            sum.grouped()
        });
    }
    t.add_row(total);
    t.to_string()
}

fn monthly_comparison(base: &View<'_>, reform: &View<'_>, p: usize, lang: Lang) -> String {
    let year = base.sit.year;
    let var = &payments::MONTHLY_PREPAID;
    let name = inline_label(var, lang);
    let headers = vec![
        "月份 Month".to_string(),
        format!("{name}\nbaseline 现行"),
        format!("{name}\nreform 改革"),
        "Δ".to_string(),
    ];
    let mut t = table::new(headers, 1);
    for (i, m) in Month::of_year(year).enumerate() {
        let (b, r) = (money_of(&base.month(var, p, i)), money_of(&reform.month(var, p, i)));
        t.add_row(vec![m.to_string(), b.grouped(), r.grouped(), (r - b).grouped()]);
    }
    t.to_string()
}

fn annual_table(scenarios: &[&View<'_>], p: usize, lang: Lang) -> String {
    let mut headers = vec![lang.pick("全年", "Year", " ")];
    if scenarios.len() == 1 {
        headers.push(lang.pick("金额", "Amount", " "));
    } else {
        headers.extend(["baseline 现行".to_string(), "reform 改革".to_string(), "Δ".to_string()]);
    }
    let mut t = table::new(headers, 1);
    let mut rows = 0;
    let has_iit = [&annual::INCOME_AMOUNT, &annual::BONUS, &annual::PREPAID, &annual::TOTAL]
        .iter()
        .any(|v| scenarios.iter().any(|s| !is_blank(&s.year(v, p))));
    for &views::Row { var, optional } in &views::YEAR {
        let iit_row = var.name.starts_with("iit.");
        if iit_row && !has_iit {
            continue;
        }
        let values: Vec<Value> = scenarios.iter().map(|s| s.year(var, p)).collect();
        if optional && values.iter().all(is_blank) {
            continue;
        }
        let bonus_row =
            [&annual::TAX_BONUS_SEPARATE, &annual::TAX_BONUS_COMBINED].iter().any(|b| std::ptr::eq(*b, var));
        if bonus_row && scenarios.iter().all(|s| is_blank(&s.year(&annual::BONUS, p))) {
            continue;
        }
        let mut row = vec![inline_label(var, lang)];
        row.extend(values.iter().map(|v| v.to_string()));
        if let [b, r] = values.as_slice() {
            row.push(match (b, r) {
                (Value::Money(b), Value::Money(r)) => (*r - *b).grouped(),
                _ => String::new(),
            });
        }
        t.add_row(row);
        rows += 1;
    }
    if rows == 0 {
        return String::new();
    }
    t.to_string()
}
