"""Issue 9, the rendering side: templates confined to their folder, template failures reported, every
digit of a number shown, output kept out of every plan folder, Markdown that cannot link or notify,
and pages that reach the disk before they replace the old ones."""

from __future__ import annotations

import html.parser
import json
import os
import re
import stat
from decimal import Decimal
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from conftest import DOED, copy_plan, edit, stratmap
from test_bad_input import snapshot

# --- 1. --templates: confined to its folder; any failure is a template error (exit 2) ------------

SECRET = "TOP-SECRET-4f1c"


def templates_with(cwd: Path, files: dict[str, str]) -> Path:
    """A --templates folder under ``cwd`` holding ``files`` (relative name -> text)."""
    folder = cwd / "my-templates"
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def refused(cwd: Path, *args: str) -> str:
    """Render with ``args``; it must fail as a usage error, with no traceback and nothing written."""
    run = stratmap("render", "-o", "out", *args, cwd=cwd)
    assert run.code == 2, (run.code, run.out, run.err)
    assert "Traceback" not in run.err and "internal error" not in run.err
    assert SECRET not in run.out + run.err
    assert not (cwd / "out").exists()
    return run.err


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside every template folder."""
    path = tmp_path / "outside" / "secret.txt"
    path.parent.mkdir()
    path.write_text(SECRET + "\n", encoding="utf-8")
    return path


def test_include_through_a_link_out_of_the_templates_folder_is_refused(plan: Path, secret: Path) -> None:
    cwd = plan.parent.parent
    folder = templates_with(cwd, {"html/plan.html.j2": "<p>page</p>\n{% include 'html/leak.txt' %}\n"})
    (folder / "html" / "leak.txt").symlink_to(secret)
    err = refused(cwd, "--templates", "my-templates")
    assert "template error: my-templates/html/plan.html.j2:2: " in err
    assert f"my-templates/html/leak.txt leads to {secret}, outside the template folder my-templates" in err


@pytest.mark.parametrize("target", ["/etc/passwd", "/proc/self/environ"])
def test_a_built_in_name_linked_out_of_the_folder_is_refused(plan: Path, target: str) -> None:
    """The built-in page includes html/style.css: an override that is a link to a system file is refused."""
    if not Path(target).exists():
        pytest.skip(f"{target} does not exist here")
    cwd = plan.parent.parent
    folder = templates_with(cwd, {})
    (folder / "html").mkdir(parents=True)
    (folder / "html" / "style.css").symlink_to(target)
    err = refused(cwd, "--templates", "my-templates")
    where = r"html/plan\.html\.j2:[0-9]+: "
    assert re.search(where + r"my-templates/html/style\.css leads to /\S+, outside the template folder", err)
    assert "root:" not in err and "PATH=" not in err


def test_a_linked_folder_out_of_the_templates_folder_is_refused(plan: Path, secret: Path) -> None:
    cwd = plan.parent.parent
    (secret.parent / "plan.html.j2").write_text("{% include 'html/secret.txt' %}\n", encoding="utf-8")
    folder = templates_with(cwd, {})
    folder.mkdir()
    (folder / "html").symlink_to(secret.parent, target_is_directory=True)
    err = refused(cwd, "--templates", "my-templates")
    assert "my-templates/html/plan.html.j2 leads to" in err and "outside the template folder" in err


def test_links_inside_the_templates_folder_are_followed(plan: Path) -> None:
    cwd = plan.parent.parent
    folder = templates_with(cwd, {"shared/colours.css": "body { background: #abcdef; }\n"})
    (folder / "html").mkdir()
    (folder / "html" / "style.css").symlink_to(Path("..") / "shared" / "colours.css")
    run = stratmap("render", "-o", "out", "--templates", "my-templates", cwd=cwd)
    assert run.code == 0, run.err
    assert "body { background: #abcdef; }" in (cwd / "out" / "110.html").read_text(encoding="utf-8")


def test_a_pipe_in_the_templates_folder_is_refused_without_hanging(plan: Path) -> None:
    cwd = plan.parent.parent
    folder = templates_with(cwd, {})
    (folder / "html").mkdir(parents=True)
    os.mkfifo(folder / "html" / "style.css")
    err = refused(cwd, "--templates", "my-templates")
    assert "my-templates/html/style.css is not a regular file" in err


FAILING_LINES = {
    "range": ("{{ range(100001) | list | length }}", "OverflowError: Range too big"),
    "division": ("{{ 1 / 0 }}", "ZeroDivisionError: division by zero"),
    "type": ("{{ 'a' + 1 }}", "TypeError: "),
    "undefined": ("{{ no_such_value }}", "'no_such_value' is undefined"),
    "missing include": ("{% include 'html/nowhere.j2' %}", "html/nowhere.j2"),
    "unsafe attribute": ("{{ plan.__class__.__mro__ }}", "unsafe"),
    "attribute call": ("{{ plan.no_such_thing() }}", "no attribute 'no_such_thing'"),
    "filter": ("{{ plan.year | round('x') }}", "TypeError"),
    "message variable": ('{{ _("Year %(year)s") }}', "KeyError"),
}


@pytest.mark.parametrize("case", FAILING_LINES)
def test_a_template_failing_while_rendering_is_a_template_error(plan: Path, case: str) -> None:
    """Not "internal error" (exit 3): the template's file and line, and what went wrong (exit 2)."""
    line, expected = FAILING_LINES[case]
    cwd = plan.parent.parent
    templates_with(cwd, {"html/plan.html.j2": f"<p>{{{{ plan.year }}}}</p>\n\n{line}\n"})
    err = refused(cwd, "--templates", "my-templates")
    assert err.startswith("stratmap: error: template error: my-templates/html/plan.html.j2:3: "), err
    assert expected in err


def test_a_failure_inside_a_macro_names_the_macro_s_line(plan: Path) -> None:
    cwd = plan.parent.parent
    macro = "{% macro boom(x) %}\n{{ x.nothing.deeper }}\n{% endmacro %}{{ boom(plan) }}"
    templates_with(cwd, {"html/plan.html.j2": f"<p>{{{{ plan.year }}}}</p>\n\n{macro}\n"})
    err = refused(cwd, "--templates", "my-templates")
    assert err.startswith("stratmap: error: template error: my-templates/html/plan.html.j2:4: "), err
    assert "no attribute 'nothing'" in err


def test_a_failure_in_an_included_template_names_that_template(plan: Path) -> None:
    cwd = plan.parent.parent
    templates_with(
        cwd,
        {
            "markdown/plan.md.j2": "# page\n{% include 'markdown/part.md.j2' %}\n",
            "markdown/part.md.j2": "fine\n{{ 10 // 0 }}\n",
        },
    )
    err = refused(cwd, "--format", "markdown", "--templates", "my-templates")
    assert "template error: my-templates/markdown/part.md.j2:2: ZeroDivisionError" in err


def test_a_template_including_itself_is_a_template_error(plan: Path) -> None:
    cwd = plan.parent.parent
    templates_with(cwd, {"html/plan.html.j2": "x\n{% include 'html/plan.html.j2' %}\n"})
    err = refused(cwd, "--templates", "my-templates")
    assert "template error: my-templates/html/plan.html.j2:2: templates include or call each other" in err


# --- 4. Numbers: every digit, thousands separated, never e-notation --------------------------------


def test_numbers_keep_every_digit_in_html_and_markdown(plan: Path) -> None:
    theme = plan / DOED / "theme-a.yaml"
    edit(
        theme,
        "        name: 經貿拓銷金額\n",
        "        name: 經貿拓銷金額\n        unit: 元\n        direction: higher\n"
        "        baseline: 0.1\n        target: 12345678\n",
    )
    edit(
        theme,
        "        name: 產業國際交流合作案件數\n",
        "        name: 產業國際交流合作案件數\n        direction: lower\n"
        "        baseline: 2.5\n        target: 100000000000000000000\n",
    )
    edit(theme, "name: 辦理本府與工商業界交流活動計畫}", "name: 辦理本府與工商業界交流活動計畫, budget: 12345678}")
    measures = "kind: measures\nmeasures:\n  AP1.1: {'110': 999999999}\n  AP1.2: {'110': 1e20}\n"
    (plan / DOED / "measures.yaml").write_text(measures, encoding="utf-8")
    cwd = plan.parent.parent
    assert stratmap("render", "-o", "h", cwd=cwd).code == 0
    page = (cwd / "h" / "110.html").read_text(encoding="utf-8")
    card = page[page.index('id="doed:A"') : page.index('id="doed:B"')]
    rows = {row.split("</span> ")[1].split("<")[0]: row for row in card.split('<td id="doed:')[1:]}
    numbers = re.compile(r'<td class="number" data-label="([^"]+)">([^<]*)')
    assert dict(numbers.findall(rows["經貿拓銷金額"])) == {"目標值": "12,345,678", "實際值": "999,999,999"}
    assert "<dt>基準值</dt><dd>0.1</dd>" in rows["經貿拓銷金額"]
    assert dict(numbers.findall(rows["產業國際交流合作案件數"])) == {
        "目標值": "100,000,000,000,000,000,000",
        "實際值": "100,000,000,000,000,000,000",
    }
    assert "<dt>基準值</dt><dd>2.5</dd>" in rows["產業國際交流合作案件數"]
    assert "預算 12,345,678 元" in card
    assert '<td class="number rate" data-label="達成率">8,100.0%</td>' in rows["經貿拓銷金額"]
    assert not re.search(r"[0-9]e[+-]?[0-9]", card, re.IGNORECASE), "no e-notation"

    assert stratmap("render", "--format", "markdown", "-o", "m", cwd=cwd).code == 0
    markdown = (cwd / "m" / "110.md").read_text(encoding="utf-8")
    assert "| 12,345,678 元 (越高越好) | 999,999,999 元 | 8,100.0% | ● 達成 |" in markdown
    assert "| 100,000,000,000,000,000,000 (越低越好) | 100,000,000,000,000,000,000 | 100.0% | ● 達成 |" in markdown
    assert "基準值：0.1" in markdown and "預算 12,345,678 元" in markdown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, ""),
        (12345678.0, "12,345,678"),
        (999999999.0, "999,999,999"),
        (0.1, "0.1"),
        (1e20, "100,000,000,000,000,000,000"),
        (1e-7, "0.0000001"),
        (123456.789, "123,456.789"),
        (-0.0, "0"),
        (90, "90"),
        (1234, "1,234"),
        (Decimal("2.50"), "2.50"),
        (Decimal("12.50"), "12.50"),
        (Decimal("0.00"), "0.00"),
        (Decimal("1E+20"), "100,000,000,000,000,000,000"),
        ("2.50", "2.50"),
        ("1e3", "1,000"),
    ],
)
def test_format_number(value: float | int | Decimal | str | None, shown: str) -> None:
    from stratmap.reporting.numbers import format_number

    assert format_number(value) == shown


# --- 7. Output never inside any plan folder of the data folder, nor at or above the data folder ---


@pytest.mark.parametrize(
    ("args", "output"),
    [
        (["--year", "111"], "data/110/out"),
        (["--year", "111"], "data/110"),
        (["--year", "111"], "data/"),
        (["data/111"], "data/110/out"),
        (["data/111"], "data/112/pages"),
        (["data/111"], "data"),
        (["data/111"], "."),
    ],
)
def test_output_may_not_touch_any_plan_of_the_data_folder(plan: Path, args: list[str], output: str) -> None:
    copy_plan(plan, "111", 111)
    cwd = plan.parent.parent
    before = snapshot(cwd)
    run = stratmap("render", *args, "-o", output, cwd=cwd)
    assert run.code == 2 and "Traceback" not in run.err, run.err
    assert "overlaps the plan folder" in run.err or "contains the data folder" in run.err
    assert snapshot(cwd) == before


def test_output_beside_the_data_folder_is_fine(plan: Path) -> None:
    copy_plan(plan, "111", 111)
    cwd = plan.parent.parent
    run = stratmap("render", "--year", "111", "-o", "site", cwd=cwd)
    maps = "".join(f"wrote site/111-{name}-map.svg\n" for name in ("city", "doed"))
    assert run.code == 0 and run.out == "wrote site/111.html\n" + maps, run.err


# --- 10. Markdown: no code span shows escapes, nothing autolinks, nobody is mentioned ------------

HOSTILE_NAME = "@team see https://evil.example/x www.x.com mail@example.com a&b [x](y) `tick` <script>x</script> #12"
HOSTILE_TAG = "a&b [t] `c`"
MENTION = re.compile(r"(?:^|\W)@[a-z0-9]", re.IGNORECASE)
"""GitHub's @mention filter, which runs on the text of the rendered page."""
REFERENCE = re.compile(r"(?:^|\W)#[0-9]")
"""GitHub's #123 reference filter, likewise."""


class Rendered(html.parser.HTMLParser):
    """The HTML a Markdown renderer made: its links, code elements and text nodes (split at comments)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.code: list[str] = []
        self.texts: list[str] = []
        self.tags: list[str] = []
        self._in_code = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.links.extend(value or "" for name, value in attrs if tag == "a" and name == "href")
        if tag == "code":
            self._in_code = True
            self.code.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_code = self._in_code and tag != "code"

    def handle_data(self, data: str) -> None:
        self.texts.append(data)
        if self._in_code:
            self.code[-1] += data


def rendered(markdown: str) -> Rendered:
    """The Markdown rendered by markdown-it (CommonMark with GFM tables and raw HTML, as GitHub allows)."""
    page = Rendered()
    page.feed(MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown))
    return page


def assert_inert(markdown: str) -> Rendered:
    """Nothing in ``markdown`` links away, mentions, references an issue or injects an element."""
    assert "://" not in markdown and not re.search("www[.]", markdown, re.IGNORECASE), "a GFM autolink remains"
    page = rendered(markdown)
    assert [link for link in page.links if not link.startswith("#")] == []
    assert "script" not in page.tags
    for text in page.texts:
        assert not MENTION.search(text), f"@mention in {text!r}"
        assert not REFERENCE.search(text), f"#reference in {text!r}"
    return page


def visible(page: Rendered) -> str:
    return "".join(page.texts)


def hostile_names(plan: Path) -> None:
    theme = plan / DOED / "theme-b.yaml"
    edit(
        theme,
        "name: 新設企業家數\n        city_kpis: [DP2.2]\n        tags: [非營業基金考核指標]\n",
        f"name: {json.dumps(HOSTILE_NAME)}\n        city_kpis: [DP2.2]\n        tags: [{json.dumps(HOSTILE_TAG)}]\n",
    )


def test_render_markdown_is_inert_and_shows_the_text_as_written(plan: Path) -> None:
    hostile_names(plan)
    cwd = plan.parent.parent
    assert stratmap("render", "--format", "markdown", "-o", "m", cwd=cwd).code == 0
    markdown = (cwd / "m" / "110.md").read_text(encoding="utf-8")
    page = assert_inert(markdown)
    assert HOSTILE_NAME in visible(page)
    assert HOSTILE_TAG in page.code, "a tag is shown as written, without &amp; or backslashes"


def test_diff_and_trace_markdown_are_inert(plan: Path) -> None:
    new = copy_plan(plan, "111", 111)
    hostile_names(new)
    cwd = plan.parent.parent
    run = stratmap("diff", "110", "111", "--format", "markdown", cwd=cwd)
    assert run.code == 0, run.err
    page = assert_inert(run.out)
    assert f"doed:BP2.1 {HOSTILE_NAME}\n" in visible(page)  # the "after" cell of the renamed KPI
    run = stratmap("trace", "BP2.1", "data/111", "--format", "markdown", cwd=cwd)
    assert run.code == 0, run.err
    page = assert_inert(run.out)
    assert HOSTILE_NAME in visible(page) and HOSTILE_TAG in visible(page)


# --- 12c. Pages reach the disk before they replace the old ones --------------------------------


def test_atomic_writes_sync_the_file_before_the_rename_and_the_folder_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stratmap import files

    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(descriptor: int) -> None:
        events.append("fsync folder" if stat.S_ISDIR(os.fstat(descriptor).st_mode) else "fsync file")
        real_fsync(descriptor)

    def replace(source: str | Path, target: str | Path) -> None:
        events.append("replace")
        real_replace(source, target)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    files.write_atomically(tmp_path / "page.html", "new")
    assert events == ["fsync file", "replace", "fsync folder"]
    assert (tmp_path / "page.html").read_text(encoding="utf-8") == "new"
    events.clear()
    files.write_bytes_atomically(tmp_path / "cache.bin", b"x", durable=False)
    assert events == ["replace"]
