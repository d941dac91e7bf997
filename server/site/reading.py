"""The reading view of a source: its sentences in order, each with the statements its graph holds.

A *source* is what sentence graphs (``d55o:SentenceGraph``) are ``prov:wasDerivedFrom``
in the provenance; each has one view at ``/read/{slug}``. The text is the quotes
the provenance holds (``prov:value``), in the order of ``d55o:sentenceOrdinal``;
there is no second copy of it. Under each sentence, its graph's statements as
short lines (subject, property, value) in the reader's language, the mood a
property records (:data:`MOODS`) and the other sentences that state the same
triple. After the text, the graphs that are not from it (editorial and derived
graphs, which say what they are derived from), a summary and how to cite the source.

Each sentence's anchor is its graph's slug (``#sentence-13``), the one footnotes
and the 303 of a sentence graph's IRI lead to (:func:`anchor_path`).

The cost is fixed whatever the source: one query per kind (sentences,
statements, labels of everything shown, editorial graphs, the source's citation)
and the per-graph counts the VoID statistics keep, so over an external engine a
view is a handful of requests, not one per statement or label.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode

from ..graph import Graph
from ..http.i18n import fallback_chain, text
from . import void
from .labels import local_name
from .terms import Linker, Term, wikidata_id

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
# The moods the ontology records as properties (see CHANGELOG 2.0.0): local name -> UI string key.
MOODS = {"announcedParticipant": "mood_announced", "shouldRelyOn": "mood_conditional",
         "possibleForm": "mood_possible"}
# W3C properties the data uses without labelling them: read as words of the page's language.
WORDS = {RDF + "type": "rdf_type", RDFS + "label": "rdfs_label", SKOS + "prefLabel": "skos_prefLabel",
         SKOS + "altLabel": "skos_altLabel", SKOS + "narrower": "skos_narrower"}
FIRST = (RDF + "type", SKOS + "prefLabel", RDFS + "label")
MAX_STATEMENTS = 20_000  # the statements query's bound (its LIMIT is one more, to tell a cut)


@dataclass(frozen=True)
class Line:
    """One statement of a sentence graph: subject, property, value, its mood, the other sentences stating it."""

    subject: Term
    property: Term
    value: Term
    mood: str = ""
    also: tuple[Term, ...] = ()


@dataclass(frozen=True)
class Sentence:
    anchor: str
    ordinal: str
    title: Term
    quote: str
    quote_lang: str
    table: str
    lines: list[Line]


@dataclass(frozen=True)
class Editorial:
    """A graph that is not from the text: what it is, what it adds, where it comes from, its size."""

    graph: Term
    derived: bool
    description: str
    description_lang: str
    sources: list[Term]
    count: int


@dataclass(frozen=True)
class Citation:
    """What the dataset says of the source that a reader needs to cite it."""

    titles: list[Term]
    published: list[Term]
    addresses: list[Term]
    publishers: list[tuple[Term, bool]]  # (publisher, whether it is inferred rather than stated by the text)
    rights: list[Term]


@dataclass
class ReadingView:
    iri: str
    title: Term
    resource: str
    sentences: list[Sentence]
    editorial: list[Editorial]
    citation: Citation
    truncated: bool = False
    summary: dict = field(default_factory=dict)


def sources(graph: Graph, linker: Linker) -> list[tuple[Term, int]]:
    """Every source with a reading view, labelled and linked to it, with its number of sentences."""
    found = []
    for row in graph.select("reading_sources"):
        if (slug := graph.space.slug(row["source"].value)) is not None:
            term = linker.iri(row["source"].value)
            found.append((Term(term.text, linker.local(f"/read/{slug}"), term.lang, iri=term.iri),
                          int(row["n"].value)))
    return sorted(found, key=lambda item: item[0].text.casefold())


def is_source(graph: Graph, iri: str) -> bool:
    return bool(graph.select("reading_sources", source=NamedNode(iri)))


def source_select(graph: Graph, iri: str) -> tuple[str, dict]:
    """The fixed query :func:`is_source` runs, with its values: a page reads it ahead with the rest."""
    return graph.query_text("reading_sources"), {"source": NamedNode(iri)}


def anchor_path(graph: Graph, graph_iri: str) -> str | None:
    """``/read/{source}#{sentence}`` for a sentence graph of a source of ours, else None."""
    rows = graph.select("reading_sentence_source", g=NamedNode(graph_iri))
    slug = graph.space.slug(rows[0]["source"].value) if rows else None
    name = graph.space.slug(graph_iri, "graph")
    return f"/read/{slug}#{name}" if slug and name else None


def reading_view(graph: Graph, linker: Linker, iri: str) -> ReadingView:
    """The view model of the reading view of the source ``iri`` (known to be a source)."""
    source = NamedNode(iri)
    sentence_rows = graph.select("reading_sentences", source=source)
    statements = graph.select("reading_statements", source=source)
    editorial_rows = graph.select("reading_editorial")
    citation_rows = graph.select("reading_source", source=source)
    _preload_labels(graph, linker, source, sentence_rows, statements, editorial_rows, citation_rows)
    anchors = {row["g"].value: anchor(graph, row) for row in sentence_rows}
    sentences = _sentences(graph, linker, sentence_rows, statements[:MAX_STATEMENTS], anchors)
    editorial = _editorial(graph, linker, editorial_rows, anchors)
    view = ReadingView(iri, linker.iri(iri), linker.local(f"/page/{graph.space.slug(iri)}"), sentences,
                       editorial, _citation(linker, citation_rows, set(anchors)), len(statements) > MAX_STATEMENTS)
    view.summary = summary(sentences, editorial, linker.choice.lang)
    return view


def anchor(graph: Graph, row: dict) -> str:
    """A sentence's anchor: its graph's slug (stable as the IRI is), else its rank."""
    return graph.space.slug(row["g"].value, "graph") or f"sentence-{row['ordinal'].value}"


def summary(sentences: list[Sentence], editorial: list[Editorial], lang: str) -> dict:
    """The summary line's numbers, and the line itself in ``lang``."""
    numbers = {"statements": sum(len(s.lines) for s in sentences), "sentences": len(sentences),
               "silent": sum(1 for s in sentences if not s.lines),
               "editorial": sum(e.count for e in editorial), "graphs": len(editorial)}
    return {**numbers, "line": text("summary_line", lang).format(**numbers)}


def _sentences(graph: Graph, linker: Linker, rows: list[dict], statements: list[dict],
               anchors: dict[str, str]) -> list[Sentence]:
    ordinals = {row["g"].value: row["ordinal"].value for row in rows}
    stating = defaultdict(list)  # triple -> the sentence graphs that state it
    by_graph = defaultdict(list)
    for row in statements:
        triple = (row["s"], row["p"], row["o"])
        stating[triple].append(row["g"].value)
        by_graph[row["g"].value].append(triple)
    sentences, seen = [], set()
    for row in rows:
        g = row["g"].value
        if g in seen:  # a sentence graph with two quotes or ranks is shown once, at its first place
            continue
        seen.add(g)
        lines = [_line(linker, t, [Term(ordinals[o], "#" + anchors[o]) for o in stating[t] if o != g])
                 for t in by_graph[g]]
        name = graph.space.slug(g, "graph")
        table = linker.local(f"/graph/{name}.html") if name else linker.iri(g).href
        quote = row["quote"]
        sentences.append(Sentence(anchors[g], ordinals[g], linker.iri(g), quote.value,
                                  quote.language or "" if isinstance(quote, Literal) else "", table,
                                  sorted(lines, key=_order)))
    return sentences


def _line(linker: Linker, triple: tuple, also: list[Term]) -> Line:
    s, p, o = triple
    prop = linker.term(p)
    if p.value in WORDS and prop.text == local_name(p.value):  # unlabelled in the data: the page's word
        prop = Term(text(WORDS[p.value], linker.choice.lang), prop.href, "", "", prop.external, prop.iri)
    mood = ""
    if p.value.startswith(linker.space.namespace + "ontology#"):
        mood = MOODS.get(p.value.rsplit("#", 1)[-1], "")
    return Line(_shown(linker, s), prop, _shown(linker, o), mood, tuple(also))


def _shown(linker: Linker, node) -> Term:
    """A term as a line shows it: an outside IRI with no label is written out, not cut to its last segment."""
    term = linker.term(node)
    if isinstance(node, NamedNode) and term.external and not wikidata_id(node.value) \
            and term.text == local_name(node.value):
        return Term(node.value, term.href, "", "", True, term.iri)
    return term


def _order(line: Line) -> tuple:
    first = FIRST.index(line.property.iri) if line.property.iri in FIRST else len(FIRST)
    return line.subject.text.casefold(), first, line.property.text.casefold(), line.value.text.casefold()


def _editorial(graph: Graph, linker: Linker, rows: list[dict], anchors: dict[str, str]) -> list[Editorial]:
    counts = void.statistics(graph).graphs
    froms, derived, descriptions = defaultdict(dict), {}, defaultdict(dict)
    for row in rows:
        g = row["g"].value
        froms[g][row["from"].value] = None
        derived[g] = row["derived"].value == "true"
        if isinstance(row.get("description"), Literal):
            descriptions[g].setdefault(row["description"].language or "", row["description"].value)
    found = []
    for g, sources_ in froms.items():
        lang, description = _in_language(descriptions[g], linker.choice.lang)
        terms = [Term(linker.iri(f).text, "#" + anchors[f], linker.iri(f).lang, iri=f) if f in anchors
                 else linker.iri(f) for f in sources_]
        found.append(Editorial(linker.iri(g), derived[g], description, lang if lang != linker.choice.lang else "",
                               terms, counts.get(g, 0)))
    return sorted(found, key=lambda e: (not e.derived, e.graph.text.casefold()))


def _in_language(texts: dict[str, str], lang: str) -> tuple[str, str]:
    for tag in fallback_chain(lang):
        if tag in texts:
            return tag, texts[tag]
    return next(iter(sorted(texts.items())), ("", ""))


def _citation(linker: Linker, rows: list[dict], sentence_graphs: set[str]) -> Citation:
    found = defaultdict(dict)
    for row in rows:
        key = row["p"].value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        stated = row["g"].value in sentence_graphs
        term = linker.term(row["o"])
        found[key][term] = found[key].get(term, False) or stated
    return Citation(list(found["title"]), list(found["publicationDate"]),
                    list(found["sourceAddress"]) or list(found["sourcePage"]),
                    [(t, not stated) for t, stated in found["publisher"].items()],
                    list(found["rights"]) + list(found["license"]))


def _preload_labels(graph: Graph, linker: Linker, source: NamedNode, *row_lists: list[dict]) -> None:
    """Read the labels of every IRI the view shows in one query, so each costs no lookup of its own."""
    candidates = defaultdict(list)
    for row in graph.select("reading_labels", source=source):
        candidates[row["x"].value].append((int(row["rank"].value), row["label"]))
    iris = {source.value} | {term.value for rows in row_lists for row in rows for term in row.values()
                             if isinstance(term, NamedNode)}
    linker.labels.preload(iris, candidates)
