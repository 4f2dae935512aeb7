"""``stratmap render --format pdf`` (issue 13): the HTML page printed to PDF by a real headless Chromium.

Checked: A4 landscape, the same pages as the browser's own print of the HTML, every objective code in the
text (pdftotext), every font embedded with Noto Sans CJK among them; no browser, or one that fails, crashes
or hangs, is a clear error (exit 2) that leaves the output folder as it was; the page's scripts do not run
and it loads nothing but itself (no network, no other file). ``.ci/run`` installs Chromium, fonts-noto-cjk
and poppler-utils (pdftotext, pdfinfo, pdffonts); elsewhere these tests are skipped without them.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import PLAN_110, REPO, Run, stratmap
from test_render_browser import browser, require  # noqa: F401 - pytest fixture, used by name

NO_BROWSER_SET = {"STRATMAP_BROWSER": "", "STRATMAP_PDF_TIMEOUT": ""}
"""The tests choose the browser themselves, whatever the machine running them has set."""


def poppler(tool: str, *args: str | Path) -> str:
    """What a poppler-utils tool (pdftotext, pdfinfo, pdffonts) prints."""
    require(f"{tool} (poppler-utils)", shutil.which(tool) is not None)
    return subprocess.run([tool, *map(str, args)], capture_output=True, text=True, check=True, timeout=120).stdout


def page_count(pdf: Path) -> int:
    match = re.search(r"^Pages:\s+(\d+)$", poppler("pdfinfo", pdf), re.MULTILINE)
    assert match is not None
    return int(match.group(1))


def page_texts(pdf: Path) -> list[str]:
    """The text of each page of ``pdf`` (pages are separated by form feeds)."""
    return poppler("pdftotext", "-layout", pdf, "-").split("\f")[:-1]


def objective_codes(plan: Path) -> dict[str, set[str]]:
    """Every objective code of each map (``city`` and each department's id), from the YAML itself."""
    city = yaml.safe_load((plan / "city.yaml").read_text(encoding="utf-8"))
    maps = {"city": {o["code"] for o in city.get("cross_cutting_objectives", [])}}
    maps["city"] |= {o["code"] for theme in city["themes"] for o in theme.get("objectives", [])}
    for folder in sorted((plan / "departments").iterdir()):
        department = yaml.safe_load((folder / "department.yaml").read_text(encoding="utf-8"))
        themes = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in folder.glob("theme-*.yaml")]
        maps[department["id"]] = {o["code"] for theme in themes for o in theme.get("objectives", [])}
    return maps


@dataclass
class Printed:
    """One run of ``render --format pdf`` on data/110: the run, the output folder, the seconds it took."""

    run: Run
    folder: Path
    seconds: float

    @property
    def pdf(self) -> Path:
        return self.folder / "110.pdf"


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Printed:
    require("chromium", any(shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome")))
    folder = tmp_path_factory.mktemp("pdf") / "out"
    started = time.monotonic()
    run = stratmap("render", "--format", "pdf", "-o", folder, PLAN_110, env=NO_BROWSER_SET)
    return Printed(run, folder, time.monotonic() - started)


def test_the_pdf_is_written_and_listed(printed: Printed) -> None:
    assert printed.run.code == 0, printed.run.err
    assert printed.run.err == ""
    assert printed.run.out == f"wrote {printed.pdf.as_posix()}\n"
    assert sorted(p.name for p in printed.folder.iterdir()) == ["110.pdf"]  # no HTML, no SVG beside it
    assert printed.pdf.read_bytes().startswith(b"%PDF-")
    assert printed.seconds < 60, f"printing data/110 took {printed.seconds:.1f} s"


def test_every_page_is_a4_landscape(printed: Printed) -> None:
    """A4 landscape is 841.89 × 595.28 pt; Chromium rounds the page to whole dots at 300 dpi (841.92 × 594.96)."""
    count = page_count(printed.pdf)
    info = poppler("pdfinfo", "-f", "1", "-l", str(count), printed.pdf)
    sizes = re.findall(r"^Page\s+\d+ size:\s+([0-9.]+) x ([0-9.]+) pts", info, re.MULTILINE)
    assert len(sizes) == count > 1
    for width, height in sizes:
        assert abs(float(width) - 841.89) < 0.5 and abs(float(height) - 595.28) < 0.5, (width, height)


def test_the_same_pages_as_the_browsers_print(printed: Printed, browser: Any, tmp_path: Path) -> None:  # noqa: F811
    """The PDF has the pages of the HTML page printed by the browser itself (Playwright's page.pdf, the CSS
    page size, backgrounds on), page for page."""
    run = stratmap("render", "--format", "html", "-o", tmp_path / "html", PLAN_110)
    assert run.code == 0, run.err
    page = browser.new_page()
    page.goto((tmp_path / "html" / "110.html").as_uri())
    (tmp_path / "print.pdf").write_bytes(page.pdf(prefer_css_page_size=True, print_background=True))
    page.close()
    assert page_count(printed.pdf) == page_count(tmp_path / "print.pdf")
    assert page_texts(printed.pdf) == page_texts(tmp_path / "print.pdf")


def test_the_text_holds_every_objective_code_of_both_maps(printed: Printed) -> None:
    text = poppler("pdftotext", printed.pdf, "-")
    maps = objective_codes(PLAN_110)
    assert len(maps["city"]) > 10 and len(maps["doed"]) > 10
    missing = {name: sorted(code for code in codes if code not in text) for name, codes in maps.items()}
    assert all(not codes for codes in missing.values()), missing
    assert "臺北市政府產業發展局" in text  # CJK text comes out as itself


def test_every_font_is_embedded_and_noto_sans_cjk_is_among_them(printed: Printed) -> None:
    require("fonts-noto-cjk", "Noto Sans CJK" in subprocess.run(["fc-list"], capture_output=True, text=True).stdout)
    rows = poppler("pdffonts", printed.pdf).splitlines()[2:]
    assert rows
    embedded = {row.split()[-5] for row in rows}  # the columns from the right: emb sub uni object-number generation
    assert embedded == {"yes"}, rows
    # Chromium embeds OpenType CFF fonts (Noto Sans CJK) as Type 3 fonts, which pdffonts shows without a name;
    # each font's descriptor still names the font it came from.
    names = set(re.findall(rb"/FontName\s*/[A-Z]{6}\+([A-Za-z0-9-]+)", printed.pdf.read_bytes()))
    assert any(name.startswith(b"NotoSansCJK") for name in names), names


# ---- no browser, or one that fails: exit 2, nothing written --------------------------------------------------


@pytest.fixture
def old_output(tmp_path: Path) -> Path:
    """An output folder holding an old 110.pdf, which a failed print must leave byte for byte."""
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "110.pdf").write_bytes(b"%PDF-1.4 the old one\n")
    return folder


def assert_untouched(folder: Path) -> None:
    assert sorted(p.name for p in folder.iterdir()) == ["110.pdf"]
    assert (folder / "110.pdf").read_bytes() == b"%PDF-1.4 the old one\n"


def assert_usage_error(run: Run, *words: str) -> None:
    assert run.code == 2 and run.out == "", run
    assert run.err.startswith("stratmap: error: ") and run.err.count("\n") == 1, run.err
    assert "Traceback" not in run.err
    for word in words:
        assert word in run.err, run.err


def fake_browser(folder: Path, name: str, script: str) -> Path:
    """An executable shell script standing in for a browser."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    path.chmod(0o755)
    return path


def test_no_browser_named_by_the_variable_is_an_error(old_output: Path) -> None:
    run = stratmap("render", "-f", "pdf", "-o", old_output, env={**NO_BROWSER_SET, "STRATMAP_BROWSER": "/nonexistent"})
    assert_usage_error(run, "STRATMAP_BROWSER=/nonexistent: no such program")
    assert_untouched(old_output)
    run = stratmap("render", "-f", "pdf", "--browser", "/nonexistent", "-o", old_output, env=NO_BROWSER_SET)
    assert_usage_error(run, "--browser /nonexistent: no such program")
    assert_untouched(old_output)


def test_no_browser_on_path_says_what_to_install(old_output: Path, tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    run = stratmap("render", "-f", "pdf", "-o", old_output, env={**NO_BROWSER_SET, "PATH": str(empty)})
    assert_usage_error(
        run, "install Chromium", "apt-get install chromium fonts-noto-cjk", "--browser", "STRATMAP_BROWSER"
    )
    assert_untouched(old_output)
    new = tmp_path / "new"
    run = stratmap("render", "-f", "pdf", "-o", new, env={**NO_BROWSER_SET, "PATH": str(empty)})
    assert run.code == 2 and not new.exists()
    chinese = stratmap(
        "render", "-f", "pdf", "-o", old_output, env={**NO_BROWSER_SET, "PATH": str(empty), "LANG": "zh_TW.UTF-8"}
    )
    assert chinese.code == 2 and chinese.err.startswith("stratmap: 錯誤：找不到可列印 PDF 的瀏覽器"), chinese.err


def test_the_browser_is_the_option_else_the_variable_else_the_first_on_path(old_output: Path, tmp_path: Path) -> None:
    """Each fake exits with its own status, which the error names."""
    bin_folder = tmp_path / "bin"
    fake_browser(bin_folder, "google-chrome", "exit 6")
    env = {**NO_BROWSER_SET, "PATH": f"{bin_folder}{os.pathsep}{os.environ['PATH']}"}
    if shutil.which("chromium") is None and shutil.which("chromium-browser") is None:
        assert "exit status 6" in stratmap("render", "-f", "pdf", "-o", old_output, env=env).err
    fake_browser(bin_folder, "chromium", "exit 5")
    assert "exit status 5" in stratmap("render", "-f", "pdf", "-o", old_output, env=env).err
    variable = fake_browser(tmp_path, "from-variable", "exit 4")
    env["STRATMAP_BROWSER"] = str(variable)
    assert "exit status 4" in stratmap("render", "-f", "pdf", "-o", old_output, env=env).err
    option = fake_browser(tmp_path, "from-option", "exit 3")
    assert "exit status 3" in stratmap("render", "-f", "pdf", "--browser", option, "-o", old_output, env=env).err
    assert_untouched(old_output)


def test_the_configuration_file_cannot_name_the_browser(tmp_path: Path) -> None:
    """A pull request could point a configured browser at any program: there is no such key."""
    plan = tmp_path / "data" / "110"
    shutil.copytree(PLAN_110, plan)
    marker = tmp_path / "ran"
    evil = fake_browser(tmp_path, "evil", f"touch {marker}; exit 1")
    (tmp_path / "stratmap.toml").write_text(f'browser = "{evil}"\n', encoding="utf-8")
    empty = tmp_path / "bin"
    empty.mkdir()
    run = stratmap("render", "-f", "pdf", "-o", "out", cwd=tmp_path, env={**NO_BROWSER_SET, "PATH": str(empty)})
    assert run.code == 2 and "unknown key 'browser'" in run.err
    assert not marker.exists() and not (tmp_path / "out").exists()


def test_a_browser_that_fails_is_an_error_and_nothing_is_written(old_output: Path, tmp_path: Path) -> None:
    failing = fake_browser(tmp_path, "failing", "echo 'cannot open display' >&2; exit 1")
    run = stratmap("render", "-f", "pdf", "--browser", failing, "-o", old_output, env=NO_BROWSER_SET)
    assert_usage_error(run, "stopped before printing (exit status 1): cannot open display")
    assert_untouched(old_output)
    junk = tmp_path / "junk"
    junk.write_bytes(b"\x7fELF not really")
    junk.chmod(0o755)
    run = stratmap("render", "-f", "pdf", "--browser", junk, "-o", old_output, env=NO_BROWSER_SET)
    assert_usage_error(run, f"cannot start the browser {junk}: Exec format error")
    assert_untouched(old_output)


def test_a_browser_that_crashes_while_spoken_to_is_an_error(old_output: Path, tmp_path: Path) -> None:
    crashing = fake_browser(tmp_path, "crashing", "head -c 1 <&3 >/dev/null; kill -SEGV $$")
    run = stratmap("render", "-f", "pdf", "--browser", crashing, "-o", old_output, env=NO_BROWSER_SET)
    assert_usage_error(run, "stopped before printing (exit status -11)")
    assert_untouched(old_output)


def test_a_browser_that_hangs_is_stopped_at_the_timeout(old_output: Path, tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    hanging = fake_browser(tmp_path, "hanging", f"echo $$ > {pid_file}; sleep 60 & echo $! >> {pid_file}; wait")
    started = time.monotonic()
    run = stratmap(
        "render",
        "-f",
        "pdf",
        "--browser",
        hanging,
        "-o",
        old_output,
        env={**NO_BROWSER_SET, "STRATMAP_PDF_TIMEOUT": "1"},
    )
    assert time.monotonic() - started < 30
    assert_usage_error(run, "did not print within 1 seconds", "STRATMAP_PDF_TIMEOUT")
    assert_untouched(old_output)
    for pid in map(int, pid_file.read_text().split()):  # the fake and its child, killed with their group
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()


def test_kill_while_printing_stops_the_browser_and_writes_nothing(old_output: Path, tmp_path: Path) -> None:
    """SIGTERM (kill, or a CI job cancelled) while the browser prints: it is stopped with its children, its
    temporary folder removed, nothing written, exit 143, as ``kill`` while writing data files does."""
    started, pid_file = tmp_path / "args", tmp_path / "pid"
    hanging = fake_browser(
        tmp_path, "hanging", f'printf "%s\\n" "$@" > {started}; sleep 60 & echo $! > {pid_file}; wait'
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "stratmap", "render", "-f", "pdf", "--browser", hanging, "-o", old_output],
        cwd=REPO, env={**os.environ, **NO_BROWSER_SET}, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    waited = time.monotonic()
    while not (pid_file.exists() and pid_file.read_text().strip()) and time.monotonic() - waited < 60:
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 143 and err == "stratmap: error: interrupted (SIGTERM); nothing was written\n", err
    assert_untouched(old_output)
    child = int(pid_file.read_text())
    time.sleep(0.2)
    assert not Path(f"/proc/{child}").exists() or "zombie" in Path(f"/proc/{child}/status").read_text()
    (profile,) = [a for a in started.read_text(encoding="utf-8").splitlines() if a.startswith("--user-data-dir=")]
    assert not Path(profile.removeprefix("--user-data-dir=")).parent.exists()


def test_a_bad_timeout_or_a_browser_for_another_format_is_a_usage_error(old_output: Path) -> None:
    run = stratmap("render", "-f", "pdf", "-o", old_output, env={**NO_BROWSER_SET, "STRATMAP_PDF_TIMEOUT": "soon"})
    assert_usage_error(run, "STRATMAP_PDF_TIMEOUT=soon: not a number of seconds")
    run = stratmap("render", "-f", "html", "--browser", "chromium", "-o", old_output)
    assert_usage_error(run, "--browser is only for --format pdf")
    assert_untouched(old_output)


def test_the_browser_runs_headless_offline_without_scripts_in_a_throwaway_profile(
    old_output: Path, tmp_path: Path
) -> None:
    args_file = tmp_path / "args"
    recording = fake_browser(tmp_path, "recording", f'printf "%s\\n" "$@" > {args_file}; exit 1')
    stratmap("render", "-f", "pdf", "--browser", recording, "-o", old_output, env=NO_BROWSER_SET)
    args = args_file.read_text(encoding="utf-8").splitlines()
    for flag in ("--headless", "--remote-debugging-pipe", "--blink-settings=scriptEnabled=false", "--disable-sync"):
        assert flag in args
    assert "--host-resolver-rules=MAP * ~NOTFOUND" in args and "--disable-background-networking" in args
    assert ("--no-sandbox" in args) == (os.geteuid() == 0)  # the sandbox is off only where it cannot run
    (profile,) = [a.removeprefix("--user-data-dir=") for a in args if a.startswith("--user-data-dir=")]
    assert not Path(profile).parent.exists(), "the temporary profile is removed"


# ---- untrusted pages: a template's script does not run, nothing but the page is loaded ---------------------


def page_template(folder: Path, body: str) -> Path:
    """A templates folder whose page is ``body``."""
    (folder / "html").mkdir(parents=True)
    head = '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>t</title></head>'
    page = f"{head}<body>{body}</body></html>\n"
    (folder / "html" / "plan.html.j2").write_text(page, encoding="utf-8")
    return folder


def test_a_script_in_a_template_does_not_run(tmp_path: Path) -> None:
    require("chromium", shutil.which("chromium") is not None)
    templates = page_template(
        tmp_path / "templates",
        "<p>TEMPLATE TEXT</p>"
        "<script>document.body.insertAdjacentHTML('beforeend', '<p>SCRIPT RAN</p>')</script>"
        "<script>document.write('SCRIPT WROTE')</script>"
        "<noscript><p>NO SCRIPT HERE</p></noscript>",
    )
    run = stratmap("render", "-f", "pdf", "--templates", templates, "-o", tmp_path / "out", env=NO_BROWSER_SET)
    assert run.code == 0, run.err
    text = poppler("pdftotext", tmp_path / "out" / "110.pdf", "-")
    assert "TEMPLATE TEXT" in text and "NO SCRIPT HERE" in text
    assert "SCRIPT RAN" not in text and "SCRIPT WROTE" not in text


@pytest.fixture
def listener() -> Iterator[tuple[int, list[str]]]:
    """A TCP server on 127.0.0.1: its port, and what connected to it."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    seen: list[str] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _address = server.accept()
            except TimeoutError:
                continue
            with connection:
                connection.settimeout(1)
                try:
                    seen.append(connection.recv(200).decode("latin-1") or "(connected)")
                except OSError:
                    seen.append("(connected)")

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], seen
    stop.set()
    thread.join()
    server.close()


def test_a_template_loads_nothing_from_the_network_or_other_files(
    tmp_path: Path, listener: tuple[int, list[str]]
) -> None:
    require("chromium", shutil.which("chromium") is not None)
    port, seen = listener
    secret = tmp_path / "secret.txt"
    secret.write_text("THE SECRET OF THIS MACHINE\n", encoding="utf-8")
    here = f"http://127.0.0.1:{port}"
    templates = page_template(
        tmp_path / "templates",
        f'<link rel="preconnect" href="{here}/"><link rel="stylesheet" href="{here}/style.css">'
        f"<style>@import url({here}/import.css); p {{ background: url({here}/bg.png) }}</style>"
        f'<p>TEMPLATE TEXT</p><img src="{here}/pixel.png" alt=""><img src="http://stratmap-leak.invalid/p.png" alt="">'
        f'<iframe src="{here}/frame"></iframe><iframe src="{secret.as_uri()}"></iframe>'
        f'<object data="{secret.as_uri()}"></object><embed src="{secret.as_uri()}">'
        f'<img src="{secret.as_uri()}" alt="">',
    )
    run = stratmap("render", "-f", "pdf", "--templates", templates, "-o", tmp_path / "out", env=NO_BROWSER_SET)
    assert run.code == 0, run.err
    text = poppler("pdftotext", tmp_path / "out" / "110.pdf", "-")
    assert "TEMPLATE TEXT" in text and "SECRET" not in text
    time.sleep(0.5)
    assert seen == [], "the page reached the network"


def test_the_repository_data_is_printed_as_text_never_as_markup(tmp_path: Path) -> None:
    """A name that is HTML with a script is printed as written (escaped), and its script does not run."""
    require("chromium", shutil.which("chromium") is not None)
    plan = tmp_path / "data" / "110"
    shutil.copytree(PLAN_110, plan)
    department = plan / "departments" / "doed" / "department.yaml"
    text = department.read_text(encoding="utf-8")
    name = "<b>BOLD</b><script>document.body.innerHTML='GONE'</script>"
    department.write_text(text.replace("name: 臺北市政府產業發展局\n", f'name: "{name}"\n', 1), encoding="utf-8")
    run = stratmap("render", "-f", "pdf", "-o", tmp_path / "out", cwd=tmp_path, env=NO_BROWSER_SET)
    assert run.code == 0, run.err
    printed_text = poppler("pdftotext", tmp_path / "out" / "110.pdf", "-")
    assert "<b>BOLD</b>" in printed_text and "CP1.2" in printed_text  # shown as text, the page all there


def test_the_output_folder_is_checked_before_the_browser_starts(tmp_path: Path) -> None:
    plan = tmp_path / "data" / "110"
    shutil.copytree(PLAN_110, plan)
    marker = tmp_path / "ran"
    marking = fake_browser(tmp_path, "marking", f"touch {marker}; exit 1")
    run = stratmap("render", "-f", "pdf", "--browser", marking, "-o", plan / "out", cwd=tmp_path, env=NO_BROWSER_SET)
    assert_usage_error(run, "overlaps the plan folder")
    assert not marker.exists() and not (plan / "out").exists()
