"""Compare two builds of stratmap command by command, with paired, interleaved runs (A B A B ...).

    python benchmarks/compare.py OLD_SRC NEW_SRC                # e.g. a checkout of the last release's src/
    python benchmarks/compare.py OLD_SRC NEW_SRC --runs 15 --shapes small,city
    python benchmarks/compare.py OLD_SRC NEW_SRC --generator OLD_CHECKOUT/benchmarks/generate.py

OLD_SRC and NEW_SRC are folders holding a ``stratmap`` package (a checkout's ``src/``); each command runs
as ``python -m stratmap`` with that folder first on PYTHONPATH, in the same corpora, alternating the
builds so that the machine's noise falls on both alike. A floor (``python -c pass``) is interleaved too.
For each command: the median and interquartile range of each build, and the median of the per-pair
ratios NEW/OLD with its spread. Warm commands share a cache folder per build (made by one unmeasured
run first); cold ones run with STRATMAP_NO_CACHE=1. ``--generator`` makes the corpora with another
checkout's generator, so that both builds read files the older one understands. Writes
benchmarks/compare.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def timed(command: list[str], env: dict[str, str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}")
    return elapsed


def installed_copy(source: Path, target: Path) -> Path:
    """A copy of a build's ``src`` folder with its byte code compiled, as ``pip install`` leaves a package.

    Without it every run would compile the package's sources again (more so under
    PYTHONDONTWRITEBYTECODE), a cost no installed copy pays and one that grows with the code's size.
    """
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(target)], check=True)
    return target


def quartiles(values: list[float]) -> tuple[float, float, float]:
    q = statistics.quantiles(values, n=4) if len(values) > 1 else [values[0]] * 3
    return q[0], statistics.median(values), q[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--shapes", default="small,city")
    parser.add_argument("--out", type=Path, default=HERE / "compare.md")
    parser.add_argument("--generator", type=Path, default=HERE / "generate.py")
    args = parser.parse_args()
    import importlib.util

    spec = importlib.util.spec_from_file_location("generate", args.generator)
    assert spec is not None and spec.loader is not None
    generator = importlib.util.module_from_spec(spec)
    sys.modules["generate"] = generator
    spec.loader.exec_module(generator)
    rows: list[str] = []
    with tempfile.TemporaryDirectory(prefix="stratmap-compare-") as scratch:
        work = Path(scratch)
        builds = {
            name: installed_copy(source.resolve(), work / name)
            for name, source in (("old", args.old), ("new", args.new))
        }
        corpora: dict[str, Path] = {"data/110": REPO}
        for shape in filter(None, args.shapes.split(",")):
            generator.generate(shape, work / shape, seed=1, plant=0)
            corpora[shape] = work / shape
        base = {**os.environ, "NO_COLOR": "1"}
        base.pop("STRATMAP_CACHE_DIR", None)
        for corpus, root in corpora.items():
            data = "data/110" if corpus == "data/110" else "data"
            commands = {
                "validate (cold)": (["validate", data], True),
                "validate (warm)": (["validate", data], False),
                "trace DP2.2 (warm)": (["trace", "DP2.2", data], False),
            }
            for label, (arguments, cold) in commands.items():
                envs = {}
                for name, src in builds.items():
                    env = {
                        **base,
                        "PYTHONPATH": str(src),
                        "XDG_CACHE_HOME": str(work / f"xdg-{name}-{corpus.replace('/', '')}"),
                    }
                    if cold:
                        env["STRATMAP_NO_CACHE"] = "1"
                    else:
                        timed([sys.executable, "-m", "stratmap", *arguments], env, root)  # fill the cache
                    envs[name] = env
                times: dict[str, list[float]] = {"floor": [], "old": [], "new": []}
                for _ in range(args.runs):
                    times["floor"].append(timed([sys.executable, "-c", "pass"], base, root))
                    for name in ("old", "new"):
                        times[name].append(timed([sys.executable, "-m", "stratmap", *arguments], envs[name], root))
                ratios = [n / o for n, o in zip(times["new"], times["old"], strict=True)]
                (o1, om, o3), (n1, nm, n3), (r1, rm, r3) = (
                    quartiles(times["old"]),
                    quartiles(times["new"]),
                    quartiles(ratios),
                )
                floor = statistics.median(times["floor"])
                rows.append(
                    f"| {corpus} | {label} | {om:.3f} s ({o1:.3f}–{o3:.3f}) | {nm:.3f} s ({n1:.3f}–{n3:.3f}) "
                    f"| {rm:.2f}x ({r1:.2f}–{r3:.2f}) | {floor:.3f} s |"
                )
                print(rows[-1], flush=True)
    text = "\n".join([
        "# Paired comparison of two builds", "",
        f"`python benchmarks/compare.py {args.old} {args.new} --runs {args.runs} --shapes {args.shapes}`, "
        f"{os.cpu_count()} cores, Python {sys.version.split()[0]}.", "",
        f"Corpora by `{args.generator}`. Medians of whole processes (interquartile range); ratio = median of "
        "per-pair NEW/OLD (IQR); floor = "
        "`python -c pass` interleaved in the same loop.", "",
        "| corpus | command | old | new | new/old | floor |", "|---|---|---:|---:|---:|---:|", *rows, "",
    ])  # fmt: skip
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
