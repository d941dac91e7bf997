"""The linked-data site: every IRI of the namespace as a page for people and a document for machines.

Resources and their 303s and documents (:mod:`.resources`), the descriptions
read from the graph (:mod:`.descriptions`, :mod:`.reader`), labels and terms
in the reader's language (:mod:`.labels`, :mod:`.terms`), HTML pages and their
diagrams and embedded JSON-LD (:mod:`.pages`, :mod:`.diagrams`, :mod:`.jsonld`),
graph pages (:mod:`.graph_pages`), the ontology's documentation
(:mod:`.ontology_docs`), label search (:mod:`.search`), the VoID description
(:mod:`.void`), and the home page, dumps and sitemap (:mod:`.home`).

Imports: :mod:`server.graph` (the published graph), :mod:`server.engine`,
:mod:`server.dataset` and :mod:`server.http`; never :mod:`server.sparql`.
"""
