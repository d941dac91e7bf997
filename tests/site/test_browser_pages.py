"""One real browser walk: headless Chromium opens the home page, follows links to a state,
switches to Arabic, and takes a screenshot.

Debian's Chromium and chromedriver are driven through selenium with an explicit
driver path, so nothing is downloaded. Waiting is done by WebDriverWait, which
polls the page.
"""

from __future__ import annotations

import pytest

from tests.browser import chromium

pytestmark = [pytest.mark.live, pytest.mark.browser]


@pytest.fixture
def browser():
    with chromium("--window-size=1000,1400") as driver:
        yield driver


def test_a_reader_walks_from_home_to_a_state_and_reads_it_in_arabic(live_server, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, 20)
    browser.get(live_server.url + "?lang=en")
    wait.until(ready.presence_of_element_located((By.CSS_SELECTOR, ".section-forum a")))
    browser.find_element(By.CSS_SELECTOR, ".section-forum a").click()
    wait.until(ready.presence_of_element_located((By.CSS_SELECTOR, "figure.diagram svg")))
    assert browser.find_element(By.TAG_NAME, "h1").text == "5+5 Dialogue"
    # Follow the forum's link to one of its member states, in the property table of incoming links.
    browser.find_element(By.CSS_SELECTOR, "section.incoming a[href^='/page/morocco']").click()
    wait.until(ready.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Morocco"))
    browser.find_element(By.CSS_SELECTOR, "nav.languages a[hreflang='ar']").click()
    wait.until(ready.text_to_be_present_in_element((By.TAG_NAME, "h1"), "المغرب"))
    html = browser.find_element(By.TAG_NAME, "html")
    assert html.get_attribute("lang") == "ar" and html.get_attribute("dir") == "rtl"
    # Right-to-left for real: the heading starts on the right of the page.
    h1 = browser.find_element(By.TAG_NAME, "h1")
    assert browser.execute_script("return getComputedStyle(arguments[0]).direction", h1) == "rtl"
    footnotes = browser.find_elements(By.CSS_SELECTOR, "ol.footnotes blockquote")
    assert any("Il regroupe les dix pays" in f.text for f in footnotes)
    shot = tmp_path / "morocco-ar.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
