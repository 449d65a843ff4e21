// data-roster: local mode over the site's own roster file. A good file replaces the generated
// district; a bad one is listed problem by problem (row, field, code) and nothing is loaded.
import { test, expect } from "@playwright/test";
import { readFileSync } from "node:fs";
import { baseUrl, expectFeature, hostPage, screenshotPath, watchConsole } from "./helpers.mjs";

const example = readFileSync("www/rosters/example.csv", "utf8");
const rows = example.trim().split("\n").length - 1;

/** Serves `body` as a roster file at `path` on the demo site's origin (the widget's). */
async function serveRoster(page, path, body) {
  await page.route(`${baseUrl()}${path}`, (route) => route.fulfill({ contentType: "text/plain; charset=utf-8", body }));
}

test("a good CSV roster replaces the generated district", async ({ page }) => {
  const errors = watchConsole(page);
  await hostPage(page, `<script async src="pkg/volunteer-widget.js" data-view="volunteer" data-roster="rosters/example.csv"></script>`);
  const w = page.locator("iframe[data-volunteer-widget]").contentFrame();
  await expect(w.getByTestId("volunteer-widget")).toBeVisible();
  await expectFeature(w, "data-roster", "roster-file");
  await expect(w.getByTestId("count-volunteers")).toHaveText(String(rows));
  await expect(w.getByTestId("count-teams")).toHaveText("21");
  // The roster's own volunteers, by their ids in the file.
  const firstId = example.split("\n")[1].split(",")[0];
  await w.getByTestId("volunteer-id").fill(firstId);
  await w.getByTestId("choose-volunteer").click();
  await expect(w.getByTestId("me")).toContainText(`#${firstId}`);
  expect(errors).toEqual([]);
});

test("a bad CSV roster lists each problem with its row and field, and loads nothing", async ({ page }) => {
  const lines = example.trim().split("\n");
  const header = lines[0].split(",");
  const skills = header.indexOf("skills");
  const capacity = header.indexOf("capacity");
  const broken = lines.map((line, i) => {
    const cells = line.split(",");
    if (i === 3) cells[skills] = "flying:2";
    if (i === 7) cells[capacity] = "0";
    return cells.join(",");
  });
  await serveRoster(page, "/bad-roster.csv", broken.join("\n"));
  await hostPage(page, `<script async src="pkg/volunteer-widget.js" data-lang="en" data-roster="bad-roster.csv"></script>`);
  const w = page.locator("iframe[data-volunteer-widget]").contentFrame();
  await expect(w.getByTestId("volunteer-widget")).toBeVisible();
  await expectFeature(w, "data-roster", "roster-file");
  const problems = w.getByTestId("roster-problems");
  await expect(problems).toContainText("was not loaded");
  // Spreadsheet rows: the header is row 1, so line i is row i + 1.
  await expect(problems.getByTestId("roster-problem").filter({ hasText: "row 4 · skills" })).toContainText("flying");
  await expect(problems.getByTestId("roster-problem").filter({ hasText: "row 8 · capacity" })).toHaveCount(1);
  await expect(w.getByTestId("request-form")).toHaveCount(0);
  await expect(w.getByTestId("count-volunteers")).toHaveCount(0);
  await page.screenshot({ path: screenshotPath("roster-problems-desktop"), fullPage: true });
});

test("a JSON roster that does not parse names the line and column", async ({ page }) => {
  await serveRoster(page, "/broken.json", '{ "name": "x", "communities": [ }');
  await hostPage(page, `<script async src="pkg/volunteer-widget.js" data-lang="en" data-roster="broken.json"></script>`);
  const w = page.locator("iframe[data-volunteer-widget]").contentFrame();
  await expect(w.getByTestId("volunteer-widget")).toBeVisible();
  await expectFeature(w, "data-roster", "roster-file");
  await expect(w.getByTestId("roster-problem")).toContainText("line 1, column");
  await expect(w.getByTestId("roster-problem")).toContainText("json_syntax");
});

test("a roster file that cannot be fetched is said so", async ({ page }) => {
  await hostPage(page, `<script async src="pkg/volunteer-widget.js" data-lang="en" data-roster="no-such-roster.csv"></script>`);
  const w = page.locator("iframe[data-volunteer-widget]").contentFrame();
  await expect(w.getByTestId("volunteer-widget")).toBeVisible();
  await expectFeature(w, "data-roster", "roster-file");
  await expect(w.getByTestId("roster-problems")).toContainText("Cannot read the volunteer roster");
});
