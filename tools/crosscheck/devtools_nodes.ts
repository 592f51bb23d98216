// Runs Chrome DevTools' own heap snapshot worker (npm chrome-devtools-frontend) on a snapshot and
// writes, per node in snapshot order: id, shallow size, retained size, dominator id, distance.
// Bundled by tools/crosscheck/crosscheck with esbuild; DEVTOOLS points at the unpacked package.
//   node devtools_nodes.mjs SNAPSHOT OUT.tsv [raw]     (raw: no shallow-size reattribution)
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import {StringDecoder} from 'node:string_decoder';
import {HeapSnapshotLoader} from 'devtools/front_end/entrypoints/heap_snapshot_worker/HeapSnapshotLoader.js';
import {SecondaryInitManager, JSHeapSnapshot} from 'devtools/front_end/entrypoints/heap_snapshot_worker/HeapSnapshot.js';

// Node 20 lacks Promise.withResolvers, which the worker uses.
const P = Promise as any;
if (!P.withResolvers) {
  P.withResolvers = () => {
    let resolve: any, reject: any;
    const promise = new Promise((a, b) => { resolve = a; reject = b; });
    return {promise, resolve, reject};
  };
}

async function main(): Promise<void> {
  const [path, outPath, mode] = process.argv.slice(2);
  if (mode === 'raw') (JSHeapSnapshot.prototype as any).calculateShallowSizes = function() {};
  const loader = new HeapSnapshotLoader(undefined as any);
  // Feed the text in pieces, as DevTools does: a whole big snapshot is over V8's string limit.
  if (path.endsWith('.gz')) {
    const text = zlib.gunzipSync(fs.readFileSync(path)).toString('utf8');
    for (let i = 0; i < text.length; i += 1 << 20) loader.write(text.substring(i, i + (1 << 20)));
  } else {
    const fd = fs.openSync(path, 'r');
    const buf = Buffer.alloc(16 << 20);
    const decoder = new StringDecoder('utf8');
    for (let got; (got = fs.readSync(fd, buf, 0, buf.length, null)) > 0;) loader.write(decoder.write(buf.subarray(0, got)));
    loader.write(decoder.end());
    fs.closeSync(fd);
  }
  loader.close();
  const started = Date.now();
  const {port1, port2} = new MessageChannel();
  new SecondaryInitManager(port2 as any);
  const s: any = await loader.buildSnapshot(port1 as any);
  console.error(`devtools: analyzed in ${(Date.now() - started) / 1000} s after parsing`);
  const out = fs.openSync(outPath, 'w');
  let rows: string[] = ['id\tshallow\tretained\tdominator\tdistance'];
  const nf = s.nodeFieldCount;
  for (let o = 0; o < s.nodeCount; o++) {
    const id = s.nodes.getValue(o * nf + s.nodeIdOffset);
    const self = s.nodes.getValue(o * nf + s.nodeSelfSizeOffset);
    const dominator = s.nodes.getValue(s.dominatorsTree[o] * nf + s.nodeIdOffset);
    rows.push(`${id}\t${self}\t${s.retainedSizes[o]}\t${dominator}\t${s.nodeDistances[o]}`);
    if (rows.length >= 100000) {
      fs.writeSync(out, rows.join('\n') + '\n');
      rows = [];
    }
  }
  if (rows.length) fs.writeSync(out, rows.join('\n') + '\n');
  fs.closeSync(out);
  port1.close();
  port2.close();
}
main().catch(e => { console.error(e); process.exit(1); });
