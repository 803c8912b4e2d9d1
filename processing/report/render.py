"""The report as one static HTML page: matplotlib figures embedded as PNG data URIs, tables
as HTML, no external resources (it opens offline, from a file, e-mail or an S3 link).

Matplotlib is driven through its object API (``Figure`` + the Agg canvas), never ``pyplot``,
so rendering touches no global state and needs no display.
"""

from __future__ import annotations

import base64
import html
import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from processing.report.aggregate import FIELDS, REFUSED_RUN, Aggregates
from processing.report.health import Finding

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.colors import Colormap
    from matplotlib.image import AxesImage

logger = logging.getLogger(__name__)

DPI = 100
WIDTH_IN = 13.0
STORED_COLOR = "#2e7d32"
EXPECTED_COLOR = "#111111"
REASON_COLORS = (
    "#e53935",
    "#fb8c00",
    "#fdd835",
    "#8e24aa",
    "#1e88e5",
    "#6d4c41",
    "#00acc1",
    "#d81b60",
    "#757575",
)
STATUS_COLORS = {
    "source_english": "#90caf9",
    "translated": "#2e7d32",
    "pending": "#fb8c00",
    "failed": "#e53935",
}
MAX_LANGUAGES = 8
MAX_BACKLOG_LINES = 8


@dataclass(frozen=True)
class Plot:
    id: str
    title: str
    caption: str
    png: bytes


def _png(fig: Figure) -> bytes:
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()


def _no_data(fig: Figure, text: str = "no data in this range") -> None:
    ax = fig.add_subplot()
    ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=14, color="#777777")
    ax.set_axis_off()


def _date_axis(ax: Axes) -> None:
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(minticks=4, maxticks=12)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def _x_days(agg: Aggregates) -> np.ndarray:
    import matplotlib.dates as mdates

    return np.asarray(mdates.date2num(agg.shown_days), dtype=float)


# ---- figures ------------------------------------------------------------------------------
def volume_figure(agg: Aggregates) -> Figure:
    """Per outlet and day: stored articles, rejections by reason stacked on top, expected."""
    n = len(agg.outlets)
    fig = Figure(figsize=(WIDTH_IN, max(2.5, 0.6 + 1.45 * n)), layout="constrained")
    if not n:
        _no_data(fig)
        return fig
    s = agg.shown
    x = _x_days(agg)
    totals = {r: int(a[:, s].sum()) for r, a in agg.rejected.items()}
    reasons = [r for r, t in sorted(totals.items(), key=lambda kv: -kv[1]) if t > 0]
    top, rest = reasons[: len(REASON_COLORS) - 1], reasons[len(REASON_COLORS) - 1 :]
    axes = fig.subplots(n, 1, sharex=True, squeeze=False)[:, 0]
    edges = np.append(x - 0.5, x[-1] + 0.5) if len(x) else np.zeros(1)
    handles: dict[str, Artist] = {}
    for o, (ax, outlet) in enumerate(zip(axes, agg.outlets, strict=True)):
        bottom = np.zeros(len(x))
        layers: list[tuple[str, np.ndarray, str]] = [
            ("stored", agg.articles[o, s].astype(float), STORED_COLOR)
        ]
        layers += [
            (f"rejected: {r}", agg.rejected[r][o, s].astype(float), REASON_COLORS[i])
            for i, r in enumerate(top)
        ]
        if rest:
            other = sum((agg.rejected[r][o, s] for r in rest), np.zeros(len(x))).astype(float)
            layers.append(("rejected: other", other, REASON_COLORS[-1]))
        for label, values, color in layers:
            if not values.any():
                continue
            # one stepped polygon per layer, not a bar per day: a year draws in milliseconds
            lower, upper = np.append(bottom, bottom[-1]), np.append(bottom, bottom[-1])
            upper = upper + np.append(values, values[-1])
            handles[label] = ax.fill_between(
                edges, lower, upper, step="post", color=color, linewidth=0, label=label
            )
            bottom += values
        expected = agg.expected[o, s]
        if not np.isnan(expected).all():
            line = 1.2 if len(x) <= 92 else 0.6
            (handles["expected (feeds, sitemaps)"],) = ax.step(
                x, expected, where="mid", color=EXPECTED_COLOR, linewidth=line,
                label="expected (feeds, sitemaps)",
            )  # fmt: skip
        uncovered = ~agg.covered[o, s]
        if uncovered.any() and not uncovered.all():
            ax.scatter(x[uncovered], np.zeros(uncovered.sum()), marker="x", s=14, color="#9e9e9e")
        ax.set_ylabel(outlet, rotation=0, ha="right", va="center", fontsize=9)
        ax.grid(axis="y", alpha=0.3)
        ax.margins(x=0.005)
    _date_axis(axes[-1])
    if handles:
        fig.legend(
            list(handles.values()), list(handles), loc="outside upper center",
            ncol=min(5, len(handles)), fontsize=8, frameon=False,
        )  # fmt: skip
    return fig


def _heatmap(ax: Axes, data: np.ndarray, cmap: Colormap, annotate: bool) -> AxesImage:
    masked = np.ma.masked_invalid(data)
    image = ax.imshow(masked, aspect="auto", cmap=cmap, vmin=0.0, vmax=1.0, interpolation="none")
    if annotate:
        for (i, j), v in np.ndenumerate(data):
            text = "—" if np.isnan(v) else f"{100 * v:.0f}%"
            dark = not np.isnan(v) and (v < 0.25 or v > 0.8)
            ax.text(j, i, text, ha="center", va="center", fontsize=8,
                    color="white" if dark else "black")  # fmt: skip
    return image


def _fill_cmap() -> Colormap:
    from matplotlib import colormaps

    return colormaps["RdYlGn"].with_extremes(bad="#eeeeee")


def fill_figure(agg: Aggregates) -> Figure:
    """Outlets x fields: share of articles with the field filled, over the shown range."""
    rates = agg.fill_rates()
    fields = [f for f in FIELDS if f.name in rates]
    n = len(agg.outlets)
    fig = Figure(figsize=(WIDTH_IN, max(2.5, 1.2 + 0.42 * n)), layout="constrained")
    if not n or not fields:
        _no_data(fig)
        return fig
    data = np.column_stack([rates[f.name] for f in fields])
    ax = fig.add_subplot()
    image = _heatmap(ax, data, _fill_cmap(), annotate=True)
    ax.set_xticks(range(len(fields)), [f.label for f in fields], fontsize=9)
    ax.xaxis.tick_top()
    ax.set_yticks(range(n), agg.outlets, fontsize=9)
    fig.colorbar(image, ax=ax, fraction=0.02, pad=0.01, label="fill rate")
    return fig


def page_dates_figure(agg: Aggregates) -> Figure:
    """Outlets x days: share of the day's articles whose page gave a publication date."""
    n = len(agg.outlets)
    fig = Figure(figsize=(WIDTH_IN, max(2.2, 1.0 + 0.36 * n)), layout="constrained")
    hits = agg.field_hits.get("published_at")
    if not n or hits is None:
        _no_data(fig)
        return fig
    s = agg.shown
    total = agg.articles[:, s].astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        data = np.where(total > 0, hits[:, s] / total, np.nan)
    ax = fig.add_subplot()
    x = _x_days(agg)
    masked = np.ma.masked_invalid(data)
    half = 0.5 if len(x) else 0.0
    image = ax.imshow(
        masked, aspect="auto", cmap=_fill_cmap(), vmin=0.0, vmax=1.0, interpolation="none",
        extent=(x[0] - half, x[-1] + half, n - 0.5, -0.5) if len(x) else None,
    )  # fmt: skip
    ax.set_yticks(range(n), agg.outlets, fontsize=9)
    _date_axis(ax)
    fig.colorbar(image, ax=ax, fraction=0.02, pad=0.01, label="dated on the page")
    return fig


def languages_figure(agg: Aggregates) -> Figure:
    """Per outlet: articles by detected language (shares, stacked)."""
    n = len(agg.outlets)
    fig = Figure(figsize=(WIDTH_IN, max(2.2, 1.0 + 0.36 * n)), layout="constrained")
    if not n or not agg.languages:
        _no_data(fig)
        return fig
    langs = list(agg.languages)
    top, rest = langs[:MAX_LANGUAGES], langs[MAX_LANGUAGES:]
    series = [(lang, agg.languages[lang]) for lang in top]
    if rest:
        series.append(("other", sum((agg.languages[r] for r in rest), np.zeros(n))))
    totals = sum((v for _, v in series), np.zeros(n)).astype(float)
    ax = fig.add_subplot()
    left = np.zeros(n)
    from matplotlib import colormaps

    palette = colormaps["tab10"]
    y = np.arange(n)
    for i, (lang, counts) in enumerate(series):
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(totals > 0, counts / totals, 0.0)
        ax.barh(y, share, left=left, color=palette(i % 10), label=lang, height=0.7)
        left += share
    for i, t in enumerate(totals):
        ax.text(1.005, i, f"{int(t)}", va="center", fontsize=8)
    ax.set_yticks(y, agg.outlets, fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.06)
    ax.set_xlabel("share of articles (count at the right)")
    fig.legend(loc="outside right upper", fontsize=8, frameon=False, title="language")
    return fig


def translation_figure(agg: Aggregates) -> Figure:
    """Left: translation status per outlet. Right: the backlog (waiting articles) per day."""
    n = len(agg.outlets)
    fig = Figure(figsize=(WIDTH_IN, max(3.2, 1.2 + 0.36 * n)), layout="constrained")
    if not n:
        _no_data(fig)
        return fig
    left_ax, right_ax = fig.subplots(1, 2, width_ratios=(1, 1.4))
    y = np.arange(n)
    left = np.zeros(n)
    for status, color in STATUS_COLORS.items():
        counts = agg.statuses.get(status)
        if counts is None or not counts.any():
            continue
        left_ax.barh(y, counts, left=left, color=color, label=status, height=0.7)
        left += counts
    left_ax.set_yticks(y, agg.outlets, fontsize=9)
    left_ax.invert_yaxis()
    left_ax.set_xlabel("articles")
    left_ax.legend(fontsize=8, frameon=False, loc="lower left", bbox_to_anchor=(0, 1.04), ncol=4)
    s = agg.shown
    x = _x_days(agg)
    backlog = agg.backlog[:, s]
    order = np.argsort(-backlog.max(axis=1))[:MAX_BACKLOG_LINES]
    for o in order:
        if backlog[o].any():
            right_ax.plot(x, backlog[o], linewidth=1.4, label=agg.outlets[o])
    right_ax.plot(x, backlog.sum(axis=0), color="black", linestyle="--", linewidth=1, label="all")
    if not backlog.any():
        right_ax.text(
            0.5, 0.5, "no translation backlog at the end of any day",
            transform=right_ax.transAxes, ha="center", va="center", color="#2e7d32",
        )  # fmt: skip
        right_ax.set_ylim(0, 1)
    right_ax.set_title("translation backlog (waiting at the end of the day)", fontsize=10)
    if backlog.any():
        right_ax.set_ylim(bottom=0)
    right_ax.grid(alpha=0.3)
    right_ax.legend(fontsize=8, frameon=False, loc="upper left")
    _date_axis(right_ax)
    return fig


def body_figure(agg: Aggregates) -> Figure:
    """Per outlet: distribution of body length (characters, log scale)."""
    n = len(agg.outlets)
    fig = Figure(figsize=(WIDTH_IN, 4.2), layout="constrained")
    data = [agg.body_lengths(o) for o in range(n)]
    keep = [i for i, d in enumerate(data) if d.size]
    if not keep:
        _no_data(fig)
        return fig
    ax = fig.add_subplot()
    parts = ax.boxplot(
        [np.maximum(data[i], 1) for i in keep], showfliers=False, patch_artist=True,
        medianprops={"color": "black"}, widths=0.6,
    )  # fmt: skip
    for box in parts["boxes"]:
        box.set_facecolor("#90caf9")
    ax.set_yscale("log")
    from matplotlib.ticker import FuncFormatter, LogLocator

    ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.yaxis.set_minor_formatter(FuncFormatter(lambda v, _: ""))
    ax.set_xticks(
        range(1, len(keep) + 1),
        [f"{agg.outlets[i]}\n(n={data[i].size})" for i in keep],
        fontsize=8,
        rotation=30 if len(keep) > 8 else 0,
    )
    ax.set_ylabel("body length (characters)")
    ax.grid(axis="y", alpha=0.3, which="both")
    return fig


def plots(agg: Aggregates) -> list[Plot]:
    specs = (
        ("volume", "Volume per outlet and day", volume_figure,
         "Stored articles (green) with rejected pages stacked on top by reason, and the "
         "articles the outlet's feeds and sitemaps announced (black line). Rejections are "
         "counted per run, on the run's day. A grey × marks a day no committed run covered."),
        ("fill", "Field fill rates per outlet", fill_figure,
         "Share of the range's articles with each field filled."),
        ("page-dates", "Publication dates found on the page, per day", page_dates_figure,
         "A redesign that loses the date markup shows as a red streak; grey: no articles."),
        ("languages", "Language mix", languages_figure,
         "Detected language of title and text, per outlet."),
        ("translation", "Translation status and backlog", translation_figure,
         "Backlog: non-English articles stored but not yet translated at the end of each day "
         "(reconstructed from ingestion and translation times; failed rows excluded)."),
        ("body", "Body length per outlet", body_figure,
         "Box: quartiles and median; whiskers: 1.5 IQR; outliers not drawn."),
    )  # fmt: skip
    out = []
    for pid, title, make, caption in specs:
        fig = make(agg)
        out.append(Plot(pid, title, caption, _png(fig)))
    return out


# ---- the page -----------------------------------------------------------------------------
_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#222;
     max-width:1320px}
h1{font-size:24px;margin:0 0 4px} h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid
#ddd;padding-bottom:4px} .meta{color:#666;font-size:13px}
table{border-collapse:collapse;font-size:13px;width:100%} th,td{padding:4px 8px;text-align:left;
border-bottom:1px solid #eee;vertical-align:top} th{background:#f5f5f5}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.sev{display:inline-block;padding:1px 6px;border-radius:3px;color:#fff;font-size:11px}
.critical{background:#c62828} .warning{background:#ef6c00} .ok{background:#2e7d32}
.partial{background:#f9a825} .refused{background:#c62828}
figure{margin:0 0 8px} figure img{display:block;max-width:100%;height:auto}
figcaption{color:#555;font-size:13px;margin:4px 0 0} .healthy{color:#2e7d32;font-weight:600}
"""

# Records where each plot landed, for the screenshot test (and any other headless check).
_GEOMETRY_JS = """
window.addEventListener('load', function () {
  var out = Array.prototype.map.call(document.querySelectorAll('img.plot'), function (i) {
    var r = i.getBoundingClientRect();
    return {id: i.id, x: r.left + window.scrollX, y: r.top + window.scrollY, w: r.width,
            h: r.height, natural_w: i.naturalWidth, natural_h: i.naturalHeight};
  });
  document.getElementById('plot-geometry').textContent = JSON.stringify(out);
});
"""


def _e(value: object) -> str:
    return html.escape(str(value))


def _findings_html(findings: Sequence[Finding], agg: Aggregates) -> str:
    if not findings:
        return (
            f'<p class="healthy">No findings: {len(agg.outlets)} outlet(s) look healthy '
            f"as of {agg.last}.</p>"
        )
    rows = "".join(
        f'<tr><td><span class="sev {_e(f.severity)}">{_e(f.severity)}</span></td>'
        f"<td>{_e(f.outlet)}</td><td>{_e(f.name)}</td><td>{_e(f.field or '')}</td>"
        f"<td>{_e(f.message)}</td></tr>"
        for f in findings
    )
    return (
        "<table><tr><th>severity</th><th>outlet</th><th>finding</th><th>field</th>"
        f"<th>what</th></tr>{rows}</table>"
    )


def _runs_html(agg: Aggregates) -> str:
    if not agg.last_runs:
        return "<p>No committed crawl runs in this range.</p>"
    rows = []
    for outlet in agg.outlets:
        r = agg.last_runs.get(outlet)
        if r is None:
            rows.append(f"<tr><td>{_e(outlet)}</td><td colspan=9>no run</td></tr>")
            continue
        css = (
            "ok"
            if r.access_status == "ok"
            else "refused"
            if r.access_status in REFUSED_RUN
            else "partial"
        )
        rejected = ", ".join(f"{k} {v}" for k, v in sorted(r.rejected.items()) if v) or "—"
        committed = r.committed_at.strftime("%Y-%m-%d %H:%M") if r.committed_at else "?"
        rows.append(
            f"<tr><td>{_e(outlet)}</td><td><code>{_e(r.run_id)}</code></td>"
            f"<td>{_e(r.kind)}</td><td>{_e(r.day)}</td><td>{_e(committed)}</td>"
            f'<td><span class="sev {css}">{_e(r.access_status)}</span></td>'
            f'<td class="num">{r.fetched}</td><td class="num">{r.stored_total} '
            f'({r.stored_new} new)</td><td class="num">{r.pending}</td><td>{_e(rejected)}</td></tr>'
        )
    return (
        "<table><tr><th>outlet</th><th>run</th><th>kind</th><th>day</th><th>committed (UTC)"
        "</th><th>access</th><th>fetched</th><th>stored</th><th>pending</th><th>rejected</th>"
        f"</tr>{''.join(rows)}</table>"
    )


def _links_html(agg: Aggregates) -> str:
    """Story links per outlet: the duplicate share (copies of an earlier article, any
    outlet) and the share in a story with another outlet."""
    if not agg.links or not int(agg.links["linked"].sum()):
        return "<p>No linked articles in this range (the link pass has not run).</p>"
    total = agg.articles[:, agg.shown].sum(axis=1)
    rows = []
    for i, outlet in enumerate(agg.outlets):
        n, linked = int(total[i]), int(agg.links["linked"][i])
        dups, shared = int(agg.links["duplicates"][i]), int(agg.links["shared"][i])
        share = f"{dups / linked:.1%}" if linked else "—"
        rows.append(
            f'<tr><td>{_e(outlet)}</td><td class="num">{n}</td><td class="num">{linked}</td>'
            f'<td class="num">{dups}</td><td class="num">{share}</td>'
            f'<td class="num">{shared}</td></tr>'
        )
    return (
        "<table><tr><th>outlet</th><th>articles</th><th>linked</th><th>duplicates</th>"
        "<th>duplicate share</th><th>in a story with another outlet</th></tr>"
        f"{''.join(rows)}</table>"
    )


def render_html(
    agg: Aggregates, findings: Sequence[Finding], title: str = "newsloom health"
) -> str:
    """The whole page as a string."""
    figures = plots(agg)
    total = int(agg.articles[:, agg.shown].sum())
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    sections = "".join(
        f'<section><h2 id="{p.id}-title">{_e(p.title)}</h2><figure>'
        f'<img class="plot" id="plot-{p.id}" alt="{_e(p.title)}" '
        f'src="data:image/png;base64,{base64.b64encode(p.png).decode()}">'
        f"<figcaption>{_e(p.caption)}</figcaption></figure></section>"
        for p in figures
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{_e(title)} {agg.first}..{agg.last}</title><style>{_CSS}</style></head><body>"
        f"<h1>{_e(title)}</h1>"
        f'<p class="meta">{agg.first} .. {agg.last} · {len(agg.outlets)} outlet(s) · '
        f"{total} article(s) · generated {generated}</p>"
        f"<h2>Findings ({len(findings)})</h2>{_findings_html(findings, agg)}"
        f"<h2>Last run of each outlet</h2>{_runs_html(agg)}"
        f"{sections}"
        f'<h2 id="story-links">Story links per outlet</h2>{_links_html(agg)}'
        '<pre id="plot-geometry" hidden></pre>'
        f"<script>{_GEOMETRY_JS}</script></body></html>"
    )
