"""CI checks types: `.ci/run` runs mypy, strict on what plugin authors build on, and a type error there fails it."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CI = (REPO / ".ci" / "run").read_text(encoding="utf-8")
STRICT = ("src/bizops/api.py", "src/bizops/core/hookspecs.py", "plugins-contrib/template/bizops_mycompany")


def ci_mypy() -> list[str]:
    """The mypy command `.ci/run` runs, as this interpreter runs it."""
    [line] = [line for line in CI.splitlines() if line.startswith(".venv/bin/mypy")]
    command, _, on_failure = line.partition("||")
    assert on_failure.strip() == "exit 1", "a mypy error must fail CI"
    return [sys.executable, "-m", "mypy", *shlex.split(command)[1:]]


def mypy(tmp_path: Path, *args: str) -> list[str]:
    """Errors mypy reports, with CI's configuration, in the strict modules (others are their owners' to fix)."""
    done = subprocess.run(
        [*ci_mypy(), "--cache-dir", str(tmp_path / "cache"), *args], cwd=REPO, capture_output=True, text=True
    )
    assert done.returncode in (0, 1), done.stderr
    return [line for line in done.stdout.splitlines() if line.startswith(STRICT) and ": error:" in line]


def test_ci_runs_mypy_after_the_linters():
    assert CI.index(".venv/bin/ruff format --check") < CI.index(".venv/bin/mypy")


def test_the_api_the_hook_specs_and_the_template_are_strictly_typed(tmp_path):
    assert mypy(tmp_path, *STRICT) == []


def test_a_type_error_in_the_api_fails_ci(tmp_path):
    api = REPO / "src" / "bizops" / "api.py"
    broken = tmp_path / "api.py"
    lines = len(api.read_text(encoding="utf-8").splitlines())
    broken.write_text(
        api.read_text(encoding="utf-8") + "\n\ndef helper(x):\n    return x\n\n\nWRONG: int = API_VERSION\n",
        encoding="utf-8",
    )
    found = mypy(tmp_path, "--shadow-file", "src/bizops/api.py", str(broken), "src/bizops/api.py")
    assert found == [
        f"src/bizops/api.py:{lines + 3}: error: Function is missing a type annotation  [no-untyped-def]",
        f"src/bizops/api.py:{lines + 7}: error: Incompatible types in assignment (expression has type "
        '"str", variable has type "int")  [assignment]',
    ]


def test_no_test_is_shadowed_by_another_of_its_name():
    """Tests may redefine names (F811 is off for fixtures), so a second `def test_x` would silently replace
    the first, which then never runs: found when a new test nearly hid an older one of the same name."""
    import ast

    shadowed = []
    for path in [*REPO.glob("tests/**/test_*.py"), *REPO.glob("src/bizops/plugins/**/test_*.py"),
                 *REPO.glob("plugins-contrib/*/tests/**/test_*.py")]:  # fmt: skip
        seen: set[str] = set()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                if node.name in seen:
                    shadowed.append(f"{path.relative_to(REPO)}: {node.name}")
                seen.add(node.name)
    assert len(list(REPO.glob("tests/**/test_*.py"))) > 50 and shadowed == []
