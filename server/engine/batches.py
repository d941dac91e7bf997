"""The parts of a batch read from an external engine: how they are sent, and what each keeps of its rows.

:meth:`RemoteStore.prefetch <server.engine.remote_store.RemoteStore.prefetch>`
reads in one round what a page will look up, as parts (a neighbourhood, the
facts of many IRIs, the graphs of many statements, fixed SELECTs): one SELECT
of them all (:func:`text`), or two sent at once when they cost more than one
request should (:func:`shared_out`). Each part comes with a keeper from here,
which files its rows in the request's :class:`~.memo.Memo` under what they
cover. A part that read more rows than its bound covers nothing: the engine is
asked again for what it missed.
"""

from __future__ import annotations

from typing import Callable, Iterable, NamedTuple

from pyoxigraph import Quad

from .memo import Memo

BATCH = "?d55batch"  # which part of a batch a row answers


# What a part costs an engine, in rows read (a guess, only to share a batch's parts out between requests):
LOOKUP = 60     # a neighbourhood side, or a page of statements (Virtuoso 7.2: 5 ms for a side of 51 statements)
FIXED = 30      # a fixed SELECT (an aggregate: 3 ms)
JOIN = 2        # times the rows of a part that joins two patterns


class Part(NamedTuple):
    """One part of a batch: its bound SELECT, what keeps its rows, the prefixes its text uses, and what
    it costs the engine (:data:`LOOKUP`, :data:`FIXED`, or about the rows it reads)."""

    text: str
    keep: Callable[[list[dict]], None]
    prefixes: dict
    cost: int = FIXED


def shared_out(parts: list[Part], alone: int) -> list[list[int]]:
    """The parts' indexes, in one group, or in two of about the same cost when they cost more than
    ``alone``: two requests sent at once, which an engine answers on two threads.

    >>> parts = [Part("", print, {}, cost) for cost in (80, 60, 50, 30, 10)]
    >>> shared_out(parts, 100), shared_out(parts[3:], 100)
    ([[0, 3, 4], [1, 2]], [[0, 1]])
    """
    if len(parts) < 2 or sum(part.cost for part in parts) <= alone:
        return [list(range(len(parts)))]
    groups: list[list[int]] = [[], []]
    totals = [0, 0]
    for index in sorted(range(len(parts)), key=lambda i: -parts[i].cost):
        lighter = totals.index(min(totals))
        groups[lighter].append(index)
        totals[lighter] += parts[index].cost
    return [sorted(group) for group in groups]


def text(prologue: str, parts: list[Part], indexes: list[int]) -> str:
    """One SELECT of the parts at ``indexes``, each row bound to its part's index in :data:`BATCH`; one
    part alone as it is (its rows are its own: wrapped, it costs Virtuoso 7.2 about 1.6 ms more)."""
    if len(indexes) == 1:
        return prologue + parts[indexes[0]].text
    branches = " UNION ".join(f"{{ {{ {parts[i].text}\n}} BIND({i} AS {BATCH}) }}" for i in indexes)
    return f"{prologue}SELECT * WHERE {{ {branches} }}"


def row(names: list[str], solution) -> dict:
    """A solution as a dict of its variables, None where one is unbound (built in C: a third of the time
    of leaving those out)."""
    return dict(zip(names, solution))


def quad(row: dict) -> Quad:
    return Quad(row["s"], row["p"], row["o"], row["g"])


def keeper(covered: dict, bound: int, key, keys: Iterable, partial=None, memo: Memo | None = None):
    """What keeps a part's quads in ``covered`` under ``key(row)``, each of ``keys`` found or not
    (none found is known too), unless the part read more than ``bound`` rows: then it covers nothing
    (and its first quads go to ``partial``, to be read first). With ``memo``, every triple they hold
    is kept too, with its graphs (what a page asks of each statement)."""
    def keep(rows: list[dict]) -> None:
        if len(rows) > bound:
            if partial is not None:
                partial([quad(row) for row in rows[:bound]])
            return
        found: dict = {k: [] for k in keys}
        for row in rows:
            found.setdefault(key(row), []).append(quad(row))
        for k, quads in found.items():
            covered[k] = sorted(quads, key=str)
            if memo is not None:
                memo.keep_triples(covered[k])
    return keep


def triples_keeper(memo: Memo, wanted: list[tuple], bound: int):
    def keep(rows: list[dict]) -> None:
        if len(rows) > bound:
            return
        found: dict = {(*t, None): [] for t in wanted}
        for row in rows:
            found.setdefault((row["s"], row["p"], row["o"], None), []).append(quad(row))
        memo.patterns.update((k, sorted(v, key=str)) for k, v in found.items())
    return keep


def via_keeper(memo: Memo, bound: int, predicates: list):
    """What keeps, for each IRI a part's rows lead to, its quads by each of ``predicates`` (none is known too)."""
    def keep(rows: list[dict]) -> None:
        if len(rows) > bound:
            return
        found: dict = {}
        for row in rows:
            quads = found.setdefault(row["s"], set())
            if row.get("g") is not None:  # bound with its ?p and ?o: the IRI has a fact by one of them
                quads.add(quad(row))
        for s, quads in found.items():
            for p in predicates:
                if (s, p) not in memo.pairs:
                    memo.pairs[s, p] = sorted((q for q in quads if q.predicate == p), key=str)
    return keep


def labels_keepers(memo: Memo, subjects: list, chosen: tuple, bound: int):
    """The keepers of the two parts that read the labels deciding each subject's label for ``chosen``
    (label properties, language): its labels in the language, and all the labels of the subjects that
    have none in it. Once both have kept their rows, each subject gets the first, or else the second
    (none at all is known too)."""
    read: dict = {}

    def keeper(which: str):
        def keep(rows: list[dict]) -> None:
            if len(rows) > bound:
                return
            read[which] = rows
            if len(read) < 2:
                return
            found: dict = {s: ([], []) for s in subjects}
            for index, part in enumerate(("in", "rest")):
                for row in read[part]:
                    found.setdefault(row["s"], ([], []))[index].append(quad(row))
            for s, (in_lang, rest) in found.items():
                memo.labels[(s, *chosen)] = sorted(in_lang or rest, key=str)
        return keep

    return keeper("in"), keeper("rest")


def statements_keeper(memo: Memo, key: str):
    def keep(rows: list[dict]) -> None:
        found: dict = {}
        for row in rows:
            quads = found.setdefault((row["s"], row["p"], row["o"], None), [])
            if row.get("g") is not None:
                quads.append(quad(row))
        memo.patterns.update((k, sorted(v, key=str)) for k, v in found.items())
        memo.remember_answer(key, ["s", "p", "o"], [{"s": s, "p": p, "o": o} for s, p, o, _ in found])
    return keep


def answer_keeper(memo: Memo, key: str):
    def keep(rows: list[dict]) -> None:
        rows = [{name: term for name, term in row.items() if term is not None} for row in rows]
        names = list(dict.fromkeys(name for row in rows for name in row))
        memo.remember_answer(key, names, rows)
    return keep
