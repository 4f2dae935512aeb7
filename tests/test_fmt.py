"""`stratmap fmt`: one canonical layout (the shipped data's), every comment kept, all files or none."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from conftest import DOED, PLAN_110, REPO, edit, stratmap

THEME_B = DOED / "theme-b.yaml"
DEPARTMENT = DOED / "department.yaml"
CITY = Path("city.yaml")

# Key order scrambled as a person might: each key moved with the comment lines above it.
REORDERED: dict[Path, list[tuple[str, str]]] = {
    THEME_B: [
        (
            "kind: theme\ncode: B\nname: 打造創業搖籃\naligns_to: [DP2]  # 對應府級 DP2 打造創業搖籃\n",
            "code: B\nname: 打造創業搖籃\naligns_to: [DP2]      # 對應府級 DP2 打造創業搖籃\nkind: theme\n",
        ),
        (
            "  - code: BC1\n    perspective: C\n    name: 完善創業服務辦公室輔導服務\n",
            "  - name: 完善創業服務辦公室輔導服務\n    perspective: C\n    code: BC1\n",
        ),
        (
            "{code: BC1.1.1, name: 臺北創業搖籃創業投資推展及行銷計畫}",
            "{name: 臺北創業搖籃創業投資推展及行銷計畫, code: BC1.1.1}",
        ),
        # The objective followed by "# 內部流程構面": its last key changes.
        ("  - code: BC3\n    perspective: C\n    name: 促進企業創新投資\n    kpis:\n", "  - kpis:\n"),
        (
            "          - {code: BC3.1.4, name: 臺北市融資貸款信用保證暨利息補貼}\n",
            "          - {code: BC3.1.4, name: 臺北市融資貸款信用保證暨利息補貼}\n"
            "    perspective: C\n    code: BC3\n    name: 促進企業創新投資\n",
        ),
        # An action plan in block style: fmt writes it in flow style.
        (
            "          - {code: BP3.1.1, name: 辦理內科BOT案履約管理計畫}\n",
            "          - name: 辦理內科BOT案履約管理計畫\n            code: BP3.1.1\n",
        ),
        (
            "    note: 平衡計分卡印作 BF2 / BF2.1 / BF2.1.1；依策略地圖改為 BF1 (見 ERRATA.md)\n"
            "    kpis:\n      - code: BF1.1\n        name: 預算執行差異率\n        action_plans:\n"
            "          - {code: BF1.1.1, name: 以預(決)算數計算預算執行差異率}\n",
            "    kpis:\n      - action_plans:\n          - {code: BF1.1.1, name: 以預(決)算數計算預算執行差異率}\n"
            "        code: BF1.1\n        name: 預算執行差異率\n"
            "    note: 平衡計分卡印作 BF2 / BF2.1 / BF2.1.1；依策略地圖改為 BF1 (見 ERRATA.md)\n",
        ),
    ],
    DEPARTMENT: [
        (
            "  construction_steps:  # 產業局策略地圖建構基礎及流程\n",
            "  construction_steps:     # 產業局策略地圖建構基礎及流程\n",
        ),
        (
            "\nmission: 促進產業永續發展，提升市民生活品質\nvision: 打造亞洲最適發展的創新匯流城市\n"
            "# Order of the strategy map slide. The STEP3 slide lists the same six values in another\n"
            "# order (正直誠信、開放共享、創新卓越、公平公益、永續發展、團結合作): see ERRATA.md.\n"
            "core_values: [正直誠信, 團結合作, 創新卓越, 開放共享, 公平公益, 永續發展]\n",
            "# Order of the strategy map slide. The STEP3 slide lists the same six values in another\n"
            "# order (正直誠信、開放共享、創新卓越、公平公益、永續發展、團結合作): see ERRATA.md.\n"
            "core_values: [正直誠信, 團結合作, 創新卓越, 開放共享, 公平公益, 永續發展]\n"
            "vision: 打造亞洲最適發展的創新匯流城市\n\nmission: 促進產業永續發展，提升市民生活品質\n",
        ),
        (
            "  lead: [D]\n  member: [A, B]\n  note: 以五大策略主題承接府級施政願景\n",
            "  note: 以五大策略主題承接府級施政願景\n  member: [A, B]\n  lead: [D]\n",
        ),
        ("{number: 1, text: 協助新創事業發展, objective: BP2}", "{objective: BP2, number: 1, text: 協助新創事業發展}"),
        ("      title: 運用機會，弱化威脅  # printed so; the quadrant is strengths x threats (ERRATA.md #15)\n", ""),
        (
            "        - {number: 4, text: 推動可食地景, objective: DP5}\n",
            "        - {number: 4, text: 推動可食地景, objective: DP5}\n"
            "      title: 運用機會，弱化威脅  # printed so; the quadrant is strengths x threats (ERRATA.md #15)\n",
        ),
        (
            "        - number: 4\n          text: 加強農禽畜產品查核檢驗\n          objective: EP2\n",
            "        - objective: EP2\n          text: 加強農禽畜產品查核檢驗\n          number: 4\n",
        ),
    ],
    CITY: [
        ("{code: AC1, perspective: C, name: 提升環境品質}", "{name: 提升環境品質, code: AC1, perspective: C}"),
        (
            "      - code: DC3\n        perspective: C\n        name: 完善創業服務及投資環境\n",
            "      - kpis:\n          - code: DC3.1\n          - code: DC3.2\n"
            "        perspective: C\n        name: 完善創業服務及投資環境\n        code: DC3\n",
        ),
        (
            "        name: 完善創業服務及投資環境\n        code: DC3\n        kpis:\n          - code: DC3.1\n"
            "          - code: DC3.2\n",
            "        name: 完善創業服務及投資環境\n        code: DC3\n",
        ),
    ],
}


def _cross_cutting_last(text: str) -> str:
    """city.yaml with its cross-cutting objectives (and the blank line above them) after the themes."""
    start, end = text.index("\ncross_cutting_objectives:"), text.index("\nthemes:")
    return text[:start] + text[end:] + text[start:end]


def _reindented(text: str) -> str:
    """Every indentation doubled, with three spaces after each dash: ``- code`` at 2 becomes ``-   code`` at 4."""

    def line(text: str) -> str:
        rest = text.lstrip(" ")
        indent = len(text) - len(rest)
        return " " * 2 * indent + ("-   " + rest[2:] if rest.startswith("- ") else rest)

    return "".join(line(text) for text in text.splitlines(keepends=True))


def scrambled(name: Path) -> str:
    """A shipped file with its keys in another order and another indentation, every comment kept."""
    text = (PLAN_110 / name).read_text(encoding="utf-8")
    for old, new in REORDERED[name]:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    if name == CITY:
        text = _cross_cutting_last(text)
    return _reindented(text)


def comments(text: str) -> list[str]:
    """The comments of a data file, sorted (the shipped files hold no ``#`` in a value)."""
    return sorted(line.partition("#")[2] for line in text.splitlines() if "#" in line)


def files_of(plan: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in sorted(plan.rglob("*")) if path.is_file()}


def test_check_passes_on_the_shipped_data() -> None:
    examples = ["fmt", "--check", "examples/demo/data"]  # make_demo.py writes fmt's layout too
    for args in (["fmt", "--check"], ["fmt", "--check", "data/110"], ["fmt", "--check", "data"], examples):
        run = stratmap(*args, cwd=REPO)
        assert (run.code, run.out, run.err) == (0, "", "")


@pytest.mark.parametrize("name", [THEME_B, DEPARTMENT, CITY], ids=str)
def test_fmt_restores_a_scrambled_file_byte_for_byte(plan: Path, name: Path) -> None:
    shipped = files_of(plan)
    text = scrambled(name)
    assert text != (plan / name).read_text(encoding="utf-8")
    assert comments(text) == comments((plan / name).read_text(encoding="utf-8"))
    (plan / name).write_text(text, encoding="utf-8")
    shown = f"data/110/{name.as_posix()}"

    run = stratmap("fmt", "--check", cwd=plan.parent.parent)
    assert (run.code, run.out, run.err) == (1, f"would reformat {shown}\n", "")
    assert (plan / name).read_text(encoding="utf-8") == text

    run = stratmap("fmt", cwd=plan.parent.parent)
    assert (run.code, run.out, run.err) == (0, f"reformatted {shown}\n", "")
    assert files_of(plan) == shipped

    run = stratmap("fmt", "--check", cwd=plan.parent.parent)
    assert (run.code, run.out, run.err) == (0, "", "")


def test_only_the_files_named_are_formatted(plan: Path) -> None:
    (plan / THEME_B).write_text(scrambled(THEME_B), encoding="utf-8")
    (plan / CITY).write_text(scrambled(CITY), encoding="utf-8")
    run = stratmap("fmt", plan / CITY, cwd=plan.parent.parent)
    assert (run.code, run.out, run.err) == (0, "reformatted data/110/city.yaml\n", "")
    assert (plan / CITY).read_bytes() == (PLAN_110 / CITY).read_bytes()
    assert (plan / THEME_B).read_text(encoding="utf-8") == scrambled(THEME_B)


def test_a_yaml_error_is_reported_and_nothing_is_written(plan: Path) -> None:
    (plan / CITY).write_text(scrambled(CITY), encoding="utf-8")
    line = edit(plan / THEME_B, "name: 打造創業搖籃\n", "name: 打造創業搖籃\n  code: B\n") + 1
    before = files_of(plan)
    run = stratmap("fmt", cwd=plan.parent.parent)
    assert run.code == 1
    assert run.out == ""
    assert run.err == (
        f"data/110/departments/doed/theme-b.yaml:{line}:7: YAML syntax error: mapping values are not allowed in "
        "this context [Y004]; put a value containing ': ' in quotes, e.g. name: \"a: b\"; or the indentation "
        "does not line up\n"
        "nothing was written (1 file(s) to reformat): correct the files above, then run stratmap fmt again\n"
    )
    assert files_of(plan) == before

    run = stratmap("fmt", "--check", cwd=plan.parent.parent)
    assert run.code == 1
    assert run.out == "would reformat data/110/city.yaml\n"
    assert run.err.startswith(f"data/110/departments/doed/theme-b.yaml:{line}:7: YAML syntax error")


def test_a_file_of_no_known_kind_is_reported(plan: Path) -> None:
    line = edit(plan / THEME_B, "kind: theme", "kind: thema")
    run = stratmap("fmt", plan / THEME_B, cwd=plan.parent.parent)
    assert (run.code, run.out) == (1, "")
    assert run.err == (
        f"data/110/departments/doed/theme-b.yaml:{line}:1: kind 'thema' is not one of plan, city_map, department, "
        "theme, measures; fmt formats strategy files only: give the file its kind\n"
    )


def test_the_schema_line_is_moved_first_or_added(plan: Path) -> None:
    shipped = (PLAN_110 / THEME_B).read_text(encoding="utf-8")
    modeline, header, rest = shipped.split("\n", 2)
    (plan / THEME_B).write_text(f"{header}\n{modeline}\n{rest}", encoding="utf-8")
    (plan / CITY).write_text((PLAN_110 / CITY).read_text(encoding="utf-8").split("\n", 1)[1], encoding="utf-8")
    run = stratmap("fmt", cwd=plan.parent.parent)
    assert (run.code, run.err) == (0, "")
    assert run.out == "reformatted data/110/city.yaml\nreformatted data/110/departments/doed/theme-b.yaml\n"
    assert files_of(plan) == files_of_copy(plan)


def files_of_copy(plan: Path) -> dict[Path, bytes]:
    """The shipped plan's bytes, under the copy's paths."""
    return {plan / path.relative_to(PLAN_110): data for path, data in files_of(PLAN_110).items()}


def test_unknown_keys_follow_the_known_ones(plan: Path) -> None:
    edit(plan / THEME_B, "  - code: BC1\n", "  - extra: 1\n    code: BC1\n")
    run = stratmap("fmt", plan / THEME_B, cwd=plan.parent.parent)
    assert (run.code, run.err) == (0, "")
    shipped = (PLAN_110 / THEME_B).read_text(encoding="utf-8")
    expected = shipped.replace("  - code: BC2\n", "    extra: 1\n  - code: BC2\n")
    assert (plan / THEME_B).read_text(encoding="utf-8") == expected


def test_an_action_plan_holding_a_comment_stays_in_block_style(plan: Path) -> None:
    edit(
        plan / THEME_B,
        "          - {code: BP3.1.1, name: 辦理內科BOT案履約管理計畫}\n",
        "          - name: 辦理內科BOT案履約管理計畫   # 內科\n            code: BP3.1.1\n",
    )
    run = stratmap("fmt", plan / THEME_B, cwd=plan.parent.parent)
    assert (run.code, run.err) == (0, "")
    expected = (
        (PLAN_110 / THEME_B)
        .read_text(encoding="utf-8")
        .replace(
            "          - {code: BP3.1.1, name: 辦理內科BOT案履約管理計畫}\n",
            "          - code: BP3.1.1\n            name: 辦理內科BOT案履約管理計畫  # 內科\n",
        )
    )
    assert (plan / THEME_B).read_text(encoding="utf-8") == expected


def test_a_byte_order_mark_and_crlf_line_ends_are_kept(plan: Path) -> None:
    text = scrambled(THEME_B)
    (plan / THEME_B).write_bytes(("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8"))
    run = stratmap("fmt", cwd=plan.parent.parent)
    assert (run.code, run.err) == (0, "")
    shipped = (PLAN_110 / THEME_B).read_text(encoding="utf-8")
    assert (plan / THEME_B).read_bytes() == ("\ufeff" + shipped.replace("\n", "\r\n")).encode("utf-8")


def test_the_pre_commit_hook_reformats_the_changed_data_files(plan: Path) -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = [hook for hook in hooks if hook["id"] == "stratmap-fmt"]
    assert hook["pass_filenames"] is True
    changed = ["README.md", "data/110/departments/doed/theme-b.yaml", "data/110/plan.yaml"]
    selected = [name for name in changed if re.search(hook["files"], name)]
    assert selected == changed[1:]
    (plan / THEME_B).write_text(scrambled(THEME_B), encoding="utf-8")
    entry = shlex.split(hook["entry"])
    assert entry[0] == "stratmap"
    run = stratmap(*entry[1:], *hook.get("args", []), *selected, cwd=plan.parent.parent)
    assert (run.code, run.out, run.err) == (0, "reformatted data/110/departments/doed/theme-b.yaml\n", "")
    assert files_of(plan) == files_of_copy(plan)


def test_fmt_reads_through_the_same_bounded_reader_as_validate(plan: Path) -> None:
    """A hostile file (an alias bomb of 10**10 values) is refused at its line in a second, as validate
    refuses it (Y008); nothing is written. ruamel.yaml would walk the aliases for minutes."""
    theme = plan / THEME_B
    lines = ["kind: theme", "code: B", "name: x", 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    theme.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = theme.read_bytes()
    run = stratmap("fmt", cwd=plan.parent.parent)
    assert run.code == 1 and run.err.startswith("data/110/departments/doed/theme-b.yaml:9:")
    assert "[Y008]" in run.err and theme.read_bytes() == before
