/* The query page: send the query to /sparql like any client, and show the answer as a table.
 *
 * Everything shown back (results, labels, error messages) is set with textContent or as
 * attribute values through the DOM: never parsed as HTML. No inline script, no network
 * access beyond this server.
 */
(function () {
  "use strict";

  var root = document.getElementById("query-page");
  if (!root) return;
  var form = document.getElementById("query-form");
  var textarea = document.getElementById("query");
  var code = document.getElementById("highlight");
  var examples = document.getElementById("examples");
  var statusLine = document.getElementById("status");
  var truncated = document.getElementById("truncated");
  var errorBox = document.getElementById("error");
  var results = document.getElementById("results");
  var share = document.getElementById("share");
  var downloads = document.getElementById("downloads");

  var ENDPOINT = form.getAttribute("action");
  var NAMESPACE = root.dataset.namespace;
  // The page's language and its strings, from the server's i18n table (a JSON block, not a script).
  var PAGE = JSON.parse(document.getElementById("query-texts").textContent);
  var LANG = PAGE.lang;
  var WIKIDATA_ENTITY = "http://www.wikidata.org/entity/";
  var MAX_LABELLED = 300;
  var T = PAGE.texts;
  // Maghreb usage: Arabic text with Western digits, as the page's other numbers are written.
  var NUMBERS = new Intl.NumberFormat(LANG === "ar" ? "ar-u-nu-latn" : LANG, { useGrouping: false });
  var PLURAL = new Intl.PluralRules(LANG);

  /** `text` with each {name} replaced by values[name]. */
  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  /** `n` of the counted phrase `key` ("rows", "triples") with the plural form the language wants. */
  function counted(key, n) {
    var forms = PAGE.plurals[key];
    return fill(forms[PLURAL.select(n)] || forms.other, { n: NUMBERS.format(n) });
  }

  var PREFIXES = readPrefixes();

  function readPrefixes() {
    var out = [];
    document.querySelectorAll(".prefixes tr").forEach(function (row) {
      var cells = row.querySelectorAll("code");
      if (cells.length === 2) out.push([cells[0].textContent.replace(/:$/, ""), cells[1].textContent]);
    });
    // The longest namespace first, so d55: does not shadow a longer one.
    return out.sort(function (a, b) { return b[1].length - a[1].length; });
  }

  // --- editor -------------------------------------------------------------
  //
  // The textarea holds the text, the caret, the selection and the undo history; the <pre> below
  // it is redrawn from textarea.value on every change. Both layers inherit one font from .editor
  // (query.css), so the characters painted below are where the textarea puts its caret.

  var INDENT = "  ";
  var tabLeaves = false;  // after Escape, Tab moves the focus on, as a keyboard user expects

  function refresh() {
    var caret = textarea.selectionStart === textarea.selectionEnd ? textarea.selectionStart : -1;
    var pair = caret >= 0 && document.activeElement === textarea
      ? window.D55Highlight.matchBracket(textarea.value, caret) : null;
    window.D55Highlight.render(code, textarea.value, pair || []);
    emit("render", code);
    syncScroll();
  }

  function syncScroll() {
    code.parentNode.scrollTop = textarea.scrollTop;
    code.parentNode.scrollLeft = textarea.scrollLeft;
  }

  /** Replace the characters from `start` to `end` with `text` as typing would: undo keeps it. */
  function edit(start, end, text) {
    textarea.focus();
    textarea.setSelectionRange(start, end);
    if (!document.execCommand || !document.execCommand("insertText", false, text)) {
      textarea.setRangeText(text, start, end, "end");  // no undo step, but the same text
      refresh();
    }
  }

  function indent(outdent) {
    var value = textarea.value, start = textarea.selectionStart, end = textarea.selectionEnd;
    var lineStart = value.lastIndexOf("\n", start - 1) + 1;
    if (!outdent && start === end) { edit(start, end, INDENT); return; }
    var lineEnd = value.indexOf("\n", end > start && value[end - 1] === "\n" ? end - 1 : end);
    if (lineEnd < 0) lineEnd = value.length;
    var lines = value.slice(lineStart, lineEnd).split("\n");
    var changed = lines.map(function (line) {
      return outdent ? line.replace(/^ {1,2}|^\t/, "") : INDENT + line;
    });
    var text = changed.join("\n");
    if (text === lines.join("\n")) return;
    var firstShift = changed[0].length - lines[0].length;
    edit(lineStart, lineEnd, text);
    textarea.setSelectionRange(Math.max(lineStart, start + firstShift), lineStart + text.length);
  }

  textarea.addEventListener("input", refresh);
  textarea.addEventListener("scroll", syncScroll);
  textarea.addEventListener("blur", refresh);
  // Caret moves: Chromium tells the textarea itself, older engines the document.
  textarea.addEventListener("selectionchange", refresh);
  document.addEventListener("selectionchange", function () {
    if (document.activeElement === textarea) refresh();
  });
  textarea.addEventListener("keyup", refresh);
  textarea.addEventListener("mouseup", refresh);
  textarea.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      run();
    } else if (event.key === "Escape") {
      tabLeaves = true;
    } else if (event.key === "Tab" && !tabLeaves && !event.ctrlKey && !event.altKey && !event.metaKey) {
      event.preventDefault();
      indent(event.shiftKey);
    } else if (event.key !== "Shift") {
      tabLeaves = false;
    }
  });
  textarea.addEventListener("focus", function () { tabLeaves = false; });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    run();
  });
  examples.addEventListener("change", function () {
    var option = examples.options[examples.selectedIndex];
    if (!option || !option.dataset.query) return;
    edit(0, textarea.value.length, option.dataset.query);  // one undo step brings the previous query back
    textarea.setSelectionRange(0, 0);
    textarea.scrollTop = 0;
    refresh();
  });

  // --- running ------------------------------------------------------------

  function run() {
    // As the Wikidata Query Service's interface does: the label service's [AUTO_LANGUAGE] is the page's.
    var written = textarea.value, query = written.split("[AUTO_LANGUAGE]").join(LANG);
    clear();
    emit("run", { query: written });
    statusLine.textContent = T.running;
    var started = performance.now();
    var body = new URLSearchParams();
    body.set("query", query);
    fetch(ENDPOINT, {
      method: "POST",
      headers: { "Accept": "application/sparql-results+json, application/n-triples;q=0.9" },
      body: body
    }).then(function (response) {
      return response.text().then(function (text) {
        var outcome = show(query, response, text, performance.now() - started);
        if (outcome) emit("ran", { query: written, n: outcome.n, unit: outcome.graph ? "triples" : "rows" });
      });
    }).catch(function (error) {
      statusLine.textContent = "";
      showError(T.network + error.message, null);
    });
  }

  function clear() {
    results.replaceChildren();
    shown = null;
    errorBox.hidden = true;
    truncated.hidden = true;
    downloads.hidden = true;
    if (VIEWS) VIEWS.clear();
  }

  function show(query, response, text, milliseconds) {
    updateShare(query);
    if (!response.ok) {
      statusLine.textContent = response.status + " " + response.statusText;
      showError(text, text);
      return;
    }
    var type = response.headers.get("Content-Type") || "";
    var shown = type.indexOf("application/sparql-results+json") === 0 ? showResults(JSON.parse(text))
                                                                       : showTriples(text);
    statusLine.textContent = fill(T.status, { count: shown.count, ms: NUMBERS.format(Math.round(milliseconds)) });
    if (response.headers.get("X-SPARQL-Truncated")) {
      truncated.textContent = fill(T.cut, { rows: counted("rows", PAGE.maxRows) });
      truncated.hidden = false;
    }
    showDownloads(query, shown.graph);
    return shown;
  }

  function showError(message, serverText) {
    errorBox.textContent = message;
    errorBox.hidden = false;
    // The server says "line 3, column 1" (older engines behind it: "at 3:1").
    var position = serverText && /(?:line |at )(\d+)(?:, column |:)(\d+)/.exec(serverText);
    if (position) {
      var line = Number(position[1]), column = Number(position[2]);
      errorBox.textContent = fill(T.error_at, { line: NUMBERS.format(line), column: NUMBERS.format(column) }) +
        "\n" + message;
      selectPosition(line, column);
      emit("error", { line: line, column: column });
    }
  }

  function selectPosition(line, column) {
    var lines = textarea.value.split("\n");
    var offset = 0;
    for (var i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
    offset = Math.min(textarea.value.length, offset + Math.max(0, column - 1));
    textarea.focus();
    textarea.setSelectionRange(offset, Math.min(textarea.value.length, offset + 1));
  }

  // --- results ------------------------------------------------------------

  function showResults(json) {
    if (Object.prototype.hasOwnProperty.call(json, "boolean")) {
      var p = document.createElement("p");
      p.className = "boolean";
      p.textContent = json.boolean ? T["true"] : T["false"];
      results.appendChild(p);
      return { count: counted("rows", 1), n: 1, graph: false };
    }
    var variables = json.head.vars || [];
    var rows = json.results.bindings.map(function (binding) {
      return variables.map(function (v) { return binding[v] || null; });
    });
    table(variables, rows);
    return { count: counted("rows", rows.length), n: rows.length, graph: false };
  }

  function showTriples(text) {
    var rows = text.split("\n").filter(function (line) { return line.trim(); }).map(parseTriple);
    table([T.subject, T.predicate, T.object], rows, true);
    return { count: counted("triples", rows.length), n: rows.length, graph: true };
  }

  var NT_TERM = /<([^>]*)>|_:(\S+)|"((?:[^"\\]|\\.)*)"(?:@([A-Za-z0-9-]+)|\^\^<([^>]*)>)?/g;

  function parseTriple(line) {
    var terms = [], match;
    NT_TERM.lastIndex = 0;
    while ((match = NT_TERM.exec(line)) !== null && terms.length < 3) {
      if (match[1] !== undefined) terms.push({ type: "uri", value: unescapeNT(match[1]) });
      else if (match[2] !== undefined) terms.push({ type: "bnode", value: match[2] });
      else terms.push({ type: "literal", value: unescapeNT(match[3]), "xml:lang": match[4], datatype: match[5] });
    }
    return terms;
  }

  function unescapeNT(text) {
    return text.replace(/\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)/g, function (_, e) {
      if (e[0] === "u" || e[0] === "U") return String.fromCodePoint(parseInt(e.slice(1), 16));
      return { t: "\t", n: "\n", r: "\r", b: "\b", f: "\f" }[e] || e;
    });
  }

  // The table: sorted by any column, filtered by any text, shown a page at a time. The rows stay
  // in memory as the endpoint sent them; only the page shown is in the DOM.
  var PAGE_SIZE = 100;
  var LABELS = {};  // iri -> its label in the page's language (or the fallback), once fetched
  var shown = null;  // the current table's state

  function table(headings, rows, triples) {
    shown = { headings: headings, rows: rows, column: -1, descending: false, filter: "", page: 0, iris: {} };
    var tools = document.createElement("div");
    tools.className = "table-tools";
    var label = document.createElement("label");
    label.textContent = T.filter + " ";
    var input = document.createElement("input");
    input.type = "search";
    input.id = "results-filter";
    input.addEventListener("input", function () { shown.filter = fold(input.value); shown.page = 0; draw(); });
    label.appendChild(input);
    var pager = document.createElement("span");
    pager.className = "pager";
    pager.id = "results-pager";
    tools.append(label, pager);
    var tableElement = document.createElement("table");
    var head = tableElement.createTHead().insertRow();
    headings.forEach(function (heading, index) {
      var th = document.createElement("th");
      th.scope = "col";
      th.setAttribute("aria-sort", "none");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.textContent = heading;
      button.title = fill(T.sort, { column: heading });
      button.addEventListener("click", function () {
        shown.descending = shown.column === index ? !shown.descending : false;
        shown.column = index;
        shown.page = 0;
        draw();
      });
      th.appendChild(button);
      head.appendChild(th);
    });
    tableElement.createTBody();
    results.append(tools, tableElement);
    var all = {};
    rows.forEach(function (row) { row.forEach(function (t) { if (t && t.type === "uri") all[t.value] = true; }); });
    draw();
    fetchLabels(Object.keys(all).filter(function (iri) { return !LABELS[iri]; }));
    if (VIEWS) VIEWS.show(headings, rows, !!triples);
  }

  /** Lower case, without accents: "Algérie" and "algerie" are found by the same filter. */
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f\u064b-\u065f\u0670]/g, "").toLowerCase();
  }

  /** What a cell shows, for sorting and filtering: the label of an IRI, else its text. */
  function cellText(term) {
    if (!term) return "";
    if (term.type === "uri") return LABELS[term.value] || compact(term.value);
    return term.value;
  }

  var COLLATOR = new Intl.Collator(LANG, { numeric: true, sensitivity: "base" });

  function compareTerms(a, b) {
    if (!a || !b) return a ? -1 : b ? 1 : 0;  // unbound values last
    var x = Number(a.value), y = Number(b.value);
    if (a.type === "literal" && b.type === "literal" && a.datatype && b.datatype &&
        a.value.trim() !== "" && b.value.trim() !== "" && !isNaN(x) && !isNaN(y)) return x - y;
    return COLLATOR.compare(cellText(a), cellText(b));
  }

  function draw() {
    var state = shown;
    var rows = state.rows;
    if (state.filter) {
      rows = rows.filter(function (row) {
        return row.some(function (term) {
          return term && fold(cellText(term) + " " + (term.value || "")).indexOf(state.filter) >= 0;
        });
      });
    }
    if (state.column >= 0) {
      rows = rows.map(function (row, i) { return [row, i]; }).sort(function (a, b) {
        var order = compareTerms(a[0][state.column], b[0][state.column]) || a[1] - b[1];  // stable
        return state.descending ? -order : order;
      }).map(function (pair) { return pair[0]; });
    }
    var pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
    state.page = Math.min(state.page, pages - 1);
    var body = results.querySelector("tbody");
    var fragment = document.createDocumentFragment();
    state.iris = {};
    rows.slice(state.page * PAGE_SIZE, (state.page + 1) * PAGE_SIZE).forEach(function (row) {
      var tr = document.createElement("tr");
      row.forEach(function (term) {
        var cell = tr.insertCell();
        if (term) cell.appendChild(termNode(term, state.iris));
      });
      fragment.appendChild(tr);
    });
    body.replaceChildren(fragment);
    results.querySelectorAll("thead th").forEach(function (th, index) {
      th.setAttribute("aria-sort", index !== state.column ? "none" : state.descending ? "descending" : "ascending");
    });
    drawPager(rows.length, pages);
  }

  function drawPager(count, pages) {
    var pager = document.getElementById("results-pager");
    var parts = [];
    if (shown.filter) parts.push(fill(T.shown, { shown: NUMBERS.format(count), total: counted("rows", shown.rows.length) }));
    if (pages > 1) {
      parts.push(pageButton(T.previous, shown.page - 1, shown.page === 0, "results-previous"));
      parts.push(fill(T.page_n, { page: NUMBERS.format(shown.page + 1), pages: NUMBERS.format(pages) }));
      parts.push(pageButton(T.next, shown.page + 1, shown.page >= pages - 1, "results-next"));
    }
    pager.replaceChildren.apply(pager, parts.map(function (part) {
      if (typeof part !== "string") return part;
      var span = document.createElement("span");
      span.textContent = part;
      return span;
    }));
  }

  function pageButton(text, page, disabled, id) {
    var button = document.createElement("button");
    button.type = "button";
    button.id = id;
    button.textContent = text;
    button.disabled = disabled;
    button.addEventListener("click", function () { shown.page = page; draw(); document.getElementById(id).focus(); });
    return button;
  }

  function termNode(term, iris) {
    if (term.type === "uri") return iriNode(term.value, iris);
    if (term.type === "bnode") return document.createTextNode("_:" + term.value);
    if (term.type === "triple") return document.createTextNode("<< … >>");
    var span = document.createElement("span");
    var value = document.createElement("bdi");  // a literal in its own direction, whatever the page's
    value.textContent = term.value;
    if (term["xml:lang"]) value.lang = term["xml:lang"];
    span.appendChild(value);
    var suffix = term["xml:lang"] ? "@" + term["xml:lang"] : term.datatype ? "^^" + compact(term.datatype) : "";
    if (suffix) {
      var small = document.createElement("span");
      small.className = term["xml:lang"] ? "lang" : "datatype";
      small.textContent = suffix;
      span.appendChild(small);
    }
    return span;
  }

  function iriNode(iri, iris) {
    var href = hrefFor(iri);
    var node = document.createElement(href ? "a" : "span");
    if (href) node.href = href;
    if (iri.indexOf(WIKIDATA_ENTITY) === 0) node.className = "wikidata";
    node.textContent = LABELS[iri] || compact(iri);
    node.title = iri;
    (iris[iri] = iris[iri] || []).push(node);
    return node;
  }

  /** Where an IRI leads: our resources on this server, Wikidata items on Wikidata. */
  function hrefFor(iri) {
    if (iri.indexOf(NAMESPACE) === 0) return "/" + iri.slice(NAMESPACE.length);
    if (iri.indexOf(WIKIDATA_ENTITY) === 0) {
      var id = iri.slice(WIKIDATA_ENTITY.length);
      return "https://www.wikidata.org/wiki/" + (id[0] === "P" ? "Property:" : "") + id;
    }
    return /^https?:\/\//.test(iri) ? iri : null;
  }

  function compact(iri) {
    for (var i = 0; i < PREFIXES.length; i++) {
      var local = iri.slice(PREFIXES[i][1].length);
      if (iri.indexOf(PREFIXES[i][1]) === 0 && /^[\w.\-]*$/.test(local)) return PREFIXES[i][0] + ":" + local;
    }
    return "<" + iri + ">";
  }

  // --- labels: a second query to the same endpoint ------------------------

  function fetchLabels(list) {
    var safe = list.filter(function (iri) { return /^[^\s<>"{}|^`\\]+$/.test(iri); }).slice(0, MAX_LABELLED);
    if (!safe.length) return;
    var query = "SELECT ?iri ?label WHERE { VALUES ?iri { " + safe.map(function (iri) { return "<" + iri + ">"; }).join(" ") +
      " } ?iri rdfs:label|skos:prefLabel ?label }";
    var body = new URLSearchParams();
    body.set("query", query);
    fetch(ENDPOINT, { method: "POST", headers: { "Accept": "application/sparql-results+json" }, body: body })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (json) { if (json) applyLabels(json.results.bindings); })
      .catch(function () { /* labels are a comfort: the IRIs stay shown */ });
  }

  function applyLabels(bindings) {
    var best = {};
    bindings.forEach(function (b) {
      var rank = labelRank(b.label["xml:lang"]);
      var iri = b.iri.value;
      if (!best[iri] || rank < best[iri].rank) best[iri] = { rank: rank, text: b.label.value };
    });
    Object.keys(best).forEach(function (iri) { LABELS[iri] = best[iri].text; });
    if (VIEWS) VIEWS.relabel(best);
    if (!shown) return;
    Object.keys(best).forEach(function (iri) {
      (shown.iris[iri] || []).forEach(function (node) {
        node.textContent = best[iri].text;
        node.title = iri;
      });
    });
  }

  function labelRank(lang) {
    var order = PAGE.labels;  // the page's language, then the site's fallback chain
    var i = order.indexOf(lang || "");
    return i < 0 ? order.length : i;
  }

  // --- sharing and downloading ---------------------------------------------

  function queryUrl(query, format) {
    var params = new URLSearchParams();
    params.set("query", query);
    if (format) params.set("format", format);
    return ENDPOINT + "?" + params.toString();
  }

  function updateShare(query) {
    share.href = queryUrl(query);
    share.hidden = false;
    if (window.history && window.history.replaceState) window.history.replaceState(null, "", share.href);
  }

  function showDownloads(query, graph) {
    var names = (graph ? root.dataset.graphFormats : root.dataset.resultFormats).split(" ");
    downloads.querySelectorAll("a").forEach(function (a) { a.remove(); });
    names.forEach(function (name) {
      var a = document.createElement("a");
      a.href = queryUrl(query, name);
      a.download = "result." + name;
      a.textContent = name;
      downloads.appendChild(a);
    });
    downloads.hidden = false;
  }

  // The answer's other views (graph, timeline) and their tabs: views.js.
  var VIEWS = window.D55Views ? window.D55Views.attach({
    results: results, labels: LABELS, texts: T, lang: LANG, fill: fill, counted: counted, numbers: NUMBERS,
    compact: compact, hrefFor: hrefFor }) : null;

  // --- the editor's tools (complete.js, marker.js, snippets.js, history.js) hook in here ---------

  var listeners = {};

  /** Tell the tools that `name` happened: "render" (the highlight layer was redrawn), "run", "ran", "error". */
  function emit(name, detail) {
    (listeners[name] || []).forEach(function (listener) { listener(detail); });
  }

  /** The row of tools under the editor (copy as code, history), made once for all of them. */
  function toolbox() {
    var box = document.getElementById("query-tools-box");
    if (!box) {
      box = document.createElement("div");
      box.id = "query-tools-box";
      box.className = "query-tools";
      form.after(box);
    }
    return box;
  }

  var toolsData = document.getElementById("query-tools");
  window.D55Query = {
    page: PAGE, endpoint: ENDPOINT, prefixes: PREFIXES, textarea: textarea, code: code,
    edit: edit, refresh: refresh, run: run, fill: fill, counted: counted, fold: fold, compact: compact,
    tools: toolsData ? JSON.parse(toolsData.textContent) : { texts: {} }, toolbox: toolbox,
    on: function (name, listener) { (listeners[name] = listeners[name] || []).push(listener); }
  };

  refresh();
  if (root.dataset.autorun === "true") run();
})();
