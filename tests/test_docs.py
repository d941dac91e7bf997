"""The README documents every setting and keeps its two first commands."""

from __future__ import annotations

import re
from pathlib import Path

from server.settings import SETTINGS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
CI = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")


def test_every_setting_is_documented():
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", README, re.MULTILINE))
    assert set(SETTINGS) - documented == set()
    assert documented - set(SETTINGS) == set()


def test_ci_runs_the_readme_test_command():
    blocks = re.findall(r"```\n(.*?)\n```", README, re.DOTALL)
    test_command = next(b for b in blocks if "pytest" in b)
    assert test_command in CI.splitlines()
    assert "dialogue55 serve" in blocks[0]
