//! The two kinds of failure and their exit codes.

use minsheng_core::EvalError;

/// A failure of a command.
#[derive(Debug)]
pub enum CliError {
    /// Bad input: exit code 2.
    Input(String),
    /// Bad input in a situation: every error found, each with its field,
    /// value and rule (exit code 2; JSON under `--json`).
    Invalid {
        /// What was read: the file, or standard input.
        source: String,
        /// The errors.
        errors: Vec<minsheng_core::InputError>,
    },
    /// A bug or a broken rule book: exit code 1.
    Internal(String),
    /// The reader closed standard output (`| head`): stop quietly.
    Closed,
}

impl From<EvalError> for CliError {
    fn from(e: EvalError) -> CliError {
        match e {
            EvalError::Input(i) => CliError::Invalid { source: String::new(), errors: vec![i] },
            other => CliError::Internal(other.to_string()),
        }
    }
}

impl CliError {
    /// The message for people, in `lang` where the rule has been put in Chinese.
    pub fn invalid_message(source: &str, errors: &[minsheng_core::InputError], lang: minsheng_core::Lang) -> String {
        let lines: Vec<String> = errors.iter().map(|e| e.message(lang)).collect();
        let prefix = if source.is_empty() { String::new() } else { format!("{source}: ") };
        match lines.as_slice() {
            [one] => format!("{prefix}{one}"),
            many => {
                let head = match lang {
                    minsheng_core::Lang::Zh => format!("{prefix}共 {} 处输入错误：", many.len()),
                    minsheng_core::Lang::En => format!("{prefix}{} input errors:", many.len()),
                    minsheng_core::Lang::Both => format!("{prefix}{} input errors 处输入错误:", many.len()),
                };
                format!("{head}\n  {}", many.join("\n  "))
            }
        }
    }

    /// A failure to write the spool that holds output until the run succeeded.
    pub fn spool(e: std::io::Error) -> CliError {
        CliError::Internal(format!("writing the output to a temporary file: {e}"))
    }

    /// A failure to write the output (a closed pipe ends the run quietly).
    pub fn from_write(e: std::io::Error) -> CliError {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            CliError::Closed
        } else {
            CliError::Internal(format!("writing the output: {e}"))
        }
    }
}

impl From<serde_json::Error> for CliError {
    fn from(e: serde_json::Error) -> CliError {
        CliError::Internal(format!("writing JSON: {e}"))
    }
}

/// Reads a file named on the command line; a missing file is bad input.
pub fn read_file(path: &std::path::Path) -> Result<String, CliError> {
    std::fs::read_to_string(path).map_err(|e| CliError::Input(format!("{}: {e}", path.display())))
}
