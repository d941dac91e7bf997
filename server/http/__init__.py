"""HTTP: how a request is answered, whatever it asks about.

The RSGI bridge to granian and the response cache in front of Flask
(:mod:`.rsgi`, :mod:`.response_cache`, :mod:`.lru`), content negotiation and
the table of formats (:mod:`.negotiation`), the request's language and the UI
strings (:mod:`.i18n`), the errors a client can act on and the one handler
that renders them (:mod:`.problems`, :mod:`.errors`), validators and 304s
(:mod:`.caching`), CORS and security headers, and the responses with honest
headers (:mod:`.representations`). What an operator sees: each request as an
:class:`~.exchange.Exchange` (route and query outcome passed up through the
environ), the access log (:mod:`.access_log`), the Prometheus metrics
(:mod:`.metrics`), and ``/healthz`` and ``/metrics`` (:mod:`.operations`).

Imports: nothing of the project's other packages. It knows RDF only as the
table of formats pyoxigraph serialises to; it never reads a graph.
"""
