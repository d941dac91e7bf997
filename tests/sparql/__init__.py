"""Tests of server.sparql: the Protocol through the Flask client, real clients, and the query page in Chromium."""
