"""`bizops.core.signals`: a held step finishes before Ctrl-C ends the run; a second Ctrl-C does not wait.

Signals sent to this very process (pytest's main thread), as a terminal sends them.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from bizops.core import signals


@pytest.fixture
def installed():
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    signals.stop_on_signals()
    yield
    signals.reset()
    for signum, handler in before.items():
        signal.signal(signum, handler)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_during_a_held_step_ends_the_run_when_the_step_is_done(installed, signum):
    done = []
    with pytest.raises(KeyboardInterrupt), signals.held():
        os.kill(os.getpid(), signum)
        done.append("committed")  # still runs: the step is not cut in two
        done.append("counted")
    assert done == ["committed", "counted"]
    with pytest.raises(KeyboardInterrupt):  # nothing held: at once, as ever
        os.kill(os.getpid(), signum)
        done.append("never")
    assert done == ["committed", "counted"]


def test_nested_holds_raise_once_the_outer_one_ends(installed):
    signals.hold()
    signals.hold()
    os.kill(os.getpid(), signal.SIGINT)
    signals.release()  # still held by the outer step
    with pytest.raises(KeyboardInterrupt):
        signals.release()


def test_a_second_signal_does_not_wait(installed):
    """A held step stuck (a full pipe nobody reads, a server gone): Ctrl-C twice stops it."""
    with pytest.raises(KeyboardInterrupt), signals.held():
        os.kill(os.getpid(), signal.SIGINT)
        os.kill(os.getpid(), signal.SIGINT)
        pytest.fail("the second Ctrl-C waited for the step")


def test_ctrl_c_ignored_where_bizops_started_stays_ignored(tmp_path):
    """A background job of a script is started with SIGINT ignored: bizops does not take it back."""
    code = (
        "import os, signal, sys\n"
        "from bizops.core import signals\n"
        "signals.stop_on_signals()\n"
        "os.kill(os.getpid(), signal.SIGINT)\n"
        "print('still running')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0 and done.stdout == "still running\n", done.stderr
