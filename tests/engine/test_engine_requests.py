"""Few queries per page: over an external engine a page costs a fixed handful of engine requests.

The server runs with ``--backend`` in front of a counting proxy (``bench/engine_proxy.py``) in
front of a real ``oxigraph serve``, with its answer and response caches off, so every page is
built from the engine each time; the proxy counts the requests each page makes. The budget holds
on the first request for a page (nothing counted yet) and on the next, and does not grow with the
number of statements: a generated forum with thousands of members costs what a small one does.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from pyoxigraph import DefaultGraph, NamedNode

from bench.engine_proxy import EngineProxy
from bench.servers import oxigraph_binary
from server.engine import backend
from server.engine.remote_store import NEIGHBOURHOOD, RemoteStore
from tests.live import _await_ready, free_port, running_server

ROOT = Path(__file__).resolve().parents[2]
NO_CACHES = {"DIALOGUE55_ANSWER_CACHE": "0", "DIALOGUE55_RESPONSE_CACHE": "0"}
PAGE_BUDGET, ONTOLOGY_BUDGET = 5, 10
BIG = NEIGHBOURHOOD + 500  # members of the generated big forum: more than one read of a neighbourhood takes
SMALL = 3

pytestmark = pytest.mark.live

ROUTES = ["", "page/morocco", "page/8th-ministerial-conference", "page/dialogue-5-5?lang=ar", "page/article",
          "data/morocco.ttl", "data/morocco.jsonld", "data/morocco.nq", "data/8th-ministerial-conference.trig",
          "graph/labels", "graph/sentence-13.html", "graph/provenance.html?page=2"]


@pytest.fixture(scope="module")
def proxied(engine):
    """A ``--backend`` server with its caches off, and the counting proxy between it and the engine."""
    with EngineProxy(engine) as proxy, \
            running_server("--backend", proxy.url, base_iri=False, env=NO_CACHES) as server:
        yield server, proxy


def engine_requests(server, proxy, path: str) -> int:
    with proxy.counting() as counted:
        response = server.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return counted.requests


@pytest.mark.parametrize("path", ROUTES)
def test_a_page_or_document_costs_at_most_five_engine_requests(proxied, path):
    server, proxy = proxied
    first, again = engine_requests(server, proxy, path), engine_requests(server, proxy, path)
    assert 0 < again <= first <= PAGE_BUDGET, (first, again)


@pytest.mark.parametrize("path", ["ontology", "ontology?lang=ar"])
def test_the_ontology_documentation_costs_at_most_ten(proxied, path):
    server, proxy = proxied
    first, again = engine_requests(server, proxy, path), engine_requests(server, proxy, path)
    assert 0 < again <= first <= ONTOLOGY_BUDGET, (first, again)


def test_a_page_costs_the_same_for_few_or_many_statements(proxied):
    server, proxy = proxied
    pages = ["page/algeria", "page/morocco", "page/8th-ministerial-conference", "page/dialogue-5-5"]
    sizes = [len(server.get(path).text) for path in pages]
    assert sizes == sorted(sizes) and sizes[-1] > 2 * sizes[0]  # from a few statements to many
    counts = [engine_requests(server, proxy, path) for path in pages]
    # A large batch goes as two requests sent at once: one more request, never one more per statement.
    assert counts == sorted(counts) and counts[-1] <= counts[0] + 1 <= PAGE_BUDGET, counts


def test_paged_sides_cost_no_more_than_whole_ones(engine):
    """With a page of 5 statements, every side of the conference is paged: the budget holds."""
    with EngineProxy(engine) as proxy, running_server("--backend", proxy.url, "--page-size", "5", base_iri=False,
                                                      env=NO_CACHES) as server:
        for path in ("page/8th-ministerial-conference", "page/8th-ministerial-conference?out=2&in=2",
                     "data/8th-ministerial-conference.ttl?out=3", "graph/labels?page=3"):
            assert engine_requests(server, proxy, path) <= PAGE_BUDGET, path


def _queries(server, proxy, path: str) -> list[str]:
    """The start of each query a page sends (what a failing budget shows)."""
    with proxy.counting() as counted:
        server.get(path)
    return [" ".join(query.split())[:300] for query in counted.queries]  # noqa


# --- a generated forum with thousands of members ---------------------------


@pytest.fixture(scope="module")
def big_data(tmp_path_factory):
    """The bundled data and, in a second folder, a forum with BIG members and one with SMALL."""
    folder = tmp_path_factory.mktemp("forums")
    lines = ["@prefix d55: <https://w3id.org/dialogue55/id/> .", "@prefix d55o: <https://w3id.org/dialogue55/ontology#> .",
             "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> ."]
    for forum, members in (("big-forum", BIG), ("small-forum", SMALL)):
        lines.append(f'd55:{forum} a d55o:Forum ; rdfs:label "{forum}"@en .')
        for n in range(members):
            lines.append(f'd55:{forum}-member-{n} a d55o:State ; rdfs:label "Member {n} of {forum}"@en ; '
                         f'd55o:memberOf d55:{forum} . d55:{forum} d55o:hasMember d55:{forum}-member-{n} .')
    (folder / "forums.ttl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [str(ROOT / "data"), str(folder)]


@pytest.fixture(scope="module")
def big_engine(tmp_path_factory, big_data):
    folder = tmp_path_factory.mktemp("big-engine")
    export = folder / "dump.trig"
    subprocess.run([sys.executable, "-m", "server", "export", "--data", *big_data, "--format", "trig",
                    "-o", str(export)], cwd=ROOT, check=True)
    subprocess.run([oxigraph_binary(), "load", "--location", str(folder / "store"), "--file", str(export)],
                   check=True, capture_output=True)
    port = free_port()
    process = subprocess.Popen([oxigraph_binary(), "serve-read-only", "--location", str(folder / "store"),
                                "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _await_ready(f"http://127.0.0.1:{port}/", process, open(folder / "log", "w+"))
        yield f"http://127.0.0.1:{port}/query"
    finally:
        process.terminate()
        process.wait(10)


def test_a_forum_with_thousands_of_members_costs_what_a_small_one_does(big_engine, big_data):
    with EngineProxy(big_engine) as proxy, running_server("--backend", proxy.url, "--data", *big_data,
                                                          base_iri=False, env=NO_CACHES) as server:
        counts = re.findall(r"<small>\((\d+) in all\)</small>", server.get("page/big-forum?lang=en").text)
        assert len(counts) == 2 and all(int(n) >= BIG for n in counts)  # its members, and theirs of it
        for kind in ("page/{}", "data/{}.ttl", "data/{}.jsonld"):
            big = [engine_requests(server, proxy, kind.format("big-forum")) for _ in range(2)]
            small = [engine_requests(server, proxy, kind.format("small-forum")) for _ in range(2)]
            assert max(big + small) <= PAGE_BUDGET, (kind, big, small, _queries(server, proxy, kind.format("big-forum")))
        for path in ("page/big-forum?in=3&out=2", "data/big-forum.nq?in=5", "page/big-forum-member-7"):
            assert engine_requests(server, proxy, path) <= PAGE_BUDGET, (path, _queries(server, proxy, path))
        assert engine_requests(server, proxy, "") <= PAGE_BUDGET
        assert engine_requests(server, proxy, "ontology") <= ONTOLOGY_BUDGET


def test_a_neighbourhood_too_large_to_read_whole_still_answers_every_quad(big_engine):
    """Past the bound of one batch, lookups fall through to the engine: what was read first is not all there is."""
    store = RemoteStore(backend.Engine(big_engine, {}), 10, "https://w3id.org/dialogue55/graph/")
    forum = NamedNode("https://w3id.org/dialogue55/id/big-forum")
    forums, labels = (NamedNode(f"https://w3id.org/dialogue55/graph/{name}") for name in ("forums", "labels"))
    outside = set(store.quads_for_pattern(forum, None, None, None))
    in_forums = set(store.quads_for_pattern(forum, None, None, forums))
    union = set(store.quads_for_pattern(forum, None, None, DefaultGraph()))
    with store.scope():
        inside = list(store.quads_for_pattern(forum, None, None, None))
        assert set(store.quads_for_pattern(None, None, forum, None))  # read first, from the same batch
        assert set(store.quads_for_pattern(forum, None, None, forums)) == in_forums
        assert list(store.quads_for_pattern(forum, None, None, labels)) == []  # what was read first is of another graph
        assert set(store.quads_for_pattern(forum, None, None, DefaultGraph())) == union
    assert len(inside) == len(set(inside)) == len(outside) > NEIGHBOURHOOD
    assert len(in_forums) > NEIGHBOURHOOD and len(union) > NEIGHBOURHOOD


def test_the_labels_read_for_a_language_decide_the_label_as_all_of_them_do(engine):
    """In a language, a subject's labels in it (French here); in one no label has (``xx``), all of its labels;
    without labels, none: what pick needs to choose the label that all of them would give."""
    ns = "https://w3id.org/dialogue55/"
    label, pref = NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    subjects = [NamedNode(ns + "id/morocco"), NamedNode(ns + "id/8th-ministerial-conference"),
                NamedNode(ns + "ontology#Conference"), NamedNode(ns + "graph/sentence-05"), NamedNode("http://e/none")]
    store = RemoteStore(backend.Engine(engine, {}), 10, ns + "graph/")
    every = {s: sorted((q for p in (pref, label) for q in store.quads_for_pattern(s, p, None, None)), key=str)
             for s in subjects}
    with store.scope():
        store.prefetch(labels=[(subjects, (pref, label), "fr"), (subjects, (pref, label), "xx")])
        in_french = {s: store.label_quads(s, (pref, label), "fr") for s in subjects}
        in_xx = {s: store.label_quads(s, (pref, label), "xx") for s in subjects}
    assert all(every[s] for s in subjects[:4]) and not every[subjects[4]]
    assert in_french == {s: [q for q in every[s] if q.object.language == "fr"] for s in subjects}
    assert in_xx == every and all(in_french[s] for s in subjects[:4])


def test_a_batch_answers_later_lookups_the_same_as_the_engine(engine):
    """What a scope answers from one batch is what the engine answers to each lookup alone."""
    ns = "https://w3id.org/dialogue55/"
    conference, morocco = NamedNode(ns + "id/8th-ministerial-conference"), NamedNode(ns + "id/morocco")
    label = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    provenance = NamedNode(ns + "graph/provenance")
    lookups = [(conference, None, None, None), (None, None, conference, None), (morocco, label, None, None),
               (None, None, None, provenance), (None, label, None, provenance), (conference, label, None, None)]
    with EngineProxy(engine) as proxy:
        store = RemoteStore(backend.Engine(proxy.url, {}), 10, ns + "graph/")
        alone = [sorted(map(str, store.quads_for_pattern(*lookup))) for lookup in lookups]
        with proxy.counting() as dumped:
            list(store.graph_triples(provenance))
        with store.scope():
            with proxy.counting() as batch:
                store.prefetch(neighbourhoods=[conference], facts=[([morocco], [label])])
            with proxy.counting() as whole:  # a graph is read whole as the dumps read it, past any row cap
                store.prefetch(graphs=[provenance])
            with proxy.counting() as later:
                batched = [sorted(map(str, store.quads_for_pattern(*lookup))) for lookup in lookups]
    # one batch: three parts in at most two requests sent at once
    assert batch.requests <= 2 and whole.requests == dumped.requests and later.requests == 0
    assert batched == alone and all(alone)
