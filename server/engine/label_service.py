"""``SERVICE wikibase:label``, as on the Wikidata Query Service, rewritten into standard SPARQL.

Nearly every Wikidata query ends with
``SERVICE wikibase:label { bd:serviceParam wikibase:language "fr,en". }``.
No engine here knows that service, and no network request is ever made for it:
before a query is evaluated (in a worker, or forwarded to an engine behind
``--backend``), each such clause is replaced, where it stands, by patterns
that bind what WDQS binds:

- automatic mode: for each ``?xLabel`` used in the query, the label of ``?x``
  (``rdfs:label``, ``skos:prefLabel``; for a Wikidata item we link, the labels
  of our entity) in the first language of the list that has one, else the IRI's
  local name (a Q-id); ``?xDescription`` from ``rdfs:comment``,
  ``dcterms:description`` or ``schema:description``, unbound when none;
  ``?xAltLabel`` every ``skos:altLabel`` in that language, joined with ", ";
- explicit mode: ``?x rdfs:label ?name`` (or ``schema:description``,
  ``skos:altLabel``) inside the clause binds ``?name`` the same way.

``[AUTO_LANGUAGE]`` is read as ``en`` (the query page replaces it with the
page's language before sending, as the WDQS interface does).

>>> print(rewrite('SELECT ?x ?xLabel { ?x ?p ?o SERVICE wikibase:label { bd:serviceParam wikibase:language "fr". } }',
...               {"wikibase": "http://wikiba.se/ontology#", "bd": "http://www.bigdata.com/rdf#"})[:55])
SELECT ?x ?xLabel { ?x ?p ?o OPTIONAL { SELECT ?x (MIN(
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping

from .screening import token_spans

SERVICE = "http://wikiba.se/ontology#label"
LANGUAGE_PARAM = "http://wikiba.se/ontology#language"
SERVICE_PARAM = "http://www.bigdata.com/rdf#serviceParam"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SAME_AS = "<http://www.w3.org/2002/07/owl#sameAs>"

LABELS = f"<{RDFS}label>|<{SKOS}prefLabel>"
ALT_LABELS = f"<{SKOS}altLabel>"
DESCRIPTIONS = (f"<{RDFS}comment>|<http://purl.org/dc/terms/description>|"
                "<https://schema.org/description>|<http://schema.org/description>")
# What an explicit binding inside the clause asks for, by the predicate it names.
EXPLICIT = {RDFS + "label": "Label", SKOS + "prefLabel": "Label", SKOS + "altLabel": "AltLabel",
            "http://schema.org/description": "Description", "https://schema.org/description": "Description"}
SUFFIXES = ("AltLabel", "Description", "Label")  # longest first: ?xAltLabel is not the label of ?xAlt


class LabelServiceError(ValueError):
    """A label service clause this endpoint cannot read; the message says what is wrong."""


@dataclass(frozen=True)
class Binding:
    """Bind ``target`` to the label (or description, or alternative labels) of ``subject``."""

    subject: str  # a variable name, without ? or $
    kind: str  # Label, Description or AltLabel
    target: str


def uses_label_service(query: str) -> bool:
    """A cheap test before tokenising: the service's name or namespace occurs in the text."""
    return "wikiba.se/ontology" in query or "wikibase:" in query


def rewrite(query: str, prefixes: Mapping[str, str]) -> str:
    """``query`` with every ``SERVICE wikibase:label { … }`` replaced by standard patterns; unchanged without one."""
    if not uses_label_service(query):
        return query
    toks = list(token_spans(query))
    declared = {**prefixes, **_declared_prefixes(toks)}
    clauses = list(_service_clauses(toks, declared))
    if not clauses:
        return query
    variables = {text[1:] for kind, text, _, _ in toks if kind == "var"}
    for start, end, body in reversed(clauses):
        languages, explicit = _read_body(body, declared)
        bindings = explicit or _automatic_bindings(variables)
        query = query[:start] + patterns(bindings, languages) + query[end:]
    return query


def patterns(bindings: list[Binding], languages: list[str]) -> str:
    """Standard SPARQL that binds each binding's target as the label service would.

    >>> print(patterns([Binding("x", "Label", "xLabel")], ["ar"]))  # doctest: +NORMALIZE_WHITESPACE
    OPTIONAL { SELECT ?x (MIN(?_label) AS ?_xLabel_1) WHERE { { ?x <http://www.w3.org/2000/01/rdf-schema#label>|<http://www.w3.org/2004/02/skos/core#prefLabel> ?_label } UNION { ?_same <http://www.w3.org/2002/07/owl#sameAs> ?x . ?_same <http://www.w3.org/2000/01/rdf-schema#label>|<http://www.w3.org/2004/02/skos/core#prefLabel> ?_label } FILTER(LANG(?_label) = "ar") } GROUP BY ?x }
    BIND(COALESCE(?_xLabel_1, IF(isIRI(?x), REPLACE(STR(?x), "^.*[/#]", ""), STR(?x))) AS ?xLabel)
    """
    parts = []
    for binding in bindings:
        helpers = []
        for n, language in enumerate(languages, 1):
            helper = f"_{binding.target}_{n}"
            helpers.append("?" + helper)
            parts.append(_per_language(binding, language, helper))
        if binding.kind == "Label":
            helpers.append(f'IF(isIRI(?{binding.subject}), REPLACE(STR(?{binding.subject}), "^.*[/#]", ""), '
                           f"STR(?{binding.subject}))")
        parts.append(f"BIND(COALESCE({', '.join(helpers)}) AS ?{binding.target})")
    return "\n".join(parts)


def _per_language(binding: Binding, language: str, helper: str) -> str:
    """One OPTIONAL sub-select: the value of ``binding`` in one language, one row per subject."""
    predicate = {"Label": LABELS, "AltLabel": ALT_LABELS, "Description": DESCRIPTIONS}[binding.kind]
    aggregate = 'GROUP_CONCAT(?_label; separator=", ")' if binding.kind == "AltLabel" else "MIN(?_label)"
    x = "?" + binding.subject
    return (f"OPTIONAL {{ SELECT {x} ({aggregate} AS ?{helper}) WHERE {{ "
            f"{{ {x} {predicate} ?_label }} UNION {{ ?_same {SAME_AS} {x} . ?_same {predicate} ?_label }} "
            f'FILTER(LANG(?_label) = "{language}") }} GROUP BY {x} }}')


def _declared_prefixes(toks) -> dict[str, str]:
    declared = {}
    for i, (kind, text, _, _) in enumerate(toks[:-2]):
        if kind == "word" and text.upper() == "PREFIX" and toks[i + 2][0] == "iri":
            declared[toks[i + 1][1].rstrip(":")] = toks[i + 2][1][1:-1]
    return declared


def _iri(token, prefixes: Mapping[str, str]) -> str | None:
    kind, text = token[0], token[1]
    if kind == "iri":
        return text[1:-1]
    if kind == "word" and ":" in text:
        prefix, local = text.split(":", 1)
        return prefixes[prefix] + local if prefix in prefixes else None
    return None


def _service_clauses(toks, prefixes):
    """(start, end, body tokens) of each label service clause, outermost text positions."""
    for i, (kind, text, start, _) in enumerate(toks):
        if kind != "word" or text.upper() != "SERVICE":
            continue
        j = i + 1
        if j < len(toks) and toks[j][1].upper() == "SILENT":
            j += 1
        if j + 1 >= len(toks) or _iri(toks[j], prefixes) != SERVICE or toks[j + 1][1] != "{":
            continue
        close = _matching(toks, j + 1)
        yield start, toks[close][3], toks[j + 2:close]


def _matching(toks, opening: int) -> int:
    depth = 0
    for k in range(opening, len(toks)):
        depth += {"open": 1, "close": -1}.get(toks[k][0], 0)
        if depth == 0:
            return k
    raise LabelServiceError("the label service clause has no closing }")


def _read_body(body, prefixes) -> tuple[list[str], list[Binding]]:
    """The languages (bd:serviceParam wikibase:language "…") and explicit bindings of a clause."""
    languages, explicit = None, []
    for k, token in enumerate(body):
        if _iri(token, prefixes) == LANGUAGE_PARAM and k + 1 < len(body) and body[k + 1][0] == "string":
            languages = _languages(body[k + 1][1])
        elif token[0] == "var" and k + 2 < len(body) and body[k + 2][0] == "var":
            kind = EXPLICIT.get(_iri(body[k + 1], prefixes) or "")
            if kind:
                explicit.append(Binding(token[1][1:], kind, body[k + 2][1][1:]))
    if languages is None:
        raise LabelServiceError('the label service needs its languages: bd:serviceParam wikibase:language "fr,en"')
    return languages, explicit


def _languages(literal: str) -> list[str]:
    """The language list of a string token, ``[AUTO_LANGUAGE]`` read as English.

    >>> _languages('"[AUTO_LANGUAGE],fr"'), _languages("'ar, en'")
    (['en', 'fr'], ['ar', 'en'])
    """
    text = literal.strip("\"'").replace("[AUTO_LANGUAGE]", "en")
    languages = [part.strip().lower() for part in text.split(",") if part.strip()]
    for language in languages:
        if not re.fullmatch(r"[a-z]{1,8}(-[a-z0-9]{1,8})*", language):
            raise LabelServiceError(f"{language!r} is not a language tag")
    return list(dict.fromkeys(languages))


def _automatic_bindings(variables: set[str]) -> list[Binding]:
    """``?xLabel``, ``?xDescription``, ``?xAltLabel`` wherever the query uses them, for a variable ``?x`` it has.

    >>> [b.target for b in _automatic_bindings({"x", "xLabel", "xAltLabel", "yLabel"})]
    ['xAltLabel', 'xLabel']
    """
    found = []
    for name in variables:
        for suffix in SUFFIXES:
            if name.endswith(suffix) and name[: -len(suffix)] in variables:
                found.append(Binding(name[: -len(suffix)], suffix, name))
                break
    return sorted(found, key=lambda b: b.target)
