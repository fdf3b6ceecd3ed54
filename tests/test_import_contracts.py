"""The layering contracts of `.importlinter`, checked by import-linter on the built wheel, where
models/, training/ and service/ are the packages solieu.models, solieu.training, solieu.service
(in the source tree they are mapped folders, which import-linter cannot follow)."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def unpacked_wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(REPO)]
    # The installed setuptools when it can build the wheel (fast, offline); else pip's own build
    # environment, which fetches the build requirements.
    built = importlib.util.find_spec("setuptools") is not None and subprocess.run(
        [*command, "--no-build-isolation"], capture_output=True, timeout=600).returncode == 0
    if not built:
        subprocess.run(command, check=True, capture_output=True, timeout=600)
    [wheel] = out.glob("solieu-*.whl")
    site = out / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    return site


def _lint(site: Path, config: Path) -> subprocess.CompletedProcess:
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    return subprocess.run([lint, "--config", str(config), "--no-cache"], cwd=site, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(site)}, timeout=300)


def test_every_layering_contract_is_kept_on_the_built_wheel(unpacked_wheel):
    assert (unpacked_wheel / "solieu" / "service" / "app.py").is_file()
    assert (unpacked_wheel / "solieu" / "models" / "components" / "relations.py").is_file()
    result = _lint(unpacked_wheel, REPO / ".importlinter")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_broken_contract_is_reported(unpacked_wheel, tmp_path):
    """The check can fail: the service does import the schema, so forbidding it must break."""
    config = tmp_path / "broken.ini"
    config.write_text("[importlinter]\nroot_package = solieu\n\n[importlinter:contract:x]\nname = x\n"
                      "type = forbidden\nsource_modules =\n    solieu.service\nforbidden_modules =\n"
                      "    solieu.schema\n", encoding="utf-8")
    result = _lint(unpacked_wheel, config)
    assert result.returncode != 0 and "BROKEN" in result.stdout.upper()
