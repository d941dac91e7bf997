"""The view model of the query page at ``/sparql``: plain data for ``sparql.html``.

The page itself is static HTML plus ``static/query/*.js``: the script sends the
query to ``/sparql`` like any other client and renders the answer, so the page
shows exactly what the endpoint answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..http import negotiation
from . import examples

LANGUAGES = ("en", "fr")

DEFAULT_QUERY = """SELECT ?resource ?label
WHERE {
  ?resource rdfs:label ?label .
  FILTER(lang(?label) = "en")
}
LIMIT 20
"""


@dataclass(frozen=True)
class ExampleView:
    name: str
    title: str
    query: str


@dataclass(frozen=True)
class QueryPage:
    """What the template shows: the query, the examples, and what the script needs to know."""

    lang: str
    query: str
    autorun: bool
    examples: tuple[ExampleView, ...]
    wikidata_examples: tuple[ExampleView, ...]
    namespace: str
    prefixes: tuple[tuple[str, str], ...]
    result_formats: tuple[str, ...]
    graph_formats: tuple[str, ...]
    timeout: float
    max_rows: int


def build(graph, request, query: str | None = None) -> QueryPage:
    """The page for ``request``: in the reader's language, with ``query`` filled in and run if given."""
    lang = request.args.get("lang") if request.args.get("lang") in LANGUAGES else \
        request.accept_languages.best_match(LANGUAGES, "en")
    return QueryPage(
        lang=lang,
        query=query if query is not None else DEFAULT_QUERY,
        autorun=query is not None,
        examples=_examples(graph, lang, examples.FOLDER),
        wikidata_examples=_examples(graph, lang, examples.WIKIDATA_FOLDER),
        namespace=graph.space.namespace,
        prefixes=tuple(sorted(graph.space.prefixes.items())),
        result_formats=tuple(f.name for f in negotiation.RESULTS),
        graph_formats=tuple(f.name for f in negotiation.GRAPHS + negotiation.DATASETS),
        timeout=graph.settings["query_timeout"],
        max_rows=graph.settings["max_result_rows"],
    )


def _examples(graph, lang: str, folder) -> tuple[ExampleView, ...]:
    found = examples.load(folder, namespace=graph.settings["namespace"], published=graph.space.namespace)
    return tuple(ExampleView(e.name, e.title(lang), e.query) for e in found)
