// Starts the static server for www/ on a free port before the tests and stops it after.
// Tests read the address from process.env.VW_BASE_URL.
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { startServer } from "../scripts/serve.mjs";

export default async function globalSetup() {
  const root = fileURLToPath(new URL("../www", import.meta.url));
  if (!existsSync(`${root}/pkg/volunteer-widget.js`)) {
    throw new Error("www/pkg is not built: run `bash scripts/build.sh` (npm test does) first");
  }
  const server = await startServer({ root, port: 0 });
  process.env.VW_BASE_URL = `http://127.0.0.1:${server.address().port}`;
  const host = await startHostServer();
  process.env.VW_HOST_URL = `http://127.0.0.1:${host.address().port}`;
  return async () => {
    await new Promise((done) => server.close(done));
    await new Promise((done) => host.close(done));
  };
}

/**
 * A stand-in for a maintainer's site on another origin (another port): it answers
 * /page?head=...&body=... with that HTML, so a test can write the host page it needs.
 * Test-only; it never runs outside the Playwright run.
 */
function startHostServer() {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname !== "/page") {
      res.writeHead(404).end();
      return;
    }
    const head = url.searchParams.get("head") ?? "";
    const body = url.searchParams.get("body") ?? "";
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><link rel="icon" href="data:,">${head}<title>host</title></head><body>${body}</body></html>`);
  });
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => ok(server));
  });
}
