//! `minsheng vars`: the variables, their labels, units, periods and sources.

use minsheng_cn::RuleBook;
use minsheng_core::{Lang, Source};

use crate::error::CliError;
use crate::table;

/// Arguments of `minsheng vars`.
#[derive(clap::Args)]
pub struct VarsArgs {
    /// Print JSON, with what each variable reads and the inputs it needs.
    #[arg(long)]
    json: bool,
    /// Only inputs.
    #[arg(long)]
    inputs: bool,
}

/// Runs `minsheng vars`.
pub fn run(book: &RuleBook, args: &VarsArgs, lang: Lang) -> Result<String, CliError> {
    let vars: Vec<_> = book.registry.iter().filter(|v| !args.inputs || v.is_input()).collect();
    if args.json {
        let doc = minsheng_calc::schema::variables(&book.registry, &vars);
        return Ok(serde_json::to_string_pretty(&doc)? + "\n");
    }
    let mut t = table::new(
        vec![
            "variable 变量".into(),
            "label 名称".into(),
            "entity 主体".into(),
            "period 期间".into(),
            "unit 单位".into(),
            "values 取值".into(),
            "source 来源".into(),
        ],
        7,
    );
    for v in &vars {
        let source = match &v.source {
            Source::Input { .. } => "input 输入".to_string(),
            Source::Formula { reads, params, .. } => {
                format!("formula 公式 ({} vars, {} params)", reads.len(), params.len())
            }
        };
        let label = match lang {
            Lang::Both => format!("{}\n{}", v.label_zh, v.label_en),
            Lang::Zh => v.label_zh.to_string(),
            Lang::En => v.label_en.to_string(),
        };
        t.add_row(vec![
            v.name.to_string(),
            label,
            format!("{:?}", v.entity).to_lowercase(),
            v.period.to_string(),
            v.value_type.unit().to_string(),
            v.value_type.allowed().join("\n"),
            source,
        ]);
    }
    Ok(format!("{} variables 变量\n{t}\n", vars.len()))
}
