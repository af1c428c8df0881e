"""The direction of imports (docs/architecture.md): ground ← members ← programs ←
grants ← overview, and ground ← visits ← overview. A module imports only from its own
app and the layers below it; nothing imports the roof."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Each app, with the apps it may import (besides itself).
LAYERS = {
    "lkks": set(),
    # Background jobs stand on the ground; any app above may start one.
    "jobs": {"lkks"},
    "members": {"lkks", "jobs"},
    "programs": {"lkks", "jobs", "members"},
    "grants": {"lkks", "jobs", "members", "programs"},
    # Study visits stand on the ground beside the three domains.
    "visits": {"lkks"},
    # The LKS's own pages stand on the register alone.
    "portal": {"lkks", "jobs", "members"},
    "overview": {"lkks", "jobs", "members", "programs", "grants", "visits"},
}


def imported_apps(path):
    """The project apps a module imports, anywhere in it (also inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return {name.split(".")[0] for name in names} & LAYERS.keys()


def modules(app):
    return sorted((ROOT / app).rglob("*.py"))


@pytest.mark.parametrize("app", LAYERS)
def test_an_app_imports_only_the_layers_below_it(app):
    upward = {
        str(path.relative_to(ROOT)): sorted(imported_apps(path) - LAYERS[app] - {app})
        for path in modules(app)
    }
    assert {module: apps for module, apps in upward.items() if apps} == {}


def test_the_check_sees_an_upward_import(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("def f():\n    from overview import dashboard\n", encoding="utf-8")

    assert imported_apps(module) == {"overview"}
