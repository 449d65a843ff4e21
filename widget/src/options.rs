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
    /// `data-api`: the server's API base (remote mode); the loader makes it absolute.
    pub api: Option<String>,
    /// `data-user-token`: the signed-in user's token for the server (remote mode).
    pub token: Option<String>,
    /// `data-roster`: the URL of a JSON or CSV roster (local mode).
    pub roster: Option<String>,
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
            api: None,
            token: None,
            roster: None,
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
        let (api, token, roster) = (field("api"), field("userToken"), field("roster"));
        let mut o = WidgetOptions::from_raw(view.as_deref(), lang.as_deref(), seed.as_deref());
        o.set_theme(theme.as_deref(), accent.as_deref());
        o.set_sources(api, token, roster);
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

    /// `data-api` and `data-roster` must be http(s) URLs (the loader resolves relative ones
    /// against the host page); `data-user-token` only makes sense with `data-api`.
    pub fn set_sources(
        &mut self,
        api: Option<String>,
        token: Option<String>,
        roster: Option<String>,
    ) {
        let url = |name: &'static str, v: Option<String>, errors: &mut Vec<OptionError>| {
            let v = v?;
            if v.starts_with("https://") || v.starts_with("http://") {
                Some(v.trim_end_matches('/').to_owned())
            } else {
                errors.push(OptionError {
                    option: name,
                    value: v,
                });
                None
            }
        };
        self.api = url("data-api", api, &mut self.errors);
        self.roster = url("data-roster", roster, &mut self.errors);
        if self.api.is_some() && self.roster.is_some() {
            // The server holds the roster in remote mode.
            self.errors.push(OptionError {
                option: "data-roster",
                value: self.roster.take().unwrap_or_default(),
            });
        }
        self.token = token.filter(|t| !t.trim().is_empty());
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

    #[test]
    fn sources_must_be_urls_and_exclusive() {
        let mut o = WidgetOptions::default();
        o.set_sources(
            Some("https://hall.example/api/".into()),
            Some("t0k".into()),
            None,
        );
        assert_eq!(o.api.as_deref(), Some("https://hall.example/api"));
        assert_eq!(o.token.as_deref(), Some("t0k"));
        assert!(o.errors.is_empty());
        let mut bad = WidgetOptions::default();
        bad.set_sources(Some("javascript:alert(1)".into()), Some(" ".into()), None);
        assert_eq!(bad.api, None);
        assert_eq!(bad.token, None);
        assert_eq!(bad.errors[0].option, "data-api");
        let mut both = WidgetOptions::default();
        both.set_sources(
            Some("http://x/api".into()),
            None,
            Some("http://x/r.csv".into()),
        );
        assert_eq!(both.roster, None);
        assert_eq!(both.errors[0].option, "data-roster");
        let mut roster = WidgetOptions::default();
        roster.set_sources(None, None, Some("http://x/r.csv".into()));
        assert_eq!(roster.roster.as_deref(), Some("http://x/r.csv"));
    }
}
