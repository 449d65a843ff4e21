// scripts/split-module.mjs: the main module and its part both validate; an entry called before
// the part is instantiated traps; once it is, every export computes what the unsplit module
// did, through the shared memory, table and globals; what only an entry reaches leaves the
// main module; and a caller not named as one stops the split.
import test from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const bin = (name) => path.join(root, "node_modules/.bin", name);
const split = path.join(root, "scripts/split-module.mjs");

// `lazy::entry` is the entry: it calls `lazy::helper` (only it does), `shared` (the main module
// calls it too), an import, a function through the table, and it writes the memory and a
// mutable global. `gate` is its one caller; `other_caller` is another, used by the last test.
const wat = (withOtherCaller) => `(module
  (import "env" "twice" (func $twice (param i32) (result i32)))
  (memory (export "memory") 1)
  (global $counter (mut i32) (i32.const 0))
  (table 2 funcref)
  (elem (i32.const 1) $by_table)
  (type $un (func (param i32) (result i32)))
  (func $shared (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3)))
  (func $by_table (type $un) (i32.add (local.get 0) (i32.const 100)))
  (func $lazy::helper (param i32) (result i32)
    (i32.add (call $shared (local.get 0)) (call_indirect (type $un) (local.get 0) (i32.const 1))))
  (func $lazy::entry (param i32) (param i32) (result i32)
    (i32.store (i32.const 64) (local.get 1))
    (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
    (i32.add (call $lazy::helper (local.get 0)) (call $twice (local.get 1))))
  (func $gate (export "gate") (param i32) (result i32) (call $lazy::entry (local.get 0) (i32.const 7)))
  (func $plain (export "plain") (param i32) (result i32) (call $shared (local.get 0)))
  (func $stored (export "stored") (result i32) (i32.load (i32.const 64)))
  (func $count (export "count") (result i32) (global.get $counter))
  ${withOtherCaller ? '(func $other_caller (export "other") (result i32) (call $lazy::entry (i32.const 1) (i32.const 2)))' : ""}
)`;

function build(dir, withOtherCaller = false) {
  const src = path.join(dir, "m.wat");
  fs.writeFileSync(src, wat(withOtherCaller));
  const out = path.join(dir, "m.wasm");
  execFileSync(bin("wasm-as"), ["-g", "--enable-reference-types", src, "-o", out]);
  return out;
}

const env = { env: { twice: (x) => 2 * x } };

async function results(e) {
  const out = [];
  for (const x of [0, 1, 5, -3]) out.push([e.gate(x), e.plain(x), e.stored(), e.count()]);
  return out;
}

test("the split modules link through the main module's exports and compute what the whole did", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "split-"));
  try {
    const wasm = build(dir);
    const whole = await WebAssembly.instantiate(fs.readFileSync(wasm), env);
    const expected = await results(whole.instance.exports);

    const part = path.join(dir, "part.wasm");
    const said = execFileSync("node", [split, wasm, part, "--entry", "^lazy::entry$", "--caller", "^gate$"]).toString();
    assert.match(said, /1 entries, 2 functions/, said);
    // The main module as the build optimises it: what only the entry reached is gone.
    execFileSync(bin("wasm-opt"), ["-g", "--enable-reference-types", "--enable-mutable-globals", "-Oz", wasm, "-o", wasm]);
    const mainBytes = fs.readFileSync(wasm);
    const partBytes = fs.readFileSync(part);
    assert.ok(WebAssembly.validate(mainBytes), "the main module validates");
    assert.ok(WebAssembly.validate(partBytes), "the part validates");
    const text = execFileSync(bin("wasm-dis"), [wasm]).toString();
    assert.doesNotMatch(text, /lazy::helper/, "the helper left the main module");
    assert.doesNotMatch(text, /global\.set/, "the entry's body left the main module");

    const main = await WebAssembly.instantiate(mainBytes, env);
    const e = main.instance.exports;
    assert.equal(e.plain(2), 6, "the main module works without its part");
    assert.throws(() => e.gate(1), WebAssembly.RuntimeError, "an entry traps before the part is in");
    await WebAssembly.instantiate(partBytes, { p: e });
    assert.deepEqual(await results(e), expected);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a function that calls an entry without being named as a caller stops the split", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "split-"));
  try {
    const wasm = build(dir, true);
    const before = fs.readFileSync(wasm);
    const run = spawnSync("node", [split, wasm, path.join(dir, "part.wasm"), "--entry", "^lazy::entry$", "--caller", "^gate$"]);
    assert.notEqual(run.status, 0);
    assert.match(run.stderr.toString(), /other_caller calls lazy::entry but is not a --caller/);
    assert.ok(fs.readFileSync(wasm).equals(before), "the module is left as it was");
    assert.ok(!fs.existsSync(path.join(dir, "part.wasm")), "no part is written");
    // An entry pattern that matches nothing is an error too.
    const none = spawnSync("node", [split, wasm, path.join(dir, "part.wasm"), "--entry", "^nothing$"]);
    assert.notEqual(none.status, 0);
    assert.match(none.stderr.toString(), /no function's name matches \^nothing\$/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
