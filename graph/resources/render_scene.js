// newsgraph explorer, the graph view: nodes and links drawn on one canvas from the fixed positions in the data,
// labels placed by NewsgraphLabels, and pointer input turned into pan, zoom, drag, hover and click. Nodes of one
// class are one path, links of one style another, so thousands of them draw in a few milliseconds; a node is
// never drawn smaller than MIN_RADIUS screen pixels, and below 3 pixels it is a square dot.
var NewsgraphScene = (function () {
  "use strict";
  var MIN_RADIUS = 1.6;         // screen px: the smallest a node is drawn

  function shapePath(ctx, shape, x, y, r) {
    var k, a;
    switch (shape) {
      case "square": ctx.rect(x - r * 0.88, y - r * 0.88, r * 1.76, r * 1.76); break;
      case "diamond": ctx.moveTo(x, y - r * 1.15); ctx.lineTo(x + r * 1.15, y); ctx.lineTo(x, y + r * 1.15);
        ctx.lineTo(x - r * 1.15, y); ctx.closePath(); break;
      case "triangle": ctx.moveTo(x, y - r * 1.15); ctx.lineTo(x + r, y + r * 0.7); ctx.lineTo(x - r, y + r * 0.7);
        ctx.closePath(); break;
      case "triangleDown": ctx.moveTo(x, y + r * 1.15); ctx.lineTo(x + r, y - r * 0.7);
        ctx.lineTo(x - r, y - r * 0.7); ctx.closePath(); break;
      case "hexagon": for (k = 0; k < 6; k++) { a = Math.PI / 3 * k; ctx[k ? "lineTo" : "moveTo"](x + r * Math.cos(a), y + r * Math.sin(a)); }
        ctx.closePath(); break;
      case "star": for (k = 0; k < 10; k++) { a = Math.PI / 5 * k - Math.PI / 2; var rr = k % 2 ? r * 0.5 : r * 1.1;
        ctx[k ? "lineTo" : "moveTo"](x + rr * Math.cos(a), y + rr * Math.sin(a)); }
        ctx.closePath(); break;
      case "bubble": ctx.moveTo(x - r * 1.3, y - r * 0.9); ctx.lineTo(x + r * 1.3, y - r * 0.9); ctx.lineTo(x + r * 1.3, y + r * 0.5);
        ctx.lineTo(x - r * 0.2, y + r * 0.5); ctx.lineTo(x - r * 0.8, y + r * 1.1); ctx.lineTo(x - r * 0.7, y + r * 0.5);
        ctx.lineTo(x - r * 1.3, y + r * 0.5); ctx.closePath(); break;
      default: ctx.moveTo(x + r, y); ctx.arc(x, y, r, 0, 2 * Math.PI);
    }
  }

  function create(container, data, styles) {
    var canvas = document.createElement("canvas");
    container.appendChild(canvas);
    var ctx = canvas.getContext("2d");
    var nodes = data.nodes, edges = data.edges;
    var index = new Map();
    nodes.forEach(function (n, i) { index.set(n.id, i); });
    edges.forEach(function (e) { e.a = index.get(e.from); e.b = index.get(e.to); });
    var byRank = nodes.map(function (n, i) { return i; }).sort(function (p, q) { return nodes[p].rank - nodes[q].rank; });
    var neighbours = nodes.map(function () { return []; });
    edges.forEach(function (e, i) { neighbours[e.a].push(i); neighbours[e.b].push(i); });
    var nodeOn = new Uint8Array(nodes.length).fill(1), edgeOn = new Uint8Array(edges.length).fill(1);
    var view = {scale: 1, x: 0, y: 0}, size = {w: 0, h: 0, ratio: 1};
    var selected = {node: -1, edge: -1}, hovered = {node: -1, edge: -1};
    var drawn = [], widths = new Map(), listeners = {}, frame = 0, animation = 0;

    function emit(name, arg) { (listeners[name] || []).forEach(function (f) { f(arg); }); }
    function sx(x) { return x * view.scale + view.x; }
    function sy(y) { return y * view.scale + view.y; }
    function radius(n) { return Math.max(n.size * view.scale, MIN_RADIUS); }

    function resize() {
      size.w = container.clientWidth; size.h = container.clientHeight; size.ratio = window.devicePixelRatio || 1;
      canvas.width = Math.max(1, Math.round(size.w * size.ratio));
      canvas.height = Math.max(1, Math.round(size.h * size.ratio));
      canvas.style.width = size.w + "px"; canvas.style.height = size.h + "px";
    }

    // --- drawing -------------------------------------------------------------------------------------------
    function curve(e) {  // control point of a bent link (the second and later between one pair), else null
      if (!e.parallel) return null;
      var a = nodes[e.a], b = nodes[e.b], dx = b.x - a.x, dy = b.y - a.y;
      var bend = 0.25 * Math.ceil(e.parallel / 2) * (e.parallel % 2 ? 1 : -1);
      return {x: (a.x + b.x) / 2 - dy * bend, y: (a.y + b.y) / 2 + dx * bend};
    }

    function arrow(path, tipX, tipY, fromX, fromY, r) {
      var dx = tipX - fromX, dy = tipY - fromY, len = Math.hypot(dx, dy) || 1, ux = dx / len, uy = dy / len;
      var x = tipX - ux * r, y = tipY - uy * r, s = Math.min(9, 9 * view.scale + 3);
      path.moveTo(x, y);
      path.lineTo(x - ux * s - uy * s * 0.45, y - uy * s + ux * s * 0.45);
      path.lineTo(x - ux * s + uy * s * 0.45, y - uy * s - ux * s * 0.45);
      path.closePath();
    }

    function drawEdges() {
      var paths = {plain: new Path2D(), dashed: new Path2D(), strong: new Path2D(), strongDashed: new Path2D()};
      var heads = {plain: new Path2D(), strong: new Path2D()};
      var arrows = view.scale >= 0.3, w = size.w, h = size.h;
      for (var i = 0; i < edges.length; i++) {
        if (!edgeOn[i]) continue;
        var e = edges[i], a = nodes[e.a], b = nodes[e.b];
        var ax = sx(a.x), ay = sy(a.y), bx = sx(b.x), by = sy(b.y), c = curve(e);
        if ((ax < 0 && bx < 0) || (ax > w && bx > w) || (ay < 0 && by < 0) || (ay > h && by > h)) {
          if (!c) continue;
        }
        var strong = i === selected.edge || i === hovered.edge || e.a === selected.node || e.b === selected.node;
        var key = strong ? "strong" : "plain";
        var path = paths[e.rel === "issuesStatement" ? (strong ? "strongDashed" : "dashed") : key];
        path.moveTo(ax, ay);
        var cx = bx, cy = by;
        if (c) { cx = sx(c.x); cy = sy(c.y); path.quadraticCurveTo(cx, cy, bx, by); }
        else path.lineTo(bx, by);
        if (arrows) {
          arrow(heads[key], bx, by, c ? cx : ax, c ? cy : ay, radius(b) + 1);
          if (e.symmetric) arrow(heads[key], ax, ay, c ? cx : bx, c ? cy : by, radius(a) + 1);
        }
      }
      ctx.lineWidth = Math.min(2, Math.max(0.6, 1.2 * view.scale));
      [["plain", "#a0a0a0", false], ["dashed", "#a0a0a0", true], ["strong", "#333", false], ["strongDashed", "#333", true]]
        .forEach(function (spec) {
          ctx.strokeStyle = spec[1];
          ctx.setLineDash(spec[2] ? [5, 4] : []);
          ctx.stroke(paths[spec[0]]);
        });
      ctx.setLineDash([]);
      ctx.fillStyle = "#a0a0a0"; ctx.fill(heads.plain);
      ctx.fillStyle = "#333"; ctx.fill(heads.strong);
    }

    function drawNodes() {
      var groups = new Map(), w = size.w, h = size.h;
      for (var i = 0; i < nodes.length; i++) {
        if (!nodeOn[i]) continue;
        var n = nodes[i], x = sx(n.x), y = sy(n.y), r = radius(n);
        if (x < -r * 2 || y < -r * 2 || x > w + r * 2 || y > h + r * 2) continue;
        if (!groups.has(n.cls)) groups.set(n.cls, {shapes: new Path2D(), dots: new Path2D()});
        if (r < 3) groups.get(n.cls).dots.rect(x - r, y - r, 2 * r, 2 * r);  // too small to tell shapes apart
        else shapePath(groups.get(n.cls).shapes, styles[n.cls].shape, x, y, r);
      }
      ctx.lineWidth = 1;
      groups.forEach(function (paths, cls) {
        var s = styles[cls];
        ctx.fillStyle = s.colour;
        ctx.fill(paths.dots);  // a border would hide a dot's colour
        ctx.fill(paths.shapes);
        ctx.strokeStyle = cls === "Statement" ? "#b09a3a" : "#555";
        ctx.setLineDash(s.dashed ? [3, 2] : []);
        ctx.stroke(paths.shapes);
      });
      ctx.setLineDash([]);
      [[hovered.node, 2, "#555"], [selected.node, 3, "#000"]].forEach(function (spec) {
        if (spec[0] < 0 || !nodeOn[spec[0]]) return;
        var n = nodes[spec[0]], path = new Path2D();
        shapePath(path, styles[n.cls].shape, sx(n.x), sy(n.y), radius(n) + 1);
        ctx.lineWidth = spec[1]; ctx.strokeStyle = spec[2]; ctx.stroke(path);
      });
    }

    function textWidth(text, px) {
      var key = px + "|" + text, width = widths.get(key);
      if (width === undefined) {
        ctx.font = px + "px " + NewsgraphLabels.FONT;
        width = ctx.measureText(text).width;
        widths.set(key, width);
      }
      return width;
    }

    function draw() {
      if (frame) cancelAnimationFrame(frame);
      frame = 0;
      ctx.setTransform(size.ratio, 0, 0, size.ratio, 0, 0);
      ctx.clearRect(0, 0, size.w, size.h);
      drawEdges();
      drawNodes();
      drawn = NewsgraphLabels.place({
        nodes: nodes, edges: edges, nodeOn: nodeOn, edgeOn: edgeOn, byRank: byRank, neighbours: neighbours,
        selected: selected, hovered: hovered, size: size, scale: view.scale, sx: sx, sy: sy, radius: radius,
        point: point, textWidth: textWidth
      });
      NewsgraphLabels.draw(ctx, drawn);
      emit("drawn");
    }

    function redraw() { if (!frame) frame = requestAnimationFrame(draw); }

    // --- geometry ------------------------------------------------------------------------------------------
    function point(i, t) {  // a point along link i, in graph coordinates
      var e = edges[i], a = nodes[e.a], b = nodes[e.b], c = curve(e);
      if (!c) return {x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t};
      var u = 1 - t;
      return {x: u * u * a.x + 2 * u * t * c.x + t * t * b.x, y: u * u * a.y + 2 * u * t * c.y + t * t * b.y};
    }

    function nodeAt(x, y) {
      var best = -1, bestD = Infinity;
      for (var i = 0; i < nodes.length; i++) {
        if (!nodeOn[i]) continue;
        var n = nodes[i], d = Math.hypot(sx(n.x) - x, sy(n.y) - y);
        if (d <= Math.max(radius(n), 4) + 2 && d <= bestD) { best = i; bestD = d; }
      }
      return best;
    }

    function edgeAt(x, y) {
      var best = -1, bestD = 5;
      for (var i = 0; i < edges.length; i++) {
        if (!edgeOn[i]) continue;
        var prev = point(i, 0), steps = edges[i].parallel ? 12 : 1;
        for (var k = 1; k <= steps; k++) {
          var next = point(i, k / steps), ax = sx(prev.x), ay = sy(prev.y), bx = sx(next.x), by = sy(next.y);
          var dx = bx - ax, dy = by - ay, len = dx * dx + dy * dy;
          var t = len ? Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / len)) : 0;
          var d = Math.hypot(ax + t * dx - x, ay + t * dy - y);
          if (d < bestD) { best = i; bestD = d; }
          prev = next;
        }
      }
      return best;
    }

    function fitView() {
      var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      nodes.forEach(function (n, i) {
        if (!nodeOn[i]) return;
        x0 = Math.min(x0, n.x - n.size); y0 = Math.min(y0, n.y - n.size);
        x1 = Math.max(x1, n.x + n.size); y1 = Math.max(y1, n.y + n.size);
      });
      if (x0 === Infinity) return {scale: 1, x: size.w / 2, y: size.h / 2};
      var pad = 36, scale = Math.min((size.w - 2 * pad) / Math.max(x1 - x0, 1), (size.h - 2 * pad) / Math.max(y1 - y0, 1));
      scale = Math.max(0.005, Math.min(scale, 1.5));
      return {scale: scale, x: size.w / 2 - (x0 + x1) / 2 * scale, y: size.h / 2 - (y0 + y1) / 2 * scale};
    }

    function moveTo(target, duration) {
      cancelAnimationFrame(animation);
      if (!duration) { view.scale = target.scale; view.x = target.x; view.y = target.y; redraw(); return; }
      var from = {scale: view.scale, x: view.x, y: view.y}, start = performance.now();
      (function step(now) {
        var t = Math.min(1, (now - start) / duration), k = t < 0.5 ? 2 * t * t : 1 - Math.pow(-2 * t + 2, 2) / 2;
        view.scale = from.scale + (target.scale - from.scale) * k;
        view.x = from.x + (target.x - from.x) * k; view.y = from.y + (target.y - from.y) * k;
        draw();
        if (t < 1) animation = requestAnimationFrame(step);
      })(start);
    }

    function zoomAt(x, y, factor) {
      var scale = Math.max(0.005, Math.min(view.scale * factor, 8));
      view.x = x - (x - view.x) * scale / view.scale; view.y = y - (y - view.y) * scale / view.scale;
      view.scale = scale;
      redraw();
    }

    // --- pointer input -------------------------------------------------------------------------------------
    var press = null;
    function local(event) { var box = canvas.getBoundingClientRect(); return {x: event.clientX - box.left, y: event.clientY - box.top}; }
    canvas.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) return;
      var p = local(event);
      press = {x: p.x, y: p.y, node: nodeAt(p.x, p.y), moved: false};
      canvas.setPointerCapture(event.pointerId);
    });
    canvas.addEventListener("pointermove", function (event) {
      var p = local(event);
      if (press) {
        if (!press.moved && Math.hypot(p.x - press.x, p.y - press.y) < 4) return;
        if (press.node >= 0) {
          var n = nodes[press.node];
          n.x = (p.x - view.x) / view.scale; n.y = (p.y - view.y) / view.scale;
        } else {
          view.x += p.x - (press.last || press).x; view.y += p.y - (press.last || press).y;
        }
        press.moved = true; press.last = p;
        emit("hover", null);
        redraw();
        return;
      }
      var node = nodeAt(p.x, p.y), edge = node < 0 ? edgeAt(p.x, p.y) : -1;
      if (node !== hovered.node || edge !== hovered.edge) {
        hovered.node = node; hovered.edge = edge;
        canvas.style.cursor = node >= 0 || edge >= 0 ? "pointer" : "default";
        redraw();
      }
      emit("hover", node >= 0 ? {node: nodes[node], x: event.clientX, y: event.clientY} : null);
    });
    canvas.addEventListener("pointerup", function (event) {
      if (!press) return;
      var p = local(event), was = press;
      press = null;
      if (was.moved) return;
      var node = nodeAt(p.x, p.y), edge = node < 0 ? edgeAt(p.x, p.y) : -1;
      emit("click", node >= 0 ? {node: nodes[node].id} : edge >= 0 ? {edge: edges[edge].id} : {});
    });
    canvas.addEventListener("pointerleave", function () {
      if (hovered.node >= 0 || hovered.edge >= 0) { hovered.node = -1; hovered.edge = -1; redraw(); }
      emit("hover", null);
    });
    canvas.addEventListener("wheel", function (event) {
      event.preventDefault();
      var p = local(event);
      zoomAt(p.x, p.y, Math.exp(-event.deltaY * (event.deltaMode ? 0.05 : 0.0015)));
    }, {passive: false});
    if (window.ResizeObserver) {
      new ResizeObserver(function () {
        var w = size.w, h = size.h;
        if (container.clientWidth === w && container.clientHeight === h) return;
        resize();
        view.x += (size.w - w) / 2; view.y += (size.h - h) / 2;  // keep the centre where it was
        draw();
      }).observe(container);
    }

    resize();
    return {
      canvas: canvas,
      on: function (name, f) { (listeners[name] = listeners[name] || []).push(f); },
      draw: draw,
      redraw: redraw,
      view: function () { return {scale: view.scale, x: view.x, y: view.y}; },
      fit: function (duration) { moveTo(fitView(), duration || 0); },
      focus: function (id, scale, duration) {
        var n = nodes[index.get(id)];
        if (!n) return;
        moveTo({scale: scale, x: size.w / 2 - n.x * scale, y: size.h / 2 - n.y * scale}, duration || 0);
      },
      zoom: function (factor) { zoomAt(size.w / 2, size.h / 2, factor); },
      setVisible: function (nodeMask, edgeMask) { nodeOn = nodeMask; edgeOn = edgeMask; redraw(); },
      select: function (id) {
        selected.node = id && index.has(id) ? index.get(id) : -1;
        selected.edge = -1;
        edges.forEach(function (e, i) { if (e.id === id) selected.edge = i; });
        redraw();
      },
      selection: function () { return selected.node >= 0 ? [nodes[selected.node].id] : []; },
      // page coordinates of a node, or of a point along a link (for tests and the tooltip)
      nodePoint: function (id) {
        var n = nodes[index.get(id)], box = canvas.getBoundingClientRect();
        return {x: box.left + sx(n.x), y: box.top + sy(n.y)};
      },
      edgePoint: function (id, t) {
        var i = edges.findIndex(function (e) { return e.id === id; }), p = point(i, t), box = canvas.getBoundingClientRect();
        return {x: box.left + sx(p.x), y: box.top + sy(p.y)};
      },
      labels: function () {
        return drawn.map(function (l) {
          return {kind: l.kind, id: l.id, text: l.text || l.lines.join(" "), px: l.px, x: l.x, y: l.y, w: l.w, h: l.h};
        });
      },
      visibleNodes: function () { return nodes.filter(function (n, i) { return nodeOn[i]; }).map(function (n) { return n.id; }); },
      visibleEdges: function () { return edges.filter(function (e, i) { return edgeOn[i]; }).map(function (e) { return e.id; }); }
    };
  }

  return {create: create, shapePath: shapePath};
})();
