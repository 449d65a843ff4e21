//! Embedding options as the loader hands them over (`data-view="resident"` → `{ view: "resident" }`).
//!
//! Every option is checked here; a wrong value becomes an [`OptionError`] naming the option,
//! which the widget shows instead of guessing.

use wasm_bindgen::JsValue;

use crate::i18n::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Resident,
    Volunteer,
    Coordinator,
}

/// A problem with one option: which, and the value given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionError {
    pub option: &'static str,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WidgetOptions {
    pub view: View,
    pub lang: Lang,
    pub seed: u64,
    /// `data-theme="dark"`.
    pub dark: bool,
    /// `data-accent`: a checked `#rgb` or `#rrggbb` colour.
    pub accent: Option<String>,
    pub errors: Vec<OptionError>,
}

impl Default for WidgetOptions {
    fn default() -> Self {
        WidgetOptions {
            view: View::Resident,
            lang: Lang::ZhCn,
            seed: 1,
            dark: false,
            accent: None,
            errors: Vec::new(),
        }
    }
}

impl WidgetOptions {
    /// Reads the loader's plain object of strings (the script tag's `dataset`). A field that
    /// is present but not a string is named as an error.
    pub fn from_js(value: &JsValue) -> WidgetOptions {
        if value.is_undefined() || value.is_null() {
            return WidgetOptions::default();
        }
        let mut bad = Vec::new();
        let mut field = |name: &'static str| {
            let v =
                js_sys::Reflect::get(value, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED);
            if v.is_undefined() || v.is_null() {
                None
            } else if let Some(s) = v.as_string() {
                Some(s)
            } else {
                bad.push(OptionError {
                    option: name,
                    value: String::new(),
                });
                None
            }
        };
        let (view, lang, seed) = (field("view"), field("lang"), field("seed"));
        let (theme, accent) = (field("theme"), field("accent"));
        let mut o = WidgetOptions::from_raw(view.as_deref(), lang.as_deref(), seed.as_deref());
        o.set_theme(theme.as_deref(), accent.as_deref());
        o.errors.extend(bad);
        o
    }

    /// `data-theme` (light | dark) and `data-accent` (a hex colour; anything else is refused,
    /// so no host-provided text reaches a style attribute unchecked).
    pub fn set_theme(&mut self, theme: Option<&str>, accent: Option<&str>) {
        match theme {
            None | Some("light") => {}
            Some("dark") => self.dark = true,
            Some(other) => self.errors.push(OptionError {
                option: "data-theme",
                value: other.to_owned(),
            }),
        }
        if let Some(a) = accent {
            let hex = a.strip_prefix('#').unwrap_or("");
            if (hex.len() == 3 || hex.len() == 6) && hex.chars().all(|c| c.is_ascii_hexdigit()) {
                self.accent = Some(a.to_owned());
            } else {
                self.errors.push(OptionError {
                    option: "data-accent",
                    value: a.to_owned(),
                });
            }
        }
    }

    pub fn from_raw(view: Option<&str>, lang: Option<&str>, seed: Option<&str>) -> WidgetOptions {
        let mut o = WidgetOptions::default();
        match view {
            None | Some("resident") => {}
            Some("volunteer") => o.view = View::Volunteer,
            Some("coordinator") => o.view = View::Coordinator,
            Some(other) => o.errors.push(OptionError {
                option: "data-view",
                value: other.to_owned(),
            }),
        }
        match lang.map(Lang::parse) {
            None => {}
            Some(Some(l)) => o.lang = l,
            Some(None) => o.errors.push(OptionError {
                option: "data-lang",
                value: lang.unwrap_or_default().to_owned(),
            }),
        }
        if let Some(s) = seed {
            match s.trim().parse::<u64>() {
                Ok(n) => o.seed = n,
                Err(_) => o.errors.push(OptionError {
                    option: "data-seed",
                    value: s.to_owned(),
                }),
            }
        }
        o
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_resident_in_chinese() {
        let o = WidgetOptions::from_raw(None, None, None);
        assert_eq!((o.view, o.lang, o.seed), (View::Resident, Lang::ZhCn, 1));
        assert!(o.errors.is_empty());
    }

    #[test]
    fn each_bad_option_is_named() {
        let o = WidgetOptions::from_raw(Some("admin"), Some("fr"), Some("x1"));
        let names: Vec<_> = o.errors.iter().map(|e| e.option).collect();
        assert_eq!(names, ["data-view", "data-lang", "data-seed"]);
        assert_eq!(o.errors[0].value, "admin");
    }

    #[test]
    fn theme_and_accent_are_checked() {
        let mut o = WidgetOptions::default();
        o.set_theme(Some("dark"), Some("#0a7"));
        assert!(o.dark);
        assert_eq!(o.accent.as_deref(), Some("#0a7"));
        let mut bad = WidgetOptions::default();
        bad.set_theme(Some("neon"), Some("red;background:url(x)"));
        let names: Vec<_> = bad.errors.iter().map(|e| e.option).collect();
        assert_eq!(names, ["data-theme", "data-accent"]);
        assert_eq!(bad.accent, None);
    }

    #[test]
    fn english_and_seed_are_read() {
        let o = WidgetOptions::from_raw(Some("coordinator"), Some("en"), Some(" 42 "));
        assert_eq!((o.view, o.lang, o.seed), (View::Coordinator, Lang::En, 42));
    }
}
