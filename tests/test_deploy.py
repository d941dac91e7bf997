"""The deployment recipes of ``deploy/``, run for real on loopback in front of a live server.

- ``deploy/w3id/.htaccess`` in Debian's ``apache2``, as w3id.org runs it: a canonical
  IRI is followed to its page and to its Turtle on the server;
- ``deploy/nginx/dialogue55.conf`` in Debian's ``nginx``: documents and queries pass
  through with the forwarded headers, ``/metrics`` is refused, and a client past the
  rate limit gets 429.

The files are used as they are, but for the addresses: the server's in place of
``dialogue55.example.org`` and 127.0.0.1:5000, a free port in place of port 80.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from pyoxigraph import NamedNode, RdfFormat, parse

from bench.servers import stop
from server.settings import NAMESPACE
from tests.live import free_port, running_server

pytestmark = pytest.mark.live

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
APACHE_MODULES = Path("/usr/lib/apache2/modules")


def program(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin")
    if found is None:
        pytest.fail(f"{name} is required: run tests/install-tools.sh")
    return found


@contextmanager
def readable_folder():
    """A temporary folder that the servers' unprivileged worker processes can read (pytest's is private)."""
    folder = Path(tempfile.mkdtemp(prefix="dialogue55-deploy-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def running(command: list[str], url: str, log: Path):
    """A server process, awaited by polling ``url``, stopped on exit."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{command[0]} exited with {process.returncode}: "
                                   f"{log.read_text() if log.exists() else ''}")
            try:
                requests.get(url, timeout=1, allow_redirects=False)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield
    finally:
        stop(process, 10)


@pytest.fixture(scope="module")
def canonical_server(tmp_path_factory):
    log = tmp_path_factory.mktemp("deploy") / "access.jsonl"
    with running_server("--access-log", str(log), base_iri=False) as server:
        server.access_log = log
        yield server


@pytest.fixture(scope="module")
def w3id(canonical_server):
    """Apache with the w3id rules at /dialogue55/, redirecting to the live server: its base URL."""
    with readable_folder() as folder:
        site = folder / "www" / "dialogue55"
        site.mkdir(parents=True)
        rules = (DEPLOY / "w3id" / ".htaccess").read_text(encoding="utf-8")
        (site / ".htaccess").write_text(rules.replace("https://dialogue55.example.org",
                                                      canonical_server.url.rstrip("/")))
        port = free_port()
        (folder / "apache2.conf").write_text(f"""
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile {folder}/apache2.pid
ErrorLog {folder}/error.log
DefaultRuntimeDir {folder}
Mutex file:{folder} default
LoadModule mpm_event_module {APACHE_MODULES}/mod_mpm_event.so
LoadModule authz_core_module {APACHE_MODULES}/mod_authz_core.so
LoadModule rewrite_module {APACHE_MODULES}/mod_rewrite.so
DocumentRoot {folder}/www
<Directory {folder}/www>
    AllowOverride All
    Require all granted
</Directory>
""")
        command = [program("apache2"), "-f", str(folder / "apache2.conf"), "-DFOREGROUND"]
        url = f"http://127.0.0.1:{port}/"
        with running(command, url, folder / "error.log"):
            yield url


@pytest.fixture(scope="module")
def proxy(canonical_server):
    """nginx with the recipe in front of the live server: its base URL."""
    with readable_folder() as folder:
        port = free_port()
        recipe = (DEPLOY / "nginx" / "dialogue55.conf").read_text(encoding="utf-8")
        recipe = recipe.replace("server 127.0.0.1:5000;", f"server {canonical_server.url[len('http://'):-1]};")
        recipe = recipe.replace("listen 80;", f"listen 127.0.0.1:{port};")
        (folder / "dialogue55.conf").write_text(recipe)
        (folder / "nginx.conf").write_text(f"""
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/dialogue55.conf;
}}
""")
        command = [program("nginx"), "-c", str(folder / "nginx.conf"), "-p", str(folder), "-g", "daemon off;"]
        url = f"http://127.0.0.1:{port}/"
        with running(command, url, folder / "error.log"):
            yield url


def follow(url: str, accept: str) -> list[requests.Response]:
    """Every response from ``url`` to the end of its redirects."""
    final = requests.get(url, headers={"Accept": accept}, timeout=30)
    return [*final.history, final]


# --- w3id ------------------------------------------------------------------------

def test_a_canonical_iri_leads_through_w3id_to_its_turtle(w3id, canonical_server):
    hops = follow(w3id + "dialogue55/id/morocco", "text/turtle")
    assert [r.status_code for r in hops] == [303, 200]
    assert hops[-1].url == canonical_server.url + "data/morocco.ttl"
    assert hops[-1].headers["Content-Type"].startswith("text/turtle")
    subjects = {t.subject for t in parse(hops[-1].content, format=RdfFormat.TURTLE)}
    assert NamedNode(NAMESPACE + "id/morocco") in subjects


def test_a_canonical_iri_leads_through_w3id_to_its_page(w3id, canonical_server):
    hops = follow(w3id + "dialogue55/id/morocco", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")
    assert [r.status_code for r in hops] == [303, 200]
    assert hops[-1].url == canonical_server.url + "page/morocco"
    assert "Maroc" in hops[-1].text or "Morocco" in hops[-1].text


@pytest.mark.parametrize("path, accept, document", [
    ("id/morocco", "application/ld+json", "data/morocco.jsonld"),
    ("id/morocco", "application/n-triples", "data/morocco.nt"),
    ("ontology", "text/turtle", "ontology.ttl"),
    ("ontology", "text/html", "ontology"),
    ("graph/labels", "text/turtle", "graph/labels.ttl"),
    ("graph/labels", "application/trig", "graph/labels.trig"),
    ("", "text/html", ""),
])
def test_w3id_sends_each_kind_of_iri_to_its_document(w3id, canonical_server, path, accept, document):
    hops = follow(w3id + "dialogue55/" + path, accept)
    assert hops[0].status_code == 303
    assert hops[0].headers["Location"] == canonical_server.url + document
    assert hops[-1].status_code == 200


def test_w3id_redirects_nothing_outside_the_namespace(w3id):
    assert requests.get(w3id + "dialogue55/id/Not%20A%20Slug", timeout=10, allow_redirects=False).status_code == 404


# --- nginx -----------------------------------------------------------------------

def test_nginx_passes_documents_and_queries_with_forwarded_headers(proxy, canonical_server):
    hops = follow(proxy + "id/morocco", "text/turtle")
    assert [r.status_code for r in hops] == [303, 200]
    assert hops[-1].url == proxy + "data/morocco.ttl"  # redirects stay on the proxy
    answer = requests.post(proxy + "sparql", data={"query": "ASK { d55:morocco ?p ?o }"},
                           headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert answer.json()["boolean"] is True
    lines = [json.loads(line) for line in canonical_server.access_log.read_text().splitlines()]
    through = [line for line in lines if line["path"] == "/data/morocco.ttl"]
    assert through and through[-1]["forwarded_for"] == "127.0.0.1"


def test_nginx_keeps_metrics_private(proxy, canonical_server):
    assert requests.get(proxy + "metrics", timeout=10).status_code == 403
    assert canonical_server.get("metrics").status_code == 200  # the server's own address still answers
    assert requests.get(proxy + "healthz", timeout=10).json()["status"] == "ok"


def test_nginx_limits_the_rate_of_queries(proxy):
    statuses = [requests.get(proxy + "sparql", params={"query": "ASK {}"}, timeout=30).status_code
                for _ in range(100)]
    assert 200 in statuses and 429 in statuses
    assert set(statuses) == {200, 429}
