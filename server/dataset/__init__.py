"""The dataset: where the published data comes from, and what it may contain.

The sources (folders of files or a persistent store) and how they are loaded
into a pyoxigraph store with one named graph per file or sentence
(:mod:`.sources`, :mod:`.loading`), the IRI space that maps the canonical
namespace to the published one (:mod:`.iris`), and the checks of
``dialogue55 validate`` (:mod:`.validation`).

Imports: from this project only :mod:`server.http.problems`; nothing web
(no Flask, Werkzeug or granian), so worker processes and the command line
load it cheaply.
"""
