"""What the query editor's tools get from the server: the ontology's terms and their strings.

The tools (``static/query/complete.js``, ``snippets.js``, ``history.js``) run in the
page; they read this from a JSON block of ``sparql.html``, so they need no query
of their own to complete our classes and properties.

A term is a prefixed name (``d55o:memberOf``), its kind (``class`` or
``property``), its label in the page's language (by the fallback chain) and every
label it has, so a person finds it by its name in any language.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from flask import current_app

from ..dataset.iris import prefixed_name
from ..http import i18n

OWL_CLASS = "http://www.w3.org/2002/07/owl#Class"
# The tools' own strings (see the editor block of server/http/i18n.py).
TEXTS = tuple(key for key in i18n.STRINGS if key.startswith("e_"))
HISTORY_CAP = 50


@dataclass(frozen=True)
class Term:
    """One class or property of the ontology as completion offers it."""

    name: str
    kind: str
    label: str
    labels: tuple[str, ...]


def script(graph, lang: str) -> dict:
    """The tools' data for a page in ``lang``: strings, the history's cap and the terms.

    Their counted phrases ("3 suggestions") come with the page's own, which has every plural form.
    """
    return {"texts": {key.removeprefix("e_"): i18n.text(key, lang) for key in TEXTS},
            "historyCap": HISTORY_CAP,
            "terms": _terms_data(graph, lang)}


def terms(graph, lang: str) -> list[Term]:
    """The ontology's classes and properties with a prefix the page knows, sorted by name."""
    chain = i18n.fallback_chain(lang)
    found: dict[str, dict] = {}
    for row in graph.select("vocabulary"):
        name = prefixed_name(row["term"].value, graph.space.prefixes)
        if name is None:
            continue
        entry = found.setdefault(name, {"kind": "class" if row["kind"].value == OWL_CLASS else "property",
                                        "labels": {}})
        if "label" in row:
            entry["labels"].setdefault(row["label"].language or "", row["label"].value)
    return [Term(name, entry["kind"], _best(entry["labels"], chain), tuple(sorted(set(entry["labels"].values()))))
            for name, entry in sorted(found.items())]


def _best(labels: dict[str, str], chain: tuple[str, ...]) -> str:
    return next((labels[lang] for lang in chain if lang in labels), next(iter(labels.values()), ""))


def _terms_data(graph, lang: str) -> list[dict]:
    """The terms in ``lang`` as plain data, built once per dataset version and language (a page view
    then costs no query and no work)."""
    cache = current_app.extensions.setdefault("dialogue55.vocabulary", {})
    if cache.get("version") != graph.version:
        cache.clear()
        cache["version"] = graph.version
    if lang not in cache:
        cache[lang] = [asdict(term) for term in terms(graph, lang)]
    return cache[lang]

