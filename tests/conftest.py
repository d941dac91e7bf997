"""Shared fixtures: an application per test (Flask test client) and one live server per session."""

from __future__ import annotations

import pytest

from server import create_app
from tests.live import running_server


@pytest.fixture(scope="session")
def app():
    """The application over the embedded 5+5 graph (built once: the graph is read-only)."""
    application = create_app({"query_timeout": 5.0})
    application.config["TESTING"] = True
    yield application
    application.extensions["dialogue55"].close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def live_server():
    """A real ``dialogue55 serve`` process on 127.0.0.1 whose IRIs dereference on itself."""
    with running_server() as server:
        yield server
