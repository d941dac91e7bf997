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
# Which settings each command takes as flags (``serve`` takes them all).
VALIDATE_SETTINGS = ("ontology", "data")
SOURCE_SETTINGS = ("ontology", "data", "store", "namespace", "base_iri")
QUERY_SETTINGS = SOURCE_SETTINGS + ("backend", "query_timeout", "max_query_length", "max_result_rows", "max_nesting",
                                    "service_allowlist")
QUERY_FORMATS = {"table": "application/sparql-results+json", "json": "application/sparql-results+json",
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
    _setting_flags(serve, settings.SETTINGS)
    serve.set_defaults(command=_serve)

    validate = commands.add_parser(
        "validate", help="check syntax, OWL Lite profile, SHACL, consistency, Wikidata ids, safe Wikidata alignments")
    _setting_flags(validate, VALIDATE_SETTINGS)
    validate.set_defaults(command=_validate)

    query = commands.add_parser("query", help="run a SPARQL query on the graph and print the result")
    _setting_flags(query, QUERY_SETTINGS)
    query.add_argument("query", help="the SPARQL query (or @FILE to read it from a file)")
    query.add_argument("--format", choices=[*QUERY_FORMATS, "ttl", "nt"], default="table",
                       help="table (for people; a CONSTRUCT prints Turtle) or a machine format: "
                            "json, csv, tsv, xml for solutions, ttl, nt for graphs")
    query.add_argument("--lang", default="en", help="language of the labels shown in the table (default en)")
    query.set_defaults(command=_query)

    export = commands.add_parser("export", help="write the whole dataset (every graph, evidence included), "
                                 "in the canonical namespace unless --base-iri says otherwise")
    _setting_flags(export, SOURCE_SETTINGS)
    export.add_argument("--format", choices=list(EXPORT_FORMATS), default="trig")
    export.add_argument("--output", "-o", type=Path, default=None, help="file to write (default: standard output)")
    export.set_defaults(command=_export)

    load = commands.add_parser("load", help="bulk-load RDF files into a persistent store")
    load.add_argument("files", nargs="+", type=Path)
    load.add_argument("--store", type=Path, required=True, help="folder of the store to create or extend")
    load.add_argument("--namespace", default=settings.NAMESPACE, help=settings.SETTINGS["namespace"].help)
    load.set_defaults(command=_load)
    return parser


def _setting_flags(parser: argparse.ArgumentParser, names) -> None:
    """One flag per setting, from :data:`server.settings.SETTINGS`: ``--max-result-rows`` for ``max_result_rows``.

    A flag left out is None, so the environment and the default apply (see :func:`_config`).
    """
    for name in names:
        setting = settings.SETTINGS[name]
        kind = str if setting.many else setting.parse  # several values: parsed together by resolve()
        parser.add_argument(setting.flag, dest=name, type=kind, nargs="+" if setting.many else None, default=None,
                            metavar=name.upper(), help=f"{setting.help} [{setting.variable}; default {_plain(setting)}]")


def _plain(setting: settings.Setting) -> str:
    return setting.default_text.replace("`", "")


def _config(args: argparse.Namespace) -> dict:
    """Settings given on the command line (unset options fall back to the environment and defaults)."""
    return settings.resolve({n: getattr(args, n) for n in settings.SETTINGS if getattr(args, n, None) is not None})


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
    print(f"{len(problems)} problem(s)" if problems
          else "valid: syntax, OWL Lite, SHACL, consistency, Wikidata ids, Wikidata merge")
    return 1 if problems else 0


def _query(args: argparse.Namespace) -> int:
    """Run one query as the endpoint would (screened, in a worker, within the time limit)."""
    from .graph import Graph

    text = Path(args.query[1:]).read_text(encoding="utf-8") if args.query.startswith("@") else args.query
    graph = Graph(_config(args))
    rdf = {"ttl": "text/turtle", "nt": "application/n-triples"}
    job = Job(text, QUERY_FORMATS.get(args.format, QUERY_FORMATS["json"]), rdf.get(args.format, "text/turtle"))
    try:
        answer = graph.sparql(job)
        if args.format == "table" and answer.kind != "graph":
            _print_table(graph, answer, args.lang)
        else:
            sys.stdout.write(answer.body.decode("utf-8"))
    finally:
        graph.close()
    return 0


def _print_table(graph, answer, lang: str) -> None:
    """The answer as an aligned table, IRIs with their labels in ``lang`` where the graph has one."""
    from .results_table import render
    from .site.labels import Labels, pick

    labels = Labels(graph.store, lang)

    def label(iri: str) -> str | None:
        found = pick(labels.candidates(iri), lang)
        return found.text if found else None

    render(answer.body, graph.space.prefixes, label)
    if answer.truncated:
        print(f"dialogue55: the result was cut at {graph.settings['max_result_rows']} rows", file=sys.stderr)


def _export(args: argparse.Namespace) -> int:
    from pyoxigraph import DefaultGraph, RdfFormat, serialize

    from .dataset.iris import IriSpace

    source = sources.Source.from_settings(_config(args))
    store = sources.load(source)
    fmt = getattr(RdfFormat, EXPORT_FORMATS[args.format])
    quads = list(sources.named_quads(store) if fmt.supports_datasets
                 else store.quads_for_pattern(None, None, None, DefaultGraph()))
    body = serialize(quads, format=fmt, prefixes=IriSpace(source.published_namespace).prefixes)
    if args.output:
        args.output.write_bytes(body)
    else:
        sys.stdout.buffer.write(body)
    print(f"dialogue55: wrote {len(quads):,} {'quads' if fmt.supports_datasets else 'triples'} "
          f"{_namespace_note(source)}", file=sys.stderr)
    return 0


def _namespace_note(source: sources.Source) -> str:
    """Which namespace the IRIs of an export are in, said on standard error (the data goes to standard output)."""
    if source.published_namespace == source.namespace:
        return f"with IRIs in the canonical namespace {source.namespace}"
    return (f"with IRIs in {source.published_namespace} (the canonical {source.namespace}, "
            "rewritten by --base-iri)")


def _load(args: argparse.Namespace) -> int:
    from .dataset.loading import bulk_load

    bulk_load(args.files, args.store, args.namespace)
    return 0
