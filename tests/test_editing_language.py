"""Issue 12, the editing commands: init (a new year, a new department, --from), rename, fmt and record say
what went wrong in Traditional Chinese under a zh_TW locale, in English under LANG=C, with nothing of the
other language but codes, paths, option and key names (and the Chinese names the English messages quote)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO, stratmap

ZH = {"LANG": "zh_TW.UTF-8"}
C = {"LANG": "C.UTF-8"}

ALLOWED_WORDS = {
    # the program, its commands, options and the keys, columns and file kinds a person types
    "stratmap", "init", "from", "rename", "fmt", "record", "trace", "validate", "force", "write", "department",
    "kind", "frequency", "note", "kpi", "period", "actual", "city", "id", "plan", "city_map", "theme", "measures",
    "yaml", "yml", "YAML", "CSV", "KPI", "MiB", "ruamel", "build", "data", "doed", "foo", "bogus", "code", "prefix",
}  # fmt: skip
"""English words a Chinese message may hold: names of commands, options, keys and formats."""
QUOTED_CHINESE = {"民國", "指標代碼", "期別", "實際值", "備註"}
"""Chinese that English messages quote on purpose: the 民國 year, the Chinese CSV header."""
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository holding a copy of the shipped plan and its schemas."""
    root = tmp_path / "repo"
    shutil.copytree(REPO / "data" / "110", root / "data" / "110")
    shutil.copytree(REPO / "schemas", root / "schemas")
    (root / ".git").mkdir()
    return root


def english_words(text: str) -> list[str]:
    """The English words of ``text`` once paths, codes, option names and quoted values are taken out."""
    text = re.sub(r"\S+\.(?:yaml|yml|csv|json)(?::\d+)*", " ", text)  # files, with their line and column
    text = re.sub(r"(?:[\w.-]+/)+[\w.-]*", " ", text)  # paths
    text = re.sub(r"--[\w-]+", " ", text)  # options
    text = re.sub(r"\b[a-z][a-z0-9-]*:[A-Z][\w.]*", " ", text)  # qualified codes
    text = re.sub(r"\b[A-Z]{1,2}\d*(?:\.\d+)*\b", " ", text)  # codes
    text = re.sub(r"U\+[0-9A-F]{4}", " ", text)
    text = re.sub(r"「[^」]*」|'[^']*'", " ", text)  # values quoted from the input
    return [word for word in re.findall(r"[A-Za-z_]{2,}", text) if word not in ALLOWED_WORDS]


def chinese_beyond(text: str, data: str) -> list[str]:
    """Chinese in ``text`` that is neither in the data nor quoted on purpose."""
    return [run for run in CJK.findall(text) if run not in QUOTED_CHINESE and run not in data]


SCENARIOS: dict[str, tuple[list[str], str]] = {
    "init: department id": (["init", "data/111", "--department", "City"], ""),
    "init: department exists": (["init", "data/110", "--department", "doed"], ""),
    "init: year folder": (["init", "data/0111"], ""),
    "init --from: year folder": (["init", "data/abc", "--from", "data/110"], ""),
    "rename: level": (["rename", "BP2.1", "BP2"], ""),
    "rename: taken": (["rename", "BP2.1", "CC2.1"], ""),
    "rename: namespace": (["rename", "BP2.1", "city:BP2.9"], ""),
    "rename: ambiguous": (["rename", "BP2", "BP9"], ""),
    "rename: unknown": (["rename", "ZZ9.1", "ZZ9.2"], ""),
    "rename: perspective": (["rename", "doed:BP2", "doed:BC9"], ""),
    "fmt: kind": (["fmt", "data/110/departments/doed/zz.yaml"], "kind: foo\nname: x\n"),
    "record: header": (["record", "data/110", "v.csv"], "kpi,period,actual,bogus\n"),
    "record: rows": (
        ["record", "data/110", "v.csv"],
        "kpi,period,actual\nBP2.1,,\nBP2.1,110,1\nBP2.1,110,2\ncity:DP2.1,110,1\nBP2.1,2021,3\nXX1.1,110,3\n"
        "BP2.1,110Q1,12%\nBP2.1,110,1.2.3\n",
    ),
    "record: empty": (["record", "data/110", "v.csv"], ""),
    "record: nothing": (["record", "data/110", "v.csv"], "kpi,period,actual\n"),
    "render: unsafe output": (["render", "data/110", "-o", "data"], ""),
}
"""Each command that fails (or has nothing to do) in one of the editing modules, and a file it reads."""


def run_scenario(repo: Path, name: str, env: dict[str, str]) -> str:
    args, text = SCENARIOS[name]
    if name.startswith("fmt"):
        (repo / args[-1]).write_text(text, encoding="utf-8")
    elif name.startswith("record"):
        (repo / "v.csv").write_text(text, encoding="utf-8")
    run = stratmap(*args, cwd=repo, env=env)
    assert run.code in (0, 1, 2), run.err
    assert "Traceback" not in run.err and "internal error" not in run.err, run.err
    output = run.err if run.code else run.out
    assert output.strip(), (name, run)
    return output


def data_text() -> str:
    return "".join(path.read_text(encoding="utf-8") for path in (REPO / "data" / "110").rglob("*.yaml"))


@pytest.mark.parametrize("name", SCENARIOS)
def test_messages_in_chinese(repo: Path, name: str) -> None:
    output = run_scenario(repo, name, ZH)
    assert CJK.search(output), output
    assert "error:" not in output, output
    assert not english_words(output), (english_words(output), output)


@pytest.mark.parametrize("name", SCENARIOS)
def test_messages_in_english(repo: Path, name: str) -> None:
    output = run_scenario(repo, name, C)
    assert not chinese_beyond(output, data_text()), (chinese_beyond(output, data_text()), output)


def test_record_summary_and_changes_in_both_languages(repo: Path) -> None:
    (repo / "v.csv").write_text("kpi,period,actual,note\nBP2.1,110,1200,新的備註\nBP2.1,110,1200\n", encoding="utf-8")
    zh = stratmap("record", "data/110", "v.csv", cwd=repo, env=ZH)
    assert zh.code == 1 and "重複出現" in zh.err and "未寫入任何檔案" in zh.err, zh.err
    (repo / "v.csv").write_text("kpi,period,actual\nBP2.1,110,1200\n", encoding="utf-8")
    zh = stratmap("record", "data/110", "v.csv", "--write", cwd=repo, env=ZH)
    assert zh.code == 0, zh.err
    assert "已記錄 1 個數值，寫入 1 個檔案" in zh.out, zh.out
    (repo / "v.csv").write_text("kpi,period,actual,note\nBP2.1,110,1300,改過\n", encoding="utf-8")
    zh = stratmap("record", "data/110", "v.csv", cwd=repo, env=ZH)
    assert zh.code == 0, zh.err
    changed = [line for line in zh.out.splitlines() if line.startswith("變更 ")]
    assert changed and not english_words(changed[0]), zh.out
    assert "備註：（無） → 改過" in changed[0], changed
    en = stratmap("record", "data/110", "v.csv", cwd=repo, env=C)
    assert "changed doed:BP2.1 110: 1200 → 1300; note: (none) → 改過 (v.csv:2)" in en.out, en.out
    assert "would record 1 value in 1 file (1 changed)" in en.out, en.out


def test_the_files_init_writes_are_chinese_in_any_language(tmp_path: Path) -> None:
    """The placeholders and comments written into new files are for the planners: the same in any language."""
    texts = {}
    for env in (ZH, C):
        root = tmp_path / env["LANG"]
        (root / ".git").mkdir(parents=True)
        run = stratmap("init", "data/111", "--department", "doed", cwd=root, env=env)
        assert run.code == 0, run.err
        texts[env["LANG"]] = {
            path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
            for path in sorted((root / "data").rglob("*.yaml"))
        }
    assert texts[ZH["LANG"]] == texts[C["LANG"]]
    assert "待填" in texts[C["LANG"]]["data/111/city.yaml"]
