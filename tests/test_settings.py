"""One table of settings, three ways in: the README, the flags of ``dialogue55 serve``, the environment.

Each setting gets a sample value unlike its default; the test fails for a setting
without one, so a new setting cannot be added without showing it works all three ways.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from server import cli, settings
from server.settings import SETTINGS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")

SAMPLES = {
    "host": ["0.0.0.0"], "port": ["8081"], "ontology": ["/srv/onto"], "data": ["/srv/a", "/srv/b"],
    "store": ["/srv/store"], "backend": ["http://127.0.0.1:7878/query"], "namespace": ["https://example.org/ns/"],
    "base_iri": ["http://127.0.0.1:8081/"], "query_timeout": ["2.5"], "max_query_length": ["5000"],
    "max_result_rows": ["7"], "max_nesting": ["9"], "workers": ["3"], "page_size": ["11"], "answer_cache": ["0"],
    "response_cache": ["0.5"], "threads": ["5"], "service_allowlist": ["https://a.example/sparql", "https://b.example/s"],
    "access_log": ["off"], "metrics": ["off"],
}


def environment_text(name: str) -> str:
    """A sample as one environment variable: several values joined as the setting's parser splits them."""
    return (os.pathsep if name == "data" else " ").join(SAMPLES[name])


def test_the_readme_table_is_the_settings_table():
    assert settings.markdown_table() in README
    rows = re.findall(r"^\| `(--[a-z-]+)` \|", README, re.MULTILINE)
    assert rows == [s.flag for s in SETTINGS.values()]


def test_every_setting_has_a_sample_unlike_its_default():
    assert set(SAMPLES) == set(SETTINGS)
    for name, setting in SETTINGS.items():
        assert settings.resolve({name: environment_text(name)}, {})[name] != setting.default, name


@pytest.mark.parametrize("name", list(SETTINGS))
def test_a_flag_and_an_environment_variable_set_the_same_value(name):
    from_flag = cli._config(cli._parser().parse_args(["serve", SETTINGS[name].flag, *SAMPLES[name]]))
    from_environment = settings.resolve({}, {SETTINGS[name].variable: environment_text(name)})
    assert from_flag[name] == from_environment[name] != SETTINGS[name].default


def test_a_flag_wins_over_the_environment(monkeypatch):
    monkeypatch.setenv("DIALOGUE55_MAX_RESULT_ROWS", "5")
    assert cli._config(cli._parser().parse_args(["serve", "--max-result-rows", "6"]))["max_result_rows"] == 6
    assert cli._config(cli._parser().parse_args(["serve"]))["max_result_rows"] == 5


def test_a_bad_value_is_a_usage_error_not_a_traceback(capsys):
    with pytest.raises(SystemExit) as stop:
        cli._parser().parse_args(["serve", "--max-result-rows", "many"])
    assert stop.value.code == 2
    assert "--max-result-rows" in capsys.readouterr().err
