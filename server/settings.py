"""Every setting of the server, declared once as data.

A setting is read, in order of precedence, from the config given to
``create_app`` (for ``dialogue55 serve``: its command line), then from the
environment (``DIALOGUE55_`` + upper-case name), then from its default. The
command-line flags are generated from this table (:mod:`server.cli`), and the
README's table of settings is :func:`markdown_table`'s, so the three cannot drift
(``tests/test_settings.py``).

>>> SETTINGS["query_timeout"].default
10.0
>>> SETTINGS["query_timeout"].parse("2.5")
2.5
>>> SETTINGS["max_result_rows"].flag, SETTINGS["max_result_rows"].variable
('--max-result-rows', 'DIALOGUE55_MAX_RESULT_ROWS')
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


def _switch(value) -> bool:
    """``on`` or ``off`` (also true/false, yes/no, 1/0), as a bool.

    >>> _switch("off"), _switch("On"), _switch(True)
    (False, True, True)
    """
    if isinstance(value, bool):
        return value
    words = {"on": True, "true": True, "yes": True, "1": True, "off": False, "false": False, "no": False, "0": False}
    if str(value).lower() not in words:
        raise ValueError(f"{value!r} is neither on nor off")
    return words[str(value).lower()]


_switch.__name__ = "on/off"  # argparse names the expected kind of value after the parser


@dataclass(frozen=True)
class Setting:
    """One setting: its name, default, meaning, parser, and how the README shows its default.

    ``many`` settings take several values (``--data A B``; in the environment, one string
    that ``parse`` splits). ``shown`` replaces the default in the README when the
    value itself would mislead (a path of this checkout, say).
    """

    name: str
    default: Any
    help: str
    parse: Callable[[Any], Any] = str
    shown: str | None = None
    many: bool = False

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def variable(self) -> str:
        return "DIALOGUE55_" + self.name.upper()

    @property
    def default_text(self) -> str:
        """The default as the README shows it.

        >>> SETTINGS["store"].default_text, SETTINGS["port"].default_text, SETTINGS["metrics"].default_text
        ('none', '`5000`', '`on`')
        """
        if self.shown is not None:
            return self.shown
        if self.default is None:
            return "none"
        if isinstance(self.default, bool):
            return "`on`" if self.default else "`off`"
        values = self.default if isinstance(self.default, tuple) else (self.default,)
        return " ".join(f"`{value}`" for value in values)


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in [
        Setting("host", "127.0.0.1", "Address the server listens on."),
        Setting("port", 5000, "Port the server listens on.", int),
        Setting("ontology", _bundled("ontology"), "Folder of ontology files (every RDF file but shapes.ttl is published).", Path,
                shown="the embedded `ontology/`"),
        Setting("data", (_bundled("data"),), "Folders of data files (in the environment, separated by the path separator).",
                _paths, shown="the embedded `data/`", many=True),
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
        Setting("service_allowlist", ("https://query.wikidata.org/sparql",),
                "Endpoints a SERVICE clause may call (in the environment, separated by spaces or commas).", _words, many=True),
        Setting("access_log", "-", "Where the access log goes, one JSON line per request: a file, `-` for standard error, or `off`."),
        Setting("metrics", True, "Whether `GET /metrics` answers, in the Prometheus text format (`on` or `off`).", _switch),
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
        elif setting.variable in environ:
            values[name] = setting.parse(environ[setting.variable])
        else:
            values[name] = setting.default
    return values


def markdown_table() -> str:
    """The README's table of settings, one row per setting, in declaration order.

    >>> markdown_table().splitlines()[2]
    '| `--host` | `DIALOGUE55_HOST` | `127.0.0.1` | Address the server listens on. |'
    """
    rows = [f"| `{s.flag}` | `{s.variable}` | {s.default_text} | {s.help} |" for s in SETTINGS.values()]
    return "\n".join(["| flag | environment | default | meaning |", "| --- | --- | --- | --- |", *rows])
