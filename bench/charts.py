"""PNG bar charts (matplotlib, Agg) of medians with min–max whiskers."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from bench.stats import Summary, format_number

OURS_COLOUR = "#2b6cb0"
ANCHOR_COLOUR = "#a0aec0"


def bar_chart(
    path: Path,
    title: str,
    unit: str,
    bars: list[tuple[str, Summary, bool]],
    *,
    log_scale: bool = False,
) -> Path:
    """Horizontal bars (label, summary, is_ours): the median as the bar, min–max as the whisker."""
    labels = [label for label, _, _ in bars]
    medians = [s.median for _, s, _ in bars]  # the bars; the whiskers run from min to max
    lower = [s.median - s.minimum for _, s, _ in bars]
    upper = [s.maximum - s.median for _, s, _ in bars]
    colours = [OURS_COLOUR if ours else ANCHOR_COLOUR for _, _, ours in bars]
    figure, axes = plt.subplots(figsize=(9, 0.55 * len(bars) + 1.4), dpi=100)
    positions = list(range(len(bars)))
    axes.barh(positions, medians, xerr=[lower, upper], color=colours, capsize=3)
    axes.set_yticks(positions, labels)
    axes.invert_yaxis()
    axes.set_xlabel(unit)
    axes.set_title(title)
    if log_scale:
        axes.set_xscale("log")
    for position, (_, summary, _) in zip(positions, bars, strict=True):
        # The label sits right of the whisker, so it never collides with it.
        axes.annotate(
            format_number(summary.median), (summary.maximum, position), va="center", fontsize=8, xytext=(5, 0),
            textcoords="offset points",
        )  # fmt: skip
    axes.margins(x=0.25)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
    plt.close(figure)
    return path
