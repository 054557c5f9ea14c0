// newsgraph explorer, the timeline strip under the graph (SVG): each source article as a tick at its date, talks
// and agreements as marks, each strike as a bar from its first to its last day (with no reported end: a solid
// start, then faint up to the last article that mentions it). Dragging across the strip brushes a date range;
// a click on a bar selects its union, on a mark its link. Every attribute is set on the elements themselves, so
// the strip is also a picture on its own (PNG).
var NewsgraphTimeline = (function () {
  "use strict";
  var SVG_NS = "http:\/\/www.w3.org/2000/svg";
  var DAY = 864e5;
  var HEIGHT = 124, GUTTER = 64, AXIS = 18;
  var ROWS = {ticks: 6, marks: 24, lanes: 38};
  var COLOURS = {strike: "#e15759", talks: "#4e79a7", agreement: "#59a14f", tick: "#666", grid: "#eeeeee"};
  var FONT = "system-ui, sans-serif";

  // "YYYY-MM-DD" or "YYYY-MM" as days since 1970; a month is its first day, or its last day when it ends a span
  function day(text, asEnd) {
    var p = text.split("-").map(Number);
    if (p.length === 2) return (asEnd ? Date.UTC(p[0], p[1], 0) : Date.UTC(p[0], p[1] - 1, 1)) / DAY;
    return Date.UTC(p[0], p[1] - 1, p[2]) / DAY;
  }
  function iso(d) { return new Date(Math.round(d) * DAY).toISOString().slice(0, 10); }

  function svg(tag, attrs, parent) {
    var node = document.createElementNS(SVG_NS, tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    if (parent) parent.appendChild(node);
    return node;
  }
  // an element's tooltip, made when the pointer first comes over it (thousands of <title> elements cost time)
  function titled(node, text) { node.newsgraphTitle = text; return node; }
  function addTitle(event) {
    var node = event.target;
    if (node.newsgraphTitle && !node.firstChild) svg("title", {}, node).textContent = node.newsgraphTitle;
  }

  function ticks(from, to, width) {  // axis ticks: a calendar step that leaves about 90 px per label
    var steps = [[1, "day"], [7, "day"], [1, "month"], [3, "month"], [6, "month"], [1, "year"], [2, "year"],
                 [5, "year"], [10, "year"], [50, "year"]];
    var span = to - from, room = Math.max(1, Math.floor(width / 90)), found = [];
    for (var s = 0; s < steps.length; s++) {
      var n = steps[s][0], unit = steps[s][1];
      var approx = unit === "day" ? n : unit === "month" ? 30.4 * n : 365.25 * n;
      if (span / approx > room && s < steps.length - 1) continue;
      var d = new Date(Math.floor(from) * DAY), t;
      if (unit === "day") t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
      else if (unit === "month") t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - d.getUTCMonth() % n, 1);
      else t = Date.UTC(d.getUTCFullYear() - d.getUTCFullYear() % n, 0, 1);
      for (var guard = 0; guard < 200; guard++) {
        var at = t / DAY, date = new Date(t);
        if (at > to) break;
        if (at >= from) found.push({day: at, text: unit === "day" ? iso(at) : unit === "month" ? iso(at).slice(0, 7) : String(date.getUTCFullYear())});
        if (unit === "day") t += n * DAY;
        else if (unit === "month") t = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + n, 1);
        else t = Date.UTC(date.getUTCFullYear() + n, 0, 1);
      }
      return found;
    }
    return found;
  }

  function create(container, data, hooks) {
    var articles = data.articles, line = data.timeline, labels = {};
    data.nodes.forEach(function (n) { labels[n.id] = n.label; });
    // a strike still on runs to the last article that reports it, and an arrowhead says it goes on
    var strikes = line.strikes.map(function (s) {
      var from = s.start ? day(s.start) : day(s.end, true), seen = from;
      s.docs.forEach(function (d) { if (articles[d].date) seen = Math.max(seen, day(articles[d].date)); });
      return {row: s, from: from, to: s.end ? day(s.end, true) : null, seen: seen};
    });
    var marks = line.marks.map(function (m) { return {row: m, at: day(m.date)}; });
    var dated = articles.filter(function (a) { return a.date; }).map(function (a) { return day(a.date); });
    strikes.forEach(function (s) { dated.push(s.from); if (s.to !== null) dated.push(s.to); });
    marks.forEach(function (m) { dated.push(m.at); });
    var lo = Math.min.apply(null, dated), hi = Math.max.apply(null, dated);
    if (dated.length && hi - lo < 30) { lo -= 15; hi += 15; }
    var pad = (hi - lo) * 0.03, domain = [lo - pad, hi + pad];
    var root = svg("svg", {width: 10, height: HEIGHT, "font-family": FONT, "font-size": 11}, container);
    root.style.display = "block";
    var status = document.createElement("div");
    status.className = "range";
    container.appendChild(status);
    root.addEventListener("pointerover", addTitle);
    var measured = -1, width = 0, range = null, passing = null, highlighted = null, elements = {bars: [], marks: [], ticks: []};

    function x(d) { return GUTTER + (d - domain[0]) / (domain[1] - domain[0]) * (width - GUTTER - 8); }
    function dayAt(px) { return domain[0] + (px - GUTTER) / (width - GUTTER - 8) * (domain[1] - domain[0]); }
    function passes(docs) { return !passing || docs.some(function (d) { return passing[d]; }); }

    function stop(s) { return Math.max(x(s.to === null ? s.seen : s.to), x(s.from) + 3); }

    function lanes() {  // greedy: each strike in the first lane free at its start
      var ends = [], lane = [];
      strikes.forEach(function (s, i) {
        var start = x(s.from), end = stop(s) + (s.to === null ? 8 : 0);
        var k = ends.findIndex(function (end) { return end + 3 <= start; });
        if (k < 0) { k = ends.length; ends.push(0); }
        ends[k] = end; lane[i] = k;
      });
      return {lane: lane, count: ends.length};
    }

    function render() {
      measured = container.clientWidth;
      width = Math.max(measured, GUTTER + 60);
      root.setAttribute("width", width);
      root.setAttribute("viewBox", "0 0 " + width + " " + HEIGHT);
      while (root.firstChild) root.removeChild(root.firstChild);
      elements = {bars: [], marks: [], ticks: []};
      svg("rect", {x: 0, y: 0, width: width, height: HEIGHT, fill: "#ffffff"}, root);
      var bottom = HEIGHT - AXIS;
      [["articles", ROWS.ticks + 9], ["talks, deals", ROWS.marks + 4], ["strikes", ROWS.lanes + 9]].forEach(function (r) {
        svg("text", {x: 4, y: r[1], fill: "#777"}, root).textContent = r[0];
      });
      if (!dated.length) {
        svg("text", {x: GUTTER, y: HEIGHT / 2, fill: "#777"}, root).textContent = "No dated articles or strikes in this view.";
        return;
      }
      ticks(domain[0], domain[1], width - GUTTER).forEach(function (t) {
        svg("line", {x1: x(t.day), x2: x(t.day), y1: 2, y2: bottom, stroke: COLOURS.grid}, root);
        if (x(t.day) + 7 * t.text.length < width) svg("text", {x: x(t.day) + 2, y: HEIGHT - 5, fill: "#555"}, root).textContent = t.text;
      });
      svg("line", {x1: GUTTER, x2: width - 8, y1: bottom, y2: bottom, stroke: "#999"}, root);
      articles.forEach(function (a, i) {
        if (!a.date) return;
        var at = x(day(a.date)), tick = titled(svg("line", {x1: at, x2: at, y1: ROWS.ticks, y2: ROWS.ticks + 10,
          stroke: COLOURS.tick, "stroke-width": 1.5, "class": "article", "data-doc": i, "data-date": a.date}, root),
          a.date + " \u00b7 " + a.title);
        elements.ticks.push([tick, [i]]);
      });
      marks.forEach(function (m) {
        var at = x(m.at), y = ROWS.marks, row = m.row, node;
        if (row.kind === "talks") node = svg("path", {d: "M" + at + " " + (y - 5) + "l5 5l-5 5l-5-5z", fill: "#ffffff",
          stroke: COLOURS.talks, "stroke-width": 1.5}, root);
        else node = svg("circle", {cx: at, cy: y, r: 4.5, fill: COLOURS.agreement, stroke: "#2f6b2a"}, root);
        node.setAttribute("class", "mark " + row.kind);
        node.setAttribute("data-date", row.date);
        var doc = articles[row.doc];
        titled(node, (row.kind === "talks" ? "Talks: " : "Agreement: ") + (labels[row.from] || "") + " \u2013 " +
          (labels[row.to] || "") + " \u00b7 " + row.date + (doc ? " \u00b7 " + doc.title : ""));
        node.addEventListener("pointerdown", function (event) { event.stopPropagation(); });
        node.addEventListener("click", function () { if (row.edge) hooks.openEdge(row.edge); else hooks.select(row.from); });
        elements.marks.push([node, row.doc >= 0 ? [row.doc] : []]);
      });
      var packed = lanes(), room = bottom - 4 - ROWS.lanes;
      var laneH = Math.max(3, Math.min(13, room / Math.max(packed.count, 1)));
      var shown = Math.max(1, Math.floor(room / laneH));
      strikes.forEach(function (s, i) {
        var row = s.row, start = x(s.from), end = stop(s);
        var y = ROWS.lanes + (packed.lane[i] % shown) * laneH, h = Math.max(2, laneH - 2);
        // a strike with no reported end: a solid start, then faint up to the last article that mentions it
        var bar = svg("rect", {x: start, y: y, width: end - start, height: h, rx: Math.min(3, h / 2),
          fill: COLOURS.strike, "fill-opacity": s.to === null ? 0.35 : 1, "class": "strike" + (s.to === null ? " open" : ""),
          "data-union": row.union, "data-start": row.start || "", "data-end": row.end || ""}, root);
        if (s.to === null) svg("rect", {x: start, y: y, width: Math.min(6, end - start), height: h, rx: Math.min(3, h / 2),
          fill: COLOURS.strike, "pointer-events": "none"}, root);
        titled(bar, row.label + " on strike " + (row.start ? "from " + row.start : "(start not reported)") +
          (row.end ? " to " + row.end : ", still on") + " \u00b7 " + row.docs.length + " article" + (row.docs.length === 1 ? "" : "s"));
        bar.style.cursor = "pointer";
        bar.addEventListener("pointerdown", function (event) { event.stopPropagation(); });
        bar.addEventListener("click", function () { hooks.select(row.union); });
        elements.bars.push([bar, row.docs, row.union]);
        if (s.to === null) svg("path", {d: "M" + (end + 1) + " " + y + "l6 " + h / 2 + "l-6 " + h / 2 + "z", fill: COLOURS.strike,
          "fill-opacity": 0.6, "pointer-events": "none"}, root);
        if (h >= 10) {
          var text = svg("text", {x: start + 3, y: y + h - 2, fill: s.to === null ? "#7a1f20" : "#ffffff", "font-size": 10,
            "pointer-events": "none"}, root);
          text.textContent = row.label;
          if (text.getComputedTextLength() > end - start - 6) root.removeChild(text);
        }
      });
      brush = svg("rect", {x: 0, y: 2, width: 0, height: bottom - 2, fill: "rgba(78,121,167,0.16)", stroke: "#4e79a7",
        "pointer-events": "none", visibility: "hidden", "class": "brush"}, root);
      paint();
    }

    var brush = null;
    function paint() {  // dim what the article filter leaves out; draw the brush and the selection
      elements.ticks.concat(elements.marks).forEach(function (e) { e[0].setAttribute("opacity", passes(e[1]) ? 1 : 0.25); });
      elements.bars.forEach(function (e) {
        e[0].setAttribute("opacity", passes(e[1]) ? 1 : 0.3);
        e[0].setAttribute("stroke", e[2] === highlighted ? "#000000" : "none");
        e[0].setAttribute("stroke-width", 1.5);
      });
      if (brush) {
        brush.setAttribute("visibility", range ? "visible" : "hidden");
        if (range) { brush.setAttribute("x", x(range[0])); brush.setAttribute("width", Math.max(1, x(range[1] + 1) - x(range[0]))); }
      }
      status.textContent = "";
      if (range) {
        status.appendChild(document.createTextNode(iso(range[0]) + " \u2013 " + iso(range[1]) + " "));
        var clear = document.createElement("button");
        clear.type = "button"; clear.textContent = "\u00d7"; clear.title = "Show every date";
        clear.addEventListener("click", function () { setRange(null); });
        status.appendChild(clear);
      }
    }

    function setRange(next) {
      range = next;
      paint();
      hooks.range(range);
    }

    var drag = null;
    root.addEventListener("pointerdown", function (event) {
      if (event.button !== 0 || !dated.length) return;
      var box = root.getBoundingClientRect();
      drag = {from: event.clientX - box.left};
      root.setPointerCapture(event.pointerId);
    });
    root.addEventListener("pointermove", function (event) {
      if (!drag) return;
      var box = root.getBoundingClientRect(), at = event.clientX - box.left;
      brush.setAttribute("visibility", "visible");
      brush.setAttribute("x", Math.min(drag.from, at));
      brush.setAttribute("width", Math.abs(at - drag.from));
    });
    root.addEventListener("pointerup", function (event) {
      if (!drag) return;
      var box = root.getBoundingClientRect(), at = event.clientX - box.left, from = drag.from;
      drag = null;
      if (Math.abs(at - from) < 4) { setRange(null); return; }
      setRange([Math.floor(dayAt(Math.min(from, at))), Math.floor(dayAt(Math.max(from, at)))]);
    });
    if (window.ResizeObserver) new ResizeObserver(function () { if (container.clientWidth !== measured) render(); }).observe(container);
    render();

    return {
      element: root,
      range: function () { return range ? [iso(range[0]), iso(range[1])] : null; },
      setRange: function (from, to) { setRange(from === null ? null : [day(from), day(to)]); },
      setPassing: function (mask) { passing = mask; paint(); },
      highlight: function (id) { highlighted = id; paint(); },
      x: function (text, asEnd) { return x(day(text, asEnd)); },
      day: day,
      bars: function () {
        return elements.bars.map(function (e) {
          var b = e[0];
          return {union: b.getAttribute("data-union"), start: b.getAttribute("data-start") || null,
                  end: b.getAttribute("data-end") || null, x: +b.getAttribute("x"), width: +b.getAttribute("width"),
                  y: +b.getAttribute("y"), height: +b.getAttribute("height")};
        });
      }
    };
  }

  return {create: create, day: day};
})();
