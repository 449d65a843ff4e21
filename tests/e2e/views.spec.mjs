// Every view: the coordinator's batch assignment, language switch, keyboard-only posting,
// accessibility (axe-core, WCAG 2.1 A/AA) and screenshots at phone and desktop width.
import { test, expect } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { baseUrl, screenshotPath, watchConsole, widgetFrame } from "./helpers.mjs";

const VIEWS = [
  ["resident", "index.html"],
  ["volunteer", "volunteers.html"],
  ["coordinator", "coordinator.html"],
];

async function postOne(w, description) {
  await w.getByTestId("description").fill(description);
  await w.getByTestId("phone").fill("13912345678");
  await w.getByTestId("send").click();
  await expect(w.getByTestId("status")).toContainText(/求助已提交|Request sent/);
}

test("coordinator runs a batch assignment, reviews it, and sends the offers", async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto(`${baseUrl()}/coordinator.html`);
  const w = widgetFrame(page);
  await w.getByTestId("file-for-resident").click();
  await postOne(w, "电话登记：帮忙买菜");
  await w.getByTestId("file-for-resident").click();
  await postOne(w, "电话登记：陪老人聊天");
  await expect(w.getByTestId("open-request")).toHaveCount(2);
  await expect(w.getByTestId("countdown").first()).toBeVisible();

  await w.getByTestId("run-batch").click();
  const proposal = w.getByTestId("proposal");
  await expect(proposal).toBeVisible();
  await expect(proposal.getByTestId("proposal-row")).toHaveCount(2);
  // Reviewing changes nothing yet.
  const before = await page.evaluate(() => localStorage.getItem("volunteer-widget:v2:seed-1"));
  await proposal.getByTestId("send-offers").click();
  await expect(w.getByTestId("status")).toContainText("派单已发出");
  const after = JSON.parse(await page.evaluate(() => localStorage.getItem("volunteer-widget:v2:seed-1")));
  for (const e of after.entries) expect(e.state.offers.length).toBe(1);
  expect(before).not.toBeNull();
  await expect(w.getByTestId("stats")).toBeVisible();
  // The district map: 66 grids, and the two requests as markers.
  const map = w.getByTestId("coordinator-map");
  await expect(map.locator("[data-grid]")).toHaveCount(66);
  await expect(map.locator("g.vw-marker-open")).toHaveCount(2);
  expect(errors).toEqual([]);
});

test("the coordinator's page loads its part on first use, and says so when it cannot", async ({ page }) => {
  const errors = watchConsole(page);
  const parts = [];
  page.on("request", (r) => {
    if (/_part-[0-9a-f]+\.wasm$/.test(r.url())) parts.push(r.url());
  });
  // The first attempt is held, then fails as a lost connection would.
  let release;
  const held = new Promise((r) => (release = r));
  await page.route(/_part-[0-9a-f]+\.wasm$/, async (route) => {
    await held;
    await route.abort("internetdisconnected");
  });
  await page.goto(`${baseUrl()}/coordinator.html`);
  const w = widgetFrame(page);
  await expect(w.getByTestId("stats-charts")).toBeVisible();
  await expect(w.getByTestId("open-requests")).toBeVisible();
  // The whole page works before it: lists, map, statistics, language switch.
  await w.getByRole("button", { name: "English" }).click();
  await expect(w.getByTestId("stats")).toContainText("Statistics");
  expect(parts).toEqual([]);
  await w.getByTestId("file-for-resident").click();
  // While it loads, both buttons that wait for it say so.
  await expect(w.getByTestId("file-for-resident")).toHaveAttribute("aria-busy", "true");
  await expect(w.getByTestId("run-batch")).toHaveAttribute("aria-busy", "true");
  release();
  await expect(w.getByTestId("status")).toContainText("could not be loaded");
  await expect(w.getByTestId("file-for-resident")).toHaveAttribute("aria-busy", "false");
  await expect(w.getByTestId("description")).toHaveCount(0);
  expect(parts).toHaveLength(1);
  // With the connection back, the next click loads it and the form opens.
  await page.unroute(/_part-[0-9a-f]+\.wasm$/);
  await w.getByTestId("file-for-resident").click();
  await expect(w.getByTestId("description")).toBeVisible();
  expect(parts).toHaveLength(2);
  // Loaded once: the batch assignment needs no other download.
  await w.getByTestId("run-batch").click();
  await expect(w.getByTestId("proposal")).toBeVisible();
  expect(parts).toHaveLength(2);
  // The failed attempt is logged (and named) on the console; nothing else went wrong.
  expect(errors.filter((e) => !/_part-[0-9a-f]+\.wasm|ERR_INTERNET_DISCONNECTED|Failed to fetch/.test(e))).toEqual([]);
});

test("the coordinator's statistics are drawn: rates against last year's 85%, and load fairness", async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto(`${baseUrl()}/coordinator.html`);
  const w = widgetFrame(page);
  const charts = w.getByTestId("stats-charts");
  await expect(charts).toBeVisible();
  // Resolution rate by category: six bars, the seed's yardstick as a labelled line.
  const byCategory = charts.locator("figure.vw-bar-chart").first();
  await expect(byCategory.locator("figcaption")).toHaveText("各类服务办结率");
  await expect(byCategory.locator("svg[role=img] g.vw-bar")).toHaveCount(6);
  await expect(byCategory.getByTestId("chart-reference")).toContainText("去年 85%");
  await expect(byCategory.locator("svg[role=img]")).toHaveAttribute("aria-label", "各类服务办结率");
  // The same figures as a table for screen readers: six categories and the yardstick.
  await expect(byCategory.locator("table tbody tr")).toHaveCount(7);
  await expect(byCategory.locator("table tbody tr").first().locator("th")).toHaveText("家政服务");
  // Load fairness: the chart's Gini (from its histogram) is the engine's figure above it.
  const load = charts.locator("figure.vw-load-chart");
  await expect(load.locator("svg[role=img]")).toHaveCount(2);
  const gini = await w.getByTestId("stat-gini").textContent();
  await expect(load.getByTestId("load-gini")).toHaveText(gini);
  // Its table counts every volunteer of the district once.
  const counts = await load.locator("table tbody td").allTextContents();
  expect(counts.reduce((sum, c) => sum + Number(c.replace(/\D/g, "")), 0)).toBe(2448);
  await w.getByTestId("switch-lang").click();
  await expect(byCategory.locator("figcaption")).toHaveText("Resolution rate by category");
  await expect(byCategory.getByTestId("chart-reference")).toContainText("Last year 85%");
  expect(errors).toEqual([]);
});

test("a volunteer edits their week, and the engine ranks with it", async ({ page }) => {
  await page.goto(`${baseUrl()}/volunteers.html`);
  const w = widgetFrame(page);
  await w.getByTestId("volunteer-id").fill("17");
  await w.getByTestId("choose-volunteer").click();
  const monday = w.getByRole("button", { name: "周一 08–12" });
  const before = await monday.getAttribute("aria-pressed");
  await monday.click();
  const after = before === "true" ? "false" : "true";
  await expect(monday).toHaveAttribute("aria-pressed", after);
  await w.getByTestId("save-week").click();
  await expect(w.getByTestId("status")).toContainText("空闲时间已保存");
  const stored = JSON.parse(await page.evaluate(() => localStorage.getItem("volunteer-widget:v2:seed-1")));
  const me = stored.volunteers.find((v) => v.id === 17);
  expect(me).toBeTruthy();
  // Reloading shows the saved week.
  await page.reload();
  await expect(widgetFrame(page).getByRole("button", { name: "周一 08–12" })).toHaveAttribute("aria-pressed", after);
});

test("the language switch turns every label to English and back", async ({ page }) => {
  await page.goto(`${baseUrl()}/index.html`);
  const w = widgetFrame(page);
  await expect(w.getByRole("heading", { name: "居民求助" })).toBeVisible();
  await w.getByTestId("switch-lang").click();
  await expect(w.getByTestId("volunteer-widget")).toHaveAttribute("lang", "en");
  await expect(w.getByRole("heading", { name: "Ask for help" }).first()).toBeVisible();
  await expect(w.getByLabel("Service", { exact: true })).toBeVisible();
  await expect(w.getByTestId("send")).toHaveText("Send request");
  await w.getByTestId("switch-lang").click();
  await expect(w.getByTestId("send")).toHaveText("提交求助");
});

test("a resident can post with the keyboard alone", async ({ page }) => {
  await page.goto(`${baseUrl()}/index.html`);
  const w = widgetFrame(page);
  await w.getByTestId("category").focus();
  await page.keyboard.press("Tab"); // → service item
  await page.keyboard.press("Tab"); // → description
  await page.keyboard.type("键盘提交的求助");
  // Tab on to the phone field, checking where the focus is at each step.
  let onPhone = false;
  for (let i = 0; i < 30 && !onPhone; i++) {
    await page.keyboard.press("Tab");
    onPhone = await w.locator("#vw-phone").evaluate((el) => el === document.activeElement);
  }
  expect(onPhone).toBe(true);
  await page.keyboard.type("13700001111");
  await page.keyboard.press("Enter");
  await expect(w.getByTestId("status")).toContainText("求助已提交");
  await expect(w.getByTestId("card-description").first()).toHaveText("键盘提交的求助");
});

for (const [view, path] of VIEWS) {
  test(`${view} view: no axe violations (WCAG 2.1 A/AA), screenshots at 360 px and desktop`, async ({ browser }) => {
    for (const [width, height, tag] of [[360, 640, "360"], [1280, 900, "desktop"]]) {
      const context = await browser.newContext({ viewport: { width, height } });
      const page = await context.newPage();
      await page.goto(`${baseUrl()}/${path}`);
      const w = widgetFrame(page);
      await expect(w.getByTestId("count-volunteers")).toHaveText("2448");
      if (view === "volunteer") {
        await w.getByTestId("volunteer-id").fill("17");
        await w.getByTestId("choose-volunteer").click();
        await expect(w.getByTestId("inbox")).toBeVisible();
      }
      // No horizontal scroll inside the widget.
      const overflow = await w.locator("html").evaluate((el) => el.scrollWidth - el.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await page.screenshot({ path: screenshotPath(`view-${view}-${tag}`), fullPage: true });
      const results = await new AxeBuilder({ page })
        .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
        .analyze();
      const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
      expect(summary).toEqual([]);
      await context.close();
    }
  });
}
