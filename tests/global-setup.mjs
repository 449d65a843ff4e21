// Starts the static server for www/ on a free port before the tests and stops it after.
// Tests read the address from process.env.VW_BASE_URL.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startServer } from "../scripts/serve.mjs";

export default async function globalSetup() {
  const root = fileURLToPath(new URL("../www", import.meta.url));
  if (!existsSync(`${root}/pkg/volunteer-widget.js`)) {
    throw new Error("www/pkg is not built: run `bash scripts/build.sh` (npm test does) first");
  }
  const server = await startServer({ root, port: 0 });
  process.env.VW_BASE_URL = `http://127.0.0.1:${server.address().port}`;
  return async () => new Promise((done) => server.close(done));
}
