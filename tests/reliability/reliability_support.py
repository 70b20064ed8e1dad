"""Helpers for the reliability suite: the contract's exit codes, real `bizops` processes, big inputs.

In-process runs (`bizops_run`) are used wherever a real process adds nothing;
pipes, signals, closed descriptors and `/dev/full` need the real command, so
`bizops_command()` is the `bizops` script of the virtualenv running the tests.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

from bizops.testing import isolated_env

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PLUGINS = HERE / "plugins"
#: The benchmark's order generator: the repository's copy, else the shared one.
GEN_ORDERS = next(
    (
        p
        for p in (REPO / "bench" / "kit" / "gen_orders.py", REPO.parent / "shared" / "bench" / "gen_orders.py")
        if p.exists()
    ),
    None,
)

#: Every exit code the contract allows; anything else is a bug.
CONTRACT_CODES = frozenset({0, 1, 2, 65, 66, 69, 70, 74, 75, 78, 130})

ROW_ERROR = re.compile(r"^row (\d+)(?:-(\d+))?: ", re.M)


def assert_contract(run, *codes: int) -> None:
    """The run ended as the contract allows: a listed code (or any contract code) and no traceback."""
    allowed = set(codes) or CONTRACT_CODES
    assert run.exit_code in allowed, run
    assert "Traceback" not in run.stderr and "Traceback" not in run.stdout, run


def error_rows(stderr: str) -> list[int]:
    """The row numbers named by row errors on stderr (the first of a span `3-5`)."""
    return [int(m.group(1)) for m in ROW_ERROR.finditer(stderr)]


def bizops_command() -> list[str]:
    """The real `bizops` command: the console script beside this Python, else `python -m bizops`."""
    script = Path(sys.executable).with_name("bizops")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "bizops"]


def process_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a bizops child process: isolated, as `bizops_run`'s is."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BIZOPS_", "ROGUE"))}
    for key, value in isolated_env(tmp_path).items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    env.update(extra)
    return env


def run_process(
    args: list[str], tmp_path: Path, *, input: bytes | None = None, timeout: float = 60, **env: str
) -> subprocess.CompletedProcess:
    """Run `bizops ARGS` as a real process, bytes in and out."""
    return subprocess.run(
        bizops_command() + args,
        cwd=tmp_path,
        env=process_env(tmp_path, **env),
        input=input,
        capture_output=True,
        timeout=timeout,
    )


def shell(script: str, tmp_path: Path, timeout: float = 60, **env: str) -> subprocess.CompletedProcess:
    """Run a bash pipeline in which `$BIZOPS` is the real command (real pipes, real descriptors)."""
    full_env = process_env(tmp_path, **env)
    full_env["BIZOPS"] = " ".join(bizops_command())
    return subprocess.run(["bash", "-c", script], cwd=tmp_path, env=full_env, capture_output=True, timeout=timeout)


def write_orders(path: Path, rows: int, seed: int = 7) -> Path:
    """`rows` cable quote requests as JSON Lines, from the benchmark's generator when it is there."""
    if GEN_ORDERS is not None:
        with open(path, "wb") as out:
            subprocess.run([sys.executable, str(GEN_ORDERS), str(rows), str(seed)], stdout=out, check=True)
        return path
    rng = random.Random(seed)  # the same shape as bench/gen_orders.py
    with open(path, "w", encoding="utf-8") as out:
        for i in range(rows):
            out.write(
                json.dumps(
                    {
                        "sku": f"BV-{rng.choice(['1.5', '2.5', '4', '6', '10'])}-{i % 97}",
                        "qty": rng.randint(1, 500),
                        "guide_price": f"{rng.uniform(50, 3000):.2f}",
                        "vat_invoice": rng.random() < 0.7,
                        "discount_pct": rng.choice([0, 0, 0, 1, 2, 3, 5, 8]),
                        "fee_pct": rng.choice([0, 0, 0, 3, 5]),
                    }
                )
                + "\n"
            )
    return path


def can_drop_root_privileges() -> bool:
    """Whether a read-only location can be made read-only for this user (root needs setpriv)."""
    return os.geteuid() != 0 or shutil.which("setpriv") is not None


def as_unprivileged(command: list[str]) -> list[str]:
    """`command`, run without root's power to write anywhere (a no-op for other users)."""
    if os.geteuid() != 0:
        return command
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner", "--"] + command


def on_terminal(args: list[str], tmp_path, columns: int = 80, stdin=None, **env) -> tuple[int, str]:
    """Run bizops with its output on a real pseudo-terminal `columns` wide; what the screen received."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()

    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    environ = process_env(tmp_path, TERM="xterm-256color", **env)
    environ.pop("COLUMNS", None)
    environ.pop("LINES", None)
    proc = subprocess.Popen(bizops_command() + args, cwd=tmp_path, env=environ, stdin=stdin, stdout=slave, stderr=slave)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the other side closed (EIO on Linux)
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    return proc.wait(30), out.decode("utf-8")
