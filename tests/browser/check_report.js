#!/usr/bin/env node
// Loads a report page in headless Chromium and checks it, with no npm package: Chromium is
// driven over the DevTools protocol on a pipe (--remote-debugging-pipe: commands on fd 3,
// replies on fd 4, each message a JSON text ended by a NUL byte).
//
//   node tests/browser/check_report.js REPORT.html EXPECTATIONS.json
//
// EXPECTATIONS.json: {"checks": [{"name": "...", "expr": "JS expression, true when fine"}],
//                     "screenshot": "out.png" (optional), "timeout_ms": 60000 (optional)}
// Each expression runs in the page after it has rendered (data-ready on <html>), in order, so an
// expression may click first and check after. Also checked, always: the page rendered, no
// exception, no console error or assert, no error logged, no request other than the file itself.
//
// Prints one JSON object: {"ok", "ready_ms", "render_ms", "checks": [{"name","ok","value"}],
// "errors": [...], "requests": [...], "screenshot"}. Exit 0 when everything passed, 1 when a
// check failed, 2 on usage or when Chromium could not be run.
"use strict";
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { pathToFileURL } = require("node:url");

const FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--disable-dev-shm-usage", "--remote-debugging-pipe", "--hide-scrollbars",
  "--window-size=1400,1000",
];

function fail(message) {
  process.stdout.write(JSON.stringify({ ok: false, errors: [message] }) + "\n");
  process.exit(2);
}

if (process.argv.length !== 4) fail("usage: check_report.js REPORT.html EXPECTATIONS.json");
const report = path.resolve(process.argv[2]);
let expect;
try {
  expect = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
} catch (e) {
  fail("cannot read expectations: " + e.message);
}
if (!fs.existsSync(report)) fail("no such report: " + report);
const chromium = process.env.CHROMIUM || "/usr/bin/chromium";
if (!fs.existsSync(chromium)) fail("no Chromium at " + chromium);

const profile = fs.mkdtempSync(path.join(os.tmpdir(), "libsnap-chromium-"));
const child = spawn(chromium, [...FLAGS, "--user-data-dir=" + profile, "about:blank"], {
  stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"],
  detached: true,  // its own process group: the renderers and zygotes go with it
});
let stderrTail = "";
child.stderr.on("data", (d) => { stderrTail = (stderrTail + d).slice(-2000); });

function cleanup() {
  try { process.kill(-child.pid, "SIGKILL"); } catch (e) { /* already gone */ }
  try { fs.rmSync(profile, { recursive: true, force: true }); } catch (e) { /* best effort */ }
}
const timeoutMs = expect.timeout_ms || 60000;
const timer = setTimeout(() => {
  process.stdout.write(JSON.stringify({ ok: false, errors: ["timed out after " + timeoutMs + " ms"],
    chromium_stderr: stderrTail }) + "\n");
  cleanup();
  process.exit(2);
}, timeoutMs);
child.on("error", (e) => { cleanup(); fail("cannot start Chromium: " + e.message); });

// The protocol: requests by id, events to listeners.
const toBrowser = child.stdio[3], fromBrowser = child.stdio[4];
let nextId = 1, buffer = Buffer.alloc(0);
const pending = new Map(), listeners = [];
fromBrowser.on("data", (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  let end;
  while ((end = buffer.indexOf(0)) >= 0) {
    const message = JSON.parse(buffer.subarray(0, end).toString("utf8"));
    buffer = buffer.subarray(end + 1);
    if (message.id !== undefined && pending.has(message.id)) {
      const { resolve, reject } = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) reject(new Error(message.error.message));
      else resolve(message.result);
    } else if (message.method) {
      for (const l of listeners) l(message);
    }
  }
});
fromBrowser.on("error", () => {});
toBrowser.on("error", () => {});
function send(method, params, sessionId) {
  const id = nextId++;
  const message = { id, method, params: params || {} };
  if (sessionId) message.sessionId = sessionId;
  toBrowser.write(JSON.stringify(message) + "\0");
  return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
}
function waitFor(predicate) {
  return new Promise((resolve) => {
    const l = (m) => {
      if (predicate(m)) {
        listeners.splice(listeners.indexOf(l), 1);
        resolve(m);
      }
    };
    listeners.push(l);
  });
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const errors = [], requests = [];
  const url = pathToFileURL(report).href;
  const { targetId } = await send("Target.createTarget", { url: "about:blank" });
  const { sessionId } = await send("Target.attachToTarget", { targetId, flatten: true });
  listeners.push((m) => {
    if (m.sessionId !== sessionId) return;
    const p = m.params;
    if (m.method === "Runtime.exceptionThrown") {
      const d = p.exceptionDetails;
      errors.push("exception: " + ((d.exception && d.exception.description) || d.text));
    } else if (m.method === "Runtime.consoleAPICalled" && (p.type === "error" || p.type === "assert")) {
      errors.push("console." + p.type + ": " + p.args.map((a) => a.value ?? a.description).join(" "));
    } else if (m.method === "Log.entryAdded" && p.entry.level === "error") {
      errors.push("log: " + p.entry.text + (p.entry.url ? " (" + p.entry.url + ")" : ""));
    } else if (m.method === "Network.requestWillBeSent") {
      if (p.request.url !== url) requests.push(p.request.url);
    }
  });
  for (const domain of ["Runtime", "Log", "Page", "Network"]) await send(domain + ".enable", {}, sessionId);
  await send("Emulation.setDeviceMetricsOverride",
    { width: 1400, height: 1000, deviceScaleFactor: 1, mobile: false }, sessionId);
  const loaded = waitFor((m) => m.sessionId === sessionId && m.method === "Page.loadEventFired");
  const nav = await send("Page.navigate", { url }, sessionId);
  if (nav.errorText) throw new Error("navigation failed: " + nav.errorText);
  await loaded;

  const evaluate = async (expression) => {
    const r = await send("Runtime.evaluate", { expression, returnByValue: true, awaitPromise: true }, sessionId);
    if (r.exceptionDetails) {
      throw new Error((r.exceptionDetails.exception && r.exceptionDetails.exception.description) ||
        r.exceptionDetails.text);
    }
    return r.result.value;
  };
  // Rendered, or an error reported: wait for either.
  let ready = null;
  for (let i = 0; i < 200 && ready === null; i++) {
    ready = await evaluate(
      "document.documentElement.getAttribute('data-ready') || (document.getElementById('error') && " +
      "!document.getElementById('error').hidden ? 'error' : null)");
    if (ready === null) await sleep(50);
  }
  const result = {
    ok: true, ready: ready === "true",
    ready_ms: Number(await evaluate("document.documentElement.getAttribute('data-ready-ms')")),
    render_ms: Number(await evaluate("document.documentElement.getAttribute('data-render-ms')")),
    checks: [], errors, requests, screenshot: null,
  };
  if (!result.ready) errors.push("the page did not finish rendering: " +
    (await evaluate("document.getElementById('error').textContent")));
  for (const check of expect.checks || []) {
    let value, ok;
    try {
      value = await evaluate(check.expr);
      ok = value === true;
    } catch (e) {
      value = "threw: " + e.message;
      ok = false;
    }
    result.checks.push({ name: check.name, ok, value });
  }
  await sleep(100);  // late console messages
  if (expect.screenshot) {
    // The whole page (up to 8000 px), not only the first screen.
    await evaluate("window.scrollTo(0, 0)");
    const metrics = await send("Page.getLayoutMetrics", {}, sessionId);
    const size = metrics.cssContentSize || metrics.contentSize;
    const shot = await send("Page.captureScreenshot", { format: "png", captureBeyondViewport: true,
      clip: { x: 0, y: 0, width: Math.ceil(size.width), height: Math.min(8000, Math.ceil(size.height)), scale: 1 } },
    sessionId);
    fs.writeFileSync(expect.screenshot, Buffer.from(shot.data, "base64"));
    result.screenshot = expect.screenshot;
  }
  result.ok = result.ready && errors.length === 0 && requests.length === 0 &&
    result.checks.every((c) => c.ok);
  await send("Browser.close").catch(() => {});
  return result;
}

main().then((result) => {
  clearTimeout(timer);
  cleanup();
  process.stdout.write(JSON.stringify(result) + "\n");
  process.exit(result.ok ? 0 : 1);
}, (e) => {
  clearTimeout(timer);
  cleanup();
  process.stdout.write(JSON.stringify({ ok: false, errors: [String(e && e.message || e)],
    chromium_stderr: stderrTail }) + "\n");
  process.exit(2);
});
