"""What a page knows about its reader, and how an HTML page is answered.

:func:`linker` builds, once per request, the language choice and the
:class:`~server.site.terms.Linker` (labels in that language). :func:`html` renders
a template with the headers every page carries: ``Content-Language``,
``Vary: Accept, Accept-Language``, the canonical address and the alternates
(as ``Link`` headers; templates repeat them as ``<link>`` elements).
:func:`register` gives every template ``ui`` (the UI strings), ``lang``, ``dir``
and the language switch, error pages included, and opens the graph's request scope
(:meth:`~server.graph.Graph.request_scope`) for each request.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app, g, render_template, request

from ..graph import current as graph
from ..http import i18n
from .labels import Labels
from .terms import Linker


@dataclass(frozen=True)
class Alternate:
    """A ``Link`` / ``<link>`` to another representation or language of the same document."""

    href: str
    rel: str = "alternate"
    type: str = ""
    hreflang: str = ""

    def header(self) -> str:
        params = [f'rel="{self.rel}"'] + ([f'type="{self.type}"'] if self.type else []) \
            + ([f'hreflang="{self.hreflang}"'] if self.hreflang else [])
        return f"<{self.href}>; " + "; ".join(params)


def choice() -> i18n.Choice:
    if "d55_choice" not in g:
        g.d55_choice = i18n.choose(request.args, request.accept_languages)
    return g.d55_choice


def linker() -> Linker:
    if "d55_linker" not in g:
        lang = choice().lang
        g.d55_linker = Linker(graph().space, Labels(graph().store, lang), choice(), request.host_url)
    return g.d55_linker


def language_links(path: str) -> list[Alternate]:
    """The same page in each language, and the negotiated one as x-default."""
    return [Alternate(f"{path}?lang={lang}", hreflang=lang) for lang in i18n.LANGUAGES] \
        + [Alternate(path, hreflang="x-default")]


def html(template: str, path: str, alternates: list[Alternate] = (), status: int = 200, **context):
    """A rendered page for ``path`` with its language headers, canonical and alternate links."""
    lang = choice().lang
    links = [Alternate(f"{path}?lang={lang}", rel="canonical"), *alternates, *language_links(path)]
    body = render_template(template, links=links, path=path, **context)
    response = current_app.response_class(body, status=status, content_type="text/html; charset=utf-8")
    response.headers["Content-Language"] = lang
    response.headers["Link"] = ", ".join(link.header() for link in links)
    response.vary.update(["Accept", "Accept-Language"])
    return response


def register(app: Flask) -> None:
    @app.before_request
    def _remember():
        # Over an external engine, what a page reads is kept for the rest of its request (few queries per page).
        g.d55_scope = graph().request_scope()
        g.d55_scope.__enter__()

    @app.teardown_request
    def _forget(_error=None):
        scope = g.pop("d55_scope", None)
        if scope is not None:
            scope.__exit__(None, None, None)

    @app.context_processor
    def _ui():
        # Lenient: an error page must render even when ?lang= was the error.
        chosen = g.get("d55_choice") or i18n.choose(request.args, request.accept_languages, strict=False)
        switch = [(lang, i18n.NAMES[lang], f"{request.path}?lang={lang}") for lang in i18n.LANGUAGES]
        home = "/" + (f"?lang={chosen.lang}" if chosen.explicit else "")
        return {"ui": i18n.strings(chosen.lang), "lang": chosen.lang, "dir": chosen.dir,
                "switch": switch, "home_href": home, "lang_param": chosen.lang if chosen.explicit else None}
