// Measures what crossing the JavaScript ↔ Wasm boundary adds to ranking one request over the
// 2,448 volunteers: `engine.rank(request, 10)` called from JavaScript (request object in,
// candidates out through serde-wasm-bindgen) against the same `rank` looped inside Wasm
// (`engine.benchRank`, no crossing per call). Batches of BATCH calls timed with
// performance.now() (Chromium coarsens single readings), ROUNDS batches, median batch mean.
// In Node (dist/engine-js) and in Chromium (/usr/bin/chromium, www/engine-js over HTTP).
// Not a test: `node tests/jsapi/bench.mjs` after `bash scripts/build-jsapi.sh`.
import { chromium } from "@playwright/test";
import { startServer } from "../../scripts/serve.mjs";
import { fileURLToPath } from "node:url";

const BATCH = 200;
const ROUNDS = 51;

/** Runs in Node and in the page: returns medians in µs per call. */
async function measure(Engine, batch, rounds) {
  const engine = Engine.fromSeed(1);
  const rs = engine.sampleRequests(7, 60, 1_795_570_000);
  const pick = (pred) => rs.filter(pred).sort((a, b) => engine.rank(b, 50).length - engine.rank(a, 50).length)[0];
  const cases = { many: pick(() => true), asap: pick((r) => r.when === "asap") };
  const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
  const out = {};
  for (const [name, r] of Object.entries(cases)) {
    const found = engine.rank(r, 10).length;
    for (let i = 0; i < 50; i++) { engine.rank(r, 10); engine.benchRank(r, 10, 5); }
    const js = [], inside = [];
    for (let round = 0; round < rounds; round++) {
      let t = performance.now();
      for (let i = 0; i < batch; i++) engine.rank(r, 10);
      js.push(((performance.now() - t) * 1000) / batch);
      t = performance.now();
      engine.benchRank(r, 10, batch);
      inside.push(((performance.now() - t) * 1000) / batch);
    }
    out[name] = { id: r.id, when: typeof r.when === "string" ? r.when : "window", found,
      js: median(js), inside: median(inside), boundary: median(js) - median(inside) };
  }
  engine.free();
  return out;
}

const show = (where, res) => {
  for (const [name, m] of Object.entries(res)) {
    console.log(`${where}\t${name} (request ${m.id}, ${m.when}, ${m.found} of k = 10)\tfrom JS ${m.js.toFixed(2)} µs\tinside Wasm ${m.inside.toFixed(2)} µs\tboundary ${m.boundary.toFixed(2)} µs`);
  }
};

const { Engine } = await import("./load.mjs");
show(`node ${process.version}`, await measure(Engine, BATCH, ROUNDS));

const server = await startServer({ root: fileURLToPath(new URL("../../www", import.meta.url)), port: 0 });
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/engine-js-example.html`);
  const res = await page.evaluate(async ([src, batch, rounds]) => {
    const { default: init, Engine } = await import("./engine-js/index.js");
    await init();
    const measure = new Function(`return (${src})`)();
    return measure(Engine, batch, rounds);
  }, [measure.toString(), BATCH, ROUNDS]);
  show(`chromium ${browser.version()}`, res);
} finally {
  await browser.close();
  server.close();
}
