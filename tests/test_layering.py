"""Layering contracts, checked on the source: what each layer may import.

(import-linter cannot follow the package-dir mapping of an editable install, so these
quick checks read the import statements of the source files; tests/test_import_contracts.py runs
import-linter on the built wheel against `.importlinter`.)
"""

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

LAYERS = {
    "solieu.schema": [REPO / "solieu" / "schema.py"],
    "solieu.models": sorted((REPO / "models").rglob("*.py")),
    "solieu.training": sorted((REPO / "training").rglob("*.py")),
    "solieu.service": sorted((REPO / "service").rglob("*.py")),
}
FORBIDDEN = {
    "solieu.schema": ("solieu",),
    "solieu.models": ("solieu.service", "solieu.cli", "solieu.training"),
    "solieu.training": ("solieu.service", "solieu.cli"),
    "solieu.service": ("solieu.training",),
}


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_only_what_it_may(layer):
    offending = []
    for path in LAYERS[layer]:
        for name in _imports(path):
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN[layer]):
                offending.append(f"{path.relative_to(REPO)} imports {name}")
    assert not offending, offending


def test_no_generic_top_level_modules_are_imported():
    """Everything imports under `solieu`: never a bare `models`, `service` or `training`."""
    bare = []
    for path in [*REPO.glob("solieu/**/*.py"), *REPO.glob("models/**/*.py"), *REPO.glob("service/**/*.py"),
                 *REPO.glob("training/**/*.py"), *REPO.glob("tests/**/*.py"), *REPO.glob("benchmarks/*.py")]:
        for name in _imports(path):
            if name.split(".")[0] in {"models", "service", "training"}:
                bare.append(f"{path.relative_to(REPO)} imports {name}")
    assert not bare, bare


def test_the_extractor_interface_is_a_leaf():
    """Registry, pipelines and edges all import `solieu.interface`; it imports only the schema."""
    imported = {n for n in _imports(REPO / "solieu" / "interface.py") if n.startswith("solieu")}
    assert imported <= {"solieu.schema"}, imported


def test_pipelines_do_not_import_the_registry():
    """The registry loads pipelines; a pipeline importing the registry back was the old cycle."""
    for module in ("pipeline.py", "rules.py", "baselines.py"):
        assert not any(n.startswith("solieu.extractors") for n in _imports(REPO / "solieu" / module)), module
