"""The layout README's Architecture section describes, held against the code: imports run one way, from the
packages that serve requests down to the domain, and no module grows past what a reader takes in at once."""

import ast
from pathlib import Path

import pytest

TIMELINE = Path(__file__).resolve().parent.parent / "timeline"
MAX_LINES = 400

# Lower layers never import higher ones; a layer's packages do not import each other.
LAYERS = {
    "domain": 0,  # dates, search words, bilingual text, the publishing rule: no models, no requests
    "data_version": 1,
    "models": 2,
    "signals": 3,
    "browse": 4,
    "editing": 4,  # the reader's pages; the editors' forms, history and importer
    "exports": 5,  # the exports read what the pages read
    "admin": 6,
    "server": 6,
    "bench": 6,
    "context_processors": 6,
    "templatetags": 7,
    "management": 7,
    "checks": 7,
    "urls": 8,
    "apps": 8,
    "settings": 8,
    "wsgi": 8,
}
# The export registry (timeline/exports/__init__.py) is declarations only, read by the pages' download links.
ALLOWED = {("browse", "timeline.exports")}


def _modules():
    for path in sorted(TIMELINE.rglob("*.py")):
        relative = path.relative_to(TIMELINE)
        if relative.parts[0] not in ("migrations", "locale"):
            yield relative, path


def _unit(parts):
    """The package or top-level module a dotted name under `timeline` belongs to."""
    return parts[0].removesuffix(".py")


def _imports(path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("timeline"):
            if node.module == "timeline":
                yield from (f"timeline.{alias.name}" for alias in node.names)
            else:
                yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name.startswith("timeline"))


def test_every_package_has_a_layer():
    units = {_unit(relative.parts) for relative, _ in _modules()} - {"__init__"}
    assert units <= set(LAYERS), f"give {sorted(units - set(LAYERS))} a layer in LAYERS"


def test_imports_run_from_higher_layers_to_lower_ones():
    wrong = []
    for relative, path in _modules():
        source = _unit(relative.parts)
        for name in _imports(path):
            target = name.split(".")[1]
            if source in ("__init__", target) or (source, name) in ALLOWED:
                continue
            if LAYERS[target] >= LAYERS[source]:
                wrong.append(f"{relative} imports {name}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("relative", [relative for relative, _ in _modules()], ids=str)
def test_no_module_is_longer_than_a_reader_takes_in(relative):
    lines = len((TIMELINE / relative).read_text().splitlines())
    assert lines <= MAX_LINES, f"{relative}: {lines} lines; split it by responsibility"
