//! The two kinds of failure and their exit codes.

use minsheng_core::EvalError;

/// A failure of a command.
#[derive(Debug)]
pub enum CliError {
    /// Bad input: exit code 2.
    Input(String),
    /// A bug or a broken rule book: exit code 1.
    Internal(String),
}

impl From<EvalError> for CliError {
    fn from(e: EvalError) -> CliError {
        match e {
            EvalError::Input(i) => CliError::Input(format!("{i}")),
            other => CliError::Internal(other.to_string()),
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
