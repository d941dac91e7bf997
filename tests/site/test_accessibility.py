"""Accessibility of every kind of page, in headless Chromium against a live server.

axe-core (a devDependency of tests/js, installed by ``npm ci``) is read from node_modules and
run inside each page through WebDriver: a script injected that way is not subject to the page's
Content-Security-Policy (which allows no inline script), and a test below checks that the policy
is in force all the same. No page may have a violation of impact serious or critical. Keyboard
use is checked by pressing Tab: the skip link comes first, the query page's editor, run button
and results are reached, and whatever has the focus shows a ring.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser import chromium

pytestmark = [pytest.mark.live, pytest.mark.browser]

AXE = Path(__file__).resolve().parents[1] / "js" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")

PAGES = ["?lang=en", "?lang=ar", "page/morocco?lang=en", "page/morocco?lang=ar", "graph/sentence-13.html",
         "ontology?lang=fr", "search?q=maroc", "read/article?lang=en", "read/article?lang=ar",
         "no-such-page", "sparql?lang=en", "sparql?lang=fr", "sparql?lang=ar"]

RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ['violations']}).then(
  r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary.replace(/\\s+/g, ' '))}))),
  e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));"""

FOCUS = """
const e = document.activeElement, s = getComputedStyle(e);
return {id: e.id, tag: e.tagName.toLowerCase(), cls: e.getAttribute('class') || '', outline: s.outlineStyle,
        width: parseFloat(s.outlineWidth), inResults: !!e.closest('#results, .view-panel, #view-tabs'),
        top: e.getBoundingClientRect().top};"""


@pytest.fixture(scope="module")
def browser():
    if not AXE.is_file():
        pytest.fail("axe-core is missing: run `npm ci --prefix tests/js` (tests/install-tools.sh does)")
    with chromium("--window-size=1200,1400") as driver:
        driver.set_script_timeout(60)
        yield driver


def wait(driver, condition, seconds=30):
    return WebDriverWait(driver, seconds, poll_frequency=0.05).until(lambda d: condition(d))


def violations(driver) -> list[dict]:
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    return driver.execute_async_script(RUN_AXE)


def blocking(found: list[dict]) -> str:
    """The serious and critical violations, one line per rule and element, for the assertion message."""
    return "\n".join(f"{v['impact']} {v['id']} ({v['help']}): {node}"
                     for v in found if v["impact"] in BLOCKING for node in v["nodes"] or [""])


def run_text(driver, query: str) -> None:
    editor = driver.find_element(By.ID, "query")
    driver.execute_script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'))",
                          editor, query)
    editor.send_keys(Keys.CONTROL, Keys.ENTER)


def test_the_page_s_policy_still_forbids_inline_script_while_axe_runs(browser, live_server):
    browser.get(live_server.url + "?lang=en")
    assert "script-src 'self'" in live_server.get("?lang=en").headers["Content-Security-Policy"]
    # An inline script the page itself adds is refused; the one WebDriver injects is not.
    browser.execute_script("const s = document.createElement('script'); s.textContent = 'window.inlineRan = 1';"
                           "document.head.appendChild(s)")
    assert browser.execute_script("return window.inlineRan === undefined")
    assert isinstance(violations(browser), list) and browser.execute_script("return typeof axe.run") == "function"


def test_the_check_finds_a_planted_unlabelled_field_and_unreadable_text(browser, live_server):
    browser.get(live_server.url + "?lang=en")
    browser.execute_script("const main = document.querySelector('main');"
                           "main.appendChild(document.createElement('input'));"
                           "const p = document.createElement('p'); p.textContent = 'faint'; p.className = 'note';"
                           "main.appendChild(p); p.style.color = '#ddd';")
    found = blocking(violations(browser))
    assert "critical label" in found and "serious color-contrast" in found, found


@pytest.mark.parametrize("path", PAGES)
def test_no_page_has_a_serious_or_critical_accessibility_violation(browser, live_server, path):
    browser.get(live_server.url + path)
    wait(browser, lambda d: d.execute_script("return document.readyState") == "complete")
    assert browser.find_element(By.TAG_NAME, "h1").text
    found = violations(browser)
    assert not blocking(found), f"{path}:\n{blocking(found)}"


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("query, view", [
    ("SELECT ?state ?label WHERE { ?state a d55o:State ; rdfs:label ?label }", "table"),
    ("DESCRIBE d55:8th-ministerial-conference", "graph"),
    ("DESCRIBE d55:8th-ministerial-conference", "timeline"),
])
def test_the_query_page_s_answers_have_no_serious_or_critical_violation(browser, live_server, lang, query, view):
    browser.get(live_server.url + f"sparql?lang={lang}")
    run_text(browser, query)
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#results tbody tr"))
    if view != "table":
        wait(browser, lambda d: d.find_elements(By.ID, f"view-tab-{view}"))[0].click()
        wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, f"#view-{view} svg"))
    found = violations(browser)
    assert not blocking(found), f"{view} in {lang}:\n{blocking(found)}"


def press_tab(driver, times=1, shift=False):
    for _ in range(times):
        chain = ActionChains(driver)
        if shift:
            chain.key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT)
        else:
            chain.send_keys(Keys.TAB)
        chain.perform()
    return driver.execute_script(FOCUS)


def assert_ring(focus: dict) -> None:
    assert focus["outline"] != "none" and focus["width"] > 0, f"no focus ring on {focus}"


@pytest.mark.parametrize("path", ["?lang=en", "page/morocco?lang=ar", "read/article?lang=fr", "search?q=maroc",
                                  "no-such-page"])
def test_the_first_tab_reaches_a_visible_skip_link_that_leads_to_the_content(browser, live_server, path):
    browser.get(live_server.url + path)
    focus = press_tab(browser)
    assert focus["cls"] == "skip" and focus["top"] >= 0, focus
    assert_ring(focus)
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    assert browser.execute_script("return document.activeElement.id") == "main"
    focus = press_tab(browser)  # the next stop is inside the content, past the header
    assert browser.execute_script("return !!document.activeElement.closest('main')"), focus
    assert_ring(focus)


def test_the_query_page_by_keyboard_alone_editor_run_button_and_results(browser, live_server):
    browser.get(live_server.url + "sparql?lang=en")
    stops = []
    for _ in range(20):  # the header's links and search, the examples, then the editor
        stops.append(press_tab(browser))
        assert_ring(stops[-1])
        if stops[-1]["id"] == "query":
            break
    assert stops[-1]["id"] == "query", [s["id"] or s["tag"] for s in stops]
    assert "examples" in [s["id"] for s in stops]
    # In the editor Tab indents; Escape gives Tab back to leaving it, and the run button is next.
    ActionChains(browser).send_keys(Keys.ESCAPE).perform()
    focus = press_tab(browser)
    assert focus["id"] == "run"
    assert_ring(focus)
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#results tbody tr"))
    for _ in range(10):
        focus = press_tab(browser)
        assert_ring(focus)
        if focus["inResults"]:
            break
    assert focus["inResults"], focus


def test_the_graph_view_s_nodes_are_reached_by_tab_with_a_visible_ring(browser, live_server):
    browser.get(live_server.url + "sparql?lang=en")
    run_text(browser, "DESCRIBE d55:dialogue-5-5")
    tab = wait(browser, lambda d: d.find_elements(By.ID, "view-tab-graph"))[0]
    tab.click()
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#view-graph svg a"))
    focus = press_tab(browser)  # from the selected tab into its panel
    assert focus["tag"] == "a" and focus["inResults"], focus
    assert_ring(focus)
    assert browser.execute_script("return document.activeElement.closest('svg') !== null")
    first = browser.execute_script("return document.activeElement.getAttribute('href')")
    ActionChains(browser).send_keys(Keys.ARROW_RIGHT).perform()  # the arrows move between nodes
    moved = browser.execute_script("return [document.activeElement.closest('svg') !== null, "
                                   "document.activeElement.getAttribute('href')]")
    assert moved[0] and moved[1] != first
    assert_ring(browser.execute_script(FOCUS))
    leaving = press_tab(browser)  # the whole graph is one Tab stop: the next Tab leaves it
    assert not browser.execute_script("return document.activeElement.closest('svg') !== null"), leaving
