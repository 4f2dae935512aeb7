"""Write the example plan examples/demo/data/{110,111}: data/110 with invented targets, weights and actuals.

    python examples/demo/make_demo.py

示範資料: every number this script writes (targets, baselines, weights, actuals), every owner, data
source and formula is INVENTED to show stratmap's measured scorecards; none is a target or result of
臺北市政府產業發展局. The texts (names, codes, notes, city map) are copied from data/110 unchanged.

The script reads data/110, copies each file to both years, points its schema modeline at the
repository's schemas/ folder, adds the 示範資料 header, and inserts the fields below textually after
each objective's and KPI's ``name:`` line, so comments and key order survive. It then writes each
year's departments/doed/measures.yaml and gives the files ``stratmap fmt``'s layout (keys in the
schema's order), so ``stratmap fmt --check examples/demo/data`` passes. It is deterministic: rerun it
after editing SPECS or data/110.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SOURCE = REPO / "data" / "110"
OUT = HERE / "data"
YEARS = (110, 111)
FILES = ("plan.yaml", "city.yaml", "departments/doed/department.yaml",
         *(f"departments/doed/theme-{letter}.yaml" for letter in "abcde"))  # fmt: skip
HEADER = "# 示範資料：本檔數值為虛構，僅供 stratmap 示範，不代表臺北市政府產業發展局之實際目標或績效。"
TITLE = "title: 示範資料 — 臺北市政府產業發展局{year}年度策略地圖（虛構數值）"
MODELINE = re.compile(r"^(# yaml-language-server: \$schema=)(\S+)$")
CODE = re.compile(r"^( *)- code: (\S+)(?:  #.*)?$")
NAME = re.compile(r"^( *)name: ")
SUB_PERIODS = {"quarterly": ["Q1", "Q2", "Q3", "Q4"], "half-yearly": ["H1", "H2"],
               "monthly": [f"M{m:02d}" for m in range(1, 13)], "yearly": [""]}  # fmt: skip
ROC_OFFSET = 1911
"""民國 year + 1911 = Gregorian year."""
REPORTED_111 = {"quarterly": 3, "half-yearly": 1, "monthly": 9, "yearly": 0}
"""How many periods of 111 have actuals: the demo stands at the end of 111Q3 (yearly KPIs: none yet)."""

PLANNING = (("完成規劃", 30), ("完成招標", 60), ("完工啟用", 100))
PIPES = (("完成檢測評估", 20), ("完成汰換發包", 50), ("完成汰換施工", 100))
TRAINING = "完成訓練人數÷應受訓人數×100%"
BUDGET = "｜預算數－執行數｜÷預算數×100%"


@dataclass(frozen=True)
class Spec:
    """The invented values of one KPI. Values are written as text, exactly as they go in the YAML."""

    unit: str | None
    direction: str
    frequency: str
    aggregation: str | None
    weight: int
    owner: str
    data_source: str
    target: str
    """The 110 target (a number, or a milestone stage)."""
    target_111: str
    actual_110: str
    """Values of 110's periods in order, separated by spaces; ``-`` for none."""
    actual_111: str = ""
    """Values of 111's periods reported so far (Q1-Q3, H1, M01-M09)."""
    baseline: str | None = None
    """The 110 baseline; 111's is 110's year value."""
    formula: str | None = None
    ahead: str | None = None
    """110's ``targets: {111: ...}``; the 111 target then equals it."""
    ahead_111: str | None = None
    """111's ``targets: {112: ...}``."""
    milestones: tuple[tuple[str, int], ...] = ()
    note_111: str | None = None
    """The KPI's note in 111 (why its target was lowered)."""
    notes: dict[str, str] = field(default_factory=dict)
    """Notes (備註) of single measurements, by period."""


def pct(owner: str, source: str, target: str, target_111: str, a110: str, a111: str = "", weight: int = 2,
        frequency: str = "quarterly", aggregation: str | None = "mean", **more: Any) -> Spec:  # fmt: skip
    """A percentage where higher is better (satisfaction, completion and collection rates)."""
    return Spec("%", "higher", frequency, aggregation, weight, owner, source, target, target_111, a110, a111,
                **more)  # fmt: skip


def budget(a110: str, a111: str, **more: Any) -> Spec:
    """預算執行差異率: lower is better, the year-to-date figure of the last quarter reported."""
    return Spec("%", "lower", "quarterly", "last", 1, "會計室", "本局會計月報", "10", "10", a110, a111,
                formula=BUDGET, **more)  # fmt: skip


def training(frequency: str, a110: str, a111: str = "") -> Spec:
    """專業職能訓練完成率: reported by half-year or year, the latest figure counts."""
    aggregation = "last" if frequency != "yearly" else None
    return pct("人事室", "臺北e大學習紀錄", "95", "95", a110, a111, 1, frequency, aggregation, formula=TRAINING)


SURVEY = "滿意度問卷調查"
SPECS: dict[str, Spec] = {
    # A 健全商貿環境
    "AC1.1": Spec("場次", "higher", "quarterly", "sum", 3, "綜合企劃科", "本局活動辦理紀錄", "40", "42",
                  "8 6 12 16", "10 11 12", baseline="36", ahead="42"),
    "AC2.1": pct("商業處", f"公司及商業登記{SURVEY}", "90", "90", "92.4 93.1", "91.8", frequency="half-yearly"),
    "AC3.1": pct("產業發展科", f"投資服務辦公室{SURVEY}", "92", "92", "90.1 89.5 91.0 90.6", "91.5 92.3 92.8", 3),
    "AP1.1": Spec("億元", "higher", "quarterly", "sum", 3, "產業發展科", "參展及拓銷廠商成果回報表", "30", "32",
                  "5.2 6.1 7.8 8.9", "7.5 8.2 8.8", ahead="32",
                  formula="本局輔導廠商參展及跨境電商拓銷之成交及意向金額合計"),
    "AP1.2": Spec("件", "higher", "quarterly", "sum", 3, "產業發展科", "國際交流合作案件登錄表", "12", "12",
                  "0 2 3 4", "2 3 4", baseline="15", notes={"110Q1": "疫情期間國際交流活動暫停，本季無案件"}),
    "AP2.1": pct("商業處", "八大行業聯合稽查紀錄", "85", "86", "84.0 87.5 88.2 86.9", "87.0 86.1 88.4",
                 formula="聯合檢查合格家次÷受檢家次×100%"),
    "AL1.1": training("half-yearly", "48.0 96.5", "51.2"),
    "AF1.1": budget("35.2 22.4 14.8 8.7", "30.1 19.5 12.2"),
    # B 打造創業搖籃
    "BC1.1": pct("產業發展科", f"創業服務辦公室{SURVEY}", "90", "91", "92.0 91.5 93.0 92.4", "92.8 93.1 92.0", 3),
    "BC2.1": pct("產業發展科", f"創新創業計畫{SURVEY}", "88", "88", "85.2 84.0 86.1 85.5", "86.0 87.4 88.5", 3),
    "BC3.1": Spec("家", "higher", "quarterly", "sum", 3, "產業發展科", "產業發展獎勵補助核定名冊", "400", "420",
                  "80 95 120 140", "98 110 125", baseline="380", ahead="420"),
    "BP1.1": Spec("家", "higher", "quarterly", "sum", 3, "產業發展科", "新創團隊海外參與計畫成果報告", "60", "60",
                  "8 10 12 15", "14 16 17", notes={"110Q2": "國際展會改為線上舉辦，參與家數減少"}),
    "BP2.1": Spec("家", "higher", "quarterly", "sum", 3, "商業處", "經濟部商工登記公示資料", "9000", "9200",
                  "2100 2350 2400 2600", "2300 2450 2500", baseline="8800", ahead="9200",
                  formula="本市當年度新設立之公司及商業登記家數"),
    "BP3.1": Spec("家", "higher", "quarterly", "last", 2, "產業發展科", "BOT案履約管理進駐廠商名冊", "150", "155",
                  "138 141 146 149", "150 152 156"),
    "BL1.1": training("half-yearly", "50.5 93.0", "55.0"),
    "BF1.1": budget("30.5 21.2 15.3 11.0", "28.0 18.4 11.9"),
    # C 發展重點產業
    "CC1.1": pct("產業發展科", f"商機媒合活動{SURVEY}", "88", "88", "- - - -", "89.0 90.2 91.0"),
    "CC2.1": pct("商業處", f"商圈輔導計畫{SURVEY}", "90", "90", "91.0 90.5 92.0 91.2", "91.0 92.2 91.5", 3),
    "CC3.1": pct("農業發展科", f"農民市集消費者{SURVEY}", "85", "86", "88.6", frequency="yearly", aggregation=None),
    "CP1.2": pct("產業發展科", "科技園區廠商登記統計", "3", "3", "0.8 1.5 2.1 2.6", "0.9 1.8 2.5", 3,
                 aggregation="last", formula="（本年度登記家數－上年度登記家數）÷上年度登記家數×100%"),
    "CP2.1": pct("商業處", f"美食及特色產業輔導{SURVEY}", "88", "88", "89.0 90.0 88.5 90.5", "89.4 90.1 90.0"),
    "CP2.2": pct("公用事業科", "溫泉取用費徵收系統", "98", "98.5", "92.0 95.5 97.2 98.6", "93.0 96.1 97.8", 3,
                 aggregation="last", formula="實收溫泉取用費÷應收溫泉取用費×100%"),
    "CP2.3": Spec("場次", "higher", "quarterly", "sum", 3, "綜合企劃科", "府級大型活動合作紀錄", "20", "20",
                  "3 1 4 8", "5 6 6", notes={"110Q2": "三級警戒期間大型活動停辦"}),
    "CP3.1": pct("商業處", "商圈店家營業額抽樣調查", "2", "1", "1.2 -8.5 -4.1 -1.3", "0.5 1.1 1.4", 3,
                 aggregation="last", formula="（本年度累計營業額－上年度同期營業額）÷上年度同期營業額×100%",
                 notes={"110Q2": "110年5月起三級警戒，店家營業額大幅下滑"},
                 note_111="下修目標值原因：110年受疫情三級警戒影響，商圈店家營業額負成長（-1.3%），"
                 "111年以恢復正成長為目標，目標值由2%下修為1%"),
    "CP4.1": pct("農業發展科", "農產品推廣活動營收統計", "100", "100", "20 45 70 102", "25 48 73", 3,
                 aggregation="last", formula="年度累計營收金額÷年度目標營收金額×100%"),
    "CL1.1": training("yearly", "96.2"),
    "CF1.1": budget("28.0 16.5 9.1 0", "26.5 17.0 10.4", notes={"110Q4": "年度預算全數執行完畢"}),
    # D 營造友善生態
    "DC1.1": pct("動物保護處", f"犬貓認養{SURVEY}", "90", "92", "93.0 94.2 92.8 93.5", "93.4 92.9 94.0"),
    "DC2.1": pct("公用事業科", "節能輔導檢測紀錄", "90", "90", "85.0 86.2 87.5 88.1", "88.0 89.2 90.5",
                 formula="落實節能減碳措施合格店家數÷受檢店家數×100%"),
    "DC3.1": pct("農業發展科", f"都市社區園圃{SURVEY}", "88", "88", "90.0 89.1 91.3 90.6", "- - -"),
    "DP1.1": pct("動物保護處", "動物之家收容管理系統", "80", "80", "76.5", weight=2, frequency="yearly",
                 aggregation=None, baseline="78", formula="年度認領養隻數÷年度收容隻數×100%"),
    "DP2.1": pct("動物保護處", "保育場域參訪人次統計", "100", "100", "22 30 55 78", "26 50 72",
                 aggregation="last", formula="年度累計參訪推廣人次÷年度目標人次×100%"),
    "DP3.1": Spec("萬度", "higher", "monthly", "sum", 3, "公用事業科", "台電公司用電資料及節能輔導紀錄", "1200",
                  "1250", "95 88 102 104 90 85 110 112 108 106 101 99", "98 92 105 108 96 90 112 115 110",
                  baseline="1100", ahead="1250"),
    "DP4.1": Spec("瓩", "higher", "quarterly", "last", 3, "公用事業科", "經濟部能源局再生能源設置資料", "58000",
                  "65000", "52100 54300 56900 59200", "60500 62100 63800", baseline="50000", ahead="65000",
                  ahead_111="72000"),
    "DP5.1": Spec("處", "higher", "quarterly", "sum", 2, "農業發展科", "都市園圃設置登錄資料", "40", "40",
                  "6 4 9 12", "10 11 9"),
    "DL1.1": training("yearly", "94.0"),
    "DF1.1": budget("33.0 25.8 19.0 14.5", "30.2 20.1 12.8"),
    # E 優化民生服務
    "EC1.1": pct("市場處", f"傳統市場使用者{SURVEY}", "80", "81", "81.3", "", 3, "yearly", None, baseline="78.5"),
    "EC2.1": pct("公用事業科", "天然氣事業用戶統計", "35", "40", "31.2 32.5 33.6 34.1", "35.5 36.8 38.0",
                 aggregation="last", baseline="30", ahead="40",
                 formula="已裝設微電腦瓦斯表戶數÷天然氣用戶總數×100%"),
    "EP1.1": Spec(None, "higher", "quarterly", None, 3, "市場處", "市場改建工程進度報告", "完成招標", "完工啟用",
                  "完成規劃 完成規劃 完成招標 完成招標", "完成招標 完成招標 完成招標", ahead="完工啟用",
                  milestones=PLANNING),
    "EP2.1": pct("農業發展科", "田間蔬果農藥殘留檢驗報告", "95", "95",
                 "96.0 97.2 95.1 94.0 96.5 98.0 97.0 95.5 96.2 97.8 96.9 95.4",
                 "95.8 96.4 97.1 95.0 94.6 96.8 97.5 96.0 95.9", frequency="monthly",
                 formula="檢驗合格件數÷檢驗件數×100%"),
    "EP3.1": pct("公用事業科", "天然氣用戶定期檢查統計", "96", "97", "30 55 80 97", "32 58 83", 3,
                 aggregation="last", formula="年度累計完成定期安全檢查用戶數÷應檢查用戶數×100%"),
    "EP3.2": Spec(None, "higher", "quarterly", None, 2, "公用事業科", "輸氣管線汰換工程進度報告", "完成汰換施工",
                  "完成汰換施工", "完成檢測評估 完成檢測評估 完成汰換發包 完成汰換發包",
                  "完成汰換發包 完成汰換發包 完成汰換施工", milestones=PIPES,
                  notes={"110Q4": "管線遷移協調延宕，施工延至111年"}),
    "EL1.1": training("half-yearly", "49.0 95.8", "52.0"),
    "EF1.1": budget("31.0 20.5 13.2 9.6", "29.4 18.8 11.5"),
}  # fmt: skip


def periods(spec: Spec, year: int) -> list[str]:
    """The periods of ``year`` for which the demo has values of a KPI."""
    names = [f"{year}{suffix}" for suffix in SUB_PERIODS[spec.frequency]]
    return names if year == YEARS[0] else names[: REPORTED_111[spec.frequency]]


def values(spec: Spec, year: int) -> dict[str, str]:
    """The values of a KPI in ``year``, by period; periods without a value are left out."""
    written = (spec.actual_110 if year == YEARS[0] else spec.actual_111).split()
    chosen = periods(spec, year)
    if len(written) != len(chosen):
        raise SystemExit(f"{year}: {len(written)} values for {len(chosen)} periods {chosen}")
    return {period: value for period, value in zip(chosen, written, strict=True) if value != "-"}


def year_value(spec: Spec) -> str:
    """110's value for the year, as stratmap computes it (sum, last, or the yearly value): 111's baseline."""
    numbers = [Decimal(v) for v in values(spec, YEARS[0]).values()]
    if spec.aggregation == "sum":
        return str(sum(numbers, Decimal(0)))
    if spec.aggregation in ("last", None):
        return str(numbers[-1])
    raise SystemExit(f"a baseline from a mean is not exact; give {spec} no baseline")


def text(value: str) -> str:
    """A text value as a YAML scalar: plain where YAML allows it, else double-quoted (``"%"``)."""
    if value[0] in "%@`!&*|>'\"#{}[],?:-" or ": " in value or " #" in value:
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return value


def kpi_lines(spec: Spec, year: int, indent: str) -> list[str]:
    """The fields inserted after a KPI's ``name:`` line."""
    fields: list[tuple[str, str]] = []
    if spec.unit:
        fields.append(("unit", text(spec.unit)))
    if spec.milestones:  # the stage reached is scored against the target stage: no direction
        fields.append(("basis", "milestones"))
        stages = ", ".join(f"{{stage: {stage}, percent: {percent}}}" for stage, percent in spec.milestones)
        fields.append(("milestones", f"[{stages}]"))
    else:
        fields.append(("direction", spec.direction))
    if spec.baseline is not None:
        fields.append(("baseline", spec.baseline if year == YEARS[0] else year_value(spec)))
    fields.append(("target", spec.target if year == YEARS[0] else spec.target_111))
    ahead = spec.ahead if year == YEARS[0] else spec.ahead_111
    if ahead is not None:
        fields.append(("targets", f"{{{year + 1}: {ahead}}}"))
    if spec.formula:
        fields.append(("formula", text(spec.formula)))
    fields.append(("frequency", spec.frequency))
    if spec.aggregation:
        fields.append(("aggregation", spec.aggregation))
    fields += [("weight", str(spec.weight)), ("owner", text(spec.owner)), ("data_source", text(spec.data_source))]
    if year != YEARS[0] and spec.note_111:
        fields.append(("note", text(spec.note_111)))
    return [f"{indent}{key}: {value}" for key, value in fields]


def objective_weights() -> dict[str, int]:
    """Each objective's weight: the sum of its KPIs' weights (KPI codes are objective code + .n)."""
    weights: dict[str, int] = {}
    for code, spec in SPECS.items():
        objective = code.rsplit(".", 1)[0]
        weights[objective] = weights.get(objective, 0) + spec.weight
    return weights


def convert(text: str, name: str, year: int, seen: set[str]) -> str:
    """One data/110 file as the demo's file of ``year``."""
    lines = text.splitlines()
    match = MODELINE.match(lines[0])
    if match is None:
        raise SystemExit(f"{name}: the first line is not a schema modeline")
    out = [f"{match.group(1)}../../{match.group(2)}", HEADER]
    objective_weight = objective_weights()
    code = ""
    for line in lines[1:]:
        if year != YEARS[0]:
            line = line.replace("110年", f"{year}年").replace("as printed on page 2 of the seed", "copied from 110")
            if name.endswith(("plan.yaml", "department.yaml")):
                line = re.sub(r"^( *year: )110\b", rf"\g<1>{year}", line).replace("2021", str(year + ROC_OFFSET))
        out.append(line)
        if name == "plan.yaml" and line.startswith("kind:"):
            out.append(TITLE.format(year=year))
        if found := CODE.match(line):
            code = found.group(2)
            continue
        found = NAME.match(line)
        if not found or not code or "theme-" not in name:
            continue
        indent = found.group(1)
        if code in SPECS and len(indent) == 8:
            out += kpi_lines(SPECS[code], year, indent)
            seen.add(code)
        elif code in objective_weight and len(indent) == 4:
            out.append(f"{indent}weight: {objective_weight[code]}")
        code = ""
    return "\n".join(out) + "\n"


def measures(year: int) -> str:
    """departments/doed/measures.yaml of ``year``."""
    modeline = "# yaml-language-server: $schema=../../../../../../schemas/measures.schema.json"
    out = [modeline, HEADER, f"# 產業局 {year}年 各KPI實際值 (管考)；"
           + ("110年各期皆已填報。" if year == YEARS[0] else "填報至111年第3季，年度指標尚未填報。")]  # fmt: skip
    if year == YEARS[0]:
        out.append("# CC1.1 無實際值：110年商機媒合活動因疫情停辦，未辦理滿意度調查。")
    else:
        out.append("# DC3.1 無實際值：111年都市社區園圃滿意度調查尚未完成。")
    out += ["kind: measures", "measures:"]
    for code, spec in SPECS.items():
        found = values(spec, year)
        if not found:
            continue
        out.append(f"  {code}:")
        for period, value in found.items():
            note = spec.notes.get(period)
            out.append(f"    {period}: " + (f"{{value: {value}, note: {note}}}" if note else value))
    return "\n".join(out) + "\n"


def main() -> None:
    """Write both years of the demo; fail if SPECS and data/110 disagree or the weights do not sum to 100."""
    total = sum(spec.weight for spec in SPECS.values())
    if total != 100:
        raise SystemExit(f"the KPI weights sum to {total}, not 100")
    for code, spec in SPECS.items():
        if spec.ahead is not None and spec.ahead != spec.target_111:
            raise SystemExit(f"{code}: 110 says its 111 target is {spec.ahead}, 111 says {spec.target_111}")
    for year in YEARS:
        seen: set[str] = set()
        root = OUT / str(year)
        for name in FILES:
            text = convert((SOURCE / name).read_text(encoding="utf-8"), name, year, seen)
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="\n")
        if seen != set(SPECS):
            raise SystemExit(f"KPIs of data/110 and SPECS differ: {sorted(seen ^ set(SPECS))}")
        (root / "departments" / "doed" / "measures.yaml").write_text(measures(year), encoding="utf-8", newline="\n")
    subprocess.run([sys.executable, "-m", "stratmap", "fmt", "--quiet", str(OUT)], check=True)
    print(f"wrote {OUT.relative_to(REPO)}/{{{','.join(map(str, YEARS))}}}", file=sys.stderr)


if __name__ == "__main__":
    main()
