"""The SPARQL 1.1 endpoint: ``/sparql``, its protocol, its page and its description.

Decoding the Protocol's requests (:mod:`.protocol`), the read-only Graph Store Protocol
(:mod:`.graph_store`), the Service Description (:mod:`.service_description`),
the query page's view model and its examples (:mod:`.query_page`,
:mod:`.examples`), and the blueprint that puts them together
(:mod:`.endpoint`).

Imports: :mod:`server.graph` (the published graph), :mod:`server.engine`,
:mod:`server.dataset` and :mod:`server.http`; never :mod:`server.site`.
"""
