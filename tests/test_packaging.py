"""A built wheel carries one import root, the training configs and the shipped model."""

import subprocess
import sys
import zipfile

import pytest

from tests.conftest import REPO


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out),
                    str(REPO)], check=True)
    (wheel,) = out.glob("solieu-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        return zf.namelist()


def test_only_solieu_at_the_top(wheel_names):
    tops = {name.split("/")[0] for name in wheel_names if not name.split("/")[0].endswith(".dist-info")}
    assert tops == {"solieu"}


def test_model_configs_and_page_are_packaged(wheel_names):
    assert "solieu/models/trained/solieu_vi_default/config.cfg" in wheel_names
    assert "solieu/models/trained/solieu_vi_default/meta.json" in wheel_names
    assert "solieu/training/default.cfg" in wheel_names
    assert any(n.startswith("solieu/service/static/") for n in wheel_names)
    assert "solieu/batch/__init__.py" in wheel_names
