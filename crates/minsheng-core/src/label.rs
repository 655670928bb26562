//! Bilingual labels (中英文名称).

use std::fmt;

/// A name in Chinese and English. Every variable and parameter has one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Label {
    /// The Chinese name, as the law says it.
    pub zh: String,
    /// The English name.
    pub en: String,
}

/// Which language to show labels in.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    /// Chinese and English together.
    #[default]
    Both,
    /// Chinese only.
    Zh,
    /// English only.
    En,
}

impl Lang {
    /// `zh` or `en` in this language, or both joined by `sep`.
    ///
    /// ```
    /// use minsheng_core::Lang;
    /// assert_eq!(Lang::Both.pick("月份", "Month", "\n"), "月份\nMonth");
    /// assert_eq!(Lang::En.pick("月份", "Month", " "), "Month");
    /// ```
    pub fn pick(self, zh: &str, en: &str, sep: &str) -> String {
        match self {
            Lang::Both => format!("{zh}{sep}{en}"),
            Lang::Zh => zh.to_string(),
            Lang::En => en.to_string(),
        }
    }
}

impl Label {
    /// The label in `lang`.
    pub fn show(&self, lang: Lang) -> String {
        match lang {
            Lang::Both => format!("{} {}", self.zh, self.en),
            Lang::Zh => self.zh.clone(),
            Lang::En => self.en.clone(),
        }
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} / {}", self.zh, self.en)
    }
}
