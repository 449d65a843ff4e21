// scripts/order-functions.mjs: the functions come out in its order, the module still validates
// and computes what it did, and the same module always gets the same order.
import test from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const bin = (name) => path.join(root, "node_modules/.bin", name);

// Three look-alike functions (a, c, e) and two unlike them (b, d), calling one another; an
// import, so that indices of defined functions start after it.
const wat = `(module
  (import "env" "twice" (func $twice (param i32) (result i32)))
  (func $a (export "a") (param i32) (result i32)
    (i32.add (i32.mul (local.get 0) (i32.const 31)) (i32.xor (local.get 0) (i32.const 7))))
  (func $b (export "b") (param i32) (result i32)
    (call $twice (call $d (local.get 0))))
  (func $c (export "c") (param i32) (result i32)
    (i32.add (i32.mul (local.get 0) (i32.const 37)) (i32.xor (local.get 0) (i32.const 5))))
  (func $d (param i32) (result i32)
    (if (result i32) (i32.lt_s (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $d (i32.sub (local.get 0) (i32.const 1)))
                     (call $d (i32.sub (local.get 0) (i32.const 2)))))))
  (func $e (export "e") (param i32) (result i32)
    (i32.add (i32.mul (local.get 0) (i32.const 41)) (i32.xor (local.get 0) (i32.const 3)))))`;

function build(dir) {
  fs.writeFileSync(path.join(dir, "m.wat"), wat);
  execFileSync(bin("wasm-as"), [path.join(dir, "m.wat"), "-o", path.join(dir, "m.wasm")]);
  return path.join(dir, "m.wasm");
}

function order(wasm, out) {
  fs.copyFileSync(wasm, out);
  execFileSync("node", [path.join(root, "scripts/order-functions.mjs"), out]);
  const named = fs.readFileSync(out);
  execFileSync(bin("wasm-opt"), [out, "--reorder-functions-by-name", "--strip-debug", "-o", out]);
  return { named, sorted: fs.readFileSync(out) };
}

async function run(bytes) {
  const { instance } = await WebAssembly.instantiate(bytes, { env: { twice: (x) => 2 * x } });
  const e = instance.exports;
  return [0, 1, 5, 12, -3].map((x) => [e.a(x), e.b(x), e.c(x), e.e(x)]);
}

test("the module keeps its behaviour, gets its name section, and the order is deterministic", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "order-"));
  try {
    const wasm = build(dir);
    const original = fs.readFileSync(wasm);
    const first = order(wasm, path.join(dir, "1.wasm"));
    const second = order(wasm, path.join(dir, "2.wasm"));
    assert.ok(WebAssembly.validate(first.named), "the renamed module validates");
    assert.ok(WebAssembly.validate(first.sorted), "the reordered module validates");
    assert.deepEqual(await run(first.sorted), await run(original));
    assert.deepEqual(first.sorted, second.sorted, "same input, same output");
    // One rank name per defined function, and the largest function (the recursive one) first.
    fs.writeFileSync(path.join(dir, "named.wasm"), first.named);
    const text = execFileSync(bin("wasm-dis"), [path.join(dir, "named.wasm")]).toString();
    const funcs = [...text.matchAll(/^ \(func \$(\S+)/gm)].map((m) => m[1]);
    assert.deepEqual([...funcs].sort(), ["~0", "~1", "~2", "~3", "~4"]);
    fs.writeFileSync(path.join(dir, "sorted.wasm"), first.sorted);
    const sorted = execFileSync(bin("wasm-dis"), [path.join(dir, "sorted.wasm")]).toString();
    const defs = [...sorted.matchAll(/^ \(func \$/gm)].map((m) => m.index);
    assert.equal(defs.length, 5);
    const firstBody = sorted.slice(defs[0], defs[1]);
    assert.match(firstBody, /\(if/, "the largest function is laid out first");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
