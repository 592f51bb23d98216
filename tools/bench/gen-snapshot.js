#!/usr/bin/env node
// Builds a large, realistic, deterministic application heap and writes one V8 heap snapshot of it.
//
//   node --expose-gc --max-old-space-size=16000 tools/bench/gen-snapshot.js --mb 1500 OUT
//   node --expose-gc tools/bench/gen-snapshot.js --scale 1000 --seed 7 OUT
//
// The heap imitates a server process: customers with addresses, orders, line items and a shared
// product catalog (object graphs with back-pointers, i.e. cycles); an LRU cache (a Map of entries
// that form a doubly linked list); per-customer closures and event listeners capturing state; Sets
// of tags; packed, double and holey arrays; typed arrays; a WeakMap (ephemeron edges); long linked
// lists (a chain millions of nodes deep at full size); trees with parent pointers; and strings of
// every representation V8 has: short and long flat strings, one- and two-byte (non-ASCII),
// concatenated (cons) strings, sliced strings, internalized names, numbers-as-strings.
//
// Everything comes from a seeded PRNG (mulberry32), so one seed and size always builds the same
// heap; the snapshot itself still differs by a few engine-internal nodes from run to run.
//
// --mb N      aim for a snapshot of about N MB (10^6 bytes); calibrated on node 20 (V8 11.3)
// --scale S   build S "units" (one customer and everything hanging off it) instead
// --seed N    PRNG seed (default 1)
// Prints what it built and the snapshot's size to stderr.
'use strict';

const fs = require('fs');
const v8 = require('v8');

// Snapshot bytes per unit, measured (see tools/bench/README.md); the fixed part is node's own heap.
const kBytesPerUnit = 3450;
const kBaseBytes = 2.7e6;

function usage(message) {
  if (message) process.stderr.write(`gen-snapshot: ${message}\n`);
  process.stderr.write('usage: gen-snapshot.js [--mb N | --scale S] [--seed N] OUT.heapsnapshot\n');
  process.exit(2);
}

function parseArgs(argv) {
  const args = { mb: null, scale: null, seed: 1, out: null };
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v <= 0) usage(`${a}: not a positive number: ${argv[i]}`);
      return v;
    };
    if (a === '--mb') args.mb = value();
    else if (a === '--scale') args.scale = Math.floor(value());
    else if (a === '--seed') args.seed = Math.floor(value());
    else if (a === '-h' || a === '--help') usage();
    else if (a.startsWith('-')) usage(`unknown option ${a}`);
    else if (args.out === null) args.out = a;
    else usage(`unexpected argument ${a}`);
  }
  if (args.out === null) usage('missing output path');
  if (args.scale === null) {
    const mb = args.mb === null ? 20 : args.mb;
    args.scale = Math.max(1, Math.round((mb * 1e6 - kBaseBytes) / kBytesPerUnit));
  }
  return args;
}

function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---- the application's classes ------------------------------------------------------------------

class Address {
  constructor(street, city, zip, country) {
    this.street = street;
    this.city = city;
    this.zip = zip;
    this.country = country;
  }
}

class Customer {
  constructor(id, name, email, address) {
    this.id = id;
    this.name = name;
    this.email = email;
    this.address = address;
    this.orders = [];
    this.tags = new Set();
    this.scores = [];
    this.listeners = null;
    this.profile = null;
  }
}

// A subclass, so some objects have a longer prototype chain and another map.
class PremiumCustomer extends Customer {
  constructor(id, name, email, address, tier) {
    super(id, name, email, address);
    this.tier = tier;
    this.discount = 0.05 * tier;
  }
}

class Product {
  constructor(sku, title, description, price) {
    this.sku = sku;
    this.title = title;
    this.description = description;
    this.price = price;
    this.related = [];
  }
}

class LineItem {
  constructor(product, qty) {
    this.product = product;
    this.qty = qty;
    this.price = product.price * qty;
  }
}

class Order {
  constructor(id, customer, status) {
    this.id = id;
    this.customer = customer;  // back-pointer: customer.orders[i].customer === customer
    this.items = [];
    this.status = status;
    this.total = 0.5;  // a double: kept as a heap number once it is not a Smi
    this.note = null;
  }
}

class CacheEntry {
  constructor(key, value) {
    this.key = key;
    this.value = value;
    this.hits = 0;
    this.prev = null;
    this.next = null;
  }
}

// LRU cache: Map for lookup, a doubly linked list for recency (prev/next cycles).
class LruCache {
  constructor() {
    this.map = new Map();
    this.head = null;
    this.tail = null;
  }
  set(key, value) {
    const e = new CacheEntry(key, value);
    this.map.set(key, e);
    e.prev = this.tail;
    if (this.tail) this.tail.next = e;
    else this.head = e;
    this.tail = e;
  }
  touch(key) {
    const e = this.map.get(key);
    if (!e || e === this.tail) return;
    if (e.prev) e.prev.next = e.next;
    else this.head = e.next;
    e.next.prev = e.prev;
    e.prev = this.tail;
    e.next = null;
    this.tail.next = e;
    this.tail = e;
    e.hits++;
  }
}

class ListNode {
  constructor(value, next) {
    this.value = value;
    this.next = next;
  }
}

class TreeNode {
  constructor(label, parent) {
    this.label = label;
    this.parent = parent;  // cycle with parent.children
    this.children = [];
  }
}

class EventBus {
  constructor() {
    this.handlers = new Map();
  }
  on(topic, fn) {
    let list = this.handlers.get(topic);
    if (!list) this.handlers.set(topic, (list = []));
    list.push(fn);
  }
}

// ---- strings ------------------------------------------------------------------------------------

const kSyllables = ['ka', 'to', 'mi', 'ra', 'ne', 'lo', 'su', 'vi', 'den', 'mar', 'sel', 'bro',
                    'an', 'el', 'is', 'or', 'ul', 'quin', 'tha', 'zor'];
const kAccented = ['é', 'ü', 'ñ', 'ø', 'ç', 'å', 'ß'];             // Latin-1: one-byte strings
const kCjk = ['日本', '語', '東京', '北京', 'ソウル', 'Москва', 'Αθήνα'];  // two-byte strings
const kCities = ['Lyon', 'Zürich', 'Kraków', 'São Paulo', 'Reykjavík', 'Osaka', 'Austin', 'Cork'];
const kStatuses = ['new', 'paid', 'shipped', 'delivered', 'returned', 'cancelled'];
const kTagWords = ['vip', 'newsletter', 'wholesale', 'b2b', 'churn-risk', 'beta', 'eu', 'us',
                   'apac', 'mobile', 'desktop', 'gift', 'student', 'staff'];
const kTopics = ['update', 'delete', 'login', 'logout', 'purchase'];

function makeText(rnd, words) {
  const parts = [];
  for (let i = 0; i < words; ++i) {
    let w = '';
    const n = 1 + Math.floor(rnd() * 3);
    for (let j = 0; j < n; ++j) w += kSyllables[Math.floor(rnd() * kSyllables.length)];
    parts.push(w);
  }
  return parts.join(' ');  // a flat sequential string
}

function makeName(rnd) {
  let first = kSyllables[Math.floor(rnd() * kSyllables.length)] +
              kSyllables[Math.floor(rnd() * kSyllables.length)];
  const r = rnd();
  if (r < 0.1) first += kAccented[Math.floor(rnd() * kAccented.length)];
  else if (r < 0.15) first = kCjk[Math.floor(rnd() * kCjk.length)] + first;
  const last = kSyllables[Math.floor(rnd() * kSyllables.length)] +
               kSyllables[Math.floor(rnd() * kSyllables.length)] +
               kSyllables[Math.floor(rnd() * kSyllables.length)];
  // Capitalized pieces joined at run time: a cons string when long enough (>= 13 chars).
  return first[0].toUpperCase() + first.slice(1) + ' ' + last[0].toUpperCase() + last.slice(1) +
         ' #' + Math.floor(rnd() * 1000);
}

// ---- building the heap --------------------------------------------------------------------------

function build(scale, rnd) {
  const app = {
    customers: [],
    byEmail: new Map(),
    emails: new Set(),
    catalog: [],
    catalogBySku: new Map(),
    cache: new LruCache(),
    bus: new EventBus(),
    meta: new WeakMap(),
    journal: null,  // one long singly linked list: the deepest path in the graph
    queues: [],     // several shorter lists
    trees: [],
    metrics: [],
    blobs: [],
    corpus: [],  // long strings, and sliced strings pointing into them
    misc: [],
  };

  // The product catalog: shared by all orders (many retainers per product).
  const catalogSize = Math.max(16, Math.floor(scale / 25));
  for (let i = 0; i < catalogSize; ++i) {
    const sku = 'SKU-' + (100000 + i).toString(36).toUpperCase();
    const long = rnd() < 0.05;
    const description = makeText(rnd, long ? 300 : 6 + Math.floor(rnd() * 10));  // some > 1024
    const p = new Product(sku, makeText(rnd, 2), description, 1 + Math.floor(rnd() * 50000) / 100);
    app.catalog.push(p);
    app.catalogBySku.set(sku, p);
  }
  for (let i = 0; i < catalogSize; ++i) {
    const p = app.catalog[i];
    for (let k = 0; k < 3; ++k) p.related.push(app.catalog[Math.floor(rnd() * catalogSize)]);
  }

  // Long source texts, and sliced strings (substring >= 13 chars) pointing into them.
  for (let i = 0; i < Math.max(4, Math.floor(scale / 2000)); ++i) {
    app.corpus.push(makeText(rnd, 500 + Math.floor(rnd() * 500)));
  }

  for (let q = 0; q < 8; ++q) app.queues.push({ name: 'queue-' + q, head: null, length: 0 });

  let orderId = 1;
  for (let i = 0; i < scale; ++i) {
    const address = new Address(
        Math.floor(rnd() * 999) + ' ' + makeText(rnd, 2) + ' St.',
        kCities[Math.floor(rnd() * kCities.length)], String(10000 + Math.floor(rnd() * 89999)),
        rnd() < 0.5 ? 'FR' : 'JP');
    const name = makeName(rnd);
    const email = name.toLowerCase().replace(/[^a-z]+/g, '.') + i + '@example.com';
    const c = rnd() < 0.1 ? new PremiumCustomer(i, name, email, address, 1 + Math.floor(rnd() * 3))
                          : new Customer(i, name, email, address);
    app.customers.push(c);
    app.byEmail.set(email, c);
    app.emails.add(email);

    // Tags: a Set of internalized strings from a small vocabulary.
    const nTags = Math.floor(rnd() * 4);
    for (let t = 0; t < nTags; ++t) c.tags.add(kTagWords[Math.floor(rnd() * kTagWords.length)]);

    // Scores: packed Smi arrays, some double arrays, some holey arrays.
    const nScores = 2 + Math.floor(rnd() * 6);
    const r = rnd();
    for (let s = 0; s < nScores; ++s) {
      c.scores.push(r < 0.6 ? Math.floor(rnd() * 100) : rnd() * 100);
    }
    if (r > 0.9) c.scores[nScores + 3] = 1;  // holey

    // A plain object with a dictionary-mode sometimes (many properties added then deleted).
    if (rnd() < 0.3) {
      const profile = { createdBy: 'import', locale: rnd() < 0.5 ? 'fr-FR' : 'ja-JP', visits: i };
      if (rnd() < 0.1) {
        for (let k = 0; k < 12; ++k) profile['field' + k] = k;
        delete profile.field3;
      }
      c.profile = profile;
    }

    // Orders with line items referencing shared products; orders point back to the customer.
    const nOrders = Math.floor(rnd() * 4);
    for (let o = 0; o < nOrders; ++o) {
      const order = new Order(orderId++, c, kStatuses[Math.floor(rnd() * kStatuses.length)]);
      const nItems = 1 + Math.floor(rnd() * 3);
      let total = 0;
      for (let k = 0; k < nItems; ++k) {
        const item = new LineItem(app.catalog[Math.floor(rnd() * catalogSize)],
                                  1 + Math.floor(rnd() * 5));
        order.items.push(item);
        total += item.price;
      }
      order.total = total + 0.25;
      if (rnd() < 0.2) {
        // A sliced string into a long corpus text.
        const text = app.corpus[Math.floor(rnd() * app.corpus.length)];
        const from = Math.floor(rnd() * (text.length - 80));
        order.note = text.substring(from, from + 20 + Math.floor(rnd() * 50));
      }
      c.orders.push(order);
    }

    // Closures capturing per-customer state (a Context per call), registered as listeners.
    if (rnd() < 0.5) {
      let seen = 0;
      const topic = kTopics[Math.floor(rnd() * kTopics.length)];
      const handler = (event) => {
        seen++;
        return c.id + seen + event.length;
      };
      app.bus.on(topic, handler);
      c.listeners = [handler];
      if (rnd() < 0.2) c.listeners.push(handler.bind(null, topic));  // a bound function
    }

    // The LRU cache holds a third of the customers, keyed by a concatenated string.
    if (i % 3 === 0) app.cache.set('customer:' + i + ':' + c.address.zip, c);
    if (i > 10 && rnd() < 0.1) {
      const k = Math.floor(rnd() * (i / 3)) * 3;
      app.cache.touch('customer:' + k + ':' + app.customers[k].address.zip);
    }

    // WeakMap entries (ephemerons): customer -> audit record.
    if (rnd() < 0.2) app.meta.set(c, { audited: true, by: 'job-' + (i % 17) });

    // Linked lists: one long journal chain, and round-robin queues.
    app.journal = new ListNode(i, app.journal);
    if (rnd() < 0.5) {
      const q = app.queues[i % app.queues.length];
      q.head = new ListNode({ customer: c, at: i }, q.head);
      q.length++;
    }

    // Trees with parent pointers.
    if (i % 50 === 0) app.trees.push(new TreeNode('tree-' + i, null));
    const tree = app.trees[app.trees.length - 1];
    let parent = tree;
    while (parent.children.length > 0 && rnd() < 0.6) {
      parent = parent.children[Math.floor(rnd() * parent.children.length)];
    }
    parent.children.push(new TreeNode(c.name.slice(0, 4), parent));

    // Typed arrays (JSArrayBuffer + backing store) and misc values.
    if (i % 8 === 0) {
      const m = new Float64Array(8);
      for (let k = 0; k < 8; ++k) m[k] = rnd();
      app.metrics.push(m);
    }
    if (i % 32 === 0) app.blobs.push(new Uint8Array(64 + (i % 7) * 16));
    if (i % 1000 === 0) {
      app.misc.push(BigInt(i) * 1000000007n, Symbol('sym-' + i), new RegExp('^cust-' + i + '$'),
                    new Date(1700000000000 + i), [1.5, 'mixed', null, undefined, c], 'v' + i);
    }
  }
  return app;
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const t0 = process.hrtime.bigint();
  globalThis.benchApp = build(args.scale, mulberry32(args.seed));
  const t1 = process.hrtime.bigint();
  if (typeof global.gc === 'function') global.gc();
  const heap = process.memoryUsage().heapUsed;
  const tmp = args.out + '.tmp';
  v8.writeHeapSnapshot(tmp);
  fs.renameSync(tmp, args.out);
  const t2 = process.hrtime.bigint();
  const size = fs.statSync(args.out).size;
  process.stderr.write(
      `gen-snapshot: node ${process.version} (V8 ${process.versions.v8}), seed ${args.seed}, ` +
      `scale ${args.scale}: heap ${(heap / 1e6).toFixed(1)} MB built in ` +
      `${(Number(t1 - t0) / 1e9).toFixed(1)} s; snapshot ${(size / 1e6).toFixed(1)} MB written in ` +
      `${(Number(t2 - t1) / 1e9).toFixed(1)} s -> ${args.out}\n`);
}

main();
