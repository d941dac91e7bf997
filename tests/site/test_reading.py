"""The reading view of a source (``/read/{slug}``): the text sentence by sentence with its statements.

Flask-client tests for the addresses, 303s, languages and escaping; a data-health test that every
sentence graph appears; headless Chromium reading the view as a person does.
"""

from __future__ import annotations

import re

import pytest
from pyoxigraph import NamedNode

from tests.browser import chromium
from tests.site.test_pages import parse_html, text_of

NS = "https://w3id.org/dialogue55/"
STATES = ("Morocco", "Algeria", "Libya", "Mauritania", "Tunisia", "Spain", "France", "Italy", "Malta", "Portugal")


def sentence_graphs(store) -> list[tuple[int, str, str]]:
    """(rank, graph IRI, quote) of every sentence graph, from the provenance, in order."""
    rows = store.query("SELECT ?g ?n ?q WHERE { ?g a d55o:SentenceGraph ; d55o:sentenceOrdinal ?n ; prov:value ?q }",
                       prefixes={"d55o": NS + "ontology#", "prov": "http://www.w3.org/ns/prov#"},
                       use_default_graph_as_union=True)
    return sorted((int(r["n"].value), r["g"].value, r["q"].value) for r in rows)


def test_every_sentence_graph_appears_in_the_view_in_order_with_its_quote(client, oxi_store):
    """Data health: no sentence graph of the provenance is missing from the reading view, none is out of order."""
    page = client.get("/read/article?lang=en")
    assert page.status_code == 200
    tree = parse_html(page.text)
    shown = [(li.get("id"), text_of(li.find(".//blockquote"))) for li in tree.iter("li")
             if "sentence" in (li.get("class") or "").split()]
    expected = [(g.rsplit("/", 1)[-1], quote) for _, g, quote in sentence_graphs(oxi_store)]
    missing = [e for e in expected if e not in shown]
    assert not missing, f"sentence graphs missing from the reading view: {missing}"
    assert shown == expected and len(shown) == 14


def test_each_sentence_lists_as_many_lines_as_its_graph_holds(client, oxi_store):
    tree = parse_html(client.get("/read/article?lang=en").text)
    for li in tree.iter("li"):
        if "sentence" in (li.get("class") or "").split():
            lines = [x for x in li.iter("li") if "line" in (x.get("class") or "").split()]
            count = len(list(oxi_store.quads_for_pattern(None, None, None, NamedNode(NS + "graph/" + li.get("id")))))
            assert len(lines) == count, li.get("id")


def test_moods_and_repeats_are_marked(client):
    tree = parse_html(client.get("/read/article?lang=en").text)
    by_id = {li.get("id"): li for li in tree.iter("li") if li.get("id")}
    moods = lambda sid: {m.get("data-mood") for m in by_id[sid].iter("span") if m.get("data-mood")}  # noqa: E731
    assert moods("sentence-06") == {"mood_announced"}
    assert moods("sentence-10") == {"mood_conditional"}
    assert moods("sentence-11") == {"mood_possible"}
    assert moods("sentence-13") == set()
    also = [a.get("href") for a in by_id["sentence-01"].iter("a") if (a.get("href") or "").startswith("#sentence-")]
    assert "#sentence-02" in also  # the headline's statements are stated again by the dated headline


def test_the_summary_counts_sentences_statements_and_editorial_graphs(client, oxi_store):
    text = client.get("/read/article?lang=en").text
    statements = sum(len(list(oxi_store.quads_for_pattern(None, None, None, NamedNode(g))))
                     for _, g, _ in sentence_graphs(oxi_store))
    assert f"{statements} statements from 14 sentences; 0 sentences state nothing" in text
    for name in ("labels", "wikidata", "schemes", "inferences", "foreign-ministers-by-state", "wikidata-view"):
        assert f'href="/graph/{name}?lang=en"' in text


@pytest.mark.parametrize("lang, word", [("en", "announced"), ("fr", "annoncé"), ("ar", "مُعلَن")])
def test_the_view_speaks_the_readers_language_and_quotes_stay_french(client, lang, word):
    page = client.get(f"/read/article?lang={lang}")
    assert page.status_code == 200 and page.headers["Content-Language"] == lang
    tree = parse_html(page.text)
    assert tree.get("lang") == lang and tree.get("dir") == ("rtl" if lang == "ar" else "ltr")
    quotes = [q for q in tree.iter("blockquote")]
    assert len(quotes) == 14 and all(q.get("lang") == "fr" and q.get("dir") == "ltr" for q in quotes)
    assert word in page.text


def test_a_sentence_graph_asked_for_html_is_303_to_its_anchor_and_machines_get_rdf(client):
    seen = client.get("/graph/sentence-13?lang=ar", headers={"Accept": "text/html"})
    assert seen.status_code == 303 and seen.headers["Location"] == "/read/article?lang=ar#sentence-13"
    assert "Accept" in seen.headers["Vary"]
    turtle = client.get("/graph/sentence-13", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200 and turtle.headers["Content-Type"].startswith("text/turtle")
    table = client.get("/graph/sentence-13.html")
    assert table.status_code == 200 and "Il regroupe les dix pays" in table.text
    # A graph that is no sentence keeps its page.
    assert client.get("/graph/labels", headers={"Accept": "text/html"}).status_code == 200


def test_footnotes_and_the_home_page_lead_to_the_view(client):
    page = client.get("/page/morocco?lang=fr").text
    assert 'href="/read/article?lang=fr#sentence-13"' in page
    home = client.get("/?lang=en").text
    assert 'href="/read/article?lang=en"' in home
    assert 'href="/read/article"' in client.get("/page/article").text


@pytest.mark.parametrize("path", ["/read/morocco", "/read/no-such-thing", "/read/%3Cscript%3E", "/read/a..b",
                                  "/read/article?lang=xx"])
def test_what_is_not_a_source_is_a_clear_4xx(client, path):
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code in (400, 404)
    assert response.headers["Content-Type"].startswith("text/html") and "<script>" not in response.text


def test_outside_iris_are_written_out_and_wikidata_items_by_their_id(client):
    text = client.get("/read/article?lang=en").text
    assert '>http://article19.ma/accueil/archives/124459</a>' in text  # sentence 14's sourcePage, unlabelled
    assert 'href="https://www.wikidata.org/wiki/Q7330070"' in text and ">http://www.wikidata.org/entity/Q7330070<" not in text


def test_data_is_escaped(client):
    """A quote holds « <http://…> »: it is shown as text, never as markup."""
    text = client.get("/read/article").text
    assert "Source : &lt;http://article19.ma/accueil/archives/124459&gt;" in text
    assert "<http://article19.ma" not in text


def test_the_view_costs_a_fixed_number_of_store_queries(app):
    """One query per kind, whatever the number of sentences, statements and labels (the engine budget)."""
    graph = app.extensions["dialogue55"]
    real = graph.store

    class Counting:
        calls = 0

        def __getattr__(self, name):
            attribute = getattr(real, name)
            if name in ("query", "quads_for_pattern"):
                def counted(*args, **kwargs):
                    Counting.calls += 1
                    return attribute(*args, **kwargs)
                return counted
            return attribute

    app.test_client().get("/read/article?lang=en")  # the VoID statistics, once per dataset version
    graph.store = Counting()
    try:
        assert app.test_client().get("/read/article?lang=ar").status_code == 200
    finally:
        graph.store = real
    assert 0 < Counting.calls <= 8


def test_void_names_the_source_and_claims_no_licence_for_its_text(client):
    text = client.get("/.well-known/void", headers={"Accept": "application/n-triples"}).text
    assert "<http://purl.org/dc/terms/source> <http://article19.ma/accueil/archives/124459>" in text
    rights = re.findall(r'<http://purl.org/dc/terms/rights> "([^"]*)"@en', text)
    assert rights and "no licence for them is known" in rights[0]


# --- in a real browser ----------------------------------------------------


@pytest.fixture
def browser():
    with chromium("--window-size=1100,1500") as driver:
        yield driver


@pytest.mark.live
@pytest.mark.browser
def test_chromium_reads_every_sentence_in_order_and_the_ten_states_of_sentence_13(live_server, browser, oxi_store):
    from selenium.webdriver.common.by import By

    browser.get(live_server.url + "read/article?lang=en")
    sentences = browser.find_elements(By.CSS_SELECTOR, "ol.sentences > li.sentence")
    quotes = [s.find_element(By.TAG_NAME, "blockquote").text for s in sentences]
    assert quotes == [q for _, _, q in sentence_graphs(oxi_store)]
    thirteen = browser.find_element(By.ID, "sentence-13")
    subjects = {e.text for e in thirteen.find_elements(By.CSS_SELECTOR, "li.line .subject a")}
    assert set(STATES) <= subjects
    members = [e.text for e in thirteen.find_elements(By.CSS_SELECTOR, "li.line")
               if " — member of — " in e.text]
    assert sorted(m.split(" — ")[0] for m in members) == sorted(STATES)


@pytest.mark.live
@pytest.mark.browser
def test_a_footnote_on_morocco_lands_on_its_sentence(live_server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(live_server.url + "page/morocco?lang=en")
    note = next(li for li in browser.find_elements(By.CSS_SELECTOR, "ol.footnotes li")
                if "Il regroupe les dix pays" in li.text)
    note.find_element(By.CSS_SELECTOR, ".cite a").click()
    WebDriverWait(browser, 20).until(ready.url_contains("/read/article"))
    assert browser.current_url.endswith("#sentence-13")
    target = browser.execute_script("return document.querySelector(':target')")
    assert target.get_attribute("id") == "sentence-13"
    assert "Il regroupe les dix pays" in target.find_element(By.TAG_NAME, "blockquote").text
    # The sentence is on screen: the browser scrolled to it.
    top = browser.execute_script("return arguments[0].getBoundingClientRect().top", target)
    assert 0 <= top < browser.execute_script("return window.innerHeight")


@pytest.mark.live
@pytest.mark.browser
def test_the_arabic_view_keeps_the_quotes_french_and_left_to_right(live_server, browser, tmp_path):
    from selenium.webdriver.common.by import By

    browser.get(live_server.url + "read/article?lang=ar")
    page = browser.find_element(By.TAG_NAME, "h1")
    assert browser.execute_script("return getComputedStyle(arguments[0]).direction", page) == "rtl"
    quotes = browser.find_elements(By.CSS_SELECTOR, "blockquote.quote")
    assert len(quotes) == 14
    for quote in quotes:
        assert quote.get_attribute("lang") == "fr"
        assert browser.execute_script("return getComputedStyle(arguments[0]).direction", quote) == "ltr"
    assert "الدول" in browser.find_element(By.ID, "sentence-13").text or "المغرب" in \
        browser.find_element(By.ID, "sentence-13").text
    for lang in ("ar", "fr"):
        browser.get(live_server.url + f"read/article?lang={lang}")
        shot = tmp_path / f"reading-{lang}.png"
        assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
