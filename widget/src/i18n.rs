//! Every user-facing sentence of the widget, in one table per language.
//!
//! A message is a [`Msg`] variant; [`text`] maps it to Chinese or English with an exhaustive
//! `match`, so a message missing in either language does not compile.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    ZhCn,
    En,
}

impl Lang {
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "zh-CN" | "zh" | "zh-cn" => Some(Lang::ZhCn),
            "en" | "en-US" | "en-GB" => Some(Lang::En),
            _ => None,
        }
    }
    /// BCP 47 tag for `lang` attributes and `Intl`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Msg {
    DistrictTitle,
    Communities,
    Grids,
    Compounds,
    Teams,
    Volunteers,
    BadOption,
}

pub fn text(lang: Lang, msg: Msg) -> &'static str {
    use Msg::*;
    match lang {
        Lang::ZhCn => match msg {
            DistrictTitle => "社区志愿服务",
            Communities => "社区",
            Grids => "网格",
            Compounds => "小区",
            Teams => "志愿者服务队",
            Volunteers => "志愿者",
            BadOption => "嵌入选项有误",
        },
        Lang::En => match msg {
            DistrictTitle => "Community volunteer service",
            Communities => "Communities",
            Grids => "Grids",
            Compounds => "Compounds",
            Teams => "Volunteer teams",
            Volunteers => "Volunteers",
            BadOption => "Invalid embedding option",
        },
    }
}
