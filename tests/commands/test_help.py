"""Issue 15, the CLI a modern user expects: help in either language that ends with examples that run,
"did you mean" for commands and options, shell completion of companies and a company's fields.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u4e00-\u9fff]")
COMPANIES = ("cable", "pv", "pile", "airline")


def commands(company: str, lang: str):
    """Every command bizops builds for `company`, as (words, click command), in the help's language."""
    import typer

    from bizops import cli
    from bizops.commands import runtime
    from bizops.core.session import PluginSelection

    saved = cli._early, runtime._help_lang
    cli._early = cli.Options(company=company, lang=lang)
    runtime.start(PluginSelection((), False), lang)
    try:
        found = []

        def walk(command, words):
            found.append((words, command))
            if hasattr(command, "list_commands"):
                for name in command.list_commands(None):
                    sub = command.get_command(None, name)
                    if sub is not None:
                        walk(sub, [*words, name])

        walk(typer.main.get_command(cli.app), [])
        return found
    finally:
        cli._early = saved[0]
        runtime.start(PluginSelection((), False), saved[1])


@pytest.mark.parametrize("company", COMPANIES)
def test_every_help_text_is_in_chinese_under_lang_zh(company):
    from bizops.commands import texts

    untranslated = []
    for words, command in commands(company, "zh"):
        texts_of = [("help", command.help or "")] + [(p.name, getattr(p, "help", "") or "") for p in command.params]
        for name, text in texts_of:
            if text and not CJK.search(text) and not CJK.search(texts.zh(text)):
                untranslated.append(f"{' '.join(words)} {name}: {text[:60]}")
    assert untranslated == []


@pytest.mark.parametrize("company", COMPANIES)
def test_every_command_help_ends_with_examples(company):
    for words, command in commands(company, "en"):
        if not words or words == ["expense"]:
            continue
        assert command.epilog and "Examples:" in command.epilog, words
        assert 2 <= command.epilog.count("\n  bizops ") <= 4, (words, command.epilog)


def test_help_in_chinese_ends_with_chinese_examples(bizops_run):
    r = bizops_run("--lang", "zh", "--company", "cable", "approve-order", "--help")
    assert r.exit_code == 0
    assert "用法：" in r.stdout and "选项" in r.stdout
    tail = r.stdout.split("示例：", 1)[1]
    assert "bizops --company cable approve-order" in tail and CJK.search(tail)


def test_a_row_command_without_a_company_says_how_to_choose_one_and_shows_one(bizops_run):
    r = bizops_run("quote", "--help")
    assert r.exit_code == 0
    assert "bizops companies" in r.stdout and "--company" in r.stdout
    assert "--guide-price" in r.stdout  # one company's fields, as an example


def test_did_you_mean_a_command(bizops_run):
    r = bizops_run("qoute")
    assert r.exit_code == 2 and "Did you mean 'quote'?" in r.stderr
    r = bizops_run("--lang", "zh", "ledger", "lst")
    assert r.exit_code == 2 and "是否要用 'list'" in r.stderr
    r = bizops_run("--company", "pv", "expense", "clam")
    assert r.exit_code == 2 and "'claim'" in r.stderr


def test_did_you_mean_an_option(bizops_run):
    r = bizops_run("--company", "cable", "quote", "--guide-pric", "3")
    assert r.exit_code == 2 and "--guide-price" in r.stderr.splitlines()[-1]
    r = bizops_run("--lang", "zh", "--company", "cable", "quote", "--qyt", "3")
    assert r.exit_code == 2 and r.stderr.splitlines()[-1] == "错误：没有选项：--qyt；是否要用 --qty？"
    r = bizops_run("--compny", "cable", "quote")
    assert r.exit_code == 2 and "--company" in r.stderr


# -- the examples run, from a fresh clone -----------------------------------------------------------------------
def test_every_help_example_runs_from_a_fresh_clone(fresh_clone, shell_env):
    clone, env = fresh_clone, shell_env
    seen: list[str] = []
    for _words, command in commands("cable", "en") + commands("pv", "en") + commands("pile", "en"):
        for line in (command.epilog or "").splitlines():
            line = line.strip()
            if line.startswith("bizops ") and line not in seen and not line.startswith("bizops completion"):
                seen.append(line)
    assert len(seen) > 30
    for line in seen:
        done = subprocess.run(["bash", "-c", line], cwd=clone, env=env, capture_output=True, timeout=120)
        assert done.returncode in (0, 1), (line, done.stderr.decode()[-2000:])
        assert done.stdout or "-o " in line or " > " in line or "import-customers" in line, line


def test_completion_scripts_for_every_shell(bizops_run):
    for shell, marker in (("bash", "complete "), ("zsh", "compdef"), ("fish", "complete "), ("powershell", "Register")):
        r = bizops_run("completion", shell)
        assert r.exit_code == 0 and "_BIZOPS_COMPLETE" in r.stdout and marker in r.stdout, (shell, r)
    r = bizops_run("completion", "tcsh")
    assert r.exit_code == 2


def complete(tmp_path: Path, words: str, shell: str = "bash") -> list[str]:
    """What a Tab after `words` offers, asked of bizops as the shell's script asks it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BIZOPS_")} | {"HOME": str(tmp_path)}
    env["_BIZOPS_COMPLETE"] = f"complete_{shell}"
    if shell == "bash":
        env["COMP_WORDS"], env["COMP_CWORD"] = words, str(len(words.split()) - (0 if words.endswith(" ") else 1))
    else:
        env["_TYPER_COMPLETE_ARGS"] = words
        env["_TYPER_COMPLETE_WORD_TO_COMPLETE"] = "" if words.endswith(" ") else words.split()[-1]
        env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    done = subprocess.run([sys.executable, "-m", "bizops"], cwd=tmp_path, env=env, capture_output=True, timeout=60)
    return done.stdout.decode().split()


def test_completion_of_companies_fields_and_choices(tmp_path):
    assert {"cable", "pv", "pile", "airline"} <= set(complete(tmp_path, "bizops --company "))
    assert complete(tmp_path, "bizops qu") == ["quote"]
    assert "--guide-price" in complete(tmp_path, "bizops --company cable quote --gu")
    assert "--scope" in complete(tmp_path, "bizops --company pv expense claim --sc")
    assert complete(tmp_path, "bizops --company cable approve-order --settlement c") == ["cash", "credit"]
    assert "xlsx" in complete(tmp_path, "bizops --format x")
    assert any("--guide-price" in w for w in complete(tmp_path, "bizops --company cable quote --gu", "powershell"))
    assert any("--guide-price" in w for w in complete(tmp_path, "bizops --company cable quote --gu", "fish"))
    assert "credit" in " ".join(complete(tmp_path, "bizops --company cable approve-order --settlement ", "zsh"))


@pytest.mark.parametrize(
    ("args", "code", "expected"),
    [
        (("quote", "nosuch.csv"), 66, "bizops: nosuch.csv：无法读取输入：没有那个文件或目录"),
        (("quote", "."), 66, "bizops: .：无法读取输入：是一个目录"),
        (("quote", "--qty", "1", "--guide-price", "1", "-o", "nosuch/x.csv"), 74, "无法写入：没有那个文件或目录"),
    ],
)
def test_the_operating_systems_reasons_are_said_in_chinese_too(bizops_run, tmp_path, args, code, expected):
    r = bizops_run("--lang", "zh", "--company", "cable", *args)
    assert r.exit_code == code, r
    reason = r.stderr.rsplit("：", 1)[1]  # the operating system's part
    assert expected in r.stderr and not re.search("[A-Za-z]", reason), r.stderr
