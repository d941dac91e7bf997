"""The reading view of a source: its sentences in order, each with the statements its graph holds.

From the source's side, "every fact with the sentence that states it" reads as
an annotated text: the quotes the provenance graph holds (never a second copy
of the text), and under each, its graph's statements as short lines in the
reader's language, with the mood the ontology records for the property
(announced, conditional, possible) and a mark for a statement another sentence
states too. After the text come the graphs that are not sentences (editorial,
derived), with what they add and where they come from, so a reader sees what is
not the article's.

A fixed, small number of store queries builds the view, whatever its size:
the sentences, their statements, the other graphs (labels are then read one
IRI at a time, cached for the request).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode

from ..graph import current as graph
from ..http import problems
from .descriptions import select
from .pages import DCTERMS_DESCRIPTION, PROV, _first
from .terms import Linker, Term

# Properties whose statements are not plain facts, by the mood the source states them in (ontology local names).
MOODS = {"announcedParticipant": "announced", "shouldRelyOn": "conditional", "possibleForm": "possible"}


@dataclass(frozen=True)
class Line:
    """One statement, read as "subject — property — value"."""

    subject: Term
    prop: Term
    value: Term
    mood: str = ""  # announced, conditional, possible, or "" for a plain statement
    also_in: tuple[int, ...] = ()  # the ranks of the other sentences that state it


@dataclass(frozen=True)
class Sentence:
    rank: int
    anchor: str
    quote: str
    quote_lang: str
    graph: Term
    table_href: str
    lines: list[Line]


@dataclass(frozen=True)
class OtherGraph:
    """A graph that is not a sentence: what it is, what it adds, where it comes from."""

    graph: Term
    statements: int
    description: str
    description_lang: str
    derived: bool
    sources: list[Term] = field(default_factory=list)


@dataclass(frozen=True)
class ReadingView:
    source: Term
    address: Term | None
    sentences: list[Sentence]
    others: list[OtherGraph]
    from_sentences: int
    silent: int
    editorial: int
    derived: int


def sources() -> list[NamedNode]:
    """Every source whose sentences the dataset quotes (one reading view each)."""
    return [row["source"] for row in select(graph(), "reading_sources", kind=_ours("SentenceGraph"))]


def sentence_place(graph_iri: str) -> tuple[str, str] | None:
    """Where a sentence graph is read: (the source's IRI, the sentence's anchor), or None for another graph."""
    store, node = graph().store, NamedNode(graph_iri)
    if not any(True for _ in store.quads_for_pattern(node, NamedNode(_RDF_TYPE), _ours("SentenceGraph"), None)):
        return None
    source, rank = _first(store, node, PROV + "wasDerivedFrom"), _first(store, node, _ours("sentenceOrdinal").value)
    if not isinstance(source, NamedNode) or not isinstance(rank, Literal):
        return None
    return source.value, anchor(int(rank.value))


def anchor(rank: int) -> str:
    """The stable anchor of sentence ``rank`` in its reading view.

    >>> anchor(6)
    'sentence-06'
    """
    return f"sentence-{rank:02d}"


def view(source_iri: str, linker: Linker) -> ReadingView:
    """The reading view of ``source_iri``, or 404 when the dataset quotes no sentence of it."""
    source = NamedNode(source_iri)
    rows = select(graph(), "reading_sentences", source=source, kind=_ours("SentenceGraph"),
                  ordinal=_ours("sentenceOrdinal"))
    if not rows:
        raise problems.NotFound("the dataset quotes no sentence of this resource")
    statements = select(graph(), "reading_statements", source=source, kind=_ours("SentenceGraph"))
    ranks = {row["g"]: int(row["rank"].value) for row in rows}
    stating = _stating(statements, ranks)
    sentences = [_sentence(row, statements, stating, ranks, linker) for row in rows]
    others = _others(linker)
    return ReadingView(
        linker.iri(source_iri), _address(source, linker), sentences, others,
        from_sentences=sum(len(s.lines) for s in sentences), silent=sum(1 for s in sentences if not s.lines),
        editorial=sum(o.statements for o in others if not o.derived),
        derived=sum(o.statements for o in others if o.derived))


def _ours(name: str) -> NamedNode:
    return NamedNode(graph().space.namespace + "ontology#" + name)


def _stating(statements: list[dict], ranks: dict) -> dict[tuple, list[int]]:
    """For each triple, the ranks of the sentences that state it."""
    found: dict[tuple, list[int]] = {}
    for row in statements:
        found.setdefault((row["s"], row["p"], row["o"]), []).append(ranks.get(row["g"], 0))
    return found


def _sentence(row: dict, statements: list[dict], stating: dict, ranks: dict, linker: Linker) -> Sentence:
    rank, quote = int(row["rank"].value), row["quote"]
    lines = [_line(s, stating, rank, linker) for s in statements if s["g"] == row["g"]]
    slug = row["g"].value.rsplit("/", 1)[-1]
    return Sentence(rank, anchor(rank), quote.value, quote.language or "", linker.iri(row["g"].value),
                    linker.local(f"/graph/{slug}.html"), lines)


def _line(row: dict, stating: dict, rank: int, linker: Linker) -> Line:
    prop = row["p"].value
    mood = MOODS.get(prop.rsplit("#", 1)[-1], "") if prop.startswith(graph().space.namespace) else ""
    others = tuple(sorted(set(stating[(row["s"], row["p"], row["o"])]) - {rank}))
    return Line(linker.term(row["s"]), linker.iri(prop), linker.term(row["o"]), mood, others)


def _others(linker: Linker) -> list[OtherGraph]:
    rows = select(graph(), "reading_editorial", kind=_ours("SentenceGraph"))
    derived_kind = _ours("DerivedGraph")
    store = graph().store
    found = []
    for row in rows:
        node = row["g"]
        description = _first(store, node, DCTERMS_DESCRIPTION, linker.choice.lang)
        origins = sorted({q.object.value for q in store.quads_for_pattern(node, NamedNode(PROV + "wasDerivedFrom"),
                                                                           None, None) if isinstance(q.object, NamedNode)})
        derived = any(True for _ in store.quads_for_pattern(node, NamedNode(_RDF_TYPE), derived_kind, None))
        found.append(OtherGraph(
            linker.iri(node.value), int(row["n"].value),
            description.value if isinstance(description, Literal) else "",
            (description.language or "") if isinstance(description, Literal) else "",
            derived, [linker.iri(iri) for iri in origins]))
    return found


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _address(source: NamedNode, linker: Linker) -> Term | None:
    page = _first(graph().store, source, graph().space.namespace + "ontology#sourcePage")
    if not isinstance(page, NamedNode):
        return None
    return Term(page.value, page.value, external=True, iri=page.value)
