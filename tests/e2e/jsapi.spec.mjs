// The JavaScript API in Chromium: the example page imports the package as a plain
// <script type="module"> would, and every function runs with real data, bad input included.
import { test, expect } from "@playwright/test";
import { existsSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { baseUrl, watchConsole } from "./helpers.mjs";

// A missing package is a failure, not a skip: npm test builds it first, so a skip could only
// hide a broken build.
test.beforeAll(() => {
  if (!existsSync("www/engine-js/index.js")) {
    throw new Error("www/engine-js is not built: run `bash scripts/build-jsapi.sh` (npm test does)");
  }
});

test("the example page ranks volunteers with the package's engine", async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto(`${baseUrl()}/engine-js-example.html`);
  await expect(page.locator("#status")).toHaveAttribute("data-ready", "true");
  const rows = page.locator("#candidates tbody tr");
  await expect(rows).toHaveCount(5);
  await expect(page.locator("#caption")).toContainText("2448 volunteers");
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
  expect(errors).toEqual([]);
});

test("the embed page links to the example", async ({ page }) => {
  await page.goto(`${baseUrl()}/embed.html`);
  await page.getByRole("link", { name: /Example page/ }).click();
  await expect(page).toHaveURL(/engine-js-example\.html$/);
});

test("every function works in the browser, and bad input throws EngineErrors", async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto(`${baseUrl()}/engine-js-example.html`);
  await expect(page.locator("#status")).toHaveAttribute("data-ready", "true");
  const out = await page.evaluate(async () => {
    const { default: init, Engine } = await import("./engine-js/index.js");
    await init();
    const fail = (f) => {
      try { f(); return null; } catch (e) {
        return { isError: e instanceof Error, name: e.name, code: e.code, problems: e.problems, detail: e.detail ?? null };
      }
    };
    const NOW = 1_795_570_000;
    const engine = Engine.fromSeed(1);
    const rs = engine.sampleRequests(11, 40, NOW);
    const r = rs.find((x) => x.people === 1 && !x.team_task && engine.rank(x, 5).length >= 2);
    const ranked = engine.rank(r, 5);
    const res = {
      count: engine.volunteerCount,
      ranked: ranked.length,
      allEligible: ranked.every((c) => engine.whyNot(c.volunteer, r) === null),
      unknown: engine.whyNot(999999, r),
      preview: engine.preview(r).eligible,
      planSeats: engine.assign(rs.slice(0, 10)).seats_filled,
      publicKeys: Object.keys(engine.publicRoster().volunteers[0]).sort(),
      nan: fail(() => engine.rank({ ...r, position: { lat: NaN, lon: 109.9 } }, 5)),
      missing: fail(() => { const { when, ...rest } = r; engine.rank(rest, 5); }),
      wrongK: fail(() => engine.rank(r, "five")),
      badCsv: fail(() => Engine.fromCsv("id,name\n1,x\n")),
      badJson: fail(() => Engine.fromJson("[")),
    };
    // A full lifecycle.
    const t = r.created_at;
    const offered = (ns) => ns.filter((n) => n.effect.effect === "volunteer" && n.effect.change.change === "offered").map((n) => n.effect.volunteer);
    const first = offered(engine.post(r))[0];
    const second = offered(engine.decline(r.id, first, "too_far", t + 60))[0];
    engine.accept(r.id, second, t + 120);
    engine.reportDone(r.id, second, 2, t + 3600);
    engine.complete(r.id, 4, 2, t + 3700);
    res.status = engine.request(r.id).status;
    res.lateCancel = fail(() => engine.cancel(r.id, "duplicate", t + 4000));
    const other = rs.find((x) => x.id !== r.id && engine.rank(x, 3).length > 0);
    engine.post(other);
    engine.offer(other.id, other.created_at + 1);
    res.expired = engine.tick(other.answer_by + 30 * 86400).some((n) => n.effect.effect === "closed" && n.effect.status === "expired");
    const third = rs.find((x) => ![r.id, other.id].includes(x.id) && engine.rank(x, 3).length > 0);
    engine.post(third);
    const proposal = engine.propose(third.created_at + 10);
    res.sent = Array.isArray(engine.send(proposal.plan, third.created_at + 10));
    engine.cancel(third.id, "coordinator", third.created_at + 20);
    res.claimUnknown = fail(() => engine.claim(third.id, 999999, third.created_at + 30));
    const s = engine.stats(t + 90 * 86400);
    res.outcomes = s.overall.outcomes;
    engine.free();
    return res;
  });
  expect(out.count).toBe(2448);
  expect(out.ranked).toBeGreaterThanOrEqual(2);
  expect(out.allEligible).toBe(true);
  expect(out.unknown).toBe("unknown_volunteer");
  expect(out.preview).toBeGreaterThanOrEqual(out.ranked);
  expect(out.planSeats).toBeGreaterThan(0);
  expect(out.publicKeys).toEqual(["availability", "grid", "id", "languages", "pricing", "skills", "team"]);
  expect(out.nan).toMatchObject({ isError: true, name: "EngineError", code: "invalid_request" });
  expect(out.nan.problems).toEqual([{ row: null, field: "position.lat", code: "coordinates_not_a_number", value: "NaN" }]);
  expect(out.missing).toMatchObject({ code: "invalid_request", problems: [{ field: "when", code: "json_shape" }] });
  expect(out.wrongK).toMatchObject({ code: "invalid_argument", problems: [{ field: "k" }] });
  expect(out.badCsv.code).toBe("invalid_roster");
  expect(out.badCsv.problems.some((p) => p.code === "missing_column")).toBe(true);
  expect(out.badJson.problems[0].code).toBe("json_syntax");
  expect(out.status).toEqual({ done: { rating: 4, hours: 2 } });
  expect(out.lateCancel).toMatchObject({ code: "transition", detail: { error: { error: "closed", status: "done" } } });
  expect(out.expired).toBe(true);
  expect(out.sent).toBe(true);
  expect(out.claimUnknown).toMatchObject({ code: "not_eligible", detail: { why: "unknown_volunteer" } });
  expect(out.outcomes).toMatchObject({ received: 3, done: 1, expired: 1, cancelled: 1 });
  expect(errors).toEqual([]);
});
