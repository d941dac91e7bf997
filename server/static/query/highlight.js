/* SPARQL syntax highlighting for the query page: a small lexer painting a <pre> behind a <textarea>.
 *
 * The lexer knows what matters for reading a query: comments, strings, IRIs, prefixed names,
 * variables, keywords, numbers and brackets. It builds DOM nodes with textContent only, so
 * whatever the query contains is shown as text, never interpreted as HTML.
 */
(function () {
  "use strict";

  var KEYWORDS = ("SELECT CONSTRUCT DESCRIBE ASK WHERE FROM NAMED PREFIX BASE DISTINCT REDUCED " +
    "OPTIONAL UNION MINUS GRAPH SERVICE SILENT FILTER BIND AS VALUES GROUP BY HAVING ORDER ASC DESC " +
    "LIMIT OFFSET NOT EXISTS IN UNDEF A COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR " +
    "INSERT DELETE DATA LOAD CLEAR DROP CREATE COPY MOVE ADD WITH USING INTO DEFAULT ALL TRUE FALSE").split(" ");
  var KEYWORD_SET = {};
  KEYWORDS.forEach(function (k) { KEYWORD_SET[k] = true; });

  var TOKEN = new RegExp([
    "(#[^\\n\\r]*)",                                                     // 1 comment
    "(\"\"\"[\\s\\S]*?\"\"\"|'''[\\s\\S]*?'''|\"(?:[^\"\\\\\\n\\r]|\\\\.)*\"|'(?:[^'\\\\\\n\\r]|\\\\.)*')", // 2 string
    "(<[^<>\"{}|^`\\\\\\s]*>)",                                          // 3 iri
    "([?$][A-Za-z0-9_\\u00b7-\\uffff]+)",                                // 4 variable
    "(@[A-Za-z]+(?:-[A-Za-z0-9]+)*)",                                   // 5 language tag
    "([A-Za-z_\\u00c0-\\uffff][\\w.\\-\\u00b7-\\uffff]*:[\\w.\\-%:\\u00b7-\\uffff]*|:[\\w.\\-%:\\u00b7-\\uffff]*)", // 6 prefixed name
    "([A-Za-z_][A-Za-z_0-9]*)",                                          // 7 word
    "([+-]?\\d+(?:\\.\\d*)?(?:[eE][+-]?\\d+)?)",                          // 8 number
    "([{}()\\[\\]])"                                                     // 9 bracket
  ].join("|"), "g");
  var KINDS = [null, "comment", "string", "iri", "variable", "lang", "pname", "word", "number", "bracket"];

  /** The tokens of `text` as [kind, text] pairs; unmatched text has kind "plain". */
  function tokens(text) {
    var out = [], last = 0, match;
    TOKEN.lastIndex = 0;
    while ((match = TOKEN.exec(text)) !== null) {
      if (match.index > last) out.push(["plain", text.slice(last, match.index)]);
      var kind = "plain";
      for (var i = 1; i < KINDS.length; i++) {
        if (match[i] !== undefined) { kind = KINDS[i]; break; }
      }
      if (kind === "word") kind = KEYWORD_SET[match[0].toUpperCase()] ? "keyword" : "plain";
      out.push([kind, match[0]]);
      last = TOKEN.lastIndex;
    }
    if (last < text.length) out.push(["plain", text.slice(last)]);
    return out;
  }

  var OPENING = { "{": "}", "(": ")", "[": "]" };
  var CLOSING = { "}": "{", ")": "(", "]": "[" };

  /** The offsets of the bracket next to `caret` and of its partner, as [a, b], or null.
   *
   * Brackets inside strings, IRIs and comments are tokens of those kinds, so they never match.
   */
  function matchBracket(text, caret) {
    var list = [], offset = 0;
    tokens(text).forEach(function (token) {
      if (token[0] === "bracket") list.push([offset, token[1]]);
      offset += token[1].length;
    });
    var at = -1;
    for (var i = 0; i < list.length; i++) {  // the bracket before the caret, else the one after it
      if (list[i][0] === caret - 1) at = i;
      if (list[i][0] === caret && at < 0) at = i;
    }
    if (at < 0) return null;
    var ch = list[at][1], forward = !!OPENING[ch], depth = 0;
    for (var j = at; j >= 0 && j < list.length; j += forward ? 1 : -1) {
      var c = list[j][1];
      if (forward ? OPENING[c] : CLOSING[c]) depth++;
      else if (--depth === 0) {
        return (forward ? OPENING[ch] === c : CLOSING[ch] === c) ? [list[at][0], list[j][0]] : null;
      }
    }
    return null;
  }

  /** Replace the content of `element` with the highlighted `text`; offsets in `marks` are "match". */
  function render(element, text, marks) {
    var fragment = document.createDocumentFragment(), offset = 0;
    marks = marks || [];
    tokens(text).forEach(function (token) {
      if (token[0] === "plain") {
        fragment.appendChild(document.createTextNode(token[1]));
      } else {
        var span = document.createElement("span");
        span.className = "tok-" + token[0] + (token[0] === "bracket" && marks.indexOf(offset) >= 0 ? " tok-match" : "");
        span.textContent = token[1];
        fragment.appendChild(span);
      }
      offset += token[1].length;
    });
    // A trailing newline needs a character after it, or the last empty line collapses.
    fragment.appendChild(document.createTextNode("\n"));
    element.replaceChildren(fragment);
  }

  window.D55Highlight = { tokens: tokens, render: render, matchBracket: matchBracket };
})();
