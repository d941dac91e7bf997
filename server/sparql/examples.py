"""The example queries shown on the query page: our competency questions.

Each example is a file ``server/queries/examples/{name}.rq`` that starts with
its titles as comments, one per language::

    # title@en: Which states are members of the Dialogue 5+5?
    # title@fr: Quels États sont membres du Dialogue 5+5 ?
    # title@ar: ما الدول الأعضاء في الحوار 5+5؟
    SELECT ...

The titles are shown in the query page's picker; the editor receives :attr:`Example.body`.

>>> parse("states", "# title@en: States\\n# title@fr: États\\nSELECT * {}\\n").title("fr")
'États'
>>> parse("states", "# title@en: States\\n# title@ar: الدول\\nSELECT * {}\\n").body
'SELECT * {}\\n'
>>> parse("bare", "ASK {}").title("en")
'bare'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

FOLDER = Path(__file__).parent.parent / "queries" / "examples"
# The same questions and more, written as a Wikidata Query Service user writes them.
WIKIDATA_FOLDER = Path(__file__).parent.parent / "queries" / "wikidata-terms"

_TITLE = re.compile(r"^#\s*title@([A-Za-z-]+)\s*:\s*(.*?)\s*$")


@dataclass(frozen=True)
class Example:
    """One example query: its file name, its titles by language and its text."""

    name: str
    titles: dict
    query: str

    @property
    def body(self) -> str:
        """The query without its leading title lines: those are the picker's, not the query's."""
        lines = self.query.splitlines(keepends=True)
        while lines and _TITLE.match(lines[0]):
            lines.pop(0)
        return "".join(lines)

    def title(self, lang: str) -> str:
        """The title in ``lang``, else in English, else the file name."""
        return self.titles.get(lang) or self.titles.get("en") or self.name


def parse(name: str, text: str) -> Example:
    titles = {}
    for line in text.splitlines():
        match = _TITLE.match(line)
        if match:
            titles[match.group(1).lower()] = match.group(2)
        elif line.strip():
            break
    return Example(name, titles, text)


def load(folder: Path = FOLDER, namespace: str | None = None, published: str | None = None) -> list[Example]:
    """Every example of ``folder``, in file-name order (read on each call: they are a few small files).

    The examples are written with the canonical ``namespace``; on a server that
    publishes its IRIs under another address (``--base-iri``) they are shown with
    that ``published`` namespace instead, so that they find what they ask for.
    """
    if not folder.is_dir():
        return []
    return [parse(path.stem, rewrite(path.read_text(encoding="utf-8"), namespace, published))
            for path in sorted(folder.glob("*.rq"))]


def rewrite(text: str, namespace: str | None, published: str | None) -> str:
    """``text`` with the canonical namespace replaced by the published one.

    >>> rewrite("PREFIX d55: <https://w3id.org/dialogue55/id/>", "https://w3id.org/dialogue55/", "http://localhost:5000/")
    'PREFIX d55: <http://localhost:5000/id/>'
    """
    if not namespace or not published or namespace == published:
        return text
    return text.replace("<" + namespace, "<" + published)
