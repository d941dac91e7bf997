"""The query page at /sparql, in Debian's headless Chromium against a live server: pick an example,
run it, see its rows; errors with their position; shareable links; escaping; the truncation notice."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from server.http import i18n
from server.sparql import examples
from tests.browser import chromium
from tests.live import running_server

pytestmark = [pytest.mark.live, pytest.mark.browser]

CANONICAL = "https://w3id.org/dialogue55/"


@pytest.fixture(scope="module")
def browser():
    with chromium(console_log=True) as driver:
        yield driver


def wait(driver, condition, seconds=30):
    return WebDriverWait(driver, seconds, poll_frequency=0.05).until(lambda d: condition(d))


def result_rows(driver):
    return driver.find_elements(By.CSS_SELECTOR, "#results tbody tr")


def run_text(driver, query: str) -> None:
    """Replace the editor's text with ``query`` and run it with Ctrl+Enter."""
    editor = driver.find_element(By.ID, "query")
    driver.execute_script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'))",
                          editor, query)
    editor.send_keys(Keys.CONTROL, Keys.ENTER)


def severe_console_messages(driver) -> list[str]:
    """Script errors and CSP violations (the site's favicon is not this page's concern)."""
    return [entry["message"] for entry in driver.get_log("browser")
            if entry["level"] == "SEVERE" and "/favicon.ico" not in entry["message"]]


def test_pick_an_example_run_it_and_see_its_rows(browser, live_server):
    example = examples.load(namespace=CANONICAL, published=live_server.url)[0]
    expected = requests.post(live_server.url + "sparql", data={"query": example.query},
                             headers={"Accept": "application/sparql-results+json"}, timeout=30).json()
    browser.get(live_server.url + "sparql?lang=en")
    Select(browser.find_element(By.ID, "examples")).select_by_value(example.name)
    # The editor receives the query without its title lines (they are the picker's).
    assert browser.find_element(By.ID, "query").get_property("value") == example.body
    assert "# title@" not in example.body and example.body.strip()
    browser.find_element(By.ID, "run").click()
    wait(browser, lambda d: len(result_rows(d)) == len(expected["results"]["bindings"]) > 0)

    headings = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "#results thead th")]
    assert headings == expected["head"]["vars"]
    shown = {cell.text for cell in browser.find_elements(By.CSS_SELECTOR, "#results td")}
    for binding in expected["results"]["bindings"]:
        for term in binding.values():
            if term["type"] == "literal":
                assert term["value"] in " ".join(shown)
    status = browser.find_element(By.ID, "status").text
    assert status.startswith(f"{len(expected['results']['bindings'])} rows in ") and status.endswith(" ms")
    assert severe_console_messages(browser) == []


def test_the_wikidata_examples_are_a_second_group_and_auto_language_is_the_page_s(browser, live_server):
    browser.get(live_server.url + "sparql?lang=fr")
    group = browser.find_elements(By.CSS_SELECTOR, "#examples optgroup")[1]
    names = [option.get_attribute("value") for option in group.find_elements(By.TAG_NAME, "option")]
    assert "wikidata-09-member-states-labelled" in names and len(names) == len(examples.load(examples.WIKIDATA_FOLDER))
    run_text(browser, "SELECT ?state ?stateLabel WHERE { BIND(wd:Q262 AS ?state) "
                      "SERVICE wikibase:label { bd:serviceParam wikibase:language '[AUTO_LANGUAGE]'. } }")
    wait(browser, lambda d: len(result_rows(d)) == 1)
    wait(browser, lambda d: "Algérie" in d.find_element(By.CSS_SELECTOR, "#results tbody").text)


def test_iris_link_to_our_pages_with_labels_and_to_wikidata(browser, live_server):
    browser.get(live_server.url + "sparql?lang=en")
    run_text(browser, "SELECT ?state ?item WHERE { BIND(d55:morocco AS ?state) ?state owl:sameAs ?item }")
    wait(browser, lambda d: len(result_rows(d)) == 1)
    ours = browser.find_element(By.CSS_SELECTOR, "#results td:first-child a")
    assert ours.get_attribute("href") == live_server.url + "id/morocco"
    wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, "#results td:first-child a").text == "Morocco")
    wikidata = browser.find_element(By.CSS_SELECTOR, "#results a.wikidata")
    assert wikidata.get_attribute("href").startswith("https://www.wikidata.org/wiki/Q")


def test_a_wrong_query_shows_the_error_with_its_position(browser, live_server):
    browser.get(live_server.url + "sparql?lang=en")
    run_text(browser, "SELECT * WHERE {\n  ?s ?p\n}")
    error = wait(browser, lambda d: d.find_element(By.ID, "error") if d.find_element(By.ID, "error").is_displayed() else None)
    assert "Error at line 3" in error.text and "syntax error" in error.text
    assert browser.find_element(By.ID, "status").text.startswith("400")
    assert result_rows(browser) == []


def test_the_shareable_link_reruns_the_query(browser, live_server):
    query = "SELECT ?s WHERE { ?s a d55o:State } ORDER BY ?s LIMIT 4"
    browser.get(live_server.url + "sparql")
    run_text(browser, query)
    wait(browser, lambda d: len(result_rows(d)) == 4)
    link = browser.find_element(By.ID, "share").get_attribute("href")
    assert parse_qs(urlparse(link).query)["query"] == [query]
    browser.get(link)
    wait(browser, lambda d: len(result_rows(d)) == 4)
    assert browser.find_element(By.ID, "query").get_property("value") == query


def test_downloads_are_offered_in_every_format(browser, live_server):
    browser.get(live_server.url + "sparql")
    run_text(browser, "ASK { ?s ?p ?o }")
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#results .boolean"))
    links = browser.find_elements(By.CSS_SELECTOR, "#downloads a")
    assert [a.text for a in links] == ["json", "xml", "csv", "tsv"]
    for a in links:
        response = requests.get(a.get_attribute("href"), timeout=30)
        assert response.status_code == 200 and a.text in {"json", "xml", "csv", "tsv"}


def test_construct_results_are_shown_as_triples(browser, live_server):
    browser.get(live_server.url + "sparql")
    run_text(browser, "CONSTRUCT WHERE { d55:morocco a ?type }")
    wait(browser, lambda d: len(result_rows(d)) >= 1)
    headings = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "#results thead th")]
    assert headings == ["subject", "predicate", "object"]
    assert "ttl" in [a.text for a in browser.find_elements(By.CSS_SELECTOR, "#downloads a")]


def test_everything_shown_back_is_escaped(browser, live_server):
    browser.get(live_server.url + "sparql")
    payload = '<img src=x id=injected onerror="document.title=1"><b>bold</b>'
    run_text(browser, f"SELECT ?x WHERE {{ BIND('{payload}' AS ?x) }}")
    wait(browser, lambda d: len(result_rows(d)) == 1)
    assert browser.find_element(By.CSS_SELECTOR, "#results td").text == payload
    assert browser.find_elements(By.ID, "injected") == []
    assert browser.find_elements(By.CSS_SELECTOR, "#results b") == []


def test_a_cut_result_shows_a_visible_notice(browser):
    with running_server(env={"DIALOGUE55_MAX_RESULT_ROWS": "3"}) as server:
        browser.get(server.url + "sparql?lang=fr")
        run_text(browser, "SELECT ?s WHERE { ?s a d55o:State }")
        wait(browser, lambda d: len(result_rows(d)) == 3)
        notice = browser.find_element(By.ID, "truncated")
        assert notice.is_displayed() and "tronqué" in notice.text and "3" in notice.text


# --- the editor: text, caret and selection coincide; LTR; Tab; undo; brackets -------------------

TOKEN_OFFSET = """
const span = arguments[0];
let offset = 0;
for (const node of document.getElementById('highlight').childNodes) {
  if (node === span) return offset;
  offset += node.textContent.length;
}
return -1;"""

# The centre of the visible characters from..to of a token, relative to the textarea's centre
# (where selenium's offsets start).
TOKEN_POINT = """
const [span, from, to, area] = arguments;
const range = document.createRange();
range.setStart(span.firstChild, from);
range.setEnd(span.firstChild, to);
const r = range.getBoundingClientRect(), a = area.getBoundingClientRect();
return [Math.round(r.left + r.width / 2 - (a.left + a.width / 2)), Math.round(r.top + r.height / 2 - (a.top + a.height / 2))];"""


def selection(driver) -> tuple[int, int, str]:
    return tuple(driver.execute_script(
        "const t = document.getElementById('query');"
        "return [t.selectionStart, t.selectionEnd, t.value.slice(t.selectionStart, t.selectionEnd)]"))


@pytest.mark.parametrize("font", [None, "19px/1.9 serif"], ids=["page-font", "another-font"])
def test_a_double_click_on_a_visible_token_selects_exactly_that_token(browser, live_server, font):
    from selenium.webdriver.common.action_chains import ActionChains

    browser.get(live_server.url + "sparql?lang=en")
    if font:  # the editor's one font, changed: both layers must follow it
        browser.execute_script("document.querySelector('.editor').style.font = arguments[0]", font)
    Select(browser.find_element(By.ID, "examples")).select_by_value("04-conference-place-and-dates")
    editor = browser.find_element(By.ID, "query")
    # Wholly in view: selenium's offsets start at the centre of the element's visible part.
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", editor)
    wait(browser, lambda d: "?end" in [s.text for s in d.find_elements(By.CSS_SELECTOR, "#highlight .tok-variable")])
    for wanted, from_, expected in (("?end", 1, "end"), ("?start", 1, "start"), ("d55o:endDate", 5, "endDate")):
        span = next(s for s in browser.find_elements(By.CSS_SELECTOR, "#highlight span") if s.text == wanted)
        offset = browser.execute_script(TOKEN_OFFSET, span)
        x, y = browser.execute_script(TOKEN_POINT, span, from_, len(wanted), editor)
        ActionChains(browser).move_to_element_with_offset(editor, x, y).double_click().perform()
        assert selection(browser) == (offset + from_, offset + len(wanted), expected)


def test_the_query_is_left_to_right_in_the_arabic_page(browser, live_server):
    browser.get(live_server.url + "sparql?lang=ar")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("dir") == "rtl"
    for selector in ("#query", "#highlight", ".editor pre"):
        element = browser.find_element(By.CSS_SELECTOR, selector)
        assert browser.execute_script("return getComputedStyle(arguments[0]).direction", element) == "ltr"
    run_text(browser, "PREFIX x: <http://example.org/id/>\nSELECT * WHERE { ?s ?p ?o } LIMIT 1")
    keyword = browser.find_element(By.CSS_SELECTOR, "#highlight .tok-keyword")
    iri = browser.find_element(By.CSS_SELECTOR, "#highlight .tok-iri")
    assert keyword.text == "PREFIX" and keyword.rect["x"] < iri.rect["x"]
    area = browser.find_element(By.ID, "query").rect
    assert keyword.rect["x"] - area["x"] < 30  # the first line starts at the left edge


def test_tab_indents_shift_tab_outdents_escape_then_tab_leaves_and_undo_keeps_it_all(browser, live_server):
    browser.get(live_server.url + "sparql?lang=en")
    original = "SELECT * WHERE {\n?s ?p ?o\n}"
    editor = browser.find_element(By.ID, "query")
    browser.execute_script("arguments[0].value = arguments[1]; arguments[0].focus();"
                           "arguments[0].setSelectionRange(17, 17)", editor, original)
    editor.send_keys(Keys.TAB)
    assert editor.get_property("value") == "SELECT * WHERE {\n  ?s ?p ?o\n}"
    assert browser.switch_to.active_element == editor
    editor.send_keys(Keys.SHIFT, Keys.TAB)
    assert editor.get_property("value") == original
    editor.send_keys(Keys.CONTROL, "z")
    assert editor.get_property("value") == "SELECT * WHERE {\n  ?s ?p ?o\n}"
    editor.send_keys(Keys.CONTROL, "z")
    assert editor.get_property("value") == original
    editor.send_keys(Keys.CONTROL, Keys.SHIFT, "z")
    assert editor.get_property("value") == "SELECT * WHERE {\n  ?s ?p ?o\n}"
    editor.send_keys(Keys.ESCAPE, Keys.TAB)
    assert browser.switch_to.active_element != editor
    assert editor.get_property("value") == "SELECT * WHERE {\n  ?s ?p ?o\n}"


def test_picking_an_example_is_one_undo_step(browser, live_server):
    browser.get(live_server.url + "sparql?lang=en")
    editor = browser.find_element(By.ID, "query")
    before = editor.get_property("value")
    Select(browser.find_element(By.ID, "examples")).select_by_value("02-forum-inception")
    assert editor.get_property("value") != before
    editor.send_keys(Keys.CONTROL, "z")
    assert editor.get_property("value") == before


def test_the_bracket_at_the_caret_and_its_partner_are_marked(browser, live_server):
    browser.get(live_server.url + "sparql?lang=en")
    editor = browser.find_element(By.ID, "query")
    query = 'SELECT * WHERE { ?s ?p ?o FILTER(str(?o) != "}") }'
    browser.execute_script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));"
                           "arguments[0].focus(); arguments[0].setSelectionRange(16, 16)", editor, query)

    def marked(d):
        spans = d.find_elements(By.CSS_SELECTOR, "#highlight .tok-match")
        return [(d.execute_script(TOKEN_OFFSET, s), s.text) for s in spans]

    wait(browser, lambda d: marked(d) == [(15, "{"), (len(query) - 1, "}")])
    browser.execute_script("arguments[0].setSelectionRange(37, 37)", editor)  # after "str("
    wait(browser, lambda d: marked(d) == [(36, "("), (39, ")")])
    browser.execute_script("arguments[0].setSelectionRange(9, 9)", editor)  # no bracket near
    wait(browser, lambda d: marked(d) == [])


# --- three languages -----------------------------------------------------------------------------

@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_string_of_the_page_is_in_its_language(browser, live_server, lang):
    browser.get_log("browser")  # what earlier tests logged is theirs
    browser.get(live_server.url + f"sparql?lang={lang}")
    ui = i18n.strings(lang)
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang
    assert browser.find_element(By.TAG_NAME, "h1").text == ui["q_title"]
    assert browser.title.startswith(ui["q_title"])
    assert browser.find_element(By.CSS_SELECTOR, "label[for=examples]").text == ui["q_examples"]
    assert browser.find_element(By.CSS_SELECTOR, "#examples option[value='']").text == ui["q_pick"]
    groups = [g.get_attribute("label") for g in browser.find_elements(By.CSS_SELECTOR, "#examples optgroup")]
    assert groups == [ui["q_ours"], ui["q_wikidata"]]
    assert browser.find_element(By.ID, "run").text == ui["q_run"]
    assert browser.find_element(By.ID, "query").get_attribute("aria-label") == ui["query"]
    assert browser.find_element(By.CSS_SELECTOR, ".prefixes summary").text == ui["q_prefixes"]
    script = browser.execute_script("return JSON.parse(document.getElementById('query-texts').textContent)")
    assert script["lang"] == lang and script["labels"][0] == lang
    hint = browser.find_element(By.CSS_SELECTOR, ".hint").text
    assert hint.startswith(ui["q_hint"][:12]) and i18n.count("rows", lang, script["maxRows"]) in hint
    assert severe_console_messages(browser) == []


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_the_picker_shows_the_titles_in_the_page_s_language(browser, live_server, lang):
    browser.get(live_server.url + f"sparql?lang={lang}")
    found = examples.load(namespace=CANONICAL, published=live_server.url)
    shown = {o.get_attribute("value"): o.text for o in browser.find_elements(By.CSS_SELECTOR, "#examples optgroup option")}
    for example in found:
        assert shown[example.name] == example.titles[lang]
    Select(browser.find_element(By.ID, "examples")).select_by_value(found[3].name)
    loaded = browser.find_element(By.ID, "query").get_property("value")
    assert loaded == found[3].body and "title@" not in loaded


STATUS = {"en": r"^{rows} in \d+ ms$", "fr": r"^{rows} en \d+ ms$", "ar": r"^{rows} في \d+ مللي ثانية$"}


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
@pytest.mark.parametrize("limit, rows", [(10, {"en": "10 rows", "fr": "10 lignes", "ar": "10 صفوف"}),
                                         (1, {"en": "1 row", "fr": "1 ligne", "ar": "صف واحد"}),
                                         (2, {"en": "2 rows", "fr": "2 lignes", "ar": "صفّان"})])
def test_the_status_line_reads_in_each_language(browser, live_server, lang, limit, rows):
    import re

    browser.get(live_server.url + f"sparql?lang={lang}")
    run_text(browser, f"SELECT ?s WHERE {{ ?s a d55o:State }} LIMIT {limit}")
    wait(browser, lambda d: len(result_rows(d)) == limit)
    status = wait(browser, lambda d: d.find_element(By.ID, "status").text)
    assert re.match(STATUS[lang].replace("{rows}", rows[lang]), status), status


def test_the_arabic_page_shows_arabic_labels_and_asks_the_label_service_in_arabic(browser, live_server):
    browser.get_log("browser")
    browser.get(live_server.url + "sparql?lang=ar")
    run_text(browser, "SELECT ?s WHERE { BIND(d55:algeria AS ?s) }")
    wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, "#results td a").text == "الجزائر")
    run_text(browser, "SELECT ?state ?stateLabel WHERE { BIND(wd:Q262 AS ?state) "
                      "SERVICE wikibase:label { bd:serviceParam wikibase:language '[AUTO_LANGUAGE]'. } }")
    wait(browser, lambda d: len(result_rows(d)) == 1)
    assert "الجزائر" in browser.find_element(By.CSS_SELECTOR, "#results tbody td:nth-child(2)").text
    run_text(browser, "SELECT * WHERE {\n  ?s ?p\n}")
    error = wait(browser, lambda d: d.find_element(By.ID, "error") if d.find_element(By.ID, "error").is_displayed() else None)
    assert error.text.startswith("خطأ في السطر 3، العمود")
    # The wrong query's 400 is the only message: no script error, no CSP violation.
    assert [m for m in severe_console_messages(browser) if "status of 400" not in m] == []


# --- results people can work with: sort, filter, page ---------------------------------------------

def column(driver, index: int) -> list[str]:
    """The values of a column as shown (a literal's value without its language or datatype)."""
    return [(td.find_elements(By.TAG_NAME, "bdi") or [td])[0].text
            for td in driver.find_elements(By.CSS_SELECTOR, f"#results tbody td:nth-child({index})")]


def test_the_table_sorts_by_any_column_numbers_as_numbers(browser, live_server):
    browser.get(live_server.url + "sparql?lang=en")
    run_text(browser, "SELECT ?n ?word WHERE { VALUES (?n ?word) { (10 'b') (9 'c') (100 'a') } }")
    wait(browser, lambda d: len(result_rows(d)) == 3)
    # A literal is shown with its datatype (or language).
    assert browser.find_element(By.CSS_SELECTOR, "#results tbody td .datatype").text == "^^xsd:integer"
    headers = browser.find_elements(By.CSS_SELECTOR, "#results thead th")
    headers[0].find_element(By.TAG_NAME, "button").click()
    assert column(browser, 1) == ["9", "10", "100"] and headers[0].get_attribute("aria-sort") == "ascending"
    headers[0].find_element(By.TAG_NAME, "button").click()
    assert column(browser, 1) == ["100", "10", "9"] and headers[0].get_attribute("aria-sort") == "descending"
    headers[1].find_element(By.TAG_NAME, "button").send_keys(Keys.ENTER)  # by keyboard as well
    assert column(browser, 2) == ["a", "b", "c"] and headers[0].get_attribute("aria-sort") == "none"


def test_iris_sort_by_their_labels(browser, live_server):
    browser.get(live_server.url + "sparql?lang=fr")
    run_text(browser, "SELECT ?state WHERE { ?state a d55o:State }")
    wait(browser, lambda d: "Algérie" in column(d, 1))
    browser.find_element(By.CSS_SELECTOR, "#results thead button").click()
    shown = column(browser, 1)
    assert len(shown) == 10 and shown == sorted(shown, key=lambda s: s.replace("É", "E").lower())


def test_the_filter_folds_accents_and_case(browser, live_server):
    browser.get(live_server.url + "sparql?lang=fr")
    run_text(browser, "SELECT ?state ?label WHERE { ?state a d55o:State ; rdfs:label ?label FILTER(lang(?label) = 'fr') }")
    wait(browser, lambda d: len(result_rows(d)) == 10)
    box = browser.find_element(By.ID, "results-filter")
    assert browser.find_element(By.CSS_SELECTOR, "label:has(#results-filter)").text.startswith("Filtrer")
    box.send_keys("ALGERIE")
    wait(browser, lambda d: len(result_rows(d)) == 1)
    assert "Algérie" in result_rows(browser)[0].text
    assert browser.find_element(By.ID, "results-pager").text == "1 sur 10 lignes"
    box.send_keys(Keys.CONTROL, "a", Keys.BACKSPACE)
    wait(browser, lambda d: len(result_rows(d)) == 10)


def test_long_results_are_paged_and_the_row_cap_stays_visible(browser):
    with running_server(env={"DIALOGUE55_MAX_RESULT_ROWS": "250"}) as server:
        browser.get(server.url + "sparql?lang=en")
        run_text(browser, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
        wait(browser, lambda d: len(result_rows(d)) == 100)
        assert "page 1 of 3" in browser.find_element(By.ID, "results-pager").text
        assert browser.find_element(By.ID, "results-previous").get_property("disabled")
        notice = browser.find_element(By.ID, "truncated")
        assert notice.is_displayed() and "250 rows" in notice.text
        assert browser.find_element(By.ID, "status").text.startswith("250 rows in ")
        first = result_rows(browser)[0].text
        browser.find_element(By.ID, "results-next").click()
        wait(browser, lambda d: "page 2 of 3" in d.find_element(By.ID, "results-pager").text)
        assert result_rows(browser)[0].text != first
        browser.find_element(By.ID, "results-next").click()
        wait(browser, lambda d: len(result_rows(d)) == 50)
        assert browser.find_element(By.ID, "results-next").get_property("disabled")
        assert notice.is_displayed()
