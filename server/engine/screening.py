"""Screening a query before it reaches the engine.

Some queries must be refused without being parsed by pyoxigraph at all:
updates (this endpoint is read-only), ``SERVICE`` calls to endpoints outside
the allow-list (no network request may be made for them), and queries nested
so deeply that the parser would overflow its stack and kill the process. This
module finds them with a small lexer that knows SPARQL's comments, strings and
IRIs, so a keyword inside a string or comment is never mistaken for one.

>>> screen("SELECT * { ?s ?p ?o }", allowlist=(), max_nesting=10)
False
>>> screen("INSERT DATA { <a:s> <a:p> <a:o> }", allowlist=(), max_nesting=10)
Traceback (most recent call last):
...
server.engine.screening.Refused: read-only: this endpoint is read-only; SPARQL Update (INSERT) is not accepted
"""

from __future__ import annotations

import re
from typing import Iterator, Mapping

UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}

_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n\r]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
              |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
  | (?P<var>[?$][A-Za-z0-9_\u00b7-\U000effff]+)
  | (?P<word>[A-Za-z_\u00c0-\U000effff][\w.\-\u00b7-\U000effff]*(?::[\w.\-%:\\\u00b7-\U000effff]*)?
            |:[\w.\-%:\\\u00b7-\U000effff]*)
  | (?P<open>[{(\[])
  | (?P<close>[})\]])
  | (?P<other>\S)
    """,
    re.VERBOSE,
)


class Refused(Exception):
    """A query refused before evaluation. ``reason`` is read-only, service or nesting."""

    def __init__(self, reason: str, message: str):
        super().__init__(f"{reason}: {message}")
        self.reason = reason
        self.message = message


def tokens(query: str) -> Iterator[tuple[str, str]]:
    """The (kind, text) tokens of a query, comments dropped.

    >>> [t for t in tokens('SELECT ?x # comment\\n{ ?x <a:b> "}" }')]
    [('word', 'SELECT'), ('var', '?x'), ('open', '{'), ('var', '?x'), ('iri', '<a:b>'), ('string', '"}"'), ('close', '}')]
    """
    for kind, text, _, _ in token_spans(query):
        yield kind, text


def token_spans(query: str) -> Iterator[tuple[str, str, int, int]]:
    """The (kind, text, start, end) tokens of a query, comments dropped: for rewriting it in place.

    >>> list(token_spans("ASK { }"))
    [('word', 'ASK', 0, 3), ('open', '{', 4, 5), ('close', '}', 6, 7)]
    """
    for match in _TOKEN.finditer(query):
        if match.lastgroup != "comment":
            yield match.lastgroup, match.group(), match.start(), match.end()


def screen(query: str, allowlist: tuple[str, ...], max_nesting: int,
           prefixes: Mapping[str, str] | None = None) -> bool:
    """Raise :class:`Refused` if the query is an update, calls a service outside
    ``allowlist``, or nests groups deeper than ``max_nesting``; else return
    whether it names its own dataset (see :func:`has_dataset_clause`), from the
    same tokens."""
    toks = list(tokens(query))
    _check_nesting(toks, max_nesting)
    _check_update(toks)
    _check_services(toks, allowlist, dict(prefixes or {}))
    return _names_dataset(toks)


def has_dataset_clause(query: str) -> bool:
    """Whether the query names its own dataset (FROM or FROM NAMED), which then replaces the default.

    >>> has_dataset_clause("SELECT * FROM <http://e/g> { ?s ?p ?o }"), has_dataset_clause("SELECT * { ?s <a:from> 'FROM' }")
    (True, False)
    """
    return _names_dataset(tokens(query))


def _names_dataset(toks) -> bool:
    return any(kind == "word" and text.upper() == "FROM" for kind, text in toks)


def _check_nesting(toks: list[tuple[str, str]], max_nesting: int) -> None:
    depth = 0
    for kind, _ in toks:
        if kind == "open":
            depth += 1
            if depth > max_nesting:
                raise Refused("nesting", f"the query nests brackets more than {max_nesting} levels deep")
        elif kind == "close":
            depth -= 1


def _check_update(toks: list[tuple[str, str]]) -> None:
    first = _first_operation(toks)
    if first is not None and first.upper() in UPDATE_KEYWORDS:
        raise Refused("read-only", f"this endpoint is read-only; SPARQL Update ({first.upper()}) is not accepted")


def _first_operation(toks: list[tuple[str, str]]) -> str | None:
    """The first keyword after the prologue (PREFIX and BASE declarations)."""
    i = 0
    while i < len(toks):
        kind, text = toks[i]
        if kind == "word" and text.upper() == "PREFIX":
            i += 3
        elif kind == "word" and text.upper() == "BASE":
            i += 2
        else:
            return text if kind == "word" else None
    return None


def _check_services(toks: list[tuple[str, str]], allowlist: tuple[str, ...], prefixes: dict) -> None:
    for i, (kind, text) in enumerate(toks):
        if kind == "word" and text.upper() == "PREFIX" and i + 2 < len(toks):
            prefixes[toks[i + 1][1].rstrip(":")] = toks[i + 2][1][1:-1]
        if not (kind == "word" and text.upper() == "SERVICE"):
            continue
        j = i + 1
        if j < len(toks) and toks[j][1].upper() == "SILENT":
            j += 1
        target = _service_iri(toks[j] if j < len(toks) else ("other", ""), prefixes)
        if target not in allowlist:
            shown = target or (toks[j][1] if j < len(toks) else "nothing")
            allowed = ", ".join(allowlist) or "none"
            raise Refused("service", f"SERVICE {shown} is not allowed; allowed endpoints: {allowed}")


def _service_iri(token: tuple[str, str], prefixes: dict) -> str | None:
    kind, text = token
    if kind == "iri":
        return text[1:-1]
    if kind == "word" and ":" in text:
        prefix, local = text.split(":", 1)
        if prefix in prefixes:
            return prefixes[prefix] + local
    return None


def services(query: str, prefixes: Mapping[str, str] | None = None) -> list[str]:
    """The endpoints a query calls with ``SERVICE``, in order, each once (those it names unresolvably left out).

    >>> services("PREFIX x: <http://e/> SELECT * { SERVICE x:sparql {} SERVICE SILENT <http://f/q> {} }")
    ['http://e/sparql', 'http://f/q']
    """
    toks, prefixes, found = list(tokens(query)), dict(prefixes or {}), []
    for i, (kind, text) in enumerate(toks):
        if kind == "word" and text.upper() == "PREFIX" and i + 2 < len(toks):
            prefixes[toks[i + 1][1].rstrip(":")] = toks[i + 2][1][1:-1]
        elif kind == "word" and text.upper() == "SERVICE":
            j = i + 2 if i + 1 < len(toks) and toks[i + 1][1].upper() == "SILENT" else i + 1
            target = _service_iri(toks[j], prefixes) if j < len(toks) else None
            if target and target not in found:
                found.append(target)
    return found
