// A request from post to done through the JavaScript API, and the coordinator's batch.
import test from "node:test";
import assert from "node:assert/strict";
import { Engine, NOW, engineError } from "./load.mjs";

const offeredTo = (notices) =>
  notices.filter((n) => n.effect.effect === "volunteer" && n.effect.change.change === "offered")
    .map((n) => n.effect.volunteer);

test("post, decline, accept, report done, complete; the statistics count it", () => {
  const engine = Engine.fromSeed(1);
  const r = engine.sampleRequests(11, 40, NOW)
    .find((r) => r.people === 1 && !r.team_task && engine.rank(r, 5).length >= 2);
  const t = r.created_at;
  const first = offeredTo(engine.post(r));
  assert.equal(first.length, 1);
  assert.equal(first[0], engine.rank(r, 1)[0].volunteer, "the best candidate is asked first");
  let view = engine.request(r.id);
  assert.equal(view.status, "offered");
  assert.equal(view.offers[0].to, first[0]);

  const next = offeredTo(engine.decline(r.id, first[0], "busy", t + 60));
  assert.equal(next.length, 1);
  assert.notEqual(next[0], first[0]);
  assert.deepEqual(engine.whyNot(first[0], r) === null, true, "whyNot ignores the desk's history");

  const e = engineError(() => engine.accept(r.id, first[0], t + 90));
  assert.equal(e.code, "transition");
  assert.equal(e.detail.error.error, "not_offered");

  engine.accept(r.id, next[0], t + 120);
  assert.equal(engine.request(r.id).status, "accepted");
  engine.reportDone(r.id, next[0], 1.5, t + 3600);
  const closed = engine.complete(r.id, 5, 1.5, t + 4000);
  assert.ok(closed.some((n) => n.effect.effect === "closed" && n.effect.status === "done"));
  view = engine.request(r.id);
  assert.deepEqual(view.status, { done: { rating: 5, hours: 1.5 } });

  const s = engine.stats(t + 5000);
  assert.equal(s.overall.outcomes.received, 1);
  assert.equal(s.overall.outcomes.done, 1);
  assert.equal(s.overall.satisfaction.ratings, 1);
  assert.equal(s.overall.volunteer_hours, 1.5);

  const again = engineError(() => engine.cancel(r.id, "duplicate", t + 6000));
  assert.equal(again.code, "transition");
  assert.deepEqual(again.detail.error, { error: "closed", status: "done" });
  assert.equal(engineError(() => engine.post(r)).code, "duplicate_request");
  assert.equal(engineError(() => engine.offer(9999, t)).code, "unknown_request");
  assert.equal(engineError(() => engine.complete(r.id, 5, 1, t + 6000)).code, "transition");
  assert.equal(engineError(() => engine.decline(r.id, next[0], "bored", t + 7000)).code, "invalid_argument");
});

test("tick lapses offers and expires requests past their deadline", () => {
  const engine = Engine.fromSeed(1);
  const r = engine.sampleRequests(12, 20, NOW).find((r) => engine.rank(r, 3).length > 0);
  engine.post(r);
  const asked = engine.request(r.id).offers.map((o) => o.to);
  assert.ok(asked.length > 0);
  const until = engine.request(r.id).offers[0].until;
  const lapsed = engine.tick(until + 1);
  assert.ok(lapsed.some((n) => n.effect.effect === "volunteer" && n.effect.change.change === "lapsed"));
  const end = engine.tick(r.answer_by + 30 * 86400);
  assert.ok(end.some((n) => n.effect.effect === "closed" && n.effect.status === "expired"), JSON.stringify(end));
  assert.equal(engine.request(r.id).status, "expired");
  assert.equal(engine.stats(r.answer_by + 31 * 86400).overall.outcomes.expired, 1);
});

test("cancel and claim", () => {
  const engine = Engine.fromSeed(1);
  const [a, b] = engine.sampleRequests(13, 40, NOW).filter((r) => !r.team_task && engine.rank(r, 3).length >= 2);
  engine.post(a);
  const notices = engine.cancel(a.id, "solved_elsewhere", a.created_at + 10);
  assert.ok(notices.some((n) => n.effect.effect === "closed" && n.effect.status === "cancelled"));
  assert.deepEqual(engine.request(a.id).status, { cancelled: { reason: "solved_elsewhere" } });

  engine.post(b);
  const offered = engine.request(b.id).offers.map((o) => o.to);
  const other = engine.rank(b, 10).map((c) => c.volunteer).find((v) => !offered.includes(v));
  // First come, first served: an eligible volunteer who was not asked takes a seat.
  engine.claim(b.id, other, b.created_at + 30);
  assert.ok(engine.request(b.id).accepted.some((x) => x.volunteer === other));
  const seats = engine.request(b.id).accepted.length;
  const twice = engineError(() => engine.claim(b.id, other, b.created_at + 35));
  // Refused either by the lifecycle (already holds a seat) or by a filter (week now full).
  assert.ok(["transition", "not_eligible"].includes(twice.code), twice.code);
  assert.equal(engine.request(b.id).accepted.length, seats);
  const e = engineError(() => engine.claim(b.id, 999999, b.created_at + 40));
  assert.equal(e.code, "not_eligible");
  assert.equal(e.detail.why, "unknown_volunteer");
});

test("propose and send: the coordinator's batch", () => {
  const engine = Engine.fromSeed(1);
  const rs = engine.sampleRequests(14, 15, NOW);
  const now = Math.max(...rs.map((r) => r.created_at));
  for (const r of rs) engine.post(r, now);
  const p = engine.propose(now + 60);
  assert.equal(p.reasons.length, p.plan.requests.length);
  for (const [i, pr] of p.plan.requests.entries()) assert.equal(p.reasons[i].length, pr.volunteers.length);
  const notices = engine.send(p.plan, now + 60);
  assert.ok(Array.isArray(notices));
  for (const pr of p.plan.requests) {
    const view = engine.request(pr.request);
    if (!pr.team) for (const v of pr.volunteers) {
      assert.ok(view.offers.some((o) => o.to === v) || view.accepted.some((a) => a.volunteer === v));
    }
  }
  assert.equal(engineError(() => engine.send({ requests: "x" }, now)).code, "invalid_argument");
});
