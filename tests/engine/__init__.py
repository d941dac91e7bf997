"""Tests of server.engine: evaluation, the worker pool, the answer cache, screening, external engines."""
