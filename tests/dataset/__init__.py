"""Tests of server.dataset: loading, validation, and the data's health and competency questions."""
