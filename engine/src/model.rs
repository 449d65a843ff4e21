//! The domain model: the district's places, teams and volunteers, the service taxonomy,
//! and residents' requests.
//!
//! Everything here is plain data with serde derives; the rules that act on it live in
//! `ranking`, `assignment`, `lifecycle` and `stats`. The engine speaks in codes
//! (`ServiceItem::MedicinePickup`, `Pricing::Free`): sentences belong to the widget's i18n.

use serde::{Deserialize, Serialize};

use crate::geo::{BBox, Km, LatLon};
use crate::time::{DayRange, SlotMask, Timestamp};

macro_rules! id_type {
    ($(#[$m:meta])* $name:ident($inner:ty)) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub $inner);

        impl $name {
            pub const fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

id_type!(
    /// Index of a community in `Roster::communities` (0..7 for the district).
    CommunityId(u8)
);
id_type!(
    /// Index of a grid in `Roster::grids`.
    GridId(u16)
);
id_type!(
    /// Index of a compound in `Roster::compounds`.
    CompoundId(u16)
);
id_type!(
    /// Index of a team in `Roster::teams`.
    TeamId(u16)
);
id_type!(
    /// A volunteer's stable id (not necessarily their index: imported rosters keep their ids).
    VolunteerId(u32)
);
id_type!(
    /// A request's stable id.
    RequestId(u32)
);

/// The six service categories of the seed document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Housekeeping,
    Medical,
    Culture,
    Education,
    Employment,
    Rights,
}

impl Category {
    pub const ALL: [Category; 6] = [
        Category::Housekeeping,
        Category::Medical,
        Category::Culture,
        Category::Education,
        Category::Employment,
        Category::Rights,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Category::Housekeeping => "housekeeping",
            Category::Medical => "medical",
            Category::Culture => "culture",
            Category::Education => "education",
            Category::Employment => "employment",
            Category::Rights => "rights",
        }
    }
    pub fn items(self) -> impl Iterator<Item = ServiceItem> {
        ServiceItem::ALL
            .into_iter()
            .filter(move |i| i.category() == self)
    }
}

/// The 24 service items of DOMAIN.md. The discriminant is a stable bit index (0..24) used
/// by skill bitmasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum ServiceItem {
    // housekeeping
    Cleaning = 0,
    Cooking,
    Errands,
    HomeRepair,
    Companionship,
    Childcare,
    // medical & health
    HealthCheck,
    MedicinePickup,
    HospitalEscort,
    Rehabilitation,
    // culture, sports & recreation
    DanceFitness,
    CalligraphyPainting,
    ChoirMusic,
    EventOrganising,
    // education & training
    HomeworkTutoring,
    DigitalHelp,
    LanguageTutoring,
    VocationalSkills,
    // employment
    Resume,
    JobSearch,
    InterviewCoaching,
    // rights & legal aid
    LegalConsultation,
    DisputeMediation,
    PolicyExplanation,
}

impl ServiceItem {
    pub const COUNT: usize = 24;
    pub const ALL: [ServiceItem; 24] = [
        ServiceItem::Cleaning,
        ServiceItem::Cooking,
        ServiceItem::Errands,
        ServiceItem::HomeRepair,
        ServiceItem::Companionship,
        ServiceItem::Childcare,
        ServiceItem::HealthCheck,
        ServiceItem::MedicinePickup,
        ServiceItem::HospitalEscort,
        ServiceItem::Rehabilitation,
        ServiceItem::DanceFitness,
        ServiceItem::CalligraphyPainting,
        ServiceItem::ChoirMusic,
        ServiceItem::EventOrganising,
        ServiceItem::HomeworkTutoring,
        ServiceItem::DigitalHelp,
        ServiceItem::LanguageTutoring,
        ServiceItem::VocationalSkills,
        ServiceItem::Resume,
        ServiceItem::JobSearch,
        ServiceItem::InterviewCoaching,
        ServiceItem::LegalConsultation,
        ServiceItem::DisputeMediation,
        ServiceItem::PolicyExplanation,
    ];

    pub fn category(self) -> Category {
        use ServiceItem::*;
        match self {
            Cleaning | Cooking | Errands | HomeRepair | Companionship | Childcare => {
                Category::Housekeeping
            }
            HealthCheck | MedicinePickup | HospitalEscort | Rehabilitation => Category::Medical,
            DanceFitness | CalligraphyPainting | ChoirMusic | EventOrganising => Category::Culture,
            HomeworkTutoring | DigitalHelp | LanguageTutoring | VocationalSkills => {
                Category::Education
            }
            Resume | JobSearch | InterviewCoaching => Category::Employment,
            LegalConsultation | DisputeMediation | PolicyExplanation => Category::Rights,
        }
    }

    /// Stable bit index, 0..24.
    pub const fn bit(self) -> u32 {
        self as u32
    }

    /// The snake_case code used in JSON and CSV (`"medicine_pickup"`).
    pub fn code(self) -> &'static str {
        use ServiceItem::*;
        match self {
            Cleaning => "cleaning",
            Cooking => "cooking",
            Errands => "errands",
            HomeRepair => "home_repair",
            Companionship => "companionship",
            Childcare => "childcare",
            HealthCheck => "health_check",
            MedicinePickup => "medicine_pickup",
            HospitalEscort => "hospital_escort",
            Rehabilitation => "rehabilitation",
            DanceFitness => "dance_fitness",
            CalligraphyPainting => "calligraphy_painting",
            ChoirMusic => "choir_music",
            EventOrganising => "event_organising",
            HomeworkTutoring => "homework_tutoring",
            DigitalHelp => "digital_help",
            LanguageTutoring => "language_tutoring",
            VocationalSkills => "vocational_skills",
            Resume => "resume",
            JobSearch => "job_search",
            InterviewCoaching => "interview_coaching",
            LegalConsultation => "legal_consultation",
            DisputeMediation => "dispute_mediation",
            PolicyExplanation => "policy_explanation",
        }
    }

    pub fn from_code(code: &str) -> Option<ServiceItem> {
        ServiceItem::ALL.into_iter().find(|i| i.code() == code)
    }
}

/// Paid, low-cost or free (有偿、低偿、无偿).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pricing {
    Free,
    LowCost,
    Paid,
}

impl Pricing {
    pub const ALL: [Pricing; 3] = [Pricing::Free, Pricing::LowCost, Pricing::Paid];
    pub const fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// Languages a volunteer speaks or a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    /// Standard Mandarin (普通话).
    Mandarin,
    /// Mongolian (蒙古语): Ordos is in Inner Mongolia.
    Mongolian,
    /// The local Jin dialect (晋语), spoken by many elderly residents.
    JinDialect,
    English,
}

impl Language {
    pub const ALL: [Language; 4] = [
        Language::Mandarin,
        Language::Mongolian,
        Language::JinDialect,
        Language::English,
    ];
    pub const fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    Normal,
    Urgent,
}

/// What a community is known for (the seed's last section); the generator leans its teams'
/// skills towards it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Character {
    /// Jilaoqing: works with local enterprises.
    Enterprise,
    /// Jinxiu: party-member volunteers.
    PartyMembers,
    /// Hangkong: democracy and rule of law.
    RuleOfLaw,
    /// Chengqing: landscape culture.
    LandscapeCulture,
    /// Xincun: reading and learning.
    Learning,
    /// Jiankang: care.
    Care,
    /// Xianghe: its "five hearts" service.
    FiveHearts,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Community {
    pub id: CommunityId,
    /// Chinese name, e.g. "吉劳庆".
    pub name_zh: String,
    /// Pinyin, e.g. "Jilaoqing".
    pub pinyin: String,
    pub character: Character,
    pub bounds: BBox,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grid {
    pub id: GridId,
    pub community: CommunityId,
    /// Human-readable code, e.g. "JLQ-03".
    pub code: String,
    pub bounds: BBox,
    /// The grid worker (网格员) who files requests and receives escalations.
    pub worker: String,
}

impl Grid {
    pub fn centre(&self) -> LatLon {
        self.bounds.centre()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Compound {
    pub id: CompoundId,
    pub grid: GridId,
    pub name: String,
    pub position: LatLon,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Team {
    pub id: TeamId,
    pub name: String,
    pub community: CommunityId,
    /// The leader receives team-task offers.
    pub leader: VolunteerId,
    /// Categories the team leans to.
    pub leans: Vec<Category>,
}

/// One skill of a volunteer at a level: 1 can help, 2 experienced, 3 professional.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Skill {
    pub item: ServiceItem,
    pub level: u8,
}

/// What a volunteer has done so far; feeds the reliability score and the statistics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct History {
    pub offered: u32,
    pub accepted: u32,
    pub declined: u32,
    pub completed: u32,
    /// Sum of 1–5 ratings received.
    pub rating_sum: u32,
    pub ratings: u32,
}

impl History {
    /// Share of offers accepted, with a neutral prior for newcomers (Laplace smoothing).
    pub fn acceptance_rate(&self) -> f64 {
        (f64::from(self.accepted) + 1.0) / (f64::from(self.offered) + 2.0)
    }
}

/// Private contact details: leave the engine's hosts only for the two sides of an accepted task.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Contact {
    pub name: String,
    pub phone: String,
    /// Exact address (building, unit, flat); empty when unknown.
    #[serde(default)]
    pub address: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Volunteer {
    pub id: VolunteerId,
    pub contact: Contact,
    pub team: TeamId,
    pub grid: GridId,
    /// Exact home position: private, the public projection replaces it by the grid centre.
    pub position: LatLon,
    pub skills: Vec<Skill>,
    pub languages: Vec<Language>,
    /// Pricings the volunteer works under.
    pub pricing: Vec<Pricing>,
    pub availability: SlotMask,
    /// Dated exceptions: days the volunteer is away.
    #[serde(default)]
    pub away: Vec<DayRange>,
    /// Tasks per week the volunteer is willing to take.
    pub capacity: u8,
    /// Tasks already taken this week.
    #[serde(default)]
    pub taken: u8,
    #[serde(default)]
    pub history: History,
}

impl Volunteer {
    pub fn level(&self, item: ServiceItem) -> u8 {
        self.skills
            .iter()
            .filter(|s| s.item == item)
            .map(|s| s.level)
            .max()
            .unwrap_or(0)
    }
    pub fn capacity_left(&self) -> u8 {
        self.capacity.saturating_sub(self.taken)
    }
}

/// When a request should be served.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum When {
    /// As soon as possible: any volunteer free in the next hours qualifies.
    Asap,
    /// A fixed window; the task takes `Request::duration_min` inside it.
    Window { start: Timestamp, end: Timestamp },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request {
    pub id: RequestId,
    pub item: ServiceItem,
    /// Minimum skill level needed (1–3).
    pub level: u8,
    pub grid: GridId,
    #[serde(default)]
    pub compound: Option<CompoundId>,
    /// Where the help is needed (exact: private to the resident and the accepted volunteers).
    pub position: LatLon,
    pub when: When,
    pub duration_min: u16,
    /// People needed (seats).
    pub people: u8,
    /// A team task goes to one team whose leader receives the offer.
    #[serde(default)]
    pub team_task: bool,
    #[serde(default)]
    pub language: Option<Language>,
    pub pricing: Pricing,
    pub urgency: Urgency,
    /// Search radius; widened on escalation.
    pub radius: Km,
    /// The resident's free text (shown as text, never as markup).
    #[serde(default)]
    pub description: String,
    /// The resident's private contact.
    #[serde(default)]
    pub contact: Contact,
    pub created_at: Timestamp,
    /// The promised answer-by deadline (限时答复).
    pub answer_by: Timestamp,
}

impl Request {
    /// The request as sent at `now` under `id`: `created_at` becomes `now` and `answer_by`
    /// keeps its distance from it (the form was filled in earlier than it was sent).
    pub fn restamped(mut self, id: RequestId, now: Timestamp) -> Request {
        let lead = self.answer_by.0.saturating_sub(self.created_at.0);
        self.id = id;
        self.created_at = now;
        self.answer_by = Timestamp(now.0.saturating_add(lead));
        self
    }
}

/// The district: its places, teams and volunteers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Roster {
    /// Name of the district, e.g. "交通街道".
    pub name: String,
    pub communities: Vec<Community>,
    pub grids: Vec<Grid>,
    pub compounds: Vec<Compound>,
    pub teams: Vec<Team>,
    pub volunteers: Vec<Volunteer>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_restamped_request_keeps_its_answer_window() {
        let roster = Roster::jiaotong(1);
        let r = crate::requests_gen::generate_requests(&roster, 1, 1, Timestamp(1_790_000_000))
            .remove(0);
        let lead = r.answer_by.0 - r.created_at.0;
        let later = Timestamp(r.created_at.0 + 90);
        let s = r.clone().restamped(RequestId(42), later);
        assert_eq!(s.id, RequestId(42));
        assert_eq!(s.created_at, later);
        assert_eq!(s.answer_by.0 - s.created_at.0, lead);
        // Hostile times saturate instead of overflowing.
        let mut w = r;
        w.created_at = Timestamp(i64::MIN);
        w.answer_by = Timestamp(i64::MAX);
        assert_eq!(
            w.restamped(RequestId(1), Timestamp(5)).answer_by,
            Timestamp(i64::MAX)
        );
    }

    #[test]
    fn every_item_has_a_unique_code_and_bit() {
        for (i, item) in ServiceItem::ALL.into_iter().enumerate() {
            assert_eq!(item.bit() as usize, i);
            assert_eq!(ServiceItem::from_code(item.code()), Some(item));
            let json = serde_json::to_string(&item).unwrap();
            assert_eq!(json, format!("\"{}\"", item.code()));
        }
    }

    #[test]
    fn six_categories_hold_the_24_items() {
        let total: usize = Category::ALL.iter().map(|c| c.items().count()).sum();
        assert_eq!(total, 24);
        assert!(Category::ALL.iter().all(|c| c.items().count() >= 3));
    }
}
