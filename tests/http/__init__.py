"""Tests of server.http: the RSGI bridge and the response cache."""
