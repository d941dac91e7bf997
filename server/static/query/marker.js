/* The error at its place in the editor: when the endpoint reports a syntax error at a line and
 * column, a wavy underline in the highlight layer marks the token there (or the place itself at a
 * line's end). The mark follows the text while other parts of the query are edited, and goes when
 * an edit touches it or the query runs again; the message stays in the error box.
 */
(function () {
  "use strict";

  var Q = window.D55Query;
  if (!Q) return;
  var textarea = Q.textarea;
  var T = Q.tools.texts;
  var mark = null;  // {start, end}: offsets in textarea.value (UTF-16 code units)
  var previous = textarea.value;
  // A band behind the line of the error, so the place is seen at a glance even on one character.
  var band = document.createElement("div");
  band.className = "error-line";
  band.hidden = true;
  textarea.parentNode.insertBefore(band, textarea.parentNode.firstChild);

  Q.on("run", function () {
    mark = null;
    textarea.removeAttribute("aria-invalid");
  });
  Q.on("error", function (at) {
    previous = textarea.value;
    mark = extent(textarea.value, offsetOf(textarea.value, at.line, at.column));
    textarea.setAttribute("aria-invalid", "true");
    Q.refresh();
  });
  Q.on("render", function (code) {
    follow(textarea.value);
    if (mark) draw(code);
    placeBand();
  });
  textarea.addEventListener("scroll", placeBand);

  function placeBand() {
    var span = mark && Q.code.querySelector(".error-mark");
    band.hidden = !span;
    if (!span) return;
    var box = textarea.parentNode.getBoundingClientRect(), rects = span.getClientRects();
    var line = rects.length ? rects[0] : span.getBoundingClientRect();
    var lineHeight = parseFloat(getComputedStyle(textarea).lineHeight) || line.height;
    var top = line.top - box.top - textarea.parentNode.clientTop + (line.height - lineHeight) / 2;
    band.hidden = top < 0 || top > textarea.clientHeight;
    band.style.top = top + "px";
    band.style.height = lineHeight + "px";
  }

  /** The offset of a 1-based line and column; the server counts columns in characters (code points). */
  function offsetOf(value, line, column) {
    var lines = value.split("\n"), offset = 0;
    for (var i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
    var text = lines[Math.min(line, lines.length) - 1] || "", units = 0, steps = column - 1;
    while (steps-- > 0 && units < text.length) units += text.codePointAt(units) > 0xffff ? 2 : 1;
    return Math.min(value.length, offset + units);
  }

  /** What to underline at `offset`: its token, the word there, or nothing (an empty mark) on a space. */
  function extent(value, offset) {
    var start = 0, tokens = window.D55Highlight.tokens(value);
    for (var i = 0; i < tokens.length; i++) {
      var end = start + tokens[i][1].length;
      if (offset < end) {
        if (tokens[i][0] !== "plain") return { start: start, end: end };
        var run = /^\S*/.exec(value.slice(offset, end))[0];
        return { start: offset, end: offset + run.length };
      }
      start = end;
    }
    return { start: value.length, end: value.length };
  }

  /** Keep the mark on its text through an edit elsewhere; drop it when the edit touches it. */
  function follow(value) {
    if (value === previous) return;
    var old = previous, head = 0, tail = 0;
    previous = value;
    if (!mark) return;
    while (head < old.length && head < value.length && old[head] === value[head]) head++;
    while (tail < old.length - head && tail < value.length - head &&
           old[old.length - 1 - tail] === value[value.length - 1 - tail]) tail++;
    var changedEnd = old.length - tail;
    if (changedEnd <= mark.start && head < mark.start) {
      var shift = value.length - old.length;
      mark = { start: mark.start + shift, end: mark.end + shift };
    } else if (head < Math.max(mark.end, mark.start + 1)) {
      mark = null;
    }
  }

  function draw(code) {
    // The layer ends with a newline of its own, so even the query's end has a character to sit on.
    var walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT), node, seen = 0;
    while ((node = walker.nextNode())) {
      if (mark.start < seen + node.length) break;
      seen += node.length;
    }
    if (!node) return;
    var from = mark.start - seen, to = Math.min(node.length, from + Math.max(0, mark.end - mark.start));
    var span = document.createElement("span");
    span.className = "error-mark" + (to === from ? " error-mark-empty" : "");
    span.title = T.error_mark;
    var range = document.createRange();
    range.setStart(node, from);
    range.setEnd(node, to);
    range.surroundContents(span);
  }
})();
