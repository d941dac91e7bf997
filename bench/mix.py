"""The fixed request mix: competency questions, a DESCRIBE, a label search, and our pages.

Every query declares its prefixes, so the same text runs unchanged on every
server under test (``oxigraph serve`` knows none of ours). Each request is a
GET (path with its query string, Accept header), so a load generator replays
it byte for byte.

>>> requests = sparql_requests("/sparql")
>>> len(requests) == len(QUERIES)
True
>>> requests[0].path.startswith("/sparql?query=PREFIX")
True
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

PREFIXES = """PREFIX d55: <https://w3id.org/dialogue55/id/>
PREFIX d55o: <https://w3id.org/dialogue55/ontology#>
PREFIX d55g: <https://w3id.org/dialogue55/graph/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""

JSON = "application/sparql-results+json"
TURTLE = "text/turtle"

# name -> (query, Accept). Resources named here exist at every generated size.
QUERIES: dict[str, tuple[str, str]] = {
    "members": ("""SELECT ?state ?label WHERE { d55:forum-1 d55o:hasMember ?state .
        ?state rdfs:label ?label FILTER(LANG(?label) = "en") } ORDER BY ?state LIMIT 50""", JSON),
    "when-where": ("""SELECT ?start ?end ?place WHERE { d55:conference-3 d55o:startDate ?start ;
        d55o:endDate ?end ; d55o:location ?city . ?city rdfs:label ?place FILTER(LANG(?place) = "fr") }""", JSON),
    "themes": ("""SELECT ?theme (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c d55o:partOf d55:forum-1 ; d55o:theme ?theme }
        GROUP BY ?theme ORDER BY DESC(?n) ?theme LIMIT 10""", JSON),
    "evidence": ("""SELECT ?sentence ?text WHERE { GRAPH ?sentence { d55:conference-2 d55o:presidedBy ?state }
        GRAPH d55g:provenance { ?sentence prov:value ?text } }""", JSON),
    "arabic": ("""SELECT ?who ?label WHERE { d55:conference-5 d55o:participant ?who .
        ?who rdfs:label ?label FILTER(LANG(?label) = "ar") } ORDER BY ?who""", JSON),
    "wikidata": ("ASK { d55:state-1 owl:sameAs ?item }", JSON),
    "describe": ("DESCRIBE d55:conference-4", TURTLE),
    "label-search": ("""SELECT ?thing ?label WHERE { ?thing rdfs:label ?label
        FILTER(CONTAINS(LCASE(STR(?label)), "conference 12")) } ORDER BY ?thing LIMIT 20""", JSON),
}

# Resources whose pages and data documents our server serves (probed at start: kept only if they answer 200).
PAGES = [("/id/conference-4", "text/html"), ("/id/conference-4", TURTLE),
         ("/id/state-1", "text/html"), ("/id/forum-1", "text/html")]


@dataclass(frozen=True)
class Request:
    name: str
    path: str
    accept: str


def sparql_requests(endpoint: str) -> list[Request]:
    """The queries of the mix as GETs to ``endpoint`` (a path such as ``/sparql``)."""
    return [Request(name, f"{endpoint}?query={quote(PREFIXES + text, safe='')}", accept)
            for name, (text, accept) in QUERIES.items()]


def describe_requests(endpoint: str) -> list[Request]:
    """What a plain SPARQL server answers in place of our data documents: DESCRIBE of the same resource."""
    result = []
    for path, accept in PAGES:
        query = f"DESCRIBE <https://w3id.org/dialogue55{path}>"
        result.append(Request(path, f"{endpoint}?query={quote(query, safe='')}", TURTLE))
    return result
