"""Health rules stay loud until the fault is fixed: each simulated fault, lasting 1, 10, 30 and
60 days, is still a finding on the last day (the rules used to go quiet once the fault filled
their own trailing baseline, after about 10 days); an outlet blocked since its first run is a
finding; a small Arabic outlet whose every article waits for a translation is a finding.
Each case is a row of docs/RELIABILITY.md."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from devkit.synthetic import SynthOutlet, synthesize
from processing.report import check_inputs
from processing.report.aggregate import LOOKBACK_DAYS
from processing.report.health import Finding, Thresholds
from tests import reliability

pytestmark = pytest.mark.reliability

LAST = date(2026, 11, 20)
FIRST = LAST - timedelta(days=179)  # half a year of history before the check
RANGE = LAST - timedelta(days=29)  # `newsloom health`: the 30 days ending on the last one
OUTLETS = [
    SynthOutlet("sohr_ar", "ar", per_day=15),
    SynthOutlet("sohr_en", "en", per_day=12),
    SynthOutlet("politico", "en", per_day=25, authors_rate=0.0),
]
DURATIONS = (1, 10, 30, 60)

# fault -> (outlet, the finding it must raise: name, field)
FAULTS: dict[str, tuple[str, str, str | None]] = {
    "volume": ("politico", "volume_drop", None),
    "blocked": ("sohr_en", "requests_refused", "access"),
    "no_dates": ("sohr_en", "field_fill_drop", "published_at"),
    "misdated": ("sohr_en", "stored_below_expected", None),
    "short_body": ("sohr_ar", "body_length_collapse", "text"),
    "no_translation": ("sohr_ar", "translation_backlog", "translation_status"),
}


def _findings(faults, outlets=OUTLETS, last=LAST, first=FIRST, seed=7) -> list[Finding]:
    inputs = synthesize(first, last, outlets, faults=faults, seed=seed)
    _, findings = check_inputs(inputs, last - timedelta(days=29), last)
    return findings


def _expected(fault: str, days: int) -> bool:
    """Whether the fault must show by then. A translation stop shows once an article has
    waited more than a day: the last day's articles arrive the morning after it, so a stop of
    one day has nothing waiting inside the range yet (docs/health.md, "When a fault shows")."""
    return not (fault == "no_translation" and days < 3)


def test_the_rules_look_back_far_enough():
    assert LOOKBACK_DAYS >= Thresholds().memory_days + Thresholds().trailing_days


@pytest.mark.parametrize("days", DURATIONS)
@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_fault_stays_a_finding_while_it_lasts(fault: str, days: int) -> None:
    outlet, name, field = FAULTS[fault]
    findings = _findings({outlet: (fault, days)})
    mine = [f for f in findings if (f.name, f.outlet, f.field) == (name, outlet, field)]
    must = _expected(fault, days)
    expected = f"{name} on {outlet}" if must else "none yet (nothing waited a day)"
    observed = f"{name} on {outlet}" if mine else "none"
    if mine and not must:
        observed = f"{name} on {outlet} (early)"
    elif not mine and not must:
        observed = expected
    reliability.record("health", f"{fault} fault lasting {days} day(s)", expected, observed)
    assert bool(mine) == must, findings
    # nothing raised on the outlets that have no fault
    assert {f.outlet for f in findings} <= {outlet}, findings
    if mine and "since" in mine[0].figures:
        since = date.fromisoformat(mine[0].figures["since"])
        # the finding dates the fault's start (a day or two of slack: a listing day, a
        # translation that comes the morning after)
        assert LAST - timedelta(days=days + 2) <= since <= LAST, (since, mine[0].message)


def test_an_outlet_blocked_since_its_first_run_is_a_finding():
    """closed_gazette's robots.txt has refused everything since day one: no baseline to
    rise from, still critical."""
    faults = {"sohr_en": ("blocked", (LAST - FIRST).days + 1)}
    blocked = [f for f in _findings(faults) if f.name == "requests_refused"]
    r = reliability.record(
        "health",
        "outlet refusing requests since its first run",
        "requests_refused on sohr_en",
        f"requests_refused on {blocked[0].outlet}" if blocked else "none",
    )
    assert r.observed == r.expected
    assert blocked[0].figures["share"] >= 0.5
    # robots.txt refusing everything is critical
    inputs = synthesize(FIRST, LAST, OUTLETS)
    for m in inputs.manifests:
        if m["outlet"] == "politico":
            m["access"] = {"status": "blocked_by_robots"}
    _, findings = check_inputs(inputs, RANGE, LAST)
    (f,) = [f for f in findings if f.name == "requests_refused"]
    assert f.outlet == "politico" and f.severity == "critical"
    assert f.figures["baseline_share"] is None  # blocked in every run in view


@pytest.mark.parametrize("days", [10, 60])
def test_a_small_arabic_outlet_with_every_article_pending(days: int) -> None:
    """Two articles a day, none translated: a backlog of fewer than 20 articles, growing
    slowly; the old count-and-growth rule never saw it, the share rule does."""
    small = [SynthOutlet("npa_ar", "ar", per_day=2), SynthOutlet("npa_en", "en", per_day=4)]
    findings = _findings({"npa_ar": ("no_translation", days)}, outlets=small)
    named = {(f.name, f.outlet) for f in findings}
    r = reliability.record(
        "health",
        f"small Arabic outlet (2/day), every article pending for {days} days",
        "translation_backlog on npa_ar",
        "translation_backlog on npa_ar" if ("translation_backlog", "npa_ar") in named else "none",
    )
    assert r.observed == r.expected, findings
    (f,) = [f for f in findings if f.name == "translation_backlog"]
    assert f.figures["by"] == "age" and f.figures["aged_waiting"] == f.figures["aged_arrived"]


@pytest.mark.parametrize("seed", range(4))
def test_a_healthy_half_year_raises_nothing(seed: int) -> None:
    assert _findings({}, seed=seed) == []


def test_a_fixed_fault_goes_quiet():
    """A layout change fixed three days ago: dates are back, the finding is gone."""
    inputs = synthesize(FIRST, LAST, OUTLETS, faults={"sohr_en": ("no_dates", 20)})
    _, during = check_inputs(inputs, RANGE, LAST)
    assert any(f.name == "field_fill_drop" for f in during)
    fixed = synthesize(
        FIRST, LAST - timedelta(days=3), OUTLETS, faults={"sohr_en": ("no_dates", 17)}
    )
    healthy_after = synthesize(LAST - timedelta(days=2), LAST, OUTLETS, seed=8)
    import pyarrow as pa

    both = type(fixed)(
        pa.concat_tables([fixed.articles, healthy_after.articles]),
        fixed.manifests + healthy_after.manifests,
    )
    _, after = check_inputs(both, RANGE, LAST)
    assert not any(f.name == "field_fill_drop" for f in after), after


def test_a_broken_registry_file_is_a_finding(tmp_path):
    from crawlers.registry import registry_errors

    (tmp_path / "npa_en.yaml").write_text("id: npa_en\npolitness: {delay: 1}\n")
    broken = registry_errors([tmp_path])
    inputs = synthesize(FIRST, LAST, OUTLETS)
    _, findings = check_inputs(inputs, RANGE, LAST, broken=broken)
    (f,) = findings
    assert (f.name, f.outlet, f.severity) == ("outlet_config_invalid", "npa_en", "critical")
    assert "politness" in f.message and "npa_en.yaml" in f.message
