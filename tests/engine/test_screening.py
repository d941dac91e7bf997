"""Screening: what is refused before the engine ever sees a query (updates, services, deep nesting)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.engine.screening import Refused, has_dataset_clause, screen

WIKIDATA = "https://query.wikidata.org/sparql"
PREFIXES = {"wd": "http://www.wikidata.org/entity/"}


def refusal(query: str, allowlist=(WIKIDATA,), max_nesting=50) -> str | None:
    try:
        screen(query, allowlist, max_nesting, PREFIXES)
    except Refused as refused:
        return refused.reason
    return None


@pytest.mark.parametrize("query", [
    "INSERT DATA { <a:s> <a:p> <a:o> }",
    "delete where { ?s ?p ?o }",
    "PREFIX x: <a:> BASE <a:b> CLEAR ALL",
    "LOAD <http://example.org/data.ttl>",
    "DROP GRAPH <a:g>", "CREATE GRAPH <a:g>", "COPY <a:g> TO <a:h>", "MOVE DEFAULT TO <a:g>",
    "ADD <a:g> TO <a:h>", "WITH <a:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
])
def test_every_update_form_is_refused_as_read_only(query):
    assert refusal(query) == "read-only"


@pytest.mark.parametrize("target", [
    "<http://127.0.0.1:8080/sparql>", "<http://localhost/>", "<http://10.0.0.1/sparql>",
    "<http://192.168.1.1/>", "<http://[::1]/>", "<file:///etc/passwd>", "<http://169.254.169.254/latest>",
    "SILENT <http://127.0.0.1/>", "?endpoint", "<sparql>",
    "<https://query.wikidata.org/sparql?x=1>", "<https://query.wikidata.org/sparql#x>",
    "<HTTPS://query.wikidata.org/sparql>", "<\\u0068ttp://127.0.0.1/>",  # the engine decodes this escape
])
def test_services_outside_the_allowlist_are_refused(target):
    assert refusal(f"SELECT * WHERE {{ SERVICE {target} {{ ?s ?p ?o }} }}") == "service"


def test_a_service_through_a_prefix_is_resolved_before_checking():
    assert refusal("PREFIX x: <http://127.0.0.1/> SELECT * { SERVICE x:sparql { ?s ?p ?o } }") == "service"
    assert refusal("PREFIX wd: <http://127.0.0.1/> SELECT * { SERVICE wd:x { ?s ?p ?o } }") == "service"
    assert refusal("PREFIX w: <https://query.wikidata.org/> SELECT * { SERVICE w:sparql { ?s ?p ?o } }") is None


def test_the_allowlisted_service_passes():
    assert refusal(f"SELECT * WHERE {{ SERVICE <{WIKIDATA}> {{ ?s ?p ?o }} }}") is None
    assert refusal(f"SELECT * WHERE {{ SERVICE SILENT <{WIKIDATA}> {{ ?s ?p ?o }} }}") is None


def test_an_empty_allowlist_refuses_every_service():
    assert refusal(f"SELECT * WHERE {{ SERVICE <{WIKIDATA}> {{ ?s ?p ?o }} }}", allowlist=()) == "service"


def test_nesting_deeper_than_the_limit_is_refused():
    assert refusal("SELECT * WHERE " + "{" * 51 + "}" * 51) == "nesting"
    assert refusal("SELECT * WHERE " + "{" * 50 + "}" * 50) is None
    assert refusal("ASK { FILTER(" + "(" * 60 + "1" + ")" * 60 + ") }") == "nesting"


@given(st.sampled_from(["INSERT", "DELETE", "LOAD", "SERVICE <http://127.0.0.1/>", "DROP", "{{{{{{"]),
       st.sampled_from(['"{}"', "'{}'", '"""{}"""', "# {}\n"]))
def test_keywords_in_strings_and_comments_are_not_mistaken(word, wrapper):
    text = wrapper.format(word)
    assert refusal(f"SELECT * WHERE {{ ?s ?p {text if not text.startswith('#') else '?o ' + text} }}",
                   max_nesting=3) is None


@given(st.text(max_size=200))
def test_screening_never_fails_on_any_text(text):
    try:
        screen(text, (WIKIDATA,), 20, PREFIXES)
    except Refused:
        pass


def test_dataset_clauses_are_found_outside_strings_only():
    assert has_dataset_clause("SELECT * FROM NAMED <a:g> { GRAPH ?g { ?s ?p ?o } }")
    assert not has_dataset_clause("SELECT * { ?s ?p 'FROM <a:g>' } # FROM <a:h>")
