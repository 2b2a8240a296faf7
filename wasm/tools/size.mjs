#!/usr/bin/env node
// Where the bytes of a wasm module go: `node wasm/tools/size.mjs [path/to/module.wasm]`.
//
// Reads the function bodies of the code section and the function names of the `name` section
// (present in cargo's release output, target/wasm32-unknown-unknown/release/gigmarket_wasm.wasm;
// wasm-opt strips them from the package's copy), demangles the legacy Rust symbols enough to
// group them, and prints the code bytes per group, largest first: JSON decoding and encoding
// (serde derives and serde_json), each engine module, the bindings, the standard library. The
// package's .wasm is smaller (wasm-opt) but keeps the proportions roughly; BENCHMARKS.md records
// the table, so that the next saving is visible.
import fs from 'node:fs';

const file = process.argv[2] ?? new URL('../../target/wasm32-unknown-unknown/release/gigmarket_wasm.wasm', import.meta.url);
const bytes = fs.readFileSync(file);

function leb(at) {
  let value = 0, shift = 0, byte;
  do {
    byte = bytes[at.i++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return value;
}
const name = (at) => {
  const len = leb(at);
  const s = bytes.toString('utf8', at.i, at.i + len);
  at.i += len;
  return s;
};

let importedFunctions = 0;
const bodies = [];
const names = new Map();
const at = { i: 8 };
while (at.i < bytes.length) {
  const id = bytes[at.i++];
  const size = leb(at);
  const end = at.i + size;
  if (id === 2) {
    for (let n = leb(at); n > 0; n--) {
      name(at); name(at);
      const kind = bytes[at.i++];
      if (kind === 0) { leb(at); importedFunctions++; }
      else if (kind === 1) { at.i++; const flags = leb(at); leb(at); if (flags & 1) leb(at); }
      else if (kind === 2) { const flags = leb(at); leb(at); if (flags & 1) leb(at); }
      else if (kind === 3) at.i += 2;
    }
  } else if (id === 10) {
    for (let n = leb(at); n > 0; n--) {
      const len = leb(at);
      bodies.push(len);
      at.i += len;
    }
  } else if (id === 0 && name(at) === 'name') {
    while (at.i < end) {
      const sub = bytes[at.i++];
      const subEnd = leb(at) + at.i;
      if (sub === 1) for (let n = leb(at); n > 0; n--) { const index = leb(at); names.set(index, name(at)); }
      at.i = subEnd;
    }
  }
  at.i = end;
}
if (names.size === 0) {
  console.error('size.mjs: this module has no name section (wasm-opt strips it): pass cargo\'s output');
  process.exit(1);
}

/** `_ZN9gigmarket6market4Market5apply17h…E` → `gigmarket::market::Market::apply`. */
function demangle(symbol) {
  if (!symbol.startsWith('_ZN')) return symbol;
  const parts = [];
  for (let i = 3; /\d/.test(symbol[i]);) {
    const digits = /^\d+/.exec(symbol.slice(i))[0];
    i += digits.length;
    parts.push(symbol.slice(i, i + Number(digits)));
    i += Number(digits);
  }
  return parts.join('::').replaceAll('$LT$', '<').replaceAll('$GT$', '>').replaceAll('$u20$', ' ').replaceAll('$RF$', '&').replaceAll('..', '::').replaceAll('$C$', ',');
}

function group(symbol) {
  const d = demangle(symbol);
  if (/Deserializ|Visitor|DeserializeSeed|MapAccess|SeqAccess|EnumAccess|private::de|serde_json::de|serde_json::read/.test(d)) return 'JSON decoding (serde derives, serde_json reader)';
  if (/Serializ|serde_json::ser|private::ser/.test(d)) return 'JSON encoding (serde derives, serde_json writer)';
  const engine = /^(?:<)?gigmarket::([a-z_]+)/.exec(d);
  if (engine) return `engine: ${engine[1]}`;
  if (/^(?:<)?gigmarket_wasm::/.test(d)) return 'bindings (gigmarket_wasm)';
  if (d.startsWith('__wbindgen_describe')) return 'wasm-bindgen descriptors (the CLI removes them)';
  if (/js_sys|wasm_bindgen|__wbg|__wbindgen/.test(d)) return 'wasm-bindgen and js-sys glue';
  if (/dlmalloc/.test(d)) return 'allocator (dlmalloc)';
  if (/slice::sort/.test(d)) return 'std: sorting';
  if (/fmt|flt2dec|float|num::/.test(d)) return 'std: formatting and numbers';
  if (/btree|hash|collections/.test(d)) return 'std: collections';
  if (/^(?:<)?(core|alloc|std)::/.test(d) || /^_R/.test(symbol)) return 'std: other';
  return 'other';
}

const totals = new Map();
let all = 0;
bodies.forEach((len, i) => {
  const g = group(names.get(i + importedFunctions) ?? '');
  totals.set(g, (totals.get(g) ?? 0) + len);
  all += len;
});
console.log(`| group | code bytes | share |\n| --- | ---: | ---: |`);
for (const [g, len] of [...totals].sort((a, b) => b[1] - a[1])) {
  console.log(`| ${g} | ${len.toLocaleString('en')} | ${((100 * len) / all).toFixed(1)} % |`);
}
console.log(`| all code (${bodies.length} functions) | ${all.toLocaleString('en')} | 100 % |`);
