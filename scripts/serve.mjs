// A small static file server for www/ (no dependencies). `node scripts/serve.mjs` serves on
// 127.0.0.1:$PORT (default 8080) until Ctrl-C; tests import startServer() and use port 0.
// A file with a precompressed `<file>.gz` beside it (scripts/precompress.mjs) is sent as that,
// with `content-encoding: gzip`, to a browser that accepts gzip.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
};

// The widget's iframe runs Wasm, so its own page (not the host's) allows 'wasm-unsafe-eval'.
export const FRAME_CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors *",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

/** Whether an `Accept-Encoding` header takes gzip: named (or `*` when gzip is not named),
 * without `q=0`. */
export function acceptsGzip(header) {
  const codings = new Map();
  for (const part of String(header ?? "").split(",")) {
    const [coding, ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    codings.set(coding.trim(), q ? Number(q.slice(2)) : 1);
  }
  const q = codings.get("gzip") ?? codings.get("*") ?? 0;
  return q > 0;
}

export function startServer({ root, port = 0, host = "127.0.0.1" }) {
  const base = resolve(root);
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://localhost");
      let path = normalize(join(base, decodeURIComponent(url.pathname)));
      if (path !== base && !path.startsWith(base + sep)) {
        res.writeHead(403).end("forbidden");
        return;
      }
      const info = await stat(path).catch(() => null);
      if (info?.isDirectory()) path = join(path, "index.html");
      const headers = {
        "content-type": TYPES[extname(path)] ?? "application/octet-stream",
        "cache-control": "no-cache",
        "x-content-type-options": "nosniff",
      };
      // Read the file itself first: a request for a missing file is a 404 even if a stray
      // `.gz` exists.
      let body = await readFile(path);
      if (await stat(path + ".gz").catch(() => null)) {
        headers.vary = "accept-encoding";
        if (acceptsGzip(req.headers["accept-encoding"])) {
          body = await readFile(path + ".gz");
          headers["content-encoding"] = "gzip";
        }
      }
      if (/[\\/]pkg[\\/]frame-[0-9a-f]+\.html$/.test(path)) headers["content-security-policy"] = FRAME_CSP;
      res.writeHead(200, headers);
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found");
    }
  });
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => ok(server));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`serve: PORT must be a port number, got ${process.env.PORT}`);
    process.exit(2);
  }
  const root = fileURLToPath(new URL("../www", import.meta.url));
  startServer({ root, port })
    .then((s) => console.log(`serving www/ on http://127.0.0.1:${s.address().port}/ (Ctrl-C to stop)`))
    .catch((e) => {
      console.error(`serve: cannot listen on 127.0.0.1:${port}: ${e.message}`);
      process.exit(1);
    });
}
