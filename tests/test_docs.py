"""The README keeps its two first commands and CI runs exactly the second (its settings: tests/test_settings.py)."""

from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```\n(.*?)\n```", README, re.DOTALL)
TEST_COMMAND = next(b for b in BLOCKS if "pytest" in b)


def test_ci_runs_the_readme_test_command():
    assert TEST_COMMAND in CI.splitlines()
    assert "dialogue55 serve" in BLOCKS[0]


def test_the_test_command_sets_up_every_tool_the_tests_use():
    script = TEST_COMMAND.split(" && ")[0]
    path = ROOT / script
    assert path.is_file() and os.access(path, os.X_OK), f"{script} is not an executable file"
    text = path.read_text(encoding="utf-8")
    for program, package in [("chromium", "chromium"), ("chromedriver", "chromium-driver"), ("wrk", "wrk"),
                             ("node", "nodejs"), ("npm", "npm"), ("apache2", "apache2"), ("nginx", "nginx")]:
        assert f"command -v {program} " in text and f"missing+=({package})" in text, program
    installs = {line.split()[-2] for line in text.splitlines() if " install -y -qq " in line}
    assert installs >= {"chromium", "chromium-driver", "wrk", "nodejs", "npm", "virtuoso-opensource",
                        "apache2", "nginx"}, installs
    assert "npm ci --prefix js" in text
    for package in ("chromium", "wrk", "nodejs", "npm ci", "apache2", "nginx"):
        assert package in README, f"the README does not say that the tests install {package}"


def test_serving_needs_no_test_tool():
    assert "install-tools" not in BLOCKS[0] and "npm" not in BLOCKS[0]
