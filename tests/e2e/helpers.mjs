// Shared helpers for the end-to-end tests.
import { mkdirSync } from "node:fs";

export const baseUrl = () => {
  const url = process.env.VW_BASE_URL;
  if (!url) throw new Error("VW_BASE_URL is not set: tests/global-setup.mjs did not run");
  return url;
};

/** Collects console errors and page errors; assert on them at the end of a test. */
export function watchConsole(page) {
  const errors = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  return errors;
}

export const SCREENSHOTS = "tests/screenshots";
export function screenshotPath(name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return `${SCREENSHOTS}/${name}.png`;
}

/**
 * Opens a host page with the given body, served from the demo site's origin (as a
 * maintainer's page would be), without adding a file to www/.
 */
export async function hostPage(page, body, { head = "", path = "/host-fixture.html" } = {}) {
  const url = `${baseUrl()}${path}`;
  await page.route(url, (route) =>
    route.fulfill({
      contentType: "text/html; charset=utf-8",
      body: `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><link rel="icon" href="data:,">${head}<title>host</title></head><body>${body}</body></html>`,
    }),
  );
  await page.goto(url);
}

/** The widget inside its iframe (the default embedding); `index` picks one of several. */
export function widgetFrame(page, index = 0) {
  return page.locator("iframe[data-volunteer-widget]").nth(index).contentFrame();
}

/**
 * Opens a page of a host site on another origin than the widget's (another port), with the
 * given head and body.
 */
export async function foreignHostPage(page, body, { head = "" } = {}) {
  const host = process.env.VW_HOST_URL;
  if (!host) throw new Error("VW_HOST_URL is not set: tests/global-setup.mjs did not run");
  const q = new URLSearchParams({ head, body });
  await page.goto(`${host}/page?${q}`);
}

/** A module built without the cargo feature names the option; say what to build instead. */
export async function expectFeature(w, option, feature) {
  const errors = w.getByTestId("option-errors");
  if ((await errors.count()) > 0 && (await errors.textContent()).includes(option)) {
    throw new Error(`the widget in www/pkg was built without the \`${feature}\` cargo feature, so ${option} is refused: build the widget with it (docs/PERFORMANCE.md)`);
  }
}
