"""The part of pyoxigraph's ``Store`` that the pages use, over an external SPARQL engine.

With the ``backend`` setting, :class:`~server.graph.Graph` holds a
:class:`RemoteStore` where it would hold a pyoxigraph ``Store``, so the pages,
documents, VoID, dumps, search and ontology documentation run unchanged. Every
method becomes one or more SPARQL queries sent with :class:`~server.engine.backend.Engine`;
values reach them only as a ``VALUES`` block built from pyoxigraph terms
(:func:`server.engine.backend.bind_values`), never from raw strings.

What differs from the embedded store, and why:

- ``quads_for_pattern(..., None)`` yields the quads of the **named graphs**
  only. The engine's default graph is the union of them, so including it would
  give each statement twice; callers that ask for any graph want the named
  graphs (evidence) anyway. ``DefaultGraph()`` asks for that union, deduplicated.
- Results come page by page (``LIMIT``/``OFFSET``, pages growing from
  :data:`FIRST_PAGE` to :data:`LARGEST_PAGE` rows), so a caller that takes the
  first rows with ``itertools.islice`` costs one small request, even on a hub.
- A blank node of the engine cannot be named back to it (its label is local to
  one result), so a pattern with a blank node matches nothing here.
- Within :meth:`RemoteStore.scope` (one request), what is read is kept in a
  :class:`~server.engine.memo.Memo`: :meth:`RemoteStore.prefetch` reads in one
  request what a page will look up (a resource's neighbourhood, facts of many
  IRIs, the graphs of many statements, whole graphs, fixed SELECTs), a lookup
  of one resource alone (``quads_for_pattern(x, None, None)``) reads its
  neighbourhood, and later lookups inside what was read cost no request.
- Whole graphs are read to their end whatever the engine's row cap: see :mod:`.whole_graphs`.
- The engine's failures become :class:`problems.BadGateway` (502), and its
  silence past the time limit :class:`problems.Unavailable` (503), as a page
  cannot be built without its data.
"""

from __future__ import annotations

import itertools
import re
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from typing import Iterable, Iterator

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Triple,
    Variable,
    parse_query_results,
    serialize,
)

from ..http import problems
from . import answers, backend, batches, whole_graphs
from .memo import UNION, Memo

FIRST_PAGE = 100
LARGEST_PAGE = 10_000
# Every query reads named graphs whose IRI starts with ?ours: an engine may hold graphs of its own
# (Virtuoso's system graphs) in its union default graph, and they are not ours to publish.
OURS = "FILTER(STRSTARTS(STR(?g), ?ours))"
NAMED_QUADS = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } %s }" % OURS
UNION_TRIPLES = "SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } %s }" % OURS
# A graph exists when it holds a triple: Virtuoso's GRAPH ?g { } is true of any IRI.
GRAPH_NAMES = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } %s }" % OURS
HAS_GRAPH = "ASK WHERE { GRAPH ?g { ?s ?p ?o } %s }" % OURS
# Bounds of one batch's parts (rows read past them mean the part is incomplete and covers nothing).
NEIGHBOURHOOD = 1_000   # quads with the resource as subject, and as object
FACTS = 5_000           # quads of the facts asked about many IRIs at once
WHOLE = 5_000           # quads of one graph read whole
BATCHED_QUADS = NAMED_QUADS + " LIMIT %d"
# One side of a resource's neighbourhood, the resource written in the pattern (its N-Triples form, as a NamedNode
# writes it): bound by VALUES instead, the object side took Virtuoso 7.2 2.45 ms against 2.20, Oxigraph 1.10 against 0.79.
SIDE = {"s": "SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ {node} ?p ?o }} BIND({node} AS ?s) %s }} LIMIT {limit}" % OURS,
        "o": "SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p {node} }} BIND({node} AS ?o) %s }} LIMIT {limit}" % OURS}
# A batch that costs more than this (see batches.Part) goes as two requests at once, which an engine answers
# on two threads: Virtuoso 7.2 answered the conference page's 250 rows in 19 ms so, against 32 ms in one request.
ALONE = 100
POOL = 4  # threads sending second requests, shared by the requests being served
# The rows of a SELECT of ?s ?p ?o, each with the graphs of ours that hold it (if any).
# Inside OPTIONAL, what our graphs' IRIs start with is written as a literal ({ours}, a Literal's N-Triples form):
# Virtuoso 7.2 does not see a VALUES binding of the outer group in a FILTER inside OPTIONAL (it filters all out).
WITH_GRAPHS = "SELECT ?s ?p ?o ?g WHERE {{ {{ {select}\n}} OPTIONAL {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), {ours})) }} }}"
# The facts of many subjects (a VALUES list) by some predicates (an IN list), in our graphs. Written so, with
# prefixed names, a batch is a sixth of its text as rows of (subject, predicate): Virtuoso's time grows with the text.
FACTS_BY = "SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?p IN ({predicates})) %s }} LIMIT {limit}" % OURS
# What each ?x leads to by {via}, with its facts by the {predicates} (?p unbound: it has none), all in our graphs.
FACTS_VIA = ("SELECT DISTINCT ?s ?p ?o ?g WHERE {{ GRAPH ?h {{ ?x {via} ?s }} FILTER(STRSTARTS(STR(?h), ?ours)) "
             "FILTER(isIRI(?s)) OPTIONAL {{ GRAPH ?g {{ ?s ?p ?o }} "
             "FILTER(?p IN ({predicates}) && STRSTARTS(STR(?g), {ours})) }} }} LIMIT {limit}")
# The labels of many subjects in one language ({lang}, a Literal's N-Triples form), and all the labels of those
# that have none in it: what decides each one's label in that language.
LABELS_IN = ("SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?p IN ({labels}) && LANG(?o) = {lang}) %s }} "
             "LIMIT {limit}") % OURS
LABELS_OF_OTHERS = ("SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?p IN ({labels})) %s "
                    "FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?q ?l }} FILTER(?q IN ({labels}) && LANG(?l) = {lang}) }} }} "
                    "LIMIT {limit}") % OURS
# Our graphs, and whether the engine's default graph is their union: what serving needs of the engine.
OUR_GRAPH_COUNT = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } %s }" % OURS
UNION_DEFAULT = "ASK WHERE { GRAPH ?g { ?s ?p ?o } %s ?s ?p ?o }" % OURS


class RemoteStore:
    """A read-only, pyoxigraph-``Store``-like view of the dataset an :class:`~server.engine.backend.Engine` holds."""

    def __init__(self, engine: backend.Engine, timeout: float, graphs: str = ""):
        """``graphs`` is what the IRIs of the dataset's named graphs start with: other graphs are not seen."""
        self.engine = engine
        self.timeout = timeout
        self.ours = Literal(graphs)
        self._local = threading.local()
        self._pool: ThreadPoolExecutor | None = None  # the threads that send a batch's second request
        self._pool_lock = threading.Lock()

    @contextmanager
    def scope(self):
        """Keep what is read from the engine until the block ends (one request, in this thread)."""
        if getattr(self._local, "memo", None) is not None:  # already in one: share it
            yield
            return
        self._local.memo = Memo()
        try:
            yield
        finally:
            self._local.memo = None

    @property
    def _memo(self) -> Memo | None:
        return getattr(self._local, "memo", None)

    def quads_for_pattern(self, subject, predicate, object, graph_name=None) -> Iterator[Quad]:
        """The quads matching the pattern (``None`` is a wildcard), fetched lazily page by page.

        Within a :meth:`scope`, answered from what was read when that covers the
        pattern; one resource alone first reads its neighbourhood.
        """
        memo = self._memo
        terms = (subject, predicate, object, graph_name)
        if memo is None or any(isinstance(term, BlankNode) for term in terms):
            return self._engine_quads(*terms)
        found = memo.lookup(*terms)
        alone = predicate is None and (subject is None) != (object is None) \
            and (graph_name is None or isinstance(graph_name, DefaultGraph))
        if found is None and alone:
            self.prefetch(neighbourhoods=[subject or object])  # one resource alone: read its neighbourhood
            found = memo.lookup(*terms)
        if found is not None:
            return iter(found)
        key = (subject, predicate, object, UNION if isinstance(graph_name, DefaultGraph) else graph_name)
        quads = self._remembered(memo, key, self._engine_quads(*terms))
        first = memo.partial.get(("s", subject) if subject is not None else ("o", object), []) if alone else []
        return _continued(first, graph_name, quads) if first else quads

    def _engine_quads(self, subject, predicate, object, graph_name) -> Iterator[Quad]:
        pattern = {"s": subject, "p": predicate, "o": object}
        if isinstance(graph_name, DefaultGraph):
            return self._pages(UNION_TRIPLES, {**pattern, "ours": self.ours})
        return self._pages(NAMED_QUADS, {**pattern, "g": graph_name, "ours": self.ours})

    @staticmethod
    def _remembered(memo: Memo, key: tuple, quads: Iterator[Quad]) -> Iterator[Quad]:
        """``quads`` as they come; once read to the end (and not many), they answer the same lookup again."""
        found = []
        for quad in quads:
            if len(found) <= LARGEST_PAGE:
                found.append(quad)
            yield quad
        if len(found) <= LARGEST_PAGE:
            memo.patterns[key] = sorted(found, key=str)

    def query(self, query: str, *, prefixes: dict[str, str] | None = None, substitutions: dict | None = None,
              use_default_graph_as_union: bool = False):
        """Run a query: ``QuerySolutions`` for SELECT, ``QueryBoolean`` for ASK, a list of triples otherwise.

        The engine's default graph is the union of its named graphs whatever
        ``use_default_graph_as_union`` says: that is how it must be started.
        A query that mentions ``?ours`` and is not given it gets what our
        graphs' IRIs start with (the twins in ``server/queries/multiset/``).
        A SELECT that the engine cuts at its row cap (Virtuoso's
        ``X-SPARQL-MaxRows``) is read on, a window of that many rows at a time.
        """
        values = self._values(query, substitutions)
        if any(isinstance(term, BlankNode) for term in values.values()):
            raise ValueError("a blank node cannot be passed to an external engine")
        key = backend.bind_values(query, values)  # the prefixes are the store's own, the same for every query
        memo = self._memo
        if memo is not None and (kept := memo.answer(key)) is not None:
            return kept
        text = backend.bind_values(backend.with_prefixes(query, prefixes or {}), values)
        reply = self._exchange(text, backend.accept_for(query))
        result = answers.parsed(reply.media_type, reply.body)
        cap = backend.row_cap(reply)
        if cap is not None and isinstance(result, QuerySolutions):
            result = self._read_on(text, result, cap)
        if memo is None or not isinstance(result, QuerySolutions):
            return result
        names = [v.value for v in result.variables]
        memo.remember_answer(key, names, [batches.row(names, row) for row in result])
        return memo.answer(key)

    def _values(self, query: str, substitutions: dict | None) -> dict:
        """The values a query is bound with: its substitutions by name, and ``?ours`` if it reads it unbound
        (a fixed query for an engine reads our graphs only)."""
        values = {variable.value: term for variable, term in (substitutions or {}).items()}
        if "ours" not in values and "?ours" in query:
            values["ours"] = self.ours
        return values

    def prefetch(self, *, neighbourhoods: Iterable = (), facts: Iterable = (), triples: Iterable = (),
                 graphs: Iterable = (), queries: Iterable = (), statements: Iterable = (),
                 labels: Iterable = ()) -> None:
        """Read in one request what is about to be looked up, for the rest of the :meth:`scope`.

        ``neighbourhoods``: resources whose quads (as subject, as object) are read;
        ``facts``: ``(subjects, predicates)`` pairs, the quads of each subject with
        each predicate (predicates None: every quad of each subject);
        ``triples``: ``(s, p, o)`` whose graphs are read; ``graphs``: graphs read
        whole (as the dumps read them, past any row cap: two requests of their own,
        more on an engine that cuts them); ``queries``: ``(query, prefixes,
        substitutions)`` SELECTs, answered again by :meth:`query` with the same
        arguments; ``statements``: such
        SELECTs of ``?s ?p ?o`` (a page of statements), read with the graphs of
        each row; ``labels``: ``(subjects, properties, lang)``, what decides each
        subject's label by ``properties`` in ``lang`` (:meth:`label_quads`). Outside a scope, nothing.
        """
        memo = self._memo
        if memo is None:
            return
        for g in dict.fromkeys(graphs):
            self._read_graph(memo, g)
        parts = self._parts(memo, neighbourhoods, facts, triples, queries)
        parts += self._statements(memo, statements)
        for subjects, properties, lang in labels:
            parts += self._labels(memo, subjects, tuple(properties), lang)
        if not parts:
            return
        prefixes = dict(getattr(self.engine, "prefixes", None) or {})  # which the engine would look for otherwise
        for part in parts:  # the same names as the engine's (the dataset's): the parts' IRIs use them
            for name, iri in part.prefixes.items():
                prefixes.setdefault(name, iri)
        # Every prefix declared up front, without looking for it in a long text (as with_prefixes does).
        prologue = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in sorted(prefixes.items()))
        groups = batches.shared_out(parts, ALONE)
        replies = self._exchange_at_once([batches.text(prologue, parts, group) for group in groups])
        for group, reply in zip(groups, replies):
            self._keep(reply, parts, group)

    def _exchange_at_once(self, queries: list[str]) -> list[backend.Reply]:
        """The engine's answers to ``queries``, the first asked in this thread, the others at the same time."""
        if self._pool is None:
            with self._pool_lock:
                self._pool = self._pool or ThreadPoolExecutor(POOL, thread_name_prefix="engine")
        others = [self._pool.submit(self._exchange, query, backend.SOLUTIONS) for query in queries[1:]]
        try:
            first = self._exchange(queries[0], backend.SOLUTIONS)
        finally:  # wait for them: their error, or the first's, is raised
            replies = [self._awaited(future) for future in others]
        return [first, *replies]

    def _awaited(self, future: Future) -> backend.Reply:
        """A second request's answer, within the time limit even if it waited for a thread of the pool
        (they are shared: under load a second request may queue behind others)."""
        try:
            return future.result(timeout=self.timeout)
        except FutureTimeout:
            future.cancel()
            raise self._problem(backend.TimedOut()) from None

    def _keep(self, reply: backend.Reply, parts: list[batches.Part], group: list[int]) -> None:
        """Keep the rows of one answer to the parts at ``group``, unless the engine may have cut it."""
        if backend.row_cap(reply) is not None:  # the engine cut the answer at a cap it names: trust none of it
            return
        names, solutions = answers.solutions(reply)
        rows: dict[int, list[dict]] = {index: [] for index in group}
        alone = group[0] if len(group) == 1 else None  # sent as it is, without the part's index
        for row in solutions:
            found = batches.row(names, row)
            rows[alone if alone is not None else int(found.pop(batches.BATCH[1:]).value)].append(found)
        if sum(map(len, rows.values())) >= min(backend.KNOWN_ROW_CAPS):  # the engine may have cut it: trust none
            return
        for index, found in rows.items():
            parts[index].keep(found)

    def _read_graph(self, memo: Memo, g) -> None:
        """Keep the graph ``g`` whole, read as the dumps read it (to its end whatever the engine's row cap),
        unless it holds more than :data:`WHOLE` triples: then it covers nothing."""
        if g in memo.graphs or not isinstance(g, NamedNode):
            return
        triples = list(itertools.islice(self.graph_triples(g), WHOLE + 1))
        if len(triples) <= WHOLE:
            memo.graphs[g] = sorted((Quad(t.subject, t.predicate, t.object, g) for t in triples), key=str)

    def _parts(self, memo: Memo, neighbourhoods, facts, triples, queries) -> list[batches.Part]:
        """The batch's parts not yet read."""
        parts, ours = [], {"ours": self.ours}
        for node in dict.fromkeys(neighbourhoods):
            for position, covered in (("s", memo.subjects), ("o", memo.objects)):
                if node not in covered and (position, node) not in memo.partial and not isinstance(node, BlankNode):
                    if isinstance(node, NamedNode):
                        text = backend.bind_values(SIDE[position].format(node=node, limit=NEIGHBOURHOOD + 1), ours)
                    else:  # a literal: an object only, bound as a value
                        text = backend.bind_values(BATCHED_QUADS % (NEIGHBOURHOOD + 1), {position: node, **ours})
                    keep = batches.keeper(covered, NEIGHBOURHOOD, lambda q, p=position: q[p], [node],
                                   lambda rows, k=(position, node): memo.partial.setdefault(k, rows), memo)
                    parts.append(batches.Part(text, keep, {}, batches.LOOKUP))
        for subjects, predicates, *via in facts:
            parts += self._facts(memo, subjects, predicates, *via)
        wanted = [t for t in dict.fromkeys(triples) if not any(isinstance(term, BlankNode) for term in t)
                  and memo.lookup(*t, None) is None]
        if wanted:
            text = backend.bind_values(BATCHED_QUADS % (FACTS + 1), {("s", "p", "o"): wanted, **ours}, self.engine.prefixes)
            parts.append(batches.Part(text, batches.triples_keeper(memo, wanted, FACTS), {}, len(wanted)))
        for query, prefixes, substitutions in queries:
            key = backend.bind_values(query, self._values(query, substitutions))
            if key not in memo.answers:
                parts.append(batches.Part(key, batches.answer_keeper(memo, key), prefixes or {}))
        return parts

    def label_quads(self, subject, properties: tuple, lang: str) -> list[Quad] | None:
        """The quads of ``subject`` by the label ``properties`` that decide its label in ``lang``, if this
        request has read them: those in ``lang``, or all of them when none is (a label is picked in the
        first language of its fallback chain that has one, see :mod:`server.site.labels`); None if not read."""
        memo = self._memo
        return None if memo is None else memo.labels.get((subject, properties, lang))

    def _labels(self, memo: Memo, subjects, properties: tuple, lang: str) -> list[batches.Part]:
        """The two parts that read what decides each subject's label in ``lang``: a page shows one label,
        and reading the labels in every language wrote Virtuoso 7.2 a third more rows (15.1 -> 11.6 ms)."""
        subjects = [s for s in dict.fromkeys(subjects)  # a subject read whole has its labels already
                    if isinstance(s, NamedNode) and (s, properties, lang) not in memo.labels and s not in memo.subjects]
        if not subjects:
            return []
        prefixes, language = self.engine.prefixes, Literal(lang)
        keep_in, keep_rest = batches.labels_keepers(memo, subjects, (properties, lang), FACTS)
        parts = []
        for text, keep in ((LABELS_IN, keep_in), (LABELS_OF_OTHERS, keep_rest)):
            text = text.format(labels=backend.term_text(properties, prefixes), lang=language, limit=FACTS + 1)
            parts.append(batches.Part(backend.bind_values(text, {"s": subjects, "ours": self.ours}, prefixes),
                                      keep, {}, len(subjects)))
        return parts

    def _statements(self, memo: Memo, queries) -> list[batches.Part]:
        parts = []
        for query, prefixes, substitutions in queries:
            key = backend.bind_values(query, self._values(query, substitutions))
            if key not in memo.answers:
                text = WITH_GRAPHS.format(select=key, ours=self.ours)
                parts.append(batches.Part(text, batches.statements_keeper(memo, key), prefixes or {}, batches.LOOKUP))
        return parts

    def _facts(self, memo: Memo, subjects, predicates, via: NamedNode | None = None) -> list[batches.Part]:
        subjects = [s for s in dict.fromkeys(subjects) if isinstance(s, NamedNode) and s not in memo.subjects]
        prefixes = self.engine.prefixes
        if via is not None:  # the facts of what the subjects lead to by ``via`` (the sources of graphs)
            if not subjects:
                return []
            predicates = list(dict.fromkeys(predicates))
            text = FACTS_VIA.format(via=backend.term_text([via], prefixes), ours=self.ours, limit=FACTS + 1,
                                    predicates=backend.term_text(predicates, prefixes))
            text = backend.bind_values(text, {"x": subjects, "ours": self.ours}, prefixes)
            cost = batches.JOIN * len(subjects) * len(predicates)
            return [batches.Part(text, batches.via_keeper(memo, FACTS, predicates), {}, cost)]
        if predicates is None:
            values = {"s": subjects, "ours": self.ours}
            keep = batches.keeper(memo.subjects, FACTS, lambda q: q["s"], subjects)
            text, cost = BATCHED_QUADS % (FACTS + 1), 10 * len(subjects)
        else:
            predicates = list(dict.fromkeys(predicates))
            subjects = [s for s in subjects if any((s, p) not in memo.pairs for p in predicates)]
            values = {"s": subjects, "ours": self.ours}
            pairs = [(s, p) for s in subjects for p in predicates]
            keep = batches.keeper(memo.pairs, FACTS, lambda q: (q["s"], q["p"]), pairs)
            text = FACTS_BY.format(predicates=backend.term_text(predicates, prefixes), limit=FACTS + 1)
            cost = len(pairs)
        if not subjects:
            return []
        return [batches.Part(backend.bind_values(text, values, prefixes), keep, {}, cost)]

    def named_graphs(self) -> Iterator[NamedNode]:
        """The names of the engine's named graphs."""
        return (row["g"] for row in self.query(GRAPH_NAMES, substitutions={Variable("ours"): self.ours}))

    def contains_named_graph(self, graph_name) -> bool:
        if not isinstance(graph_name, NamedNode):
            return False
        return bool(self.query(HAS_GRAPH, substitutions={Variable("g"): graph_name, Variable("ours"): self.ours}))

    def dump(self, output=None, format: RdfFormat | None = None, *, from_graph=None, prefixes=None):
        """One graph serialised in ``format`` (a graph format): the named graph ``from_graph``, or the union.

        Read to the end, in one answer or by key (see :mod:`.whole_graphs`).
        """
        if isinstance(from_graph, DefaultGraph):
            triples = self.union_triples()
        elif isinstance(from_graph, NamedNode):
            triples = self.graph_triples(from_graph)
        else:
            raise ValueError("an external engine's dump needs from_graph (a named graph or DefaultGraph())")
        return serialize(triples, output, format, prefixes=prefixes)

    def graph_triples(self, graph_name: NamedNode) -> Iterator[Triple]:
        """Every triple of the named graph ``graph_name``, to the end whatever the engine's row cap
        (see :mod:`.whole_graphs`)."""
        return whole_graphs.graph_triples(self._exchange, graph_name)

    def named_quads(self) -> Iterator[Quad]:
        """Every quad of our named graphs, graph by graph: the dataset as published (the dumps)."""
        for name in sorted(self.named_graphs(), key=lambda g: g.value):
            for triple in self.graph_triples(name):
                yield Quad(triple.subject, triple.predicate, triple.object, name)

    def union_triples(self) -> list[Triple]:
        """The union of our named graphs, each triple once (the engine's union may repeat one)."""
        return list(dict.fromkeys(quad.triple for quad in self.named_quads()))

    def readiness(self) -> tuple[int, bool]:
        """How many of our graphs the engine holds, and whether its default graph is their union.

        One count and one ASK, run before serving: an engine that cannot be
        reached raises :class:`problems.BadGateway` (or :class:`problems.Unavailable`).
        """
        ours = {Variable("ours"): self.ours}
        rows = list(self.query(OUR_GRAPH_COUNT, substitutions=ours))
        count = int(rows[0]["n"].value) if rows and rows[0]["n"] is not None else 0
        return count, count > 0 and bool(self.query(UNION_DEFAULT, substitutions=ours))

    # --- helpers ---------------------------------------------------------

    def _pages(self, select: str, pattern: dict) -> Iterator[Quad]:
        bound = {name: term for name, term in pattern.items() if term is not None}
        if any(isinstance(term, BlankNode) for term in bound.values()):
            return
        text, named = backend.bind_values(select, bound), select is NAMED_QUADS
        offset, size = 0, FIRST_PAGE
        while True:
            reply = self._exchange(f"{text} LIMIT {size} OFFSET {offset}", backend.SOLUTIONS)
            _, rows = answers.solutions(reply)
            for row in rows:
                yield Quad(row["s"], row["p"], row["o"], row["g"] if named else DefaultGraph())
            cap = backend.row_cap(reply)  # a page cut at the engine's cap is not the last one
            if not rows or (len(rows) < size and cap is None):
                return
            offset, size = offset + len(rows), min(size * 10, LARGEST_PAGE, cap or LARGEST_PAGE)

    def _read_on(self, text: str, first: QuerySolutions, cap: int) -> QuerySolutions:
        """The rest of a SELECT the engine cut after ``cap`` rows, in windows of ``cap`` rows after the first.

        Each window is the query with its own ``LIMIT``/``OFFSET`` moved on
        (:func:`window`): a fixed query's order is its own, and the data is
        read-only while it is served, so the windows follow on. (Not as a
        subquery: Virtuoso 7.2 answers an ``OFFSET`` past its cap over a
        ``DISTINCT`` subquery with the first rows again.)
        """
        lines = first.serialize(format=QueryResultsFormat.TSV).splitlines(keepends=True)
        read = len(lines) - 1
        while (query := window(text, read, cap)) is not None:
            reply = self._exchange(query, backend.SOLUTIONS)
            answer = answers.parsed(reply.media_type, reply.body)
            page = answer.serialize(format=QueryResultsFormat.TSV).splitlines(True)[1:]
            lines += page
            read += len(page)
            if not page or (len(page) < cap and backend.row_cap(reply) is None):
                break
        return parse_query_results(b"".join(lines), format=QueryResultsFormat.TSV)

    def _exchange(self, query: str, accept: str) -> backend.Reply:
        try:
            return self.engine.exchange(query, accept, self.timeout)
        except (backend.TimedOut, backend.EngineError) as error:
            raise self._problem(error) from None

    def _problem(self, error: Exception) -> problems.Problem:
        if isinstance(error, backend.TimedOut):
            return problems.Unavailable(f"the SPARQL engine gave no answer within {self.timeout:g} s",
                                        {"Retry-After": "5"})
        # the engine's fault: 502, never our 503 of a time limit
        return problems.BadGateway(f"the SPARQL engine failed on a page query: {error}",
                                   {} if error.failed else {"Retry-After": "5"})



def _continued(first: list[Quad], graph_name, rest: Iterator[Quad]) -> Iterator[Quad]:
    """The quads of a neighbourhood read in part, ``first`` first, then the others ``rest`` finds:
    a caller that needs only a few (does the resource exist?) costs no request."""
    if isinstance(graph_name, DefaultGraph):
        first = [Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in dict.fromkeys(q.triple for q in first)]
    yield from first
    seen = set(first)
    yield from (quad for quad in rest if quad not in seen)


_WINDOW = re.compile(r"(?:\s+(?:LIMIT\s+(?P<limit>\d+)|OFFSET\s+(?P<offset>\d+))){0,2}\s*$", re.IGNORECASE)


def window(query: str, read: int, size: int) -> str | None:
    """``query`` with its solutions after the first ``read`` ones, at most ``size`` of them; None if there are no more.

    >>> window("SELECT * { ?s ?p ?o }", 500, 500)
    'SELECT * { ?s ?p ?o }\\nLIMIT 500 OFFSET 500'
    >>> window("SELECT * { ?s ?p ?o } LIMIT 1200 OFFSET 100", 1000, 500)
    'SELECT * { ?s ?p ?o }\\nLIMIT 200 OFFSET 1100'
    >>> window("SELECT * { ?s ?p ?o } LIMIT 1000", 1000, 500) is None
    True
    """
    match = _WINDOW.search(query)
    limits = [int(v) for v in re.findall(r"LIMIT\s+(\d+)", match.group(0), re.IGNORECASE)]
    offsets = [int(v) for v in re.findall(r"OFFSET\s+(\d+)", match.group(0), re.IGNORECASE)]
    remaining = size if not limits else min(size, limits[0] - read)
    if remaining <= 0:
        return None
    return f"{query[:match.start()]}\nLIMIT {remaining} OFFSET {(offsets[0] if offsets else 0) + read}"
