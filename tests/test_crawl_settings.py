"""NEWSLOOM_SCRAPY_SETTINGS: the crawler's documented way to add Scrapy settings (and
middlewares) from the environment, which the development kit's mirror route uses; the
shipped settings know no mirror."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from crawlers.registry import get_outlet
from crawlers.settings import DOWNLOADER_MIDDLEWARES, build_settings, env_scrapy_settings
from devkit.mirror.route import CHECKOUT, MIRROR_URL_SETTING, route_env, scrapy_settings
from processing.core.config import Settings
from processing.core.runspec import RunSpec

ROOT = Path(__file__).resolve().parents[1]
VAR = "NEWSLOOM_SCRAPY_SETTINGS"


@pytest.fixture
def settings(monkeypatch: pytest.MonkeyPatch) -> Settings:
    for name in list(os.environ):
        if name.startswith("NEWSLOOM_"):
            monkeypatch.delenv(name)
    return Settings.from_env()


def test_the_shipped_settings_route_nowhere(settings: Settings) -> None:
    s = build_settings(get_outlet("sohr_en"), settings)
    assert not any("mirror" in path.lower() for path in s["DOWNLOADER_MIDDLEWARES"])
    assert not any("MIRROR" in name for name in s)


def test_extra_settings_merge_components_and_replace_the_rest(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    extra = {
        "DOWNLOADER_MIDDLEWARES": {
            "my.proxy.Route": 990,
            "crawlers.middlewares.ChallengeMiddleware": None,  # disabled, as in Scrapy
        },
        "EXTENSIONS": {"my.Stats": 500},
        "DOWNLOAD_TIMEOUT": 7,
        "MY_PROXY_URL": "http://10.0.0.5:3128",
    }
    monkeypatch.setenv(VAR, json.dumps(extra))
    s = build_settings(get_outlet("sohr_en"), settings)
    mws = s["DOWNLOADER_MIDDLEWARES"]
    assert mws["my.proxy.Route"] == 990
    assert mws["crawlers.middlewares.ChallengeMiddleware"] is None
    for path, order in DOWNLOADER_MIDDLEWARES.items():  # the rest of ours stay as they were
        if path != "crawlers.middlewares.ChallengeMiddleware":
            assert mws[path] == order, path
    extensions = s["EXTENSIONS"]
    assert extensions["my.Stats"] == 500 and "crawlers.extensions.RunRecorder" in extensions
    assert s["DOWNLOAD_TIMEOUT"] == 7 and s["MY_PROXY_URL"] == "http://10.0.0.5:3128"


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("{not json", "not JSON"),
        ('["DOWNLOAD_TIMEOUT", 7]', "not a JSON object of Scrapy settings"),
        ('{"download_timeout": 7}', "upper-case names"),
        ('{"DOWNLOADER_MIDDLEWARES": ["a.B"]}', "DOWNLOADER_MIDDLEWARES must be an object"),
    ],
)
def test_a_bad_value_is_refused_naming_the_variable(value: str, says: str) -> None:
    with pytest.raises(ValueError, match=says) as caught:
        env_scrapy_settings({VAR: value})
    assert str(caught.value).startswith(f"{VAR}=")


def test_the_crawl_refuses_a_bad_value_before_any_work(settings: Settings) -> None:
    spec = RunSpec.backfill("sohr_en", date(2026, 11, 20), date(2026, 11, 20))
    done = subprocess.run(
        [sys.executable, "-m", "crawlers.run", "--spec", json.dumps(spec.to_dict())],
        env={**os.environ, VAR: "{not json"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2, done.stderr[-2000:]
    assert done.stderr.strip().splitlines()[-1].startswith(f"crawl: bad arguments: {VAR}=")


def test_the_mirror_route_reaches_the_crawler_through_the_variable(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = route_env("http://127.0.0.1:8765", {"PYTHONPATH": "/opt/x"})
    assert env["PYTHONPATH"].split(os.pathsep) == [str(CHECKOUT), "/opt/x"]
    assert env[MIRROR_URL_SETTING] == "http://127.0.0.1:8765"
    monkeypatch.setenv(VAR, env[VAR])
    s = build_settings(get_outlet("sohr_en"), settings)
    assert s["DOWNLOADER_MIDDLEWARES"]["devkit.mirror.route.MirrorMiddleware"] == 990
    assert s[MIRROR_URL_SETTING] == "http://127.0.0.1:8765"
    # a deployment's own extra settings stay beside the route
    both = route_env("http://127.0.0.1:8765", {VAR: '{"DOWNLOADER_MIDDLEWARES": {"a.B": 5}}'})
    assert json.loads(both[VAR])["DOWNLOADER_MIDDLEWARES"] == {
        "a.B": 5,
        **scrapy_settings("http://127.0.0.1:8765")["DOWNLOADER_MIDDLEWARES"],
    }
