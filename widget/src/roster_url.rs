//! `data-roster`: local mode over the site's own roster file instead of the generated district.
//!
//! The file (JSON in the shape of docs/ROSTER_FORMAT.md, or its CSV of volunteers laid on the
//! generated district's geography and teams) is fetched once and read by the engine's
//! importers. Any problem rejects the whole file: the widget lists every problem with its row
//! and field and loads nothing, so a half-read roster is never matched against.

use std::rc::Rc;

use engine::desk::Desk;
use engine::lifecycle::LifecyclePolicy;
use engine::model::Roster;
use engine::problem::{Problem, ProblemCode};
use engine::ranking::MatchPolicy;
use yew::prelude::*;

use crate::app::{LocalApp, chrome};
use crate::i18n::{self, Lang, Msg, text};
use crate::options::WidgetOptions;

/// Reads a roster file: JSON when it starts with `{`, CSV otherwise (over the generated
/// district of `seed`). Every problem, or a roster a desk accepts.
pub fn import(text: &str, seed: u64) -> Result<Roster, Vec<Problem>> {
    let body = text.trim_start_matches('\u{feff}').trim_start();
    let roster = if body.starts_with('{') {
        engine::roster_json::import_json(body)?
    } else {
        engine::roster_csv::import_csv(body, &Roster::jiaotong(seed))?
    };
    // The importers validate everything the desk relies on; this only guards that promise.
    match Desk::new(
        roster.clone(),
        MatchPolicy::default(),
        LifecyclePolicy::default(),
    ) {
        Ok(_) => Ok(roster),
        Err(_) => Err(vec![Problem::new(
            None,
            "volunteers",
            ProblemCode::DuplicateId,
        )]),
    }
}

/// The storage key's district number for a roster file: its URL's FNV-1a hash, so the
/// state kept for one file never mixes with another's or the generated district's.
pub fn store_seed(url: &str) -> u64 {
    url.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// One problem as a line: where (row, field) and what (the engine's code, the value).
pub fn problem_line(lang: Lang, p: &Problem) -> String {
    let mut out = String::new();
    if let Some(r) = p.row {
        out.push_str(&i18n::row(lang, r));
        out.push_str(" · ");
    }
    if !p.field.is_empty() {
        out.push_str(&p.field);
        out.push_str(" · ");
    }
    out.push_str(p.code.code());
    if !p.value.is_empty() {
        out.push_str(&format!(" «{}»", p.value));
    }
    out
}

#[derive(Clone, PartialEq)]
enum Loaded {
    Loading,
    Unreadable(String),
    Problems(Vec<Problem>),
    Ready(Rc<Roster>),
}

#[derive(Properties, PartialEq)]
pub struct RosterProps {
    pub options: WidgetOptions,
}

#[component]
pub fn RosterApp(props: &RosterProps) -> Html {
    let o = &props.options;
    let url = o.roster.clone().unwrap_or_default();
    let loaded = use_state(|| Loaded::Loading);
    let lang = use_state(|| o.lang);
    {
        let loaded = loaded.clone();
        let url = url.clone();
        let seed = o.seed;
        use_effect_with((), move |_| {
            crate::net::spawn(async move {
                let next = match crate::net::fetch(&url, "", "GET", "", None, None).await {
                    Ok(text) => match import(&text, seed) {
                        Ok(r) => Loaded::Ready(Rc::new(r)),
                        Err(p) => Loaded::Problems(p),
                    },
                    Err(crate::net::Failure::Refused { code, .. }) => Loaded::Unreadable(code),
                    Err(_) => Loaded::Unreadable(url),
                };
                loaded.set(next);
            });
        });
    }
    if let Loaded::Ready(r) = &*loaded {
        return html! {
            <LocalApp options={o.clone()} roster={Some(r.clone())} seed={store_seed(&url)} />
        };
    }
    let l = *lang;
    let switch = {
        let lang = lang.clone();
        Callback::from(move |_: MouseEvent| lang.set(lang.other()))
    };
    let alerts = match &*loaded {
        Loaded::Loading | Loaded::Ready(_) => {
            html! { <p class="vw-muted" data-testid="roster-loading">{ text(l, Msg::RosterLoading) }</p> }
        }
        Loaded::Unreadable(why) => html! {
            <div role="alert" class="vw-error" data-testid="roster-problems">
                <p>{ text(l, Msg::RosterUnreadable) }{ " " }{ why }</p>
            </div>
        },
        Loaded::Problems(problems) => html! {
            <div role="alert" class="vw-error" data-testid="roster-problems">
                <p>{ text(l, Msg::RosterProblems) }{ format!(" ({})", problems.len()) }</p>
                <ul>{ for problems.iter().take(200).map(|p| html! {
                    <li data-testid="roster-problem">{ problem_line(l, p) }</li>
                }) }</ul>
            </div>
        },
    };
    let title = crate::views::body(o.view).0;
    chrome(o, l, switch, alerts, "", (title, html! {}), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csv_roster_loads_over_the_generated_geography() {
        let base = Roster::jiaotong(1);
        let csv = engine::roster_csv::export_csv(&base);
        let back = import(&csv, 1).unwrap();
        assert_eq!(back.volunteers.len(), base.volunteers.len());
        let json = engine::roster_json::export_json(&base);
        assert_eq!(import(&json, 1).unwrap(), base);
    }

    #[test]
    fn a_bad_csv_lists_every_problem_with_its_row_and_loads_nothing() {
        let base = Roster::jiaotong(1);
        let csv = engine::roster_csv::export_csv(&base);
        let mut lines: Vec<String> = csv.lines().map(str::to_owned).collect();
        let header: Vec<&str> = lines[0].split(',').collect();
        let skills = header.iter().position(|h| *h == "skills").unwrap();
        // Break the skills cell of the second and fifth volunteers (rows 3 and 6).
        for row in [2usize, 5] {
            let mut cells: Vec<String> = lines[row].split(',').map(str::to_owned).collect();
            cells[skills] = "cooking9".into();
            lines[row] = cells.join(",");
        }
        let problems = import(&lines.join("\n"), 1).unwrap_err();
        let rows: Vec<Option<usize>> = problems.iter().map(|p| p.row).collect();
        assert!(
            rows.contains(&Some(3)) && rows.contains(&Some(6)),
            "{problems:?}"
        );
        let line = problem_line(Lang::En, &problems[0]);
        assert!(line.starts_with("row 3 · skills · "), "{line}");
        assert_ne!(store_seed("https://a/r.csv"), store_seed("https://a/s.csv"));
    }
}
