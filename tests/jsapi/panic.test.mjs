// A panic (a bug) is reported once with its message; afterwards every call throws
// code "panicked" instead of running on memory that can no longer be trusted.
import test from "node:test";
import assert from "node:assert/strict";
import { Engine, __panicForTests, engineError } from "./load.mjs";

test("a panic is logged once and every later call refuses with its message", () => {
  const engine = Engine.fromSeed(1);
  assert.equal(engine.volunteerCount, 2448);
  const logged = [];
  const original = console.error;
  console.error = (...args) => logged.push(args.join(" "));
  try {
    assert.throws(() => __panicForTests(), WebAssembly.RuntimeError);
    const e = engineError(() => engine.stats(0));
    assert.equal(e.code, "panicked");
    assert.match(e.detail.message, /deliberate panic for the tests/);
    assert.equal(engineError(() => Engine.fromSeed(2)).code, "panicked");
    assert.throws(() => __panicForTests(), WebAssembly.RuntimeError);
  } finally {
    console.error = original;
  }
  assert.equal(logged.length, 1, logged.join("\n"));
  assert.match(logged[0], /deliberate panic for the tests/);
});
