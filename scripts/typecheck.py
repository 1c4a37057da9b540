"""Type-check the installed package layout with mypy (run from the repository root).

pyproject.toml installs the top-level folders under one namespace (``scoring/`` is
``cplkpi.scoring``, and so on). mypy cannot follow setuptools' editable-install import hook, so
this script mirrors that mapping as a tree of symbolic links under ``build/typecheck/`` (read from
``[tool.setuptools] package-dir``, the one place it is written), runs ``mypy -p cplkpi`` over it with
the settings in ``[tool.mypy]``, and prints every error with its path in the repository.

Usage: ``python scripts/typecheck.py [extra mypy arguments]``; exit status is mypy's.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TREE = ROOT / "build" / "typecheck"


def link_tree() -> dict[str, str]:
    """Build ``build/typecheck/cplkpi`` from package-dir; return {tree prefix: repository prefix}."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    package_dir: dict[str, str] = config["tool"]["setuptools"]["package-dir"]
    shutil.rmtree(TREE, ignore_errors=True)
    prefixes: dict[str, str] = {}
    for package in sorted(package_dir, key=lambda name: name.count(".")):
        source = ROOT / package_dir[package]
        target = TREE.joinpath(*package.split("."))
        target.mkdir(parents=True, exist_ok=True)
        for entry in sorted(source.iterdir()):
            if entry.name == "__pycache__" or (target / entry.name).exists():
                continue
            if entry.is_dir() and any(
                other != package and package_dir[other] == str(entry.relative_to(ROOT))
                for other in package_dir
            ):
                continue  # a mapped sub-package gets its own directory
            os.symlink(entry, target / entry.name)
        prefixes[str(target.relative_to(ROOT)) + "/"] = package_dir[package].rstrip("/") + "/"
    return prefixes


def main(argv: list[str]) -> int:
    prefixes = link_tree()
    command = [sys.executable, "-m", "mypy", "-p", "cplkpi", *argv]
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    for line in (run.stdout + run.stderr).splitlines():
        for tree, repo in sorted(prefixes.items(), key=lambda item: -len(item[0])):
            if line.startswith(tree):
                line = repo + line[len(tree):]
                break
        print(line)
    return run.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
