// newsgraph explorer: reads the graph in #graph-data, draws it (NewsgraphScene) over a timeline
// (NewsgraphTimeline), and wires search, filters, the side panel and the PNG export.
// Every piece of text from the data goes through textContent or canvas text, never through innerHTML.
(function () {
  "use strict";
  var SVG_NS = "http:\/\/www.w3.org/2000/svg";
  var REL_WORDS = {issuesStatement: "said", speaker: "said"};
  var exporting = location.hash === "#png";
  document.body.classList.toggle("png", exporting);
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var styles = {};
  data.classes.forEach(function (c) { styles[c.name] = c; });
  var byId = {}, edgeById = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });
  data.edges.forEach(function (e) { edgeById[e.id] = e; });
  var hiddenClasses = new Set(), hiddenRelations = new Set(), chosenDocs = null, range = null, quiet = data.quiet;
  var docDay = data.articles.map(function (a) { return a.date ? NewsgraphTimeline.day(a.date) : null; });

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (className) node.className = className;
    return node;
  }
  function relWord(rel) { return REL_WORDS[rel] || rel; }
  // The article's web address as a link that opens beside the explorer; only http(s) addresses are links, so a
  // hostile "javascript:" URL in the data stays text.
  function sourceLink(url) {
    if (!url || !/^https?:\/\//i.test(url)) return null;
    var a = el("a", url.replace(/^https?:\/\/(www\.)?/i, ""));
    a.href = url; a.target = "_blank"; a.rel = "noopener noreferrer"; a.className = "source-link";
    return a;
  }
  function quoted(text) { return "\u201c" + text + "\u201d"; }

  // --- what is shown: classes, relations, nodes without links, dates and articles ------------------------------
  function applyFilters() {
    var nodes = data.nodes, edges = data.edges, quietHidden = 0;
    var pass = null;
    if (range || chosenDocs) {
      pass = data.articles.map(function (a, i) {
        return (!chosenDocs || chosenDocs.has(i)) &&
          (!range || (docDay[i] !== null && docDay[i] >= range[0] && docDay[i] <= range[1]));
      });
    }
    var passes = function (docs) { return docs.some(function (d) { return pass[d]; }); };
    var base = new Uint8Array(nodes.length), nodeOn = new Uint8Array(nodes.length);
    var linked = new Uint8Array(nodes.length), edgeOn = new Uint8Array(edges.length), index = {};
    nodes.forEach(function (n, i) {
      index[n.id] = i;
      if (hiddenClasses.has(n.cls)) return;
      if (quiet && n.degree === 0) { quietHidden++; return; }
      base[i] = 1;
    });
    edges.forEach(function (e, i) {
      var a = index[e.from], b = index[e.to];
      if (hiddenRelations.has(e.rel) || !base[a] || !base[b] || (pass && !passes(e.docs))) return;
      edgeOn[i] = 1; linked[a] = 1; linked[b] = 1;
    });
    var shown = 0, links = 0;
    nodes.forEach(function (n, i) {
      nodeOn[i] = base[i] && (!pass || linked[i] || passes(n.dateDocs || [])) ? 1 : 0;
      shown += nodeOn[i];
    });
    edgeOn.forEach(function (on) { links += on; });
    scene.setVisible(nodeOn, edgeOn);
    timeline.setPassing(chosenDocs ? data.articles.map(function (a, i) { return chosenDocs.has(i); }) : null);
    var text = shown + " of " + data.total + " nodes shown, " + links + " links";
    if (quietHidden) text += " \u00b7 " + quietHidden + " without links hidden";
    document.getElementById("count").textContent = text;
  }

  function swatch(c) {
    var box = document.createElementNS(SVG_NS, "svg");
    box.setAttribute("width", "16"); box.setAttribute("height", "16"); box.setAttribute("viewBox", "-8 -8 16 16");
    var path = document.createElementNS(SVG_NS, "path");
    path.setAttribute("d", svgPath(c.shape, 0, 0, 6));
    path.setAttribute("fill", c.colour); path.setAttribute("stroke", "#555");
    if (c.dashed) path.setAttribute("stroke-dasharray", "2,1.5");
    box.appendChild(path);
    return box;
  }

  function svgPath(shape, x, y, r) {  // the scene's shape as SVG path data, by recording its path calls
    var d = [], recorder = {
      moveTo: function (a, b) { d.push("M" + a.toFixed(2) + " " + b.toFixed(2)); },
      lineTo: function (a, b) { d.push("L" + a.toFixed(2) + " " + b.toFixed(2)); },
      rect: function (a, b, w, h) { d.push("M" + a + " " + b + "h" + w + "v" + h + "h" + (-w) + "z"); },
      arc: function (cx, cy, rr) { d.push("M" + (cx - rr) + " " + cy + "a" + rr + " " + rr + " 0 1 0 " + 2 * rr + " 0a" + rr + " " + rr + " 0 1 0 " + (-2 * rr) + " 0"); },
      closePath: function () { d.push("Z"); }
    };
    NewsgraphScene.shapePath(recorder, shape, x, y, r);
    return d.join("");
  }

  function checkbox(parent, value, hidden, visual, text) {
    var label = el("label"), box = el("input");
    box.type = "checkbox"; box.checked = true; box.value = value;
    box.addEventListener("change", function () {
      if (box.checked) hidden.delete(value); else hidden.add(value);
      applyFilters();
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
  var quietBox = document.getElementById("quiet");
  quietBox.checked = quiet;
  document.getElementById("quiet-count").textContent =
    "(" + data.nodes.filter(function (n) { return n.degree === 0; }).length + ")";
  quietBox.addEventListener("change", function () { quiet = quietBox.checked; applyFilters(); });

  var articleBoxes = data.articles.map(function (a, i) {
    var label = el("label"), box = el("input");
    box.type = "checkbox"; box.checked = true; box.value = String(i);
    box.addEventListener("change", chooseArticles);
    label.appendChild(box);
    label.appendChild(el("span", (a.date || "undated") + " \u00b7 " + a.title));
    label.title = a.title + (a.url ? " \u00b7 " + a.url : "");
    document.getElementById("article-list").appendChild(label);
    return box;
  });
  function chooseArticles() {
    var chosen = new Set();
    articleBoxes.forEach(function (box, i) { if (box.checked) chosen.add(i); });
    chosenDocs = chosen.size === articleBoxes.length ? null : chosen;
    applyFilters();
  }
  function setArticles(indices) {
    articleBoxes.forEach(function (box, i) { box.checked = indices === null || indices.indexOf(i) >= 0; });
    chooseArticles();
  }
  document.getElementById("articles-all").addEventListener("click", function () { setArticles(null); });
  document.getElementById("articles-none").addEventListener("click", function () { setArticles([]); });

  // The graph and the timeline measure their boxes: made once the controls around them are filled in.
  var scene = NewsgraphScene.create(document.getElementById("network"), data, styles);
  var timeline = NewsgraphTimeline.create(document.getElementById("timeline"), data, {
    select: function (id) { focusNode(id); },
    openEdge: function (id) { selectEdge(id); },
    range: function (next) { range = next; applyFilters(); }
  });

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
    var item = el("li", null, "fact"), line = el("div");
    var text = fact.rel === "issuesStatement" ? quoted(fact.value) : fact.value;
    var other = fact.other && byId[fact.other] ? nameLink(fact.other, text) : el("span", text);
    var self = el("b", n.cls === "Statement" ? "this quote" : n.label);
    var rel = el("span", " " + relWord(fact.rel) + " ", "rel");
    if (fact.dir === "in") { line.appendChild(other); line.appendChild(rel); line.appendChild(self); }
    else { line.appendChild(self); line.appendChild(rel); line.appendChild(other); }
    item.appendChild(line);
    fact.evidence.forEach(function (ev) {  // [sentence, article] indices
      var quote = el("blockquote", data.sentences[ev[0]]);  // the sentence as written: no quote marks added
      var doc = data.articles[ev[1]] || {title: "", date: "", url: ""};
      var where = [doc.title, doc.date].filter(function (x) { return x; }).join(" \u00b7 ");
      var source = el("span", where, "source");
      var link = sourceLink(doc.url);
      if (doc.url) {
        source.appendChild(document.createTextNode(where ? " \u00b7 " : ""));
        source.appendChild(link || document.createTextNode(doc.url));
      }
      quote.appendChild(source);
      item.appendChild(quote);
    });
    return item;
  }

  function showPanel(heading, facts, n, badge) {
    panelBody.textContent = "";
    panelBody.appendChild(el("h2", heading));
    if (badge) panelBody.appendChild(badge);
    if (n && n.cls !== "Statement" && n.names.length > 1) {
      panelBody.appendChild(el("div", "Also known as: " + n.names.slice(1).join("; "), "names"));
    }
    var list = el("ul", null, "facts");
    facts.forEach(function (fact) { list.appendChild(factItem(fact.node, fact.fact)); });
    if (!facts.length) list.appendChild(el("li", "No facts recorded.", "fact"));
    panelBody.appendChild(list);
    panel.hidden = false;
  }

  function openPanel(id) {
    var n = byId[id];
    if (!n) return;
    var badge = el("span", n.cls, "cls");
    badge.style.background = styles[n.cls].colour;
    showPanel(n.cls === "Statement" ? quoted(n.names[0]) : n.label,
              n.facts.map(function (f) { return {node: n, fact: f}; }), n, badge);
    panel.dataset.node = id;
  }

  // A link opens the panel on its one fact, with that fact's evidence.
  function openEdgePanel(edgeId) {
    var e = edgeById[edgeId], n = e && byId[e.from];
    if (!n) return;
    var facts = n.facts.filter(function (f) { return f.rel === e.rel && f.other === e.to; });
    showPanel(n.label + " " + relWord(e.rel) + " " + byId[e.to].label, facts.map(function (f) { return {node: n, fact: f}; }));
    panel.dataset.node = "";
  }

  function selectNode(id) {
    scene.select(id);
    timeline.highlight(id);
    openPanel(id);
  }

  function selectEdge(id) {
    scene.select(id);
    timeline.highlight(null);
    openEdgePanel(id);
  }

  function focusNode(id) {
    var n = byId[id];
    if (!n) return;
    if (hiddenClasses.has(n.cls)) { classBoxes[n.cls].checked = true; hiddenClasses.delete(n.cls); }
    if (quiet && n.degree === 0) { quiet = quietBox.checked = false; }
    applyFilters();
    if (scene.visibleNodes().indexOf(id) < 0) { range = null; timeline.setRange(null); setArticles(null); }
    selectNode(id);
    scene.focus(id, Math.max(scene.view().scale, 1.2), exporting ? 0 : 400);
  }

  scene.on("click", function (hit) {
    if (hit.node) selectNode(hit.node);
    else if (hit.edge) selectEdge(hit.edge);
    else { scene.select(null); timeline.highlight(null); }
  });

  // --- tooltip -----------------------------------------------------------------------------------------------
  var tip = document.getElementById("tooltip");
  scene.on("hover", function (hit) {
    if (!hit) { tip.hidden = true; return; }
    var n = hit.node;
    tip.textContent = "";
    tip.appendChild(el("b", n.cls === "Statement" ? quoted(n.names[0]) : n.label));
    tip.appendChild(document.createTextNode(" (" + n.cls + ")"));
    if (n.cls !== "Statement" && n.names.length > 1) tip.appendChild(el("div", "also: " + n.names.slice(1).join(", ")));
    tip.appendChild(el("div", n.facts.length + " fact" + (n.facts.length === 1 ? "" : "s") + " \u2013 click for details"));
    tip.hidden = false;
    tip.style.left = Math.min(hit.x + 14, window.innerWidth - tip.offsetWidth - 4) + "px";
    tip.style.top = Math.min(hit.y + 14, window.innerHeight - tip.offsetHeight - 4) + "px";
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

  // --- the picture: graph as drawn, a legend above, the timeline below -------------------------------------------
  function picture() {
    scene.draw();
    var ratio = window.devicePixelRatio || 1, graph = scene.canvas, strip = timeline.element;
    var width = graph.width / ratio, height = graph.height / ratio, head = 30;
    var stripWidth = +strip.getAttribute("width"), stripHeight = +strip.getAttribute("height");
    var out = document.createElement("canvas");
    out.width = Math.round(Math.max(width, stripWidth) * ratio);
    out.height = Math.round((head + height + stripHeight) * ratio);
    var ctx = out.getContext("2d");
    ctx.scale(ratio, ratio);
    ctx.fillStyle = "#ffffff"; ctx.fillRect(0, 0, out.width, out.height);
    ctx.fillStyle = "#222"; ctx.font = "bold 14px system-ui, sans-serif"; ctx.textBaseline = "middle";
    ctx.fillText(data.title, 10, head / 2);
    var x = 20 + ctx.measureText(data.title).width;
    ctx.font = "12px system-ui, sans-serif";
    data.classes.forEach(function (c) {
      if (hiddenClasses.has(c.name)) return;
      var path = new Path2D();
      NewsgraphScene.shapePath(path, c.shape, x + 6, head / 2, 5);
      ctx.fillStyle = c.colour; ctx.fill(path); ctx.strokeStyle = "#555"; ctx.lineWidth = 1; ctx.stroke(path);
      ctx.fillStyle = "#333"; ctx.fillText(c.name, x + 15, head / 2);
      x += 26 + ctx.measureText(c.name).width;
    });
    ctx.drawImage(graph, 0, head, width, height);
    ctx.strokeStyle = "#dddddd"; ctx.beginPath(); ctx.moveTo(0, head + 0.5); ctx.lineTo(out.width, head + 0.5); ctx.stroke();
    var image = new Image(), text = new XMLSerializer().serializeToString(strip);
    return new Promise(function (resolve, reject) {
      image.onload = function () { ctx.drawImage(image, 0, head + height, stripWidth, stripHeight); resolve(out); };
      image.onerror = function () { reject(new Error("the timeline could not be drawn")); };
      image.src = URL.createObjectURL(new Blob([text], {type: "image/svg+xml"}));
    });
  }

  function savePng() {
    return picture().then(function (canvas) {
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          var link = el("a");
          link.href = URL.createObjectURL(blob);
          link.download = "newsgraph.png";
          document.body.appendChild(link);
          link.click();
          link.remove();
          resolve(blob.size);
        }, "image/png");
      });
    });
  }
  document.getElementById("save-png").addEventListener("click", savePng);
  document.getElementById("fit").addEventListener("click", function () { scene.fit(300); });

  // --- first frame -------------------------------------------------------------------------------------------
  applyFilters();
  scene.fit();
  scene.draw();
  window.newsgraphFirstDraw = performance.now();
  window.newsgraphReady = true;
  if (exporting) {
    picture().then(function (canvas) {
      var out = el("pre", canvas.toDataURL("image/png"));
      out.id = "png-data"; out.hidden = true;
      document.body.appendChild(out);
    });
  }

  window.newsgraph = {
    data: data, scene: scene, timeline: timeline, find: find, focusNode: focusNode, openPanel: openPanel,
    selectEdge: selectEdge, picture: picture, savePng: savePng, setArticles: setArticles,
    setRange: function (from, to) { timeline.setRange(from, to); }
  };
})();
