//! Every user-facing sentence of the widget, in one table per language.
//!
//! A message is a [`Msg`] variant; [`text`] maps it to Chinese or English with an exhaustive
//! `match` per language, so a message missing in either language does not compile. The
//! engine's codes (service items, categories, exclusions, statuses, reasons) are worded here
//! too. Dates and numbers are formatted by the browser's `Intl` ([`crate::format`]).

use engine::desk::DeskError;
use engine::lifecycle::{CancelReason, DeclineReason, StatusKind, TransitionError};
use engine::model::{Category, Language, Pricing, ServiceItem, Urgency};
use engine::ranking::ExclusionKind;

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
    pub fn other(self) -> Lang {
        match self {
            Lang::ZhCn => Lang::En,
            Lang::En => Lang::ZhCn,
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
    SwitchLanguage,
    ViewResident,
    ViewVolunteer,
    ViewCoordinator,
    // storage
    StorageCorrupt,
    StorageUnavailable,
    StorageSaveFailed,
    ResetData,
    DataReset,
    // remote mode (data-api) and rosters (data-roster)
    Connecting,
    ServerUnreachable,
    SignInNeeded,
    ServerRefused,
    NotSentRetrying,
    Outbox,
    LiveUpdatesLost,
    NotAVolunteer,
    RosterLoading,
    RosterProblems,
    RosterUnreadable,
    // resident form
    PostTitle,
    Category,
    Item,
    Description,
    DescriptionHint,
    Where,
    Community,
    Grid,
    When,
    Asap,
    AtTime,
    Date,
    From,
    To,
    People,
    Pricing,
    Phone,
    PhoneHint,
    Urgent,
    Send,
    Sent,
    FormProblems,
    // preview
    PreviewCanHelp,
    PreviewNobody,
    PreviewWiderHelps,
    PreviewLowerLevelHelps,
    PreviewMainReason,
    // resident status
    MyRequests,
    NoRequestsYet,
    AnswerBy,
    Status,
    AcceptedBy,
    Cancel,
    Cancelled,
    RateTitle,
    Rated,
    Overdue,
    EscalatedWidened,
    EscalatedManual,
    // volunteer
    WhoAreYou,
    SearchVolunteer,
    SearchVolunteerHint,
    YouAre,
    ChangeIdentity,
    OffersForYou,
    NoOffers,
    OpenTasks,
    NoOpenTasks,
    MyTasks,
    NoTasks,
    Accept,
    Decline,
    DeclineReasonLabel,
    Accepted,
    Declined,
    MarkDone,
    Hours,
    MarkedDone,
    OfferUntil,
    WhyYou,
    YourLoad,
    YourWeek,
    SaveWeek,
    WeekSaved,
    ResidentContact,
    Km,
    // score components
    ScoreSkill,
    ScoreDistance,
    ScoreSlack,
    ScoreLoad,
    ScoreReliability,
    // coordinator
    OpenRequests,
    NoOpenRequests,
    FileForResident,
    RunBatch,
    Proposal,
    NoProposal,
    /// The coordinator's code loaded on first use (`crate::part`) did not load.
    #[cfg(feature = "coordinator")]
    PartFailed,
    SendOffers,
    OffersSent,
    Statistics,
    ResolutionRate,
    TimeToAccept,
    Satisfaction,
    Yardstick,
    Fairness,
    Map,
    Minutes,
    Seats,
    Discard,
    UnitDays,
    UnitHours,
    UnitMinutes,
    Choose,
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
    // the resident's location
    UseMyLocation,
    ChooseOnMap,
    Locating,
    LocatedIn,
    LocatedNearest,
    LocatedPrivate,
    LocationDenied,
    LocationUnavailable,
    LocationTimeout,
    LocationOutside,
    LocationUnsupported,
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
    ChartByCategory,
    ChartByTeam,
    ChartSeed,
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
            SwitchLanguage => "English",
            ViewResident => "居民求助",
            ViewVolunteer => "志愿者接单",
            ViewCoordinator => "网格员调度",
            StorageCorrupt => "本机保存的数据已损坏，无法读取。可以清除后重新开始。",
            StorageUnavailable => "浏览器不允许保存数据（本地存储不可用），刷新页面后更改会丢失。",
            StorageSaveFailed => "保存失败，这次操作没有生效：",
            ResetData => "清除本机数据",
            DataReset => "本机数据已清除。",
            Connecting => "正在连接服务器…",
            ServerUnreachable => "无法连接服务器，正在重试。",
            SignInNeeded => "登录已失效或缺少登录凭证，请重新登录。",
            ServerRefused => "服务器未执行：",
            NotSentRetrying => "尚未发送，正在重试",
            Outbox => "待发送",
            LiveUpdatesLost => "实时更新已中断，正在重新连接。",
            NotAVolunteer => "当前登录的不是志愿者身份。",
            RosterLoading => "正在读取志愿者名册…",
            RosterProblems => "志愿者名册有问题，未加载：",
            RosterUnreadable => "无法读取志愿者名册：",
            PostTitle => "我要求助",
            Category => "服务类别",
            Item => "服务项目",
            Description => "简要说明",
            DescriptionHint => "例如：帮忙去医院取药，三楼，无电梯",
            Where => "地点",
            Community => "社区",
            Grid => "网格",
            When => "时间",
            Asap => "尽快",
            AtTime => "指定时间",
            Date => "日期",
            From => "开始",
            To => "结束",
            People => "需要人数",
            Pricing => "收费方式",
            Phone => "联系电话（仅对接单志愿者可见）",
            PhoneHint => "11位手机号",
            Urgent => "紧急",
            Send => "提交求助",
            Sent => "求助已提交并保存",
            FormProblems => "请先修改以下内容：",
            PreviewCanHelp => "位附近的志愿者届时可以帮忙",
            PreviewNobody => "目前附近没有能在这个时间帮忙的志愿者",
            PreviewWiderHelps => "扩大范围后可帮忙的人数",
            PreviewLowerLevelHelps => "降低技能要求后可帮忙的人数",
            PreviewMainReason => "主要原因",
            MyRequests => "我的求助",
            NoRequestsYet => "还没有提交过求助",
            AnswerBy => "答复时限",
            Status => "状态",
            AcceptedBy => "接单志愿者",
            Cancel => "取消求助",
            Cancelled => "求助已取消",
            RateTitle => "服务评价",
            Rated => "感谢您的评价",
            Overdue => "已超时",
            EscalatedWidened => "已扩大寻找范围",
            EscalatedManual => "已转交人工处理",
            WhoAreYou => "请选择您的志愿者身份",
            SearchVolunteer => "志愿者编号",
            SearchVolunteerHint => "输入编号，例如 17",
            YouAre => "当前身份",
            ChangeIdentity => "切换身份",
            OffersForYou => "派给您的任务",
            NoOffers => "暂时没有派给您的任务",
            OpenTasks => "适合您的求助",
            NoOpenTasks => "暂时没有适合您的求助",
            MyTasks => "我已接的任务",
            NoTasks => "还没有已接的任务",
            Accept => "接单",
            Decline => "婉拒",
            DeclineReasonLabel => "婉拒原因",
            Accepted => "已接单",
            Declined => "已婉拒，任务将转给下一位志愿者",
            MarkDone => "标记完成",
            Hours => "用时（小时）",
            MarkedDone => "已标记完成",
            OfferUntil => "请在此时间前答复",
            WhyYou => "推荐理由",
            YourLoad => "本周任务",
            YourWeek => "我的每周空闲时间",
            SaveWeek => "保存空闲时间",
            WeekSaved => "空闲时间已保存",
            ResidentContact => "求助居民联系方式",
            Km => "公里",
            ScoreSkill => "技能",
            ScoreDistance => "距离",
            ScoreSlack => "时间宽裕",
            ScoreLoad => "任务负担",
            ScoreReliability => "可靠度",
            OpenRequests => "待办求助",
            NoOpenRequests => "没有待办的求助",
            FileForResident => "代居民登记求助",
            RunBatch => "一键批量派单",
            Proposal => "派单方案（确认后发出）",
            NoProposal => "没有可以派出的任务",
            #[cfg(feature = "coordinator")]
            PartFailed => "这部分功能未能加载，请检查网络后重试",
            SendOffers => "确认并发出",
            OffersSent => "派单已发出",
            Statistics => "服务统计",
            ResolutionRate => "办结率",
            TimeToAccept => "接单用时（中位数）",
            Satisfaction => "满意率",
            Yardstick => "去年：256件办结218件（85%），满意率95%以上",
            Fairness => "任务分配均衡度",
            Map => "街道地图",
            Minutes => "分钟",
            Seats => "人",
            Discard => "放弃方案",
            UnitDays => "天",
            UnitHours => "小时",
            UnitMinutes => "分",
            Choose => "确定",
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
            UseMyLocation => "使用我的位置",
            ChooseOnMap => "在地图上选择",
            Locating => "正在获取您的位置……",
            LocatedIn => "已按您的位置选择网格：",
            LocatedNearest => "您的位置在街道边界外不远处，已选择最近的网格：",
            LocatedPrivate => "。精确位置只有您和接单的志愿者能看到，其他人只看到网格。",
            LocationDenied => {
                "浏览器没有允许本页获取您的位置。可以在浏览器设置里允许，或直接选择社区和网格。"
            }
            LocationUnavailable => "暂时无法获取您的位置。请稍后再试，或直接选择社区和网格。",
            LocationTimeout => "获取位置超时。请再试一次，或直接选择社区和网格。",
            LocationOutside => "您的位置不在交通街道范围内，已保留原来选择的地点。",
            LocationUnsupported => "这个浏览器不能提供位置，请直接选择社区和网格。",
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
            ChartByCategory => "各类服务办结率",
            ChartByTeam => "各志愿队办结率",
            ChartSeed => "去年 ",
        },
        Lang::En => match msg {
            DistrictTitle => "Community volunteer service",
            Communities => "Communities",
            Grids => "Grids",
            Compounds => "Compounds",
            Teams => "Volunteer teams",
            Volunteers => "Volunteers",
            BadOption => "Invalid embedding option",
            SwitchLanguage => "中文",
            ViewResident => "Ask for help",
            ViewVolunteer => "Volunteer tasks",
            ViewCoordinator => "Dispatch",
            StorageCorrupt => {
                "The data saved in this browser is damaged and cannot be read. You can clear it and start again."
            }
            StorageUnavailable => {
                "This browser does not allow saving (local storage unavailable): changes are lost on reload."
            }
            StorageSaveFailed => "Saving failed, so this action did not take effect:",
            ResetData => "Clear data in this browser",
            DataReset => "The data in this browser was cleared.",
            Connecting => "Connecting to the server…",
            ServerUnreachable => "Cannot reach the server; retrying.",
            SignInNeeded => "Your sign-in has expired or is missing; please sign in again.",
            ServerRefused => "The server did not do it:",
            NotSentRetrying => "not sent yet, retrying",
            Outbox => "Waiting to be sent",
            LiveUpdatesLost => "Live updates were interrupted; reconnecting.",
            NotAVolunteer => "You are not signed in as a volunteer.",
            RosterLoading => "Reading the volunteer roster…",
            RosterProblems => "The volunteer roster has problems and was not loaded:",
            RosterUnreadable => "Cannot read the volunteer roster:",
            PostTitle => "Ask for help",
            Category => "Category",
            Item => "Service",
            Description => "Short description",
            DescriptionHint => "e.g. pick up medicine from the hospital, 3rd floor, no lift",
            Where => "Where",
            Community => "Community",
            Grid => "Grid",
            When => "When",
            Asap => "As soon as possible",
            AtTime => "At a set time",
            Date => "Date",
            From => "From",
            To => "To",
            People => "People needed",
            Pricing => "Pricing",
            Phone => "Contact phone (only the volunteer who accepts sees it)",
            PhoneHint => "11-digit mobile number",
            Urgent => "Urgent",
            Send => "Send request",
            Sent => "Request sent and saved",
            FormProblems => "Please correct the following first:",
            PreviewCanHelp => "volunteers nearby can help then",
            PreviewNobody => "Nobody nearby can help at that time yet",
            PreviewWiderHelps => "Could help with a wider radius",
            PreviewLowerLevelHelps => "Could help at a lower skill level",
            PreviewMainReason => "Main reason",
            MyRequests => "My requests",
            NoRequestsYet => "No requests sent yet",
            AnswerBy => "Answer by",
            Status => "Status",
            AcceptedBy => "Accepted by",
            Cancel => "Cancel request",
            Cancelled => "Request cancelled",
            RateTitle => "Rate the service",
            Rated => "Thank you for your rating",
            Overdue => "Overdue",
            EscalatedWidened => "Search radius widened",
            EscalatedManual => "Handed to a person",
            WhoAreYou => "Choose who you are",
            SearchVolunteer => "Volunteer number",
            SearchVolunteerHint => "Type a number, e.g. 17",
            YouAre => "You are",
            ChangeIdentity => "Change",
            OffersForYou => "Offers for you",
            NoOffers => "No offers for you right now",
            OpenTasks => "Requests that fit you",
            NoOpenTasks => "No open requests fit you right now",
            MyTasks => "My accepted tasks",
            NoTasks => "No accepted tasks yet",
            Accept => "Accept",
            Decline => "Decline",
            DeclineReasonLabel => "Reason",
            Accepted => "Accepted",
            Declined => "Declined; the task passes to the next volunteer",
            MarkDone => "Mark done",
            Hours => "Hours spent",
            MarkedDone => "Marked as done",
            OfferUntil => "Please answer before",
            WhyYou => "Why you",
            YourLoad => "Tasks this week",
            YourWeek => "My free time each week",
            SaveWeek => "Save free time",
            WeekSaved => "Free time saved",
            ResidentContact => "Resident's contact",
            Km => "km",
            ScoreSkill => "Skill",
            ScoreDistance => "Distance",
            ScoreSlack => "Time slack",
            ScoreLoad => "Load",
            ScoreReliability => "Reliability",
            OpenRequests => "Open requests",
            NoOpenRequests => "No open requests",
            FileForResident => "File a request for a resident",
            RunBatch => "Assign all open requests",
            Proposal => "Proposed assignment (sent only after you confirm)",
            NoProposal => "Nothing can be assigned now",
            #[cfg(feature = "coordinator")]
            PartFailed => {
                "This part of the widget could not be loaded. Check the connection and try again."
            }
            SendOffers => "Confirm and send offers",
            OffersSent => "Offers sent",
            Statistics => "Statistics",
            ResolutionRate => "Resolution rate",
            TimeToAccept => "Time to accept (median)",
            Satisfaction => "Satisfaction",
            Yardstick => "Last year: 218 of 256 resolved (85%), over 95% satisfied",
            Fairness => "Load fairness",
            Map => "District map",
            Minutes => "min",
            Seats => "people",
            Discard => "Discard",
            UnitDays => " d",
            UnitHours => " h",
            UnitMinutes => " min",
            Choose => "Choose",
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
            UseMyLocation => "Use my location",
            ChooseOnMap => "Choose on the map",
            Locating => "Finding your location…",
            LocatedIn => "Grid chosen from your location: ",
            LocatedNearest => "You are just outside the district, so the nearest grid is chosen: ",
            LocatedPrivate => {
                ". Only you and the volunteers who accept see your exact position; others see the grid."
            }
            LocationDenied => {
                "The browser did not allow this page to read your location. Allow it in the browser's settings, or choose the community and grid."
            }
            LocationUnavailable => {
                "Your location is not available right now. Try again later, or choose the community and grid."
            }
            LocationTimeout => {
                "Finding your location took too long. Try again, or choose the community and grid."
            }
            LocationOutside => {
                "Your location is outside Jiaotong Subdistrict, so the place chosen above is kept."
            }
            LocationUnsupported => {
                "This browser cannot give your location; please choose the community and grid."
            }
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
            ChartByCategory => "Resolution rate by category",
            ChartByTeam => "Resolution rate by team",
            ChartSeed => "Last year ",
        },
    }
}

pub fn category(lang: Lang, c: Category) -> &'static str {
    use Category::*;
    match (lang, c) {
        (Lang::ZhCn, Housekeeping) => "家政服务",
        (Lang::ZhCn, Medical) => "医疗卫生",
        (Lang::ZhCn, Culture) => "文体娱乐",
        (Lang::ZhCn, Education) => "教育培训",
        (Lang::ZhCn, Employment) => "上岗就业",
        (Lang::ZhCn, Rights) => "维权服务",
        (Lang::En, Housekeeping) => "Housekeeping",
        (Lang::En, Medical) => "Medical & health",
        (Lang::En, Culture) => "Culture, sports & recreation",
        (Lang::En, Education) => "Education & training",
        (Lang::En, Employment) => "Employment",
        (Lang::En, Rights) => "Rights & legal aid",
    }
}

pub fn item(lang: Lang, i: ServiceItem) -> &'static str {
    use ServiceItem::*;
    match (lang, i) {
        (Lang::ZhCn, Cleaning) => "打扫卫生",
        (Lang::ZhCn, Cooking) => "做饭送餐",
        (Lang::ZhCn, Errands) => "代买代办",
        (Lang::ZhCn, HomeRepair) => "小修小补",
        (Lang::ZhCn, Companionship) => "陪伴老人",
        (Lang::ZhCn, Childcare) => "看护儿童",
        (Lang::ZhCn, HealthCheck) => "量血压、健康检查",
        (Lang::ZhCn, MedicinePickup) => "代取药品",
        (Lang::ZhCn, HospitalEscort) => "陪同就医",
        (Lang::ZhCn, Rehabilitation) => "康复协助",
        (Lang::ZhCn, DanceFitness) => "舞蹈健身指导",
        (Lang::ZhCn, CalligraphyPainting) => "书法绘画",
        (Lang::ZhCn, ChoirMusic) => "合唱与音乐",
        (Lang::ZhCn, EventOrganising) => "活动组织",
        (Lang::ZhCn, HomeworkTutoring) => "作业辅导",
        (Lang::ZhCn, DigitalHelp) => "教老人用手机电脑",
        (Lang::ZhCn, LanguageTutoring) => "语言辅导",
        (Lang::ZhCn, VocationalSkills) => "职业技能培训",
        (Lang::ZhCn, Resume) => "简历写作",
        (Lang::ZhCn, JobSearch) => "求职帮助",
        (Lang::ZhCn, InterviewCoaching) => "面试辅导",
        (Lang::ZhCn, LegalConsultation) => "法律咨询",
        (Lang::ZhCn, DisputeMediation) => "矛盾调解",
        (Lang::ZhCn, PolicyExplanation) => "政策解读",
        (Lang::En, Cleaning) => "Cleaning",
        (Lang::En, Cooking) => "Cooking & meal delivery",
        (Lang::En, Errands) => "Errands & shopping",
        (Lang::En, HomeRepair) => "Small home repairs",
        (Lang::En, Companionship) => "Elderly companionship",
        (Lang::En, Childcare) => "Childcare",
        (Lang::En, HealthCheck) => "Blood pressure & health checks",
        (Lang::En, MedicinePickup) => "Medicine pick-up",
        (Lang::En, HospitalEscort) => "Hospital accompaniment",
        (Lang::En, Rehabilitation) => "Rehabilitation help",
        (Lang::En, DanceFitness) => "Dance & fitness coaching",
        (Lang::En, CalligraphyPainting) => "Calligraphy & painting",
        (Lang::En, ChoirMusic) => "Choir & music",
        (Lang::En, EventOrganising) => "Event organising",
        (Lang::En, HomeworkTutoring) => "Homework tutoring",
        (Lang::En, DigitalHelp) => "Smartphone & computer help",
        (Lang::En, LanguageTutoring) => "Language tutoring",
        (Lang::En, VocationalSkills) => "Vocational skills",
        (Lang::En, Resume) => "Résumé writing",
        (Lang::En, JobSearch) => "Job search",
        (Lang::En, InterviewCoaching) => "Interview coaching",
        (Lang::En, LegalConsultation) => "Legal consultation",
        (Lang::En, DisputeMediation) => "Dispute mediation",
        (Lang::En, PolicyExplanation) => "Policy explanation",
    }
}

pub fn pricing(lang: Lang, p: Pricing) -> &'static str {
    match (lang, p) {
        (Lang::ZhCn, Pricing::Free) => "无偿",
        (Lang::ZhCn, Pricing::LowCost) => "低偿",
        (Lang::ZhCn, Pricing::Paid) => "有偿",
        (Lang::En, Pricing::Free) => "Free",
        (Lang::En, Pricing::LowCost) => "Low-cost",
        (Lang::En, Pricing::Paid) => "Paid",
    }
}

pub fn urgency(lang: Lang, u: Urgency) -> &'static str {
    match (lang, u) {
        (Lang::ZhCn, Urgency::Normal) => "一般",
        (Lang::ZhCn, Urgency::Urgent) => "紧急",
        (Lang::En, Urgency::Normal) => "Normal",
        (Lang::En, Urgency::Urgent) => "Urgent",
    }
}

pub fn language(lang: Lang, l: Language) -> &'static str {
    match (lang, l) {
        (Lang::ZhCn, Language::Mandarin) => "普通话",
        (Lang::ZhCn, Language::Mongolian) => "蒙古语",
        (Lang::ZhCn, Language::JinDialect) => "晋语",
        (Lang::ZhCn, Language::English) => "英语",
        (Lang::En, Language::Mandarin) => "Mandarin",
        (Lang::En, Language::Mongolian) => "Mongolian",
        (Lang::En, Language::JinDialect) => "Jin dialect",
        (Lang::En, Language::English) => "English",
    }
}

pub fn status(lang: Lang, s: StatusKind) -> &'static str {
    use StatusKind::*;
    match (lang, s) {
        (Lang::ZhCn, Open) => "等待派单",
        (Lang::ZhCn, Offered) => "已派单，等待志愿者答复",
        (Lang::ZhCn, Accepted) => "志愿者已接单",
        (Lang::ZhCn, Done) => "已完成",
        (Lang::ZhCn, Cancelled) => "已取消",
        (Lang::ZhCn, Expired) => "已过期",
        (Lang::En, Open) => "Waiting for a volunteer",
        (Lang::En, Offered) => "Offered, waiting for an answer",
        (Lang::En, Accepted) => "Accepted",
        (Lang::En, Done) => "Done",
        (Lang::En, Cancelled) => "Cancelled",
        (Lang::En, Expired) => "Expired",
    }
}

pub fn decline_reason(lang: Lang, r: DeclineReason) -> &'static str {
    use DeclineReason::*;
    match (lang, r) {
        (Lang::ZhCn, Busy) => "这个时间没空",
        (Lang::ZhCn, TooFar) => "距离太远",
        (Lang::ZhCn, NotMySkill) => "不擅长这项服务",
        (Lang::ZhCn, Other) => "其他原因",
        (Lang::En, Busy) => "Busy then",
        (Lang::En, TooFar) => "Too far",
        (Lang::En, NotMySkill) => "Not my skill",
        (Lang::En, Other) => "Other",
    }
}

pub fn cancel_reason(lang: Lang, r: CancelReason) -> &'static str {
    use CancelReason::*;
    match (lang, r) {
        (Lang::ZhCn, ResidentWithdrew) => "居民撤回",
        (Lang::ZhCn, SolvedElsewhere) => "已通过其他方式解决",
        (Lang::ZhCn, Duplicate) => "重复登记",
        (Lang::ZhCn, Coordinator) => "工作人员关闭",
        (Lang::En, ResidentWithdrew) => "Withdrawn by the resident",
        (Lang::En, SolvedElsewhere) => "Solved another way",
        (Lang::En, Duplicate) => "Duplicate",
        (Lang::En, Coordinator) => "Closed by staff",
    }
}

/// Why volunteers are excluded, as a phrase for the live preview.
pub fn exclusion(lang: Lang, k: ExclusionKind) -> &'static str {
    use ExclusionKind::*;
    match (lang, k) {
        (Lang::ZhCn, UnknownVolunteer) => "志愿者不存在",
        (Lang::ZhCn, MissingSkill) => "没有这项技能",
        (Lang::ZhCn, Away) => "这几天外出",
        (Lang::ZhCn, Unavailable) => "这个时间没空",
        (Lang::ZhCn, NoPosition) => "没有登记住址",
        (Lang::ZhCn, OutOfRange) => "距离太远",
        (Lang::ZhCn, NoCapacity) => "本周任务已满",
        (Lang::ZhCn, Language) => "不会所需语言",
        (Lang::ZhCn, Pricing) => "不接受这种收费方式",
        (Lang::ZhCn, AlreadyDeclined) => "已婉拒",
        (Lang::ZhCn, AlreadyOffered) => "已派过单",
        (Lang::En, UnknownVolunteer) => "unknown volunteer",
        (Lang::En, MissingSkill) => "lack the skill",
        (Lang::En, Away) => "are away those days",
        (Lang::En, Unavailable) => "are busy then",
        (Lang::En, NoPosition) => "have no address on file",
        (Lang::En, OutOfRange) => "live too far away",
        (Lang::En, NoCapacity) => "have a full week",
        (Lang::En, Language) => "do not speak the language",
        (Lang::En, Pricing) => "do not work under that pricing",
        (Lang::En, AlreadyDeclined) => "declined already",
        (Lang::En, AlreadyOffered) => "were offered already",
    }
}

/// Why the engine refused an operation, in words.
pub fn desk_error(lang: Lang, e: &DeskError) -> String {
    let zh = lang == Lang::ZhCn;
    let pick = |z: &str, en: &str| if zh { z.to_owned() } else { en.to_owned() };
    match e {
        DeskError::UnknownRequest { .. } => pick("找不到这条求助", "This request no longer exists"),
        DeskError::DuplicateRequest { .. } => {
            pick("这条求助已经提交过", "This request was already sent")
        }
        DeskError::Invalid { problems } => {
            let fields: Vec<String> = problems.iter().map(|p| field(lang, &p.field)).collect();
            format!(
                "{}{}",
                pick("请检查：", "Please check: "),
                fields.join(", ")
            )
        }
        DeskError::Transition { error } => transition_error(lang, error),
        DeskError::NoCapacity { .. } => pick(
            "您本周的任务已满，请婉拒",
            "Your week is full: please decline",
        ),
        DeskError::NotEligible { why, .. } => {
            format!(
                "{}{}",
                pick("您不能接这个任务：", "You cannot take this task: "),
                exclusion(lang, why.kind())
            )
        }
        DeskError::Plan { .. } => pick("批量派单无法运行", "The batch assignment could not run"),
        DeskError::Ranker { .. }
        | DeskError::MismatchedEntry { .. }
        | DeskError::Inconsistent { .. } => pick(
            "数据不一致，操作未执行",
            "The data is inconsistent; nothing was changed",
        ),
    }
}

fn transition_error(lang: Lang, e: &TransitionError) -> String {
    use TransitionError::*;
    let zh = lang == Lang::ZhCn;
    let (z, en) = match e {
        Closed { .. } => ("这条求助已经结束", "This request is already closed"),
        TimeWentBackwards { .. } => (
            "设备时间有误，请检查时钟",
            "This device's clock is behind; please check it",
        ),
        NoFreeSeat => ("人数已满", "All places are taken"),
        AlreadyAsked { .. } => ("已经问过这位志愿者", "This volunteer was already asked"),
        WrongRecipient { .. } => (
            "团队任务只能由队长接单",
            "A team task is accepted by its team leader",
        ),
        NotOffered { .. } => ("这个任务没有派给您", "This task was not offered to you"),
        OfferLapsed { .. } => (
            "答复时间已过，任务已转给他人",
            "The time to answer has passed; the task moved on",
        ),
        AlreadyAccepted { .. } => ("您已经接了这个任务", "You already accepted this task"),
        NotAcceptedBy { .. } => ("您没有接这个任务", "You did not accept this task"),
        NotAccepted { .. } => ("任务还没有人接", "Nobody has accepted this task yet"),
        RatingOutOfRange { .. } => ("评分应为1到5星", "A rating is 1 to 5 stars"),
        HoursOutOfRange { .. } => (
            "用时应大于0且不超过上限",
            "Hours must be above 0 and within the limit",
        ),
    };
    (if zh { z } else { en }).to_owned()
}

/// A spreadsheet row, for a roster problem ("第3行", "row 3").
pub fn row(lang: Lang, n: usize) -> String {
    match lang {
        Lang::ZhCn => format!("第{n}行"),
        Lang::En => format!("row {n}"),
    }
}

/// Day names, Monday first.
pub fn weekday(lang: Lang, d: usize) -> &'static str {
    const ZH: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];
    const EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    match lang {
        Lang::ZhCn => ZH[d % 7],
        Lang::En => EN[d % 7],
    }
}

/// A validation problem's field, worded for the resident's form.
pub fn field(lang: Lang, field: &str) -> String {
    let zh = match field {
        "position" | "position.lat" | "position.lon" | "grid" => Some(("地点", "Where")),
        "window.start" | "window.end" | "when" => Some(("时间", "When")),
        "people" => Some(("需要人数", "People needed")),
        "duration_min" => Some(("时长", "Duration")),
        "level" => Some(("技能等级", "Skill level")),
        "radius" => Some(("范围", "Radius")),
        "contact.phone" | "phone" => Some(("联系电话", "Contact phone")),
        "description" => Some(("简要说明", "Description")),
        _ => None,
    };
    match (zh, lang) {
        (Some((z, _)), Lang::ZhCn) => z.to_owned(),
        (Some((_, e)), Lang::En) => e.to_owned(),
        (None, _) => field.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_word_in_both_languages() {
        for l in [Lang::ZhCn, Lang::En] {
            for i in ServiceItem::ALL {
                assert!(!item(l, i).is_empty());
            }
            for c in Category::ALL {
                assert!(!category(l, c).is_empty());
            }
            for k in ExclusionKind::ALL {
                assert!(!exclusion(l, k).is_empty());
            }
        }
        assert_ne!(
            item(Lang::ZhCn, ServiceItem::Cleaning),
            item(Lang::En, ServiceItem::Cleaning)
        );
    }

    #[test]
    fn languages_switch_both_ways() {
        assert_eq!(Lang::ZhCn.other(), Lang::En);
        assert_eq!(Lang::En.other(), Lang::ZhCn);
        assert_eq!(text(Lang::ZhCn, Msg::SwitchLanguage), "English");
    }
}
