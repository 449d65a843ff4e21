// Splits a WebAssembly module in two: a main module that the page loads, and a part that it
// loads on first use, sharing the main module's memory, tables and globals.
//
//   node scripts/split-module.mjs <module.wasm> <part.wasm> (--entry <regexp>)... (--caller <regexp>)...
//
// <module.wasm> must carry function names (wasm-bindgen's output does); they are matched
// without the crates' hashes (`widget::part::propose`). The functions whose names match an
// --entry are the part's entries. The part receives each entry and every function only an
// entry reaches: a function that the main module reaches without passing through an entry
// (from its exports, its start function, its tables or its globals) stays in the main module.
// Each entry's body in the main module becomes a stub that calls the entry through a new slot
// of the function table, which the part fills when it is instantiated:
//
//   WebAssembly.instantiate(part, { p: mainInstance.exports })
//
// The part imports the main module's memory, tables and globals, and the functions it calls
// that stay in the main module, which the main module exports under names starting with "~".
// The stubbed bodies' exclusive callees are left in the main module unreferenced; the next
// wasm-opt pass removes them. Calling an entry before the part is instantiated traps (the slot is
// empty), so the host must load the part before any entry can run (widget/src/part.rs): a
// function of the main module that calls an entry directly must match a --caller, the places
// that load the part first; any other stops the split.
//
// Any instruction that names a data or element segment in a moved function, and any feature
// this script does not know, stops the split rather than produce modules that cannot link.
// It prints what it moved. docs/PERFORMANCE.md, "Code splitting", has what it saves.
import { readFileSync, writeFileSync } from "node:fs";
import { lebBytes, nameBytes, sections, skipSleb as sleb, slebBytes, uleb } from "./wasm-bytes.mjs";

function fail(msg) {
  console.error(`split-module: ${msg}`);
  process.exit(1);
}

const str = nameBytes;
const vec = (items) => Buffer.concat([lebBytes(items.length), ...items]);
const section = (id, body) => Buffer.concat([Buffer.from([id]), lebBytes(body.length), body]);

function name(buf, at) {
  const [len, p] = uleb(buf, at);
  return [buf.toString("utf8", p, p + len), p + len];
}

/** Table or memory limits at `at`: [{ min, max }, next]. */
function limits(buf, at) {
  const flags = buf[at++];
  if (flags > 1) fail(`limits with flags ${flags} (shared or 64-bit) are not supported`);
  const [min, p] = uleb(buf, at);
  if (flags === 0) return [{ min, max: null }, p];
  const [max, q] = uleb(buf, p);
  return [{ min, max }, q];
}

const limitBytes = ({ min, max }) =>
  max === null ? Buffer.concat([Buffer.from([0]), lebBytes(min)]) : Buffer.concat([Buffer.from([1]), lebBytes(min), lebBytes(max)]);

/**
 * Walks the instructions from `at` to the `end` that closes the expression, calling
 * `visit(op, at, immediateStart, next)` for call (0x10), return_call (0x12) and ref.func (0xd2)
 * and `bad(what)` for segment instructions. Returns the offset after the final `end`.
 */
function walk(buf, at, visit, bad) {
  let depth = 1;
  while (depth > 0) {
    const start = at;
    const op = buf[at++];
    switch (op) {
      case 0x02: case 0x03: case 0x04: {
        depth++;
        const b = buf[at];
        at = b === 0x40 || (b >= 0x6f && b <= 0x7f) ? at + 1 : sleb(buf, at);
        break;
      }
      case 0x0b: depth--; break;
      case 0x0c: case 0x0d: case 0x20: case 0x21: case 0x22: case 0x23: case 0x24: case 0x25: case 0x26:
        at = uleb(buf, at)[1];
        break;
      case 0x0e: {
        let [n, p] = uleb(buf, at);
        for (let i = 0; i <= n; i++) p = uleb(buf, p)[1];
        at = p;
        break;
      }
      case 0x10: case 0x12: case 0xd2: {
        const next = uleb(buf, at)[1];
        visit(op, start, at, next);
        at = next;
        break;
      }
      case 0x11: case 0x13: at = uleb(buf, uleb(buf, at)[1])[1]; break;
      case 0x1c: {
        const [n, p] = uleb(buf, at);
        at = p + n;
        break;
      }
      case 0x3f: case 0x40: at = uleb(buf, at)[1]; break;
      case 0x41: case 0x42: at = sleb(buf, at); break;
      case 0x43: at += 4; break;
      case 0x44: at += 8; break;
      case 0xd0: {
        const b = buf[at];
        at = b >= 0x63 && b <= 0x7f ? at + 1 : sleb(buf, at);
        break;
      }
      case 0xfc: {
        const [sub, p] = uleb(buf, at);
        at = p;
        if (sub <= 7) break;
        if (sub === 8 || sub === 9 || sub === 12 || sub === 13) bad(`bulk instruction 0xfc ${sub} names a segment`);
        const args = { 8: 2, 9: 1, 10: 2, 11: 1, 12: 2, 13: 1, 14: 2, 15: 1, 16: 1, 17: 1 }[sub];
        if (args === undefined) fail(`unknown instruction 0xfc ${sub}`);
        for (let i = 0; i < args; i++) at = uleb(buf, at)[1];
        break;
      }
      default:
        if (op >= 0x28 && op <= 0x3e) {
          const [align, p] = uleb(buf, at);
          at = align & 0x40 ? uleb(buf, uleb(buf, p)[1])[1] : p;
          at = uleb(buf, at)[1];
        } else if (!(op <= 0x01 || op === 0x05 || op === 0x0f || op === 0x1a || op === 0x1b || (op >= 0x45 && op <= 0xc4) || op === 0xd1)) {
          fail(`unknown instruction 0x${op.toString(16)} at byte ${start}`);
        }
    }
  }
  return at;
}

export function parse(buf) {
  const m = { buf, secs: sections(buf), types: [], funcImports: [], tables: [], tableImports: 0, memory: null,
    globals: [], roots: new Set(), funcTypes: [], bodies: [], names: new Map() };
  for (const s of m.secs) {
    let [count, at] = s.id === 0 || s.id === 8 || s.id === 12 ? [0, s.body] : uleb(buf, s.body);
    switch (s.id) {
      case 1:
        for (let i = 0; i < count; i++) {
          if (buf[at++] !== 0x60) fail("a type that is not a function type");
          const [np, p] = uleb(buf, at);
          const [nr, q] = uleb(buf, p + np);
          m.types.push({ params: np });
          at = q + nr;
        }
        break;
      case 2:
        for (let i = 0; i < count; i++) {
          const [mod, p] = name(buf, at);
          const [field, q] = name(buf, p);
          const kind = buf[q];
          at = q + 1;
          if (kind === 0) {
            const [type, r] = uleb(buf, at);
            m.funcImports.push({ mod, field, type });
            at = r;
          } else if (kind === 1) {
            const [lim, r] = limits(buf, at + 1);
            m.tables.push({ ref: buf[at], limits: lim, imported: true });
            m.tableImports++;
            at = r;
          } else if (kind === 2) {
            const [lim, r] = limits(buf, at);
            m.memory = { limits: lim, imported: true };
            at = r;
          } else if (kind === 3) {
            m.globals.push({ type: buf[at], mutable: buf[at + 1], imported: true });
            at += 2;
          } else fail(`import kind ${kind} is not supported`);
        }
        break;
      case 3:
        for (let i = 0; i < count; i++) {
          const [type, p] = uleb(buf, at);
          m.funcTypes.push(type);
          at = p;
        }
        break;
      case 4:
        for (let i = 0; i < count; i++) {
          if (buf[at] === 0x40) fail("a table with an initialiser is not supported");
          const [lim, p] = limits(buf, at + 1);
          m.tables.push({ ref: buf[at], limits: lim, imported: false, limitsAt: at + 1, limitsEnd: p });
          at = p;
        }
        break;
      case 5:
        if (count !== 1) fail("more than one memory");
        m.memory = { limits: limits(buf, at)[0], imported: false };
        break;
      case 6:
        for (let i = 0; i < count; i++) {
          m.globals.push({ type: buf[at], mutable: buf[at + 1], imported: false });
          at = walk(buf, at + 2, (op, _s, imm) => m.roots.add(uleb(buf, imm)[0]), fail);
        }
        break;
      case 7:
        for (let i = 0; i < count; i++) {
          const [field, p] = name(buf, at);
          const kind = buf[p];
          const [index, q] = uleb(buf, p + 1);
          if (kind === 0) m.roots.add(index);
          at = q;
        }
        break;
      case 8:
        m.roots.add(uleb(buf, at)[0]);
        break;
      case 9:
        for (let i = 0; i < count; i++) {
          const [flags, p] = uleb(buf, at);
          at = p;
          if (flags === 2 || flags === 6) at = uleb(buf, at)[1];
          if (!(flags & 1)) at = walk(buf, at, () => {}, fail);
          if (flags & 3) at++; // elemkind or reftype
          const [n, q] = uleb(buf, at);
          at = q;
          for (let k = 0; k < n; k++) {
            if (flags & 4) {
              at = walk(buf, at, (op, _s, imm) => m.roots.add(uleb(buf, imm)[0]), fail);
            } else {
              const [f, r] = uleb(buf, at);
              m.roots.add(f);
              at = r;
            }
          }
        }
        break;
      case 10:
        for (let i = 0; i < count; i++) {
          const [size, p] = uleb(buf, at);
          m.bodies.push({ head: at, start: p, end: p + size });
          at = p + size;
        }
        break;
      case 0: {
        const [cname, p] = name(buf, s.body);
        if (cname !== "name") break;
        at = p;
        while (at < s.end) {
          const id = buf[at];
          const [size, q] = uleb(buf, at + 1);
          if (id === 1) {
            let [n, r] = uleb(buf, q);
            for (let k = 0; k < n; k++) {
              const [idx, r2] = uleb(buf, r);
              const [fname, r3] = name(buf, r2);
              m.names.set(idx, fname);
              r = r3;
            }
          }
          at = q + size;
        }
        break;
      }
      default:
    }
  }
  m.imported = m.funcImports.length;
  m.typeOf = (f) => (f < m.imported ? m.funcImports[f].type : m.funcTypes[f - m.imported]);
  return m;
}

/** The functions each defined function calls or references: [[callee, ...], ...]. */
export function callees(m) {
  return m.bodies.map((b, i) => {
    const out = new Set();
    walk(m.buf, instructions(m.buf, b), (op, _s, imm) => out.add(uleb(m.buf, imm)[0]), () =>
      (m.segmentUsers ??= new Set()).add(i + m.imported));
    return [...out];
  });
}

/** Where a body's instructions start (after its local declarations). */
function instructions(buf, b) {
  let [groups, at] = uleb(buf, b.start);
  for (let g = 0; g < groups; g++) at = uleb(buf, at)[1] + 1;
  return at;
}

function main() {
  const [input, partPath, ...rest] = process.argv.slice(2);
  const patterns = [];
  const gates = [];
  for (let i = 0; i < rest.length; i += 2) {
    if (rest[i] === "--entry" && rest[i + 1]) patterns.push(rest[i + 1]);
    else if (rest[i] === "--caller" && rest[i + 1]) gates.push(new RegExp(rest[i + 1]));
    else fail(`unexpected argument ${rest[i]}`);
  }
  if (!input || !partPath || patterns.length === 0) {
    fail("usage: node scripts/split-module.mjs <module.wasm> <part.wasm> (--entry <regexp>)... (--caller <regexp>)...");
  }
  const m = parse(readFileSync(input));
  if (m.names.size === 0) fail("the module has no function names (a name section)");
  const buf = m.buf;
  const calls = callees(m);
  const defined = (f) => f >= m.imported;
  // Names without the crates' hashes: `widget[1b2e…]::part::propose` → `widget::part::propose`.
  const nameOf = (f) => (m.names.get(f) ?? "").replace(/\[[0-9a-f]{16}\]/g, "");
  const res = patterns.map((p) => new RegExp(p));
  const entries = [];
  for (let f = m.imported; f < m.imported + m.bodies.length; f++) {
    if (res.some((re) => re.test(nameOf(f)))) entries.push(f);
  }
  res.forEach((re, i) => {
    if (!entries.some((f) => re.test(nameOf(f)))) fail(`no function's name matches ${patterns[i]}`);
  });
  const isEntry = new Set(entries);
  // What the main module reaches without entering an entry.
  const kept = new Set();
  const stack = [...m.roots];
  while (stack.length) {
    const f = stack.pop();
    if (kept.has(f)) continue;
    kept.add(f);
    if (defined(f) && !isEntry.has(f)) stack.push(...calls[f - m.imported]);
  }
  // What the entries reach beyond that.
  const moved = new Set();
  const todo = [...entries];
  while (todo.length) {
    const f = todo.pop();
    if (moved.has(f)) continue;
    moved.add(f);
    for (const g of calls[f - m.imported]) if (defined(g) && !moved.has(g) && (!kept.has(g) || isEntry.has(g))) todo.push(g);
  }
  for (const f of moved) {
    if (m.segmentUsers?.has(f)) fail(`${nameOf(f)} names a data or element segment`);
  }
  // The main module's functions that call an entry directly must be the ones named as its
  // callers, which load the part first (widget/src/part.rs).
  calls.forEach((cs, i) => {
    const g = i + m.imported;
    if (!kept.has(g) || isEntry.has(g)) return;
    for (const f of cs) {
      if (isEntry.has(f) && !gates.some((re) => re.test(nameOf(g)))) {
        fail(`${nameOf(g)} calls ${nameOf(f)} but is not a --caller`);
      }
    }
  });
  const table = m.tables.findIndex((t) => t.ref === 0x70 && !t.imported);
  if (table < 0) fail("the module defines no function table");
  if (m.memory === null || m.memory.imported) fail("the module must define its memory");
  if (m.tableImports || m.globals.some((g) => g.imported)) fail("imported tables or globals are not supported");
  const base = m.tables[table].limits.min;
  const slot = new Map(entries.map((f, i) => [f, base + i]));

  // The part: imports (memory, tables, globals, then the main module's functions it calls),
  // its functions, and one element segment that puts the entries into their slots.
  const order = [...moved].sort((a, b) => a - b);
  const needed = [];
  for (const f of order) for (const g of calls[f - m.imported]) if (!moved.has(g)) needed.push(g);
  const imported = [...new Set(needed)].sort((a, b) => a - b);
  const index = new Map();
  imported.forEach((g, i) => index.set(g, i));
  order.forEach((f, i) => index.set(f, imported.length + i));
  const exportName = (g) => `~${g.toString(36)}`;
  const imports = [
    Buffer.concat([str("p"), str("!m"), Buffer.from([2]), limitBytes({ min: 0, max: null })]),
    ...m.tables.map((t, i) => Buffer.concat([str("p"), str(`!t${i}`), Buffer.from([1, t.ref]), limitBytes({ min: 0, max: null })])),
    ...m.globals.map((g, i) => Buffer.concat([str("p"), str(`!g${i}`), Buffer.from([3, g.type, g.mutable])])),
    ...imported.map((g) => Buffer.concat([str("p"), str(exportName(g)), Buffer.from([0]), lebBytes(m.typeOf(g))])),
  ];
  const partCode = order.map((f) => {
    const b = m.bodies[f - m.imported];
    const pieces = [];
    let last = b.start;
    walk(buf, instructions(buf, b), (op, _s, imm, next) => {
      pieces.push(buf.subarray(last, imm), lebBytes(index.get(uleb(buf, imm)[0])));
      last = next;
    }, fail);
    pieces.push(buf.subarray(last, b.end));
    const body = Buffer.concat(pieces);
    return Buffer.concat([lebBytes(body.length), body]);
  });
  const typeSec = m.secs.find((s) => s.id === 1);
  const elem = Buffer.concat([
    lebBytes(1),
    table === 0 ? Buffer.from([0]) : Buffer.concat([Buffer.from([2]), lebBytes(table)]),
    Buffer.from([0x41]), slebBytes(base), Buffer.from([0x0b]),
    ...(table === 0 ? [] : [Buffer.from([0])]),
    vec(entries.map((f) => lebBytes(index.get(f)))),
  ]);
  const part = Buffer.concat([
    buf.subarray(0, 8),
    buf.subarray(typeSec.start, typeSec.end),
    section(2, vec(imports)),
    section(3, vec(order.map((f) => lebBytes(m.typeOf(f))))),
    section(9, elem),
    section(10, vec(partCode)),
  ]);

  // The main module: the function table grows by one slot per entry, each entry's body becomes
  // a call through its slot, and the exports the part imports are added.
  const stub = (f) => {
    const type = m.typeOf(f);
    const body = [Buffer.from([0])];
    for (let i = 0; i < m.types[type].params; i++) body.push(Buffer.from([0x20]), lebBytes(i));
    body.push(Buffer.from([0x41]), slebBytes(slot.get(f)), Buffer.from([0x11]), lebBytes(type), lebBytes(table), Buffer.from([0x0b]));
    const b = Buffer.concat(body);
    return Buffer.concat([lebBytes(b.length), b]);
  };
  const out = [buf.subarray(0, 8)];
  for (const s of m.secs) {
    if (s.id === 4) {
      const t = m.tables[table];
      const grown = { min: t.limits.min + entries.length, max: t.limits.max === null ? null : t.limits.max + entries.length };
      out.push(section(4, Buffer.concat([buf.subarray(s.body, t.limitsAt), limitBytes(grown), buf.subarray(t.limitsEnd, s.end)])));
    } else if (s.id === 7) {
      const [count, at] = uleb(buf, s.body);
      const added = [
        Buffer.concat([str("!m"), Buffer.from([2, 0])]),
        ...m.tables.map((_, i) => Buffer.concat([str(`!t${i}`), Buffer.from([1]), lebBytes(i)])),
        ...m.globals.map((_, i) => Buffer.concat([str(`!g${i}`), Buffer.from([3]), lebBytes(i)])),
        ...imported.map((g) => Buffer.concat([str(exportName(g)), Buffer.from([0]), lebBytes(g)])),
      ];
      out.push(section(7, Buffer.concat([lebBytes(count + added.length), buf.subarray(at, s.end), ...added])));
    } else if (s.id === 10) {
      const code = m.bodies.map((b, i) => {
        const f = i + m.imported;
        if (isEntry.has(f)) return stub(f);
        if (moved.has(f)) return Buffer.from([3, 0, 0x00, 0x0b]); // unreachable; removed by wasm-opt
        return buf.subarray(b.head, b.end);
      });
      out.push(section(10, vec(code)));
    } else {
      out.push(buf.subarray(s.start, s.end));
    }
  }
  if (!m.secs.some((s) => s.id === 7)) fail("the module has no export section");
  writeFileSync(input, Buffer.concat(out));
  writeFileSync(partPath, part);
  const size = (f) => m.bodies[f - m.imported].end - m.bodies[f - m.imported].start;
  const bytes = order.reduce((n, f) => n + size(f), 0);
  console.log(`split-module: ${entries.length} entries, ${order.length} functions (${bytes} bytes of code) moved to ${partPath}; ${imported.length} imported back`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    main();
  } catch (e) {
    fail(e.message);
  }
}
