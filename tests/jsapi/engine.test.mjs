// The JavaScript API over the generated district: ranking, why-not, preview, batch assignment,
// the public roster, and wrong input of every kind.
import test from "node:test";
import assert from "node:assert/strict";
import { Engine, NOW, engineError } from "./load.mjs";

const engine = Engine.fromSeed(1);
const requests = engine.sampleRequests(7, 40, NOW);

test("the generated district has 2,448 volunteers", () => {
  assert.equal(engine.volunteerCount, 2448);
  assert.equal(requests.length, 40);
  assert.equal(typeof requests[0].created_at, "number");
});

test("rank returns at most k eligible candidates, best first, each with its breakdown", () => {
  let ranked = 0;
  for (const r of requests) {
    const cands = engine.rank(r, 5);
    assert.ok(cands.length <= 5);
    for (const c of cands) {
      const b = c.breakdown;
      const sum = b.skill + b.distance + b.slack + b.load + b.reliability;
      assert.ok(Math.abs(sum - b.total) < 1e-9, `total ${b.total} is the sum ${sum}`);
      assert.ok(b.km <= r.radius + 1e-9);
      assert.equal(engine.whyNot(c.volunteer, r), null, "a candidate is eligible");
    }
    for (let i = 1; i < cands.length; i++) {
      // near-equal candidates rotate (within 0.02 of their group's best)
      assert.ok(cands[i - 1].breakdown.total >= cands[i].breakdown.total - 0.02);
    }
    if (cands.length > 0) ranked++;
  }
  assert.ok(ranked >= 20, `${ranked} of 40 requests have candidates`);
});

test("whyNot names the first failing filter", () => {
  const r = requests.find((r) => engine.rank(r, 1).length > 0);
  assert.equal(engine.whyNot(999999, r), "unknown_volunteer");
  const far = { ...r, radius: 0.01 };
  const reasons = new Set();
  for (let v = 1; v <= 200; v++) {
    const why = engine.whyNot(v, far);
    assert.notEqual(why, null);
    reasons.add(typeof why === "string" ? why : Object.keys(why)[0]);
  }
  assert.ok(reasons.has("out_of_range") || reasons.has("missing_skill"), [...reasons].join());
});

test("preview counts agree with rank", () => {
  const r = requests[0];
  const p = engine.preview(r);
  assert.equal(p.radius, r.radius);
  assert.ok(p.eligible >= engine.rank(r, 50).length || p.eligible >= 50);
  assert.ok(p.eligible_wider >= p.eligible);
});

test("assign plans a batch exactly, never twice to one volunteer", () => {
  const batch = requests.slice(0, 20);
  const plan = engine.assign(batch);
  assert.equal(plan.requests.length, 20);
  const seen = new Set();
  let seats = 0;
  for (const [i, pr] of plan.requests.entries()) {
    assert.equal(pr.request, batch[i].id);
    for (const v of pr.volunteers) {
      assert.ok(!seen.has(v), `volunteer ${v} assigned twice`);
      seen.add(v);
      assert.equal(engine.whyNot(v, batch[i]), null);
    }
    if (!batch[i].team_task) seats += pr.volunteers.length;
  }
  assert.ok(plan.seats_filled >= seats && plan.seats_filled > 0);
});

test("the public roster has no names, phones or home positions", () => {
  const p = engine.publicRoster();
  assert.equal(p.volunteers.length, 2448);
  assert.equal(p.communities.length, 7);
  assert.equal(p.grids.length, 66);
  const v = p.volunteers[0];
  assert.deepEqual(Object.keys(v).sort(), ["availability", "grid", "id", "languages", "pricing", "skills", "team"]);
  assert.ok(v.availability.every((s) => Number.isInteger(s) && s >= 0 && s < 336));
  assert.ok(!("leader" in p.teams[0]));
});

test("NaN coordinates are an invalid_request naming position.lat", () => {
  const e = engineError(() => engine.rank({ ...requests[0], position: { lat: NaN, lon: 109.96 } }, 5));
  assert.equal(e.code, "invalid_request");
  assert.deepEqual(e.problems.map((p) => [p.field, p.code]), [["position.lat", "coordinates_not_a_number"]]);
  assert.match(e.message, /position\.lat/);
});

test("a window ending before it starts names window.start or window.end", () => {
  const when = { window: { start: NOW + 7200, end: NOW + 3600 } };
  const e = engineError(() => engine.rank({ ...requests[0], when }, 5));
  assert.equal(e.code, "invalid_request");
  assert.ok(e.problems.some((p) => p.field.startsWith("window.") && p.code === "window_ends_before_start"), JSON.stringify(e.problems));
});

test("missing fields and wrong types are errors with a field, never a panic", () => {
  const { when, ...noWhen } = requests[0];
  let e = engineError(() => engine.rank(noWhen, 5));
  assert.equal(e.code, "invalid_request");
  assert.equal(e.problems[0].field, "when");
  assert.equal(e.problems[0].code, "json_shape");

  e = engineError(() => engine.rank({ ...requests[0], item: "juggling" }, 5));
  assert.equal(e.code, "invalid_request");
  assert.match(e.problems[0].value, /juggling/);

  e = engineError(() => engine.rank({ ...requests[0], people: "two" }, 5));
  assert.equal(e.code, "invalid_request");

  e = engineError(() => engine.rank(42, 5));
  assert.equal(e.code, "invalid_request");

  e = engineError(() => engine.rank(requests[0], "5"));
  assert.equal(e.code, "invalid_argument");
  assert.equal(e.problems[0].field, "k");

  e = engineError(() => engine.whyNot("7", requests[0]));
  assert.equal(e.code, "invalid_argument");
  assert.equal(e.problems[0].field, "volunteerId");

  e = engineError(() => engine.rank(requests[0], 5, 1.5));
  assert.equal(e.problems[0].field, "now");

  e = engineError(() => engine.assign([requests[0], { ...requests[1], position: { lat: 39.8, lon: NaN } }]));
  assert.equal(e.code, "invalid_request");
  assert.equal(e.problems[0].field, "requests[1].position.lon");

  e = engineError(() => engine.assign([requests[0], { ...requests[1], when: "soon" }]));
  assert.equal(e.code, "invalid_request");
  assert.equal(e.problems[0].field, "requests[1]");
  assert.match(e.problems[0].value, /soon/);

  e = engineError(() => engine.assign("all of them"));
  assert.equal(e.code, "invalid_request");
  assert.equal(e.problems[0].field, "requests");

  e = engineError(() => Engine.fromSeed(-1));
  assert.equal(e.code, "invalid_argument");
  assert.equal(e.problems[0].field, "seed");

  // The engine still works after every refusal.
  assert.ok(engine.rank(requests[0], 3).length <= 3);
});
