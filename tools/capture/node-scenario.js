#!/usr/bin/env node
// Runs a snapcapture scenario script under Node, as a second producer of the same snapshot series:
//   node --expose-gc tools/capture/node-scenario.js SCRIPT.js --out DIR [--rounds N]
//        [--max-seconds S] [--force] [-- ARGS...]
// Same protocol, file layout and manifest as `snapcapture scenario` (see tools/capture/modes.cpp):
// setup() -> baseline, action(1) -> target, cleanup(1) -> final, then action(R) + cleanup(R) ->
// round-R for R = 2..N-2: N snapshots in all (--rounds N, default 3). Each step's promise is awaited and then the event loop runs until no timers
// remain. Snapshots are written with v8.writeHeapSnapshot to a temporary file, fsync'd and renamed.
// Exit codes as snapcapture: 2 usage / unreadable script, 3 JavaScript error, 4 write failure,
// 5 --max-seconds reached (the series is incomplete).
'use strict';

const fs = require('fs');
const path = require('path');
const v8 = require('v8');
const vm = require('vm');

const EXIT_USAGE = 2;
const EXIT_SCRIPT = 3;
const EXIT_WRITE = 4;
const EXIT_LIMIT = 5;

function die(code, message) {
  process.stderr.write('node-scenario: ' + message + '\n');
  process.exit(code);
}

function usage() {
  return 'usage: node --expose-gc tools/capture/node-scenario.js SCRIPT.js --out DIR ' +
         '[--rounds N] [--max-seconds S] [--force] [-- ARGS...]\n';
}

function parseArgs(argv) {
  const opts = { script: null, out: null, rounds: 3, maxSeconds: 0, force: false, scriptArgs: [] };
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    if (arg === '--') { opts.scriptArgs = argv.slice(i + 1); break; }
    if (arg === '--help' || arg === '-h') { process.stdout.write(usage()); process.exit(0); }
    let value;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) { value = arg.slice(eq + 1); arg = arg.slice(0, eq); }
    const take = () => {
      if (value === undefined) value = argv[++i];
      if (value === undefined || value === '') die(EXIT_USAGE, 'option ' + arg + ' needs a value');
      return value;
    };
    if (arg === '--out') opts.out = take();
    else if (arg === '--rounds') {
      const text = take();
      if (!/^[0-9]+$/.test(text)) die(EXIT_USAGE, 'option --rounds needs a whole number');
      opts.rounds = Number(text);
      if (opts.rounds < 3) die(EXIT_USAGE, 'option --rounds must be at least 3 (baseline, target, final)');
    } else if (arg === '--max-seconds') {
      opts.maxSeconds = Number(take());
      if (!(opts.maxSeconds > 0)) die(EXIT_USAGE, 'option --max-seconds needs a positive number of seconds');
    } else if (arg === '--force') opts.force = true;
    else if (arg.startsWith('-') && arg.length > 1) die(EXIT_USAGE, "unknown option '" + arg + "'");
    else if (opts.script === null) opts.script = arg;
    else die(EXIT_USAGE, "unexpected argument '" + arg + "'");
  }
  if (opts.script === null) die(EXIT_USAGE, 'missing SCRIPT.js\n' + usage());
  if (opts.out === null) die(EXIT_USAGE, 'missing --out DIR\n' + usage());
  return opts;
}

// Writes `bytes` or the output of `produce(tmpPath)` to `file` atomically: temp file, fsync, rename.
function atomicWrite(file, produce) {
  const tmp = path.join(path.dirname(file), '.' + path.basename(file) + '.tmp');
  try {
    produce(tmp);
    const fd = fs.openSync(tmp, 'r+');
    try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
    fs.renameSync(tmp, file);
    const dir = fs.openSync(path.dirname(file), 'r');
    try { fs.fsyncSync(dir); } catch (e) { /* durability only */ } finally { fs.closeSync(dir); }
  } catch (e) {
    try { fs.unlinkSync(tmp); } catch (ignored) { /* nothing to remove */ }
    die(EXIT_WRITE, 'cannot write ' + file + ': ' + e.message);
  }
}

function fileLabel(label) {
  const s = String(label).replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64);
  return s === '' ? 'snapshot' : s;
}

function manifestJson(m, snapshots) {
  const head = JSON.stringify({
    producer: m.producer, v8_version: m.v8_version, script: m.script, mode: m.mode,
    rounds: m.rounds, complete: m.complete, snapshots: [] });
  const entries = snapshots.map((e) => JSON.stringify(e));
  const body = entries.length === 0 ? '[]' : '[\n  ' + entries.join(',\n  ') + '\n]';
  return head.slice(0, head.length - '[]}'.length) + body + '}\n';
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  let source;
  try {
    source = fs.readFileSync(opts.script, 'utf8');
  } catch (e) {
    die(EXIT_USAGE, 'cannot read script ' + opts.script + ': ' + e.message);
  }

  // Output directory: created if missing; an earlier capture is an error unless --force.
  try {
    fs.mkdirSync(opts.out, { recursive: true });
  } catch (e) {
    die(EXIT_WRITE, 'cannot create output directory ' + opts.out + ': ' + e.message);
  }
  const earlier = fs.readdirSync(opts.out).filter((name) =>
    name.endsWith('.heapsnapshot') || name.endsWith('.heapsnapshot.tmp') ||
    name === 'manifest.json' || name === '.manifest.json.tmp');
  if (earlier.length > 0 && !opts.force) {
    die(EXIT_USAGE, 'output directory ' + opts.out + ' already holds a capture (' + earlier[0] +
        '); use an empty directory or pass --force to replace it');
  }
  for (const name of earlier) fs.rmSync(path.join(opts.out, name), { force: true });

  // The list of snapshots lives in manifest.json only, read back before each addition: an array
  // kept in this process would gain an entry per round in the very heap being measured (a
  // one-entry-per-step "leak" of the harness that a zero budget would report).
  const manifest = {
    producer: 'node', v8_version: process.versions.v8, script: path.resolve(opts.script),
    mode: 'scenario', rounds: opts.rounds, complete: false };
  const manifestPath = path.join(opts.out, 'manifest.json');
  const writtenSnapshots = () => JSON.parse(fs.readFileSync(manifestPath, 'utf8')).snapshots;
  const writeManifest = (snapshots) => atomicWrite(manifestPath,
    (tmp) => fs.writeFileSync(tmp, manifestJson(manifest, snapshots)));
  writeManifest([]);

  const gc = typeof global.gc === 'function' ? global.gc
    : (v8.setFlagsFromString('--expose-gc'), vm.runInNewContext('gc'));
  let round = 0;
  let snapshotCount = 0;
  function snapshot(label) {
    gc();
    gc();
    const stats = v8.getHeapStatistics();
    const index = snapshotCount++;
    const file = String(index).padStart(2, '0') + '-' + fileLabel(label) + '.heapsnapshot';
    const full = path.join(opts.out, file);
    atomicWrite(full, (tmp) => v8.writeHeapSnapshot(tmp));
    const snapshots = writtenSnapshots();  // (only now: not on the stack of the snapshot itself)
    snapshots.push({
      index, label: String(label), round, file, bytes: fs.statSync(full).size,
      used_heap_size: stats.used_heap_size, total_heap_size: stats.total_heap_size,
      external_memory: stats.external_memory !== undefined ? stats.external_memory
                                                          : process.memoryUsage().external });
    writeManifest(snapshots);
    process.stderr.write('node-scenario: wrote ' + full + '\n');
    return full;
  }

  // The host API scenario scripts may use (shared with snapcapture).
  global.print = (...args) => console.log(...args);
  global.snapshot = snapshot;
  global.scriptArgs = opts.scriptArgs;

  const fail = (err, during) => {
    const text = err && err.stack ? err.stack : String(err);
    die(EXIT_SCRIPT, 'Uncaught ' + text + (during ? '\n(during ' + during + ')' : ''));
  };
  process.on('uncaughtException', (err) => fail(err));
  process.on('unhandledRejection', (err) => fail(err, 'a promise'));

  try {
    vm.runInThisContext(source, { filename: opts.script });
  } catch (e) {
    fail(e);
  }
  if (typeof global.action !== 'function') {
    die(EXIT_SCRIPT, opts.script + ': a scenario script must define function action(round) ' +
        '(and setup(), optionally cleanup(round))');
  }

  const timersPending = () => typeof process.getActiveResourcesInfo === 'function' &&
    process.getActiveResourcesInfo().includes('Timeout');
  // Resolves once no timers are left. Waits on an unref'd timer (not counted as pending, and the
  // pending ones keep the process alive) rather than spinning on setImmediate.
  async function idle() {
    await new Promise((resolve) => setImmediate(resolve));
    while (timersPending()) await new Promise((resolve) => setTimeout(resolve, 1).unref());
  }
  let current = 'the script';
  if (opts.maxSeconds > 0) {
    setTimeout(() => die(EXIT_LIMIT, '--max-seconds ' + opts.maxSeconds + ' reached during ' +
                         current + '; the series is incomplete (' + snapshotCount +
                         ' snapshot(s) written)'), opts.maxSeconds * 1000).unref();
  }
  async function step(name, r) {
    const fn = global[name];
    if (fn === undefined) return;
    if (typeof fn !== 'function') die(EXIT_SCRIPT, opts.script + ': `' + name + '` must be a function');
    const during = name + '(' + (r > 0 ? r : '') + ')';
    current = during;
    try {
      await (r > 0 ? fn(r) : fn());
    } catch (e) {
      fail(e, during);
    }
    await idle();
  }

  (async () => {
    await idle();
    round = 0;
    await step('setup', 0);
    snapshot('baseline');
    round = 1;
    await step('action', 1);
    snapshot('target');
    await step('cleanup', 1);
    snapshot('final');
    for (let r = 2; r + 2 <= opts.rounds; r++) {
      round = r;
      await step('action', r);
      await step('cleanup', r);
      snapshot('round-' + r);
    }
    manifest.complete = true;
    writeManifest(writtenSnapshots());
  })();
}

main();
