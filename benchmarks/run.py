"""Time stratmap against its floors and a peer, and check the speed targets (issue 14); write benchmarks/results.md.

    python benchmarks/run.py                       # data/110 and all corpora: about 15 minutes on 2 cores
    python benchmarks/run.py --runs 3 --shapes small,city

Every figure is a whole process (start-up included). The commands of one corpus run interleaved, round by
round (A B C A B C …), with their floors in the same rounds: ``python -c pass``, ``import stratmap.cli`` and
``yaml.compose`` of every file of the corpus with libyaml's CSafeLoader in one process (the parse that keeps
positions, which any validator of these files must do). A ratio is the median of the per-round ratios, with
its interquartile range, so the noise of a shared machine falls on both sides alike. Peak memory is the
largest resident size of a command's runs. Needs the bench extra for the peer:
python -m pip install '.[bench]' (check-jsonschema).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

PEER = """
import pathlib, subprocess, sys
peer, root = sys.argv[1], pathlib.Path(sys.argv[2])
files = sorted(root.glob("data/**/*.yaml"))
kinds = {"plan": "plan.yaml", "city-map": "city.yaml", "department": "department.yaml", "theme": "theme-",
         "measures": "measures.yaml"}
for kind, prefix in kinds.items():
    chosen = [str(f) for f in files if f.name.startswith(prefix)]
    subprocess.run([peer, "--schemafile", str(root / "schemas" / f"{kind}.schema.json"), *chosen], check=True,
                   stdout=subprocess.DEVNULL)
"""
COMPOSE = """
import sys, yaml
for path in sys.argv[1:]:
    with open(path, "rb") as stream:
        yaml.compose(stream, Loader=yaml.CSafeLoader)
"""


@dataclass
class Command:
    """One command of a round: what to run, its environment, and what to run (untimed) before it."""

    label: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    before: list[str] | None = None


@dataclass
class Series:
    """The runs of one command: seconds and peak MiB of each, in round order."""

    label: str
    seconds: list[float] = field(default_factory=list)
    peaks: list[float] = field(default_factory=list)
    ok: bool = True

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak(self) -> float:
        return max(self.peaks)


def run_once(command: Command) -> tuple[float, float, bool]:
    """Seconds, peak resident MiB and whether it exited 0 or 1 (problems found is a success here)."""
    env = {**os.environ, **command.env}
    if command.before:
        subprocess.run(command.before, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    start = time.perf_counter()
    process = subprocess.Popen(command.argv, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    return elapsed, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status) in (0, 1)


def interleaved(commands: list[Command], runs: int) -> dict[str, Series]:
    """Run every command once per round, ``runs`` rounds, in the same order each round."""
    series = {c.label: Series(c.label) for c in commands}
    for _ in range(runs):
        for command in commands:
            seconds, peak, ok = run_once(command)
            entry = series[command.label]
            entry.seconds.append(seconds)
            entry.peaks.append(peak)
            entry.ok = entry.ok and ok
    return series


def ratio(top: Series, bottom: Series) -> tuple[float, float, float]:
    """The median of the per-round ratios top/bottom, with the lower and upper quartiles."""
    pairs = [a / b for a, b in zip(top.seconds, bottom.seconds, strict=True)]
    if len(pairs) == 1:
        return pairs[0], pairs[0], pairs[0]
    low, mid, high = statistics.quantiles(pairs, n=4)
    return low, statistics.median(pairs), high


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from stratmap import __version__

    return (f"{platform.node() or 'host'}: {cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, stratmap {__version__}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="rounds per corpus (decade: at most 3)")
    parser.add_argument("--shapes", default="small,city,decade")
    parser.add_argument("--out", type=Path, default=HERE / "results.md")
    args = parser.parse_args()
    python = sys.executable
    _with_bytecode(python)
    stratmap = [python, "-m", "stratmap"]
    peer = shutil.which("check-jsonschema") or str(Path(python).parent / "check-jsonschema")
    work = Path(tempfile.mkdtemp(prefix="stratmap-bench-"))
    no_cache = {"STRATMAP_NO_CACHE": "1"}
    floors = [Command("python -c pass", [python, "-c", "pass"]),
              Command("import stratmap.cli", [python, "-c", "import stratmap.cli"])]  # fmt: skip
    groups: dict[str, dict[str, Series]] = {}
    corpora: dict[str, dict[str, object]] = {}
    try:
        data = str(REPO / "data" / "110")
        warm = {"STRATMAP_CACHE_DIR": str(work / "cache-110")}
        subprocess.run([*stratmap, "validate", data], env={**os.environ, **warm}, stdout=subprocess.DEVNULL)
        groups["data/110"] = interleaved(
            [*floors, Command("validate (cold)", [*stratmap, "validate", data], no_cache),
             Command("validate (warm cache)", [*stratmap, "validate", data], warm)],
            args.runs,
        )  # fmt: skip
        for shape in args.shapes.split(","):
            root = work / shape
            corpora[shape] = generate(shape, root, seed=1, plant=0)
            from stratmap.schema_export import write_schemas

            write_schemas(root / "schemas")
            files = sorted(str(p) for p in (root / "data").rglob("*.yaml"))
            cache = {"STRATMAP_CACHE_DIR": str(work / f"cache-{shape}")}
            folder = str(root / "data")
            subprocess.run([*stratmap, "validate", folder], env={**os.environ, **cache}, stdout=subprocess.DEVNULL)
            subprocess.run([*stratmap, "status", folder], env={**os.environ, **cache}, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)  # fmt: skip
            subprocess.run([*stratmap, "trace", "city:DP2.2", folder], env={**os.environ, **cache},
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
            commands = [
                *floors,
                Command("yaml.compose, CSafeLoader, one process", [python, "-c", COMPOSE, *files]),
                Command("validate (cold)", [*stratmap, "validate", folder], no_cache),
                Command("validate (cold, --jobs 1)", [*stratmap, "validate", "--jobs", "1", folder], no_cache),
                Command("validate (warm cache)", [*stratmap, "validate", folder], cache),
                Command("trace city:DP2.2 (warm cache)", [*stratmap, "trace", "city:DP2.2", folder], cache),
                Command("status (cold)", [*stratmap, "status", folder], no_cache),
                Command("render --format html (warm cache)",
                        [*stratmap, "render", folder, "--format", "html", "-o", str(work / f"html-{shape}")], cache),
            ]  # fmt: skip
            if Path(peer).exists() and shape != "city":  # city's peer round (~40 s) answers no target
                commands.append(Command("check-jsonschema, exported schemas", [python, "-c", PEER, peer, str(root)]))
            runs = max(2, min(args.runs, 3)) if shape == "decade" else args.runs  # a decade round: ~2 minutes
            groups[shape] = interleaved(commands, runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    args.out.write_text(report(groups, corpora), encoding="utf-8")
    print(f"wrote {args.out}")


def _with_bytecode(python: str) -> None:
    """Time commands as an installed stratmap runs: from compiled bytecode. A machine that sets
    PYTHONDONTWRITEBYTECODE (as some containers do) would otherwise compile every module from source in
    every run, which adds tens of milliseconds to each start-up and none to a user's."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    package = subprocess.run([python, "-c", "import stratmap, pathlib; print(pathlib.Path(stratmap.__file__).parent)"],
                             capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    subprocess.run([python, "-m", "compileall", "-q", package], check=True, stdout=subprocess.DEVNULL)


def report(groups: dict[str, dict[str, Series]], corpora: dict[str, dict[str, object]]) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Measured {datetime.date.today().isoformat()} with `python benchmarks/run.py` on {machine()}.",
        "Each corpus's commands ran interleaved, round by round, with their floors in the same rounds; a ratio is",
        "the median of the per-round ratios (interquartile range in brackets). Times are medians of whole",
        "processes, start-up included; memory is the largest peak resident size of a command's runs (a child",
        "starts as a copy of this runner, so a small command's peak shows the runner's size: see python -c pass).",
        "",
        "## Corpora",
        "",
        "| corpus | files | measures files | size | shape |",
        "|---|---:|---:|---:|---|",
    ]
    shapes = {"small": "one department, 5 themes", "city": "40 departments x 5 themes", "years": "3 years of 2",
              "decade": "10 years of city"}  # fmt: skip
    for name, info in corpora.items():
        size, measured = int(info["bytes"]) / 1048576, info.get("measures_files", 0)  # type: ignore[call-overload]
        lines.append(f"| {name} | {info['files']} | {measured} | {size:.2f} MiB | {shapes[name]} |")
    lines += ["", "## Timings", "", "| corpus | command | median | IQR | peak memory | runs |",
              "|---|---|---:|---:|---:|---:|"]  # fmt: skip
    for group, series in groups.items():
        for s in series.values():
            flag = "" if s.ok else " (failed)"
            q = statistics.quantiles(s.seconds, n=4) if len(s.seconds) > 1 else [s.median] * 3
            lines.append(f"| {group} | {s.label}{flag} | {s.median:.3f} s | {q[0]:.3f}–{q[2]:.3f} | "
                         f"{s.peak:.0f} MiB | {len(s.seconds)} |")  # fmt: skip
    lines += ["", "## Targets (issue 14)", "", "| target | measured | met |", "|---|---|---|"]

    def get(group: str, label: str) -> Series | None:
        return groups.get(group, {}).get(label)

    def target(text: str, top: Series | None, bottom: Series | None, limit: float, faster: bool = False) -> None:
        if top is None or bottom is None or not top.ok:
            lines.append(f"| {text} | not measured | - |")
            return
        low, mid, high = ratio(bottom, top) if faster else ratio(top, bottom)
        met = mid >= limit if faster else mid <= limit
        lines.append(f"| {text} | {mid:.2f}x ({low:.2f}–{high:.2f}) | {'yes' if met else 'no'} |")

    cli = "import stratmap.cli"
    target("data/110: validate, warm cache ≤ 1.25x the CLI import", get("data/110", "validate (warm cache)"),
           get("data/110", cli), 1.25)  # fmt: skip
    target("data/110: validate, cold ≤ 2.5x the CLI import", get("data/110", "validate (cold)"),
           get("data/110", cli), 2.5)  # fmt: skip
    compose = "yaml.compose, CSafeLoader, one process"
    cold = get("decade", "validate (cold)")
    target("decade: validate, cold ≤ 1.0x yaml.compose (both cores allowed)", cold, get("decade", compose), 1.0)
    target("decade: validate, cold, one process ≤ 1.5x yaml.compose", get("decade", "validate (cold, --jobs 1)"),
           get("decade", compose), 1.5)  # fmt: skip
    target("decade: validate, cold ≥ 10x faster than check-jsonschema", cold,
           get("decade", "check-jsonschema, exported schemas"), 10.0, faster=True)  # fmt: skip
    target("decade: trace, warm cache ≤ 2.5x the CLI import", get("decade", "trace city:DP2.2 (warm cache)"),
           get("decade", cli), 2.5)  # fmt: skip
    render = get("decade", "render --format html (warm cache)")
    target("decade: render time ≤ 1.5x validate, cold", render, cold, 1.5)
    target("decade: status, cold ≤ 1.3x validate, cold", get("decade", "status (cold)"), cold, 1.3)
    if render is not None and "decade" in corpora:
        size = int(corpora["decade"]["bytes"]) / 1048576  # type: ignore[call-overload]
        times = render.peak / size
        lines.append(f"| decade: render peak memory ≤ 10x the corpus | {times:.1f}x ({render.peak:.0f} MiB "
                     f"for {size:.1f} MiB) | {'yes' if times <= 10 else 'no'} |")  # fmt: skip
    growth = _growth(groups, corpora)
    if growth is not None:
        spread, shown = growth
        lines.append(f"| growth linear: validate cold (one process), extra s per extra MiB, corpus to corpus, "
                     f"within 20% ({shown}) | {spread * 100:.0f}% | {'yes' if spread <= 0.2 else 'no'} |")  # fmt: skip
    return "\n".join(lines) + "\n"


def _growth(groups: dict[str, dict[str, Series]], corpora: dict[str, dict[str, object]]) -> tuple[float, str] | None:
    """How far the cost of each further MiB differs from step to step (small → city → decade), or None with
    fewer than three corpora. Linear growth is a constant cost per MiB on top of a fixed start-up, so the
    slope between consecutive corpora is compared, not seconds per MiB (which the start-up inflates on a
    small corpus). One process (``--jobs 1``) throughout, so workers do not bend the line."""
    points = []
    for name, info in sorted(corpora.items(), key=lambda item: int(item[1]["bytes"])):  # type: ignore[call-overload]
        run = groups.get(name, {}).get("validate (cold, --jobs 1)")
        if run is not None and run.ok:
            points.append((name, int(info["bytes"]) / 1048576, run.median))  # type: ignore[call-overload]
    if len(points) < 3:
        return None
    slopes = [(f"{a}→{b}", (tb - ta) / (mb - ma)) for (a, ma, ta), (b, mb, tb) in zip(points, points[1:], strict=False)]
    values = [slope for _, slope in slopes]
    shown = ", ".join(f"{step} {slope:.3f} s/MiB" for step, slope in slopes)
    return max(values) / min(values) - 1, shown


if __name__ == "__main__":
    main()
