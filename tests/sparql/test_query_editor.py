"""The query editor's tools, in Debian's headless Chromium against a live server: completion (prefixes
with their PREFIX line, properties by a French label, resources by an Arabic label, variables), the
syntax error marked at its place, "copy as" snippets run for real (python, curl, node), the history."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from server.http import i18n
from server.sparql import editor_tools
from tests.browser import chromium

pytestmark = [pytest.mark.live, pytest.mark.browser]


@pytest.fixture(scope="module")
def browser():
    with chromium(console_log=True) as driver:
        driver.set_window_size(1200, 900)
        yield driver


def wait(driver, condition, seconds=30):
    return WebDriverWait(driver, seconds, poll_frequency=0.05).until(lambda d: condition(d))


def ask(server, query: str, accept: str = "application/sparql-results+json") -> requests.Response:
    response = requests.post(server.url + "sparql", data={"query": query}, headers={"Accept": accept}, timeout=30)
    assert response.status_code == 200, response.text
    return response


def label(server, resource: str, lang: str) -> str:
    """A label of ``resource`` in ``lang``, as the graph has it (never written into the test)."""
    bindings = ask(server, f"SELECT ?l WHERE {{ {resource} rdfs:label ?l FILTER(lang(?l) = '{lang}') }}").json()
    return bindings["results"]["bindings"][0]["l"]["value"]


def editor(driver, text: str = ""):
    """The editor holding ``text``, focused, with the caret at its end."""
    area = driver.find_element(By.ID, "query")
    driver.execute_script("const [t, v] = arguments; t.value = v; t.dispatchEvent(new Event('input'));"
                          "t.focus(); t.setSelectionRange(v.length, v.length)", area, text)
    return area


OPTIONS = """
const list = document.getElementById('completion');
if (list.hidden || !list.offsetParent) return [];
return [...list.querySelectorAll('[role=option]')].map(o => ({
  id: o.id, text: o.querySelector('.completion-text').textContent, label: o.textContent,
  selected: o.getAttribute('aria-selected')}));"""


def options(driver) -> list[dict]:
    """The completion list as shown (read at once: it redraws as results come): each option's id,
    inserted text, whole text and state; [] when it is closed."""
    return driver.execute_script(OPTIONS)


def choose(driver, area, text: str, key=Keys.ENTER) -> None:
    """Move through the list with the arrow keys to the option inserting ``text``, then accept it with ``key``."""
    shown = wait(driver, lambda d: options(d) if any(o["text"] == text for o in options(d)) else None)
    for _ in range(len(shown)):
        active = area.get_attribute("aria-activedescendant")
        current = next(o for o in options(driver) if o["id"] == active)
        assert current["selected"] == "true"
        if current["text"] == text:
            break
        area.send_keys(Keys.ARROW_DOWN)
    area.send_keys(key)


def result_rows(driver):
    return driver.find_elements(By.CSS_SELECTOR, "#results tbody tr")


# --- completion -------------------------------------------------------------------------------------

def test_a_prefix_completes_with_its_prefix_line_and_the_list_is_a_listbox(browser, live_server):
    browser.get(live_server.url + "sparql?lang=en")
    original = "SELECT ?s ?name WHERE {\n  ?s rd"
    area = editor(browser, original)
    area.send_keys(Keys.CONTROL, Keys.SPACE)
    shown = wait(browser, lambda d: options(d))
    assert [o["text"] for o in shown] == ["rdf:", "rdfs:"]  # the built-in prefixes starting "rd"
    listbox = browser.find_element(By.ID, "completion")
    assert listbox.get_attribute("role") == "listbox" and listbox.get_attribute("aria-label") == "Completions"
    assert area.get_attribute("aria-controls") == "completion" and area.get_attribute("aria-autocomplete") == "list"
    assert area.get_attribute("aria-activedescendant") == shown[0]["id"]
    area.send_keys(Keys.ARROW_UP)  # wraps round to the last
    assert area.get_attribute("aria-activedescendant") == shown[1]["id"]
    area.send_keys(Keys.ESCAPE)
    assert options(browser) == [] and area.get_attribute("aria-activedescendant") is None
    assert area.get_property("value") == original

    area.send_keys(Keys.CONTROL, Keys.SPACE)
    choose(browser, area, "rdfs:")
    value = area.get_property("value")
    assert value == "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" + original[:-2] + "rdfs:"
    # A prefix taken, the list goes on to the terms in it that the ontology declares.
    assert {"rdfs:seeAlso", "rdfs:label"} & {o["text"] for o in wait(browser, lambda d: options(d))}
    # Declared now: a second use adds no second line, and a declared prefix is offered as well.
    area.send_keys(Keys.ESCAPE, "label ?name . ?s rdfs")
    area.send_keys(Keys.CONTROL, Keys.SPACE)
    choose(browser, area, "rdfs:")
    assert area.get_property("value").count("PREFIX rdfs:") == 1
    area.send_keys(Keys.CONTROL, "z")  # the completion was one undo step
    assert area.get_property("value").endswith("?s rdfs")


def test_a_built_in_prefix_typed_with_its_colon_gets_its_prefix_line(browser, live_server):
    browser.get(live_server.url + "sparql?lang=en")
    original = "PREFIX x: <http://example.org/>\nSELECT * WHERE {\n  ?s "
    area = editor(browser, original)
    area.send_keys("skos:")
    line = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    wait(browser, lambda d: area.get_property("value") == original.replace("\n", "\n" + line, 1) + "skos:")
    area.send_keys(Keys.ESCAPE, "prefLabel")  # the caret stayed after the colon
    assert area.get_property("value").endswith("?s skos:prefLabel")
    area.send_keys(" ?o . ?s skos:")  # declared now: no second line
    assert area.get_property("value").count("PREFIX skos:") == 1
    # Typed in a declaration, or for a prefix the page does not know, a prefix adds nothing.
    area = editor(browser, "PREFIX rdfs")
    area.send_keys(":")
    assert area.get_property("value") == "PREFIX rdfs:"
    area = editor(browser, "SELECT * { ?s ex")
    area.send_keys(":")
    assert area.get_property("value") == "SELECT * { ?s ex:"


def test_a_property_completes_by_its_french_label(browser, live_server):
    french = label(live_server, "d55o:memberOf", "fr")
    browser.get(live_server.url + "sparql?lang=fr")
    area = editor(browser, "SELECT ?etat WHERE { ?etat ")
    area.send_keys("d55o:" + french[:6])  # the list opens by itself after the colon
    shown = wait(browser, lambda d: [o for o in options(d) if o["text"] == "d55o:memberOf"])
    assert french in shown[0]["label"] and "propriété" in shown[0]["label"]
    choose(browser, area, "d55o:memberOf")
    assert options(browser) == []
    area.send_keys(" d55:dialogue-5-5 }")
    value = area.get_property("value")
    assert value.startswith(f"PREFIX d55o: <{live_server.url}ontology#>\n")
    assert "?etat d55o:memberOf d55:dialogue-5-5" in value
    area.send_keys(Keys.CONTROL, Keys.ENTER)
    expected = ask(live_server, value).json()["results"]["bindings"]
    wait(browser, lambda d: len(result_rows(d)) == len(expected) > 0)


def test_a_resource_completes_by_part_of_its_arabic_label(browser, live_server):
    arabic = label(live_server, "d55:morocco", "ar")
    english = label(live_server, "d55:morocco", "en")
    browser.get(live_server.url + "sparql?lang=en")
    area = editor(browser, "SELECT ?item WHERE { ")
    part = arabic[len(arabic) // 3:]  # the middle and end of the word, not its start
    area.send_keys("d55:" + part)
    shown = wait(browser, lambda d: [o for o in options(d) if o["text"] == "d55:morocco"])
    # Shown with its label in the page's language, and the label that matched, in Arabic.
    assert english in shown[0]["label"] and arabic in shown[0]["label"]
    choose(browser, area, "d55:morocco", key=Keys.TAB)
    area.send_keys(" owl:sameAs ?item }")
    value = area.get_property("value")
    assert value.startswith(f"PREFIX d55: <{live_server.url}id/>\n")
    assert "{ d55:morocco owl:sameAs ?item }" in value and part not in value


def test_a_variable_of_the_query_completes(browser, live_server):
    browser.get(live_server.url + "sparql?lang=en")
    area = editor(browser, "SELECT ?state ?stateLabel WHERE { ?state rdfs:label ?stateLabel }\nORDER BY ")
    area.send_keys("?sta")
    shown = wait(browser, lambda d: options(d))
    assert [o["text"] for o in shown] == ["?state", "?stateLabel"]  # the one being typed is not offered
    choose(browser, area, "?stateLabel")
    assert area.get_property("value").endswith("ORDER BY ?stateLabel")
    assert "PREFIX" not in area.get_property("value")


def test_no_completion_inside_a_string_or_an_iri(browser, live_server):
    browser.get(live_server.url + "sparql?lang=en")
    for text, tail, typed in (('SELECT * WHERE { ?s rdfs:label "?x rdf" }', 3, "s"),
                              ("SELECT * WHERE { ?s ?p <http://example.org/?> }", 3, "x")):
        area = editor(browser, text)
        browser.execute_script("arguments[0].setSelectionRange(arguments[1], arguments[1])", area, len(text) - tail)
        area.send_keys(Keys.CONTROL, Keys.SPACE)
        area.send_keys(typed)
        assert options(browser) == []
        assert area.get_property("value") == text[:-tail] + typed + text[-tail:]


# --- the error at its place ---------------------------------------------------------------------------

MARK_OFFSET = """
const mark = document.querySelector('#highlight .error-mark');
if (!mark) return null;
const range = document.createRange();
range.setStart(document.getElementById('highlight'), 0);
range.setEndBefore(mark);
return [range.toString().length, mark.textContent, getComputedStyle(mark).textDecorationLine,
        mark.getBoundingClientRect().width];"""


def wait_error(driver):
    return wait(driver, lambda d: d.find_element(By.ID, "error") if d.find_element(By.ID, "error").is_displayed() else None)


def test_the_syntax_error_is_marked_at_its_position(browser, live_server):
    browser.get(live_server.url + "sparql?lang=en")
    query = "SELECT * WHERE {\n  ?s ?p\n}"
    area = editor(browser, query)
    area.send_keys(Keys.CONTROL, Keys.ENTER)
    error = wait_error(browser)
    assert "line 3, column 1" in error.text  # the message stays
    offset, text, decoration, width = wait(browser, lambda d: d.execute_script(MARK_OFFSET))
    assert (offset, text) == (query.index("\n}") + 1, "}") and "underline" in decoration and width > 0
    assert area.get_attribute("aria-invalid") == "true"
    # The band behind the error's line lies on the mark's line.
    band, line = browser.execute_script(
        "const b = document.querySelector('.editor .error-line').getBoundingClientRect(),"
        " m = document.querySelector('#highlight .error-mark').getBoundingClientRect();"
        " return [[b.top, b.bottom, b.width], [m.top, m.bottom]]")
    assert band[0] <= (line[0] + line[1]) / 2 <= band[1] and band[2] > 0
    # An edit before it moves the mark with its text; an edit at it takes the mark away.
    browser.execute_script("arguments[0].setSelectionRange(0, 0)", area)
    area.send_keys("# x\n")
    assert browser.execute_script(MARK_OFFSET)[:2] == [query.index("\n}") + 5, "}"]
    area.send_keys(Keys.CONTROL, Keys.END, Keys.BACKSPACE)
    assert browser.execute_script(MARK_OFFSET) is None


def test_the_mark_counts_columns_in_characters_and_marks_the_end_of_a_query(browser, live_server):
    browser.get(live_server.url + "sparql?lang=en")
    # The server counts the emoji as one character; the page's text holds it as two code units.
    query = 'SELECT * WHERE { ?s ?p "\U0001F600" . ?x ?p }'
    area = editor(browser, query)
    area.send_keys(Keys.CONTROL, Keys.ENTER)
    wait_error(browser)
    offset, text, _, _ = wait(browser, lambda d: d.execute_script(MARK_OFFSET))
    assert text == "}" and offset == len(query.encode("utf-16-le")) // 2 - 1
    query = "SELECT ?x { ?x ?p ?o } LIMT 3"
    area = editor(browser, query)
    area.send_keys(Keys.CONTROL, Keys.ENTER)
    wait(browser, lambda d: "column 30" in d.find_element(By.ID, "error").text)
    offset, text, _, _ = wait(browser, lambda d: d.execute_script(MARK_OFFSET))
    assert (offset, text) == (len(query), "")
    # An empty place has nothing to underline: a bar is drawn there instead.
    bar = browser.execute_script("const s = getComputedStyle(document.querySelector('#highlight .error-mark-empty'),"
                                 " '::after'); return [s.content, parseFloat(s.width), parseFloat(s.borderBottomWidth)]")
    assert bar[0] != "none" and bar[1] > 0 and bar[2] > 0
    editor(browser, "SELECT ?x { ?x ?p ?o } LIMIT 3").send_keys(Keys.CONTROL, Keys.ENTER)
    wait(browser, lambda d: len(result_rows(d)) == 3)
    assert browser.execute_script(MARK_OFFSET) is None
    assert area.get_attribute("aria-invalid") is None


# --- copy as: the snippets, run ---------------------------------------------------------------------

# Both quotes, a backslash escape, backticks and ${...}, a non-Latin script: what breaks naive quoting.
TRICKY = ("# `${quoted}` \\ a comment's \"quotes\"\n"
          "SELECT ?state ?name WHERE {\n"
          "  ?state d55o:memberOf d55:dialogue-5-5 ; rdfs:label ?name .\n"
          "  FILTER(?name != \"it's \\\"x\\\"\" && ?name != 'مراكش' && lang(?name) = \"ar\")\n"
          "} ORDER BY ?name")


def snippet(driver, language: str) -> str:
    panel = driver.find_element(By.ID, "copy-as")
    if not panel.get_property("open"):
        panel.find_element(By.TAG_NAME, "summary").click()
    driver.find_element(By.ID, f"snippet-tab-{language}").click()
    assert driver.find_element(By.ID, f"snippet-tab-{language}").get_attribute("aria-selected") == "true"
    return driver.find_element(By.ID, "snippet-code").get_property("textContent")


def tab_separated(json_results: dict) -> str:
    names = json_results["head"]["vars"]
    lines = ["\t".join(names)] + ["\t".join(row[n]["value"] if n in row else "" for n in names)
                                  for row in json_results["results"]["bindings"]]
    return "\n".join(lines) + "\n"


def test_the_python_snippet_runs_and_prints_the_rows(browser, live_server, tmp_path):
    browser.get(live_server.url + "sparql?lang=en")
    editor(browser, TRICKY)
    code = snippet(browser, "python")
    assert f'SPARQLWrapper("{live_server.url}sparql")' in code
    expected = ask(live_server, TRICKY).json()
    assert len(expected["results"]["bindings"]) == 10
    program = tmp_path / "snippet.py"
    program.write_text(code, encoding="utf-8")
    done = subprocess.run([sys.executable, str(program)], capture_output=True, text=True, timeout=60,
                          encoding="utf-8")
    assert done.returncode == 0, done.stderr
    assert done.stdout == tab_separated(expected)


def test_the_python_snippet_of_a_construct_prints_turtle(browser, live_server, tmp_path):
    from pyoxigraph import RdfFormat, parse

    browser.get(live_server.url + "sparql?lang=en")
    query = "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a d55o:State ; rdfs:label ?l FILTER(lang(?l) = 'ar') }"
    editor(browser, query)
    program = tmp_path / "construct.py"
    program.write_text(snippet(browser, "python"), encoding="utf-8")
    done = subprocess.run([sys.executable, str(program)], capture_output=True, text=True, timeout=60,
                          encoding="utf-8")
    assert done.returncode == 0, done.stderr
    triples = set(parse(done.stdout, format=RdfFormat.TURTLE))
    expected = set(parse(ask(live_server, query, "application/n-triples").text, format=RdfFormat.N_TRIPLES))
    assert triples == expected and len(triples) == 10


def test_the_curl_snippet_runs_and_prints_csv(browser, live_server):
    if shutil.which("curl") is None:
        pytest.fail("curl is required to run the curl snippet")
    browser.get(live_server.url + "sparql?lang=en")
    editor(browser, TRICKY)
    code = snippet(browser, "curl")
    assert code.startswith("curl ") and code.rstrip().endswith(f"'{live_server.url}sparql'")
    done = subprocess.run(["sh", "-c", code], capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    expected = ask(live_server, TRICKY, "text/csv").content
    assert done.stdout == expected
    assert len(list(csv.reader(io.StringIO(done.stdout.decode("utf-8"))))) == 11  # the header and 10 rows


def test_the_javascript_snippet_runs_in_node(browser, live_server, tmp_path):
    if shutil.which("node") is None:
        pytest.fail("node is required to run the JavaScript snippet: run tests/install-tools.sh")
    browser.get(live_server.url + "sparql?lang=en")
    editor(browser, TRICKY)
    program = tmp_path / "snippet.mjs"  # a module: the snippet awaits at its top level
    program.write_text(snippet(browser, "javascript"), encoding="utf-8")
    done = subprocess.run(["node", str(program)], capture_output=True, text=True, timeout=60, encoding="utf-8")
    assert done.returncode == 0, done.stderr
    assert done.stdout == tab_separated(ask(live_server, TRICKY).json())


def test_the_snippet_follows_the_editor_and_the_copy_button_copies_it(browser, live_server):
    browser.get(live_server.url + "sparql?lang=fr")
    area = editor(browser, "ASK { ?s ?p ?o }")
    assert "print(results[\"boolean\"])" in snippet(browser, "python")
    area.send_keys(" # edited")
    assert "# edited" in browser.find_element(By.ID, "snippet-code").get_property("textContent")
    code = snippet(browser, "curl")
    browser.find_element(By.ID, "snippet-copy").click()
    status = wait(browser, lambda d: d.find_element(By.ID, "snippet-status").text)
    assert status == i18n.text("e_copied", "fr")
    # What was copied is what a paste gives back.
    area = editor(browser, "")
    area.send_keys(Keys.CONTROL, "v")
    wait(browser, lambda d: d.find_element(By.ID, "query").get_property("value") == code)


# --- history ---------------------------------------------------------------------------------------

def history(driver) -> list[tuple[str, str, str]]:
    """The history as shown: (the query's gist, its time, its row count), newest first."""
    panel = driver.find_element(By.ID, "history")
    if not panel.get_property("open"):
        panel.find_element(By.TAG_NAME, "summary").click()
    return [(li.find_element(By.CSS_SELECTOR, ".history-pick code").text,
             li.find_element(By.TAG_NAME, "time").get_attribute("datetime"),
             li.find_element(By.CLASS_NAME, "history-rows").text)
            for li in driver.find_elements(By.CSS_SELECTOR, "#history-list li")]


def test_the_history_lists_queries_with_their_row_counts_and_reloads_one(browser, live_server):
    browser.get(live_server.url + "sparql?lang=en")
    browser.execute_script("localStorage.clear()")
    browser.refresh()
    assert history(browser) == []
    assert browser.find_element(By.ID, "history-empty").is_displayed()
    first = "SELECT ?s WHERE { ?s a d55o:State } ORDER BY ?s LIMIT 4"
    second = "PREFIX x: <http://example.org/>\nSELECT ?s WHERE { ?s a d55o:State } ORDER BY DESC(?s) LIMIT 1"
    for query, rows in ((first, 4), (second, 1)):
        editor(browser, query).send_keys(Keys.CONTROL, Keys.ENTER)
        wait(browser, lambda d, rows=rows: len(result_rows(d)) == rows)
    shown = wait(browser, lambda d: history(d) if len(history(d)) == 2 else None)
    assert [(gist, count) for gist, _, count in shown] == [  # the prologue is not in the gist
        ("SELECT ?s WHERE { ?s a d55o:State } ORDER BY DESC(?s) LIMIT 1", i18n.count("rows", "en", 1)),
        (first, i18n.count("rows", "en", 4))]
    assert all(time.endswith("Z") for _, time, _ in shown)
    assert browser.find_element(By.CSS_SELECTOR, "#history summary").text == \
        i18n.text("e_history", "en").format(count=i18n.count("queries", "en", 2))

    browser.refresh()  # kept in the browser
    assert len(history(browser)) == 2
    area = browser.find_element(By.ID, "query")
    browser.find_elements(By.CSS_SELECTOR, "#history-list .history-pick")[1].click()
    assert area.get_property("value") == first
    area.send_keys(Keys.CONTROL, Keys.ENTER)  # run again: it moves to the top, not in twice
    wait(browser, lambda d: [g for g, _, _ in history(d)][:1] == [first])
    assert len(history(browser)) == 2


def test_the_history_keeps_at_most_its_cap_and_can_be_cleared(browser, live_server):
    browser.get(live_server.url + "sparql?lang=ar")
    cap = editor_tools.HISTORY_CAP
    old = [{"query": f"SELECT * WHERE {{ ?s ?p {n} }}", "time": 1_700_000_000_000 + n, "n": 0, "unit": "rows"}
           for n in range(cap + 5)]
    browser.execute_script("localStorage.setItem('dialogue55.query-history', arguments[0])", json.dumps(old))
    browser.refresh()
    editor(browser, "SELECT ?s WHERE { ?s a d55o:State } LIMIT 2").send_keys(Keys.CONTROL, Keys.ENTER)
    wait(browser, lambda d: len(result_rows(d)) == 2)
    shown = wait(browser, lambda d: history(d) if history(d)[0][2] == i18n.count("rows", "ar", 2) else None)
    assert len(shown) == cap
    kept = browser.execute_script("return JSON.parse(localStorage.getItem('dialogue55.query-history'))")
    assert len(kept) == cap and kept[0]["n"] == 2 and kept[1] == old[0]
    browser.find_element(By.ID, "history-clear").click()
    assert history(browser) == []
    assert browser.execute_script("return localStorage.getItem('dialogue55.query-history')") is None


# --- three languages ---------------------------------------------------------------------------------

def test_every_string_of_the_tools_is_in_three_languages():
    keys = [key for key in i18n.STRINGS if key.startswith("e_")]
    assert len(keys) >= 20 and set(editor_tools.TEXTS) == set(keys)
    for key in keys:
        assert set(i18n.STRINGS[key]) == set(i18n.LANGUAGES) and all(i18n.STRINGS[key].values()), key
    for key in ("suggestions", "queries"):
        assert set(i18n.PLURALS[key]["ar"]) == {"zero", "one", "two", "few", "many", "other"}
        assert [i18n.count(key, "ar", n) for n in (1, 2)] != [i18n.count(key, "en", n) for n in (1, 2)]


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_the_tools_speak_the_page_s_language(browser, live_server, lang):
    browser.get_log("browser")
    browser.get(live_server.url + f"sparql?lang={lang}")
    browser.execute_script("localStorage.clear()")
    browser.refresh()
    ui = i18n.strings(lang)
    assert browser.find_element(By.CSS_SELECTOR, "#copy-as summary").text == ui["e_copy_as"]
    assert browser.find_element(By.CSS_SELECTOR, "#history summary").text == \
        ui["e_history"].format(count=i18n.count("queries", lang, 0))
    assert browser.find_element(By.ID, "completion").get_attribute("aria-label") == ui["e_completions"]
    assert browser.find_element(By.CSS_SELECTOR, "#snippets [role=tablist], [role=tablist]:not(#view-tabs)").get_attribute("aria-label") == ui["e_code_language"]
    assert ui["e_shortcut"] in browser.find_element(By.CSS_SELECTOR, ".actions").text
    snippet(browser, "curl")
    assert browser.find_element(By.ID, "snippet-copy").text == ui["e_copy"]
    area = editor(browser, "SELECT * WHERE { ?s ?p ?o } LIMIT 1 ?")
    area.send_keys("s")
    shown = wait(browser, lambda d: options(d))
    assert shown[0]["text"] == "?s" and ui["e_variable"] in shown[0]["label"]
    assert browser.find_element(By.ID, "completion-status").get_property("textContent") == \
        i18n.count("suggestions", lang, len(shown))
    assert [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


def tools_of(page: str) -> dict:
    start = page.index('<script type="application/json" id="query-tools">') + len(
        '<script type="application/json" id="query-tools">')
    return json.loads(page[start:page.index("</script>", start)])


def test_the_page_carries_the_ontology_s_terms_with_labels_in_its_language(client):
    def labels_of(term):
        answer = client.post("/sparql", data={"query": f"SELECT ?l WHERE {{ {term} rdfs:label ?l }}"},
                             headers={"Accept": "application/sparql-results+json"}).get_json()
        return {b["l"].get("xml:lang"): b["l"]["value"] for b in answer["results"]["bindings"]}

    page = client.get("/sparql?lang=ar", headers={"Accept": "text/html"}).get_data(as_text=True)
    tools = tools_of(page)
    terms = {term["name"]: term for term in tools["terms"]}
    assert terms["d55o:memberOf"]["kind"] == "property" and terms["d55o:State"]["kind"] == "class"
    labels = labels_of("d55o:memberOf")
    assert terms["d55o:memberOf"]["label"] == labels["ar"]
    assert set(terms["d55o:memberOf"]["labels"]) == set(labels.values()) and len(labels) == 3
    assert tools["historyCap"] == editor_tools.HISTORY_CAP
