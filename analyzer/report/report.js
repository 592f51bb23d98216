// The report page: reads the data analyzer embedded in #report-data and draws every view.
//
// Safety rule: every string from a snapshot is untrusted. It reaches the page only as text:
// through text() (createTextNode, after vis() has made control and direction characters
// visible), SVG <text>/<title> textContent, or setAttribute on attributes that are neither URLs
// nor event handlers. Nothing here uses innerHTML, insertAdjacentHTML, document.write, eval, or
// an href/src built from data.
"use strict";
(function () {
  const started = performance.now();
  const SVGNS = "http://www.w3.org/2000/svg";
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const S = data.strings;
  const cur = data.current;

  // ---------------------------------------------------------------------------------------
  // Text, elements, numbers

  // C0/C1 controls, bidirectional overrides, embeddings, isolates and marks, zero-width and
  // line/paragraph separators: shown as \uXXXX so no name can hide or reorder what is around it.
  const INVISIBLE =
    /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
  function vis(s) {
    return String(s).replace(INVISIBLE, (c) =>
      "\\u" + c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0"));
  }
  function text(s) { return document.createTextNode(vis(s)); }

  const FORBIDDEN_ATTR = /^(on|href$|src$|xlink:href$|action$|formaction$|srcdoc$|style$)/i;
  function setAttrs(node, attrs) {
    for (const name in attrs) {
      if (FORBIDDEN_ATTR.test(name)) throw new Error("attribute not allowed: " + name);
      node.setAttribute(name, attrs[name] == null ? "" : String(attrs[name]));
    }
    return node;
  }
  function append(node, children) {
    for (const c of children) {
      if (c == null || c === false) continue;
      node.appendChild(typeof c === "string" || typeof c === "number" ? text(c) : c);
    }
    return node;
  }
  // el("td", {class: "text"}, "a", otherNode): an HTML element with text and children.
  function el(tag, attrs, ...children) {
    return append(setAttrs(document.createElement(tag), attrs || {}), children);
  }
  function svg(tag, attrs, ...children) {
    const node = setAttrs(document.createElementNS(SVGNS, tag), attrs || {});
    for (const c of children) {
      if (c == null) continue;
      if (typeof c === "string" || typeof c === "number") node.textContent = vis(c);
      else node.appendChild(c);
    }
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
  function $(id) { return document.getElementById(id); }

  function commas(n) { return Number(n).toLocaleString("en-US"); }
  function bytes(n) {
    const v = Math.abs(Number(n));
    const units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let x = v, u = 0;
    while (x >= 1024 && u < units.length - 1) { x /= 1024; u++; }
    const s = u === 0 ? String(v) + " B" : x.toFixed(x < 10 ? 2 : 1) + " " + units[u];
    return (n < 0 ? "-" : "") + s;
  }
  function signed(n, fmt) { return (n > 0 ? "+" : "") + fmt(n); }
  function distance(d) {
    if (d === -5) return "unreachable";
    if (d >= 100000000) return "system + " + (d - 100000000);
    return String(d);
  }
  function pct(part, whole) { return whole ? (100 * part / whole).toFixed(1) + "%" : "–"; }
  function baseName(path) { const i = path.lastIndexOf("/"); return i < 0 ? path : path.slice(i + 1); }

  // A stable colour per class name.
  function colour(name) {
    let h = 2166136261;
    for (let i = 0; i < name.length; i++) { h ^= name.charCodeAt(i); h = Math.imul(h, 16777619); }
    const hue = (h >>> 0) % 360;
    return "hsl(" + hue + ", 55%, 72%)";
  }

  // Nodes: [id, type, class, name, shallow, retained, distance]; strings by index.
  function node(r) {
    const a = data.nodes[r];
    return { ref: r, id: a[0], type: S[a[1]], cls: S[a[2]], name: S[a[3]], shallow: a[4],
      retained: a[5], distance: a[6] };
  }
  function label(n) {
    let s = n.cls;
    if (n.name && n.name !== n.cls) s += " " + (n.type === "string" || n.type === "concatenated string" ||
      n.type === "sliced string" ? JSON.stringify(n.name) : n.name);
    return s + " @" + n.id;
  }
  function snapshotName(i) {
    const p = data.snapshots[i];
    return p.label ? p.label + " (" + baseName(p.file) + ")" : baseName(p.file);
  }

  // A small sortable table: columns [{title, value(row), show(row), cls}] are given by the caller.
  function sortRows(rows, col, desc, key) {
    rows.sort((a, b) => {
      const x = key(a, col), y = key(b, col);
      const c = typeof x === "string" ? x.localeCompare(y) : x - y;
      return desc ? -c : c;
    });
  }
  function markSorted(table, col, desc) {
    for (const th of table.querySelectorAll("th")) {
      th.classList.remove("sorted-asc", "sorted-desc");
      if (Number(th.dataset.col) === col) th.classList.add(desc ? "sorted-desc" : "sorted-asc");
    }
  }

  // ---------------------------------------------------------------------------------------
  // Header and statistics

  function renderHeader() {
    const h = cur.header;
    document.title = "Heap report: " + vis(baseName(h.file));
    const n = data.snapshots.length;
    $("subtitle").appendChild(text(n > 1
      ? n + " snapshots; the single-snapshot views show the last one, " + h.file
      : h.file));
    const facts = [
      ["Total size", bytes(h.total_size)],
      ["Nodes", commas(h.node_count)],
      ["Edges", commas(h.edge_count)],
      ["Strings", commas(h.string_count)],
      ["Objects", commas(cur.classes.total_count)],
      ["File size", bytes(h.file_size)],
      ["Format", h.format],
    ];
    if (h.title) facts.push(["Title", h.title]);
    if (h.extra_native_bytes != null) facts.push(["Extra native", bytes(h.extra_native_bytes)]);
    if (n > 1) facts.push(["Snapshots", String(n)]);
    for (const [k, v] of facts) $("facts").appendChild(el("div", null, el("dt", null, k), el("dd", null, v)));
  }

  function renderStatistics() {
    const st = cur.statistics;
    const other = Math.max(0, st.v8heap - st.code - st.strings - st.js_arrays - st.system);
    const parts = [
      ["Code", st.code, "#e7a34b"], ["Strings", st.strings, "#6fb1e0"],
      ["JS arrays", st.js_arrays, "#8bc48a"], ["Typed arrays", st.typed_arrays, "#c39bd3"],
      ["System objects", st.system, "#e28b8b"], ["Other V8 heap", other, "#b8bcc6"],
      ["Other native", Math.max(0, st.native - st.typed_arrays), "#d9c77e"],
    ];
    const W = 1000, rowH = 26, top = 52;
    const root = svg("svg", { viewBox: "0 0 " + W + " " + (top + parts.length * rowH + 8), role: "img",
      "aria-label": "Statistics" });
    // One stacked bar of the total, then a bar per part.
    let x = 0;
    for (const [name, v, c] of parts) {
      const w = st.total ? (W * v) / st.total : 0;
      if (w > 0) root.appendChild(svg("rect", { x: x, y: 4, width: w, height: 22, fill: c },
        svg("title", null, name + ": " + bytes(v) + " (" + pct(v, st.total) + ")")));
      x += w;
    }
    root.appendChild(svg("text", { x: 0, y: 44, class: "muted" },
      "Total " + bytes(st.total) + " = V8 heap " + bytes(st.v8heap) + " + native " + bytes(st.native)));
    const max = Math.max(1, ...parts.map((p) => p[1]));
    parts.forEach(([name, v, c], i) => {
      const y = top + i * rowH;
      root.appendChild(svg("text", { x: 0, y: y + 15 }, name));
      root.appendChild(svg("rect", { x: 150, y: y + 4, width: Math.max(1, (600 * v) / max), height: 14, fill: c }));
      root.appendChild(svg("text", { x: 760, y: y + 15 }, bytes(v) + "  " + pct(v, st.total)));
    });
    $("stats-chart").appendChild(root);
  }

  // ---------------------------------------------------------------------------------------
  // Treemap of the dominator tree

  // tree[i] = [node, parent, more_count, more_retained, edge_count, edges, retainer_count,
  //            retainers, path]; tree[0] is the root; children come biggest first.
  const tree = cur.tree;
  const kids = tree.map(() => []);
  const treeIndexOfNode = new Map();
  tree.forEach((t, i) => {
    if (t[1] >= 0) kids[t[1]].push(i);
    treeIndexOfNode.set(t[0], i);
  });
  let zoom = 0, selected = 0;
  let TW = 1000;  // the drawing's width: the box's, in CSS pixels, so text is not stretched
  const TH = 620, MAX_TOP = 80, MAX_INNER = 40;

  function squarify(items, x, y, w, h) {
    const out = [];
    const total = items.reduce((s, it) => s + it.value, 0);
    if (!(total > 0) || w <= 0 || h <= 0) return out;
    const scale = (w * h) / total;
    let i = 0;
    while (i < items.length) {
      const side = Math.min(w, h);
      let j = i, sum = 0, min = Infinity, max = 0, best = Infinity;
      while (j < items.length) {
        const a = items[j].value * scale;
        const s = sum + a, mn = Math.min(min, a), mx = Math.max(max, a);
        const worst = Math.max((side * side * mx) / (s * s), (s * s) / (side * side * mn));
        if (j > i && worst > best) break;
        best = worst; sum = s; min = mn; max = mx; j++;
      }
      if (w >= h) {
        const cw = sum / h;
        let yy = y;
        for (let k = i; k < j; k++) {
          const hh = (items[k].value * scale) / cw;
          out.push({ item: items[k], x: x, y: yy, w: cw, h: hh });
          yy += hh;
        }
        x += cw; w -= cw;
      } else {
        const rh = sum / w;
        let xx = x;
        for (let k = i; k < j; k++) {
          const ww = (items[k].value * scale) / rh;
          out.push({ item: items[k], x: xx, y: y, w: ww, h: rh });
          xx += ww;
        }
        y += rh; h -= rh;
      }
      i = j;
    }
    return out;
  }

  // The children of tree node t as treemap items, biggest first: at most `limit` embedded
  // children, the children not embedded grouped by class, and one item for the rest (smaller
  // groups, embedded children beyond the limit, the node's own size).
  function items(t, limit) {
    const list = [];
    let rest = node(tree[t][0]).retained;
    let restCount = tree[t][2] + kids[t].length;
    for (const k of kids[t]) {
      if (list.length >= limit) break;
      const v = node(tree[k][0]).retained;
      list.push({ t: k, value: v });
      rest -= v;
      restCount--;
    }
    for (const [cls, count, retained] of tree[t][9]) {
      const v = Math.min(retained, rest);
      if (v <= 0) break;
      list.push({ t: -2, value: v, count: count, name: S[cls] });
      rest -= v;
      restCount -= count;
    }
    list.sort((a, b) => b.value - a.value);
    if (rest > 0 && list.length) list.push({ t: -1, value: rest, count: Math.max(0, restCount) });
    return list;
  }

  function fitText(s, width) {
    const chars = Math.floor(width / 6.2);
    if (chars < 3) return "";
    return s.length > chars ? s.slice(0, chars - 1) + "…" : s;
  }

  // Nested levels drawn inside each rectangle, and a bound on rectangles per drawing.
  const MAX_DEPTH = 4, MAX_RECTS = 3000;
  let drawn = 0;

  function drawRect(g, cell, depth) {
    const it = cell.item;
    if (cell.w < 1.5 || cell.h < 1.5) return;
    drawn++;
    if (it.t === -1) {
      g.appendChild(svg("rect", { x: cell.x, y: cell.y, width: cell.w, height: cell.h, class: "other" },
        svg("title", null, commas(it.count) + " smaller objects and own size: " + bytes(it.value))));
      return;
    }
    if (it.t === -2) {  // many small objects of one class, not embedded one by one
      const text = vis(it.name) + " ×" + commas(it.count);
      g.appendChild(svg("rect", { x: cell.x, y: cell.y, width: cell.w, height: cell.h, class: "group",
        fill: colour(it.name) }, svg("title", null, text + ": " + bytes(it.value) + " retained")));
      const shown = fitText(text, cell.w - 6);
      if (shown && cell.h >= 14) g.appendChild(svg("text", { x: cell.x + 3, y: cell.y + 12 }, shown));
      return;
    }
    const n = node(tree[it.t][0]);
    const rect = svg("rect", { x: cell.x, y: cell.y, width: cell.w, height: cell.h,
      fill: colour(n.cls), class: "node" + (it.t === selected ? " selected" : ""), "data-tree": it.t },
      svg("title", null, label(n) + "\nretained " + bytes(n.retained) + " (" +
        pct(n.retained, cur.header.total_size) + "), shallow " + bytes(n.shallow)));
    rect.addEventListener("click", (e) => { e.stopPropagation(); choose(it.t); });
    g.appendChild(rect);
    // A label line when there is room; the top level also gets its size.
    let header = 2;
    const name = fitText(vis(label(n)), cell.w - 6);
    if (name && cell.h >= 14) {
      g.appendChild(svg("text", { x: cell.x + 3, y: cell.y + 12, class: depth === 0 ? "head" : "" }, name));
      header = 15;
    }
    if (depth === 0 && cell.h >= 28) {
      const size = fitText(bytes(n.retained), cell.w - 6);
      if (size) { g.appendChild(svg("text", { x: cell.x + 3, y: cell.y + 25 }, size)); header = 29; }
    }
    // What it holds, inside, below the label: a bounded number of levels and rectangles (the
    // loop is over at most MAX_DEPTH levels, never over the tree's depth).
    if (depth + 1 < MAX_DEPTH && drawn < MAX_RECTS && cell.w > 24 && cell.h - header > 20 && kids[it.t].length) {
      const inner = squarify(items(it.t, depth === 0 ? MAX_INNER : 25), cell.x + 2, cell.y + header,
        cell.w - 4, cell.h - header - 2);
      for (const c of inner) drawRect(g, c, depth + 1);
    }
  }

  function renderTreemap() {
    const root = clear($("treemap"));
    TW = Math.max(320, Math.round($("treemap").getBoundingClientRect().width) || 1000);
    root.setAttribute("viewBox", "0 0 " + TW + " " + TH);
    const g = svg("g");
    drawn = 0;
    const list = items(zoom, MAX_TOP);
    if (!list.length) {
      g.appendChild(svg("text", { x: 20, y: 30 }, "Nothing below " + label(node(tree[zoom][0]))));
    }
    for (const cell of squarify(list, 0, 0, TW, TH)) drawRect(g, cell, 0);
    root.appendChild(g);
    // The trail from the root to the zoomed node.
    const chain = [];
    for (let t = zoom; t >= 0; t = tree[t][1]) chain.unshift(t);
    const crumb = clear($("breadcrumb"));
    for (const t of chain) {
      const n = node(tree[t][0]);
      const b = el("button", { class: "link", type: "button" },
        t === 0 ? "(root) " + bytes(n.retained) : label(n));
      b.addEventListener("click", () => { zoom = t; selected = t; renderTreemap(); renderPanel(); });
      crumb.appendChild(b);
    }
  }

  // Click: select the node, and zoom into it when it holds something drawn (else its parent).
  function choose(t) {
    selected = t;
    zoom = kids[t].length ? t : Math.max(0, tree[t][1]);
    renderTreemap();
    renderPanel();
  }

  function nodeButton(r) {
    const n = node(r);
    const t = treeIndexOfNode.get(r);
    if (t === undefined) return el("span", null, label(n));
    const b = el("button", { class: "link", type: "button" }, label(n));
    b.addEventListener("click", () => choose(t));
    return b;
  }

  function edgeList(title, edges, total, arrow) {
    const ul = el("ul");
    for (const [type, name, r] of edges) {
      const n = node(r);
      ul.appendChild(el("li", null, el("span", { class: "kv" }, S[type] + " "),
        el("span", { class: "mono" }, S[name]), " " + arrow + " ", nodeButton(r),
        el("span", { class: "kv" }, "  " + bytes(n.retained))));
    }
    if (total > edges.length) ul.appendChild(el("li", { class: "kv" }, "… " + commas(total - edges.length) + " more"));
    if (!total) ul.appendChild(el("li", { class: "kv" }, "none"));
    return [el("h3", null, title + " (" + commas(total) + ")"), ul];
  }

  function renderPanel() {
    const t = tree[selected];
    const n = node(t[0]);
    const panel = clear($("panel"));
    append(panel, [
      el("h3", null, selected === 0 ? "(root)" : label(n)),
      el("div", null, el("span", { class: "kv" }, "type "), n.type),
      el("div", null, el("span", { class: "kv" }, "retained "), bytes(n.retained) + " (" +
        pct(n.retained, cur.header.total_size) + ")"),
      el("div", null, el("span", { class: "kv" }, "shallow "), bytes(n.shallow)),
      el("div", null, el("span", { class: "kv" }, "distance "), distance(n.distance)),
    ]);
    if (t[8] >= 0) {
      const p = cur.paths[t[8]];
      panel.appendChild(el("h3", null, "Shortest path"));
      panel.appendChild(el("div", { class: "mono" }, p.text || p.status));
    }
    append(panel, edgeList("Retainers", t[7], t[6], "←"));
    append(panel, edgeList("Edges", t[5], t[4], "→"));
    if (t[2]) panel.appendChild(el("p", { class: "kv" }, "Dominates " + commas(t[2]) +
      " more objects not drawn, " + bytes(t[3]) + " retained."));
  }

  // ---------------------------------------------------------------------------------------
  // Class table

  const CLASS_SHOWN = 500;
  const classNameCount = new Map();
  for (const r of cur.classes.rows) classNameCount.set(r[0], (classNameCount.get(r[0]) || 0) + 1);
  let classSort = { col: 4, desc: true };
  function classKey(row, col) {
    if (col === 0) return S[row[0]].toLowerCase();
    if (col === 6) return row[4];
    return row[col];
  }
  function classMatcher(q) {
    if (!q) return () => true;
    const m = /^\/(.*)\/([imsu]*)$/.exec(q);
    if (m) {
      try { const re = new RegExp(m[1], m[2]); return (s) => re.test(s); } catch (e) { /* as text */ }
    }
    const lower = q.toLowerCase();
    return (s) => s.toLowerCase().includes(lower);
  }
  function renderClasses() {
    const q = $("class-filter").value;
    const match = classMatcher(q);
    const rows = cur.classes.rows.filter((r) => match(S[r[0]]));
    sortRows(rows, classSort.col, classSort.desc, classKey);
    markSorted($("classes"), classSort.col, classSort.desc);
    const body = clear($("classes").tBodies[0]);
    const total = cur.header.total_size;
    const maxRetained = Math.max(1, ...cur.classes.rows.slice(0, 1).map((r) => r[4]));
    const frag = document.createDocumentFragment();
    for (const r of rows.slice(0, CLASS_SHOWN)) {
      // Same-named classes from different constructors are told apart by location, as `diff`.
      const key = r[1] != null ? S[r[1]] : "";
      const name = S[r[0]] + (key && classNameCount.get(r[0]) > 1
        ? " @" + key.slice(0, key.length - S[r[0]].length - 1) : "");
      const bar = el("span", { class: "bar", "aria-hidden": "true" });
      bar.style.width = Math.max(1, Math.round((60 * r[4]) / maxRetained)) + "px";
      frag.appendChild(el("tr", null,
        el("td", { class: "text" }, name),
        el("td", null, commas(r[2])),
        el("td", null, bytes(r[3])),
        el("td", null, bytes(r[4]), bar),
        el("td", null, pct(r[4], total)),
        el("td", null, distance(r[5]))));
    }
    const o = cur.classes.others;
    if (!q && o[0] > 0) {
      frag.appendChild(el("tr", { class: "others" },
        el("td", { class: "text" }, "(" + commas(o[0]) + " smaller classes)"),
        el("td", null, commas(o[1])), el("td", null, bytes(o[2])), el("td", null, "≤ " + bytes(o[3])),
        el("td", null, ""), el("td", null, "")));
    }
    body.appendChild(frag);
    $("classes-note").textContent = rows.length > CLASS_SHOWN
      ? "Showing " + CLASS_SHOWN + " of " + commas(rows.length) + " matching classes; filter to narrow."
      : commas(rows.length) + " classes shown.";
  }
  function setupClasses() {
    $("class-filter").addEventListener("input", renderClasses);
    for (const th of $("classes").querySelectorAll("th")) {
      th.addEventListener("click", () => {
        const col = Number(th.dataset.col);
        classSort = { col: col, desc: classSort.col === col ? !classSort.desc : col !== 0 };
        renderClasses();
      });
    }
    renderClasses();
  }

  // ---------------------------------------------------------------------------------------
  // Retainer paths of the biggest objects

  function pathSteps(p) {
    const box = el("div", { class: "steps" });
    p.steps.forEach(([stepText, r], i) => {
      if (p.elided && i === p.steps.length / 2) {
        box.appendChild(el("span", { class: "step kv" }, "… " + commas(p.elided) + " steps …"));
      }
      const n = node(r);
      box.appendChild(el("span", { class: "step" }, el("span", { class: "mono" }, S[stepText]), " ",
        el("span", { class: "node" }, "(" + n.cls + " @" + n.id + ")")));
    });
    return box;
  }
  function renderPaths() {
    const list = $("paths");
    if (!cur.biggest.length) list.appendChild(el("li", { class: "kv" }, "No user objects in the tree."));
    for (const pi of cur.biggest) {
      const p = cur.paths[pi];
      const n = node(p.node);
      const li = el("li", { class: "path" }, nodeButton(p.node),
        el("span", { class: "kv" }, "  retained " + bytes(n.retained) + ", shallow " + bytes(n.shallow) +
          ", distance " + distance(n.distance)));
      if (p.status === "found") {
        li.appendChild(pathSteps(p));
      } else {
        li.appendChild(el("div", { class: "kv" }, "no path: " + p.status));
      }
      list.appendChild(li);
    }
  }

  // ---------------------------------------------------------------------------------------
  // Charts across the series

  const PALETTE = ["#2f6fde", "#d0563b", "#2e9a5a", "#9b59b6", "#d49a1f", "#17a2b8", "#7f8c8d", "#e84393"];

  // lines: [{name, values}], values per x; fmt: y formatting.
  function lineChart(xLabels, lines, fmt, height, width) {
    const W = width || 1000, H = height || 280, L = 90, R = 40, T = 14, B = 54;
    const all = lines.flatMap((l) => l.values);
    let lo = Math.min(0, ...all), hi = Math.max(1, ...all);
    if (hi === lo) hi = lo + 1;
    const X = (i) => L + (xLabels.length > 1 ? (i * (W - L - R)) / (xLabels.length - 1) : (W - L - R) / 2);
    const Y = (v) => T + (H - T - B) * (1 - (v - lo) / (hi - lo));
    const root = svg("svg", { viewBox: "0 0 " + W + " " + H, role: "img" });
    for (let k = 0; k <= 4; k++) {
      const v = lo + ((hi - lo) * k) / 4;
      root.appendChild(svg("line", { x1: L, x2: W - R, y1: Y(v), y2: Y(v), class: "axis" }));
      root.appendChild(svg("text", { x: L - 6, y: Y(v) + 4, "text-anchor": "end", class: "muted" }, fmt(v)));
    }
    xLabels.forEach((s, i) => {
      const anchor = xLabels.length > 1 && i === 0 ? "start" : i === xLabels.length - 1 && i ? "end" : "middle";
      root.appendChild(svg("text", { x: X(i), y: H - B + 18, "text-anchor": anchor, class: "muted" },
        fitText(s, (W - L - R) / Math.max(1, xLabels.length))));
    });
    lines.forEach((l, li) => {
      const c = PALETTE[li % PALETTE.length];
      const pts = l.values.map((v, i) => X(i).toFixed(1) + "," + Y(v).toFixed(1)).join(" ");
      root.appendChild(svg("polyline", { points: pts, fill: "none", stroke: c, "stroke-width": 2 }));
      l.values.forEach((v, i) => root.appendChild(svg("circle", { cx: X(i), cy: Y(v), r: 3, fill: c },
        svg("title", null, l.name + " @ " + xLabels[i] + ": " + fmt(v)))));
    });
    // Legend under the axis labels.
    let lx = L;
    lines.forEach((l, li) => {
      const name = fitText(vis(l.name), 220);
      root.appendChild(svg("rect", { x: lx, y: H - 18, width: 10, height: 10, fill: PALETTE[li % PALETTE.length] }));
      root.appendChild(svg("text", { x: lx + 14, y: H - 9 }, name));
      lx += 30 + name.length * 6.5;
    });
    return root;
  }

  function renderSeries() {
    const snaps = data.snapshots;
    const section = $("series-section");
    if (snaps.length < 2) {
      $("series-note").textContent = "One snapshot: growth needs a series (give several snapshots or --dir).";
      for (const id of ["snapshots", "totals-chart", "classes-chart"]) $(id).hidden = true;
      for (const node of section.querySelectorAll("h3, .controls")) node.hidden = true;
      return;
    }
    $("series-note").textContent = snaps.length + " snapshots of one process, in order.";
    const table = $("snapshots");
    table.appendChild(el("thead", null, el("tr", null, el("th", { class: "text" }, "#"),
      el("th", { class: "text" }, "Snapshot"), el("th", null, "Nodes"), el("th", null, "Edges"),
      el("th", null, "Objects"), el("th", null, "Total size"))));
    const body = el("tbody");
    snaps.forEach((p, i) => body.appendChild(el("tr", null, el("td", { class: "text" }, String(i)),
      el("td", { class: "text" }, snapshotName(i)), el("td", null, commas(p.node_count)),
      el("td", null, commas(p.edge_count)), el("td", null, commas(p.object_count)),
      el("td", null, bytes(p.total_size)))));
    table.appendChild(body);
    const xs = snaps.map((p, i) => p.label || String(i));
    $("totals-chart").appendChild(lineChart(xs, [{ name: "total size", values: snaps.map((p) => p.total_size) }], bytes, 220));

    const classes = data.series.classes;
    const select = $("series-classes");
    // Preselected: the classes the findings name, then those whose shallow size changed most.
    const named = new Set(data.growth ? data.growth.findings.flatMap((f) => f.classes.map((c) => c.name)) : []);
    const byChange = classes.map((c, i) => [named.has(S[c.name]) ? Infinity :
      Math.abs(c.shallow[c.shallow.length - 1] - c.shallow[0]), i])
      .sort((a, b) => b[0] - a[0]).slice(0, 6).map((x) => x[1]);
    classes.forEach((c, i) => {
      const o = el("option", { value: i }, S[c.name] + "  (" + signed(c.shallow[c.shallow.length - 1] - c.shallow[0], bytes) + ")");
      o.selected = byChange.includes(i);
      select.appendChild(o);
    });
    const draw = () => {
      const measure = $("series-measure").value;
      const chosen = Array.from(select.selectedOptions).map((o) => classes[Number(o.value)]);
      const fmt = measure === "count" ? commas : bytes;
      clear($("classes-chart")).appendChild(lineChart(xs, chosen.map((c) => ({ name: S[c.name], values: c[measure] })), fmt));
    };
    select.addEventListener("change", draw);
    $("series-measure").addEventListener("change", draw);
    draw();
  }

  // ---------------------------------------------------------------------------------------
  // Leak findings

  function renderFindings() {
    const g = data.growth;
    const note = $("findings-note");
    if (!g) {
      note.textContent = data.snapshots.length < 3
        ? "Leak findings need at least 3 snapshots of one process (a capture directory or files in order)."
        : "";
      return;
    }
    const xs = g.points.map((i) => data.snapshots[i].label || String(i));
    note.textContent = g.findings.length
      ? "What grows steadily over " + g.points.length + " snapshots, biggest growth per step first."
      : "No steady growth over " + g.points.length + " snapshots: no container or class grows in most steps.";
    for (const f of g.findings) {
      const grid = el("div", { class: "finding-grid" },
        el("div", null, "path"), el("div", null, el("code", { class: "finding-path" }, f.container.path_text)),
        el("div", null, "container"), el("div", null, f.container.class + " @" + f.container.id),
        el("div", null, "accumulates"), el("div", null, f.classes.map((c) =>
          signed(c.objects_per_step, commas) + " " + c.name + " (" + signed(c.bytes_per_step, bytes) + ")").join(", ") + " per step"),
        el("div", null, f.measure), el("div", null, f.series.map(commas).join(" → ")),
        el("div", null, "retained"), el("div", null, bytes(f.retained_bytes)));
      const chart = lineChart(xs, [{ name: f.measure, values: f.series }], commas, 170, 560);
      chart.setAttribute("class", "sparkline");
      const li = el("li", { class: "finding" },
        el("div", { class: "finding-title" }, el("span", { class: "badge" }, f.kind), f.sentence), grid, chart);
      $("findings").appendChild(li);
    }
  }

  // ---------------------------------------------------------------------------------------
  // Diff between two snapshots

  let diffSort = { col: 6, desc: true };
  function diffKey(row, col) {
    if (col === 0) return S[row[0]].toLowerCase();
    return col === 6 || col === 7 || col === 3 ? Math.abs(row[col]) : row[col];
  }
  function renderDiff() {
    const before = Number($("diff-before").value), after = Number($("diff-after").value);
    const d = data.diffs.find((x) => x.before === before && x.after === after);
    const body = clear($("diff").tBodies[0]);
    const summary = clear($("diff-summary"));
    if (!d) {
      summary.appendChild(text(before >= after
        ? "Pick an earlier snapshot as Before."
        : "This pair was not compared (a long series: each step, the first against any, any against the last)."));
      return;
    }
    summary.appendChild(text(commas(d.class_count) + " classes changed, " + commas(d.survivors) +
      " objects in both" + (d.class_count > d.rows.length ? "; the " + d.rows.length + " biggest changes shown." : ".")));
    for (const w of d.warnings) summary.appendChild(el("div", { class: "error" }, w));
    const rows = d.rows.slice();
    sortRows(rows, diffSort.col, diffSort.desc, diffKey);
    markSorted($("diff"), diffSort.col, diffSort.desc);
    const cls = (v) => (v > 0 ? "pos" : v < 0 ? "neg" : "");
    for (const r of rows) {
      body.appendChild(el("tr", null, el("td", { class: "text" }, S[r[0]]),
        el("td", null, commas(r[1])), el("td", null, commas(r[2])),
        el("td", { class: cls(r[3]) }, signed(r[3], commas)), el("td", null, bytes(r[4])),
        el("td", null, bytes(r[5])), el("td", { class: cls(r[6]) }, signed(r[6], bytes)),
        el("td", { class: cls(r[7]) }, signed(r[7], bytes)), el("td", null, commas(r[8]))));
    }
  }
  function setupDiff() {
    const n = data.snapshots.length;
    if (n < 2) {
      $("diff-note").textContent = "A diff needs two snapshots of one process.";
      $("diff").hidden = true;
      $("diff-section").querySelector(".controls").hidden = true;
      return;
    }
    $("diff-note").textContent = "Objects matched by id, as in DevTools' Comparison view, plus the retained-size delta and survivors.";
    for (const id of ["diff-before", "diff-after"]) {
      for (let i = 0; i < n; i++) $(id).appendChild(el("option", { value: i }, snapshotName(i)));
    }
    $("diff-before").value = "0";
    $("diff-after").value = String(n - 1);
    $("diff-before").addEventListener("change", renderDiff);
    $("diff-after").addEventListener("change", renderDiff);
    for (const th of $("diff").querySelectorAll("th")) {
      th.addEventListener("click", () => {
        const col = Number(th.dataset.col);
        diffSort = { col: col, desc: diffSort.col === col ? !diffSort.desc : col !== 0 };
        renderDiff();
      });
    }
    renderDiff();
  }

  // ---------------------------------------------------------------------------------------

  // Views of a series (data-series="N": they need N snapshots) are left out of a shorter report.
  function hideSeriesViews() {
    for (const node of document.querySelectorAll("[data-series]")) {
      if (data.snapshots.length < Number(node.dataset.series)) node.hidden = true;
    }
  }

  try {
    hideSeriesViews();
    renderHeader();
    renderStatistics();
    renderTreemap();
    renderPanel();
    setupClasses();
    renderPaths();
    renderFindings();
    renderSeries();
    setupDiff();
  } catch (e) {
    const box = $("error");
    box.hidden = false;
    box.textContent = "The report could not be drawn: " + e;
    throw e;
  }
  // For tests and measurements: when the page became usable.
  // data-ready-ms counts from the navigation's start (performance's time origin).
  document.documentElement.setAttribute("data-render-ms", (performance.now() - started).toFixed(1));
  document.documentElement.setAttribute("data-ready-ms", performance.now().toFixed(1));
  document.documentElement.setAttribute("data-ready", "true");
})();
