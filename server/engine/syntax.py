"""Syntax errors told in words a person reads, at positions in the query as the client wrote it.

pyoxigraph's parser reports the furthest point it reached and every token
that could have come there, character classes of the grammar included, so an
unknown prefix comes out as 500 characters of Unicode ranges. :func:`explain`
turns that into a sentence:

- a prefixed name whose prefix is declared neither in the query nor among the
  built-in prefixes is reported as such, found by the screening lexer;
- otherwise the parser's line and column are kept (shifted back by the lines
  an engine behind ``--backend`` was sent before the client's query), what
  stands there is named, a triple pattern cut short says which term is
  missing, and of the expected tokens only the words and punctuation are
  listed, never a character class.

>>> explain("error at 1:15: expected one of OPTIONAL, Prefix not found, ['%'], [':']", "SELECT * { ?s p:x ?o }", {})
'unknown prefix p: (line 1, column 15)'
>>> explain("error at 2:9: expected one of LATERAL, SERVICE, [_]", "SELECT * {\\n ?x ?p }", {})
'line 2, column 8: the triple pattern ?x ?p has no object'
>>> explain("error at 1:30: expected one of HAVING, OFFSET, OPTIONAL, VALUES", "SELECT ?x { ?x ?p ?o } LIMT 3", {})
'line 1, column 30: the query ends after "LIMT 3"; expected one of HAVING, OFFSET, OPTIONAL, VALUES'
"""

from __future__ import annotations

import re
from typing import Mapping

from .screening import token_spans

MAX_EXPECTED = 8
_POSITION = re.compile(r"error at (\d+):(\d+): (?:expected (?:one of )?)?(.*)", re.DOTALL)
# One item of the parser's list: a quoted token, a bracketed character class, or a name up to the next comma.
_ITEM = re.compile(r"\"(?:[^\"\\]|\\.)*\"|\[(?:'(?:[^'\\]|\\.)*'|[^\]'])*\]|[^,]+")
_INTERNAL = {"Prefix not found", "IRI parsing failed"}
_TERMS = ("var", "iri", "word", "string")
_STATEMENT_START = {"{", ".", ";", ","}
_NEEDED = {"{": 3, ".": 3, ";": 2, ",": 1}
_MISSING = {1: "no object", 2: "no predicate and object"}


def explain(message: str, query: str, prefixes: Mapping[str, str], shift_lines: int = 0) -> str:
    """A readable account of the parser's ``message`` about ``query``."""
    unknown = unknown_prefix(query, prefixes)
    if unknown is not None:
        name, offset = unknown
        line, column = position(query, offset)
        return f"unknown prefix {name}: (line {line}, column {column})"
    short = short_pattern(query)
    if short is not None:
        words, offset = short
        line, column = position(query, offset)
        return f"line {line}, column {column}: {words}"
    match = _POSITION.search(message)
    if match is None:
        return message[:300]
    line, column = int(match.group(1)) - shift_lines, int(match.group(2))
    offset = _offset(query, line, column)
    expected = readable_expected(match.group(3))
    return f"line {line}, column {column}: " + _at(query, offset, expected)


def is_syntax_error(message: str) -> bool:
    """Whether an engine's message is a parser's "error at LINE:COLUMN: ...".

    >>> is_syntax_error("error at 1:5: expected WHERE"), is_syntax_error("Parser error: error at 2:1: x")
    (True, True)
    """
    return _POSITION.search(message) is not None


def unknown_prefix(query: str, prefixes: Mapping[str, str]) -> tuple[str, int] | None:
    """The first prefix the query uses without a declaration, with its offset, or None.

    >>> unknown_prefix("PREFIX a: <http://e/> SELECT * { ?s a:p b:q }", {})
    ('b', 40)
    >>> unknown_prefix("SELECT * { ?s rdfs:label _:x }", {"rdfs": "http://e/"}) is None
    True
    """
    declared, previous = set(prefixes), None
    for kind, text, offset, _ in token_spans(query):
        if kind == "word" and ":" in text:
            name = text.split(":", 1)[0]
            if previous is not None and previous.upper() == "PREFIX":
                declared.add(name)
            elif name != "_" and name not in declared:
                return name, offset
        previous = text if kind == "word" else None
    return None


def readable_expected(listing: str) -> list[str]:
    """The tokens of the parser's list a person can read: no character classes, no internal names.

    >>> readable_expected("\\"(\\", \\"{\\", ['0' ..= '9' | 'a'], [_], WHERE, IRI parsing failed")
    ['"("', '"{"', 'WHERE']
    """
    items = [m.group().strip() for m in _ITEM.finditer(listing)]
    return [item for item in items if item and not item.startswith("[") and item not in _INTERNAL]


def position(query: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of ``offset`` in ``query``.

    >>> position("a\\nbc", 3)
    (2, 2)
    """
    line_start = query.rfind("\n", 0, offset) + 1
    return query.count("\n", 0, offset) + 1, offset - line_start + 1


def _offset(query: str, line: int, column: int) -> int:
    lines = query.split("\n")
    if not 1 <= line <= len(lines):
        return len(query)
    return min(sum(len(text) + 1 for text in lines[:line - 1]) + column - 1, len(query))


def _at(query: str, offset: int, expected: list[str]) -> str:
    """What stands at the parser's ``offset`` and what was expected there."""
    toks = [(kind, text, start) for kind, text, start, _ in token_spans(query)]
    after = [text for kind, text, start in toks if start >= offset]
    before = [text for kind, text, start in toks if start < offset][-2:]
    found = f'found "{after[0][:30]}"' if after else f'the query ends after "{" ".join(before)[-40:]}"'
    listed = ", ".join(expected[:MAX_EXPECTED]) + (", …" if len(expected) > MAX_EXPECTED else "")
    return found + (f"; expected one of {listed}" if listed else "")


def short_pattern(query: str) -> tuple[str, int] | None:
    """The first triple pattern that ends short of its terms, as words and the offset of its end.

    >>> short_pattern("SELECT * { ?s ?p ?o . ?x ?p }")
    ('the triple pattern ?x ?p has no object', 28)
    >>> short_pattern("SELECT * { VALUES ?x { <a:b> <a:c> } ?x ?p ?o }") is None
    True
    """
    toks = [(kind, text, start) for kind, text, start, _ in token_spans(query)]
    terms: list[str] | None = None  # None: not inside a statement that could be a triple pattern
    for i, (kind, text, offset) in enumerate(toks):
        if text in _STATEMENT_START:
            terms = None if text == "{" and _opens_values(toks, i) else []
            start = text
        elif text == "}" and terms is not None:
            needed = _NEEDED[start] - len(terms)
            if terms and needed in _MISSING:
                return f"the triple pattern {' '.join(terms)} has {_MISSING[needed]}", offset
            terms = None
        elif terms is not None and kind in _TERMS:
            terms.append(text)
        else:
            terms = None
    return None


def _opens_values(toks: list, i: int) -> bool:
    """Whether the ``{`` at ``i`` opens the data block of ``VALUES ?x {`` or ``VALUES (?x ?y) {``."""
    j = i - 1
    while j >= 0 and (toks[j][0] == "var" or toks[j][1] in "()"):
        j -= 1
    return j >= 0 and toks[j][1].upper() == "VALUES"
