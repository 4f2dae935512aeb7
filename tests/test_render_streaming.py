"""Render streams plan by plan (issue 14): each plan is checked, rendered and staged before the next is read,
and only at the end are the pages put in place. The contract stays all or none: a plan that fails after
others were rendered, a template that fails on a later plan, or a signal while rendering leaves the output
folder exactly as it was, with no staged file behind; one plan's graph is let go before the next is checked.
Each runs in one process and in two (``--jobs 2``)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import weakref
from pathlib import Path

import pytest

from conftest import REPO, copy_plan, edit, stratmap

JOBS = [pytest.param("1", id="one-process"), pytest.param("2", id="two-processes")]


def years(plan: Path, count: int) -> Path:
    """``data/110`` and ``count - 1`` copies of it as the plan years after; the data folder."""
    for offset in range(1, count):
        copy_plan(plan, str(110 + offset), 110 + offset)
    return plan.parent


def existing_output(folder: Path) -> dict[str, bytes]:
    """An output folder from an earlier render (a page stratmap would replace, and a file of the user's);
    what it holds."""
    folder.mkdir()
    (folder / "110.html").write_text("<p>last week's page</p>\n", encoding="utf-8")
    (folder / "notes.txt").write_text("mine\n", encoding="utf-8")
    return snapshot(folder)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file and folder under ``folder``, hidden ones too: path inside it -> bytes (b"/" for a folder)."""
    return {
        path.relative_to(folder).as_posix(): b"/" if path.is_dir() else path.read_bytes()
        for path in sorted(folder.rglob("*"))
    }


@pytest.mark.parametrize("jobs", JOBS)
def test_a_later_plan_that_fails_leaves_the_output_as_it_was(plan: Path, tmp_path: Path, jobs: str) -> None:
    data = years(plan, 4)
    edit(data / "113" / "plan.yaml", "year: 113", "year: 999")  # the last year no longer matches its folder
    out = tmp_path / "site"
    before = existing_output(out)
    run = stratmap("render", data, "-o", out, "--jobs", jobs)
    assert run.code == 1, run.err
    assert "nothing rendered" in run.err and "R006" in run.err
    assert run.out == ""
    assert snapshot(out) == before


@pytest.mark.parametrize("jobs", JOBS)
def test_a_failed_render_into_a_new_folder_leaves_no_folder(plan: Path, tmp_path: Path, jobs: str) -> None:
    data = years(plan, 3)
    edit(data / "112" / "plan.yaml", "year: 112", "year: 999")
    out = tmp_path / "build" / "html"
    run = stratmap("render", data, "-o", out, "--jobs", jobs)
    assert run.code == 1, run.err
    assert not (tmp_path / "build").exists()


@pytest.mark.parametrize("jobs", JOBS)
def test_a_template_failing_on_a_later_plan_writes_nothing(plan: Path, tmp_path: Path, jobs: str) -> None:
    data = years(plan, 3)
    templates = tmp_path / "templates"
    (templates / "html").mkdir(parents=True)
    (templates / "html" / "plan.html.j2").write_text(
        "<p>{{ plan.year }}</p>\n{% if plan.year == 112 %}{{ plan.no_such_thing }}{% endif %}\n", encoding="utf-8"
    )
    out = tmp_path / "site"
    before = existing_output(out)
    run = stratmap("render", data, "-o", out, "--templates", templates, "--jobs", jobs)
    assert run.code == 2, run.err
    assert "template error" in run.err and "plan.html.j2:2" in run.err, run.err
    assert snapshot(out) == before


def test_a_plan_that_fails_wins_over_a_template_that_fails(plan: Path, tmp_path: Path) -> None:
    """As before streaming: every plan is checked first in effect, so a plan that does not validate is told
    (exit 1) even when the template broke on an earlier plan."""
    data = years(plan, 3)
    edit(data / "112" / "plan.yaml", "year: 112", "year: 999")
    templates = tmp_path / "templates"
    (templates / "html").mkdir(parents=True)
    (templates / "html" / "plan.html.j2").write_text("{{ plan.no_such_thing }}\n", encoding="utf-8")
    run = stratmap("render", data, "-o", tmp_path / "site", "--templates", templates)
    assert run.code == 1, run.err
    assert "R006" in run.err and "template error" not in run.err
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("jobs", JOBS)
def test_pages_are_the_same_streamed_in_one_process_or_two(plan: Path, tmp_path: Path, jobs: str) -> None:
    data = years(plan, 3)
    one, other = tmp_path / "one", tmp_path / "other"
    assert stratmap("render", data, "-o", one, "--jobs", "1").code == 0
    assert stratmap("render", data, "-o", other, "--jobs", jobs).code == 0
    assert snapshot(one) == snapshot(other)
    assert {"110.html", "111.html", "112.html", "112-city-map.svg"} <= set(snapshot(one))
    assert not [name for name in snapshot(one) if name.startswith(".")], "nothing staged is left"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
@pytest.mark.parametrize("jobs", JOBS)
def test_a_signal_while_rendering_leaves_nothing_behind(
    plan: Path, tmp_path: Path, jobs: str, signum: signal.Signals
) -> None:
    data = years(plan, 8)
    out = tmp_path / "site"
    before = existing_output(out)
    env = {**os.environ, "NO_COLOR": "1", "STRATMAP_NO_CACHE": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "stratmap", "render", str(data), "-o", str(out), "--jobs", jobs],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 100
    while not list(out.glob(".stratmap-staged-*/*.html")) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert process.poll() is None, "the render ended before a page was staged: nothing was tested"
    process.send_signal(signum)
    _, err = process.communicate(timeout=100)
    assert process.returncode == 128 + signum, err
    assert "interrupted" in err and "Traceback" not in err, err
    assert snapshot(out) == before


def test_each_plans_graph_is_let_go_before_the_next_plan_is_checked(
    plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stratmap import pipeline
    from stratmap.config import load_config
    from stratmap.loading.discovery import find_plans
    from stratmap.rendering.batch import RenderJob, render_plans

    data = years(plan, 3)
    graphs: list[weakref.ref[object]] = []
    alive_when_checked: list[list[bool]] = []
    check_plan = pipeline.check_plan

    def watched(*args: object, **kwargs: object) -> object:
        alive_when_checked.append([graph() is not None for graph in graphs])
        result = check_plan(*args, **kwargs)  # type: ignore[arg-type]
        graphs.append(weakref.ref(result.graph))
        return result

    monkeypatch.setattr(pipeline, "check_plan", watched)
    monkeypatch.setenv("STRATMAP_NO_CACHE", "1")
    staging = tmp_path / "out" / ".staged"
    staging.mkdir(parents=True)
    configured = load_config(REPO)
    job = RenderJob(
        "html", None, configured.settings(), configured.scoring(), REPO, "zh-TW", None, staging, printing=False
    )
    outcomes = render_plans(job, find_plans([data], REPO))
    assert [outcome.valid and outcome.stopped is None for outcome in outcomes] == [True, True, True]
    assert "112.html" in outcomes[2].staged
    assert alive_when_checked == [[], [False], [False, False]]
    assert all(graph() is None for graph in graphs)
