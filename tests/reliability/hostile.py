"""What every answer to hostile input must look like, and generators of broken SPARQL.

An answer to bad input is a 4xx whose body says what was wrong, and never shows
a traceback, a source file or a machine path.
"""

from __future__ import annotations

import socket
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

from hypothesis import strategies as st

# Where this checkout, the interpreter and the home folder lie: none may show in an answer.
MACHINE_PATHS = tuple({str(Path(__file__).resolve().parents[2]), sys.prefix, sys.base_prefix, str(Path.home())})
LEAKS = ("Traceback", 'File "', "site-packages", ".py\"", ".py:", "/usr/lib", *MACHINE_PATHS)

KEYWORDS = ["SELECT", "CONSTRUCT", "ASK", "DESCRIBE", "WHERE", "FILTER", "OPTIONAL", "UNION", "MINUS", "GRAPH",
            "BIND", "VALUES", "GROUP BY", "ORDER BY", "LIMIT", "OFFSET", "PREFIX", "BASE", "DISTINCT", "AS",
            "COUNT(", "REGEX(", "STR(", "LANG(", "EXISTS", "NOT", "IN", "a", "*", ".", ";", ",", "{", "}",
            "(", ")", "[", "]", "<", ">", "=", "!=", "&&", "||", "^^", "@fr", "?s", "?p", "?o", "$x", "_:b",
            "rdfs:label", "d55:morocco", "d55o:Conference", "<http://e/x>", "<>", '"x"', "'''y'''", '"\\u00e9"',
            "1", "1.5e3", "-", "+", "/", "|", "^", "#", "\n", "true", "SERVICE", "SILENT", "FROM", "NAMED"]

VALID = [
    "SELECT ?s WHERE { ?s a d55o:Conference }",
    "ASK { d55:morocco ?p ?o }",
    "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s rdfs:label ?l FILTER(LANG(?l) = 'fr') } LIMIT 5",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY DESC(?n)",
    "DESCRIBE d55:dialogue-5-5",
]

# Any character a request can carry (lone surrogates cannot be encoded, so no client can send them).
_chars = st.characters(exclude_categories=("Cs",))
token_soup = st.lists(st.sampled_from(KEYWORDS) | st.text(_chars, max_size=6), min_size=1, max_size=25).map(" ".join)


@st.composite
def mutated(draw) -> str:
    """A valid query with a slice cut out or garbage pushed in."""
    query = draw(st.sampled_from(VALID))
    start = draw(st.integers(0, len(query)))
    end = draw(st.integers(start, min(len(query), start + 12)))
    junk = draw(st.text(_chars, max_size=8) | st.sampled_from(["{", "}", "((", "\"", "<", "\\", "\x00", "\ufeff"]))
    return query[:start] + junk + query[end:]


broken_sparql = token_soup | mutated()


def problems(status: int, text: str) -> list[str]:
    """What is wrong with an answer to bad input (an empty list when it is as it must be)."""
    found = []
    if not 400 <= status < 500:
        found.append(f"status {status}")
    if not text.strip():
        found.append("no message")
    found += [f"leaks {leak!r}" for leak in LEAKS if leak in text]
    return found


def leaks(text: str) -> list[str]:
    return [leak for leak in LEAKS if leak in text]


class Listener:
    """A TCP listener on 127.0.0.1 that counts connections: proof that none were made."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.sock.close()


@contextmanager
def listening():
    listener = Listener()
    try:
        yield listener
    finally:
        listener.close()
