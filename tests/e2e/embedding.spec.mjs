// How maintainers embed the widget: one tag, an iframe from the widget's origin by default,
// inline in a shadow root on request, several on one page, and a hostile host page.
import { test, expect } from "@playwright/test";
import { baseUrl, hostPage, foreignHostPage, watchConsole, widgetFrame } from "./helpers.mjs";

test("two widgets on one page render independently", async ({ page }) => {
  const errors = watchConsole(page);
  await foreignHostPage(page, `
    <div id="a"></div><div id="b"></div>
    <script async src="${baseUrl()}/pkg/volunteer-widget.js" data-target="#a" data-lang="zh-CN"></script>
    <script async src="${baseUrl()}/pkg/volunteer-widget.js" data-target="#b" data-lang="en"></script>`);
  await expect(page.locator("iframe[data-volunteer-widget]")).toHaveCount(2);
  await expect(page.locator("#a iframe")).toHaveAttribute("title", "社区志愿服务");
  await expect(page.locator("#b iframe")).toHaveAttribute("title", "Community volunteer service");
  for (const [i, lang] of [[0, "zh-CN"], [1, "en"]]) {
    await expect(widgetFrame(page, i).getByTestId("count-volunteers")).toHaveText("2448");
    await expect(widgetFrame(page, i).getByTestId("volunteer-widget")).toHaveAttribute("lang", lang);
  }
  expect(errors).toEqual([]);
});

test("the iframe is sized to its content by the widget's own messages only", async ({ page }) => {
  await foreignHostPage(page, `<script async src="${baseUrl()}/pkg/volunteer-widget.js"></script>`);
  const frame = page.locator("iframe[data-volunteer-widget]");
  await expect(widgetFrame(page).getByTestId("count-volunteers")).toHaveText("2448");
  // The frame reports its content height; the loader applies it.
  await expect.poll(async () => {
    const inner = await widgetFrame(page).locator("html").evaluate((e) => Math.ceil(e.getBoundingClientRect().height));
    const outer = await frame.evaluate((e) => e.getBoundingClientRect().height);
    return Math.abs(inner - outer) <= 1;
  }).toBe(true);
  const before = await frame.evaluate((e) => e.style.height);
  // A message from the host's own origin (not the widget's) must be ignored.
  // (resolves once the message has been delivered to every listener, the loader's included)
  await page.evaluate(() => new Promise((delivered) => {
    window.addEventListener("message", () => delivered(), { once: true });
    window.postMessage({ type: "volunteer-widget:height", height: 5000 }, "*");
  }));
  expect(await frame.evaluate((e) => e.style.height)).toBe(before);
});

test("inline mode renders into an open shadow root of <volunteer-widget>", async ({ page }) => {
  const errors = watchConsole(page);
  await hostPage(page, `<script async src="pkg/volunteer-widget.js" data-mode="inline" data-lang="en"></script>`);
  const el = page.locator("volunteer-widget");
  await expect(el).toHaveCount(1);
  expect(await el.evaluate((e) => e.shadowRoot?.mode)).toBe("open");
  await expect(el.getByTestId("count-volunteers")).toHaveText("2448");
  expect(errors).toEqual([]);
});

// The coordinator's page loads a part of its module on first use (widget/src/part.rs): from
// the widget's build in both modes, never from a URL the host page names. (Inline mode runs
// on the widget's origin here: a foreign host would need the widget server to send CORS.)
for (const mode of ["iframe", "inline"]) {
  test(`the coordinator's part loads from the widget's build, not from the host's data-part (${mode})`, async ({ page }) => {
    const errors = watchConsole(page);
    const parts = [];
    page.on("request", (r) => {
      if (/_part-[0-9a-f]+\.wasm$|\/evil\.wasm$/.test(r.url())) parts.push(r.url());
    });
    const tag = `<script async src="${baseUrl()}/pkg/volunteer-widget.js" data-view="coordinator"
      data-mode="${mode}" data-part="${baseUrl()}/evil.wasm"></script>`;
    if (mode === "iframe") await foreignHostPage(page, tag);
    else await hostPage(page, tag);
    const w = mode === "iframe" ? widgetFrame(page) : page.locator("volunteer-widget");
    await expect(w.getByTestId("stats")).toBeVisible();
    expect(parts).toEqual([]);
    await w.getByTestId("file-for-resident").click();
    await expect(w.getByTestId("description")).toBeVisible();
    expect(parts).toHaveLength(1);
    expect(parts[0].startsWith(`${baseUrl()}/pkg/volunteer_widget_coordinator_part-`)).toBe(true);
    expect(errors).toEqual([]);
  });
}

test("a hostile host page (all: unset, strict CSP without wasm-unsafe-eval) still gets a working widget", async ({ page }) => {
  const widget = baseUrl();
  const csp = `default-src 'none'; script-src ${widget}; frame-src ${widget}; style-src 'unsafe-inline'`;
  await foreignHostPage(page, `<p>host</p><script async src="${widget}/pkg/volunteer-widget.js"></script>`, {
    head: `<meta http-equiv="Content-Security-Policy" content="${csp}"><style>* { all: unset !important; }</style>`,
  });
  const w = widgetFrame(page);
  await expect(w.getByTestId("count-volunteers")).toHaveText("2448");
  await expect(w.getByTestId("count-grids")).toHaveText("66");
});

test("the embed page's live preview rebuilds the snippet and the widget from the options", async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto(`${baseUrl()}/embed.html`);
  await expect(widgetFrame(page).getByTestId("count-volunteers")).toHaveText("2448");
  await page.locator("select[name=lang]").selectOption("en");
  await page.locator("select[name=theme]").selectOption("dark");
  await expect(page.locator("#snippet")).toContainText('data-lang="en"');
  await expect(page.locator("#snippet")).toContainText('data-theme="dark"');
  await expect(page.locator("#preview iframe")).toHaveCount(1);
  const w = widgetFrame(page);
  await expect(w.getByTestId("volunteer-widget")).toHaveAttribute("lang", "en");
  await expect(w.getByTestId("volunteer-widget")).toHaveClass(/vw-dark/);
  expect(errors).toEqual([]);
});
