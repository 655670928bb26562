//! `minsheng`: compute China's taxes and benefits for a household, show the
//! parameters and their history, and list the variables.
//!
//! Exit codes: 0 success; 2 bad input (the message names the field, the value
//! and the rule); 1 internal error.

mod calc;
mod error;
mod params_cmd;
mod pension_cmd;
mod schema_cmd;
mod serve_cmd;
mod sim_cmd;
mod sim_years;
mod stream;
mod table;
mod vars_cmd;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use minsheng_cn::RuleBook;

use crate::error::CliError;

/// China's livelihood policies, computable: individual income tax, exact to the fen,
/// with every figure traced to its legal source.
#[derive(Parser)]
#[command(name = "minsheng", version, about)]
struct Cli {
    /// Read the rules from this folder instead of the rules built in.
    #[arg(long, global = true, value_name = "DIR", conflicts_with = "rules_overlay")]
    rules: Option<PathBuf>,
    /// Lay this folder over the rules built in: its files add to them or replace those of the
    /// same path (your own locality: `params/local/<id>.yaml`; documents it cites in its own
    /// `sources.yaml`), checked as a whole rules folder is.
    #[arg(long, global = true, value_name = "DIR")]
    rules_overlay: Option<PathBuf>,
    /// Language of labels and messages.
    #[arg(long, global = true, value_enum, default_value_t = LangArg::Both)]
    lang: LangArg,
    /// The largest situation, reform or microdata file read whole, in megabytes (streams of
    /// households are read line by line, each line within it).
    #[arg(long, global = true, value_name = "MB", default_value_t = 256)]
    max_input_mb: u64,
    #[command(subcommand)]
    command: Command,
}

#[derive(Copy, Clone, ValueEnum)]
enum LangArg {
    /// 中文 and English.
    Both,
    /// 中文.
    Zh,
    /// English.
    En,
}

#[derive(Subcommand)]
enum Command {
    /// Compute a situation (JSON or YAML): month by month and for the year.
    Calc(calc::CalcArgs),
    /// Show parameters, their values and history; `params diff D1 D2` lists changes.
    Params(params_cmd::ParamsArgs),
    /// List the variables with labels, units, periods and what they read.
    Vars(vars_cmd::VarsArgs),
    /// Project a person's pension to retirement: every month of the elastic window side by side.
    Pension(pension_cmd::PensionArgs),
    /// Run a synthetic population of China under the baseline and reforms.
    Sim(sim_cmd::SimArgs),
    /// Print the JSON Schema of situations, calculation documents or error documents.
    Schema(schema_cmd::SchemaArgs),
    /// Serve the HTTP API (households, variables, parameters) on loopback.
    Serve(serve_cmd::ServeArgs),
}

fn run(cli: Cli) -> Result<String, CliError> {
    let book = match (&cli.rules, &cli.rules_overlay) {
        (Some(dir), _) => RuleBook::from_dir(dir).map_err(|e| CliError::Input(e.to_string()))?,
        (None, Some(dir)) => RuleBook::with_overlay(dir).map_err(|e| {
            CliError::Input(format!(
                "--rules-overlay {}: 叠加的规则文件夹有误，请按所指文件和键修改 / {e}",
                dir.display()
            ))
        })?,
        (None, None) => RuleBook::embedded().map_err(|e| CliError::Internal(e.to_string()))?,
    };
    let lang = match cli.lang {
        LangArg::Both => minsheng_core::Lang::Both,
        LangArg::Zh => minsheng_core::Lang::Zh,
        LangArg::En => minsheng_core::Lang::En,
    };
    match cli.command {
        Command::Calc(args) => {
            calc::run(&book, &args, lang, &mut std::io::stdout().lock())?;
            Ok(String::new())
        }
        Command::Params(args) => params_cmd::run(&book, &args, lang),
        Command::Vars(args) => vars_cmd::run(&book, &args, lang),
        Command::Pension(args) => pension_cmd::run(&book, &args, lang),
        Command::Sim(args) => {
            sim_cmd::remove_partials_on_interrupt();
            sim_cmd::run(&book, &args, lang)
        }
        Command::Schema(args) => schema_cmd::run(&book, &args),
        Command::Serve(args) => serve_cmd::run(book, &args),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    error::set_max_input_mb(cli.max_input_mb);
    // A panic is a bug: say so in the project's words, with exit 1, not Rust's 101.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("internal error: {info}\nThis is a bug in minsheng; please report it with the input that caused it.");
    }));
    let json_errors = matches!(&cli.command, Command::Calc(args) if args.json());
    let lang = match cli.lang {
        LangArg::Both => minsheng_core::Lang::Both,
        LangArg::Zh => minsheng_core::Lang::Zh,
        LangArg::En => minsheng_core::Lang::En,
    };
    // Everything is computed before anything is printed: an error leaves no
    // half-written output.
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(cli)));
    let Ok(outcome) = outcome else { return ExitCode::from(1) };
    match outcome {
        Ok(out) => {
            use std::io::Write;
            // A reader that closed standard output (`| head`) ends the run quietly.
            match std::io::stdout().lock().write_all(out.as_bytes()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    eprintln!("error: writing the output: {e}");
                    ExitCode::from(1)
                }
                _ => ExitCode::SUCCESS,
            }
        }
        Err(CliError::Input(msg)) if json_errors => {
            // A file or flag error (a reform file, --outputs), as a JSON error document too.
            let (field, rule) = msg.split_once(": ").map_or(("(command)", msg.as_str()), |(f, r)| (f, r));
            let error = minsheng_core::InputError::new(field, "", rule);
            eprintln!("{}", minsheng_calc::document::error_document(None, &[error]));
            ExitCode::from(2)
        }
        Err(CliError::Input(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
        Err(CliError::Invalid { source, errors }) if json_errors => {
            let mut doc = minsheng_calc::document::error_document(None, &errors);
            if !source.is_empty() {
                doc["source"] = serde_json::Value::String(source);
            }
            eprintln!("{doc}");
            ExitCode::from(2)
        }
        Err(CliError::Invalid { source, errors }) => {
            eprintln!("error: {}", CliError::invalid_message(&source, &errors, lang));
            ExitCode::from(2)
        }
        Err(CliError::Closed) => ExitCode::SUCCESS,
        Err(CliError::Internal(msg)) => {
            eprintln!(
                "internal error: {msg}\nThis is a bug in minsheng; please report it with the input that caused it."
            );
            ExitCode::from(1)
        }
    }
}
