"""Shared fixtures: `bizops_run` and `bizops_plugin` come from `bizops.testing` (a pytest11 plugin);
`fresh_clone` and `shell_env` run commands as a user who just cloned the repository would."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bizops.testing import isolated_env

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def fresh_clone(tmp_path) -> Path:
    """The files git tracks, copied as a clone has them (the working tree's content), in `tmp_path/clone`."""
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    into = tmp_path / "clone"
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    for name in listed.decode().split("\0"):
        if name and (REPO / name).is_file():
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(REPO / name, into / name)
    return into


@pytest.fixture
def shell_env(tmp_path) -> dict[str, str]:
    """A shell's environment where `bizops` is this one, isolated as `bizops_run`'s (home, config, data in tmp)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BIZOPS_")}
    for key, value in isolated_env(tmp_path).items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env["HOME"] = str(tmp_path)
    return env
