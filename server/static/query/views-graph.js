/* The graph view of the query page: the answer's resources as nodes, its links as labelled arrows.
 *
 * Laid out client-side by a force layout (Fruchterman–Reingold) run a fixed number of steps
 * from a fixed spiral, so the same answer is always drawn the same way. Past MAX_NODES the
 * first nodes met are drawn and a notice says how many were left out (the table has them all).
 */
(function () {
  "use strict";

  var D55Views = window.D55Views = window.D55Views || {};
  var MAX_NODES = 300;
  var MAX_LINKS = 1500;
  var STEPS = 300;
  var GRAVITY = 5;  // strong enough that loose parts stay in the picture (measured on the whole data)
  var LABEL_CHARS = 28;  // node labels are cut there; the full IRI is the node's tooltip
  var EDGE_CHARS = 24;

  /** Nodes and edges of `links`: one node per distinct term, one edge per linked pair, its predicates joined. */
  function build(links) {
    var nodes = [], index = {}, edges = [], pairs = {}, total = 0;
    function node(term) {
      var key = term.type + " " + term.value;
      if (!(key in index)) {
        total++;
        index[key] = nodes.length < MAX_NODES ? nodes.push({ term: term, degree: 0 }) - 1 : -1;
      }
      return index[key];
    }
    var cut = 0;
    links.forEach(function (link) {
      var a = node(link.from), b = node(link.to);
      if (a < 0 || b < 0 || a === b) return;
      var key = a + " " + b;
      if (!(key in pairs)) {
        if (edges.length >= MAX_LINKS) { cut++; return; }
        pairs[key] = edges.length;
        edges.push({ from: a, to: b, predicates: [] });
        nodes[a].degree++;
        nodes[b].degree++;
      }
      var edge = edges[pairs[key]];
      if (!edge.predicates.some(function (p) { return p.value === link.predicate.value; })) edge.predicates.push(link.predicate);
    });
    return { nodes: nodes, edges: edges, total: total, cutLinks: cut };
  }

  /** Positions around (0, 0), after STEPS steps of a cooling force layout.
   *
   * As in ForceAtlas2, repulsion grows with the degrees of both nodes, so a hub (a class every
   * resource is typed with) pushes the others off instead of pulling them all onto itself; gravity,
   * also by degree, keeps loose parts near.
   */
  D55Views.forceLayout = function (n, edges) {
    var x = new Float64Array(n), y = new Float64Array(n), dx = new Float64Array(n), dy = new Float64Array(n);
    var mass = new Float64Array(n).fill(1);
    edges.forEach(function (e) { mass[e.from]++; mass[e.to]++; });
    for (var i = 0; i < n; i++) {  // a sunflower spiral: spread evenly, the same every time
      var r = 0.5 * Math.sqrt((i + 0.5) / n), a = i * 2.399963;
      x[i] = r * Math.cos(a);
      y[i] = r * Math.sin(a);
    }
    var k = Math.sqrt(1 / Math.max(1, n));
    for (var step = 0; step < STEPS; step++) {
      dx.fill(0);
      dy.fill(0);
      for (i = 0; i < n; i++) {
        for (var j = i + 1; j < n; j++) {
          var ex = x[i] - x[j], ey = y[i] - y[j];
          var d2 = Math.max(ex * ex + ey * ey, 1e-6);
          var f = k * k * mass[i] * mass[j] / d2 / 4;
          dx[i] += ex * f / mass[i]; dy[i] += ey * f / mass[i]; dx[j] -= ex * f / mass[j]; dy[j] -= ey * f / mass[j];
        }
        dx[i] -= x[i] * GRAVITY; dy[i] -= y[i] * GRAVITY;  // a spring to the centre
      }
      edges.forEach(function (e) {
        var ex = x[e.from] - x[e.to], ey = y[e.from] - y[e.to];
        var d = Math.sqrt(ex * ex + ey * ey) || 1e-3;
        var f = d / k;
        dx[e.from] -= ex * f / mass[e.from]; dy[e.from] -= ey * f / mass[e.from];
        dx[e.to] += ex * f / mass[e.to]; dy[e.to] += ey * f / mass[e.to];
      });
      var t = 0.1 * (1 - step / STEPS) + 0.002;
      for (i = 0; i < n; i++) {
        var len = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]) || 1;
        var move = Math.min(len, t);
        x[i] += dx[i] / len * move;
        y[i] += dy[i] / len * move;
      }
    }
    var out = [];
    for (i = 0; i < n; i++) out.push({ x: x[i], y: y[i] });
    return out;
  };

  /** Scale `points` into a box of `width` × `height`, `mx` from its sides, `my` from its top and bottom.
   *
   * The box spans the middle 96% of the points on each axis, so that a few far-flung nodes do
   * not squeeze all the others into a corner; those few are drawn on the box's edge.
   */
  function fit(points, width, height, mx, my) {
    function range(values) {
      var sorted = values.slice().sort(function (a, b) { return a - b; });
      var cut = sorted.length > 20 ? Math.floor(sorted.length * 0.02) : 0;
      return [sorted[cut], sorted[sorted.length - 1 - cut]];
    }
    function scale(value, r, from, to) {
      if (r[1] <= r[0]) return (from + to) / 2;
      return from + Math.max(0, Math.min(1, (value - r[0]) / (r[1] - r[0]))) * (to - from);
    }
    var rx = range(points.map(function (p) { return p.x; })), ry = range(points.map(function (p) { return p.y; }));
    return points.map(function (p) {
      return { x: scale(p.x, rx, mx, width - mx), y: scale(p.y, ry, my, height - my - 16) };
    });
  }

  D55Views.drawGraph = function (panel, links, helpers) {
    var page = helpers.page, svg = D55Views.svg;
    var g = build(links);
    if (g.total > g.nodes.length || g.cutLinks) {
      D55Views.notice(panel, page.fill(page.texts.view_graph_cut, {
        shown: page.counted("nodes", g.nodes.length), total: page.numbers.format(g.total) }));
    }
    var n = g.nodes.length;
    var room = Math.max(480, panel.clientWidth - 4);  // the panel's width, or more when the graph needs it
    var width = Math.round(Math.min(2400, Math.max(room, 150 * Math.sqrt(n))));
    var height = Math.round(Math.min(width * 0.7, Math.max(420, 110 * Math.sqrt(n))));
    var at = fit(D55Views.forceLayout(n, g.edges), width, height, LABEL_CHARS * 3.6 + 8, 30);
    var figure = document.createElement("figure");
    figure.className = "view-figure";
    var caption = document.createElement("figcaption");
    caption.id = "graph-caption";
    caption.textContent = page.counted("nodes", n) + " · " + page.counted("links", g.edges.length);
    var scroller = document.createElement("div");
    scroller.className = "view-scroll";
    var root = svg("svg", { "class": "graph-view", viewBox: "0 0 " + width + " " + height, width: width, height: height,
                            "aria-labelledby": "graph-caption" });
    var defs = svg("defs", {}, root);
    var marker = svg("marker", { id: "graph-arrow", viewBox: "0 0 10 10", refX: "10", refY: "5",
                                 markerWidth: "7", markerHeight: "7", orient: "auto-start-reverse" }, defs);
    svg("path", { d: "M0,0 L10,5 L0,10 z", "class": "graph-arrowhead" }, marker);
    var edgeLayer = svg("g", { "class": "graph-edges" }, root);
    var labelLayer = svg("g", { "class": "graph-edge-labels" }, root);
    var nodeLayer = svg("g", { "class": "graph-nodes" }, root);
    var radius = g.nodes.map(function (node) { return Math.min(14, 5 + 1.5 * Math.sqrt(node.degree)); });
    g.edges.forEach(function (e) {
      var a = at[e.from], b = at[e.to], ex = b.x - a.x, ey = b.y - a.y, d = Math.sqrt(ex * ex + ey * ey) || 1;
      var cut = radius[e.to] + 2;  // the arrow stops at the target's rim
      var line = svg("line", { "class": "graph-edge", x1: a.x.toFixed(1), y1: a.y.toFixed(1),
                               x2: (b.x - ex / d * cut).toFixed(1), y2: (b.y - ey / d * cut).toFixed(1),
                               "marker-end": "url(#graph-arrow)" }, edgeLayer);
      line.dataset.from = nodeKey(g.nodes[e.from].term);
      line.dataset.to = nodeKey(g.nodes[e.to].term);
      var text = svg("text", { "class": "graph-edge-label", x: (a.x + 0.6 * ex).toFixed(1),
                               y: (a.y + 0.6 * ey - 3).toFixed(1), "text-anchor": "middle" }, labelLayer);
      e.predicates.forEach(function (p, i) {
        if (i) text.appendChild(document.createTextNode(", "));
        helpers.labelText(svg("tspan", {}, text), p, EDGE_CHARS);
      });
      svg("title", {}, text).textContent = e.predicates.map(function (p) { return p.value; }).join(" ");
    });
    g.nodes.forEach(function (node, i) {
      var group = D55Views.linkFor(node.term, page, nodeLayer);
      group.setAttribute("class", "graph-node" + (node.term.type === "bnode" ? " blank" : ""));
      group.dataset.key = nodeKey(node.term);
      svg("circle", { cx: at[i].x.toFixed(1), cy: at[i].y.toFixed(1), r: radius[i].toFixed(1) }, group);
      helpers.labelText(svg("text", { x: at[i].x.toFixed(1), y: (at[i].y + radius[i] + 14).toFixed(1),
                                      "text-anchor": "middle", "class": "graph-node-label" }, group),
                        node.term, LABEL_CHARS);
    });
    rovingFocus(nodeLayer);
    scroller.appendChild(root);
    figure.append(scroller, caption);
    panel.appendChild(figure);
  };

  function nodeKey(term) { return term.type === "bnode" ? "_:" + term.value : term.value; }

  /** One Tab stop for the whole graph: Tab enters at a node and leaves after it; the arrow keys,
   *  Home and End move between nodes (a roving tabindex), so a large graph is not hundreds of stops. */
  function rovingFocus(layer) {
    var links = Array.prototype.slice.call(layer.querySelectorAll("a"));
    links.forEach(function (a, i) { a.setAttribute("tabindex", i ? "-1" : "0"); });
    layer.addEventListener("keydown", function (event) {
      var at = links.indexOf(document.activeElement);
      if (at < 0) return;
      var step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
      var to = event.key === "Home" ? 0 : event.key === "End" ? links.length - 1 :
        step === undefined ? -1 : (at + step + links.length) % links.length;
      if (to < 0) return;
      event.preventDefault();
      links[at].setAttribute("tabindex", "-1");
      links[to].setAttribute("tabindex", "0");
      links[to].focus();
    });
  }
})();
