"""The view model of the query page at ``/sparql``: plain data for ``sparql.html``.

The page itself is static HTML plus ``static/query/*.js``: the script sends the
query to ``/sparql`` like any other client and renders the answer, so the page
shows exactly what the endpoint answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..http import i18n, negotiation
from . import editor_tools, examples

LANGUAGES = i18n.LANGUAGES
# What the page's script writes itself (status line, errors, notices), in the page's language.
SCRIPT_TEXTS = ("q_running", "q_status", "q_true", "q_false", "q_network", "q_cut", "q_error_at",
                "q_subject", "q_predicate", "q_object", "q_filter", "q_sort", "q_shown",
                "page_n", "previous", "next")
SCRIPT_TEXTS += tuple(i18n.VIEW_STRINGS)  # the result views' tabs and notices (views.js)

DEFAULT_QUERY = """SELECT ?resource ?label
WHERE {
  ?resource rdfs:label ?label .
  FILTER(lang(?label) = "en")
}
LIMIT 20
"""


@dataclass(frozen=True)
class ExampleView:
    """One example in the picker: its title in the page's language, and the query the editor receives."""

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
    tools: dict  # the editor tools' data (editor_tools.script)
    result_formats: tuple[str, ...]
    graph_formats: tuple[str, ...]
    timeout: float
    max_rows: int
    hint: str
    script: dict


def build(graph, request, query: str | None = None) -> QueryPage:
    """The page for ``request``: in the reader's language, with ``query`` filled in and run if given."""
    # Lenient like the error pages: an unknown ?lang= on the query page is not worth a 400.
    lang = i18n.choose(request.args, request.accept_languages, strict=False).lang
    timeout, max_rows = graph.settings["query_timeout"], graph.settings["max_result_rows"]
    return QueryPage(
        lang=lang,
        query=query if query is not None else DEFAULT_QUERY,
        autorun=query is not None,
        examples=_examples(graph, lang, examples.FOLDER),
        wikidata_examples=_examples(graph, lang, examples.WIKIDATA_FOLDER),
        namespace=graph.space.namespace,
        prefixes=tuple(sorted(graph.space.prefixes.items())),
        tools=editor_tools.script(graph, lang),
        result_formats=tuple(f.name for f in negotiation.RESULTS),
        graph_formats=tuple(f.name for f in negotiation.GRAPHS + negotiation.DATASETS),
        timeout=timeout,
        max_rows=max_rows,
        hint=i18n.text("q_hint", lang).format(timeout=f"{timeout:.1f}".rstrip("0").rstrip("."),
                                              rows=i18n.count("rows", lang, max_rows)),
        script={"lang": lang, "labels": list(i18n.fallback_chain(lang)), "maxRows": max_rows,
                "texts": {key.removeprefix("q_"): i18n.text(key, lang) for key in SCRIPT_TEXTS},
                "plurals": {key: i18n.plural_forms(key, lang) for key in i18n.PLURALS}},
    )


def _examples(graph, lang: str, folder) -> tuple[ExampleView, ...]:
    found = examples.load(folder, namespace=graph.settings["namespace"], published=graph.space.namespace)
    return tuple(ExampleView(e.name, e.title(lang), e.body) for e in found)
