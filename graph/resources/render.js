// newsgraph explorer: draws the graph in #graph-data with vis-network, wires search, filters and the side panel.
// Every piece of text from the data goes through textContent or a canvas label, never through innerHTML.
(function () {
  "use strict";
  var SVG_NS = "http:\/\/www.w3.org/2000/svg";
  var REL_WORDS = {issuesStatement: "said", speaker: "said"};
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var styles = {};
  data.classes.forEach(function (c) { styles[c.name] = c; });
  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });
  var hiddenClasses = new Set();
  var hiddenRelations = new Set();

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function relWord(rel) { return REL_WORDS[rel] || rel; }

  function tooltip(n) {
    var box = el("div");
    box.appendChild(el("b", n.label));
    box.appendChild(document.createTextNode(" (" + n.cls + ")"));
    if (n.names.length > 1) box.appendChild(el("div", "also: " + n.names.slice(1).join(", ")));
    box.appendChild(el("div", n.facts.length + " fact" + (n.facts.length === 1 ? "" : "s") + " \u2013 click for details"));
    return box;
  }

  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    var s = styles[n.cls];
    var item = {
      id: n.id, label: n.label, title: tooltip(n), cls: n.cls, shape: s.shape, size: n.size,
      color: {background: s.colour, border: "#555", highlight: {background: s.colour, border: "#000"}},
      shapeProperties: {borderDashes: s.dashed ? [4, 3] : false}
    };
    if (n.cls === "Statement") {
      item.font = {size: 12, color: "#333"};
      item.widthConstraint = {maximum: 220};
      item.color = {background: s.colour, border: "#c9b458", highlight: {background: s.colour, border: "#8a7a2a"}};
    }
    if (data.fixed) { item.x = n.x; item.y = n.y; }
    return item;
  }));
  var edges = new vis.DataSet(data.edges.map(function (e) {
    return {
      id: e.id, from: e.from, to: e.to, rel: e.rel, label: relWord(e.rel),
      arrows: e.symmetric ? "to, from" : "to",
      dashes: e.rel === "issuesStatement",
      // a second or later link between the same two nodes bends away so that none hides another
      smooth: e.parallel ? {enabled: true, type: e.parallel % 2 ? "curvedCW" : "curvedCCW",
                            roundness: 0.25 * Math.ceil(e.parallel / 2)} : undefined
    };
  }));
  var nodeView = new vis.DataView(nodes, {filter: function (n) { return !hiddenClasses.has(n.cls); }});
  var edgeView = new vis.DataView(edges, {filter: function (e) { return !hiddenRelations.has(e.rel); }});

  var options = {
    autoResize: true,
    nodes: {borderWidth: 1, font: {size: 14, face: "system-ui, sans-serif", strokeWidth: 3, strokeColor: "#ffffff"}},
    edges: {
      width: 1.2, color: {color: "#9a9a9a", highlight: "#333333", hover: "#555555"},
      font: {size: 10, align: "middle", color: "#555555", strokeWidth: 3, strokeColor: "#ffffff"},
      arrows: {to: {scaleFactor: 0.6}, from: {scaleFactor: 0.6}},
      smooth: data.fixed ? false : {type: "continuous"}
    },
    interaction: {hover: true, tooltipDelay: 150, hideEdgesOnDrag: data.fixed, hideEdgesOnZoom: data.fixed},
    physics: data.fixed ? false : {
      solver: "forceAtlas2Based",
      forceAtlas2Based: {gravitationalConstant: -80, springLength: 130, avoidOverlap: 0.4},
      stabilization: {iterations: 400, updateInterval: 50}
    },
    // vis' improved layout gives up (with a console message) on bigger graphs: physics alone does better
    layout: data.fixed ? {improvedLayout: false} : {randomSeed: 7, improvedLayout: data.nodes.length <= 100}
  };
  var container = document.getElementById("network");
  var network = new vis.Network(container, {nodes: [], edges: []}, options);
  network.once("afterDrawing", function () { window.newsgraphFirstDraw = performance.now(); });
  // Physics only finds the first layout: once stable the picture stays still. Tests and the benchmark wait on
  // window.newsgraphReady.
  network.on("stabilizationIterationsDone", function () {
    network.setOptions({physics: false});
    window.newsgraphReady = true;
  });
  if (data.fixed || !data.nodes.length) network.once("afterDrawing", function () { window.newsgraphReady = true; });
  network.setData({nodes: nodeView, edges: edgeView});

  // --- counts and legend filters ---------------------------------------------------------------------------
  function updateCount() {
    var text = nodeView.length + " of " + data.total + " nodes shown, " + edgeView.length + " links";
    document.getElementById("count").textContent = text;
  }

  function swatch(c) {
    var svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("width", "16");
    svg.setAttribute("height", "16");
    svg.setAttribute("viewBox", "-8 -8 16 16");
    var shapes = {
      dot: ["circle", {r: 6}], square: ["rect", {x: -6, y: -6, width: 12, height: 12}],
      diamond: ["polygon", {points: "0,-7 7,0 0,7 -7,0"}], triangle: ["polygon", {points: "0,-7 7,6 -7,6"}],
      triangleDown: ["polygon", {points: "0,7 7,-6 -7,-6"}],
      hexagon: ["polygon", {points: "7,0 3.5,6 -3.5,6 -7,0 -3.5,-6 3.5,-6"}],
      star: ["polygon", {points: "0,-7 2,-2 7,-2 3,1.5 4.5,7 0,3.5 -4.5,7 -3,1.5 -7,-2 -2,-2"}],
      box: ["rect", {x: -7, y: -5, width: 14, height: 10, rx: 2}]
    };
    var spec = shapes[c.shape] || shapes.dot;
    var shape = document.createElementNS(SVG_NS, spec[0]);
    Object.keys(spec[1]).forEach(function (k) { shape.setAttribute(k, String(spec[1][k])); });
    shape.setAttribute("fill", c.colour);
    shape.setAttribute("stroke", "#555");
    if (c.dashed) shape.setAttribute("stroke-dasharray", "2,1.5");
    svg.appendChild(shape);
    return svg;
  }

  function checkbox(parent, value, hidden, visual, text) {
    var label = el("label");
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.value = value;
    box.addEventListener("change", function () {
      if (box.checked) hidden.delete(value); else hidden.add(value);
      nodeView.refresh();
      edgeView.refresh();
      updateCount();
    });
    label.appendChild(box);
    if (visual) label.appendChild(visual);
    label.appendChild(el("span", text));
    parent.appendChild(label);
    return box;
  }

  var classBoxes = {};
  data.classes.forEach(function (c) {
    classBoxes[c.name] = checkbox(document.getElementById("class-filter"), c.name, hiddenClasses, swatch(c), c.name);
  });
  data.relations.forEach(function (rel) {
    var text = rel === "issuesStatement" ? "issuesStatement (said)" : rel;
    checkbox(document.getElementById("relation-filter"), rel, hiddenRelations, null, text);
  });
  updateCount();

  // --- side panel --------------------------------------------------------------------------------------------
  var panel = document.getElementById("panel");
  var panelBody = document.getElementById("panel-body");
  document.getElementById("panel-close").addEventListener("click", function () { panel.hidden = true; });

  function nameLink(id, text) {
    var link = el("a", text, "other");
    link.href = "#";
    link.addEventListener("click", function (event) { event.preventDefault(); focusNode(id); });
    return link;
  }

  function factItem(n, fact) {
    var item = el("li", null, "fact");
    var line = el("div");
    var other = fact.other && byId[fact.other] ? nameLink(fact.other, fact.value) : el("span", fact.value);
    var self = el("b", n.cls === "Statement" ? "this quote" : n.label);
    var rel = el("span", " " + relWord(fact.rel) + " ", "rel");
    if (fact.dir === "in") { line.appendChild(other); line.appendChild(rel); line.appendChild(self); }
    else { line.appendChild(self); line.appendChild(rel); line.appendChild(other); }
    item.appendChild(line);
    fact.evidence.forEach(function (ev) {
      var quote = el("blockquote", "\u201c" + ev.sentence + "\u201d");
      var where = [ev.article, ev.date].filter(function (x) { return x; }).join(" \u00b7 ");
      quote.appendChild(el("span", where + (ev.url ? " \u00b7 " + ev.url : ""), "source"));
      item.appendChild(quote);
    });
    return item;
  }

  function openPanel(id) {
    var n = byId[id];
    if (!n) return;
    panelBody.textContent = "";
    panelBody.appendChild(el("h2", n.cls === "Statement" ? "\u201c" + n.names[0] + "\u201d" : n.label));
    var badge = el("span", n.cls, "cls");
    badge.style.background = styles[n.cls].colour;
    panelBody.appendChild(badge);
    if (n.cls !== "Statement" && n.names.length > 1) {
      panelBody.appendChild(el("div", "Also known as: " + n.names.slice(1).join("; "), "names"));
    }
    var list = el("ul", null, "facts");
    n.facts.forEach(function (fact) { list.appendChild(factItem(n, fact)); });
    if (!n.facts.length) list.appendChild(el("li", "No facts recorded.", "fact"));
    panelBody.appendChild(list);
    panel.hidden = false;
    panel.dataset.node = id;
  }

  function focusNode(id) {
    var n = byId[id];
    if (!n) return;
    if (hiddenClasses.has(n.cls)) { classBoxes[n.cls].checked = true; classBoxes[n.cls].dispatchEvent(new Event("change")); }
    network.selectNodes([id]);
    network.focus(id, {scale: 1.2, animation: {duration: 400, easingFunction: "easeInOutQuad"}});
    openPanel(id);
  }

  // A link opens the panel on its one fact, with that fact's evidence.
  function openEdgePanel(edgeId) {
    var e = edges.get(edgeId);
    var n = e && byId[e.from];
    if (!n) return;
    var facts = n.facts.filter(function (f) { return f.rel === e.rel && f.other === e.to; });
    panelBody.textContent = "";
    panelBody.appendChild(el("h2", n.label + " " + relWord(e.rel) + " " + byId[e.to].label));
    var list = el("ul", null, "facts");
    facts.forEach(function (fact) { list.appendChild(factItem(n, fact)); });
    panelBody.appendChild(list);
    panel.hidden = false;
    panel.dataset.node = "";
  }

  network.on("click", function (params) {
    if (params.nodes.length) openPanel(params.nodes[0]);
    else if (params.edges.length) openEdgePanel(params.edges[0]);
  });

  // --- search ------------------------------------------------------------------------------------------------
  var search = document.getElementById("search");
  var results = document.getElementById("search-results");

  function find(query) {
    var q = query.trim().toLowerCase();
    if (!q) return [];
    var found = [];
    data.nodes.forEach(function (n) {
      var best = 3;
      n.names.forEach(function (name) {
        var lower = name.toLowerCase();
        var rank = lower === q ? 0 : lower.indexOf(q) === 0 ? 1 : lower.indexOf(q) >= 0 ? 2 : 3;
        best = Math.min(best, rank);
      });
      if (best < 3) found.push([best + (n.cls === "Statement" ? 3 : 0), -n.degree, n.label, n.id]);
    });
    found.sort(function (a, b) {
      for (var i = 0; i < 3; i++) { if (a[i] < b[i]) return -1; if (a[i] > b[i]) return 1; }
      return 0;
    });
    return found.slice(0, 12).map(function (f) { return f[3]; });
  }

  function showResults() {
    var ids = find(search.value);
    results.textContent = "";
    ids.forEach(function (id, index) {
      var item = el("li", byId[id].label, index === 0 ? "active" : "");
      item.appendChild(el("span", byId[id].cls, "cls"));
      item.dataset.node = id;
      item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(id); });
      results.appendChild(item);
    });
    if (search.value.trim() && !ids.length) results.appendChild(el("li", "no match"));
    results.hidden = !search.value.trim();
  }

  function choose(id) {
    results.hidden = true;
    search.value = byId[id].label;
    focusNode(id);
  }

  search.addEventListener("input", showResults);
  search.addEventListener("keydown", function (event) {
    var items = Array.prototype.slice.call(results.querySelectorAll("li[data-node]"));
    var active = items.findIndex(function (li) { return li.classList.contains("active"); });
    if (event.key === "Enter") {
      if (items.length) choose(items[Math.max(active, 0)].dataset.node);
    } else if ((event.key === "ArrowDown" || event.key === "ArrowUp") && items.length) {
      event.preventDefault();
      var next = (active + (event.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
      items.forEach(function (li, index) { li.classList.toggle("active", index === next); });
      results.hidden = false;
    } else if (event.key === "Escape") {
      results.hidden = true;
    }
  });
  search.addEventListener("blur", function () { results.hidden = true; });

  window.newsgraph = {
    network: network, nodes: nodes, edges: edges, data: data, find: find, focusNode: focusNode, openPanel: openPanel
  };
})();
