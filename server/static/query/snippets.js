/* "Copy as code": the query as it stands in the editor, as a curl command, a Python program
 * (SPARQLWrapper) and a JavaScript one (fetch), sent to this endpoint's absolute URL.
 *
 * Each snippet quotes the query for its language: a shell's single quotes, a Python triple-quoted
 * string, a JavaScript template literal, with what would end or alter them escaped. The result is
 * asked in a form that suits the query (CSV or SPARQL JSON for SELECT and ASK, Turtle for CONSTRUCT
 * and DESCRIBE).
 */
(function () {
  "use strict";

  var Q = window.D55Query;
  if (!Q) return;
  var textarea = Q.textarea;
  var T = Q.tools.texts;
  var ENDPOINT = new URL(Q.endpoint, window.location.href).href;
  var LANGUAGES = [["curl", "curl"], ["python", "Python (SPARQLWrapper)"], ["javascript", "JavaScript (fetch)"]];
  var chosen = "curl";

  /** SELECT, ASK, CONSTRUCT or DESCRIBE: the first of those keywords in the query. */
  function form(query) {
    var tokens = window.D55Highlight.tokens(query);
    for (var i = 0; i < tokens.length; i++) {
      var word = tokens[i][1].toUpperCase();
      if (tokens[i][0] === "keyword" && /^(SELECT|ASK|CONSTRUCT|DESCRIBE)$/.test(word)) return word;
    }
    return "SELECT";
  }

  function shellQuote(text) {
    return "'" + text.replace(/'/g, "'\\''") + "'";
  }

  /** A Python string literal: triple-quoted, so the query reads as written. */
  function pythonString(text) {
    return '"""' + text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g,
      function (c) { return "\\x" + ("0" + c.charCodeAt(0).toString(16)).slice(-2); }) + '"""';
  }

  /** A JavaScript template literal (\r escaped: a literal one would be read as \n). */
  function templateLiteral(text) {
    return "`" + text.replace(/\\/g, "\\\\").replace(/`/g, "\\`").replace(/\$\{/g, "\\${")
      .replace(/\r/g, "\\r") + "`";
  }

  function curl(query, kind) {
    var accept = kind === "graph" ? "text/turtle" : "text/csv";
    return "curl -sS -H " + shellQuote("Accept: " + accept) + " \\\n  --data-urlencode " +
      shellQuote("query=" + query) + " \\\n  " + shellQuote(ENDPOINT);
  }

  function python(query, kind) {
    var lines = [
      "from SPARQLWrapper import SPARQLWrapper, " + (kind === "graph" ? "TURTLE" : "JSON") + ", POST",
      "",
      "sparql = SPARQLWrapper(" + JSON.stringify(ENDPOINT) + ")",
      "sparql.setMethod(POST)",
      "sparql.setQuery(" + pythonString(query) + ")",
      "sparql.setReturnFormat(" + (kind === "graph" ? "TURTLE" : "JSON") + ")",
      "results = sparql.queryAndConvert()"
    ];
    if (kind === "graph") lines.push("print(results.decode(\"utf-8\"))");
    else if (kind === "boolean") lines.push("print(results[\"boolean\"])");
    else {
      lines.push("names = results[\"head\"][\"vars\"]", "print(\"\\t\".join(names))",
        "for row in results[\"results\"][\"bindings\"]:",
        "    print(\"\\t\".join(row[name][\"value\"] if name in row else \"\" for name in names))");
    }
    return lines.join("\n");
  }

  function javascript(query, kind) {
    var accept = kind === "graph" ? "text/turtle" : "application/sparql-results+json";
    var lines = [
      "const query = " + templateLiteral(query) + ";",
      "const response = await fetch(" + JSON.stringify(ENDPOINT) + ", {",
      "  method: \"POST\",",
      "  headers: { \"Accept\": " + JSON.stringify(accept) + " },",
      "  body: new URLSearchParams({ query }),",
      "});",
      "if (!response.ok) throw new Error(await response.text());"
    ];
    if (kind === "graph") lines.push("console.log(await response.text());");
    else if (kind === "boolean") lines.push("console.log((await response.json()).boolean);");
    else {
      lines.push("const results = await response.json();", "const names = results.head.vars;",
        "console.log(names.join(\"\\t\"));",
        "for (const row of results.results.bindings) {",
        "  console.log(names.map((name) => (row[name] ? row[name].value : \"\")).join(\"\\t\"));",
        "}");
    }
    return lines.join("\n");
  }

  /** The snippet in `language` for the editor's query, [AUTO_LANGUAGE] read as the page does. */
  function snippet(language) {
    var query = textarea.value.split("[AUTO_LANGUAGE]").join(Q.page.lang);
    var word = form(query);
    var kind = word === "ASK" ? "boolean" : word === "SELECT" ? "solutions" : "graph";
    return { curl: curl, python: python, javascript: javascript }[language](query, kind);
  }

  // --- the panel ----------------------------------------------------------

  var panel = document.createElement("details");
  panel.id = "copy-as";
  panel.className = "query-tool";
  var summary = document.createElement("summary");
  summary.textContent = T.copy_as;
  var tabs = document.createElement("div");
  tabs.setAttribute("role", "tablist");
  tabs.setAttribute("aria-label", T.code_language);
  tabs.className = "snippet-tabs";
  var body = document.createElement("div");
  body.id = "snippet-panel";
  body.setAttribute("role", "tabpanel");
  var intro = document.createElement("p");
  intro.className = "snippet-intro";
  intro.textContent = Q.fill(T.snippet_intro, { endpoint: ENDPOINT });
  var pre = document.createElement("pre");
  pre.className = "snippet";
  pre.dir = "ltr";
  var code = document.createElement("code");
  code.id = "snippet-code";
  pre.appendChild(code);
  var copy = document.createElement("button");
  copy.type = "button";
  copy.id = "snippet-copy";
  copy.textContent = T.copy;
  var copied = document.createElement("span");
  copied.id = "snippet-status";
  copied.setAttribute("role", "status");
  body.append(intro, pre, copy, copied);
  LANGUAGES.forEach(function (language) {
    var tab = document.createElement("button");
    tab.type = "button";
    tab.id = "snippet-tab-" + language[0];
    tab.dataset.language = language[0];
    tab.setAttribute("role", "tab");
    tab.setAttribute("aria-controls", body.id);
    tab.textContent = language[1];
    tab.addEventListener("click", function () { choose(language[0]); });
    tab.addEventListener("keydown", function (event) {
      var step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: 1, ArrowUp: -1 }[event.key];
      if (!step) return;
      event.preventDefault();
      if (document.documentElement.dir === "rtl" && /Left|Right/.test(event.key)) step = -step;
      var names = LANGUAGES.map(function (l) { return l[0]; });
      choose(names[(names.indexOf(chosen) + step + names.length) % names.length]);
      document.getElementById("snippet-tab-" + chosen).focus();
    });
    tabs.appendChild(tab);
  });
  panel.append(summary, tabs, body);
  Q.toolbox().appendChild(panel);

  function choose(language) {
    chosen = language;
    tabs.querySelectorAll("[role=tab]").forEach(function (tab) {
      var on = tab.dataset.language === language;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.tabIndex = on ? 0 : -1;
      if (on) body.setAttribute("aria-labelledby", tab.id);
    });
    show();
  }

  function show() {
    if (!panel.open) return;
    code.textContent = snippet(chosen);
    copied.textContent = "";
  }

  copy.addEventListener("click", function () {
    var text = code.textContent;
    var done = function () { copied.textContent = T.copied; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { copyBySelection(text) ? done() : refused(); });
    } else if (copyBySelection(text)) done();
    else refused();
  });

  function refused() {
    copied.textContent = T.copy_refused;
    window.getSelection().selectAllChildren(code);
  }

  /** Where the clipboard API is missing (a page over plain HTTP): copy a selection, as browsers long did. */
  function copyBySelection(text) {
    var scratch = document.createElement("textarea");
    scratch.value = text;
    scratch.setAttribute("readonly", "");
    scratch.className = "visually-hidden";
    document.body.appendChild(scratch);
    scratch.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (error) { ok = false; }
    scratch.remove();
    return ok;
  }


  panel.addEventListener("toggle", show);
  textarea.addEventListener("input", show);
  choose(chosen);
  window.D55Snippets = { snippet: snippet };
})();
