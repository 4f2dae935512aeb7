"""Time stratmap against the floor and a peer on synthetic corpora; write benchmarks/results.md.

    python benchmarks/run.py                 # all corpora, 5 runs each (3 for the slow decade ones)
    python benchmarks/run.py --runs 3 --shapes small,city

Every figure is a whole process (start-up included), timed over several runs: the median wall time
and the peak resident memory of the slowest-memory run. Needs the bench extra:
python -m pip install '.[bench]' (check-jsonschema and PyYAML's libyaml loader).
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
from dataclasses import dataclass
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
LIBYAML_LOAD = """
import sys, yaml
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as stream:
        yaml.load(stream, Loader=yaml.CSafeLoader)
"""


@dataclass
class Timing:
    """Median wall time and peak memory of one command over several runs."""

    label: str
    seconds: float
    peak_mib: float
    runs: int
    ok: bool = True


def measure(label: str, command: list[str], runs: int, env: dict[str, str] | None = None,
            cwd: Path = REPO, before: list[str] | None = None) -> Timing:  # fmt: skip
    """Run ``command`` ``runs`` times (after ``before``, untimed, each time); median seconds, peak MiB."""
    times, peaks, ok = [], [], True
    full_env = {**os.environ, **(env or {})}
    for _ in range(runs):
        if before:
            subprocess.run(before, cwd=cwd, env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=full_env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)  # fmt: skip
        _, status, usage = os.wait4(process.pid, 0)
        times.append(time.perf_counter() - start)
        peaks.append(usage.ru_maxrss / 1024)
        ok = ok and os.waitstatus_to_exitcode(status) in (0, 1)
    return Timing(label, statistics.median(times), max(peaks), runs, ok)


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
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--shapes", default="small,city,decade")
    parser.add_argument("--out", type=Path, default=HERE / "results.md")
    args = parser.parse_args()
    python = sys.executable
    stratmap = [python, "-m", "stratmap"]
    peer = shutil.which("check-jsonschema") or str(Path(python).parent / "check-jsonschema")
    work = Path(tempfile.mkdtemp(prefix="stratmap-bench-"))
    rows: list[tuple[str, Timing]] = []
    corpora: dict[str, dict[str, object]] = {}
    no_cache = {"STRATMAP_NO_CACHE": "1"}
    try:
        rows.append(("floor", measure("python -c pass", [python, "-c", "pass"], args.runs)))
        rows.append(("floor", measure("import stratmap.cli", [python, "-c", "import stratmap.cli"], args.runs)))
        rows.append(("floor", measure("stratmap --help", [*stratmap, "--help"], args.runs)))
        rows.append(("data/110", measure("validate data/110 (cold)", [*stratmap, "validate", "data/110"],
                                         args.runs, no_cache)))  # fmt: skip
        subprocess.run([*stratmap, "validate", "data/110"], cwd=REPO, stdout=subprocess.DEVNULL)
        rows.append(("data/110", measure("validate data/110 (warm cache)", [*stratmap, "validate", "data/110"],
                                         args.runs)))  # fmt: skip
        for shape in args.shapes.split(","):
            root = work / shape
            corpora[shape] = generate(shape, root, seed=1, plant=0)
            from stratmap.schema_export import write_schemas

            write_schemas(root / "schemas")
            files = sorted(str(p) for p in (root / "data").rglob("*.yaml"))
            runs = max(2, args.runs // 2) if shape == "decade" else args.runs
            cache = {"STRATMAP_CACHE_DIR": str(work / f"cache-{shape}")}
            kpi = "city:DP2.2"
            rows.append(
                (shape, measure("libyaml load (PyYAML CSafeLoader)", [python, "-c", LIBYAML_LOAD, *files], runs))
            )
            if Path(peer).exists():
                peer_run = [python, "-c", PEER, peer, str(root)]
                rows.append((shape, measure("check-jsonschema (4 schemas, one process each)", peer_run, runs)))
            rows.append(
                (shape, measure("validate (cold)", [*stratmap, "validate", str(root / "data")], runs, no_cache))
            )
            subprocess.run([*stratmap, "validate", str(root / "data")], env={**os.environ, **cache},
                           stdout=subprocess.DEVNULL)  # fmt: skip
            rows.append((shape, measure("validate (warm cache)", [*stratmap, "validate", str(root / "data")], runs,
                                        cache)))  # fmt: skip
            rows.append((shape, measure(f"trace {kpi} (cold)", [*stratmap, "trace", kpi, str(root / "data")], runs,
                                        no_cache)))  # fmt: skip
            rows.append((shape, measure(f"trace {kpi} (warm cache)", [*stratmap, "trace", kpi, str(root / "data")],
                                        runs, cache)))  # fmt: skip
            status = [*stratmap, "status", str(root / "data")]
            rows.append((shape, measure("status (cold)", status, runs, no_cache)))
            subprocess.run(status, env={**os.environ, **cache}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            rows.append((shape, measure("status (warm cache)", status, runs, cache)))
            for fmt in ("html", "markdown"):
                out = work / f"out-{shape}-{fmt}"
                rows.append((shape, measure(f"render --format {fmt} (warm cache)",
                                            [*stratmap, "render", str(root / "data"), "--format", fmt, "-o", str(out)],
                                            runs, cache)))  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)
    args.out.write_text(report(rows, corpora), encoding="utf-8")
    print(f"wrote {args.out}")


def report(rows: list[tuple[str, Timing]], corpora: dict[str, dict[str, object]]) -> str:
    by = {(group, t.label): t for group, t in rows}

    def get(group: str, label: str) -> Timing | None:
        return by.get((group, label))

    lines = [
        "# Benchmarks",
        "",
        f"Measured {datetime.date.today().isoformat()} with `python benchmarks/run.py` on {machine()}.",
        "Each figure: the median wall time of whole processes (start-up included) and their peak memory.",
        "",
        "## Corpora",
        "",
        "| corpus | files | measures files | size | shape |",
        "|---|---:|---:|---:|---|",
    ]
    shapes = {"small": "one department, 5 themes", "city": "40 departments x 5 themes",
              "decade": "10 years of city"}  # fmt: skip
    for name, info in corpora.items():
        size, measured = int(info["bytes"]) / 1048576, info.get("measures_files", 0)
        lines.append(f"| {name} | {info['files']} | {measured} | {size:.2f} MiB | {shapes[name]} |")
    lines += ["", "## Timings", "", "| corpus | command | median | peak memory | runs |", "|---|---|---:|---:|---:|"]
    for group, t in rows:
        flag = "" if t.ok else " (failed)"
        lines.append(f"| {group} | {t.label}{flag} | {t.seconds:.3f} s | {t.peak_mib:.0f} MiB | {t.runs} |")
    lines += ["", "## Targets", "", "| target | measured | met |", "|---|---|---|"]

    def target(text: str, value: float | None, limit: float, unit: str = "x", below: bool = True) -> None:
        if value is None:
            lines.append(f"| {text} | not measured | - |")
            return
        met = value <= limit if below else value >= limit
        lines.append(f"| {text} | {value:.2f}{unit} | {'yes' if met else 'no'} |")

    imp = get("floor", "import stratmap.cli")
    for label in ("validate data/110 (cold)", "validate data/110 (warm cache)"):
        v = get("data/110", label)
        target(f"{label} <= 1.25x import of the CLI", v.seconds / imp.seconds if v and imp else None, 1.25)
    floor = get("decade", "libyaml load (PyYAML CSafeLoader)")
    peer = get("decade", "check-jsonschema (4 schemas, one process each)")
    for label in ("validate (cold)", "validate (warm cache)"):
        v = get("decade", label)
        target(f"decade: {label} <= 1.5x libyaml load", v.seconds / floor.seconds if v and floor else None, 1.5)
        target(f"decade: {label} >= 4x faster than check-jsonschema",
               peer.seconds / v.seconds if v and peer else None, 4.0, below=False)  # fmt: skip
    status = get("decade", "status (cold)")
    cold = get("decade", "validate (cold)")
    target("decade: status (cold) <= 1.3x validate (cold)",
           status.seconds / cold.seconds if status and cold and status.ok else None, 1.3)  # fmt: skip
    warm = get("decade", "trace city:DP2.2 (warm cache)")
    target("decade: trace with a warm cache <= 0.5 s", warm.seconds if warm else None, 0.5, " s")
    for name, info in corpora.items():
        v = get(name, "validate (cold)")
        if v:
            ratio = v.peak_mib * 1048576 / int(info["bytes"])
            target(f"{name}: peak memory of validate <= 10x corpus size", ratio, 10.0)
    lines += [
        "",
        "## Growth",
        "",
        "| corpus | MiB | validate cold (s) | s per MiB | peak MiB |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, info in corpora.items():
        v = get(name, "validate (cold)")
        if v:
            mib = int(info["bytes"]) / 1048576
            lines.append(f"| {name} | {mib:.2f} | {v.seconds:.2f} | {v.seconds / mib:.2f} | {v.peak_mib:.0f} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
