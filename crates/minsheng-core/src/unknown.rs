//! Unknown figures (未知): what a rule cannot compute because a value it needs
//! is not known (a parameter not yet published for the date, an input the
//! situation does not give), and what would supply it. An unknown figure
//! stops only the figures that read it; every other figure is computed.

use std::fmt;

use jiff::civil::Date;

use crate::label::Label;

/// Why a figure is unknown, and what the user can give instead.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Unknown {
    /// The parameter with no known value, if that is the cause.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
    /// The date the parameter was read for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// The input missing from the situation, as a field path (`persons.me.locality`), if that is the cause.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The inputs that would supply the figure instead (`resident_medical_contribution`).
    pub supplied_by: Vec<String>,
    /// Why, in Chinese and English.
    pub reason: Label,
}

impl Unknown {
    /// A parameter with no known value on `date`.
    pub fn parameter(path: impl Into<String>, date: Date, supplied_by: Vec<String>, note: Option<&str>) -> Unknown {
        let path = path.into();
        let note = note.map(|n| format!(" ({n})")).unwrap_or_default();
        Unknown {
            reason: Label {
                zh: format!("参数 {path} 在 {date} 的取值尚未公布{note}"),
                en: format!("no value of {path} is known for {date}{note}"),
            },
            parameter: Some(path),
            date: Some(date),
            field: None,
            supplied_by,
        }
    }

    /// An input the situation does not give, and the rule that needs it.
    pub fn input(field: impl Into<String>, supplied_by: Vec<String>, reason: Label) -> Unknown {
        Unknown { parameter: None, date: None, field: Some(field.into()), supplied_by, reason }
    }

    /// What to do about it, in English: the inputs that would supply the figure.
    pub fn remedy_en(&self) -> String {
        match self.supplied_by.as_slice() {
            [] => "it will be known when the value is published".into(),
            inputs => format!("give {}", inputs.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(" or ")),
        }
    }

    /// What to do about it, in Chinese.
    pub fn remedy_zh(&self) -> String {
        match self.supplied_by.as_slice() {
            [] => "待该数值公布后即可计算".into(),
            inputs => format!("请提供 {}", inputs.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(" 或 ")),
        }
    }
}

impl fmt::Display for Unknown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}; {}", self.reason.en, self.remedy_en())
    }
}
