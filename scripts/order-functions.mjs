// Orders a WebAssembly module's functions so that gzip compresses it better, by renaming them:
// `wasm-opt --reorder-functions-by-name` then puts them in the new order.
//
//   node scripts/order-functions.mjs <module.wasm>   (rewrites the module's name section)
//
// gzip finds repeats only within its last 32 KB, so a function compresses well when functions
// like it came shortly before. Sorting by the compiler's names puts the copies of one generic
// function together; this goes further. Starting from the largest function, it appends, again
// and again, the function that costs the fewest compressed bytes after what is already laid
// out (deflate with the last 32 KB as its dictionary), chosen among the functions sharing the
// most 4-byte sequences with the one just laid out. Bodies and semantics are untouched: only
// the order of the code section changes (and so the function indices, which wasm-opt renumbers).
// The result is deterministic: the same module gives the same order.
//
// The names go into a new name section (any earlier one is dropped), which the reordering
// wasm-opt pass reads and `--strip-debug` removes. Measured gains: docs/PERFORMANCE.md,
// "Widget size".
import { readFileSync, writeFileSync } from "node:fs";
import { deflateRawSync } from "node:zlib";
import { lebBytes, nameBytes, sections, uleb } from "./wasm-bytes.mjs";

/** Candidates tried by real compression at each step. */
const CANDIDATES = 48;
/** A 4-byte sequence shared by more functions than this says nothing about likeness. */
const COMMON = 300;
const WINDOW = 32 * 1024;

function fail(msg) {
  console.error(`order-functions: ${msg}`);
  process.exit(1);
}

function customName(buf, sec) {
  const [len, at] = uleb(buf, sec.body);
  return buf.toString("utf8", at, at + len);
}

function importedFunctions(buf, sec) {
  let [count, at] = uleb(buf, sec.body);
  let funcs = 0;
  for (let i = 0; i < count; i++) {
    for (let s = 0; s < 2; s++) {
      const [len, next] = uleb(buf, at);
      at = next + len;
    }
    const kind = buf[at++];
    if (kind === 0) {
      funcs++;
      at = uleb(buf, at)[1];
    } else if (kind === 1) {
      at += 1; // reftype
      const flags = buf[at++];
      at = uleb(buf, at)[1];
      if (flags & 1) at = uleb(buf, at)[1];
    } else if (kind === 2) {
      const flags = buf[at++];
      at = uleb(buf, at)[1];
      if (flags & 1) at = uleb(buf, at)[1];
    } else if (kind === 3) {
      at += 2; // valtype, mutability
    } else if (kind === 4) {
      at += 1;
      at = uleb(buf, at)[1];
    } else fail(`unknown import kind ${kind}`);
  }
  return funcs;
}

function bodies(buf, sec) {
  let [count, at] = uleb(buf, sec.body);
  const out = [];
  for (let i = 0; i < count; i++) {
    const [size, start] = uleb(buf, at);
    out.push(buf.subarray(start, start + size));
    at = start + size;
  }
  return out;
}

function deflated(data, dictionary) {
  const opts = { level: 9, memLevel: 9 };
  if (dictionary && dictionary.length) opts.dictionary = dictionary;
  return deflateRawSync(data, opts).length;
}

/** The new order of the defined functions (indices into `code`). */
function order(code) {
  const n = code.length;
  const grams = code.map((b) => {
    const g = new Set();
    for (let i = 0; i + 4 <= b.length; i++) g.add(b.readUInt32LE(i));
    return g;
  });
  const holders = new Map();
  grams.forEach((g, f) => {
    for (const q of g) {
      const l = holders.get(q);
      if (l) l.push(f);
      else holders.set(q, [f]);
    }
  });
  const alone = code.map((b) => deflated(b));
  const left = new Set(code.keys());
  const laid = [];
  let out = Buffer.alloc(0);
  let cur = 0;
  for (let f = 1; f < n; f++) if (code[f].length > code[cur].length) cur = f;
  const shared = new Int32Array(n);
  while (left.size) {
    left.delete(cur);
    laid.push(cur);
    out = Buffer.concat([out, code[cur]]);
    if (out.length > 2 * WINDOW) out = out.subarray(out.length - WINDOW);
    if (!left.size) break;
    shared.fill(0);
    const touched = [];
    for (const q of grams[cur]) {
      const l = holders.get(q);
      if (l.length > COMMON) continue;
      for (const f of l) {
        if (!left.has(f)) continue;
        if (shared[f] === 0) touched.push(f);
        shared[f]++;
      }
    }
    touched.sort((a, b) => shared[b] - shared[a] || a - b);
    let cands = touched.slice(0, CANDIDATES);
    if (!cands.length) cands = [...left].slice(0, CANDIDATES);
    const dict = out.subarray(Math.max(0, out.length - WINDOW));
    let best = -1;
    let bestGain = -Infinity;
    for (const f of cands) {
      const gain = alone[f] - deflated(code[f], dict);
      if (gain > bestGain || (gain === bestGain && f < best)) {
        best = f;
        bestGain = gain;
      }
    }
    cur = best;
  }
  return laid;
}

function main() {
  const [path] = process.argv.slice(2);
  if (!path) fail("usage: node scripts/order-functions.mjs <module.wasm>");
  const buf = readFileSync(path);
  const secs = sections(buf);
  const imp = secs.find((s) => s.id === 2);
  const codeSec = secs.find((s) => s.id === 10);
  if (!codeSec) fail("the module has no code section");
  const imports = imp ? importedFunctions(buf, imp) : 0;
  const code = bodies(buf, codeSec);
  const laid = order(code);
  // The new name of each function: its rank, zero-padded so that names sort as ranks do.
  const width = String(code.length).length;
  const entries = laid.map((f, rank) => [imports + f, rank]).sort((a, b) => a[0] - b[0]);
  const funcNames = Buffer.concat([
    lebBytes(entries.length),
    ...entries.map(([idx, rank]) =>
      Buffer.concat([lebBytes(idx), nameBytes(`~${String(rank).padStart(width, "0")}`)]),
    ),
  ]);
  const nameBody = Buffer.concat([nameBytes("name"), Buffer.from([1]), lebBytes(funcNames.length), funcNames]);
  // Any earlier name section goes; the new one names the defined functions only (imports are
  // listed first in a module whatever their names).
  const kept = secs
    .filter((s) => !(s.id === 0 && customName(buf, s) === "name"))
    .map((s) => buf.subarray(s.start, s.end));
  const out = Buffer.concat([
    buf.subarray(0, 8),
    ...kept,
    Buffer.from([0]),
    lebBytes(nameBody.length),
    nameBody,
  ]);
  writeFileSync(path, out);
}

try {
  main();
} catch (e) {
  fail(e.message);
}
