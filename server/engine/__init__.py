"""Where queries run: in killable worker processes over the embedded store, or on an external engine.

:mod:`.screening` refuses what must never run (updates, SERVICE outside the
allow-list, deep nesting); :mod:`.rewriting` moves canonical IRIs in a query to the
published namespace with the same lexer; :mod:`.evaluation` runs one query on a pyoxigraph store and shapes the answer
into bytes; :mod:`.workers` is the pool of processes it runs in, stopped at the
time limit or when the client leaves; :mod:`.answer_cache` keeps complete
answers by dataset version; :mod:`.backend` and :mod:`.remote_store` speak to
an external SPARQL 1.1 engine, the latter as the part of pyoxigraph's ``Store``
API the pages use, reading in batches (:mod:`.batches`) kept for one request by :mod:`.memo`;
:mod:`.answers` reads the engine's answers as pyoxigraph objects,
:mod:`.whole_graphs` reads a whole graph to its end whatever the engine's row cap, and
:mod:`.connection` is the HTTP connection each thread keeps to the engine.

Imports: :mod:`server.dataset` and the framework-free modules of
:mod:`server.http` (:mod:`~server.http.problems`, :mod:`~server.http.lru`);
nothing web.
"""
