// Widget timings in headless Chromium (a benchmark, not a test): script tag to interactive,
// and the work per keystroke in the request form (input event → engine preview → re-render);
// on the coordinator's page, script tag to interactive and the first use of the part it loads
// on first use (click → the filing form in the DOM, the part fetched and instantiated).
// Usage: bash scripts/build.sh && node scripts/bench-widget.mjs [runs]
import { chromium } from "playwright-core";
import { fileURLToPath } from "node:url";
import { startServer } from "./serve.mjs";

const runs = Number(process.argv[2] ?? 15);
const root = fileURLToPath(new URL("../www", import.meta.url));
const server = await startServer({ root, port: 0 });
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// Marks, in the widget's frame, the moment `selector` matches (absolute ms).
const marker = (selector) => {
  if (!location.pathname.includes("/pkg/frame-")) return;
  new MutationObserver((_, obs) => {
    if (document.querySelector(selector)) {
      window.__vwReady = performance.timeOrigin + performance.now();
      obs.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
};

// Opens `path` in a fresh context; resolves once `selector` is in the widget's frame, with the
// frame, the ms from the loader's request to that moment, and the context to close.
async function open(path, selector) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(marker, selector);
  await page.goto(`${base}/${path}`);
  await page.frameLocator("iframe[data-volunteer-widget]").locator(selector).waitFor();
  const f = page.frames().find((x) => x.url().includes("/pkg/frame-"));
  const ready = await f.evaluate(() => window.__vwReady);
  const start = await page.evaluate(() => {
    const e = performance.getEntriesByType("resource").find((r) => r.name.endsWith("/volunteer-widget.js"));
    return performance.timeOrigin + e.startTime;
  });
  return { context, f, ms: ready - start };
}

const interactive = [];
const keystroke = [];
for (let i = 0; i < runs; i++) {
  const { context, f, ms } = await open("index.html", "[data-testid=send]");
  interactive.push(ms);
  // 20 keystrokes into the window's start time, each measured until the next task.
  const times = await f.evaluate(async () => {
    const input = document.getElementById("vw-from");
    const channel = new MessageChannel();
    const nextTask = () => new Promise((r) => { channel.port1.onmessage = () => r(); channel.port2.postMessage(0); });
    const out = [];
    for (let k = 0; k < 20; k++) {
      input.value = k % 2 ? "18:00" : "19:30";
      const t0 = performance.now();
      input.dispatchEvent(new InputEvent("input", { bubbles: true }));
      await nextTask();
      out.push(performance.now() - t0);
    }
    return out;
  });
  keystroke.push(...times);
  await context.close();
}

// The coordinator's page: interactive (the batch button in the DOM), then the first click on
// "file for a resident" until the form's description field exists.
const coordinator = [];
const firstUse = [];
for (let i = 0; i < runs; i++) {
  const { context, f, ms } = await open("coordinator.html", "[data-testid=run-batch]");
  coordinator.push(ms);
  firstUse.push(await f.evaluate(() => new Promise((done) => {
    const t = performance.now();
    new MutationObserver((_, obs) => {
      if (document.querySelector("[data-testid=description]")) {
        obs.disconnect();
        done(performance.now() - t);
      }
    }).observe(document, { childList: true, subtree: true });
    document.querySelector("[data-testid=file-for-resident]").click();
  })));
  await context.close();
}
await browser.close();
server.close();
console.log(`script tag → interactive (send button in the DOM): median ${median(interactive).toFixed(1)} ms over ${runs} page loads (min ${Math.min(...interactive).toFixed(1)}, max ${Math.max(...interactive).toFixed(1)})`);
console.log(`keystroke → preview re-rendered: median ${median(keystroke).toFixed(2)} ms over ${keystroke.length} keystrokes (max ${Math.max(...keystroke).toFixed(2)})`);
console.log(`coordinator: script tag → interactive (batch button in the DOM): median ${median(coordinator).toFixed(1)} ms over ${runs} page loads (min ${Math.min(...coordinator).toFixed(1)}, max ${Math.max(...coordinator).toFixed(1)})`);
console.log(`coordinator: first click on "file for a resident" → form in the DOM (fetches the part): median ${median(firstUse).toFixed(1)} ms (min ${Math.min(...firstUse).toFixed(1)}, max ${Math.max(...firstUse).toFixed(1)})`);
