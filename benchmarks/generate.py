"""Generate synthetic strategy corpora shaped like data/110, for benchmarks and scale tests.

    python benchmarks/generate.py small  OUT      # one department (5 theme files) under one city map
    python benchmarks/generate.py city   OUT      # 40 departments x 5 themes
    python benchmarks/generate.py decade OUT      # 10 plan years of `city`
    python benchmarks/generate.py years  OUT      # 3 plan years of 2 departments (the tests' parallel runs)
    python benchmarks/generate.py city   OUT --plant 25   # with 25 known errors; see OUT/expected.json

Deterministic from --seed. Each year folder holds plan.yaml, city.yaml and departments/dNN/ with
department.yaml, theme-a.yaml ... theme-e.yaml and measures.yaml, in Traditional Chinese, with city KPI
references. Every KPI is measured quarterly: it has a unit, direction, target, frequency, aggregation
and weight (a department's weights add up to 100), and measures.yaml holds its actuals of all four
quarters. A KPI code keeps its unit, direction and aggregation across years and its target never
falls, so no target-lowered warning arises. Every corpus validates with no problem at all, except the
planted errors, which validate must report exactly (file, line, rule): OUT/expected.json lists them.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

SHAPES = {"small": (1, 1), "city": (40, 1), "decade": (40, 10), "years": (2, 3)}
"""shape -> (departments, years)."""
FIRST_YEAR = 110
CITY_THEMES = "ABCDEFGH"
PERSPECTIVES = [("C", 3), ("P", 4), ("L", 1), ("F", 2)]
"""Objectives per perspective in a theme: about ten, as the issue asks."""
WORDS = (
    "提升 強化 推動 建構 完善 促進 發展 打造 營造 優化 輔導 整合 擴大 精進 健全 深化 培育 落實 加速 創新 "
    "產業 服務 環境 城市 市民 企業 市場 能源 生態 文化 教育 健康 安全 交通 數位 資料 人才 預算 財源 品質 "
    "滿意度 效能 網絡 平台 計畫 體系 機制 資源 交流 投資 創業 觀光 農業 綠能 社區 長照 治理 防災 永續"
).split()
RULE_OF_PLANT = {"reference": "R003", "unlisted": "R004", "prefix": "R002", "twice": "R008"}
COUNT_UNITS = ("件", "場次", "家", "人次")
WEIGHT_MARK = "@weight@"
"""Stands for a KPI's weight until the department's KPIs are all known (see ``fill_weights``)."""


@dataclass
class Writer:
    """Text of one YAML file, line by line, so a planted error's line is known."""

    lines: list[str] = field(default_factory=list)

    def add(self, line: str) -> int:
        """Append a line; return its 1-based number."""
        self.lines.append(line)
        return len(self.lines)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def phrase(rng: random.Random, words: int = 4) -> str:
    return "".join(rng.choice(WORDS) for _ in range(words))


def city_map(rng: random.Random, year: int) -> tuple[str, dict[str, list[str]], dict[str, dict[str, list[str]]]]:
    """The city map, its objectives per theme and the KPIs listed under each objective."""
    w = Writer()
    w.add("# yaml-language-server: $schema=../../schemas/city-map.schema.json")
    w.add("kind: city_map")
    w.add(f"title: 臺北市政府{year}年度策略地圖")
    w.add(f"mission: {phrase(rng)}")
    w.add(f"vision: {phrase(rng)}")
    w.add("core_values: [正直誠信, 團隊合作, 創新卓越, 開放共享]")
    w.add("themes:")
    objectives: dict[str, list[str]] = {}
    kpis: dict[str, dict[str, list[str]]] = {}
    for theme in CITY_THEMES:
        w.add(f"  - code: {theme}")
        w.add(f"    name: {phrase(rng, 3)}")
        w.add("    objectives:")
        objectives[theme] = []
        kpis[theme] = {}
        for letter, count in PERSPECTIVES:
            for n in range(1, count + 1):
                code = f"{theme}{letter}{n}"
                objectives[theme].append(code)
                w.add(f"      - code: {code}")
                w.add(f"        perspective: {letter}")
                w.add(f"        name: {phrase(rng)}")
                w.add("        kpis:")
                kpis[theme][code] = [f"{code}.{k}" for k in range(1, 4)]
                for kpi in kpis[theme][code]:
                    w.add(f"          - code: {kpi}")
    return w.text(), objectives, kpis


def department(rng: random.Random, index: int, roles: list[str]) -> str:
    w = Writer()
    w.add("# yaml-language-server: $schema=../../../../schemas/department.schema.json")
    w.add("kind: department")
    w.add(f"id: d{index:02d}")
    w.add(f"name: 臺北市政府{phrase(rng, 2)}局")
    w.add(f"mission: {phrase(rng, 6)}")
    w.add(f"vision: {phrase(rng, 6)}")
    w.add(f"core_values: [{phrase(rng, 2)}, {phrase(rng, 2)}, {phrase(rng, 2)}]")
    w.add("city_roles:")
    w.add(f"  lead: [{roles[0]}]")
    w.add(f"  member: [{', '.join(roles[1:])}]")
    return w.text()


@dataclass(frozen=True)
class Measured:
    """How a KPI is measured: the same for a department's KPI code in every year of the corpus."""

    unit: str
    direction: str
    aggregation: str
    base: int
    """The first year's target; later years' targets grow from it (see ``target``)."""

    def target(self, years_in: int) -> int:
        """The target after ``years_in`` plan years: counts grow 5% a year, rates a point every 3 years
        (at most 99), lower-is-better rates stay put; never lower than the year before."""
        if self.direction == "lower":
            return self.base
        if self.aggregation == "sum":
            return self.base + self.base * years_in // 20
        return min(99, self.base + years_in // 3)


def measured(seed: int, department_id: str, code: str) -> Measured:
    """The measurement of a KPI, drawn from its own generator so that a code measures alike every year."""
    rng = random.Random(f"{seed}:{department_id}:{code}")
    kind = rng.random()
    if kind < 0.5:
        return Measured(rng.choice(COUNT_UNITS), "higher", "sum", rng.randrange(40, 2000, 4))
    if kind < 0.85:
        return Measured("%", "higher", rng.choice(("mean", "last")), rng.randint(80, 95))
    return Measured("%", "lower", "last", rng.randint(5, 15))


@dataclass(frozen=True)
class MeasuredKpi:
    """A KPI of a generated plan year with its measurement and target."""

    code: str
    how: Measured
    target: int


def kpi_fields(how: Measured, target: int) -> list[str]:
    """The measurement lines of a KPI in a theme file; its weight is filled in later."""
    unit = f'"{how.unit}"' if how.unit == "%" else how.unit
    return [
        f"        unit: {unit}",
        f"        direction: {how.direction}",
        f"        target: {target}",
        "        frequency: quarterly",
        f"        aggregation: {how.aggregation}",
        f"        weight: {WEIGHT_MARK}",
    ]


def fill_weights(texts: list[str], count: int) -> list[str]:
    """Replace the weight marks of a department's theme texts, in order, by weights (two decimals) that
    add up to exactly 100."""
    base, extra = divmod(10000, count)
    cents = iter([base + 1] * extra + [base] * (count - extra))

    def weight(_: re.Match[str]) -> str:
        value = next(cents)
        return f"{value // 100}.{value % 100:02d}"

    filled = [re.sub(re.escape(WEIGHT_MARK), weight, text) for text in texts]
    if next(cents, None) is not None:
        raise AssertionError("fewer weight marks than KPIs")
    return filled


def quarter_values(rng: random.Random, kpi: MeasuredKpi) -> list[str]:
    """Four quarters of plausible actuals around the target: met, near and missed all occur."""
    how, target = kpi.how, kpi.target
    if how.aggregation == "sum":
        return [str(max(0, round(target / 4 * rng.uniform(0.7, 1.25)))) for _ in range(4)]
    if how.direction == "lower":
        return [f"{target * rng.uniform(0.7, 1.3):.1f}" for _ in range(4)]
    return [f"{min(100.0, target * rng.uniform(0.85, 1.08)):.1f}" for _ in range(4)]


def measures_file(rng: random.Random, year: int, kpis: list[MeasuredKpi]) -> str:
    """A department's measures.yaml: every KPI's actuals of the four quarters of ``year``."""
    w = Writer()
    w.add("# yaml-language-server: $schema=../../../../schemas/measures.schema.json")
    w.add("kind: measures")
    w.add("measures:")
    for kpi in kpis:
        w.add(f"  {kpi.code}:")
        for quarter, value in enumerate(quarter_values(rng, kpi), start=1):
            w.add(f"    {year}Q{quarter}: {value}")
    return w.text()


@dataclass
class Plant:
    """An error to plant in a theme file, and where it landed."""

    kind: str
    line: int = 0


@dataclass(frozen=True)
class Measuring:
    """What a theme needs to measure its KPIs: the corpus seed, the department and how far into the corpus
    the year lies; KPIs written are appended to ``kpis``."""

    seed: int
    department_id: str
    years_in: int
    kpis: list[MeasuredKpi]


def theme_file(rng: random.Random, letter: str, aligned: str, city_kpis: list[str], plants: list[Plant],
               measuring: Measuring) -> str:  # fmt: skip
    """One department theme: ~10 objectives across the four perspectives, 1-3 KPIs each, 1-3 plans per KPI;
    every KPI measured quarterly, its weight left as a mark for ``fill_weights``."""
    w = Writer()
    w.add("# yaml-language-server: $schema=../../../../schemas/theme.schema.json")
    w.add("kind: theme")
    w.add(f"code: {letter}")
    w.add(f"name: {phrase(rng, 3)}")
    w.add(f"aligns_to: [{aligned}]")
    w.add("objectives:")
    pending = list(plants)
    for perspective, count in PERSPECTIVES:
        for n in range(1, count + 1):
            objective = f"{letter}{perspective}{n}"
            w.add(f"  - code: {objective}")
            w.add(f"    perspective: {perspective}")
            w.add(f"    name: {phrase(rng, 6)}")
            w.add("    kpis:")
            for k in range(1, rng.randint(1, 3) + 1):
                kpi = f"{objective}.{k}"
                w.add(f"      - code: {kpi}")
                w.add(f"        name: {phrase(rng, 10)}")
                how = measured(measuring.seed, measuring.department_id, kpi)
                target = how.target(measuring.years_in)
                measuring.kpis.append(MeasuredKpi(kpi, how, target))
                for line in kpi_fields(how, target):
                    w.add(line)
                if rng.random() < 0.4:
                    refs = rng.sample(city_kpis, rng.randint(1, 2))
                    plant = (
                        pending.pop() if pending and pending[-1].kind in ("reference", "unlisted", "twice") else None
                    )
                    if plant is not None:
                        refs[0] = {"reference": "ZP9.1", "unlisted": refs[0].rsplit(".", 1)[0] + ".99"}.get(
                            plant.kind, refs[0]
                        )
                        if plant.kind == "twice":
                            refs = [refs[0], refs[0]]
                        plant.line = w.add(f"        city_kpis: [{', '.join(refs)}]")
                    else:
                        w.add(f"        city_kpis: [{', '.join(refs)}]")
                if rng.random() < 0.1:
                    w.add("        tags: [非營業基金考核指標]")
                w.add("        action_plans:")
                for p in range(1, rng.randint(1, 3) + 1):
                    w.add(f"          - {{code: {kpi}.{p}, name: {phrase(rng, 13)}}}")
                if pending and pending[-1].kind == "prefix":
                    plant = pending.pop()  # one more plan, whose code names another KPI (.9) of the objective
                    plant.line = w.add(f"          - {{code: {objective}.9.1, name: {phrase(rng, 13)}}}")
    return w.text()


def generate(shape: str, out: Path, seed: int, plant: int) -> dict[str, object]:
    """Write the corpus; return a summary (strategy files, measures files, bytes of both, planted errors)."""
    departments, years = SHAPES[shape]
    rng = random.Random(seed)
    kinds = list(RULE_OF_PLANT)
    to_plant = [kinds[i % len(kinds)] for i in range(plant)]
    expected: list[dict[str, object]] = []
    files = 0
    measures = 0
    size = 0
    theme_slots = [(y, d, t) for y in range(years) for d in range(1, departments + 1) for t in range(5)]
    planted_at = dict(zip(rng.sample(theme_slots, len(to_plant)), to_plant, strict=True))
    for y in range(years):
        year = FIRST_YEAR - years + 1 + y
        root = out / "data" / str(year)
        text, objectives, kpis = city_map(rng, year)
        modeline = "# yaml-language-server: $schema=../../schemas/plan.schema.json"
        written = {root / "plan.yaml": f"{modeline}\nkind: plan\nyear: {year}\n", root / "city.yaml": text}
        for d in range(1, departments + 1):
            roles = rng.sample(list(CITY_THEMES), 3)
            folder = root / "departments" / f"d{d:02d}"
            written[folder / "department.yaml"] = department(rng, d, roles)
            role_kpis = [k for theme in roles for codes in kpis[theme].values() for k in codes]
            measuring = Measuring(seed, f"d{d:02d}", y, [])
            themes: dict[Path, str] = {}
            for t, letter in enumerate("ABCDE"):
                aligned = rng.choice(objectives[rng.choice(roles)])
                plants = [Plant(planted_at[(y, d, t)])] if (y, d, t) in planted_at else []
                path = folder / f"theme-{letter.lower()}.yaml"
                themes[path] = theme_file(rng, letter, aligned, role_kpis, plants, measuring)
                for p in plants:
                    if p.line:
                        expected.append({"path": path.relative_to(out).as_posix(), "line": p.line,
                                         "rule": RULE_OF_PLANT[p.kind]})  # fmt: skip
            written.update(zip(themes, fill_weights(list(themes.values()), len(measuring.kpis)), strict=True))
            written[folder / "measures.yaml"] = measures_file(rng, year, measuring.kpis)
        for path, content in written.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
            if path.name == "measures.yaml":
                measures += 1
            else:
                files += 1
            size += len(content.encode("utf-8"))
    if plant:
        (out / "expected.json").write_text(json.dumps(sorted(expected, key=lambda e: (e["path"], e["line"])),
                                                      ensure_ascii=False, indent=1) + "\n", "utf-8")  # fmt: skip
    return {"shape": shape, "files": files, "measures_files": measures, "bytes": size, "planted": len(expected)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("shape", choices=sorted(SHAPES))
    parser.add_argument("out", type=Path, help="folder to write data/<year>/... into (created)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--plant", type=int, default=0, help="number of known errors to plant")
    args = parser.parse_args()
    summary = generate(args.shape, args.out, args.seed, args.plant)
    schemas = args.out / "schemas"
    from stratmap.schema_export import write_schemas

    write_schemas(schemas)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
