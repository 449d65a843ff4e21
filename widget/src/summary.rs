//! The district's name and figures, counted from the roster the widget works with (the
//! generated district, a `data-roster` file, or the server's public roster).

use engine::model::Roster;
use yew::prelude::*;

use crate::i18n::{Lang, Msg, text};

pub fn district_summary(roster: &Roster, lang: Lang) -> Html {
    let figure = |msg: Msg, key: &'static str, n: usize| {
        html! {
            <div class="vw-figure">
                <dt>{ text(lang, msg) }</dt>
                <dd data-testid={key}>{ n }</dd>
            </div>
        }
    };
    html! {
        <div class="vw-summary">
            <h2 data-testid="district-name">{ &roster.name }{ " · " }{ text(lang, Msg::DistrictTitle) }</h2>
            <dl class="vw-figures">
                { figure(Msg::Communities, "count-communities", roster.communities.len()) }
                { figure(Msg::Grids, "count-grids", roster.grids.len()) }
                { figure(Msg::Compounds, "count-compounds", roster.compounds.len()) }
                { figure(Msg::Teams, "count-teams", roster.teams.len()) }
                { figure(Msg::Volunteers, "count-volunteers", roster.volunteers.len()) }
            </dl>
        </div>
    }
}
