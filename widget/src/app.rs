//! The root component: shows option errors, then the view the host asked for.

use yew::prelude::*;

use crate::i18n::{Msg, text};
use crate::options::WidgetOptions;
use crate::summary::DistrictSummary;

#[derive(Properties, PartialEq)]
pub struct AppProps {
    pub options: WidgetOptions,
}

#[component]
pub fn App(props: &AppProps) -> Html {
    let o = &props.options;
    let lang = o.lang;
    let errors = o.errors.iter().map(|e| {
        html! { <li><code>{ e.option }</code>{ ": " }{ &e.value }</li> }
    });
    html! {
        <section class="vw-root" lang={lang.tag()} data-testid="volunteer-widget">
            if !o.errors.is_empty() {
                <div role="alert" class="vw-error" data-testid="option-errors">
                    <p>{ text(lang, Msg::BadOption) }</p>
                    <ul>{ for errors }</ul>
                </div>
            }
            <DistrictSummary seed={o.seed} {lang} />
        </section>
    }
}
