"""Nothing lost or changed: the dataset the live server publishes equals the files, after everything.

The checksum is a SHA-256 of the sorted N-Quads lines of ``/dump.nq`` (the data has
no blank nodes, so its lines are canonical). It is compared with the same checksum
computed from the files, loaded here the way the server loads them. The live server
is shared by the whole session and this module runs after the hostile suite
(pytest runs test files in name order), so the comparison covers all of it; this
module also runs its own write attempts in between two checksums.
"""

from __future__ import annotations

import hashlib

import pytest
import requests
from pyoxigraph import RdfFormat, serialize

from server import settings
from server.dataset import sources
from tests.reliability.hostile import listening
from tests.test_hostile import UPDATES

pytestmark = pytest.mark.live


def checksum(nquads: bytes) -> str:
    lines = sorted(line for line in nquads.decode("utf-8").splitlines() if line.strip())
    assert not any(" _:" in line or line.startswith("_:") for line in lines), "blank nodes: the hash would not be canonical"
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def served(live_server) -> tuple[str, int]:
    response = live_server.get("dump.nq")
    assert response.status_code == 200
    return checksum(response.content), len(response.content.splitlines())


def from_files(base_iri: str) -> str:
    source = sources.Source.from_settings(settings.resolve({"base_iri": base_iri}))
    store = sources.load(source)
    return checksum(serialize(sources.named_quads(store), format=RdfFormat.N_QUADS))


def test_the_served_dataset_equals_the_files(live_server):
    digest, quads = served(live_server)
    assert quads > 0
    assert digest == from_files(live_server.url)


def test_write_attempts_change_nothing(live_server):
    before, _ = served(live_server)
    with listening() as listener:
        for update in UPDATES + [f"LOAD <http://127.0.0.1:{listener.port}/>"]:
            assert live_server.get("sparql", params={"query": update}).status_code in (400, 403)
            assert live_server.post("sparql", data={"update": update}).status_code == 403
            assert live_server.post("sparql", data=update.encode(),
                                    headers={"Content-Type": "application/sparql-update"}).status_code == 403
        for method in ("put", "delete", "patch"):
            response = requests.request(method.upper(), live_server.url + "sparql?default",
                                        data="<a:s> <a:p> <a:o> .", timeout=30)
            assert 400 <= response.status_code < 500
        assert listener.connections == 0
    assert served(live_server)[0] == before
