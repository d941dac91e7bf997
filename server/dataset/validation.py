"""Checks that the ontology and the data are well-formed, in profile, valid, consistent and honest.

Each check is a plain function returning a list of :class:`Problem`; an empty list means the check
passed. Nothing here prints or exits: the CLI decides how to report. Validation is not on the
request path, so rdflib (slow but complete: pyshacl and owlrl need it) is fine here.

The checks, in the order :func:`validate` runs them:

* :func:`check_syntax` -- every RDF file parses (errors carry a line number);
* :func:`check_wikidata_ids` -- every Wikidata id in the files is in the verified reference list;
* :func:`check_owl_lite` -- the union of ontology and data stays inside OWL Lite (OWL 1);
* :func:`check_shacl` -- the data conforms to ``ontology/shapes.ttl``;
* :func:`check_consistency` -- the OWL RL closure holds no contradiction;
* :func:`~server.dataset.merge_check.check_merge` -- merged with ordinary Wikidata statements, the
  alignments entail no new type of ours and no new ``owl:sameAs``.

:func:`entailed` gives the OWL RL closure itself, so that questions asked in Wikidata's terms
(``wdt:P463`` ...) can be answered from our ``rdfs:subPropertyOf`` and ``owl:sameAs`` links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import owlrl
import pyoxigraph
import pyshacl
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD

from ..settings import NAMESPACE
from . import merge_check, sources

GRAPH_BASE = NAMESPACE + "graph/"
BASE_NOTE = f"relative IRIs in a file resolve against its graph, {GRAPH_BASE}{{file stem}}"
SHAPES_FILE = "shapes.ttl"
RELEASES = "releases"  # prior versions of the ontology: served at their version IRI, never loaded
WD_ENTITY = "http://www.wikidata.org/entity/"
WD_DIRECT = "http://www.wikidata.org/prop/direct/"

# rdflib parser names by file extension; quad formats keep their own named graphs.
RDFLIB_FORMATS = {".ttl": "turtle", ".nt": "nt", ".rdf": "xml", ".owl": "xml", ".trig": "trig", ".nq": "nquads"}
QUAD_FORMATS = {"trig", "nquads"}


@dataclass(frozen=True)
class Problem:
    """One finding: the file it is about (or a pseudo-file such as ``"shacl"``), a line if known, a message."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.message}"


# ---------------------------------------------------------------------------------------------------
# Files and graphs
# ---------------------------------------------------------------------------------------------------


def rdf_files(directory: Path | str) -> list[Path]:
    """The RDF files of ``directory`` (recursively, sorted) that the server loads; shapes excluded.

    >>> rdf_files("/nonexistent")
    []
    """
    root = Path(directory)
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.suffix in RDFLIB_FORMATS and p.name != SHAPES_FILE
                  and RELEASES not in p.relative_to(root).parts)


def load_dataset(paths: Iterable[Path | str]) -> Dataset:
    """Load files into an rdflib Dataset with the server's graph naming.

    A triple file goes into ``graph/{stem}``; a quad file keeps its own graphs (its default-graph
    triples also go to ``graph/{stem}``).
    """
    dataset = Dataset()
    for path in map(Path, paths):
        fmt = RDFLIB_FORMATS[path.suffix]
        target = dataset.graph(URIRef(GRAPH_BASE + path.stem))
        if fmt in QUAD_FORMATS:
            scratch = Dataset()
            scratch.parse(path, format=fmt, publicID=file_base(path))
            for s, p, o, g in scratch.quads((None, None, None, None)):
                graph = target if g is None or g == DATASET_DEFAULT_GRAPH_ID else dataset.graph(g)
                graph.add((s, p, o))
        else:
            target.parse(path, format=fmt, publicID=file_base(path))
    return dataset


def file_base(path: Path) -> str:
    """The base IRI of relative IRIs in ``path``, the server's (see :func:`server.dataset.sources.file_base`)."""
    return sources.file_base(NAMESPACE, Path(path))


def union_graph(paths: Iterable[Path | str]) -> Graph:
    """All triples of ``paths`` in one plain Graph: the default graph the server queries."""
    union = Graph()
    for s, p, o, _ in load_dataset(paths).quads((None, None, None, None)):
        union.add((s, p, o))
    return union


# ---------------------------------------------------------------------------------------------------
# Syntax
# ---------------------------------------------------------------------------------------------------


def check_syntax(paths: Iterable[Path | str]) -> list[Problem]:
    """Parse each file with pyoxigraph; report unknown formats and syntax errors with their line.

    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("w", suffix=".ttl", delete=False) as f:
    ...     _ = f.write("<http://a> <http://b> <http://c> .\\n<http://a> <http://b> .\\n")
    >>> [p.line for p in check_syntax([f.name])]
    [2]
    >>> os.unlink(f.name)
    """
    problems = []
    for path in map(Path, paths):
        fmt = pyoxigraph.RdfFormat.from_extension(path.suffix.lstrip("."))
        if fmt is None:
            problems.append(Problem(str(path), None, "unknown RDF file extension"))
            continue
        try:
            for _ in pyoxigraph.parse(path=str(path), format=fmt, base_iri=file_base(path)):
                pass
        except SyntaxError as error:
            problems.append(Problem(str(path), _error_line(error), str(error)))
    return problems


def _error_line(error: SyntaxError) -> int | None:
    """The line of a pyoxigraph SyntaxError: its ``lineno``, else the first ``line N`` of its message."""
    if error.lineno:
        return error.lineno
    found = re.search(r"line (\d+)", str(error))
    return int(found.group(1)) if found else None


# ---------------------------------------------------------------------------------------------------
# Wikidata identifiers
# ---------------------------------------------------------------------------------------------------


def read_reference(reference_tsv: Path | str) -> set[str]:
    """The Q and P ids of the verified reference list (second column; ``#`` lines are comments)."""
    ids = set()
    for line in Path(reference_tsv).read_text(encoding="utf-8").splitlines():
        columns = line.split("\t")
        if not line.startswith("#") and len(columns) > 1 and re.fullmatch(r"[QP]\d+", columns[1]):
            ids.add(columns[1])
    return ids


# Any address of a Wikidata entity: entity, direct-claim, other prop/ forms, /wiki/ pages, http or https.
WIKIDATA_IRI = re.compile(r"(https?)://(?:www\.)?wikidata\.org/((?:entity|wiki|prop)(?:/[a-z-]+)?)/(?:Property:)?([QP]\d+)")
PREFIX_DECL = re.compile(r"@?prefix\s+([\w.-]*):\s*<([^>]*)>", re.IGNORECASE)


def check_wikidata_ids(paths: Iterable[Path | str], reference_tsv: Path | str) -> list[Problem]:
    """Every Wikidata id in the files must be in the reference list and written the canonical way.

    Items are ``http://www.wikidata.org/entity/Q…`` (prefix ``wd:``), properties
    ``http://www.wikidata.org/prop/direct/P…`` (prefix ``wdt:``); https, ``/wiki/`` pages and other
    forms are reported even when the id itself is known. Prefixed names are resolved through the
    file's own ``@prefix`` / ``PREFIX`` declarations.
    """
    known = read_reference(reference_tsv)
    problems = []
    for path in map(Path, paths):
        text = path.read_text(encoding="utf-8")
        for line_no, namespace, ident in _wikidata_mentions(text):
            problems.extend(Problem(str(path), line_no, m) for m in _id_problems(namespace, ident, known))
    return problems


def _wikidata_mentions(text: str) -> Iterable[tuple[int, str, str]]:
    """Yield (line, namespace IRI, id) for every full or prefixed Wikidata IRI of ``text``."""
    prefixes = {name: iri for name, iri in PREFIX_DECL.findall(text) if "wikidata.org" in iri}
    prefixed = None
    if prefixes:
        names = "|".join(re.escape(n) for n in prefixes)
        prefixed = re.compile(rf"(?<![\w:/.-])({names}):([QP]\d+)\b")
    for line_no, line in enumerate(text.splitlines(), start=1):
        for match in WIKIDATA_IRI.finditer(line):
            yield line_no, match.group(0)[: -len(match.group(3))], match.group(3)
        if prefixed:
            for match in prefixed.finditer(line):
                yield line_no, prefixes[match.group(1)], match.group(2)


def _id_problems(namespace: str, ident: str, known: set[str]) -> list[str]:
    """What is wrong with one mention of ``ident`` in ``namespace`` (empty if nothing)."""
    problems = []
    if ident not in known:
        problems.append(f"Wikidata id {ident} is not in the verified reference list")
    expected = WD_ENTITY if ident.startswith("Q") else WD_DIRECT
    if namespace != expected:
        problems.append(f"{ident} must be written {expected}{ident}, not {namespace}{ident}")
    return problems


# ---------------------------------------------------------------------------------------------------
# OWL Lite profile
# ---------------------------------------------------------------------------------------------------

OWL1_VOCABULARY = {OWL[name] for name in (
    "AllDifferent allValuesFrom AnnotationProperty backwardCompatibleWith cardinality Class complementOf "
    "DataRange DatatypeProperty DeprecatedClass DeprecatedProperty differentFrom disjointWith distinctMembers "
    "equivalentClass equivalentProperty FunctionalProperty hasValue imports incompatibleWith intersectionOf "
    "InverseFunctionalProperty inverseOf maxCardinality minCardinality Nothing ObjectProperty oneOf onProperty "
    "Ontology OntologyProperty priorVersion Restriction sameAs someValuesFrom SymmetricProperty Thing "
    "TransitiveProperty unionOf versionInfo"
).split()}
# OWL 1 constructs that OWL Lite leaves out.
NOT_IN_LITE = {OWL.unionOf, OWL.complementOf, OWL.oneOf, OWL.hasValue, OWL.disjointWith, OWL.DataRange}
# owl:versionIRI is OWL 2, but only names the ontology's version: accepted on an owl:Ontology header.
HEADER_ONLY = {OWL.versionIRI}
CARDINALITIES = {OWL.cardinality, OWL.minCardinality, OWL.maxCardinality}

CLASS_TYPES = {OWL.Class, RDFS.Class, OWL.Restriction}
PROPERTY_KINDS = {
    OWL.ObjectProperty: "object", OWL.DatatypeProperty: "datatype", OWL.AnnotationProperty: "annotation",
    OWL.OntologyProperty: "ontology", RDF.Property: "rdf",
}
# Characteristics only object properties may have (FunctionalProperty fits both kinds).
OBJECT_ONLY = {OWL.InverseFunctionalProperty, OWL.TransitiveProperty, OWL.SymmetricProperty}
BUILT_IN = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#",
            "http://www.w3.org/2002/07/owl#", "http://www.w3.org/2001/XMLSchema#")
# Axioms whose subject and object must be declared classes / properties.
CLASS_AXIOMS = {RDFS.subClassOf, OWL.equivalentClass}
PROPERTY_AXIOMS = {RDFS.subPropertyOf, OWL.equivalentProperty, OWL.inverseOf}


def check_owl_lite(graph: Graph) -> list[Problem]:
    """Report what takes ``graph`` (ontology plus data) outside OWL Lite, the OWL 1 sublanguage.

    Forbidden: OWL Lite's excluded constructs (unionOf, complementOf, oneOf, hasValue, disjointWith,
    DataRange), any OWL 2 term, cardinalities other than 0 or 1, a term that is both a class and a
    property or two kinds of property, and classes or properties used without being declared.
    """
    return (_vocabulary_problems(graph) + _cardinality_problems(graph)
            + _punning_problems(graph) + _undeclared_problems(graph))


def _owl_terms(graph: Graph) -> Iterable[tuple[URIRef, URIRef]]:
    """Yield (subject, OWL term) for every owl: IRI used as predicate or object."""
    for s, p, o in graph:
        for term in (p, o):
            if isinstance(term, URIRef) and str(term).startswith(str(OWL)):
                yield s, term


def _vocabulary_problems(graph: Graph) -> list[Problem]:
    """OWL Lite's excluded constructs and OWL 2 vocabulary."""
    problems = set()
    for subject, term in _owl_terms(graph):
        if term in NOT_IN_LITE:
            problems.add(f"{term} is not allowed in OWL Lite (on {subject})")
        elif term in HEADER_ONLY and (subject, RDF.type, OWL.Ontology) in graph:
            continue
        elif term not in OWL1_VOCABULARY:
            problems.add(f"{term} is not OWL 1 vocabulary (on {subject})")
    return [Problem("owl-lite", None, m) for m in sorted(problems)]


def _cardinality_problems(graph: Graph) -> list[Problem]:
    """OWL Lite allows cardinality restrictions of 0 or 1 only."""
    problems = []
    for s, p, o in graph:
        if p in CARDINALITIES and not (isinstance(o, Literal) and str(o) in {"0", "1"}):
            problems.append(Problem("owl-lite", None, f"{p} of {o} on {s}: OWL Lite allows 0 or 1 only"))
    return problems


def _declared_kinds(graph: Graph, term) -> set[str]:
    """The declaration kinds of ``term``: 'class' and/or property kinds ('object', 'datatype' ...)."""
    kinds = set()
    for declared in graph.objects(term, RDF.type):
        if declared in CLASS_TYPES:
            kinds.add("class")
        elif declared in PROPERTY_KINDS:
            kinds.add(PROPERTY_KINDS[declared])
        elif declared in OBJECT_ONLY:
            kinds.add("object")
    return kinds - ({"rdf"} if len(kinds) > 1 else set())


def _punning_problems(graph: Graph) -> list[Problem]:
    """A term is a class or one kind of property, never two of these."""
    problems = []
    for term in sorted(set(graph.subjects(RDF.type, None)), key=str):
        kinds = _declared_kinds(graph, term)
        if len(kinds) > 1:
            problems.append(Problem("owl-lite", None, f"{term} is declared as {', '.join(sorted(kinds))}"))
    return problems


def _undeclared_problems(graph: Graph) -> list[Problem]:
    """Classes and properties used (as predicate, type or in axioms) without a declaration."""
    classes, properties = _used_terms(graph)
    problems = []
    for term in sorted(classes, key=str):
        if "class" not in _declared_kinds(graph, term):
            problems.append(Problem("owl-lite", None, f"class {term} is used but not declared"))
    for term in sorted(properties, key=str):
        if not _declared_kinds(graph, term) - {"class"}:
            problems.append(Problem("owl-lite", None, f"property {term} is used but not declared"))
    return problems


def _used_terms(graph: Graph) -> tuple[set, set]:
    """The non-built-in IRIs ``graph`` uses as classes and as properties."""
    classes, properties = set(), set()
    for s, p, o in graph:
        properties.add(p)
        if p == RDF.type:
            classes.add(o)
        elif p in CLASS_AXIOMS:
            classes.update((s, o))
        elif p in PROPERTY_AXIOMS:
            properties.update((s, o))
        elif p == RDFS.domain:
            properties.add(s)
            classes.add(o)
        elif p == RDFS.range:
            properties.add(s)
            if not str(o).startswith(str(XSD)) and o != RDFS.Literal:  # datatypes are not classes
                classes.add(o)
        elif p == OWL.onProperty:
            properties.add(o)

    def ours(term) -> bool:
        return isinstance(term, URIRef) and not str(term).startswith(BUILT_IN)

    return {c for c in classes if ours(c)}, {p for p in properties if ours(p)}


# ---------------------------------------------------------------------------------------------------
# SHACL
# ---------------------------------------------------------------------------------------------------


def check_shacl(data_graph: Graph, shapes_graph: Graph, source: str = "shacl") -> list[Problem]:
    """Validate ``data_graph`` (ontology + data) against ``shapes_graph`` with pyshacl.

    RDFS inference runs first, so subclass and domain/range typing count (a ``d55o:SubregionalForum``
    is a ``d55o:Forum``). Each validation result becomes one Problem naming focus node, path and message.
    """
    conforms, report, _ = pyshacl.validate(data_graph, shacl_graph=shapes_graph, inference="rdfs",
                                           allow_warnings=False)
    if conforms:
        return []
    return [Problem(source, None, _describe_result(report, r)) for r in report.subjects(RDF.type, SH.ValidationResult)]


def _describe_result(report: Graph, result) -> str:
    """One line for a SHACL validation result: focus node, path, message."""
    focus = report.value(result, SH.focusNode)
    path = report.value(result, SH.resultPath)
    message = report.value(result, SH.resultMessage)
    return f"{focus} {path if path is not None else ''}: {message}"


# ---------------------------------------------------------------------------------------------------
# OWL RL consistency
# ---------------------------------------------------------------------------------------------------

ERROR_NS = "http://www.daml.org/2002/03/agents/agent-ont#"  # where owlrl writes its error messages


def entailed(graph: Graph) -> Graph:
    """A copy of ``graph`` expanded with its OWL RL closure (owlrl); ``graph`` is left unchanged.

    Use it to answer questions in Wikidata's terms: ``d55o:memberOf rdfs:subPropertyOf wdt:P463``
    and ``d55:morocco owl:sameAs wd:Q1028`` entail ``wd:Q1028 wdt:P463 d55:dialogue-5-5``.
    """
    closure = Graph()
    for triple in graph:
        closure.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    return closure


def check_consistency(graph: Graph) -> list[Problem]:
    """Compute the OWL RL closure of ``graph`` and report the contradictions found in it.

    Looked for: members of owl:Nothing, owlrl's own error messages (sameAs with differentFrom, invalid
    literals, disjointness ...), and functional properties with two different literal values (OWL RL
    only derives ``sameAs`` between literals there, which owlrl does not flag).
    """
    closure = entailed(graph)
    problems = [Problem("owl-rl", None, f"{s} is a member of owl:Nothing")
                for s in closure.subjects(RDF.type, OWL.Nothing)]
    problems += [Problem("owl-rl", None, str(m)) for m in closure.objects(None, URIRef(ERROR_NS + "error"))]
    problems += _functional_literal_clashes(closure)
    return problems


def _functional_literal_clashes(graph: Graph) -> list[Problem]:
    """Subjects with two different literal values of one owl:FunctionalProperty."""
    problems = []
    for prop in graph.subjects(RDF.type, OWL.FunctionalProperty):
        for subject in set(graph.subjects(prop, None)):
            values = {o for o in graph.objects(subject, prop) if isinstance(o, Literal)}
            if len({(v.value if v.value is not None else str(v), v.datatype, v.language) for v in values}) > 1:
                shown = ", ".join(sorted(v.n3() for v in values))
                problems.append(Problem("owl-rl", None, f"{subject} has several values of functional {prop}: {shown}"))
    return problems


# ---------------------------------------------------------------------------------------------------
# Everything
# ---------------------------------------------------------------------------------------------------


def validate(ontology_dir: Path | str, data_dirs: Iterable[Path | str]) -> list[Problem]:
    """Run every check on ``ontology_dir`` (its ``shapes.ttl`` is the SHACL shapes) and ``data_dirs``.

    The reference list is ``wikidata-verified.tsv`` in the first data directory that has one. Syntax
    errors stop the run early: the graph checks need files that parse.
    """
    ontology_dir = Path(ontology_dir)
    data_dirs = [Path(d) for d in data_dirs]
    files = rdf_files(ontology_dir) + [f for d in data_dirs for f in rdf_files(d)]
    shapes = ontology_dir / SHAPES_FILE
    problems = check_syntax(files + ([shapes] if shapes.is_file() else []))
    if problems:
        return problems
    problems += _reference_checks(files + [shapes], data_dirs)
    union = union_graph(files)
    problems += check_owl_lite(union)
    if shapes.is_file():
        problems += check_shacl(union, Graph().parse(shapes, format="turtle"), source=str(shapes))
    problems += check_consistency(union)
    problems += [Problem("wikidata-merge", None, m) for m in merge_check.check_merge(union, entailed, NAMESPACE)]
    return problems


def _reference_checks(files: list[Path], data_dirs: list[Path]) -> list[Problem]:
    """check_wikidata_ids against the first ``wikidata-verified.tsv`` found, or one Problem if none."""
    references = [d / "wikidata-verified.tsv" for d in data_dirs if (d / "wikidata-verified.tsv").is_file()]
    if not references:
        return [Problem("wikidata-verified.tsv", None, "no reference list of Wikidata ids in the data directories")]
    return check_wikidata_ids([f for f in files if f.is_file()], references[0])
