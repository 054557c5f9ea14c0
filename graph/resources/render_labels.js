// newsgraph explorer, labels by level of detail. Each frame the scene asks where labels go: most important first
// (the selection, the node under the pointer, the selection's neighbours, then by rank), each at a readable size
// in screen pixels and where it overlaps no label already placed and no node drawn big enough, or not at all.
// A node's label appears when it ranks among the first ALWAYS shown, among the next as many as the screen holds
// (LABEL_AREA each), or when its node is drawn at least LABEL_RADIUS big; a link's name when the link is long
// enough on screen; a quotation when zoomed in or selected.
var NewsgraphLabels = (function () {
  "use strict";
  var LABEL_RADIUS = 7;         // screen px: a node drawn at least this big may carry its label
  var ALWAYS = 10;              // the first ALWAYS visible nodes by rank are labelled at any zoom, room permitting
  var LABEL_AREA = 16000;       // screen px^2 per label: the next nodes by rank may be labelled up to this density
  var OBSTACLE_RADIUS = 2.5;    // screen px: nodes drawn at least this big keep labels off themselves
  var LINK_LABEL_SCALE = 0.55;  // zoom from which link names may be written
  var QUOTE_SCALE = 0.9;        // zoom from which quotations are written out
  var LABEL_CHARS = 34;
  var FONT = "system-ui, sans-serif";
  var REL_WORDS = {issuesStatement: "said"};

  function fontPx(rank) { return rank < 3 ? 15 : rank < 10 ? 14 : rank < 40 ? 13 : 12; }
  function relWord(rel) { return REL_WORDS[rel] || rel; }
  function clip(text, chars) { return text.length <= chars ? text : text.slice(0, chars - 1) + "\u2026"; }

  // Boxes placed this frame, hashed by screen cell, so "is this box free?" looks at a few neighbours only.
  function Grid(cell) { this.cell = cell; this.cells = new Map(); }
  Grid.prototype.keys = function (b, visit) {
    var c = this.cell;
    for (var i = Math.floor(b.x / c); i <= Math.floor((b.x + b.w) / c); i++) {
      for (var j = Math.floor(b.y / c); j <= Math.floor((b.y + b.h) / c); j++) {
        if (visit(i + ":" + j) === false) return false;
      }
    }
    return true;
  };
  // Whether nothing placed overlaps b: no label, and no node marker unless labelsOnly (but never its own node's).
  Grid.prototype.free = function (b, owner, labelsOnly) {
    var cells = this.cells;
    return this.keys(b, function (key) {
      var list = cells.get(key);
      if (!list) return true;
      for (var k = 0; k < list.length; k++) {
        var o = list[k];
        if (o.owner !== undefined && (o.owner === owner || labelsOnly)) continue;
        if (b.x < o.x + o.w && o.x < b.x + b.w && b.y < o.y + o.h && o.y < b.y + b.h) return false;
      }
      return true;
    });
  };
  Grid.prototype.add = function (b) {
    var cells = this.cells;
    this.keys(b, function (key) { if (!cells.has(key)) cells.set(key, []); cells.get(key).push(b); });
  };

  // Where labels go this frame. `scene` is the drawing's state: nodes, edges, nodeOn, edgeOn, byRank,
  // neighbours, selected, hovered, size, scale, and sx, sy, radius, point, textWidth.
  function place(scene) {
    var nodes = scene.nodes, edges = scene.edges, nodeOn = scene.nodeOn, edgeOn = scene.edgeOn;
    var byRank = scene.byRank, neighbours = scene.neighbours, selected = scene.selected, hovered = scene.hovered;
    var size = scene.size, scale = scene.scale, sx = scene.sx, sy = scene.sy, radius = scene.radius;
    var point = scene.point, textWidth = scene.textWidth, drawn = [];

    function inside(b) { return b.x >= 2 && b.y >= 2 && b.x + b.w <= size.w - 2 && b.y + b.h <= size.h - 2; }

    function placeNodeLabel(grid, i, n, force) {
      var px = fontPx(n.rank), full = force || i === selected.node;
      var text = full ? n.label : clip(n.label, LABEL_CHARS), lw = textWidth(text, px), lh = Math.round(px * 1.3);
      var x = sx(n.x), y = sy(n.y), r = radius(n), d = r * 0.72;
      var spots = [[x - lw / 2, y + r + 2], [x - lw / 2, y - r - 2 - lh], [x + r + 4, y - lh / 2], [x - r - 4 - lw, y - lh / 2],
                   [x + d + 2, y + d], [x - d - 2 - lw, y + d], [x + d + 2, y - d - lh], [x - d - 2 - lw, y - d - lh]];
      if (force) {  // further out, with a leader line back to the node
        var far = r + lh * 1.6;
        spots.push([x - lw / 2, y + far], [x - lw / 2, y - far - lh], [x + far, y - lh / 2], [x - far - lw, y - lh / 2],
                   [x + far * 0.8, y + far * 0.8], [x - far * 0.8 - lw, y + far * 0.8],
                   [x + far * 0.8, y - far * 0.8 - lh], [x - far * 0.8 - lw, y - far * 0.8 - lh]);
      }
      // a label that must be shown may cover small nodes when every spot clear of them is taken
      for (var pass = 0; pass < (force ? 2 : 1); pass++) {
        for (var k = 0; k < spots.length; k++) {
          var box = {x: spots[k][0], y: spots[k][1], w: lw, h: lh};
          if (inside(box) && grid.free(box, i, pass === 1)) {
            grid.add(box);
            drawn.push({kind: "node", id: n.id, text: text, px: px, x: box.x, y: box.y, w: lw, h: lh,
                        bold: i === selected.node, leader: k >= 8 ? [x, y, r] : null});
            return true;
          }
        }
      }
      return false;
    }

    function wrap(text, px, width, maxLines) {
      var words = text.split(/\s+/), lines = [], line = "";
      for (var k = 0; k < words.length; k++) {
        var next = line ? line + " " + words[k] : words[k];
        if (line && textWidth(next, px) > width) { lines.push(line); line = words[k]; } else line = next;
        if (lines.length === maxLines) break;
      }
      if (lines.length < maxLines && line) lines.push(line);
      if (lines.length === maxLines && lines.join(" ").length < text.length) {
        var last = lines[maxLines - 1];
        while (last.length > 1 && textWidth(last + "\u2026", px) > width) last = last.slice(0, -1);
        lines[maxLines - 1] = last + "\u2026";
      }
      return lines;
    }

    function placeQuote(grid, i, n) {
      var px = 12, lh = Math.round(px * 1.3), pad = 5, lines = wrap("\u201c" + n.names[0] + "\u201d", px, 230, i === selected.node ? 8 : 4);
      var w = Math.max.apply(null, lines.map(function (l) { return textWidth(l, px); })) + 2 * pad, h = lines.length * lh + 2 * pad;
      var x = sx(n.x), y = sy(n.y), r = radius(n) * 1.3 + 3;
      var spots = [[x + r, y - h / 2], [x - r - w, y - h / 2], [x - w / 2, y + r], [x - w / 2, y - r - h]];
      for (var k = 0; k < spots.length; k++) {
        var box = {x: spots[k][0], y: spots[k][1], w: w, h: h};
        if ((inside(box) || i === selected.node) && grid.free(box, i)) {
          grid.add(box);
          drawn.push({kind: "quote", id: n.id, lines: lines, px: px, x: box.x, y: box.y, w: w, h: h, pad: pad, lh: lh});
          return;
        }
      }
    }

    function placeEdgeLabels(grid) {
      if (scale < LINK_LABEL_SCALE) return;
      for (var i = 0; i < edges.length; i++) {
        if (!edgeOn[i]) continue;
        var e = edges[i], a = nodes[e.a], b = nodes[e.b], p = point(i, 0.5);
        var x = sx(p.x), y = sy(p.y), text = relWord(e.rel), px = 11;
        if (x < 0 || y < 0 || x > size.w || y > size.h) continue;
        var lw = textWidth(text, px), lh = 14, length = Math.hypot(sx(a.x) - sx(b.x), sy(a.y) - sy(b.y));
        if (length < lw + radius(a) + radius(b) + 16) continue;
        var box = {x: x - lw / 2, y: y - lh / 2, w: lw, h: lh};
        if (inside(box) && grid.free(box)) {
          grid.add(box);
          drawn.push({kind: "edge", id: e.id, text: text, px: px, x: box.x, y: box.y, w: lw, h: lh});
        }
      }
    }


    var grid = new Grid(64), done = new Uint8Array(nodes.length), order = [], i, k, n, x, y, r;
    for (i = 0; i < nodes.length; i++) {  // node markers first: a label never hides a node drawn big enough
      if (!nodeOn[i]) continue;
      n = nodes[i]; r = radius(n); x = sx(n.x); y = sy(n.y);
      if (r >= OBSTACLE_RADIUS && x > -r && y > -r && x < size.w + r && y < size.h + r) {
        grid.add({x: x - r, y: y - r, w: 2 * r, h: 2 * r, owner: i});
      }
    }
    [selected.node, hovered.node].forEach(function (j) { if (j >= 0) order.push([j, 2]); });
    if (selected.node >= 0) {
      neighbours[selected.node].forEach(function (j) {
        var e = edges[j]; if (edgeOn[j]) order.push([e.a === selected.node ? e.b : e.a, 2]);
      });
    }
    // by rank among the nodes shown: the first ALWAYS at any zoom, the next up to a density, the rest when big
    var ranked = 0, budget = ALWAYS + Math.floor(size.w * size.h / LABEL_AREA);
    for (k = 0; k < byRank.length; k++) {
      i = byRank[k];
      if (!nodeOn[i] || nodes[i].cls === "Statement") { order.push([i, 0]); continue; }
      order.push([i, ranked < ALWAYS ? 2 : ranked < budget ? 1 : 0]);
      ranked++;
    }
    for (k = 0; k < order.length; k++) {
      i = order[k][0];
      if (done[i] || !nodeOn[i]) continue;
      n = nodes[i]; x = sx(n.x); y = sy(n.y);
      if (x < -40 || y < -40 || x > size.w + 40 || y > size.h + 40) continue;
      if (n.cls === "Statement") {
        if (i === selected.node || scale >= QUOTE_SCALE) { done[i] = 1; placeQuote(grid, i, n); }
        continue;
      }
      if (!order[k][1] && radius(n) < LABEL_RADIUS) continue;
      done[i] = 1;
      placeNodeLabel(grid, i, n, order[k][1] === 2);
    }
    placeEdgeLabels(grid);
    return drawn;
  }

  function draw(ctx, drawn) {
    ctx.textBaseline = "top"; ctx.textAlign = "left"; ctx.lineJoin = "round";
    ctx.lineWidth = 1; ctx.strokeStyle = "#999";
    drawn.forEach(function (l) {
      if (!l.leader) return;
      var cx = Math.max(l.x, Math.min(l.leader[0], l.x + l.w)), cy = Math.max(l.y, Math.min(l.leader[1], l.y + l.h));
      var dx = cx - l.leader[0], dy = cy - l.leader[1], d = Math.hypot(dx, dy) || 1;
      ctx.beginPath();
      ctx.moveTo(l.leader[0] + dx / d * (l.leader[2] + 1), l.leader[1] + dy / d * (l.leader[2] + 1));
      ctx.lineTo(cx, cy);
      ctx.stroke();
    });
    drawn.forEach(function (l) {
      if (l.kind === "quote") {
        ctx.fillStyle = "#fffbe6"; ctx.strokeStyle = "#c9b458"; ctx.lineWidth = 1;
        ctx.fillRect(l.x, l.y, l.w, l.h); ctx.strokeRect(l.x + 0.5, l.y + 0.5, l.w - 1, l.h - 1);
        ctx.font = l.px + "px " + FONT; ctx.fillStyle = "#333";
        l.lines.forEach(function (line, k) { ctx.fillText(line, l.x + l.pad, l.y + l.pad + k * l.lh + 1); });
        return;
      }
      ctx.font = (l.bold ? "bold " : "") + l.px + "px " + FONT;
      ctx.lineWidth = 3; ctx.strokeStyle = "rgba(255,255,255,0.92)";
      ctx.strokeText(l.text, l.x, l.y + 1);
      ctx.fillStyle = l.kind === "edge" ? "#666" : "#222";
      ctx.fillText(l.text, l.x, l.y + 1);
    });
  }

  return {place: place, draw: draw, FONT: FONT};
})();
