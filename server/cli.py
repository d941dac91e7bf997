"""The ``dialogue55`` command: serve, validate, query, export, load.

Each command is thin: it reads its arguments into settings and calls library
functions. Problems are printed as one clear line each, and the exit status is
non-zero; this is the only module that exits.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import settings
from .dataset import sources
from .engine.evaluation import Job
from .http import problems

EXPORT_FORMATS = {"trig": "TRIG", "nq": "N_QUADS", "ttl": "TURTLE", "nt": "N_TRIPLES"}
QUERY_FORMATS = {"table": "text/tab-separated-values", "json": "application/sparql-results+json",
                 "csv": "text/csv", "tsv": "text/tab-separated-values", "xml": "application/sparql-results+xml"}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.command(args) or 0
    except sources.DatasetError as error:
        print(f"dialogue55: {error}", file=sys.stderr)
        return 1
    except problems.Problem as error:  # a query refused before it runs (update, SERVICE, nesting, size)
        print(f"dialogue55: {error.message}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dialogue55", description="The Dialogue 5+5 knowledge graph.")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="publish the graph over HTTP (SPARQL endpoint and pages)")
    _source_arguments(serve)
    serve.add_argument("--host", default=None, help=settings.SETTINGS["host"].help)
    serve.add_argument("--port", type=int, default=None, help=settings.SETTINGS["port"].help)
    serve.add_argument("--query-timeout", type=float, default=None, help=settings.SETTINGS["query_timeout"].help)
    serve.add_argument("--workers", type=int, default=None, help=settings.SETTINGS["workers"].help)
    serve.add_argument("--threads", type=int, default=None, help=settings.SETTINGS["threads"].help)
    serve.add_argument("--backend", default=None, help=settings.SETTINGS["backend"].help)
    serve.set_defaults(command=_serve)

    validate = commands.add_parser("validate", help="check syntax, OWL Lite profile, SHACL, consistency, Wikidata ids")
    _source_arguments(validate, store=False)
    validate.set_defaults(command=_validate)

    query = commands.add_parser("query", help="run a SPARQL query on the graph and print the result")
    _source_arguments(query)
    query.add_argument("query", help="the SPARQL query (or @FILE to read it from a file)")
    query.add_argument("--format", choices=[*QUERY_FORMATS, "ttl", "nt"], default="table")
    query.set_defaults(command=_query)

    export = commands.add_parser("export", help="write the whole dataset (every graph, evidence included)")
    _source_arguments(export)
    export.add_argument("--format", choices=list(EXPORT_FORMATS), default="trig")
    export.add_argument("--output", "-o", type=Path, default=None, help="file to write (default: standard output)")
    export.set_defaults(command=_export)

    load = commands.add_parser("load", help="bulk-load RDF files into a persistent store")
    load.add_argument("files", nargs="+", type=Path)
    load.add_argument("--store", type=Path, required=True, help="folder of the store to create or extend")
    load.add_argument("--namespace", default=settings.NAMESPACE, help=settings.SETTINGS["namespace"].help)
    load.set_defaults(command=_load)
    return parser


def _source_arguments(parser: argparse.ArgumentParser, store: bool = True) -> None:
    parser.add_argument("--ontology", type=Path, default=None, help=settings.SETTINGS["ontology"].help)
    parser.add_argument("--data", type=Path, nargs="+", default=None, help="folders of data files")
    parser.add_argument("--base-iri", default=None, help=settings.SETTINGS["base_iri"].help)
    if store:
        parser.add_argument("--store", type=Path, default=None, help=settings.SETTINGS["store"].help)


def _config(args: argparse.Namespace) -> dict:
    """Settings given on the command line (unset options fall back to the environment and defaults)."""
    names = ["ontology", "data", "base_iri", "store", "host", "port", "query_timeout", "workers", "threads", "backend"]
    return settings.resolve({n: getattr(args, n) for n in names if getattr(args, n, None) is not None})


def _serve(args: argparse.Namespace) -> int:
    from .serving import serve

    return serve(_config(args))


def _validate(args: argparse.Namespace) -> int:
    from .dataset.validation import BASE_NOTE, validate

    values = _config(args)
    print(BASE_NOTE)
    problems = validate(values["ontology"], list(values["data"]))
    for problem in problems:
        where = f"{problem.file}:{problem.line}" if problem.line else str(problem.file)
        print(f"{where}: {problem.message}")
    print(f"{len(problems)} problem(s)" if problems else "valid: syntax, OWL Lite, SHACL, consistency, Wikidata ids")
    return 1 if problems else 0


def _query(args: argparse.Namespace) -> int:
    """Run one query as the endpoint would (screened, in a worker, within the time limit)."""
    from .graph import Graph

    text = Path(args.query[1:]).read_text(encoding="utf-8") if args.query.startswith("@") else args.query
    graph = Graph(_config(args))
    rdf = {"ttl": "text/turtle", "nt": "application/n-triples"}
    job = Job(text, QUERY_FORMATS.get(args.format, "text/tab-separated-values"), rdf.get(args.format, "text/turtle"))
    try:
        answer = graph.sparql(job)
    finally:
        graph.close()
    sys.stdout.write(_table(answer.body) if args.format == "table" and answer.kind == "solutions"
                     else answer.body.decode("utf-8"))
    return 0


def _table(tsv: bytes) -> str:
    """TSV results as aligned columns.

    >>> print(_table(b'?a\\t?b\\n"x"\\t<http://e/y>\\n'), end="")
    ?a  | ?b
    "x" | <http://e/y>
    """
    rows = [line.split("\t") for line in tsv.decode("utf-8").splitlines()]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))] if rows else []
    return "".join(" | ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() + "\n" for row in rows)


def _export(args: argparse.Namespace) -> int:
    from pyoxigraph import DefaultGraph, RdfFormat, serialize

    from .dataset.iris import IriSpace

    source = sources.Source.from_settings(_config(args))
    store = sources.load(source)
    fmt = getattr(RdfFormat, EXPORT_FORMATS[args.format])
    quads = (sources.named_quads(store) if fmt.supports_datasets
             else store.quads_for_pattern(None, None, None, DefaultGraph()))
    body = serialize(quads, format=fmt, prefixes=IriSpace(source.published_namespace).prefixes)
    if args.output:
        args.output.write_bytes(body)
    else:
        sys.stdout.buffer.write(body)
    return 0


def _load(args: argparse.Namespace) -> int:
    from .dataset.loading import bulk_load

    bulk_load(args.files, args.store, args.namespace)
    return 0
