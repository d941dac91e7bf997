"""SPARQL solutions as a table for people, the way ``dialogue55 query`` prints them.

IRIs are shown compact (``d55:morocco``, with the graph's prefixes) and, where
the graph has a label for them, as ``label (d55:morocco)``; literals as their text,
with their language tag. The table is laid out by ``rich``: columns sized to
their contents, wrapped to a terminal's width, never wrapped when the output is
a file or a pipe (so each row stays one line for ``grep`` and ``cut``).

>>> from pyoxigraph import Literal
>>> cell(NamedNode("https://w3id.org/dialogue55/id/x"), {"d55": "https://w3id.org/dialogue55/id/"}, lambda i: None)
'd55:x'
>>> cell(Literal("Maroc", language="fr"), {}, lambda i: None)
'Maroc @fr'
"""

from __future__ import annotations

import sys
from typing import Callable

from pyoxigraph import BlankNode, Literal, NamedNode, QueryBoolean, QueryResultsFormat, parse_query_results
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .dataset.iris import prefixed_name

PIPE_WIDTH = 100_000  # columns when the output is not a terminal: rows are never wrapped


def compact(iri: str, prefixes: dict[str, str]) -> str:
    """``prefix:local`` for the longest namespace ``iri`` starts with, else ``<iri>``.

    >>> compact("http://www.wikidata.org/entity/Q1028", {"wd": "http://www.wikidata.org/entity/"})
    'wd:Q1028'
    >>> compact("http://e/x", {})
    '<http://e/x>'
    """
    return prefixed_name(iri, prefixes) or f"<{iri}>"


def cell(term, prefixes: dict[str, str], label: Callable[[str], str | None]) -> str:
    """The text of one term in the table (an unbound variable is empty)."""
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        name, text = compact(term.value, prefixes), label(term.value)
        return f"{text} ({name})" if text else name
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, Literal) and term.language:
        return f"{term.value} @{term.language}"
    return term.value


def render(results_json: bytes, prefixes: dict[str, str], label: Callable[[str], str | None], file=None) -> None:
    """Print SPARQL JSON results as an aligned table (a boolean as ``true`` or ``false``)."""
    file = file or sys.stdout
    result = parse_query_results(results_json, format=QueryResultsFormat.JSON)
    if isinstance(result, QueryBoolean):
        print("true" if bool(result) else "false", file=file)
        return
    names = [variable.value for variable in result.variables]
    table = Table(*names, box=box.SIMPLE_HEAD, header_style="bold", safe_box=True)
    rows = 0
    for row in result:
        table.add_row(*(Text(cell(row[name], prefixes, label)) for name in names))
        rows += 1
    table.caption = f"{rows} row{'s' if rows != 1 else ''}"
    console = Console(file=file, highlight=False, width=None if file.isatty() else PIPE_WIDTH)
    console.print(table)
