// The first slice through every layer: the page embeds the widget with one script tag; the
// district's figures on screen were computed by the engine inside WebAssembly.
import { test, expect } from "@playwright/test";
import { readFile } from "node:fs/promises";
import http from "node:http";
import { gunzipSync } from "node:zlib";
import { baseUrl, hostPage, screenshotPath, watchConsole, widgetFrame } from "./helpers.mjs";
import { measureViews, BUDGET_KB, VIEWS, NET_BUDGET_KB, NET_VIEWS, WITH_PART_BUDGET_KB } from "../../scripts/size.mjs";

test("home page shows the district's figures from the engine", async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto(`${baseUrl()}/`);
  const w = widgetFrame(page);
  await expect(w.getByTestId("volunteer-widget")).toBeVisible();
  await expect(w.getByTestId("district-name")).toContainText("交通街道");
  await expect(w.getByTestId("count-communities")).toHaveText("7");
  await expect(w.getByTestId("count-grids")).toHaveText("66");
  await expect(w.getByTestId("count-compounds")).toHaveText("38");
  await expect(w.getByTestId("count-teams")).toHaveText("21");
  await expect(w.getByTestId("count-volunteers")).toHaveText("2448");
  await page.screenshot({ path: screenshotPath("foundation-home"), fullPage: true });
  expect(errors).toEqual([]);
});

test("the figures are not in the page's HTML: they come from the Wasm engine", async ({ request }) => {
  const html = await (await request.get(`${baseUrl()}/`)).text();
  expect(html).not.toContain("2448");
  expect(html).not.toContain("2,448");
  expect(html).toMatch(/<script[^>]+src="[^"]*volunteer-widget\.js"/);
});

test("the figures follow the engine: another seed gives the same district counts", async ({ page }) => {
  // The seed changes the generated people, not the district's structure.
  const errors = watchConsole(page);
  await hostPage(page, `<script async src="pkg/volunteer-widget.js" data-seed="7" data-lang="en"></script>`);
  const w = widgetFrame(page);
  await expect(w.getByTestId("count-volunteers")).toHaveText("2448");
  await expect(w.getByTestId("volunteer-widget")).toHaveAttribute("lang", "en");
  expect(errors).toEqual([]);
});

test("a wrong option is named on screen, not thrown at the host page", async ({ page }) => {
  const errors = watchConsole(page);
  await hostPage(page, `<script async src="pkg/volunteer-widget.js" data-view="admin"></script>`);
  const alert = widgetFrame(page).getByTestId("option-errors");
  await expect(alert).toContainText("data-view");
  await expect(alert).toContainText("admin");
  expect(errors).toEqual([]);
});

test("each view's transfer size stays within budget", async () => {
  // One module per view: what a page downloads is the loader, the iframe's script and that
  // view's glue and WebAssembly (scripts/size.mjs). The Widget issue asks for 150 KB gzip;
  // BUDGET_KB holds it for every view (docs/PERFORMANCE.md, "Widget size").
  // The coordinator's page loads a part on first use (filing for a resident, the batch
  // assignment); WITH_PART_BUDGET_KB bounds the page and its part together.
  const views = measureViews("www/pkg");
  expect(views.map((v) => v.view)).toEqual(VIEWS);
  for (const v of views) {
    expect(v.files.filter((r) => r.file.endsWith(".wasm"))).toHaveLength(1);
    expect(v.gzip / 1024, `view ${v.view}`).toBeLessThanOrEqual(BUDGET_KB[v.view]);
    expect(v.part.files, `view ${v.view}`).toHaveLength(v.view === "coordinator" ? 1 : 0);
    expect((v.gzip + v.part.gzip) / 1024, `view ${v.view} with its part`).toBeLessThanOrEqual(WITH_PART_BUDGET_KB);
  }
  // The same views with remote mode and roster files, for pages with data-api or data-roster.
  const net = measureViews("www/pkg", NET_VIEWS);
  for (const v of net) {
    expect(v.files.filter((r) => r.file.endsWith(".wasm")), `view ${v.view}`).toHaveLength(1);
    expect(v.part.files, `view ${v.view}`).toHaveLength(v.view === "coordinatornet" ? 1 : 0);
    expect((v.gzip + v.part.gzip) / 1024, `view ${v.view}`).toBeLessThanOrEqual(NET_BUDGET_KB);
  }
  await readFile("www/pkg/volunteer-widget.js"); // the loader exists under its documented name
});

test("every file a page downloads goes out as its precompressed gzip, which decodes to the file", async () => {
  // The transfer that the size test counts is these .gz files (scripts/precompress.mjs).
  // The coordinator's page: its files and the part it loads on first use.
  const [view] = measureViews("www/pkg", ["coordinator"]);
  expect(view.files.length).toBeGreaterThanOrEqual(4);
  expect(view.part.files).toHaveLength(1);
  for (const { file } of [...view.files, ...view.part.files]) {
    const raw = await readFile(`www/pkg/${file}`);
    const gz = await readFile(`www/pkg/${file}.gz`);
    const zipped = await get(`/pkg/${file}`, { "accept-encoding": "gzip, deflate, br" });
    expect(zipped.headers["content-encoding"], file).toBe("gzip");
    expect(zipped.headers.vary, file).toBe("accept-encoding");
    expect(zipped.body.equals(gz), file).toBe(true);
    expect(gunzipSync(zipped.body).equals(raw), file).toBe(true);
    const plain = await get(`/pkg/${file}`, {});
    expect(plain.headers["content-encoding"], file).toBeUndefined();
    expect(plain.body.equals(raw), file).toBe(true);
  }
  for (const { file } of [view.files.find((r) => r.file.endsWith(".wasm")), view.part.files[0]]) {
    const wasm = await get(`/pkg/${file}`, { "accept-encoding": "gzip" });
    expect(wasm.headers["content-type"], file).toBe("application/wasm");
  }
  // Refused gzip (q=0): the file itself.
  const refused = await get(`/pkg/${view.files[0].file}`, { "accept-encoding": "gzip;q=0, br" });
  expect(refused.headers["content-encoding"]).toBeUndefined();
});

/** A GET with exactly these request headers (Node's http: no decoding of the answer). */
function get(path, headers) {
  return new Promise((ok, fail) => {
    http
      .get(new URL(path, baseUrl()), { headers }, (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => ok({ headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on("error", fail);
  });
}

test("a page downloads only the module of its own view", async ({ page }) => {
  const errors = watchConsole(page);
  const wasm = [];
  page.on("request", (r) => {
    if (r.url().endsWith(".wasm")) wasm.push(new URL(r.url()).pathname);
  });
  await hostPage(page, `<script async src="pkg/volunteer-widget.js" data-view="volunteer" data-lang="en"></script>`);
  await expect(widgetFrame(page).getByTestId("volunteer-widget")).toBeVisible();
  expect(wasm).toHaveLength(1);
  expect(wasm[0]).toMatch(/\/volunteer_widget_volunteer_bg-[0-9a-f]+\.wasm$/);
  expect(errors).toEqual([]);
});
