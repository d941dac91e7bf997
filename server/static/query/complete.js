/* Completion in the query editor, as on the Wikidata Query Service: Ctrl+Space, or as you type
 * after ":" or "?".
 *
 * It offers SPARQL keywords and functions; prefixes, adding the PREFIX line a known prefix needs
 * when the query does not declare it; the ontology's classes and properties, found by their
 * labels in any language and shown with the page's (the terms come with the page, see
 * server/sparql/editor_tools.py); resources by label in any language and script, accents folded
 * (the site's /search), inserted as prefixed names; the variables already in the query.
 *
 * The list is a listbox the textarea drives through aria-activedescendant: arrows move, Enter or
 * Tab accepts, Escape closes. Everything shown is set with textContent.
 */
(function () {
  "use strict";

  var Q = window.D55Query;
  if (!Q) return;
  var textarea = Q.textarea;
  var editor = textarea.parentNode;
  var TOOLS = Q.tools;
  var T = TOOLS.texts;
  var LANG = Q.page.lang;
  var MAX_SHOWN = 50;
  var SEARCH_DELAY = 120;  // ms of quiet typing before the label search is asked

  var KEYWORDS = ("SELECT CONSTRUCT DESCRIBE ASK WHERE FROM NAMED PREFIX BASE DISTINCT REDUCED OPTIONAL " +
    "UNION MINUS GRAPH SERVICE SILENT FILTER BIND AS VALUES GROUP BY HAVING ORDER ASC DESC LIMIT OFFSET " +
    "NOT EXISTS IN UNDEF SEPARATOR true false").split(" ");
  var FUNCTIONS = ("COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT STR LANG LANGMATCHES DATATYPE BOUND IRI URI " +
    "BNODE RAND ABS CEIL FLOOR ROUND CONCAT STRLEN UCASE LCASE ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS " +
    "STRBEFORE STRAFTER YEAR MONTH DAY HOURS MINUTES SECONDS TIMEZONE TZ NOW UUID STRUUID MD5 SHA1 SHA256 " +
    "SHA512 COALESCE IF STRLANG STRDT sameTerm isIRI isURI isBLANK isLITERAL isNUMERIC REGEX SUBSTR " +
    "REPLACE").split(" ");
  // The word before the caret: a variable, a prefixed name (or its prefix and colon), or a bare word.
  var WORD_BEFORE = /(?:[?$][\w\u00b7-\uffff]*|(?:[A-Za-z\u00c0-\uffff][\w\u00b7-\uffff-]*)?:[\w\u00b7-\uffff%-]*|[A-Za-z_\u00c0-\uffff][\w\u00b7-\uffff-]*)$/;
  var WORD_AFTER = /^[\w\u00b7-\uffff%:-]*/;
  var NOT_HERE = { comment: true, string: true, iri: true, lang: true };

  // --- the popup ----------------------------------------------------------

  var list = document.createElement("ul");
  list.id = "completion";
  list.className = "completion";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", T.completions);
  list.hidden = true;
  editor.appendChild(list);
  var announce = document.createElement("span");
  announce.id = "completion-status";
  announce.className = "visually-hidden";
  announce.setAttribute("role", "status");
  editor.parentNode.insertBefore(announce, editor.nextSibling);
  textarea.setAttribute("aria-autocomplete", "list");
  textarea.setAttribute("aria-haspopup", "listbox");
  textarea.setAttribute("aria-controls", list.id);
  var shortcut = document.querySelector(".actions .shortcut");
  if (shortcut) {
    var hint = document.createElement("span");
    hint.className = "shortcut";
    hint.textContent = T.shortcut;
    shortcut.parentNode.insertBefore(hint, shortcut.nextSibling);
  }

  var state = null;  // while open: { context, items, active }
  var asking = false;  // completion was asked for and not dismissed: late search results may open it
  var accepting = false;
  var searches = {};  // folded text -> the /search results, or "pending"
  var searchTimer = null;

  function isOpen() { return state !== null; }

  /** Close the list for good: results still on their way will not open it. */
  function dismiss() {
    asking = false;
    close();
  }

  function close() {
    state = null;
    list.hidden = true;
    list.replaceChildren();
    textarea.removeAttribute("aria-activedescendant");
  }

  var lastExplicit = false;

  /** Work out what stands before the caret and show what completes it; `explicit` is Ctrl+Space. */
  function update(explicit) {
    var context = contextAt(textarea.value, textarea.selectionStart);
    if (!context || textarea.selectionStart !== textarea.selectionEnd) { dismiss(); return; }
    asking = true;
    explicit = lastExplicit = explicit || !!(state && state.explicit);
    var items = candidates(context, explicit);
    if (!items.length) {
      close();
      if (explicit) announce.textContent = Q.counted("suggestions", 0);
      return;
    }
    var previous = state && state.items[state.active];
    var active = 0;
    // The same word again (late search results): the same item stays chosen; a new word starts at the top.
    if (previous && state.context.word === context.word) items.forEach(function (item, i) { if (item.text === previous.text) active = i; });
    state = { context: context, items: items, active: active, explicit: explicit };
    draw();
  }

  function draw() {
    var fragment = document.createDocumentFragment();
    state.items.forEach(function (item, i) {
      var option = document.createElement("li");
      option.id = "completion-" + i;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", i === state.active ? "true" : "false");
      var text = document.createElement("span");
      text.className = "completion-text";
      text.dir = "ltr";
      text.textContent = item.text;
      option.appendChild(text);
      if (item.label) {
        var label = document.createElement("bdi");
        label.className = "completion-label";
        label.textContent = item.label;
        if (item.lang) label.lang = item.lang;
        option.appendChild(label);
      }
      var kind = document.createElement("span");
      kind.className = "completion-kind";
      kind.textContent = T[item.kind];
      option.appendChild(kind);
      option.addEventListener("mousedown", function (event) { event.preventDefault(); });  // keep the focus
      option.addEventListener("click", function () { accept(item); });
      fragment.appendChild(option);
    });
    list.replaceChildren(fragment);
    list.hidden = false;
    place();
    select(state.active);
    announce.textContent = Q.counted("suggestions", state.items.length);
  }

  function select(index) {
    var options = list.children;
    if (!options.length) return;
    state.active = (index + options.length) % options.length;
    for (var i = 0; i < options.length; i++) options[i].setAttribute("aria-selected", i === state.active ? "true" : "false");
    var current = options[state.active];
    textarea.setAttribute("aria-activedescendant", current.id);
    if (current.offsetTop < list.scrollTop) list.scrollTop = current.offsetTop;
    else if (current.offsetTop + current.offsetHeight > list.scrollTop + list.clientHeight) {
      list.scrollTop = current.offsetTop + current.offsetHeight - list.clientHeight;
    }
  }

  /** Under the word being completed: the highlight layer holds the same text at the same places. */
  function place() {
    var at = state.context.start, value = textarea.value;
    var rect = charRect(at < value.length && value[at] !== "\n" ? at : at - 1);
    var box = editor.getBoundingClientRect();
    var left = rect ? (at < value.length && value[at] !== "\n" ? rect.left : rect.right) - box.left : 8;
    var top = rect ? rect.bottom - box.top + 2 : 24;
    list.style.left = Math.max(0, Math.min(left, box.width - 240)) + "px";
    list.style.top = top + "px";
  }

  function charRect(offset) {
    if (offset < 0) return null;
    var walker = document.createTreeWalker(Q.code, NodeFilter.SHOW_TEXT), node, seen = 0;
    while ((node = walker.nextNode())) {
      if (offset < seen + node.length) {
        var range = document.createRange();
        range.setStart(node, offset - seen);
        range.setEnd(node, offset - seen + 1);
        var rects = range.getClientRects();
        return rects.length ? rects[rects.length - 1] : range.getBoundingClientRect();
      }
      seen += node.length;
    }
    return null;
  }

  // --- what stands before the caret ---------------------------------------

  /** The word at `caret` ({start, end, word, kind, prefix, local}), or null inside a string, IRI or comment. */
  function contextAt(value, caret) {
    var offset = 0, tokens = window.D55Highlight.tokens(value);
    for (var i = 0; i < tokens.length; i++) {  // the token of the character before the caret
      var end = offset + tokens[i][1].length;
      if (offset < caret && caret <= end) {
        if (NOT_HERE[tokens[i][0]]) return null;
        break;
      }
      offset = end;
    }
    var before = value.slice(Math.max(0, caret - 200), caret);
    var match = WORD_BEFORE.exec(before);
    var word = match ? match[0] : "";
    var start = caret - word.length;
    var after = WORD_AFTER.exec(value.slice(caret, caret + 200))[0];
    var context = { start: start, end: caret + after.length, word: word };
    if (/^[?$]/.test(word)) context.kind = "variable";
    else if (word.indexOf(":") >= 0) {
      context.kind = "pname";
      context.prefix = word.slice(0, word.indexOf(":"));
      context.local = word.slice(word.indexOf(":") + 1);
    } else context.kind = "word";
    return context;
  }

  // --- what completes it --------------------------------------------------

  function candidates(context, explicit) {
    if (context.kind === "variable") return variables(context);
    if (context.kind === "pname") return prefixedNames(context);
    if (!explicit) return [];
    var word = context.word, upper = word.toUpperCase();
    var items = [];
    KEYWORDS.forEach(function (k) {
      if (k.toUpperCase().indexOf(upper) === 0) items.push({ text: k, kind: "keyword" });
    });
    FUNCTIONS.forEach(function (f) {
      if (f.toUpperCase().indexOf(upper) === 0) items.push({ text: f, kind: "function" });
    });
    knownPrefixes().forEach(function (p) {
      if (p[0].indexOf(word.toLowerCase()) === 0) items.push({ text: p[0] + ":", label: p[1], kind: "prefix" });
    });
    // A bare word is most often a keyword or a prefix: terms only when their name or label starts with it.
    if (word.length >= 3) {
      items = items.concat(terms(null, word).filter(function (item) { return item.score <= 1; }), entities(null, word));
    }
    return unique(items).slice(0, MAX_SHOWN);
  }

  function variables(context) {
    var seen = {}, items = [], typed = context.word.slice(1).toLowerCase(), offset = 0;
    window.D55Highlight.tokens(textarea.value).forEach(function (token) {
      var name = token[1].slice(1);
      var here = offset === context.start;
      offset += token[1].length;
      if (token[0] !== "variable" || here || seen[name]) return;
      seen[name] = true;
      if (name.toLowerCase().indexOf(typed) === 0) items.push({ text: context.word[0] + name, kind: "variable" });
    });
    return items.slice(0, MAX_SHOWN);
  }

  function prefixedNames(context) {
    var known = knownPrefixes().some(function (p) { return p[0] === context.prefix; });
    if (!known) {
      return knownPrefixes().filter(function (p) { return p[0].indexOf(context.prefix) === 0; })
        .map(function (p) { return { text: p[0] + ":", label: p[1], kind: "prefix" }; });
    }
    return unique(terms(context.prefix, context.local).concat(entities(context.prefix, context.local)))
      .slice(0, MAX_SHOWN);
  }

  /** The ontology's terms (of `prefix`, or any) whose name or a label contains `text`, best first. */
  function terms(prefix, text) {
    var wanted = Q.fold(text);
    var scored = [];
    TOOLS.terms.forEach(function (term) {
      var colon = term.name.indexOf(":");
      if (prefix !== null && term.name.slice(0, colon) !== prefix) return;
      var local = Q.fold(term.name.slice(colon + 1)), label = Q.fold(term.label);
      var score = !wanted ? 3 : local.indexOf(wanted) === 0 ? 0 : label.indexOf(wanted) === 0 ? 1
        : local.indexOf(wanted) > 0 || term.labels.some(function (l) { return Q.fold(l).indexOf(wanted) >= 0; }) ? 2 : -1;
      if (score >= 0) scored.push([score, { text: term.name, label: term.label, kind: term.kind, score: score }]);
    });
    return scored.sort(function (a, b) {
      return a[0] - b[0] || a[1].label.length - b[1].label.length || (a[1].text < b[1].text ? -1 : 1);
    })
      .map(function (pair) { return pair[1]; });
  }

  /** Resources whose labels contain `text`, from /search (asked once per text, after a pause). */
  function entities(prefix, text) {
    var key = Q.fold(text);
    if (!key) return [];
    var found = searches[key];
    if (found === undefined) { search(text, key); return []; }
    if (found === "pending") return [];
    return found.filter(function (item) {
      return prefix === null || item.text.indexOf(prefix + ":") === 0;
    });
  }

  function search(text, key) {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(function () {
      searches[key] = "pending";
      var url = "/search?" + new URLSearchParams({ q: text, lang: LANG }).toString();
      fetch(url, { headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (json) {
          searches[key] = json.results.map(function (r) {
            var other = Q.fold(r.matched) !== Q.fold(r.label);
            return { text: Q.compact(r.iri), label: r.label + (other ? " · " + r.matched : ""), kind: "entity" };
          });
          if (asking && document.activeElement === textarea) update(lastExplicit);
        })
        .catch(function () { delete searches[key]; });
    }, SEARCH_DELAY);
  }

  function unique(items) {
    var seen = {};
    return items.filter(function (item) {
      if (seen[item.text]) return false;
      seen[item.text] = true;
      return true;
    });
  }

  // --- prefixes -----------------------------------------------------------

  /** The built-in prefixes and those the query declares, as [name, namespace], by name. */
  function knownPrefixes() {
    var all = {};
    Q.prefixes.forEach(function (p) { all[p[0]] = p[1]; });
    var declared = declarations(textarea.value).names;
    Object.keys(declared).forEach(function (name) { all[name] = declared[name]; });
    return Object.keys(all).sort().map(function (name) { return [name, all[name]]; });
  }

  /** The prologue's PREFIX declarations ({names: {prefix: namespace}}) and where a new one goes. */
  function declarations(value) {
    var tokens = window.D55Highlight.tokens(value), offset = 0, names = {}, lastEnd = -1, expect = null, name = null;
    for (var i = 0; i < tokens.length; i++) {
      var kind = tokens[i][0], text = tokens[i][1];
      offset += text.length;
      if (kind === "plain" && !text.trim() || kind === "comment") continue;
      var word = text.toUpperCase();
      if (expect === null && kind === "keyword" && (word === "PREFIX" || word === "BASE")) {
        expect = word === "PREFIX" ? "pname" : "iri";
      } else if (expect === "pname" && kind === "pname" && /:$/.test(text)) {
        name = text.slice(0, -1);
        expect = "iri";
      } else if (expect === "iri" && kind === "iri") {
        if (name !== null) names[name] = text.slice(1, -1);
        name = null;
        expect = null;
        lastEnd = offset;
      } else break;
    }
    var newline = lastEnd >= 0 ? value.indexOf("\n", lastEnd) : -1;
    var onItsOwnLine = newline >= 0 && !value.slice(lastEnd, newline).trim();
    return { names: names, at: onItsOwnLine ? newline + 1 : 0 };
  }

  /** The PREFIX line and where it goes, if `text` (at `start`) uses a built-in prefix the query does not declare. */
  function missingDeclaration(value, start, text) {
    var prefix = /^([A-Za-z][\w.-]*)?:/.exec(text);
    if (!prefix || /PREFIX\s+$/i.test(value.slice(Math.max(0, start - 20), start))) return null;
    var name = prefix[1] || "", prologue = declarations(value);
    var builtIn = Q.prefixes.filter(function (p) { return p[0] === name; })[0];
    if (!builtIn || Object.prototype.hasOwnProperty.call(prologue.names, name) || prologue.at > start) return null;
    return { at: prologue.at, line: "PREFIX " + name + ": <" + builtIn[1] + ">\n" };
  }

  /** Put `item` in place of the word; a known prefix the query does not declare gets its PREFIX line. */
  function accept(item) {
    var context = state.context, value = textarea.value;
    dismiss();
    var line = "", at = context.start;
    var missing = item.kind !== "keyword" && item.kind !== "function" && missingDeclaration(value, at, item.text);
    if (missing) {
      line = missing.line;
      at = missing.at;
    }
    accepting = true;
    try {
      Q.edit(at, context.end, line + value.slice(at, context.start) + item.text);
    } finally {
      accepting = false;
    }
    Q.refresh();
    if (item.kind === "prefix") update(false);  // on to the terms of that prefix
  }

  // --- keys ---------------------------------------------------------------

  // On the editor, in the capture phase: the popup's keys never reach query.js's (Tab indents there).
  editor.addEventListener("keydown", function (event) {
    if (event.target !== textarea) return;
    if ((event.ctrlKey || event.metaKey) && (event.key === " " || event.code === "Space")) {
      event.preventDefault();
      event.stopPropagation();
      update(true);
      return;
    }
    if (!isOpen()) {
      if (event.key === "Escape") asking = false;  // and results on their way stay unseen
      return;
    }
    var handled = true;
    if (event.key === "ArrowDown") select(state.active + 1);
    else if (event.key === "ArrowUp") select(state.active - 1);
    else if (event.key === "PageDown") select(Math.min(state.items.length - 1, state.active + 8));
    else if (event.key === "PageUp") select(Math.max(0, state.active - 8));
    else if ((event.key === "Enter" || event.key === "Tab") && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
      accept(state.items[state.active]);
    } else if (event.key === "Escape") dismiss();
    else {
      handled = false;
      if (event.key === "Enter") dismiss();  // Ctrl+Enter runs the query
    }
    if (handled) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);

  textarea.addEventListener("input", function (event) {
    if (accepting) return;
    var context = event.inputType === "insertText" && contextAt(textarea.value, textarea.selectionStart);
    if (context && event.data === ":" && context.kind === "pname" && !context.local) declare(context);
    if (isOpen() || asking) { update(false); return; }
    // As you type a variable or a prefixed name, the list opens by itself.
    if (context && context.kind !== "word") update(false);
  });

  /** A built-in prefix just typed, with its colon: its PREFIX line goes at the top (an undo step of its own). */
  function declare(context) {
    var value = textarea.value, missing = missingDeclaration(value, context.start, context.word);
    if (!missing) return;
    var caret = textarea.selectionStart, scroll = textarea.scrollTop;
    accepting = true;
    try {
      Q.edit(missing.at, missing.at, missing.line);
    } finally {
      accepting = false;
    }
    textarea.setSelectionRange(caret + missing.line.length, caret + missing.line.length);
    // The text below moved down one line: so does the view, and the caret stays where the eye is.
    textarea.scrollTop = scroll > 0 ? scroll + (parseFloat(getComputedStyle(textarea).lineHeight) || 0) : 0;
    Q.refresh();
  }
  textarea.addEventListener("keyup", function (event) {
    if (isOpen() && /^(ArrowLeft|ArrowRight|Home|End)$/.test(event.key)) update(false);
  });
  textarea.addEventListener("blur", dismiss);
  textarea.addEventListener("mousedown", dismiss);
  textarea.addEventListener("scroll", function () { if (isOpen()) place(); });
})();
