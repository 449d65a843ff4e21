// Loads the built package (dist/engine-js, from scripts/build-jsapi.sh) from disk in Node.
import fs from "node:fs";
import { fileURLToPath } from "node:url";

const dir = fileURLToPath(new URL("../../dist/engine-js/", import.meta.url));
const pkg = await import(new URL("../../dist/engine-js/index.js", import.meta.url));
pkg.initSync({ module: fs.readFileSync(dir + "index_bg.wasm") });

export const { Engine, __panicForTests } = pkg;
export const fixture = (name) =>
  fs.readFileSync(fileURLToPath(new URL(`fixtures/${name}`, import.meta.url)), "utf8");
/** A fixed instant (2026-11-25) for generated requests. */
export const NOW = 1_795_570_000;

/** Calls `f`, expecting an EngineError; returns it. */
export function engineError(f) {
  try {
    f();
  } catch (e) {
    if (!(e instanceof Error)) throw new Error(`thrown value is not an Error: ${e}`);
    if (e.name !== "EngineError") throw e;
    return e;
  }
  throw new Error("expected an EngineError, nothing was thrown");
}
