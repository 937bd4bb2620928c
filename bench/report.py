"""The record of a run: one line per benchmark, bench/results/latest.json and a PNG chart."""

import json
import statistics
from dataclasses import asdict, dataclass, field
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


@dataclass
class Result:
    """One benchmark: its runs and their median, its limit's (when it has one), and its target.

    `ratio` is ours over the limit for times (lower is better) and for throughputs (higher is better);
    `better` says which.
    """

    name: str
    unit: str
    runs: list[float]
    target: str
    passed: bool | None  # None: reported, no target
    limit_runs: list[float] = field(default_factory=list)
    better: str = "lower"
    detail: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def limit_median(self) -> float | None:
        return statistics.median(self.limit_runs) if self.limit_runs else None

    @property
    def ratio(self) -> float | None:
        limit = self.limit_median
        return self.median / limit if limit else None

    def line(self) -> str:
        limit = "—" if self.limit_median is None else f"{_number(self.limit_median)} {self.unit}"
        ratio = "—" if self.ratio is None else f"{self.ratio:.2f}×"
        verdict = {True: "PASS", False: "FAIL", None: "REPORT"}[self.passed]
        line = (f"{self.name:<26} median {_number(self.median):>8} {self.unit:<6} limit {limit:<14} "
                f"ratio {ratio:<7} target {self.target:<24} {verdict}")
        return f"{line}  ({self.detail})" if self.detail else line

    def as_dict(self) -> dict:
        return {**asdict(self), "median": self.median, "limit_median": self.limit_median, "ratio": self.ratio}


def _number(value: float) -> str:
    return f"{value:.3g}" if value < 100 else f"{value:.0f}"


def write(results: list[Result], context: dict) -> tuple[Path, Path]:
    RESULTS.mkdir(exist_ok=True)
    data = {**context, "benchmarks": [result.as_dict() for result in results]}
    json_path = RESULTS / "latest.json"
    json_path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
    return json_path, chart(results)


def chart(results: list[Result]) -> Path:
    """Left: each benchmark against its limit (ratio, with its target); right: latencies under load."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    compared = [r for r in results if r.ratio is not None]
    timed = [r for r in results if "p99_ms" in r.extra]
    figure, (left, right) = plt.subplots(1, 2, figsize=(13, 5.5))
    names = [r.name for r in compared]
    ratios = [r.ratio for r in compared]
    colours = ["#2a9d8f" if r.passed else "#e76f51" for r in compared]
    left.barh(names, ratios, color=colours)
    for index, result in enumerate(compared):
        goal = result.extra.get("target_ratio")
        if goal is not None:
            left.plot([goal, goal], [index - 0.4, index + 0.4], color="black", linewidth=2)
        left.text(result.ratio, index, f" {result.ratio:.2f}×", va="center", fontsize=9)
    left.set_xscale("log")
    left.set_xlabel("ours ÷ limit (times: lower is better; throughput: higher is better); bar = target")
    left.set_title("Against the limit measured in the same run")
    left.invert_yaxis()
    labels = [r.name for r in timed]
    p50 = [r.extra["p50_ms"] for r in timed]
    p99 = [r.extra["p99_ms"] for r in timed]
    positions = range(len(timed))
    right.barh([p - 0.2 for p in positions], p50, height=0.4, label="p50", color="#264653")
    right.barh([p + 0.2 for p in positions], p99, height=0.4, label="p99", color="#e9c46a")
    right.axvline(300, color="#e76f51", linestyle="--", label="p99 target (list APIs)")
    right.set_yticks(list(positions), labels)
    right.set_xlabel("milliseconds at 8 concurrent clients")
    right.set_title("Latency through the API")
    right.invert_yaxis()
    right.legend(loc="lower right")
    figure.tight_layout()
    path = RESULTS / "latest.png"
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
