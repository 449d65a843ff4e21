// The WebAssembly binary format's building blocks, shared by the build's module tools
// (order-functions.mjs, split-module.mjs, package.mjs). A malformed module throws an Error.

/** The unsigned LEB128 number at `at` (how the format writes counts, sizes and indices): [value, next offset]. */
export function uleb(buf, at) {
  let value = 0;
  for (let shift = 0; ; shift += 7) {
    if (at >= buf.length) throw new Error("truncated number in the module");
    const byte = buf[at++];
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, at];
  }
}

/** The offset after the signed LEB128 number at `at`. */
export function skipSleb(buf, at) {
  for (;;) {
    if (at >= buf.length) throw new Error("truncated number in the module");
    if (buf[at++] < 0x80) return at;
  }
}

/** `n` (≥ 0) as unsigned LEB128 bytes. */
export function lebBytes(n) {
  const out = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return Buffer.from(out);
}

/** `n` (a 32-bit integer) as signed LEB128 bytes. */
export function slebBytes(n) {
  const out = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return Buffer.from(out);
    }
    out.push(byte | 0x80);
  }
}

/** A name as the format writes it: its UTF-8 length, then its bytes. */
export const nameBytes = (s) => Buffer.concat([lebBytes(Buffer.byteLength(s)), Buffer.from(s)]);

/** The module's sections: { id, start (of the section), body (of its contents), end }. */
export function sections(buf) {
  if (buf.length < 8 || buf.readUInt32LE(0) !== 0x6d736100) throw new Error("not a WebAssembly module");
  const out = [];
  let at = 8;
  while (at < buf.length) {
    const start = at;
    const id = buf[at++];
    const [size, body] = uleb(buf, at);
    const end = body + size;
    if (end > buf.length) throw new Error("a section runs past the end of the module");
    out.push({ id, start, body, end });
    at = end;
  }
  return out;
}
