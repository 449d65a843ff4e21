//! Dates and numbers as the reader's language writes them, through the browser's `Intl`.
//!
//! Times are shown in district time (Asia/Shanghai, UTC+8) whatever the browser's zone, so a
//! resident and a volunteer see the same clock. Natively (unit tests) a plain fallback is used.

use engine::time::Timestamp;

use crate::i18n::{Lang, Msg, text};

#[cfg(target_arch = "wasm32")]
mod imp {
    use js_sys::{Array, Date, Intl, Object, Reflect};
    use wasm_bindgen::JsValue;

    fn options(pairs: &[(&str, JsValue)]) -> Object {
        let o = Object::new();
        for (k, v) in pairs {
            // Setting a plain property on a fresh object cannot fail.
            let _ = Reflect::set(&o, &JsValue::from_str(k), v);
        }
        o
    }

    pub fn datetime(tag: &str, secs: i64) -> String {
        let d = Date::new(&JsValue::from_f64(secs as f64 * 1000.0));
        let o = options(&[
            ("timeZone", "Asia/Shanghai".into()),
            ("month", "numeric".into()),
            ("day", "numeric".into()),
            ("weekday", "short".into()),
            ("hour", "2-digit".into()),
            ("minute", "2-digit".into()),
            ("hourCycle", "h23".into()),
        ]);
        String::from(d.to_locale_string(tag, &o))
    }

    pub fn number(tag: &str, x: f64, max_fraction: u32, percent: bool) -> String {
        let locales = Array::of1(&JsValue::from_str(tag));
        let mut pairs = vec![("maximumFractionDigits", JsValue::from(max_fraction))];
        if percent {
            pairs.push(("style", "percent".into()));
        }
        let f = Intl::NumberFormat::new(&locales, &options(&pairs));
        f.format()
            .call1(&JsValue::UNDEFINED, &JsValue::from_f64(x))
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use engine::time::{LOCAL_OFFSET_SECS, Timestamp};

    pub fn datetime(_tag: &str, secs: i64) -> String {
        let t = Timestamp(secs);
        let (y, m, d) = t.local_day().ymd();
        let mins = (secs + LOCAL_OFFSET_SECS).rem_euclid(86_400) / 60;
        format!("{y}-{m:02}-{d:02} {:02}:{:02}", mins / 60, mins % 60)
    }

    pub fn number(_tag: &str, x: f64, max_fraction: u32, percent: bool) -> String {
        let x = if percent { x * 100.0 } else { x };
        let s = format!("{x:.*}", max_fraction as usize);
        let s = if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_owned()
        } else {
            s
        };
        if percent { format!("{s}%") } else { s }
    }
}

pub fn datetime(lang: Lang, t: Timestamp) -> String {
    imp::datetime(lang.tag(), t.0)
}

pub fn number(lang: Lang, x: f64, max_fraction: u32) -> String {
    imp::number(lang.tag(), x, max_fraction, false)
}

pub fn percent(lang: Lang, share: f64) -> String {
    imp::number(lang.tag(), share, 0, true)
}

/// "12 min", "3 h 05 min", "2 d 4 h" style countdowns (negative when overdue), compact and
/// language-neutral apart from the units.
pub fn duration(lang: Lang, secs: i64) -> String {
    let sign = if secs < 0 { "-" } else { "" };
    let s = secs.unsigned_abs();
    let (d, h, m) = (s / 86_400, (s % 86_400) / 3600, (s % 3600) / 60);
    let (ud, uh, um) = (
        text(lang, Msg::UnitDays),
        text(lang, Msg::UnitHours),
        text(lang, Msg::UnitMinutes),
    );
    if d > 0 {
        format!("{sign}{d}{ud} {h}{uh}")
    } else if h > 0 {
        format!("{sign}{h}{uh} {m:02}{um}")
    } else {
        format!("{sign}{m}{um}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fallback_formats_are_plain() {
        assert_eq!(number(Lang::En, 2.50, 2), "2.5");
        assert_eq!(percent(Lang::En, 0.85), "85%");
        // 2026-11-25 10:00 in district time.
        let t = engine::time::Day::from_ymd(2026, 11, 25)
            .start()
            .plus_minutes(600);
        assert_eq!(datetime(Lang::En, t), "2026-11-25 10:00");
    }

    #[test]
    fn durations_count_down_and_go_negative() {
        assert_eq!(duration(Lang::En, 125), "2 min");
        assert_eq!(duration(Lang::En, 3 * 3600 + 5 * 60), "3 h 05 min");
        assert_eq!(duration(Lang::En, -600), "-10 min");
        assert_eq!(duration(Lang::ZhCn, 2 * 86_400 + 3600), "2天 1小时");
    }
}
