// Types of the volunteer-engine package (hand-written; checked by tests/jsapi/example.ts).
// Objects are the engine's JSON shapes: snake_case fields, externally tagged enums
// ("asap" or { window: {...} }), numeric ids, Unix seconds. Method names are camelCase.

/** Unix seconds, UTC. */
export type Timestamp = number;
export type VolunteerId = number;
export type RequestId = number;
export type TeamId = number;
export type GridId = number;
export type CompoundId = number;
export type CommunityId = number;
/** Kilometres. */
export type Km = number;
/** Local day: days since 1970-01-01 in district time (UTC+8). */
export type Day = number;

export type Category = "housekeeping" | "medical" | "culture" | "education" | "employment" | "rights";
export type ServiceItem =
  | "cleaning" | "cooking" | "errands" | "home_repair" | "companionship" | "childcare"
  | "health_check" | "medicine_pickup" | "hospital_escort" | "rehabilitation"
  | "dance_fitness" | "calligraphy_painting" | "choir_music" | "event_organising"
  | "homework_tutoring" | "digital_help" | "language_tutoring" | "vocational_skills"
  | "resume" | "job_search" | "interview_coaching"
  | "legal_consultation" | "dispute_mediation" | "policy_explanation";
export type Pricing = "free" | "low_cost" | "paid";
export type Language = "mandarin" | "mongolian" | "jin_dialect" | "english";
export type Urgency = "normal" | "urgent";
export type Character =
  | "enterprise" | "party_members" | "rule_of_law" | "landscape_culture" | "learning" | "care"
  | "five_hearts";

export interface LatLon { lat: number; lon: number }
export interface BBox { south: number; west: number; north: number; east: number }

/** As soon as possible, or a window [start, end). */
export type When = "asap" | { window: { start: Timestamp; end: Timestamp } };

export interface Contact { name: string; phone: string; address?: string }

/** A help request. Optional fields may be left out on input; the engine's output has them all. */
export interface Request {
  id: RequestId;
  item: ServiceItem;
  /** Skill level needed, 1–3. */
  level: number;
  grid: GridId;
  compound?: CompoundId | null;
  position: LatLon;
  when: When;
  duration_min: number;
  /** Volunteers needed. */
  people: number;
  team_task?: boolean;
  language?: Language | null;
  pricing: Pricing;
  urgency: Urgency;
  radius: Km;
  description?: string;
  contact?: Contact;
  created_at: Timestamp;
  answer_by: Timestamp;
}

/** Each component already weighted; `total` is their sum. */
export interface Breakdown {
  skill: number;
  distance: number;
  slack: number;
  load: number;
  reliability: number;
  total: number;
  km: Km;
}
export interface Candidate { volunteer: VolunteerId; breakdown: Breakdown }

/** The first hard filter that excludes a volunteer. */
export type Exclusion =
  | "unknown_volunteer"
  | { missing_skill: { item: ServiceItem; need: number; have: number } }
  | { away: { day: Day } }
  | "unavailable"
  | "no_position"
  | { out_of_range: { km: Km; radius: Km } }
  | "no_capacity"
  | { language: { wanted: Language } }
  | { pricing: { wanted: Pricing } }
  | "already_declined"
  | "already_offered";
export type ExclusionKind =
  | "unknown_volunteer" | "missing_skill" | "away" | "unavailable" | "no_position"
  | "out_of_range" | "no_capacity" | "language" | "pricing" | "already_declined"
  | "already_offered";

export interface Preview {
  radius: Km;
  eligible: number;
  nearby: number;
  excluded: { kind: ExclusionKind; count: number }[];
  wider_radius: Km;
  eligible_wider: number;
  eligible_lower_level: number | null;
}

export interface TeamOffer { team: TeamId; leader: VolunteerId }
export interface PlannedRequest {
  request: RequestId;
  volunteers: VolunteerId[];
  /** Only for a team task that found a team. */
  team?: TeamOffer;
}
export interface Plan {
  requests: PlannedRequest[];
  seats_filled: number;
  urgent_seats_filled: number;
  total_score: number;
}
/** A batch assignment for review: for each planned volunteer, why they fit. */
export interface Proposal { plan: Plan; reasons: Breakdown[][] }

export type DeclineReason = "busy" | "too_far" | "not_my_skill" | "other";
export type CancelReason = "resident_withdrew" | "solved_elsewhere" | "duplicate" | "coordinator";
export type StatusKind = "open" | "offered" | "accepted" | "done" | "cancelled" | "expired";
export type Status =
  | "open" | "offered" | "accepted" | "expired"
  | { done: { rating: number; hours: number } }
  | { cancelled: { reason: CancelReason } };
export type Escalation = "none" | "widened" | "manual";
export type Handler =
  | { kind: "grid_worker"; grid: GridId }
  | { kind: "team_leader"; team: TeamId; leader: VolunteerId };

export type VolunteerChange =
  | { change: "offered" } | { change: "accepted" } | { change: "lapsed" }
  | { change: "retracted" } | { change: "withdrew" } | { change: "released" }
  | { change: "declined"; reason: DeclineReason }
  | { change: "completed"; rating: number };

/** What a transition means for the host: tell whom what. */
export type Effect =
  | {
      /** Seats are free and nobody could be asked (yet): a later tick tries again. */
      effect: "need_candidates";
      request: RequestId;
      seats: number;
      team_task: boolean;
      radius: Km;
      exclude: VolunteerId[];
    }
  | { effect: "volunteer"; volunteer: VolunteerId; change: VolunteerChange }
  | { effect: "escalated"; level: Escalation; radius: Km; handler: Handler | null }
  | { effect: "closed"; status: StatusKind };
export interface Notice { request: RequestId; effect: Effect }

export interface Offer { to: VolunteerId; team: TeamId | null; at: Timestamp; until: Timestamp }
export interface Acceptance { volunteer: VolunteerId; team: TeamId | null; at: Timestamp }
/** Where one request stands. */
export interface RequestView {
  request: Request;
  status: Status;
  seats: number;
  radius: Km;
  escalation: Escalation;
  offers: Offer[];
  accepted: Acceptance[];
}

export interface Outcomes {
  received: number;
  in_progress: number;
  done: number;
  expired: number;
  cancelled: number;
  duplicates: number;
  escalated: number;
  escalated_done: number;
}
export interface Satisfaction { ratings: number; satisfied: number; share: number | null; mean: number | null }
export interface Tally {
  outcomes: Outcomes;
  resolution_rate: number | null;
  median_secs_to_accept: number | null;
  median_secs_to_complete: number | null;
  satisfaction: Satisfaction;
  volunteer_hours: number;
}
export type Keyed<K> = Tally & { key: K };
export interface Load {
  volunteers: number;
  active: number;
  tasks: number;
  mean: number;
  max: number;
  gini: number;
  gini_active: number;
  histogram: number[];
}
export interface Stats {
  overall: Tally;
  overdue: number;
  per_team: Keyed<TeamId>[];
  per_grid: Keyed<GridId>[];
  per_category: Keyed<Category>[];
  load: Load;
  yardstick: {
    seed: { suggestions: number; resolved: number; satisfied_share: number };
    meets_resolution: boolean | null;
    meets_satisfaction: boolean | null;
  };
}

export interface Community { id: CommunityId; name_zh: string; pinyin: string; character: Character; bounds: BBox }
export interface Grid { id: GridId; community: CommunityId; code: string; bounds: BBox; worker: string }
export interface Compound { id: CompoundId; grid: GridId; name: string; position: LatLon }
export interface Skill { item: ServiceItem; level: number }
/** No name, phone, address or home position: the grid stands in for the home. */
export interface PublicVolunteer {
  id: VolunteerId;
  team: TeamId;
  skills: Skill[];
  /** Free half-hour slots of the local week, 0 = Monday 00:00 (0–335). */
  availability: number[];
  grid: GridId;
  languages: Language[];
  pricing: Pricing[];
}
export interface PublicTeam { id: TeamId; name: string; community: CommunityId; leans: Category[] }
export interface PublicRoster {
  name: string;
  communities: Community[];
  grids: Grid[];
  compounds: Compound[];
  teams: PublicTeam[];
  volunteers: PublicVolunteer[];
}

export type ProblemCode =
  | "json_syntax" | "json_shape" | "csv_syntax" | "missing_column" | "bad_syntax" | "empty_cell"
  | "duplicate_id" | "unknown_skill" | "duplicate_skill" | "unknown_team" | "unknown_grid"
  | "unknown_compound" | "unknown_community" | "unknown_language" | "unknown_pricing"
  | "duplicate_name" | "id_not_index" | "leader_not_member" | "duplicate_leader"
  | "coordinates_out_of_range" | "coordinates_not_a_number" | "position_outside_grid"
  | "bad_bounds" | "empty_availability" | "availability_outside_week" | "reversed_range"
  | "no_skills" | "no_language" | "no_pricing" | "zero_capacity" | "taken_over_capacity"
  | "level_out_of_range" | "inconsistent_history" | "out_of_range"
  | "window_ends_before_start" | "window_too_short" | "window_in_past"
  | "deadline_before_creation";
/** One thing wrong with an input. */
export interface Problem {
  /** CSV: the spreadsheet row (header = 1); otherwise null. */
  row: number | null;
  /** A CSV column, a JSON path ("volunteers[3].skills[0].level"), a request field
   *  ("window.start", "requests[2].position.lat"), or the argument's name. */
  field: string;
  code: ProblemCode;
  /** The offending input, or for a wrong shape the reader's reason. */
  value?: string;
}

export type TransitionError =
  | { error: "closed"; status: StatusKind }
  | { error: "time_went_backwards"; last: Timestamp; now: Timestamp }
  | { error: "no_free_seat" }
  | { error: "already_asked"; volunteer: VolunteerId }
  | { error: "wrong_recipient"; team_task: boolean }
  | { error: "not_offered"; volunteer: VolunteerId }
  | { error: "offer_lapsed"; volunteer: VolunteerId; until: Timestamp }
  | { error: "already_accepted"; volunteer: VolunteerId }
  | { error: "not_accepted_by"; volunteer: VolunteerId }
  | { error: "not_accepted"; status: StatusKind }
  | { error: "rating_out_of_range"; rating: number }
  | { error: "hours_out_of_range"; hours: number };
export type RankerError =
  | { duplicate_volunteer: { id: VolunteerId } }
  | { unknown_volunteer: { id: VolunteerId } };
export type PlanError = { code: "ranker"; error: RankerError } | { code: "too_large" };

interface EngineErrorBase<C extends string> extends Error {
  name: "EngineError";
  code: C;
  /** Field problems; empty for codes that are not about an input's shape. */
  problems: Problem[];
}
/** Every error the engine throws: a real Error with a stable `code`. */
export type EngineError =
  /** The request (or `requests[i]`) is of the wrong shape or breaks a rule. */
  | EngineErrorBase<"invalid_request">
  /** The JSON or CSV roster has problems (CSV: with rows). */
  | EngineErrorBase<"invalid_roster">
  /** A scalar argument (id, k, now, reason, ...) is missing or of the wrong type. */
  | EngineErrorBase<"invalid_argument">
  | (EngineErrorBase<"unknown_request" | "duplicate_request"> & { detail: { id: RequestId } })
  | (EngineErrorBase<"transition"> & { detail: { error: TransitionError } })
  | (EngineErrorBase<"no_capacity"> & { detail: { volunteer: VolunteerId } })
  | (EngineErrorBase<"not_eligible"> & { detail: { volunteer: VolunteerId; why: Exclusion } })
  | (EngineErrorBase<"plan"> & { detail: { error: PlanError } })
  | (EngineErrorBase<"ranker"> & { detail: { error: RankerError } })
  /** A bug: the module logged the panic once; every later call throws this. Reload it. */
  | (EngineErrorBase<"panicked" | "internal"> & { detail: { message: string } });
export type ErrorCode = EngineError["code"];

/** One engine: a roster, its ranker and a desk of requests. */
export class Engine {
  private constructor();
  /** Releases the Wasm memory of this engine. */
  free(): void;
  [Symbol.dispose](): void;
  /** The generated Jiaotong district (2,448 volunteers for every seed). */
  static fromSeed(seed: number): Engine;
  /** A roster in the JSON format of docs/ROSTER_FORMAT.md; throws `invalid_roster`. */
  static fromJson(text: string): Engine;
  /** Volunteers as CSV on the geography and teams of the district generated by `seed`
   *  (default 1); throws `invalid_roster` with the rows' problems. */
  static fromCsv(text: string, seed?: number): Engine;
  readonly volunteerCount: number;

  /** The best `k` (at most 50) candidates, best first; `now` defaults to `created_at`. */
  rank(request: Request, k: number, now?: Timestamp): Candidate[];
  /** Why the volunteer cannot serve the request, or null when they can. */
  whyNot(volunteerId: VolunteerId, request: Request, now?: Timestamp): Exclusion | null;
  /** The request form's live counts. */
  preview(request: Request, now?: Timestamp): Preview;
  /** Exact batch assignment (most pressing first); nothing is stored. `now` defaults to
   *  the latest `created_at`. */
  assign(requests: Request[], now?: Timestamp): Plan;

  /** Store a request and offer its seats to the best candidates. */
  post(request: Request, now?: Timestamp): Notice[];
  /** Offer free seats to the next candidates. */
  offer(requestId: RequestId, now: Timestamp): Notice[];
  accept(requestId: RequestId, volunteerId: VolunteerId, now: Timestamp): Notice[];
  decline(requestId: RequestId, volunteerId: VolunteerId, reason: DeclineReason, now: Timestamp): Notice[];
  /** A volunteer takes a seat of an open request (if the hard filters let them). */
  claim(requestId: RequestId, volunteerId: VolunteerId, now: Timestamp): Notice[];
  reportDone(requestId: RequestId, volunteerId: VolunteerId, hours: number, now: Timestamp): Notice[];
  /** The resident confirms with a rating 1–5. */
  complete(requestId: RequestId, rating: number, hours: number, now: Timestamp): Notice[];
  cancel(requestId: RequestId, reason: CancelReason, now: Timestamp): Notice[];
  /** Lapse offers, escalate, expire, and offer free seats again. */
  tick(now: Timestamp): Notice[];
  /** The coordinator's batch proposal over every open request. */
  propose(now: Timestamp): Proposal;
  /** Send a reviewed proposal's offers. */
  send(plan: Plan, now: Timestamp): Notice[];
  request(requestId: RequestId): RequestView;
  stats(now: Timestamp): Stats;
  publicRoster(): PublicRoster;
  /** Synthetic requests on this roster, for demos and tests. */
  sampleRequests(seed: number, count: number, now: Timestamp): Request[];
  /** Runs `rank` `iterations` times inside Wasm (measuring the boundary); returns the last
   *  run's number of candidates. */
  benchRank(request: Request, k: number, iterations: number): number;
}

/** @internal Panics inside the module, for the tests of the panic report. */
export function __panicForTests(): void;

export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;
export type SyncInitInput = BufferSource | WebAssembly.Module;
export interface InitOutput { readonly memory: WebAssembly.Memory }
/** Synchronous set-up from bytes or a compiled module (Node: `fs.readFileSync`). */
export function initSync(module: { module: SyncInitInput }): InitOutput;
/** Fetches and instantiates `index_bg.wasm` (beside index.js by default). */
export default function init(
  module_or_path?: { module_or_path: InitInput | Promise<InitInput> },
): Promise<InitOutput>;
