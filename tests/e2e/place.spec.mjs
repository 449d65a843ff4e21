// The resident's place: "use my location" (the browser's geolocation, snapped to its grid)
// and the district map as a grid picker behind a disclosure — mouse, keyboard, messages,
// accessibility (axe-core, WCAG 2.1 A/AA) and a 360 px screenshot.
import { test, expect } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { baseUrl, screenshotPath, watchConsole, widgetFrame } from "./helpers.mjs";

// The generated district (seed 1) is the same bytes everywhere (the engine's fingerprint pins
// it). Grid 34 is CQ-06 of community 3 (城庆 Chengqing): 39.8173–39.8227 N, 109.979999–
// 109.983342 E; this is its centre, so a located request and one for the grid have the same
// position (and so the same preview).
const CQ06_CENTRE = { latitude: 39.82, longitude: 109.9816705 };
const BEIJING = { latitude: 39.9042, longitude: 116.4074 };

async function open(browser, contextOptions = {}) {
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  const errors = watchConsole(page);
  await page.goto(`${baseUrl()}/index.html`);
  const w = widgetFrame(page);
  await expect(w.getByTestId("count-volunteers")).toHaveText("2448");
  return { context, page, w, errors };
}

const stored = (page) =>
  page.evaluate(() => JSON.parse(localStorage.getItem("volunteer-widget:v2:seed-1")));

test("use my location: the grid of the browser's position is chosen, the preview follows, and the exact position is posted", async ({ browser }) => {
  const { context, page, w, errors } = await open(browser, {
    geolocation: CQ06_CENTRE,
    permissions: ["geolocation"],
  });
  await expect(w.getByTestId("community")).toHaveValue("0");
  await expect(w.getByTestId("place")).toHaveValue("g0");
  await w.getByTestId("locate").click();
  await expect(w.getByTestId("community")).toHaveValue("3");
  await expect(w.getByTestId("place")).toHaveValue("g34");
  const note = w.getByTestId("locate-note");
  await expect(note).toContainText("已按您的位置选择网格：CQ-06 · 城庆。精确位置");
  await expect(note).toContainText("精确位置只有您和接单的志愿者能看到");
  const located = await w.getByTestId("preview").textContent();

  // The same grid chosen by hand (after going elsewhere) gives the same preview: the preview
  // shown after locating was computed for grid CQ-06.
  await w.getByTestId("community").selectOption("0");
  await expect(w.getByTestId("place")).toHaveValue("g0");
  await expect(note).toHaveText(""); // the located place is gone, and so is its note
  await w.getByTestId("community").selectOption("3");
  await w.getByTestId("place").selectOption("g34");
  await expect(w.getByTestId("preview")).toHaveText(located);

  // Locate again and post: the request holds the exact position, in grid 34. (Regression:
  // after a person had picked an option, the place select kept showing the first grid of the
  // community, as the browser ignores later `selected` attributes.)
  await w.getByTestId("community").selectOption("0");
  await w.getByTestId("locate").click();
  await expect(w.getByTestId("place")).toHaveValue("g34");
  await w.getByTestId("phone").fill("13912345678");
  await w.getByTestId("send").click();
  await expect(w.getByTestId("status")).toContainText("求助已提交");
  const request = (await stored(page)).entries[0].request;
  expect(request.grid).toBe(34);
  expect(request.position.lat).toBeCloseTo(CQ06_CENTRE.latitude, 9);
  expect(request.position.lon).toBeCloseTo(CQ06_CENTRE.longitude, 9);
  expect(errors).toEqual([]);
  await context.close();
});

test("a position outside the district is said and the chosen place is kept", async ({ browser }) => {
  const { context, w, errors } = await open(browser, {
    geolocation: BEIJING,
    permissions: ["geolocation"],
  });
  await w.getByTestId("community").selectOption("5");
  await w.getByTestId("place").selectOption("g50");
  const preview = await w.getByTestId("preview").textContent();
  await w.getByTestId("locate").click();
  const note = w.getByTestId("locate-note");
  await expect(note).toHaveText("您的位置不在交通街道范围内，已保留原来选择的地点。");
  await expect(w.getByTestId("community")).toHaveValue("5");
  await expect(w.getByTestId("place")).toHaveValue("g50");
  await expect(w.getByTestId("preview")).toHaveText(preview);
  await w.getByTestId("switch-lang").click();
  await expect(note).toHaveText(
    "Your location is outside Jiaotong Subdistrict, so the place chosen above is kept.",
  );
  expect(errors).toEqual([]);
  await context.close();
});

test("a refused location permission is said in words, and nothing changes", async ({ browser }) => {
  // No permission granted: headless Chromium refuses the request (PERMISSION_DENIED).
  const { context, w, errors } = await open(browser, { geolocation: CQ06_CENTRE });
  await w.getByTestId("locate").click();
  const note = w.getByTestId("locate-note");
  await expect(note).toContainText("浏览器没有允许本页获取您的位置");
  await expect(w.getByTestId("community")).toHaveValue("0");
  await expect(w.getByTestId("place")).toHaveValue("g0");
  await w.getByTestId("switch-lang").click();
  await expect(note).toContainText("The browser did not allow this page to read your location");
  expect(errors).toEqual([]);
  await context.close();
});

test("choosing a grid on the map with the mouse or the keyboard sets community and grid", async ({ browser }) => {
  const { context, page, w, errors } = await open(browser, { viewport: { width: 360, height: 740 } });
  const toggle = w.getByTestId("map-toggle");
  // Closed at first: on a phone the map does not push the form down.
  await expect(toggle).toHaveAttribute("aria-expanded", "false");
  await expect(w.getByTestId("place-map")).toBeHidden();
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-expanded", "true");
  const map = w.getByTestId("place-map");
  await expect(map.locator("rect[role=button]")).toHaveCount(66);
  // The form's grid is the one highlighted.
  await expect(map.locator('rect[data-grid="0"]')).toHaveAttribute("aria-pressed", "true");

  // Mouse: grid 50 is JK-03 of community 5 (健康 Jiankang).
  await map.locator('rect[data-grid="50"]').click();
  await expect(w.getByTestId("community")).toHaveValue("5");
  await expect(w.getByTestId("place")).toHaveValue("g50");
  await expect(map.locator('rect[data-grid="50"]')).toHaveAttribute("aria-pressed", "true");
  await expect(map.locator('rect[data-grid="0"]')).toHaveAttribute("aria-pressed", "false");
  await expect(map.locator(".vw-map-ring-selected")).toHaveCount(1);
  // The clicked grid keeps the focus, and the line under the map names it.
  await expect(w.getByTestId("map-status")).toHaveText("JK-03 · 健康");

  // Keyboard: from the toggle, Tab to grid 10 (JX-01, community 1) and press Enter; then
  // on to grid 12 (JX-03) and press Space.
  const focusedGrid = () =>
    w.locator("body").evaluate(() => document.activeElement?.getAttribute("data-grid") ?? null);
  await toggle.focus();
  for (const [target, key] of [["10", "Enter"], ["12", "Space"]]) {
    for (let i = 0; i < 20 && (await focusedGrid()) !== target; i++) await page.keyboard.press("Tab");
    expect(await focusedGrid()).toBe(target);
    await page.keyboard.press(key);
    await expect(w.getByTestId("community")).toHaveValue("1");
    await expect(w.getByTestId("place")).toHaveValue(`g${target}`);
    await expect(map.locator(`rect[data-grid="${target}"]`)).toHaveAttribute("aria-pressed", "true");
  }
  // Closing it again with the keyboard.
  await toggle.focus();
  await page.keyboard.press("Enter");
  await expect(w.getByTestId("place-map")).toBeHidden();
  await expect(w.getByTestId("place")).toHaveValue("g12");
  expect(errors).toEqual([]);
  await context.close();
});

test("the open picker at 360 px: no axe violations (WCAG 2.1 A/AA), no sideways scroll, screenshot", async ({ browser }) => {
  const { context, page, w, errors } = await open(browser, {
    viewport: { width: 360, height: 740 },
    geolocation: CQ06_CENTRE,
    permissions: ["geolocation"],
  });
  await w.getByTestId("locate").click();
  await expect(w.getByTestId("place")).toHaveValue("g34");
  await w.getByTestId("map-toggle").click();
  const map = w.getByTestId("place-map");
  await expect(map.locator('rect[data-grid="34"]')).toHaveAttribute("aria-pressed", "true");
  // The located position is pinned on the map.
  await expect(map.locator("svg.vw-map-svg g.vw-map-you")).toHaveCount(1);
  const overflow = await w.locator("html").evaluate((el) => el.scrollWidth - el.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: screenshotPath("place-picker-open-360"), fullPage: true });
  await w.getByRole("group", { name: "地点" }).screenshot({ path: screenshotPath("place-picker-where-360") });
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(" ")}`)).toEqual([]);
  expect(errors).toEqual([]);
  await context.close();
});

test("no fix, a timeout and a browser without geolocation each have their message", async ({ browser }) => {
  const context = await browser.newContext();
  // A stand-in for the browser's geolocation in every frame: it answers with the error code
  // the test puts in `__geoCode`, or is missing when that is "none".
  await context.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, "geolocation", {
      configurable: true,
      get() {
        if (window.__geoCode === "none") return undefined;
        return {
          getCurrentPosition(ok, err) {
            setTimeout(() => err({ code: window.__geoCode, message: "test" }), 0);
          },
        };
      },
    });
  });
  const page = await context.newPage();
  const errors = watchConsole(page);
  await page.goto(`${baseUrl()}/index.html`);
  const w = widgetFrame(page);
  await expect(w.getByTestId("count-volunteers")).toHaveText("2448");
  const note = w.getByTestId("locate-note");
  for (const [code, zh] of [
    [2, "暂时无法获取您的位置"],
    [3, "获取位置超时"],
    ["none", "这个浏览器不能提供位置"],
  ]) {
    await w.locator("body").evaluate((_, c) => { window.__geoCode = c; }, code);
    await w.getByTestId("locate").click();
    await expect(note).toContainText(zh);
    await expect(w.getByTestId("place")).toHaveValue("g0");
  }
  await w.getByTestId("switch-lang").click();
  await expect(note).toHaveText("This browser cannot give your location; please choose the community and grid.");
  await w.locator("body").evaluate(() => { window.__geoCode = 3; });
  await w.getByTestId("locate").click();
  await expect(note).toHaveText("Finding your location took too long. Try again, or choose the community and grid.");
  expect(errors).toEqual([]);
  await context.close();
});
