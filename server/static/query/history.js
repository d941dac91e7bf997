/* History: the queries run on this page, newest first, with when they ran and how many rows they
 * gave, kept in this browser's localStorage (never sent anywhere). Picking one puts it back in the
 * editor, as one undo step. At most historyCap are kept; running a query again moves it to the top.
 */
(function () {
  "use strict";

  var Q = window.D55Query;
  if (!Q) return;
  var TOOLS = Q.tools;
  var T = TOOLS.texts;
  var LANG = Q.page.lang;
  var CAP = TOOLS.historyCap;
  var KEY = "dialogue55.query-history";
  var LOCALE = LANG === "ar" ? "ar-u-nu-latn" : LANG;  // Western digits, as the rest of the page
  var RELATIVE = new Intl.RelativeTimeFormat(LOCALE, { numeric: "auto" });
  var ABSOLUTE = new Intl.DateTimeFormat(LOCALE, { dateStyle: "medium", timeStyle: "medium" });
  var memory = [];  // where the entries live when localStorage cannot keep them

  function load() {
    try {
      var kept = JSON.parse(window.localStorage.getItem(KEY) || "[]");
      return Array.isArray(kept) ? kept.filter(valid).slice(0, CAP) : [];
    } catch (error) {
      return memory;
    }
  }

  function valid(entry) {
    return entry && typeof entry.query === "string" && typeof entry.time === "number" && typeof entry.n === "number";
  }

  function save(entries) {
    memory = entries;
    try { window.localStorage.setItem(KEY, JSON.stringify(entries)); } catch (error) { /* private mode, full */ }
  }

  Q.on("ran", function (outcome) {
    var entries = load().filter(function (entry) { return entry.query !== outcome.query; });
    entries.unshift({ query: outcome.query, time: Date.now(), n: outcome.n, unit: outcome.unit });
    save(entries.slice(0, CAP));
    draw();
  });

  // --- the panel ----------------------------------------------------------

  var panel = document.createElement("details");
  panel.id = "history";
  panel.className = "query-tool";
  var summary = document.createElement("summary");
  var intro = document.createElement("p");
  intro.className = "history-intro";
  intro.textContent = Q.fill(T.history_intro, { count: Q.counted("queries", CAP) });
  var listing = document.createElement("ol");
  listing.id = "history-list";
  var empty = document.createElement("p");
  empty.id = "history-empty";
  empty.textContent = T.history_empty;
  var clear = document.createElement("button");
  clear.type = "button";
  clear.id = "history-clear";
  clear.textContent = T.history_clear;
  clear.addEventListener("click", function () {
    save([]);
    try { window.localStorage.removeItem(KEY); } catch (error) { /* nothing kept */ }
    draw();
  });
  panel.append(summary, intro, listing, empty, clear);
  Q.toolbox().appendChild(panel);

  function draw() {
    var entries = load();
    summary.textContent = Q.fill(T.history, { count: Q.counted("queries", entries.length) });
    empty.hidden = entries.length > 0;
    clear.hidden = entries.length === 0;
    var now = Date.now();
    listing.replaceChildren.apply(listing, entries.map(function (entry) { return item(entry, now); }));
  }

  function item(entry, now) {
    var li = document.createElement("li");
    var pick = document.createElement("button");
    pick.type = "button";
    pick.className = "history-pick";
    pick.title = T.history_load;
    var text = document.createElement("code");
    text.dir = "ltr";
    text.textContent = gist(entry.query);
    pick.appendChild(text);
    pick.addEventListener("click", function () { reload(entry.query); });
    var meta = document.createElement("span");
    meta.className = "history-meta";
    var time = document.createElement("time");
    time.dateTime = new Date(entry.time).toISOString();
    time.textContent = ago(now - entry.time);
    time.title = ABSOLUTE.format(new Date(entry.time));
    var rows = document.createElement("span");
    rows.className = "history-rows";
    rows.textContent = Q.counted(entry.unit === "triples" ? "triples" : "rows", entry.n);
    meta.append(time, " · ", rows);
    li.append(pick, meta);
    return li;
  }

  /** The query on one line: without its prologue and comments, spaces collapsed, cut if long. */
  function gist(query) {
    var body = query.split("\n").filter(function (line) {
      return !/^\s*(PREFIX|BASE)\b/i.test(line) && !/^\s*#/.test(line);
    }).join(" ").replace(/\s+/g, " ").trim() || query.trim();
    return body.length > 120 ? body.slice(0, 119) + "…" : body;
  }

  function ago(milliseconds) {
    var seconds = Math.round(milliseconds / 1000);
    if (seconds < 60) return RELATIVE.format(-seconds, "second");
    if (seconds < 3600) return RELATIVE.format(-Math.round(seconds / 60), "minute");
    if (seconds < 86400) return RELATIVE.format(-Math.round(seconds / 3600), "hour");
    return RELATIVE.format(-Math.round(seconds / 86400), "day");
  }

  function reload(query) {
    var textarea = Q.textarea;
    Q.edit(0, textarea.value.length, query);  // one undo step brings the previous text back
    textarea.setSelectionRange(0, 0);
    textarea.scrollTop = 0;
    Q.refresh();
  }


  panel.addEventListener("toggle", function () { if (panel.open) draw(); });
  window.addEventListener("storage", function (event) { if (event.key === KEY) draw(); });  // another tab
  draw();
})();
