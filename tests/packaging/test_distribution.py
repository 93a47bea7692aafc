"""The distribution installs the import package `gongkai` from the generator/ folder."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _declared_packages() -> set[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return set(config["tool"]["setuptools"]["packages"])


def test_every_subpackage_is_declared():
    folders = {
        ".".join(("gongkai", *init.parent.relative_to(ROOT / "generator").parts))
        for init in (ROOT / "generator").rglob("__init__.py")
    }
    assert folders == _declared_packages()


def test_the_installed_distribution_provides_gongkai_only():
    import gongkai.cli

    assert Path(gongkai.cli.__file__).resolve().parent == (ROOT / "generator").resolve()
    provided = metadata.packages_distributions()
    assert set(provided.get("gongkai", [])) == {"gongkai"}
    assert "gongkai" not in provided.get("generator", [])


@pytest.mark.slow
def test_a_regular_wheel_holds_gongkai_with_its_templates(tmp_path: Path):
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    assert built.returncode == 0, built.stderr
    assert "BuildBackendWarning" not in built.stderr  # e.g. a data folder setuptools would take for a package
    wheel = next(tmp_path.glob("gongkai-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "gongkai/cli.py" in names and "gongkai/checks/schema.py" in names
    assert not any(name.startswith("generator/") for name in names)
    assert any(name.startswith("gongkai/report/") and name.endswith(".css") for name in names)
    unpacked = tmp_path / "unpacked"
    zipfile.ZipFile(wheel).extractall(unpacked)
    entry_points = next(unpacked.glob("gongkai-*.dist-info")) / "entry_points.txt"
    assert "gongkai = gongkai.program:run" in entry_points.read_text()
    assert "gongkai = gongkai.mkdocs_plugin:GongkaiPlugin" in entry_points.read_text()
    imported = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(unpacked)!r}); import gongkai.mkdocs_plugin, gongkai.cli"],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert imported.returncode == 0, imported.stderr
