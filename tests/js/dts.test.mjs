// The package's declarations after wasm/tools/dts.mjs: every variant and field of the unions
// generated from Rust enums documented, no Rust notation in any doc, runtime lists that match the
// unions, no exported type that nothing in the API reaches, and the result type-checks.
//
// Which d.ts: $GIGMARKET_DTS when set (e.g. a fresh `wasm-bindgen --target web` output, before or
// after dts.mjs ran on it); otherwise the installed package's web build
// (node_modules/gigmarket/market/gigmarket.d.ts), then wasm/pkg/market/gigmarket.d.ts. The script runs on
// a copy in a temporary folder, so the test works on raw and on already processed declarations
// (running it again must change nothing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const SCRIPT = path.join(ROOT, 'wasm/tools/dts.mjs');
const CANDIDATES = [
  process.env.GIGMARKET_DTS,
  path.join(HERE, 'node_modules/gigmarket/market/gigmarket.d.ts'),
  path.join(ROOT, 'wasm/pkg/market/gigmarket.d.ts'),
].filter(Boolean);
const SOURCE = CANDIDATES.find((p) => fs.existsSync(p));

/** The unions whose every member and field must carry a doc, with their tag. */
const UNIONS = { Command: 'type', EventKind: 'type', Rejection: 'code', Check: 'type' };

/** Rust notation that must not reach a TS reader (checked in every JSDoc comment). */
const RUST_NOTATION = [
  [/\bNone\b/, '`None` (write null or absent)'],
  [/\bSome\b/, '`Some`'],
  [/\bVec\b/, '`Vec` (write array)'],
  [/\bOption\b/, '`Option`'],
  [/::/, 'a `::` path (write `Type.field`)'],
  [/\[`[^`]*`\]/, 'an intra-doc link'],
  [/\b[ui](8|16|32|64|128|size)\b/, 'a Rust integer type'],
  [/\bf(32|64)\b/, 'a Rust float type'],
  [/\b(String|BTreeMap|HashMap|Arc|Box)\b/, 'a Rust std type'],
  [/#\[/, 'a Rust attribute'],
  [/\.\.=/, 'an inclusive Rust range (write "1 to 5")'],
  [/\b(impl|pub|fn)\b|&'static/, 'Rust syntax'],
  [/\b(Ok|Err)\(/, 'a Rust Result'],
];

/** Copy the d.ts to a fresh folder and run the script there: { dir, dts, text, before, run }. */
function processed() {
  assert.ok(SOURCE, `no declarations found: build the package, or set GIGMARKET_DTS (looked at ${CANDIDATES.join(', ')})`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gigmarket-dts-'));
  const dts = path.join(dir, 'gigmarket.d.ts');
  // wasm-bindgen declares the re-exported MarketError as `unknown` beside the crate's real class
  // declaration; the package build drops that placeholder, and so does this copy.
  fs.writeFileSync(dts, fs.readFileSync(SOURCE, 'utf8').replace(/^export let MarketError: unknown;\n/m, ''));
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  const before = fs.readFileSync(dts, 'utf8');
  const run = spawnSync(process.execPath, [SCRIPT, dts, dir], { encoding: 'utf8' });
  assert.equal(run.status, 0, `dts.mjs failed: ${run.stderr}`);
  return { dir, dts, text: fs.readFileSync(dts, 'utf8'), before };
}

const out = processed();

/** Top-level exported declarations: name -> { kind, text }, text up to the next one. */
function declarations(text) {
  const re = /^export (?:declare )?(?:default )?(type|interface|class|function|let|const) ([A-Za-z_$][\w$]*)/gm;
  const found = [...text.matchAll(re)];
  const decls = new Map();
  found.forEach((m, i) => {
    const end = i + 1 < found.length ? found[i + 1].index : text.length;
    const body = text.slice(m.index, end).replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    decls.set(m[2], { kind: m[1], text: body });
  });
  return decls;
}

/** The lines of `export type name = ...;` in the rewritten d.ts. */
function unionLines(text, name) {
  const start = text.indexOf(`export type ${name} =\n`);
  assert.ok(start >= 0, `${name} is not written one member per line`);
  const end = text.indexOf(';\n\n', start);
  return text.slice(start, end + 1).split('\n');
}

/** The tag values of a union as written on one line (tsify) or one member per line (dts.mjs). */
function tags(text, name, tag) {
  const decl = declarations(text).get(name);
  assert.ok(decl, `no type ${name}`);
  return [...decl.text.matchAll(new RegExp(`\\b${tag}: "([^"]+)"`, 'g'))].map((m) => m[1]);
}

test('every member and field of the commands, events, refusals and checks has a JSDoc', () => {
  for (const [name, tag] of Object.entries(UNIONS)) {
    const lines = unionLines(out.text, name);
    const members = lines.filter((l) => l.startsWith('    | '));
    assert.deepEqual(members.length, tags(out.before, name, tag).length, `${name}: members lost or added`);
    assert.deepEqual(tags(out.text, name, tag), tags(out.before, name, tag), `${name}: tags changed`);
    lines.forEach((line, i) => {
      const prev = lines[i - 1]?.trim() ?? '';
      if (line.startsWith('    | ')) {
        assert.ok(prev.endsWith('*/'), `${name}: no JSDoc above member \`${line.trim()}\``);
      }
      const field = /^ {8}([A-Za-z_$][\w$]*)\??: /.exec(line);
      if (field && field[1] !== tag) {
        assert.ok(prev.endsWith('*/'), `${name}: no JSDoc above field \`${line.trim()}\` (${lines[i - 3]?.trim()})`);
      }
    });
  }
  // The tester's examples: who may send a command, when a refusal happens, the glob syntax.
  assert.match(unionLines(out.text, 'Command').join('\n'), /Operator: sign up a client/);
  assert.match(unionLines(out.text, 'Rejection').join('\n'), /The balance does not cover the amount/);
  assert.match(unionLines(out.text, 'Check').join('\n'), /`\*` any run, `\?` one character/);
});

test('no Rust notation in any doc comment', () => {
  const leaks = [];
  for (const comment of out.text.match(/\/\*\*[\s\S]*?\*\//g)) {
    for (const line of comment.split('\n')) {
      for (const [pattern, what] of RUST_NOTATION) {
        if (pattern.test(line)) leaks.push(`${what}: ${line.trim()}`);
      }
    }
  }
  assert.deepEqual(leaks, []);
  // The pattern list catches what it should.
  assert.ok(RUST_NOTATION.some(([p]) => p.test('see [`TaskSpec::archived`], `None` when absent')));
});

test('the runtime lists are the union members, frozen, and re-exported by the entry', async () => {
  const lists = await import(pathToFileURL(path.join(out.dir, 'lists.js')));
  assert.deepEqual([...lists.COMMAND_TYPES], tags(out.text, 'Command', 'type'));
  assert.deepEqual([...lists.EVENT_TYPES], tags(out.text, 'EventKind', 'type'));
  const decls = declarations(out.text);
  // ERROR_CODES is every MarketErrorCode: the codes of Rejection and BoundaryError.
  assert.match(decls.get('MarketErrorCode').text, /= MarketErrorDetails\["code"\];/);
  assert.match(decls.get('MarketErrorDetails').text, /= Rejection \| BoundaryError;/);
  assert.deepEqual([...lists.ERROR_CODES], [...tags(out.text, 'Rejection', 'code'), ...tags(out.text, 'BoundaryError', 'code')]);
  for (const list of [lists.COMMAND_TYPES, lists.EVENT_TYPES, lists.ERROR_CODES]) {
    assert.ok(Object.isFrozen(list) && list.length > 0);
  }
  assert.match(out.text, /^export \{ COMMAND_TYPES, EVENT_TYPES, ERROR_CODES \} from "\.\/lists\.js";$/m);
});

test('running the script again changes nothing', () => {
  const again = spawnSync(process.execPath, [SCRIPT, out.dts, out.dir], { encoding: 'utf8' });
  assert.equal(again.status, 0, again.stderr);
  assert.equal(fs.readFileSync(out.dts, 'utf8'), out.text);
});

/** Exported for a reason although nothing in the API mentions them: name -> why. */
const EXPORTED_FOR_A_REASON = new Map([]);

test('every exported type is reachable from the API', () => {
  const decls = declarations(out.text);
  // Roots: the classes and functions a consumer calls (Market, MarketError, init, initSync).
  const roots = [...decls].filter(([, d]) => d.kind === 'class' || d.kind === 'function').map(([n]) => n);
  assert.ok(roots.includes('Market') && roots.includes('MarketError'), `roots: ${roots}`);
  const seen = new Set();
  const todo = [...roots];
  while (todo.length) {
    const name = todo.pop();
    if (seen.has(name)) continue;
    seen.add(name);
    const body = decls.get(name).text.replace(/^[^\n]*?\b[A-Za-z_$][\w$]*/, '');
    for (const id of body.match(/[A-Za-z_$][\w$]*/g) ?? []) if (decls.has(id) && !seen.has(id)) todo.push(id);
  }
  const unreachable = [...decls.keys()].filter((n) => !seen.has(n) && !EXPORTED_FOR_A_REASON.has(n));
  assert.deepEqual(unreachable, []);
});

test('the rewritten declarations and the lists type-check, and the lists are typed by their unions', () => {
  const require = createRequire(path.join(HERE, 'package.json'));
  const ts = require('typescript');
  const check = path.join(out.dir, 'check.mts');
  fs.writeFileSync(
    check,
    `import { COMMAND_TYPES, EVENT_TYPES, ERROR_CODES } from './gigmarket.js';
import type { Command, EventKind, MarketErrorCode, TaskView } from './gigmarket.js';
const c: readonly Command['type'][] = COMMAND_TYPES;
const e: readonly EventKind['type'][] = EVENT_TYPES;
const x: readonly MarketErrorCode[] = ERROR_CODES;
// @ts-expect-error: the lists are read-only
COMMAND_TYPES.push('Deposit');
// @ts-expect-error: an event type is not a command type
const wrong: readonly Command['type'][] = EVENT_TYPES;
declare const view: TaskView;
// @ts-expect-error: not a state name
const bad: TaskView['state'] = 'Opened';
const good: TaskView['state'] = 'UnderReview';
export {};
`,
  );
  const program = ts.createProgram([check], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts', 'lib.esnext.disposable.d.ts', 'lib.dom.d.ts'],
    types: [],
    strict: true,
    noEmit: true,
    skipLibCheck: false,
  });
  const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : '';
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
  assert.deepEqual(diagnostics, []);
});

test('a variant without a doc, or one the Rust sources do not have, fails the script', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gigmarket-dts-bad-'));
  // A member no Rust enum has: non-zero exit, naming it.
  const dts = path.join(dir, 'gigmarket.d.ts');
  fs.writeFileSync(dts, out.before.replace('export type Command =', 'export type Command = { type: "Undocumented"; x: number } |'));
  const run = spawnSync(process.execPath, [SCRIPT, dts, dir], { encoding: 'utf8' });
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /"Undocumented" matches no Rust variant/);
  // A variant whose doc comment was deleted from the Rust source.
  const { rewriteDts, rustEnums } = await import(pathToFileURL(SCRIPT));
  const core = path.join(dir, 'core-src');
  fs.cpSync(path.join(ROOT, 'core/src'), core, { recursive: true });
  const command = path.join(core, 'command.rs');
  const rust = fs.readFileSync(command, 'utf8');
  fs.writeFileSync(command, rust.replace('    /// Client: add funds to its own account.\n', ''));
  const enums = rustEnums([core, path.join(ROOT, 'wasm/src')]);
  assert.throws(() => rewriteDts(out.before, enums), /variant Deposit \("Deposit"\) has no doc comment/);
});

test('the installed package exports the lists', async () => {
  const pkg = await import('gigmarket');
  const lists = await import(pathToFileURL(path.join(out.dir, 'lists.js')));
  for (const name of ['COMMAND_TYPES', 'EVENT_TYPES', 'ERROR_CODES']) assert.deepEqual([...pkg[name]], [...lists[name]]);
});
