"""Helpers for the tests of `plugins-contrib/`: where things are, and installing a package as pip would lay it out."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CONTRIB = REPO / "plugins-contrib"
GUIDE = REPO / "docs" / "plugin-guide.md"
PACKAGES = sorted(p for p in CONTRIB.iterdir() if (p / "pyproject.toml").is_file())
IGNORED = shutil.ignore_patterns("__pycache__", "build", "*.egg-info", ".pytest_cache")


def project(folder: Path) -> dict:
    return tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8"))


def entry_points(folder: Path) -> dict[str, str]:
    """The package's entry points in the group `bizops`: {company name: module}."""
    return project(folder)["project"].get("entry-points", {}).get("bizops", {})


def install(folder: Path, site: Path) -> None:
    """Lay the package out in `site` as `pip install` does: its modules and a dist-info with the entry points.

    (A real pip install needs the package index for the build backend; CI does
    that, see the README's test command. This checks what pip would install.)
    """
    meta = project(folder)
    name, version = meta["project"]["name"], meta["project"]["version"]
    for package in meta["tool"]["setuptools"]["packages"]:
        data = meta["tool"]["setuptools"].get("package-data", {}).get(package, [])
        keep = {p.name for pattern in data for p in (folder / package).glob(pattern)}

        def ignore(directory, names, keep=keep):
            return [n for n in names if not n.endswith(".py") and n not in keep]

        shutil.copytree(folder / package, site / package, ignore=ignore)
    info = site / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8")
    lines = "".join(f"{k} = {v}\n" for k, v in entry_points(folder).items())
    (info / "entry_points.txt").write_text(f"[bizops]\n{lines}", encoding="utf-8")
