"""Synthetic graphs shaped like the 5+5 graph, of any size, deterministic from a seed.

The shape follows the published data: forums with member states, conferences
(with dates, a place, a presiding state, participants and themes) that are part
of a forum, organizations, cities and themes, labels in fr/en (and ar for
states, cities and organizations), ``owl:sameAs`` links to Wikidata, and one
evidence graph per "sentence", described in the provenance graph.

The first forum is a hub: every state is a member of it, so a graph of 1e6
triples has a forum with about 100,000 members (the case resource pages must
page rather than load whole).

The output is N-Quads, one quad a line, which every loader reads fastest and
which keeps the named graphs. Run ``python -m bench.generate --triples 1000``.

>>> import io
>>> out = io.StringIO()
>>> generate(300, out, seed=1) >= 300
True
>>> out.getvalue().count("\\n") == generate(300, io.StringIO(), seed=1)
True
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path
from typing import TextIO

NS = "https://w3id.org/dialogue55/"
ID, ONT, GRAPH = NS + "id/", NS + "ontology#", NS + "graph/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
PREF_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
DATE = "http://www.w3.org/2001/XMLSchema#date"
PROV = "http://www.w3.org/ns/prov#"
WIKIDATA = "http://www.wikidata.org/entity/Q"

SIZES = {"tiny": 1_000, "1e3": 1_000, "1e5": 100_000, "1e6": 1_000_000}

# Proportions of kinds of things per "unit" (one conference and its neighbourhood).
STATES_PER_UNIT = 8
CONFERENCES_PER_FORUM = 40
SUPPORT_ENTITIES = 20  # cities, themes and organizations are reused: a small, fixed-size pool


def _iri(value: str) -> str:
    return f"<{value}>"


def _text(value: str, language: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"@{language}'


class _Writer:
    """Writes quads and counts them."""

    def __init__(self, out: TextIO):
        self.out, self.count = out, 0

    def quad(self, s: str, p: str, o: str, g: str) -> None:
        self.out.write(f"{_iri(s)} {_iri(p)} {o} {_iri(g)} .\n")
        self.count += 1

    def labelled(self, s: str, kind: str, g: str, fr: str, en: str, ar: str | None = None) -> None:
        self.quad(s, RDF_TYPE, _iri(ONT + kind), g)
        self.quad(s, LABEL, _text(fr, "fr"), g)
        self.quad(s, LABEL, _text(en, "en"), g)
        if ar is not None:
            self.quad(s, LABEL, _text(ar, "ar"), g)


def _support(w: _Writer, rng: random.Random) -> None:
    """The fixed pool of cities, themes and organizations, in the labels graph."""
    g = GRAPH + "labels"
    for n in range(SUPPORT_ENTITIES):
        w.labelled(ID + f"city-{n}", "City", g, f"Ville {n}", f"City {n}", f"مدينة {n}")
        w.quad(ID + f"city-{n}", SAME_AS, _iri(f"{WIKIDATA}{1000 + n}"), g)
        w.labelled(ID + f"theme-{n}", "Theme", g, f"thème {n}", f"theme {n}")
        w.quad(ID + f"theme-{n}", PREF_LABEL, _text(f"thème {n}", "fr"), g)
        w.labelled(ID + f"organization-{n}", "Organization", g, f"Organisation {n}", f"Organization {n}",
                   f"منظمة {n}")
        w.quad(ID + f"organization-{n}", SAME_AS, _iri(f"{WIKIDATA}{2000 + n}"), g)


def _state(w: _Writer, n: int, forum: int) -> None:
    g, state = GRAPH + "labels", ID + f"state-{n}"
    w.labelled(state, "State", g, f"État {n}", f"State {n}", f"دولة {n}")
    w.quad(state, SAME_AS, _iri(f"{WIKIDATA}{100_000 + n}"), g)
    w.quad(state, ONT + "memberOf", _iri(ID + "forum-0"), g)
    w.quad(ID + "forum-0", ONT + "hasMember", _iri(state), g)
    if forum:
        w.quad(ID + f"forum-{forum}", ONT + "hasMember", _iri(state), g)


def _forum(w: _Writer, n: int) -> None:
    g = GRAPH + "labels"
    w.labelled(ID + f"forum-{n}", "Forum", g, f"Dialogue {n}", f"Dialogue {n}")


def _conference(w: _Writer, rng: random.Random, n: int, forum: int, states: int) -> None:
    """A conference stated by one sentence: its facts in the sentence graph, and the sentence's provenance."""
    c, g = ID + f"conference-{n}", GRAPH + f"sentence-{n}"
    year, month = 2000 + n % 25, 1 + rng.randrange(12)
    w.labelled(c, "Conference", g, f"Conférence ministérielle {n}", f"Ministerial conference {n}")
    w.quad(c, ONT + "partOf", _iri(ID + f"forum-{forum}"), g)
    w.quad(c, ONT + "startDate", f'"{year}-{month:02d}-01"^^<{DATE}>', g)
    w.quad(c, ONT + "endDate", f'"{year}-{month:02d}-02"^^<{DATE}>', g)
    w.quad(c, ONT + "location", _iri(ID + f"city-{rng.randrange(SUPPORT_ENTITIES)}"), g)
    w.quad(c, ONT + "presidedBy", _iri(ID + f"state-{rng.randrange(states)}"), g)
    for _ in range(2):
        w.quad(c, ONT + "theme", _iri(ID + f"theme-{rng.randrange(SUPPORT_ENTITIES)}"), g)
    for _ in range(3):
        w.quad(c, ONT + "participant", _iri(ID + f"state-{rng.randrange(states)}"), g)
    w.quad(c, ONT + "participant", _iri(ID + f"organization-{rng.randrange(SUPPORT_ENTITIES)}"), g)
    p = GRAPH + "provenance"
    w.quad(g, RDF_TYPE, _iri(ONT + "SentenceGraph"), p)
    w.quad(g, PROV + "wasDerivedFrom", _iri(ID + f"article-{n // 10}"), p)
    w.quad(g, PROV + "value", _text(f"La conférence {n} s'est tenue en {year}.", "fr"), p)
    w.quad(g, ONT + "sentenceOrdinal", f'"{n}"^^<http://www.w3.org/2001/XMLSchema#integer>', p)


def generate(triples: int, out: TextIO, seed: int = 55) -> int:
    """Write a graph of at least ``triples`` quads to ``out``; returns how many were written."""
    rng = random.Random(seed)
    w = _Writer(out)
    _support(w, rng)
    # One unit: STATES_PER_UNIT states (~7 quads each) and one conference (~19 quads).
    units = max(1, (triples - w.count) // (STATES_PER_UNIT * 7 + 19))
    states = units * STATES_PER_UNIT
    forums = 1 + units // CONFERENCES_PER_FORUM
    for n in range(forums):
        _forum(w, n)
    for n in range(states):
        _state(w, n, 1 + n % (forums - 1) if forums > 1 else 0)
    n = 0
    while w.count < triples:
        _conference(w, rng, n, n % forums, states)
        n += 1
    return w.count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", default="tiny", help="a count, or one of " + ", ".join(SIZES))
    parser.add_argument("--seed", type=int, default=55)
    parser.add_argument("--output", "-o", type=Path, default=None, help="N-Quads file (default: standard output)")
    args = parser.parse_args(argv)
    count = SIZES.get(args.triples) or int(float(args.triples))
    if args.output is None:
        generate(count, sys.stdout, args.seed)
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("w", encoding="utf-8") as out:
        written = generate(count, out, args.seed)
    print(f"{written} quads -> {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
