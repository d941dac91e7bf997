"""The query page's other views of an answer, in headless Chromium against a live server: a graph
of a CONSTRUCT, DESCRIBE or two-IRI-column SELECT answer, a timeline of dates, and the tabs that
switch between them and the table. What the views must show is asked of the endpoint itself."""

from __future__ import annotations

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from server.sparql import examples
from tests.browser import chromium

pytestmark = [pytest.mark.live, pytest.mark.browser]

ISOLATES = dict.fromkeys(map(ord, "\u2068\u2069"))
CANONICAL = "https://w3id.org/dialogue55/"

# What the graph view drew: its nodes (IRI, label, link) and edges (from, to, label), as the DOM has them.
GRAPH = """
const text = e => e.textContent;
const svg = document.querySelector('#view-graph svg.graph-view');
if (!svg) return null;
return {
  nodes: [...svg.querySelectorAll('.graph-node')].map(n => ({key: n.dataset.key,
    label: text(n.querySelector('text')), href: n.getAttribute('href')})),
  edges: [...svg.querySelectorAll('.graph-edge')].map((e, i) => ({from: e.dataset.from, to: e.dataset.to,
    label: [...svg.querySelectorAll('.graph-edge-label')[i].querySelectorAll('tspan')].map(text).join(', ')})),
};"""

TIMELINE = """
const svg = document.querySelector('#view-timeline svg.timeline-view');
if (!svg) return null;
return [...svg.querySelectorAll('.timeline-item')].map(item => ({dates: item.dataset.dates,
  what: (item.querySelector('.timeline-what') || {textContent: ''}).textContent,
  x: item.querySelector('circle').getBoundingClientRect().x}));"""


@pytest.fixture(scope="module")
def browser():
    with chromium("--window-size=1200,1400", console_log=True) as driver:
        yield driver


def wait(driver, condition, seconds=30):
    return WebDriverWait(driver, seconds, poll_frequency=0.05).until(lambda d: condition(d))


def run_text(driver, query: str) -> None:
    editor = driver.find_element(By.ID, "query")
    driver.execute_script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'))",
                          editor, query)
    editor.send_keys(Keys.CONTROL, Keys.ENTER)


def select_json(server, query: str) -> dict:
    return requests.post(server.url + "sparql", data={"query": query},
                         headers={"Accept": "application/sparql-results+json"}, timeout=30).json()


def labels(server, iris, lang="en") -> dict[str, str]:
    """The label of each IRI in ``lang`` (else English, French, untagged), asked of the endpoint."""
    values = " ".join(f"<{iri}>" for iri in iris)
    answer = select_json(server, f"SELECT ?iri ?label WHERE {{ VALUES ?iri {{ {values} }} ?iri rdfs:label|skos:prefLabel ?label }}")
    order = [lang, "en", "fr", ""]
    best: dict[str, tuple[int, str]] = {}
    for b in answer["results"]["bindings"]:
        tag = b["label"].get("xml:lang", "")
        rank = order.index(tag) if tag in order else len(order)
        if b["iri"]["value"] not in best or rank < best[b["iri"]["value"]][0]:
            best[b["iri"]["value"]] = (rank, b["label"]["value"])
    return {iri: text for iri, (rank, text) in best.items()}


def tabs(driver) -> list[str]:
    return [t.get_attribute("id").removeprefix("view-tab-") for t in driver.find_elements(By.CSS_SELECTOR, "#view-tabs [role=tab]")]


def open_view(driver, name: str) -> None:
    tab = wait(driver, lambda d: d.find_elements(By.ID, f"view-tab-{name}"))[0]
    tab.click()
    wait(driver, lambda d: d.find_element(By.ID, f"view-{name}").is_displayed())


def cut(label: str, width: int = 28) -> str:
    """A label as a node shows it: past ``width`` characters, cut with an ellipsis."""
    return label[:width - 1] + "…" if len(label) > width else label


def graph(driver, labelled: dict[str, str]) -> dict:
    """The drawn graph, once every labelled node reads its label (labels come by a second query)."""
    def ready(d):
        g = d.execute_script(GRAPH)
        if not g:
            return None
        for node in g["nodes"]:
            node["label"] = node["label"].translate(ISOLATES)
        for edge in g["edges"]:
            edge["label"] = edge["label"].translate(ISOLATES)
        return g if all(n["label"] == cut(labelled[n["key"]]) for n in g["nodes"] if n["key"] in labelled) else None
    return wait(driver, ready)


def severe_console_messages(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser")
            if e["level"] == "SEVERE" and "/favicon.ico" not in e["message"]]


def test_a_construct_answer_is_drawn_as_a_graph_with_labelled_nodes_and_edges(browser, live_server):
    ns = live_server.url + "id/"
    member_of = live_server.url + "ontology#memberOf"
    query = (f"CONSTRUCT {{ ?state <{member_of}> ?forum }} WHERE {{ BIND(<{ns}dialogue-5-5> AS ?forum) "
             f"?state <{member_of}> ?forum }}")
    states = [b["s"]["value"] for b in select_json(
        live_server, f"SELECT ?s WHERE {{ ?s <{member_of}> <{ns}dialogue-5-5> }}")["results"]["bindings"]]
    assert len(states) >= 2
    names = labels(live_server, states + [ns + "dialogue-5-5", member_of])
    browser.get_log("browser")
    browser.get(live_server.url + "sparql?lang=en")
    run_text(browser, query)
    wait(browser, lambda d: tabs(d) == ["table", "graph"])
    open_view(browser, "graph")
    drawn = graph(browser, names)
    assert sorted(n["key"] for n in drawn["nodes"]) == sorted(states + [ns + "dialogue-5-5"])
    assert {n["label"] for n in drawn["nodes"]} == {cut(names[iri]) for iri in states + [ns + "dialogue-5-5"]}
    # One arrow from each state to the forum, named by the predicate's label.
    assert sorted((e["from"], e["to"]) for e in drawn["edges"]) == sorted((s, ns + "dialogue-5-5") for s in states)
    assert {e["label"] for e in drawn["edges"]} == {names[member_of]}
    # Nodes link to our pages, as the table's cells do.
    forum = next(n for n in drawn["nodes"] if n["key"] == ns + "dialogue-5-5")
    assert forum["href"] == "/id/dialogue-5-5"
    caption = browser.find_element(By.CSS_SELECTOR, "#view-graph figcaption").text
    assert caption == f"{len(states) + 1} nodes · {len(states)} links"
    assert severe_console_messages(browser) == []


def test_a_select_with_two_iri_columns_is_a_graph_from_the_first_to_the_second(browser, live_server):
    query = ("SELECT ?conference ?org WHERE { ?conference d55o:announcedParticipant/d55o:representedOrganization ?org }")
    rows = select_json(live_server, query)["results"]["bindings"]
    pairs = sorted({(r["conference"]["value"], r["org"]["value"]) for r in rows})
    assert len(pairs) >= 2
    iris = {iri for pair in pairs for iri in pair}
    names = labels(live_server, iris, "fr")
    browser.get(live_server.url + "sparql?lang=fr")
    run_text(browser, query)
    open_view(browser, "graph")
    drawn = graph(browser, names)
    assert sorted((e["from"], e["to"]) for e in drawn["edges"]) == pairs
    # No predicate column: the link is named by the target's column.
    assert {e["label"] for e in drawn["edges"]} == {"?org"}
    assert {n["label"] for n in drawn["nodes"]} == {cut(names[iri]) for iri in iris}
    assert browser.find_element(By.CSS_SELECTOR, "#view-graph figcaption").text == \
        f"{len(iris)} nœuds · {len(pairs)} liens"


def test_a_graph_past_its_limit_says_how_much_it_left_out(browser, live_server):
    query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(isIRI(?o) || isBlank(?o)) }"
    answer = requests.post(live_server.url + "sparql", data={"query": query},
                           headers={"Accept": "application/n-triples"}, timeout=30).text
    nodes = set()
    for line in filter(str.strip, answer.splitlines()):
        subject, _, rest = line.partition(" ")
        obj = rest.partition(" ")[2].rstrip(" .")
        nodes.update((subject, obj))
    assert len(nodes) > 300, "the data is too small to pass the graph's limit"
    browser.get(live_server.url + "sparql?lang=en")
    run_text(browser, query)
    open_view(browser, "graph")
    notice = wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, "#view-graph .view-notice"))
    assert notice.is_displayed() and notice.text == f"300 nodes of {len(nodes)} are drawn; the table has them all."
    assert len(browser.find_elements(By.CSS_SELECTOR, "#view-graph .graph-node")) == 300


def test_dates_are_placed_on_a_timeline_with_their_row_s_label(browser, live_server):
    example = next(e for e in examples.load(namespace=CANONICAL, published=live_server.url)
                   if e.name == "04-conference-place-and-dates")
    row = select_json(live_server, example.query)["results"]["bindings"][0]
    place = labels(live_server, [row["place"]["value"]])[row["place"]["value"]]
    browser.get(live_server.url + "sparql?lang=en")
    run_text(browser, example.body)
    wait(browser, lambda d: tabs(d) == ["table", "timeline"])
    open_view(browser, "timeline")
    items = wait(browser, lambda d: (lambda t: t if t and t[0]["what"].translate(ISOLATES) == place else None)(
        d.execute_script(TIMELINE)))
    # One row, a start and an end: one item spanning both dates, labelled by the row's resource.
    assert [i["dates"] for i in items] == [f"{row['start']['value']} {row['end']['value']}"]
    label = browser.find_element(By.CSS_SELECTOR, "#view-timeline .timeline-label").text
    assert label.translate(ISOLATES).startswith(place + " (") and "March" in label and "2020" in label
    assert browser.find_element(By.CSS_SELECTOR, "#view-timeline .timeline-span").is_displayed()


def test_every_date_of_the_data_is_on_the_timeline_in_time_order(browser, live_server):
    query = ("SELECT ?thing ?date WHERE { ?thing ?p ?date "
             "FILTER(datatype(?date) IN (xsd:date, xsd:dateTime, xsd:gYear, xsd:gYearMonth)) }")
    rows = select_json(live_server, query)["results"]["bindings"]
    assert {r["date"]["datatype"].rsplit("#")[1] for r in rows} >= {"date", "gYear", "gYearMonth"}
    for lang in ("en", "ar"):
        browser.get(live_server.url + f"sparql?lang={lang}")
        run_text(browser, query)
        open_view(browser, "timeline")
        items = wait(browser, lambda d: d.execute_script(TIMELINE))
        assert sorted(i["dates"] for i in items) == sorted(r["date"]["value"] for r in rows)
        by_date = sorted(items, key=lambda i: i["dates"][:10])
        first, last = by_date[0], by_date[-1]
        assert first["dates"][:4] < last["dates"][:4]
        # Time runs in the page's direction: left to right, and right to left in Arabic.
        assert (first["x"] < last["x"]) if lang == "en" else (first["x"] > last["x"])


def test_the_tabs_offer_only_the_views_that_apply_and_work_by_keyboard(browser, live_server):
    browser.get(live_server.url + "sparql?lang=en")
    run_text(browser, "SELECT ?n WHERE { VALUES ?n { 1 2 3 } }")
    wait(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#results tbody tr")) == 3)
    assert tabs(browser) == [] and browser.find_element(By.ID, "results").get_attribute("role") is None
    run_text(browser, "DESCRIBE d55:8th-ministerial-conference")
    wait(browser, lambda d: tabs(d) == ["table", "graph", "timeline"])
    tablist = browser.find_element(By.ID, "view-tabs")
    assert tablist.get_attribute("role") == "tablist" and tablist.get_attribute("aria-label") == "Views of the answer"
    table_tab = browser.find_element(By.ID, "view-tab-table")
    assert table_tab.get_attribute("aria-selected") == "true" and table_tab.get_attribute("tabindex") == "0"
    assert browser.find_element(By.ID, "view-tab-graph").get_attribute("tabindex") == "-1"
    table_tab.send_keys(Keys.ARROW_RIGHT)
    graph_tab = browser.switch_to.active_element
    assert graph_tab.get_attribute("id") == "view-tab-graph" and graph_tab.get_attribute("aria-selected") == "true"
    assert browser.find_element(By.ID, "view-graph").is_displayed()
    assert not browser.find_element(By.ID, "results").is_displayed()
    assert browser.find_element(By.ID, "view-graph").get_attribute("aria-labelledby") == "view-tab-graph"
    # The time, the count and the downloads stay in view whichever view is shown.
    assert browser.find_element(By.ID, "status").text.endswith(" ms")
    assert browser.find_element(By.ID, "downloads").is_displayed()
    graph_tab.send_keys(Keys.END)
    assert browser.switch_to.active_element.get_attribute("id") == "view-tab-timeline"
    assert browser.find_element(By.ID, "view-timeline").is_displayed()
    browser.switch_to.active_element.send_keys(Keys.ARROW_RIGHT)  # wraps around
    assert browser.switch_to.active_element.get_attribute("id") == "view-tab-table"
    assert browser.find_element(By.ID, "results").is_displayed()
    assert not browser.find_element(By.ID, "view-timeline").is_displayed()
    # A new answer starts again from its table, with its own tabs.
    run_text(browser, "SELECT ?s WHERE { ?s a d55o:State } LIMIT 2")
    wait(browser, lambda d: tabs(d) == [] and len(d.find_elements(By.CSS_SELECTOR, ".view-panel")) == 0)


def test_in_arabic_the_tabs_read_right_to_left_and_the_graph_s_labels_are_arabic(browser, live_server):
    browser.get(live_server.url + "sparql?lang=ar")
    run_text(browser, "DESCRIBE d55:8th-ministerial-conference")
    table_tab = wait(browser, lambda d: d.find_elements(By.ID, "view-tab-table"))[0]
    graph_tab = browser.find_element(By.ID, "view-tab-graph")
    assert [t.text for t in browser.find_elements(By.CSS_SELECTOR, "#view-tabs [role=tab]")] == ["جدول", "مخطط بيانات", "خط زمني"]
    assert graph_tab.rect["x"] < table_tab.rect["x"]  # the first tab is on the right
    table_tab.send_keys(Keys.ARROW_LEFT)  # left is forward in a right-to-left page
    assert browser.switch_to.active_element.get_attribute("id") == "view-tab-graph"
    conference = live_server.url + "id/8th-ministerial-conference"
    name = labels(live_server, [conference], "ar")[conference]
    drawn = graph(browser, {conference: name})
    assert any("\u0600" <= ch <= "\u06ff" for ch in next(n["label"] for n in drawn["nodes"] if n["key"] == conference))


def test_the_date_parser_reads_every_xsd_date_form(browser, live_server):
    browser.get(live_server.url + "sparql")
    cases = {"1990": [1990, 0, 1], "2018-12": [2018, 11, 1], "2020-03-01": [2020, 2, 1],
             "2020-03-01T10:30:00Z": [2020, 2, 1, 10, 30], "2020-03-01T10:30:00+02:00": [2020, 2, 1, 8, 30],
             "-0044-03-15": None}
    for text, parts in cases.items():
        got = browser.execute_script("return D55Views.parseDate(arguments[0])", text)
        if parts:
            assert got == browser.execute_script("return Date.UTC(...arguments[0])", parts), text
        else:
            assert got == browser.execute_script("const d = new Date(0); d.setUTCFullYear(-44, 2, 15); return d.getTime()")
    assert browser.execute_script("return D55Views.parseDate('March 2020')") is None
