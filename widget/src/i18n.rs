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
    // map and charts
    MapTitle,
    MapPickHint,
    MapSelectedGrid,
    MapLegend,
    MapMarkerOpen,
    MapMarkerOverdue,
    MapMarkerAccepted,
    MapMarkerFree,
    MapYou,
    MapMarkersList,
    ChartItem,
    ChartValue,
    LoadGini,
    LoadGiniHint,
    LoadTasksPerVolunteer,
    LoadVolunteers,
    LoadLorenz,
    LoadEquality,
    LoadShareVolunteers,
    LoadShareTasks,
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
            // map and charts
            MapTitle => "社区与网格地图",
            MapPickHint => "请选择您所在的网格：点击网格，或用 Tab 键移到网格后按回车键。",
            MapSelectedGrid => "已选网格：",
            MapLegend => "图例",
            MapMarkerOpen => "待接单的求助",
            MapMarkerOverdue => "已超时的求助",
            MapMarkerAccepted => "已接单的求助",
            MapMarkerFree => "空闲志愿者人数",
            MapYou => "您的位置",
            MapMarkersList => "地图上的标注",
            ChartItem => "项目",
            ChartValue => "数值",
            LoadGini => "基尼系数：",
            LoadGiniHint => "0 表示任务完全平均分配，越接近 1 表示任务越集中在少数志愿者身上。",
            LoadTasksPerVolunteer => "每位志愿者承担的任务数",
            LoadVolunteers => "志愿者人数",
            LoadLorenz => "洛伦兹曲线",
            LoadEquality => "完全平均线",
            LoadShareVolunteers => "志愿者累计占比",
            LoadShareTasks => "任务累计占比",
        },
        Lang::En => match msg {
            DistrictTitle => "Community volunteer service",
            Communities => "Communities",
            Grids => "Grids",
            Compounds => "Compounds",
            Teams => "Volunteer teams",
            Volunteers => "Volunteers",
            BadOption => "Invalid embedding option",
            // map and charts
            MapTitle => "Map of the communities and grids",
            MapPickHint => {
                "Choose your grid: click a grid, or move to it with Tab and press Enter."
            }
            MapSelectedGrid => "Selected grid: ",
            MapLegend => "Legend",
            MapMarkerOpen => "Open request",
            MapMarkerOverdue => "Overdue request",
            MapMarkerAccepted => "Accepted request",
            MapMarkerFree => "Free volunteers",
            MapYou => "Your position",
            MapMarkersList => "Marked on the map",
            ChartItem => "Item",
            ChartValue => "Value",
            LoadGini => "Gini coefficient: ",
            LoadGiniHint => {
                "0 means tasks are shared evenly; the closer to 1, the more a few volunteers carry them all."
            }
            LoadTasksPerVolunteer => "Tasks per volunteer",
            LoadVolunteers => "Volunteers",
            LoadLorenz => "Lorenz curve",
            LoadEquality => "Perfect equality",
            LoadShareVolunteers => "Share of volunteers",
            LoadShareTasks => "Share of tasks",
        },
    }
}
