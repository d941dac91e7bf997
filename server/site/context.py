"""The JSON-LD context of the published documents, made from the data, served at ``/context.jsonld``.

The context names our prefixes and gives each predicate of the dataset a term
that says how its values are written, decided from the values it has:

- only IRIs: ``"@type": "@id"`` (a link is a plain string);
- only language-tagged strings: ``"@container": "@language"`` (labels as
  ``{"fr": "Maroc", "en": "Morocco"}``);
- only literals of one datatype: ``"@type"`` that datatype (``xsd:date``);
- only plain strings: a bare term; mixed kinds: no term (the compact IRI is
  used and each value says what it is).

A term's name is the predicate's local name when no other predicate or
prefix has it, else its compact IRI (``rdfs:label``), which JSON-LD allows as
a term of its own. ``rdf:type`` is ``@type``. The context is computed once per
dataset version: it scans every triple once, as the VoID statistics do.
"""

from __future__ import annotations

import re
from collections import defaultdict

from flask import current_app

from ..dataset.iris import COMMON_PREFIXES, prefixed_name
from ..graph import Graph
from .descriptions import select

RDF_TYPE = COMMON_PREFIXES["rdf"] + "type"
XSD_STRING = COMMON_PREFIXES["xsd"] + "string"
TERM = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def context(graph: Graph) -> dict:
    """The ``@context`` object of this graph's documents (computed once per dataset version)."""
    cache = current_app.extensions.setdefault("dialogue55.context", {})
    if graph.version not in cache:
        kinds = defaultdict(set)
        for row in select(graph, "predicate_kinds"):
            kinds[row["p"].value].add((row["kind"].value, row["datatype"].value))
        cache[graph.version] = build(graph.space.prefixes, kinds)
    return cache[graph.version]


def build(prefixes: dict[str, str], kinds: dict[str, set[tuple[str, str]]]) -> dict:
    """The context for ``prefixes`` and the value kinds of each predicate.

    >>> ctx = build({"rdfs": "http://www.w3.org/2000/01/rdf-schema#", "ex": "http://e/"},
    ...             {"http://www.w3.org/2000/01/rdf-schema#label": {("language", "")},
    ...              "http://e/knows": {("iri", "")}, "http://e/age": {("literal", "http://e/int")}})
    >>> ctx["label"], ctx["knows"], ctx["age"]
    ({'@id': 'rdfs:label', '@container': '@language'}, {'@id': 'ex:knows', '@type': '@id'}, {'@id': 'ex:age', '@type': 'ex:int'})
    """
    ctx: dict = dict(sorted(prefixes.items()))
    definitions = {p: d for p in sorted(kinds) if p != RDF_TYPE and (d := _definition(kinds[p], prefixes)) is not None}
    locals_ = defaultdict(list)
    for predicate in definitions:
        locals_[_local(predicate)].append(predicate)
    for predicate, definition in definitions.items():
        name = _local(predicate)
        if not (TERM.match(name) and len(locals_[name]) == 1 and name not in prefixes):
            name = compact(predicate, prefixes)
        if name != predicate:
            ctx[name] = {"@id": compact(predicate, prefixes), **definition}
    return ctx


def compact(iri: str, prefixes: dict[str, str]) -> str:
    """``prefix:local`` for the longest namespace that ``iri`` starts with, else ``iri`` itself.

    >>> compact("http://e/a/b", {"e": "http://e/", "ea": "http://e/a/"}), compact("urn:x", {})
    ('ea:b', 'urn:x')
    """
    return prefixed_name(iri, prefixes, TERM) or iri


def _definition(kinds: set[tuple[str, str]], prefixes: dict[str, str]) -> dict | None:
    if kinds == {("iri", "")}:
        return {"@type": "@id"}
    if kinds == {("language", "")}:
        return {"@container": "@language"}
    if len(kinds) == 1 and next(iter(kinds))[0] == "literal":
        datatype = next(iter(kinds))[1]
        return {} if datatype == XSD_STRING else {"@type": compact(datatype, prefixes)}
    return None


def _local(iri: str) -> str:
    return iri[max(iri.rfind("#"), iri.rfind("/")) + 1:]
