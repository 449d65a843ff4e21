// Engines from roster text: JSON and CSV, and rosters with problems (CSV: by row).
import test from "node:test";
import assert from "node:assert/strict";
import { Engine, NOW, engineError, fixture } from "./load.mjs";

test("a JSON roster makes an engine that ranks its own volunteers", () => {
  const engine = Engine.fromJson(fixture("roster-small.json"));
  assert.equal(engine.volunteerCount, 39);
  const ids = new Set(engine.publicRoster().volunteers.map((v) => v.id));
  const rs = engine.sampleRequests(3, 30, NOW);
  let found = 0;
  for (const r of rs) for (const c of engine.rank(r, 5)) { assert.ok(ids.has(c.volunteer)); found++; }
  assert.ok(found > 0);
});

test("a CSV roster makes the same engine as its JSON", () => {
  const csv = Engine.fromCsv(fixture("roster-small.csv"));
  const json = Engine.fromJson(fixture("roster-small.json"));
  assert.equal(csv.volunteerCount, 39);
  assert.deepEqual(csv.publicRoster(), json.publicRoster());
  const r = csv.sampleRequests(5, 10, NOW);
  assert.deepEqual(r.map((x) => csv.rank(x, 3)), r.map((x) => json.rank(x, 3)));
});

test("an invalid CSV roster lists every problem with its row", () => {
  const lines = fixture("roster-small.csv").split("\n");
  const header = lines[0].split(",");
  const cell = (line, col, value) => {
    const cells = lines[line].split(",");
    cells[header.indexOf(col)] = value;
    lines[line] = cells.join(",");
  };
  cell(2, "lat", "north"); // spreadsheet row 3
  cell(4, "capacity", "0"); // row 5
  const e = engineError(() => Engine.fromCsv(lines.join("\n")));
  assert.equal(e.code, "invalid_roster");
  const rows = e.problems.map((p) => [p.row, p.field, p.code]);
  assert.ok(rows.some(([row, field]) => row === 3 && field === "lat"), JSON.stringify(rows));
  assert.ok(rows.some(([row, , code]) => row === 5 && code === "zero_capacity"), JSON.stringify(rows));
});

test("a CSV without a required column names it", () => {
  const text = fixture("roster-small.csv").replace(/^id,/, "ident,");
  const e = engineError(() => Engine.fromCsv(text));
  assert.equal(e.code, "invalid_roster");
  assert.ok(e.problems.some((p) => p.code === "missing_column" && p.field === "id"), JSON.stringify(e.problems));
});

test("broken or misshapen JSON is an invalid_roster", () => {
  let e = engineError(() => Engine.fromJson("{"));
  assert.equal(e.problems[0].code, "json_syntax");
  e = engineError(() => Engine.fromJson(JSON.stringify({ name: "x" })));
  assert.equal(e.problems[0].code, "json_shape");
  e = engineError(() => Engine.fromJson(42));
  assert.equal(e.code, "invalid_argument");
});
