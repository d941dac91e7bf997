/* The timeline view of the query page: each row with a date, placed on a time axis with its label.
 *
 * A row with two dates or more (a start and an end) is a span; the items are packed in lanes
 * so that no two labels overlap. In a right-to-left page time runs from right to left, and
 * labels read in the page's direction.
 */
(function () {
  "use strict";

  var D55Views = window.D55Views = window.D55Views || {};
  var MAX_ITEMS = 500;
  var MARGIN = 24, AXIS = 40, LANE = 30, CHAR = 7.2;
  var DAY = 86400000, YEAR = 365.25 * DAY;

  /** The timeline's items: {start, end, dates (terms), label (a term), about (a term to link)}. */
  function items(state, helpers) {
    var out = [];
    state.rows.forEach(function (row) {
      var dates = state.dates.map(function (c) { return row[c]; }).filter(D55Views.isDate);
      if (!dates.length) return;
      var times = dates.map(function (t) { return D55Views.parseDate(t.value); });
      var about = state.triples ? row[0] : row.filter(function (t, c) {
        return t && state.dates.indexOf(c) < 0 && t.type === "uri";
      })[0];
      var other = state.triples ? null : row.filter(function (t, c) { return t && state.dates.indexOf(c) < 0; })[0];
      out.push({ start: Math.min.apply(null, times), end: Math.max.apply(null, times), dates: dates,
                 about: about || null, label: about || other || null,
                 predicate: state.triples ? row[1] : null });
    });
    return out.sort(function (a, b) { return a.start - b.start || a.end - b.end; });
  }

  /** Ticks for the range: years, months or days, about eight of them. */
  function ticks(from, to) {
    var span = Math.max(to - from, DAY), out = [], d = new Date(from), unit;
    if (span > 3 * YEAR) {
      var step = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000].filter(function (s) { return span / (s * YEAR) <= 10; })[0] || 1000;
      d = new Date(Date.UTC(0, 0, 1));
      d.setUTCFullYear(Math.ceil(new Date(from).getUTCFullYear() / step) * step);
      unit = { year: "numeric" };
      for (; d.getTime() <= to; d.setUTCFullYear(d.getUTCFullYear() + step)) out.push(d.getTime());
    } else if (span > 60 * DAY) {
      var months = [1, 2, 3, 6, 12].filter(function (s) { return span / (s * 30.4 * DAY) <= 10; })[0] || 12;
      d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
      unit = { year: "numeric", month: "short" };
      for (; d.getTime() <= to; d.setUTCMonth(d.getUTCMonth() + months)) out.push(d.getTime());
    } else {
      var days = [1, 2, 7, 14].filter(function (s) { return span / (s * DAY) <= 10; })[0] || 14;
      d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
      unit = { year: "numeric", month: "short", day: "numeric" };
      for (; d.getTime() <= to + 1; d.setUTCDate(d.getUTCDate() + days)) out.push(d.getTime());
    }
    return { times: out, format: unit };
  }

  /** How a date literal reads in the page's language: its year, month or day as precise as it is. */
  function dateText(term, lang) {
    var value = term.value.trim(), parts = { timeZone: "UTC", year: "numeric" };
    if (/^-?\d{4,}-\d\d/.test(value)) parts.month = "long";
    if (/^-?\d{4,}-\d\d-\d\d/.test(value)) parts.day = "numeric";
    if (/T\d\d:\d\d/.test(value) && !/T00:00:00(\.0+)?(Z|[+-]00:00)?$/.test(value)) { parts.hour = "2-digit"; parts.minute = "2-digit"; }
    return new Intl.DateTimeFormat(lang === "ar" ? "ar-u-nu-latn" : lang, parts).format(new Date(D55Views.parseDate(value)));
  }

  D55Views.drawTimeline = function (panel, state, helpers) {
    var page = helpers.page, svg = D55Views.svg;
    var WIDTH = Math.max(600, panel.clientWidth - 4);
    var all = items(state, helpers), list = all.slice(0, MAX_ITEMS);
    if (all.length > list.length) {
      D55Views.notice(panel, page.fill(page.texts.view_timeline_cut, {
        shown: page.counted("dates", list.length), total: page.numbers.format(all.length) }));
    }
    var from = list[0].start, to = Math.max.apply(null, list.map(function (i) { return i.end; }));
    var pad = Math.max((to - from) * 0.04, DAY);
    var lo = from - pad, hi = to + pad, inner = WIDTH - 2 * MARGIN;
    var rtl = getComputedStyle(panel).direction === "rtl";
    function u(time) { return MARGIN + (time - lo) / (hi - lo) * inner; }  // distance from the start edge
    function x(distance) { return (rtl ? WIDTH - distance : distance).toFixed(1); }
    // Lanes: each label goes after its item (before it, when it would leave the box), first free lane.
    var lanes = [];
    list.forEach(function (item) {
      item.text = (item.label ? helpers.label(item.label) : "") ;
      item.when = item.dates.map(function (t) { return dateText(t, page.lang); })
        .filter(function (t, i, a) { return a.indexOf(t) === i; }).join(" – ");
      var chars = Math.min(40, item.text.length) + item.when.length + 3 + (item.predicate ? 12 : 0);
      var a = u(item.start), b = u(item.end), w = chars * CHAR;
      item.before = b + 8 + w > WIDTH - 4 && a - 8 - w >= 4;
      var left = item.before ? a - 8 - w : a - 6, right = item.before ? b + 6 : b + 8 + w;
      var lane = 0;
      while (lane < lanes.length && lanes[lane] > left - 6) lane++;
      lanes[lane] = right;
      item.lane = lane;
      item.a = a; item.b = b;
    });
    var height = AXIS + 20 + LANE * Math.max(1, lanes.length);
    var figure = document.createElement("figure");
    figure.className = "view-figure";
    var caption = document.createElement("figcaption");
    caption.id = "timeline-caption";
    caption.textContent = page.counted("dates", list.length);
    var root = svg("svg", { "class": "timeline-view", viewBox: "0 0 " + WIDTH + " " + height,
                            width: WIDTH, height: height, "aria-labelledby": "timeline-caption" });
    svg("line", { "class": "timeline-axis", x1: x(MARGIN), x2: x(WIDTH - MARGIN), y1: AXIS, y2: AXIS }, root);
    var scale = ticks(lo, hi), format = new Intl.DateTimeFormat(page.lang === "ar" ? "ar-u-nu-latn" : page.lang,
                                                                Object.assign({ timeZone: "UTC" }, scale.format));
    scale.times.forEach(function (time) {
      var text = format.format(new Date(time)), half = text.length * 3.3;
      if (u(time) - half < 2 || u(time) + half > WIDTH - 2) return;  // a label the box would cut is left out
      svg("line", { "class": "timeline-tick", x1: x(u(time)), x2: x(u(time)), y1: AXIS - 5, y2: height }, root);
      svg("text", { "class": "timeline-tick-label", x: x(u(time)), y: AXIS - 10, "text-anchor": "middle" }, root)
        .textContent = text;
    });
    list.forEach(function (item) {
      var y = AXIS + 24 + item.lane * LANE;
      var group = D55Views.linkFor(item.about, page, root);
      group.setAttribute("class", "timeline-item");
      group.dataset.dates = item.dates.map(function (t) { return t.value; }).join(" ");
      svg("line", { "class": "timeline-stem", x1: x(item.a), x2: x(item.a), y1: AXIS, y2: y }, group);
      if (item.b - item.a >= 2) {
        svg("rect", { "class": "timeline-span", x: Math.min(x(item.a), x(item.b)), y: y - 4,
                      width: (item.b - item.a).toFixed(1), height: 8, rx: 3 }, group);
      }
      svg("circle", { cx: x(item.a), cy: y, r: 5 }, group);
      if (item.b - item.a >= 2) svg("circle", { cx: x(item.b), cy: y, r: 5 }, group);
      var text = svg("text", { "class": "timeline-label", y: y + 4,
                               x: x(item.before ? item.a - 9 : item.b + 9),
                               "text-anchor": item.before ? "end" : "start" }, group);
      if (item.label) helpers.labelText(svg("tspan", { "class": "timeline-what" }, text), item.label, 40);
      if (item.predicate) {
        text.appendChild(document.createTextNode(" · "));
        helpers.labelText(svg("tspan", {}, text), item.predicate, 24);
      }
      var when = svg("tspan", { "class": "timeline-when" }, text);
      when.textContent = (item.label || item.predicate ? " (" : "") + item.when + (item.label || item.predicate ? ")" : "");
    });
    var scroller = document.createElement("div");
    scroller.className = "view-scroll";
    scroller.appendChild(root);
    figure.append(scroller, caption);
    panel.appendChild(figure);
  };
})();
