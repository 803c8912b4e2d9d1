"""Health rules on synthetic inputs: each simulated fault yields its named finding on the
right outlet and field, a healthy corpus yields none, and manifests are read defensively."""

from __future__ import annotations

import copy
from datetime import date, timedelta

import numpy as np
import pyarrow as pa
import pytest

from devkit.synthetic import SynthOutlet, synthesize
from processing.report import ReportInputs, check_inputs
from processing.report.aggregate import aggregate, crawl_run
from processing.report.health import Finding, Thresholds
from processing.report.hooks import HookError, load_hook, notify

LAST = date(2026, 11, 20)
FIRST = LAST - timedelta(days=59)
OUTLETS = [
    SynthOutlet("sohr_ar", "ar", per_day=15),
    SynthOutlet("sohr_en", "en", per_day=12),
    SynthOutlet("politico", "en", per_day=25, authors_rate=0.0),
]


def _findings(faults=None, outlets=OUTLETS, first=FIRST, last=LAST, **kw):
    inputs = synthesize(first, last, outlets, faults=faults, **kw)
    _, findings = check_inputs(inputs, last - timedelta(days=29), last)
    return findings


def _named(findings: list[Finding]) -> set[tuple[str, str, str | None]]:
    return {(f.name, f.outlet, f.field) for f in findings}


def test_healthy_corpus_has_no_findings():
    assert _findings() == []


def test_outlet_that_never_has_authors_is_not_flagged():
    # politico has no bylines at all (authors_rate 0): a constant, not a drop
    assert not [f for f in _findings() if f.field == "authors"]


@pytest.mark.parametrize("days", [1, 3])
def test_layout_change_that_drops_dates_names_outlet_and_field(days):
    findings = _findings({"sohr_en": ("no_dates", days)})
    assert _named(findings) == {("field_fill_drop", "sohr_en", "published_at")}
    (f,) = findings
    assert f.severity == "warning"
    assert "layout changed?" in f.message
    assert f.figures["recent_fill"] == 0.0
    assert f.figures["baseline_fill"] > 0.9 - (days - 1) / 14


def test_misdated_pages_after_a_redesign():
    """Undated pages that a heuristic dates weeks back: filed under the wrong days, so the
    recent days miss what the listings announced, and their dates do not count as found."""
    findings = _findings({"sohr_en": ("misdated", 2)})
    assert _named(findings) == {
        ("field_fill_drop", "sohr_en", "published_at"),
        ("stored_below_expected", "sohr_en", None),
    }
    f = next(f for f in findings if f.name == "stored_below_expected")
    assert f.figures["stored"] == 0 and f.figures["expected"] > 0


def test_volume_collapse():
    findings = _findings({"politico": ("volume", 1)})
    assert ("volume_drop", "politico", None) in _named(findings)
    f = next(f for f in findings if f.name == "volume_drop")
    assert f.figures["articles"] < 0.5 * f.figures["trailing_median"]


def test_body_length_collapse():
    findings = _findings({"sohr_ar": ("short_body", 2)})
    assert ("body_length_collapse", "sohr_ar", "text") in _named(findings)
    assert ("field_fill_drop", "sohr_ar", "body") in _named(findings)


def test_bot_challenge_share_rising():
    findings = _findings({"sohr_en": ("blocked", 1)})
    assert ("requests_refused", "sohr_en", "access") in _named(findings)
    f = next(f for f in findings if f.name == "requests_refused")
    assert f.figures["share"] >= 0.5 and f.figures["baseline_share"] < 0.1


def test_translation_backlog_growing():
    findings = _findings({"sohr_ar": ("no_translation", 5)})
    assert _named(findings) == {("translation_backlog", "sohr_ar", "translation_status")}
    f = findings[0]
    assert f.figures["backlog"] > f.figures["backlog_before"]


def test_outlet_stale_when_its_runs_stop():
    inputs = synthesize(FIRST, LAST, OUTLETS)
    cut = LAST - timedelta(days=4)
    manifests = [
        m for m in inputs.manifests if m["outlet"] != "politico" or m["last"] <= cut.isoformat()
    ]
    keep = [
        o != "politico" or (d is not None and d.as_py().date() <= cut)
        for o, d in zip(
            inputs.articles.column("outlet").to_pylist(),
            inputs.articles.column("published_at"),
            strict=True,
        )
    ]
    articles = inputs.articles.filter(pa.array(keep))
    _, findings = check_inputs(ReportInputs(articles, manifests), LAST - timedelta(days=29), LAST)
    assert _named(findings) == {("outlet_stale", "politico", None)}
    assert findings[0].severity == "critical"


def test_a_run_not_yet_done_is_not_a_volume_drop():
    """The day after the last covered day has no run yet: not judged on a half day."""
    findings = _findings(last=LAST, first=FIRST)
    inputs = synthesize(FIRST, LAST, OUTLETS)
    _, later = check_inputs(inputs, LAST - timedelta(days=28), LAST + timedelta(days=1))
    assert findings == later == []


def test_rerun_manifests_of_one_day_are_not_double_counted():
    inputs = synthesize(FIRST, LAST, OUTLETS)
    again = []
    for m in inputs.manifests:
        if m["last"] == LAST.isoformat():
            dup = copy.deepcopy(m)
            dup["run_id"] = dup["run_id"][:-4] + "beef"  # run ids are unique per execution
            dup["committed_at"] = dup["committed_at"].replace("04:10", "05:10")
            again.append(dup)
    agg = aggregate(ReportInputs(inputs.articles, inputs.manifests + again), FIRST, LAST)
    base = aggregate(inputs, FIRST, LAST)
    i = agg.index(LAST)
    for reason in base.rejected:
        assert (agg.rejected[reason][:, i] == base.rejected[reason][:, i]).all()
    assert np.array_equal(agg.expected, base.expected, equal_nan=True)
    assert {r.run_id for r in agg.last_runs.values()} == {m["run_id"] for m in again}


def test_manifests_are_read_defensively():
    inputs = synthesize(FIRST, LAST, OUTLETS)
    odd = [
        {
            "run_id": "retranslate.all.20261120T000000Z",
            "kind": "retranslate",
            "status": "committed",
        },
        {"run_id": "reprocess.sohr_ar.x", "kind": "reprocess", "outlet": "sohr_ar", "day": "x"},
        {"run_id": "half", "kind": "daily", "outlet": "sohr_ar", "status": "publishing"},
        {"kind": "daily", "outlet": "sohr_ar", "day": LAST.isoformat(), "counts": None},
        {"kind": "daily", "outlet": "sohr_ar", "day": "2026-11-19", "future_key": {"a": 1}},
        {  # manifest v2 of a maintenance run: outlet, no window, no days
            "manifest_version": 2,
            "run_id": "retranslate.sohr_ar.20261120T050000Z-1a2b",
            "kind": "retranslate",
            "outlet": "sohr_ar",
            "first": None,
            "last": None,
            "window": None,
            "status": "committed",
            "counts": {"translated": 40, "rejected": {}},
        },
        "not a dict",
    ]
    assert crawl_run(odd[0]) is None and crawl_run(odd[2]) is None
    run = crawl_run(odd[3])
    assert run is not None and run.requests == 0 and run.rejected == {}
    agg, findings = check_inputs(
        ReportInputs(inputs.articles, [*inputs.manifests, *odd]),  # type: ignore[list-item]
        LAST - timedelta(days=29),
        LAST,
    )
    assert agg.outlets == ["politico", "sohr_ar", "sohr_en"]
    assert findings == []


def test_articles_without_a_date_count_on_their_run_day():
    inputs = synthesize(FIRST, LAST, OUTLETS)
    t = inputs.articles
    undated = pa.array([None] * t.num_rows, pa.timestamp("us", tz="UTC"))
    t = t.set_column(t.column_names.index("published_at"), "published_at", undated)
    t = t.set_column(
        t.column_names.index("published_at_source"),
        "published_at_source",
        pa.array(["missing"] * t.num_rows),
    )
    agg = aggregate(ReportInputs(t, inputs.manifests), FIRST, LAST)
    base = aggregate(inputs, FIRST, LAST)
    assert np.array_equal(agg.articles, base.articles)
    assert agg.field_hits["published_at"].sum() == 0


def test_backlog_is_reconstructed_from_translation_times():
    inputs = synthesize(FIRST, LAST, OUTLETS, faults={"sohr_ar": ("no_translation", 5)})
    agg = aggregate(inputs, FIRST, LAST)
    o = agg.outlets.index("sohr_ar")
    # translated a few minutes after arrival until the fault: no backlog; then it piles up
    assert agg.backlog[o, : agg.index(LAST - timedelta(days=5))].sum() == 0
    ar = inputs.articles.filter(pa.compute.equal(inputs.articles.column("outlet"), "sohr_ar"))
    pending = pa.compute.sum(pa.compute.equal(ar.column("translation_status"), "pending"))
    fetched_today = (
        pa.compute.sum(
            pa.compute.and_(
                pa.compute.equal(ar.column("translation_status"), "pending"),
                pa.compute.greater_equal(
                    ar.column("fetched_at"), pa.scalar(LAST + timedelta(days=1), pa.date32())
                ),
            )
        ).as_py()
        or 0
    )
    # the last day's articles are fetched the morning after: not yet in by the end of LAST
    assert agg.backlog[o, -1] == pending.as_py() - fetched_today
    assert agg.backlog[agg.outlets.index("sohr_en")].sum() == 0  # English: never backlog


@pytest.mark.parametrize("seed", range(12))
def test_small_noisy_outlets_raise_no_false_alarm(seed):
    """A few articles a day, fields filled at 60-90%: chance alone must not raise findings."""
    small = [
        SynthOutlet("tiny_ar", "ar", per_day=3, authors_rate=0.6, tags_rate=0.7),
        SynthOutlet("tiny_en", "en", per_day=4, authors_rate=0.85, tags_rate=0.6),
        SynthOutlet("mid_en", "en", per_day=9, authors_rate=0.9, tags_rate=0.75),
    ]
    assert _findings(outlets=small, seed=seed) == []


def test_binomial_tail():
    from processing.report.health import binom_cdf, surprising_drop

    assert binom_cdf(0, 3, 0.5) == pytest.approx(0.125)
    assert binom_cdf(1, 3, 0.5) == pytest.approx(0.5)
    assert binom_cdf(3, 3, 0.5) == 1.0
    assert binom_cdf(10, 5000, 0.5) < 1e-300 or binom_cdf(10, 5000, 0.5) == 0.0
    th = Thresholds()
    assert not surprising_drop(1, 3, 15, 15, th)  # one brief among three: noise
    assert surprising_drop(0, 19, 88, 88, th)  # a redesign
    assert surprising_drop(0, 3, 12, 12, th)


def test_thresholds_are_tunable():
    inputs = synthesize(FIRST, LAST, OUTLETS, faults={"politico": ("volume", 1)})
    _, strict = check_inputs(inputs, LAST - timedelta(days=29), LAST)
    _, lax = check_inputs(inputs, LAST - timedelta(days=29), LAST, Thresholds(volume_fraction=0.01))
    assert any(f.name == "volume_drop" for f in strict)
    assert not any(f.name == "volume_drop" for f in lax)


def test_finding_round_trips_through_json():
    f = Finding("field_fill_drop", "sohr_en", "published_at", "warning", "m", {"a": 1.0})
    assert Finding.from_dict(f.to_dict()) == f
    assert "sohr_en published_at" in f.line()


# ---- the hook ----------------------------------------------------------------------------
received: list[list[Finding]] = []


def record(findings: list[Finding]) -> None:
    received.append(findings)


def test_hook_is_resolved_and_called_only_with_findings():
    received.clear()
    f = Finding("volume_drop", "politico", None, "warning", "m")
    target = f"{__name__}:record"
    assert load_hook(target) is record
    assert notify([], target) is False
    assert notify([f], None) is False
    assert notify([f], target) is True
    assert received == [[f]]


@pytest.mark.parametrize(
    "target", ["nomodule_xyz:run", "tests.report.test_report_health:nothing", "justaname"]
)
def test_bad_hook_is_a_named_error(target):
    with pytest.raises(HookError):
        load_hook(target)
