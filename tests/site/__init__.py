"""Tests of server.site: pages, dereferencing, the crawl of every IRI, dataset publishing, a browser walk."""
