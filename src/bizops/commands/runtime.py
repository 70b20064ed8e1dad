"""Per-invocation state of the CLI, and the guard every command runs inside.

`start()` is called once per `bizops.cli.main` call with what was pre-read
from argv (`--plugin`, `--no-plugins`); the plugin host is then shared by the
CLI (which asks plugins for their commands) and the command that runs.

`guarded(options, body)` runs a command body: its errors become one line on
stderr and the contract's exit code; a broken pipe ends quietly with 0; a
plugin's `print()` goes to stderr and never into the data on stdout
(`bizops.core.guard`).
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import traceback
from collections.abc import Callable

from bizops.core.errors import BizopsError, Exit, InputMissing, OutputError, PluginFailure
from bizops.core.guard import guarding_stdout
from bizops.core.i18n import default_lang, msg, os_reason, render
from bizops.core.plugins import PluginHost, get_plugin_manager
from bizops.core.session import PluginSelection, Session

_selection = PluginSelection()
_host: PluginHost | None = None
_help_lang = "en"


def start(selection: PluginSelection, lang: str | None = None) -> None:
    """A new invocation: what plugins to load, and the language its help is written in."""
    global _selection, _host, _help_lang
    _selection, _host = selection, None
    _help_lang = lang if lang in ("zh", "en") else default_lang()


def help_lang() -> str:
    """`--lang` as read before parsing (else the locale): field flags describe themselves in it."""
    return _help_lang


class _ClosedStdin:
    """sys.stdin when the shell closed it (`bizops quote - <&-`): reading it is exit 66, not a crash."""

    def _closed(self, *args):
        raise InputMissing(msg("standard input is closed: nothing to read", "标准输入已关闭：无可读取内容"))

    buffer = property(_closed)
    read = readline = __iter__ = _closed

    def isatty(self) -> bool:
        return False


def check_std_streams(lang: str | None) -> int | None:
    """Make closed standard streams (`<&-`, `>&-`, `2>&-`) failures with an exit code, not crashes.

    Returns 74 when stdout is closed (results have nowhere to go), else None.
    """
    if sys.stderr is None:  # messages are lost; the exit code still tells
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    if sys.stdin is None:
        sys.stdin = _ClosedStdin()
    if sys.stdout is None:
        zh = (lang or default_lang()) == "zh"
        sys.stderr.write(
            "bizops: 标准输出已关闭：结果无处可写\n"
            if zh
            else "bizops: standard output is closed: the results have nowhere to go\n"
        )
        return Exit.IO
    return None


def host() -> PluginHost:
    global _host
    if _host is None:
        _host = get_plugin_manager(extra=_selection.extra, no_plugins=_selection.no_plugins)
    return _host


def session(options) -> Session:
    return Session(options, _selection, host=host())


def guarded(options, body: Callable[[Session], int]) -> int:
    """Run `body(session)`; return its exit code, or the code of what it raised."""
    lang = options.lang if options.lang in ("zh", "en") else default_lang()
    debug = bool(options.debug)
    real_stdout = sys.stdout
    sess = session(options)
    sess._stdout = data_stream(real_stdout)
    failed = None
    output = None
    with guarding_stdout() as guard:
        try:
            if getattr(options, "output", None):
                output = sess._stdout = OutputFile(options.output)
            code = body(sess)
        except BrokenPipeError:  # stdout's reader left (`| head -1`), or stderr's (`2>&1 | head -1`)
            _silence_stdout(real_stdout)
            _silence_stdout(sys.stderr)
            return Exit.OK
        except BaseException as exc:
            failed = exc
            code = report(exc, lang, debug)
        if output is not None:
            code = output.finish(code, lang, debug)
    _report_loading(failed, lang)
    if guard.culprits:
        names = ", ".join(_plugin_name(m) for m in guard.culprits)
        failure = PluginFailure(names, "print", "wrote to stdout (moved to stderr, where messages belong)")
        sys.stderr.write(f"bizops: {render(failure.message, lang)}\n")
        code = max(code, Exit.SOFTWARE)
    return code


class OutputFile(io.BufferedWriter):
    """`-o FILE`: written beside FILE under a temporary name, and put in its place when the run ends.

    The file appears whole or not at all: when every row was accounted for
    (exit 0, 1 or 65, as stdout would have been complete); on any other end
    (Ctrl-C, a plugin failure, a full disk) FILE is left as it was.
    """

    def __init__(self, path: str):
        import tempfile

        self.path = os.path.abspath(path)
        folder, name = os.path.split(self.path)
        try:
            handle, self.partial = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=folder)
        except OSError as exc:
            raise OutputError(
                msg("-o {f}: cannot write there: {e}", "-o {f}：无法写入：{e}", f=path, e=os_reason(exc))
            ) from None
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self.partial, 0o666 & ~umask)  # as the file would be made, not mkstemp's 0600
        super().__init__(io.FileIO(handle, "wb"), buffer_size=1 << 16)

    def finish(self, code: int, lang: str, debug: bool) -> int:
        """Put the file in place if the run completed; else remove it. Returns the exit code."""
        try:
            self.close()
            if code in (Exit.OK, Exit.REFUSED, Exit.DATA):
                os.replace(self.partial, self.path)
                return code
        except OSError as exc:
            code = report(exc, lang, debug)
        with contextlib.suppress(OSError):
            os.unlink(self.partial)
        return code


def _report_loading(failed: BaseException | None, lang: str) -> None:
    """One line per plugin that failed to load or printed while loading.

    Such a plugin does not change the exit code of a command that does not
    use it: a broken plugin is left out and every other plugin works. A
    plugin the command's own error already names is not reported twice.
    """
    if _host is None:
        return
    named = getattr(failed, "plugin", None)
    for failure in _host.failures:
        if failure.name == named:
            continue
        text = PluginFailure(failure.name, failure.hook, failure.error).message
        note = "；已跳过，其他插件照常工作" if lang == "zh" else "; left out, the other plugins still work"
        sys.stderr.write(f"bizops: {render(text, lang)}{note}\n")
    for name in _host.printed:
        text = PluginFailure(name, "loading", "wrote to stdout (moved to stderr, where messages belong)").message
        sys.stderr.write(f"bizops: {render(text, lang)}\n")


def data_stream(stdout):
    """The binary stream results go to: stdout, block-buffered even under PYTHONUNBUFFERED.

    A write per row costs a system call per row (a third of the time of a
    million-row quote); on a terminal, rows still appear as they are decided.
    """
    binary = getattr(stdout, "buffer", None)
    raw = binary if isinstance(binary, io.FileIO) else getattr(binary, "raw", None)  # FileIO under -u
    if not isinstance(raw, io.FileIO):
        return binary
    if raw.isatty():
        return binary if binary is raw else _ShownAtOnce(binary)
    binary.flush()
    return io.BufferedWriter(raw, buffer_size=1 << 16)


class _ShownAtOnce:
    """A terminal's buffered stdout, flushed after every write: a person watches rows as they come."""

    def __init__(self, buffer):
        self._buffer = buffer

    def write(self, data) -> int:
        written = self._buffer.write(data)
        self._buffer.flush()
        return written

    def __getattr__(self, name):
        return getattr(self._buffer, name)


def _plugin_name(module: str) -> str:
    for name, loaded in host().loaded.items():
        prefix = getattr(loaded.module, "__name__", None)
        if prefix and (module == prefix or module.startswith(prefix + ".")):
            return name
    return module


def report(exc: BaseException, lang: str, debug: bool) -> int:
    """Print one line for `exc` (and its traceback under --debug); return its exit code.

    If nobody reads stderr any more (`2>&1 | head -1`), the message is lost but the code stays.
    """
    try:
        return _report(exc, lang, debug)
    except BrokenPipeError:
        silence(sys.stderr)
        return _code_of(exc)


def _code_of(exc: BaseException) -> int:
    if isinstance(exc, KeyboardInterrupt):
        return Exit.INTERRUPTED
    if isinstance(exc, BizopsError):
        return exc.exit_code
    return Exit.IO if isinstance(exc, OSError) else Exit.SOFTWARE


def _report(exc: BaseException, lang: str, debug: bool) -> int:
    if isinstance(exc, KeyboardInterrupt):
        sys.stderr.write("bizops: 已中断\n" if lang == "zh" else "bizops: interrupted\n")
        return Exit.INTERRUPTED
    if isinstance(exc, BizopsError):
        text, code = render(exc.message, lang), exc.exit_code
    elif isinstance(exc, OSError):
        detail = render(os_reason(exc), lang)
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        text = f"读写错误{where}：{detail}" if lang == "zh" else f"I/O error{where}: {detail}"
        code = Exit.IO
    elif isinstance(exc, SystemExit):
        text, code = f"exit requested: {exc.code!r}", Exit.SOFTWARE
    else:
        text = (
            f"bizops 内部错误：{type(exc).__name__}: {exc}"
            if lang == "zh"
            else (f"bizops failed: {type(exc).__name__}: {exc}")
        )
        code = Exit.SOFTWARE
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    sys.stderr.write(f"bizops: {text}\n")
    if not debug and code == Exit.SOFTWARE:
        hint = "（加 --debug 查看详情）" if lang == "zh" else "(run with --debug for the traceback)"
        sys.stderr.write(f"bizops: {hint}\n")
    return code


def silence(stream) -> None:
    """After a broken pipe, point `stream` (stdout or stderr) at /dev/null so the exit flush stays quiet."""
    _silence_stdout(stream)


def flush_quietly() -> None:
    """Flush stdout and stderr before exiting; a reader that has gone is no error (`--help | head -1`)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:
            silence(stream)
        except (OSError, ValueError, AttributeError):
            pass


def _silence_stdout(stdout) -> None:
    """After a broken pipe, point stdout at /dev/null so the exit flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
