"""The article, annotated: its sentences in order from the provenance quotes, each with its graph's statements."""

from __future__ import annotations

import re

import pytest

from tests.dataset.test_competency import STATE_LABELS
from tests.site.test_pages import parse_html, text_of

BLOCKQUOTE = ".//ol[@class='sentences']/li"


@pytest.fixture(scope="module")
def quotes(oxi_store):
    from tests.conftest import rows
    found = rows(oxi_store, "SELECT ?rank ?quote WHERE { ?g a <https://w3id.org/dialogue55/ontology#SentenceGraph> ; "
                            "<https://w3id.org/dialogue55/ontology#sentenceOrdinal> ?rank ; "
                            "<http://www.w3.org/ns/prov#value> ?quote }")
    return [quote for _, quote in sorted((int(rank), quote) for rank, quote in found)]


def reading(client, lang: str = "en"):
    response = client.get(f"/read/article?lang={lang}", headers={"Accept": "text/html"})
    assert response.status_code == 200
    return parse_html(response.get_data(as_text=True))


def sentence(tree, rank: int):
    return tree.find(f".//li[@id='sentence-{rank:02d}']")


def test_every_sentence_graph_is_in_the_view_in_order_with_its_quote(client, quotes):
    items = reading(client).findall(BLOCKQUOTE)
    assert [item.get("id") for item in items] == [f"sentence-{n:02d}" for n in range(1, len(quotes) + 1)]
    shown = [re.sub(r"^\d+ ", "", text_of(item.find("blockquote"))) for item in items]
    assert shown == [re.sub(r"\s+", " ", q) for q in quotes]


def test_sentence_13_names_the_ten_member_states(client):
    lines = [text_of(li) for li in sentence(reading(client, "fr"), 13).iterfind(".//ul[@class='lines']/li")]
    members = {line.split(" — ")[0] for line in lines if " — membre de — " in line}
    assert members == set(STATE_LABELS.values())


def test_moods_and_repetitions_are_marked(client):
    tree = reading(client)
    announced = sentence(tree, 6).findall(".//li[@class='mood-announced']")
    assert len(announced) == 2 and all("announced" in text_of(li) for li in announced)
    assert len(sentence(tree, 10).findall(".//li[@class='mood-conditional']")) == 3
    assert len(sentence(tree, 11).findall(".//li[@class='mood-possible']")) == 5
    presided = [li for li in sentence(tree, 1).iterfind(".//ul[@class='lines']/li") if "presided by" in text_of(li)]
    assert presided and "also stated by sentence 2, 4" in text_of(presided[0])


def test_what_is_not_from_the_text_is_listed_after_it_with_its_origin(client):
    others = reading(client).find(".//section[@class='others']")
    text = text_of(others)
    assert "Wikidata view (derived)" in text and "Editorial inferences" in text
    derived = [li for li in others.iterfind("./ul/li") if "by state" in text_of(li)]
    assert derived and "Sentence 6" in text_of(derived[0]) and "Sentence 13" in text_of(derived[0])


def test_the_summary_counts_statements_and_sentences(client):
    summary = text_of(reading(client).find(".//p[@class='summary']"))
    assert re.match(r"\d+ statements from 14 sentences \(0 state nothing in the graph\); \d+ editorial and \d+ "
                    r"derived statements", summary), summary


def test_the_arabic_view_keeps_the_quotes_in_french_left_to_right(client):
    tree = reading(client, "ar")
    assert tree.get("dir") == "rtl"
    for quote in tree.iterfind(".//blockquote"):
        assert quote.get("lang") == "fr" and quote.get("dir") == "ltr"
    assert "المقال مشروحًا" in text_of(tree.find(".//title"))


def test_a_sentence_graph_asked_for_html_is_read_in_its_text(client):
    response = client.get("/graph/sentence-13", headers={"Accept": "text/html"})
    assert response.status_code == 303 and response.headers["Location"] == "/read/article#sentence-13"
    assert client.get("/graph/sentence-13?lang=ar").headers["Location"] == "/read/article?lang=ar#sentence-13"
    table = client.get("/graph/sentence-13.html")
    assert table.status_code == 200 and "<table" in table.get_data(as_text=True)
    turtle = client.get("/graph/sentence-13", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200 and turtle.content_type.startswith("text/turtle")
    assert client.get("/graph/labels", headers={"Accept": "text/html"}).status_code == 200


def test_footnotes_of_a_resource_page_link_to_their_sentence(client):
    tree = parse_html(client.get("/page/morocco", headers={"Accept": "text/html"}).get_data(as_text=True))
    links = [a.get("href") for a in tree.iterfind(".//p[@class='read-in-text']/a")]
    assert "/read/article#sentence-13" in links and "/read/article#sentence-04" in links


def test_the_home_page_lists_a_reading_view_per_source_and_void_names_the_source(client):
    home = parse_html(client.get("/", headers={"Accept": "text/html"}).get_data(as_text=True))
    assert [a.get("href") for a in home.iterfind(".//section[@class='readings']//a")] == ["/read/article"]
    void = client.get("/.well-known/void", headers={"Accept": "application/n-triples"}).get_data(as_text=True)
    assert "<http://purl.org/dc/terms/source> <http://article19.ma/accueil/archives/124459>" in void
    assert "no licence is claimed" in void


def test_a_resource_that_is_no_source_has_no_reading_view(client):
    assert client.get("/read/morocco", headers={"Accept": "text/html"}).status_code == 404
    assert client.get("/read/no-such-thing", headers={"Accept": "text/html"}).status_code == 404
