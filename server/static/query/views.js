/* Other views of an answer on the query page, beside its table: a graph and a timeline.
 *
 * query.js hands each answer here (its column headings and rows of SPARQL JSON terms) and the
 * labels it fetches; this file decides which views apply, and offers them as ARIA tabs above
 * the table. A view is drawn the first time its tab is chosen (views-graph.js,
 * views-timeline.js). Everything is built through the DOM: no markup is parsed, no style
 * attribute is set (the page's CSP allows neither inline script nor inline style).
 */
(function () {
  "use strict";

  var XSD = "http://www.w3.org/2001/XMLSchema#";
  var DATE_TYPES = ["date", "dateTime", "dateTimeStamp", "gYear", "gYearMonth"].map(function (t) { return XSD + t; });
  // A variable with one of these names, holding IRIs, says how the other two IRI columns are linked.
  var PREDICATE_NAMES = /^(p|pred|predicate|prop|property|rel|relation|link)$/i;

  var D55Views = window.D55Views = window.D55Views || {};

  /** Is `term` a literal the timeline can place (xsd:date, xsd:dateTime, xsd:gYear…)? */
  D55Views.isDate = function (term) {
    return !!term && term.type === "literal" && DATE_TYPES.indexOf(term.datatype) >= 0 &&
      D55Views.parseDate(term.value) !== null;
  };

  /** Milliseconds since 1970 (UTC) of an XSD date-like lexical form, or null.
   *
   * "1990" and "2018-12" are the first instant of their year or month; a time zone, when given, is applied.
   */
  D55Views.parseDate = function (text) {
    var m = /^\s*(-?\d{4,})(?:-(\d\d))?(?:-(\d\d))?(?:T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?)?(Z|[+-]\d\d:\d\d)?\s*$/.exec(text);
    if (!m) return null;
    var date = new Date(0);
    date.setUTCFullYear(Number(m[1]), m[2] ? Number(m[2]) - 1 : 0, m[3] ? Number(m[3]) : 1);
    date.setUTCHours(m[4] ? Number(m[4]) : 0, m[5] ? Number(m[5]) : 0, m[6] ? Number(m[6]) : 0,
                     m[7] ? Number(("0." + m[7])) * 1000 : 0);
    var time = date.getTime();
    if (m[8] && m[8] !== "Z") {
      var sign = m[8][0] === "-" ? -1 : 1;
      time -= sign * (Number(m[8].slice(1, 3)) * 60 + Number(m[8].slice(4, 6))) * 60000;
    }
    return isNaN(time) ? null : time;
  };

  function isNode(term) { return !!term && (term.type === "uri" || term.type === "bnode"); }

  /** The columns (indexes) where every bound value is an IRI or a blank node, at least one bound. */
  function nodeColumns(rows, width) {
    var out = [];
    for (var c = 0; c < width; c++) {
      var bound = 0, nodes = 0;
      rows.forEach(function (row) { if (row[c]) { bound++; if (isNode(row[c])) nodes++; } });
      if (bound && nodes === bound) out.push(c);
    }
    return out;
  }

  /** The links a graph view draws: [{from, to, predicate}] of terms, or null when none applies.
   *
   * A CONSTRUCT or DESCRIBE answer: each triple whose object is an IRI or a blank node. A SELECT
   * answer with two columns of IRIs: a link from the first to the second for each row, named by
   * a predicate-like column (?p, ?property) when there is one, else by the second column's name.
   */
  D55Views.links = function (headings, rows, triples) {
    var links = [];
    if (triples) {
      rows.forEach(function (t) {
        if (isNode(t[0]) && isNode(t[2]) && t[1]) links.push({ from: t[0], to: t[2], predicate: t[1] });
      });
      return links.length ? links : null;
    }
    var columns = nodeColumns(rows, headings.length);
    var named = columns.filter(function (c) { return PREDICATE_NAMES.test(headings[c]); })[0];
    var ends = columns.filter(function (c) { return c !== named; });
    if (ends.length < 2) return null;
    rows.forEach(function (row) {
      var from = row[ends[0]], to = row[ends[1]];
      if (!from || !to) return;
      var predicate = named !== undefined && row[named] ? row[named] : { type: "variable", value: headings[ends[1]] };
      links.push({ from: from, to: to, predicate: predicate });
    });
    return links.length ? links : null;
  };

  /** The columns (indexes) holding at least one date, or [] when the timeline does not apply. */
  D55Views.dateColumns = function (headings, rows, triples) {
    var out = [];
    for (var c = triples ? 2 : 0; c < headings.length; c++) {
      if (rows.some(function (row) { return D55Views.isDate(row[c]); })) out.push(c);
    }
    return out;
  };

  // --- the switcher: ARIA tabs above the table -----------------------------------------------

  var VIEWS = ["table", "graph", "timeline"];

  /** Attach the views to the query page; `page` gives its results element, labels and strings. */
  D55Views.attach = function (page) {
    var state = null;  // the answer shown: headings, rows, what applies, what is drawn
    var tablist = null;
    var registry = {};  // iri -> SVG text nodes showing its label

    function label(term) {
      if (!term) return "";
      if (term.type === "uri") return page.labels[term.value] || page.compact(term.value);
      if (term.type === "bnode") return "_:" + term.value;
      if (term.type === "variable") return "?" + term.value;
      return term.value;
    }

    /** An SVG text showing `term`'s label, kept up to date when labels arrive; cut at `max` characters.
     *
     * The label is a bidi isolate (FSI … PDI): "?org" or "d55:x" reads left to right in an Arabic page,
     * an Arabic label right to left in an English one.
     */
    function labelText(text, term, max) {
      function set(value) { text.textContent = "\u2068" + (value.length > max ? value.slice(0, max - 1) + "…" : value) + "\u2069"; }
      set(label(term));
      if (term && term.type === "uri") {
        (registry[term.value] = registry[term.value] || []).push(set);
      }
      return text;
    }

    var helpers = { label: label, labelText: labelText, page: page };

    function show(headings, rows, triples) {
      clear();
      var links = D55Views.links(headings, rows, triples);
      var dates = D55Views.dateColumns(headings, rows, triples);
      var applies = { table: true, graph: !!links, timeline: dates.length > 0 };
      state = { headings: headings, rows: rows, triples: triples, links: links, dates: dates, drawn: {} };
      var shown = VIEWS.filter(function (v) { return applies[v]; });
      if (shown.length > 1) buildTabs(shown);
    }

    function buildTabs(names) {
      var results = page.results;
      tablist = document.createElement("div");
      tablist.className = "view-tabs";
      tablist.id = "view-tabs";
      tablist.setAttribute("role", "tablist");
      tablist.setAttribute("aria-label", page.texts.view_tabs);
      names.forEach(function (name) {
        var tab = document.createElement("button");
        tab.type = "button";
        tab.id = "view-tab-" + name;
        tab.setAttribute("role", "tab");
        tab.setAttribute("aria-controls", panelId(name));
        tab.textContent = page.texts["view_" + name];
        tab.addEventListener("click", function () { select(name, false); });
        tab.addEventListener("keydown", keydown);
        tablist.appendChild(tab);
        if (name === "table") return;
        var panel = document.createElement("div");
        panel.id = panelId(name);
        panel.className = "view-panel view-" + name;
        panel.setAttribute("role", "tabpanel");
        panel.setAttribute("aria-labelledby", tab.id);
        panel.hidden = true;
        results.parentNode.insertBefore(panel, results.nextSibling);
      });
      results.setAttribute("role", "tabpanel");
      results.setAttribute("aria-labelledby", "view-tab-table");
      results.parentNode.insertBefore(tablist, results);
      select("table", false);
    }

    function panelId(name) { return name === "table" ? page.results.id : "view-" + name; }

    function select(name, focus) {
      tablist.querySelectorAll("[role=tab]").forEach(function (tab) {
        var on = tab.id === "view-tab-" + name;
        tab.setAttribute("aria-selected", on ? "true" : "false");
        tab.tabIndex = on ? 0 : -1;
        document.getElementById(tab.getAttribute("aria-controls")).hidden = !on;
        if (on && focus) tab.focus();
      });
      if (name !== "table" && !state.drawn[name]) {
        state.drawn[name] = true;
        var panel = document.getElementById(panelId(name));
        if (name === "graph") D55Views.drawGraph(panel, state.links, helpers);
        else D55Views.drawTimeline(panel, state, helpers);
      }
    }

    /** Arrow keys move along the tabs (mirrored in a right-to-left page), Home and End to the ends. */
    function keydown(event) {
      var tabs = Array.prototype.slice.call(tablist.querySelectorAll("[role=tab]"));
      var at = tabs.indexOf(event.currentTarget);
      var rtl = getComputedStyle(tablist).direction === "rtl";
      var step = { ArrowRight: rtl ? -1 : 1, ArrowLeft: rtl ? 1 : -1 }[event.key];
      var to = step ? (at + step + tabs.length) % tabs.length : event.key === "Home" ? 0 : event.key === "End" ? tabs.length - 1 : -1;
      if (to < 0) return;
      event.preventDefault();
      select(tabs[to].id.slice("view-tab-".length), true);
    }

    function clear() {
      state = null;
      registry = {};
      if (tablist) tablist.remove();
      tablist = null;
      document.querySelectorAll(".view-panel").forEach(function (panel) { panel.remove(); });
      page.results.removeAttribute("role");
      page.results.removeAttribute("aria-labelledby");
      page.results.hidden = false;
    }

    /** Labels arrived (iri -> {text}): every drawn label of those IRIs reads them. */
    function relabel(best) {
      Object.keys(best).forEach(function (iri) {
        (registry[iri] || []).forEach(function (set) { set(best[iri].text); });
      });
    }

    return { show: show, clear: clear, relabel: relabel };
  };

  // --- SVG helpers shared by the views ---------------------------------------------------------

  var SVG = "http://www.w3.org/2000/svg";

  /** An SVG element with attributes (presentation attributes, never a style attribute). */
  D55Views.svg = function (name, attributes, parent) {
    var element = document.createElementNS(SVG, name);
    Object.keys(attributes || {}).forEach(function (key) { element.setAttribute(key, attributes[key]); });
    if (parent) parent.appendChild(element);
    return element;
  };

  /** A link in an SVG to where `term` leads (our page, a Wikidata item), or a plain group. */
  D55Views.linkFor = function (term, page, parent) {
    var href = term && term.type === "uri" ? page.hrefFor(term.value) : null;
    var node = D55Views.svg(href ? "a" : "g", href ? { href: href } : {}, parent);
    if (term && term.type === "uri") D55Views.svg("title", {}, node).textContent = term.value;
    return node;
  };

  /** A notice above a view: what was left out and where to find it. */
  D55Views.notice = function (panel, text) {
    var p = document.createElement("p");
    p.className = "notice view-notice";
    p.textContent = text;
    panel.appendChild(p);
  };
})();
