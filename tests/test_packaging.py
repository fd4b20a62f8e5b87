"""A wheel (not an editable install) carries the rulebook inside the package and can load it."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest
from tests.conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(REPO)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    [path] = out.glob("postcheck-*.whl")
    return path


def test_wheel_contains_rules_and_policy(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "postcheck/rules/policy.yaml" in names
    assert "postcheck/rules/social-media-policy.txt" in names
    assert any(n.startswith("postcheck/rules/lexicons/") for n in names)


def test_installed_wheel_finds_its_own_rules(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "import postcheck; from postcheck.rulebook.loader import bundled_rules_dir, load_rulebook;"
        "assert postcheck.__file__.startswith(sys.argv[1]), postcheck.__file__;"
        "assert str(bundled_rules_dir()).startswith(sys.argv[1]);"
        "print(len(load_rulebook().rules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(site)], capture_output=True, text=True, cwd=tmp_path, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert int(result.stdout) > 40


def test_wheel_carries_the_served_pages_and_the_api_description(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for page in ("draft.html", "queue.html", "common.js", "draft.js", "queue.js", "postcheck.css"):
        assert f"postcheck/serve/static/{page}" in names
    assert "postcheck/serve/openapi.yaml" in names
