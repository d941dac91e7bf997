"""Server-side diagrams: a hub and its spokes, laid out here and drawn as SVG by a template.

A forum's members and a conference's participants read better as a picture
than as a list. :func:`for_description` finds those links on the page being
shown (so the diagram is bounded like the page) and :func:`hub` lays them out
on a circle around the resource. The template (``_partials.html``) draws the
SVG with autoescaping, so labels can never inject markup.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..http.i18n import text
from .descriptions import Description
from .terms import Linker, Term

MAX_SPOKES = 24
LABEL_EM = 7.5  # width of one label character at the diagram's font size
MAX_LABEL = 70  # characters of a label the box makes room for
# (property local name, the side the resource is on, the caption key)
HUBS = (("hasMember", "subject", "members"), ("memberOf", "object", "members"),
        ("participant", "subject", "participants"), ("participantIn", "object", "participants"))


@dataclass(frozen=True)
class Node:
    x: float
    y: float
    term: Term
    anchor: str = "middle"


@dataclass(frozen=True)
class Diagram:
    caption: str
    width: int
    height: int
    centre: Node
    nodes: list[Node]
    more: str = ""


def for_description(linker: Linker, d: Description) -> list[Diagram]:
    """One diagram per kind of hub link (members, participants) found on this page."""
    ontology = linker.space.namespace + "ontology#"
    spokes: dict[str, dict[str, Term]] = {}
    for name, position, caption in HUBS:
        statements = d.outgoing.statements if position == "subject" else d.incoming.statements
        other = "object" if position == "subject" else "subject"
        for st in statements:
            if st.predicate.value == ontology + name:
                term = linker.term(getattr(st, other))
                spokes.setdefault(caption, {})[term.iri or term.text] = term
    centre = linker.iri(d.iri)
    lang = linker.choice.lang
    return [hub(text(caption, lang), centre, list(terms.values()), lang)
            for caption, terms in spokes.items() if len(terms) >= 2]


def hub(caption: str, centre: Term, spokes: list[Term], lang: str = "en") -> Diagram:
    """``spokes`` on a circle around ``centre``; past :data:`MAX_SPOKES` they are counted, not drawn.

    The box leaves room beside the circle for the longest label, so none is cut.

    >>> d = hub("Members", Term("Forum"), [Term(str(i)) for i in range(30)])
    >>> len(d.nodes), d.more
    (24, 'and 6 more')
    >>> d.nodes[0].x == d.width / 2, d.nodes[0].y
    (True, 50.0)
    >>> wide = hub("Members", Term("Forum"), [Term("x" * 40), Term("y" * 40)])
    >>> all(n.x - 40 * LABEL_EM >= 0 and n.x + 40 * LABEL_EM <= wide.width for n in wide.nodes)
    True
    """
    shown = spokes[:MAX_SPOKES]
    height = 60 + 26 * max(12, len(shown))
    radius = (height - 100) / 2
    longest = min(MAX_LABEL, max((len(t.text) for t in shown), default=0))
    width = round(2 * (radius + longest * LABEL_EM + 20))
    cx, cy = width / 2, height / 2
    nodes = []
    for i, term in enumerate(shown):
        angle = 2 * math.pi * i / len(shown) - math.pi / 2
        x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        anchor = "middle" if abs(x - cx) < 1 else ("start" if x > cx else "end")
        nodes.append(Node(round(x, 1), round(y, 1), term, anchor))
    more = text("more", lang).format(n=len(spokes) - len(shown)) if len(spokes) > len(shown) else ""
    return Diagram(caption, width, height, Node(cx, cy, centre), nodes, more)
