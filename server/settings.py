"""Every setting of the server, declared once as data.

A setting is read, in order of precedence, from the config given to
``create_app``, then from the environment (``DIALOGUE55_`` + upper-case name),
then from its default. The README documents each one; a test keeps the two in
step.

>>> SETTINGS["query_timeout"].default
10.0
>>> SETTINGS["query_timeout"].parse("2.5")
2.5
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

NAMESPACE = "https://w3id.org/dialogue55/"

_PACKAGE = Path(__file__).resolve().parent


def _bundled(folder: str) -> Path:
    """The embedded 5+5 folder: inside the wheel, or beside the package in a checkout."""
    inside = _PACKAGE / "bundled" / folder
    return inside if inside.is_dir() else _PACKAGE.parent / folder


# Each parser takes the text of an environment variable or a value given in a config
# (a str where a Path is meant, a list where a tuple is), and returns the setting's type.

def _paths(value) -> tuple[Path, ...]:
    parts = value.split(os.pathsep) if isinstance(value, str) else value
    return tuple(Path(part) for part in parts if part)


def _words(value) -> tuple[str, ...]:
    parts = value.replace(",", " ").split() if isinstance(value, str) else value
    return tuple(str(part) for part in parts if part)


def _optional_path(value) -> Path | None:
    return Path(value) if value else None


def _optional(value) -> str | None:
    return str(value) if value else None


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    parse: Callable[[Any], Any] = str


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in [
        Setting("host", "127.0.0.1", "Address the server listens on."),
        Setting("port", 5000, "Port the server listens on.", int),
        Setting("ontology", _bundled("ontology"), "Folder of ontology files (every RDF file but shapes.ttl is published).", Path),
        Setting("data", (_bundled("data"),), "Folders of data files, separated by the path separator.", _paths),
        Setting("store", None, "Path of a persistent pyoxigraph store (from `dialogue55 load`); replaces ontology and data.", _optional_path),
        Setting("backend", None, "URL of an external SPARQL 1.1 endpoint to serve instead of the embedded store.", _optional),
        Setting("namespace", NAMESPACE, "Canonical namespace of the published IRIs."),
        Setting("base_iri", None, "Address the namespace is rewritten to, so IRIs dereference on this server.", _optional),
        Setting("query_timeout", 10.0, "Longest a SPARQL query may run, in seconds; a request may ask for less.", float),
        Setting("max_query_length", 100_000, "Longest query or request body accepted, in bytes.", int),
        Setting("max_result_rows", 100_000, "Most rows (or triples) a result carries; a longer one is cut and flagged.", int),
        Setting("max_nesting", 200, "Deepest nesting of { } and ( ) a query may have (the parser's stack is finite).", int),
        Setting("workers", 16, "Most query worker processes running at once (started on demand).", int),
        Setting("page_size", 100, "Most statements of one side (outgoing or incoming) on one page of a resource, in HTML and RDF.", int),
        Setting("answer_cache", 64.0, "Memory for cached SPARQL answers, in MiB (0 turns the cache off).", float),
        Setting("response_cache", 64.0, "Memory for whole responses to GET kept and served again, in MiB (0 turns it off).", float),
        Setting("threads", 32, "Threads running the application; more than workers, so pages are served while queries run.", int),
        Setting("service_allowlist", ("https://query.wikidata.org/sparql",), "Endpoints a SERVICE clause may call.", _words),
    ]
}


def resolve(config: dict | None = None, environ: dict | None = None) -> dict:
    """Settings as a dict: given config, then ``DIALOGUE55_*`` variables, then defaults.

    >>> resolve({"port": 8080}, {})["port"]
    8080
    >>> resolve({}, {"DIALOGUE55_PORT": "9000"})["port"]
    9000
    >>> resolve({"data": ["one", "two"]}, {})["data"]
    (PosixPath('one'), PosixPath('two'))
    """
    config = config or {}
    environ = os.environ if environ is None else environ
    values = {}
    for name, setting in SETTINGS.items():
        if name in config:
            value = config[name]
            values[name] = value if value is None else setting.parse(value)
        elif (key := "DIALOGUE55_" + name.upper()) in environ:
            values[name] = setting.parse(environ[key])
        else:
            values[name] = setting.default
    return values
