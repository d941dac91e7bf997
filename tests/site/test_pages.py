"""Pages for people, checked by parsing the HTML: languages, labels, evidence, JSON-LD, safety, paging.

Most tests read the live server; those that need other data (a hub with
hundreds of members, hostile labels) build their own app over a temporary
folder and use the Flask test client.
"""

from __future__ import annotations

import json
import re

import html5rdf
import pytest

from server import create_app


def parse_html(text: str):
    """The page as an ElementTree; html5lib's strict mode fails on any HTML parse error."""
    return html5rdf.HTMLParser(strict=True, namespaceHTMLElements=False).parse(text)


def text_of(element) -> str:
    return "".join(element.itertext()).strip()


@pytest.mark.live
@pytest.mark.parametrize("path", ["", "page/morocco", "page/dialogue-5-5", "page/8th-ministerial-conference",
                                  "page/article", "page/migration-question", "ontology", "graph/sentence-06.html", "read/article",
                                  "search?q=union", "id/nothing-here"])
@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
def test_every_page_is_valid_html_in_every_language(live_server, path, lang):
    response = live_server.get(path + ("&" if "?" in path else "?") + f"lang={lang}",
                               headers={"Accept": "text/html"})
    assert response.status_code in (200, 404)
    tree = parse_html(response.text)
    assert tree.get("lang") == lang
    assert tree.get("dir") == ("rtl" if lang == "ar" else "ltr")


@pytest.mark.live
@pytest.mark.parametrize("query, header, lang, title", [
    ("?lang=en", None, "en", "Morocco"),
    ("?lang=fr", None, "fr", "Maroc"),
    ("?lang=ar", None, "ar", "المغرب"),
    ("", "fr-FR,fr;q=0.9,en;q=0.5", "fr", "Maroc"),
    ("", "ar", "ar", "المغرب"),
    ("", "de", "en", "Morocco"),
    ("?lang=en", "ar", "en", "Morocco"),
])
def test_the_language_comes_from_lang_then_accept_language(live_server, query, header, lang, title):
    headers = {"Accept-Language": header} if header else {}
    response = live_server.get("page/morocco" + query, headers=headers)
    tree = parse_html(response.text)
    assert response.headers["Content-Language"] == lang
    assert "Accept-Language" in response.headers["Vary"]
    assert text_of(tree.find(".//h1")) == title
    assert tree.find(".//nav[@class='languages']/a[@aria-current='true']").get("hreflang") == lang


@pytest.mark.live
def test_labels_fall_back_along_the_fixed_chain(live_server):
    # A theme has no Arabic label: English comes next, and is marked as English.
    # Every resource of ours has an Arabic label; the article's language (a Library of Congress IRI) has
    # none: English comes next, and is marked as English.
    tree = parse_html(live_server.get("page/shared-responsibility?lang=ar").text)
    assert text_of(tree.find(".//h1")) == "المسؤولية المشتركة" and tree.find(".//h1").get("lang") in (None, "ar")
    tree = parse_html(live_server.get("page/article?lang=ar").text)
    language = tree.find(".//a[@href='http://id.loc.gov/vocabulary/iso639-1/fr']")
    assert text_of(language) == "French" and language.get("lang") == "en"
    # The UI itself is in Arabic.
    assert tree.find(".//main//h2").text.strip().startswith("البيانات")


@pytest.mark.live
def test_the_property_table_links_properties_to_the_ontology_and_values_to_pages(live_server):
    tree = parse_html(live_server.get("page/morocco?lang=en").text)
    rows = {text_of(tr.find("th")): tr for tr in tree.iterfind(".//section[@class='statements']//tbody/tr")}
    assert rows["member of"].find("th/a").get("href") == "/ontology?lang=en#memberOf"
    value = rows["member of"].find("td//a")
    assert value.get("href") == "/page/dialogue-5-5?lang=en" and value.text == "5+5 Dialogue"
    same_as = tree.find(".//section[@class='same-as']//a")
    assert same_as.get("href") == "https://www.wikidata.org/wiki/Q1028"
    assert "Q1028" in text_of(tree.find(".//section[@class='same-as']"))


@pytest.mark.live
def test_incoming_links_are_listed(live_server):
    tree = parse_html(live_server.get("page/morocco?lang=en").text)
    incoming = tree.find(".//section[@class='incoming']")
    assert "presided by" in text_of(incoming)
    hrefs = {a.get("href") for a in incoming.iter("a")}
    assert "/page/8th-ministerial-conference?lang=en" in hrefs


@pytest.mark.live
def test_each_fact_has_a_footnote_quoting_its_sentence_and_source(live_server):
    tree = parse_html(live_server.get("page/morocco").text)
    footnotes = {li.get("id"): li for li in tree.iterfind(".//ol[@class='footnotes']/li")}
    refs = [a.get("href").lstrip("#") for a in tree.iterfind(".//sup[@class='fn']/a")]
    assert refs and set(refs) <= set(footnotes)
    quotes = [text_of(q) for li in footnotes.values() for q in li.iter("blockquote")]
    assert any(q.startswith("Il regroupe les dix pays") for q in quotes)
    assert all(q.get("lang") == "fr" for li in footnotes.values() for q in li.iter("blockquote"))
    sources = {a.get("href") for li in footnotes.values() for a in li.iter("a")}
    assert "http://article19.ma/accueil/archives/124459" in sources
    # The memberOf fact points at the footnote of sentence 13.
    member_row = next(tr for tr in tree.iterfind(".//section[@class='statements']//tbody/tr")
                      if "member of" in text_of(tr.find("th")))
    note = member_row.find(".//sup/a").get("href").lstrip("#")
    assert "Il regroupe les dix pays" in text_of(footnotes[note])


@pytest.mark.live
def test_embedded_json_ld_is_schema_org_naming_wikidata(live_server):
    tree = parse_html(live_server.get("page/morocco").text)
    scripts = tree.findall(".//script")
    assert [s.get("type") for s in scripts] == ["application/ld+json"]
    data = json.loads(scripts[0].text)
    # The context is inline since issue 14 (readable offline): schema.org is its vocabulary.
    assert data["@context"]["@vocab"] == "https://schema.org/" and data["@type"] == "Country"
    assert data["sameAs"] == ["http://www.wikidata.org/entity/Q1028"]
    conference = json.loads(parse_html(live_server.get("page/8th-ministerial-conference").text)
                            .find(".//script").text)
    assert conference["@type"] == "Event" and conference["startDate"] == "2020-03-01"
    assert conference["location"]["sameAs"] == ["http://www.wikidata.org/entity/Q101625"]
    # The article announces participants (« connaîtra la participation »); it attests no attendee.
    assert "attendee" not in conference


@pytest.mark.live
@pytest.mark.parametrize("slug, caption, spokes", [("dialogue-5-5", "Members", 10)])
def test_hub_pages_draw_a_diagram(live_server, slug, caption, spokes):
    tree = parse_html(live_server.get(f"page/{slug}?lang=en").text)
    figure = tree.find(".//figure[@class='diagram']")
    assert text_of(figure.find("figcaption")).startswith(caption)
    assert len(figure.findall(".//{http://www.w3.org/2000/svg}a")) == spokes


@pytest.mark.live
def test_html_has_a_strict_csp_and_nosniff(live_server):
    for path in ("", "page/morocco", "ontology", "search?q=x", "id/nothing"):
        response = live_server.get(path, headers={"Accept": "text/html"})
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert live_server.get("data/morocco.ttl").headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.live
def test_the_page_shows_the_sparql_query_that_reproduces_it(live_server):
    tree = parse_html(live_server.get("page/morocco").text)
    query = tree.find(".//section[@class='reproduce']//code").text
    response = live_server.get("sparql", params={"query": query},
                               headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200
    rows = response.json()["results"]["bindings"]
    outgoing = {(r["property"]["value"], r["value"]["value"]) for r in rows if r["direction"]["value"] == "outgoing"}
    shown = tree.find(".//section[@class='statements']/h2").findtext("small")
    assert f"({len(outgoing)} in all)" == shown
    assert any("sentence" in r and "Il regroupe" in r["sentence"]["value"] for r in rows)


@pytest.mark.live
def test_the_home_page_leads_into_the_graph(live_server):
    tree = parse_html(live_server.get("?lang=en").text)
    hrefs = {a.get("href") for a in tree.iter("a")}
    for path in ("/page/dialogue-5-5?lang=en", "/page/8th-ministerial-conference?lang=en", "/page/morocco?lang=en",
                 "/page/iom?lang=en", "/page/migration-question?lang=en", "/ontology?lang=en", "/sparql",
                 "/dump.trig", "/dump.nq", "/.well-known/void"):
        assert path in hrefs, path


@pytest.mark.live
@pytest.mark.parametrize("q, slug", [("algerie", "algeria"), ("ALGÉRIE", "algeria"), ("مراكش", "marrakesh"),
                                     ("marrakech", "marrakesh"), ("oim", "iom"), ("pacte mondial", "global-compact-for-migration")])
def test_search_folds_accents_and_case_in_every_language(live_server, q, slug):
    results = live_server.get("search", params={"q": q, "format": "json"}).json()["results"]
    assert slug in [r["iri"].rsplit("/", 1)[-1] for r in results]
    page = parse_html(live_server.get("search", params={"q": q}, headers={"Accept": "text/html"}).text)
    assert any(a.get("href", "").startswith(f"/page/{slug}") for a in page.iter("a"))


# --- other data: a hub, and hostile labels --------------------------------

HUB = """@prefix d55: <https://w3id.org/dialogue55/id/> .
@prefix d55o: <https://w3id.org/dialogue55/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
d55:big-forum a d55o:Forum ; rdfs:label "Big </script><script>alert(1)</script> forum"@en .
"""


@pytest.fixture(scope="module")
def hub_client(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hub")
    members = "".join(f"d55:state-{i} d55o:memberOf d55:big-forum ; rdfs:label \"State {i}\"@en .\n"
                      for i in range(250))
    (folder / "hub.ttl").write_text(HUB + members, encoding="utf-8")
    app = create_app({"data": (folder,), "page_size": 100})
    yield app.test_client()
    app.extensions["dialogue55"].close()


def test_large_incoming_sets_are_paged_with_their_count(hub_client):
    # 250 memberships, each also in the derived Wikidata view: wdt:P463 and its statement node's ps:P463.
    tree = parse_html(hub_client.get("/page/big-forum?lang=en").get_data(as_text=True))
    incoming = tree.find(".//section[@class='incoming']")
    assert "(750 in all)" in text_of(incoming.find("h2"))
    assert len(incoming.findall(".//td//li")) == 100
    assert incoming.find(".//a[@rel='next']").get("href") == "/page/big-forum?lang=en&in=2"
    last = parse_html(hub_client.get("/page/big-forum?lang=en&in=8").get_data(as_text=True))
    assert len(last.find(".//section[@class='incoming']").findall(".//td//li")) == 50
    assert hub_client.get("/page/big-forum?in=9").status_code == 404
    figure = tree.find(".//figure[@class='diagram']")
    assert len(figure.findall(".//{http://www.w3.org/2000/svg}a")) == 24 and "76 more" in text_of(figure.find("figcaption"))


def test_large_descriptions_are_paged_in_rdf_too(hub_client):
    first = hub_client.get("/data/big-forum.nt")
    members = [line for line in first.get_data(as_text=True).splitlines()
               if line.split(" ")[1:2] == ["<https://w3id.org/dialogue55/ontology#memberOf>"]]
    assert len(members) == 100
    assert '</data/big-forum.nt?in=2>; rel="next"' in first.headers["Link"]
    second = hub_client.get("/data/big-forum.nt?in=2").get_data(as_text=True)
    assert not set(members) & set(second.splitlines())


def test_data_can_never_close_the_script_or_inject_markup(hub_client):
    body = hub_client.get("/page/big-forum").get_data(as_text=True)
    assert "<script>alert" not in body
    tree = parse_html(body)
    assert [s.get("type") for s in tree.iter("script")] == ["application/ld+json"]
    assert "<script>alert(1)" in json.loads(tree.find(".//script").text)["name"]["@value"]  # intact, as data
    assert re.search(r"&lt;/script&gt;", body)  # shown as text in the property table


def test_an_arabic_page_names_every_property_in_arabic(client):
    """Our terms carry Arabic labels, the other vocabularies' terms an Arabic name: no heading is left in English."""
    tree = parse_html(client.get("/page/morocco?lang=ar", headers={"Accept": "text/html"}).get_data(as_text=True))
    headings = [text_of(th) for th in tree.iterfind(".//section[@class='statements']//tbody/tr/th")]
    assert headings and "عضو في" in headings and "النوع" in headings
    assert all(re.search(r"[\u0600-\u06ff]", heading) for heading in headings), headings
