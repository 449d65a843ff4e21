// Starts the static server for www/ on a free port before the tests and stops it after.
// Tests read the address from process.env.VW_BASE_URL. It also builds and starts the real
// server (`vserver --demo`, serving www/ itself, on a temporary database and a free port) for
// the remote-mode tests: process.env.VW_SERVER_URL.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
  const vserver = await startVserver(root);
  if (vserver.url) process.env.VW_SERVER_URL = vserver.url;
  return async () => {
    await new Promise((done) => server.close(done));
    await new Promise((done) => host.close(done));
    await vserver.stop();
  };
}

/**
 * `vserver --demo` on a fresh temporary database and secret, a free port, serving www/.
 * Built here (`cargo build -p vserver`, quick once built); VSERVER_BIN names a prebuilt one.
 */
async function startVserver(www) {
  const repo = fileURLToPath(new URL("..", import.meta.url));
  let bin = process.env.VSERVER_BIN;
  if (!bin && !existsSync(join(repo, "server", "Cargo.toml"))) {
    // Not merged yet: the remote-mode tests fail, saying VW_SERVER_URL is not set.
    return { url: "", stop: async () => {} };
  }
  if (!bin) {
    execFileSync("cargo", ["build", "-q", "-p", "vserver"], { cwd: repo, stdio: "inherit" });
    bin = join(process.env.CARGO_TARGET_DIR ?? join(repo, "target"), "debug", "vserver");
  }
  const dir = mkdtempSync(join(tmpdir(), "vserver-e2e-"));
  const args = ["--demo", "--addr", "127.0.0.1:0", "--db", join(dir, "e2e.db"),
    "--secret-file", join(dir, "secret"), "--www", www, "--rate-user", "0", "--rate-ip", "0"];
  const child = spawn(bin, args, { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((ok, fail) => {
    let out = "";
    const timer = setTimeout(() => fail(new Error(`vserver did not start: ${out}`)), 30_000);
    child.once("error", fail);
    child.once("exit", (code) => fail(new Error(`vserver exited (${code}) before listening: ${out}`)));
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const m = /listening on (http:\/\/[^/\s]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        ok(m[1]);
      }
    });
  });
  return {
    url,
    stop: () => new Promise((done) => {
      child.once("exit", () => {
        rmSync(dir, { recursive: true, force: true });
        done();
      });
      child.kill("SIGTERM");
    }),
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
