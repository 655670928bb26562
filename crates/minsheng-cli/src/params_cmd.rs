//! `minsheng params`: parameters, their values on a date, their history, and
//! what changed between two dates.

use std::fmt::Write;

use jiff::civil::Date;
use minsheng_cn::RuleBook;
use minsheng_core::Lang;
use minsheng_core::params::{Entry, Origin, Parameter};

use crate::error::CliError;
use crate::table;

/// Arguments of `minsheng params`.
#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ParamsArgs {
    /// A parameter path or a prefix of paths, e.g. `iit.special_additional`.
    path: Option<String>,
    /// Show only the value in force on this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    at: Option<String>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
    #[command(subcommand)]
    command: Option<ParamsCommand>,
}

#[derive(clap::Subcommand)]
enum ParamsCommand {
    /// List the parameters whose value differs between two dates.
    Diff {
        /// The first date (YYYY-MM-DD).
        from: String,
        /// The second date (YYYY-MM-DD).
        to: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

fn parse_date(text: &str, what: &str) -> Result<Date, CliError> {
    text.parse::<Date>().map_err(|_| CliError::Input(format!("{what} {text}: not a calendar date; give YYYY-MM-DD")))
}

fn label(p: &Parameter, lang: Lang) -> String {
    p.label.show(lang)
}

fn entry_value(e: Option<&Entry>) -> String {
    match e {
        None => "(no value)".into(),
        Some(Entry { value: None, unknown: true, supplied_by, .. }) if !supplied_by.is_empty() => {
            format!("unknown 未知 (not yet published; give {})", supplied_by.join(" or "))
        }
        Some(Entry { value: None, unknown: true, .. }) => "unknown 未知 (not yet published)".into(),
        Some(Entry { value: None, .. }) => "not in force 未实施".into(),
        Some(Entry { value: Some(v), .. }) => v.to_string(),
    }
}

fn citation(e: &Entry) -> String {
    let mut s = e.citation.as_ref().map_or_else(|| "(no citation)".to_string(), |c| c.to_string());
    if let Origin::Reform(name) = &e.origin {
        s = format!("reform {name}; {s}");
    }
    s
}

/// Runs `minsheng params`.
pub fn run(book: &RuleBook, args: &ParamsArgs, lang: Lang) -> Result<String, CliError> {
    if let Some(ParamsCommand::Diff { from, to, json }) = &args.command {
        return diff(book, parse_date(from, "diff")?, parse_date(to, "diff")?, *json, lang);
    }
    let prefix = args.path.clone().unwrap_or_default();
    let selected: Vec<&Parameter> = book
        .baseline
        .iter()
        .filter(|p| prefix.is_empty() || p.path == prefix || p.path.starts_with(&format!("{prefix}.")))
        .collect();
    if selected.is_empty() {
        return Err(CliError::Input(format!("no parameter at or under `{prefix}`; `minsheng params` lists them all")));
    }
    let at = args.at.as_deref().map(|d| parse_date(d, "--at")).transpose()?;
    if args.json {
        let doc: Vec<serde_json::Value> = match at {
            Some(date) => selected
                .iter()
                .map(|p| {
                    let found = book.baseline.lookup(&p.path, date, None).ok();
                    serde_json::json!({
                        "path": p.path, "label": p.label, "unit": p.unit, "date": date.to_string(),
                        "entry": found.map(|f| f.entry),
                    })
                })
                .collect(),
            None => selected.iter().map(|p| serde_json::to_value(p).unwrap_or_default()).collect(),
        };
        return Ok(serde_json::to_string_pretty(&doc)? + "\n");
    }
    let mut out = String::new();
    match at {
        Some(date) => {
            let mut t = table::new(
                vec!["parameter 参数".into(), "value 数值".into(), "since 起始".into(), "source 依据".into()],
                1,
            );
            for p in &selected {
                let found = book.baseline.lookup(&p.path, date, None).ok();
                t.add_row(vec![
                    format!("{}\n{}", p.path, label(p, lang)),
                    format!("{} {}", entry_value(found.as_ref().map(|f| f.entry)), p.unit),
                    found.as_ref().map_or(String::new(), |f| f.entry.from.to_string()),
                    found.map_or(String::new(), |f| citation(f.entry)),
                ]);
            }
            let _ = writeln!(out, "Parameters in force on {date} 在{date}有效的参数\n{t}");
        }
        None => {
            for p in &selected {
                let _ = writeln!(out, "\n{} — {} [{}, {}]  ({})", p.path, label(p, lang), p.kind, p.unit, p.file);
                if let Some(d) = &p.description {
                    let _ = writeln!(out, "  {d}");
                }
                let mut t = table::new(vec!["in force 有效期".into(), "value 数值".into(), "source 依据".into()], 3);
                for (i, e) in p.entries.iter().enumerate() {
                    let end = p.effective_end(i).map_or("…".to_string(), |d| d.to_string());
                    let mut span = format!("{} – {end}", e.from);
                    if let Some(k) = e.known_from {
                        let _ = write!(span, "\nannounced 公布 {k}");
                    }
                    t.add_row(vec![span, entry_value(Some(e)), citation(e)]);
                }
                let _ = writeln!(out, "{t}");
            }
        }
    }
    Ok(out)
}

fn diff(book: &RuleBook, d1: Date, d2: Date, json: bool, lang: Lang) -> Result<String, CliError> {
    let changes = book.baseline.diff(d1, d2);
    if json {
        let doc: Vec<serde_json::Value> = changes
            .iter()
            .map(|c| {
                serde_json::json!({
                    "path": c.parameter.path, "label": c.parameter.label, "unit": c.parameter.unit,
                    "before": c.before, "after": c.after,
                })
            })
            .collect();
        return Ok(serde_json::to_string_pretty(&doc)? + "\n");
    }
    if changes.is_empty() {
        return Ok(format!("No parameter changed between {d1} and {d2}. {d1}至{d2}之间参数无变化。\n"));
    }
    let mut t = table::new(
        vec!["parameter 参数".into(), d1.to_string(), d2.to_string(), "source of the new value 新值依据".into()],
        1,
    );
    for c in &changes {
        t.add_row(vec![
            format!("{}\n{}", c.parameter.path, label(c.parameter, lang)),
            entry_value(c.before),
            entry_value(c.after),
            c.after.map_or(String::new(), citation),
        ]);
    }
    Ok(format!("{} parameters changed between {d1} and {d2} ({d1}至{d2}间变化的参数)\n{t}\n", changes.len()))
}
