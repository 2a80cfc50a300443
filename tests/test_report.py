"""The HTML report: content, self-containment, and a real render in headless Chromium.

The browser test drives Chromium through the DevTools protocol over a pipe
(``--remote-debugging-pipe``: NUL-separated JSON on file descriptors 3 and 4),
so it needs nothing beyond the standard library. It records every network
request, console message, JavaScript exception and browser log entry while the
report loads, checks that every figure decoded, and saves a full-page
screenshot (to ``$IMPACTEVAL_ARTIFACTS`` when set, else the test's tmp dir).
It is skipped only outside CI when no Chromium is installed.
"""

from __future__ import annotations

import base64
import json
import os
import re
import select
import shutil
import subprocess
import tempfile
import time
import warnings
from pathlib import Path

import pytest

import impacteval as ie
from impacteval import texts
from impacteval.cli import SERVICETRAINEE_ROLES
from impacteval.errors import ArgumentError, ImpactEvalWarning
from impacteval.report import REPORT_TEXT, evaluation_html, suppress_count

CHROME = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chrome = pytest.mark.skipif(CHROME is None and not os.environ.get("CI"),
                                  reason="Chromium not installed (apt-get install chromium)")


# ------------------------------------------------------------ browser harness
def render(path: Path, png: Path, width: int = 1200, timeout: float = 90.0) -> dict:
    """Load ``path`` in headless Chromium; return requests, console, log and image counts."""
    if CHROME is None:
        pytest.fail("Chromium is required in CI: apt-get install chromium")
    r3, w3 = os.pipe()  # we write, Chromium reads on fd 3
    r4, w4 = os.pipe()  # Chromium writes on fd 4, we read
    profile = tempfile.mkdtemp(prefix="ie-chromium-")

    def child_fds() -> None:
        os.dup2(r3, 3)
        os.dup2(w4, 4)

    proc = subprocess.Popen(
        [CHROME, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--disable-extensions", "--disable-dev-shm-usage", f"--user-data-dir={profile}",
         "--remote-debugging-pipe", "about:blank"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        preexec_fn=child_fds, pass_fds=(3, 4))
    os.close(r3)
    os.close(w4)
    buf = b""
    counter = [0]
    events: list[dict] = []
    deadline = time.monotonic() + timeout

    def send(method, params=None, session=None):
        counter[0] += 1
        msg = {"id": counter[0], "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(w3, json.dumps(msg).encode() + b"\0")
        return counter[0]

    def read_one():
        nonlocal buf
        while b"\0" not in buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("Chromium did not answer in time")
            ready, _, _ = select.select([r4], [], [], left)
            if ready:
                chunk = os.read(r4, 1 << 20)
                if not chunk:
                    raise RuntimeError("Chromium closed the DevTools pipe")
                buf += chunk
        msg, buf = buf.split(b"\0", 1)
        return json.loads(msg)

    def call(method, params=None, session=None):
        i = send(method, params, session)
        while True:
            m = read_one()
            if m.get("id") == i:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            events.append(m)

    def wait_event(name):
        if any(m.get("method") == name for m in events):
            return
        while True:
            m = read_one()
            events.append(m)
            if m.get("method") == name:
                return

    try:
        target = call("Target.createTarget", {"url": "about:blank"})["targetId"]
        sid = call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Network", "Runtime", "Log"):
            call(f"{domain}.enable", session=sid)
        call("Emulation.setDeviceMetricsOverride", {"width": width, "height": 900,
                                                    "deviceScaleFactor": 1, "mobile": False},
             session=sid)
        events.clear()
        call("Page.navigate", {"url": path.resolve().as_uri()}, session=sid)
        wait_event("Page.loadEventFired")
        info = call("Runtime.evaluate", {
            "expression": "JSON.stringify([document.images.length, Array.from(document.images)"
                          ".filter(i => i.complete && i.naturalWidth > 0).length, "
                          "document.scripts.length, document.title])",
            "returnByValue": True}, session=sid)
        height = int(call("Page.getLayoutMetrics", session=sid)["cssContentSize"]["height"])
        shot = call("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}}, session=sid)
        png.write_bytes(base64.b64decode(shot["data"]))
    finally:
        try:
            send("Browser.close")
        except OSError:
            pass
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        os.close(w3)
        os.close(r4)
        shutil.rmtree(profile, ignore_errors=True)
    n_img, n_ok, n_scripts, title = json.loads(info["result"]["value"])
    return {
        "requests": [e["params"]["request"]["url"] for e in events
                     if e.get("method") == "Network.requestWillBeSent"],
        "console": [e["params"] for e in events if e.get("method") in (
            "Runtime.consoleAPICalled", "Runtime.exceptionThrown")],
        "log": [e["params"]["entry"] for e in events if e.get("method") == "Log.entryAdded"],
        "images": n_img, "images_ok": n_ok, "scripts": n_scripts, "title": title,
        "height": height,
    }


def _artifact_dir(tmp_path: Path) -> Path:
    d = Path(os.environ.get("IMPACTEVAL_ARTIFACTS", tmp_path))
    d.mkdir(parents=True, exist_ok=True)
    return d


# ------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def st():
    df = ie.datasets.load_servicetrainee()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImpactEvalWarning)
        evs = ie.evaluate(df, **SERVICETRAINEE_ROLES)
    return df, evs


@pytest.fixture(scope="module")
def small_ev():
    df = ie.datasets.load_teaching("did")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImpactEvalWarning)
        return ie.evaluate(df, outcome="welfare_ksek", unit="household_id", group="group",
                           treated="participant", period="period", pre="pre", post="post")


@pytest.fixture(scope="module")
def st_html_sv(st):
    df, evs = st
    return evaluation_html(evs, lang="sv", data=df, roles=SERVICETRAINEE_ROLES,
                           units="kr per månad", source="servicetrainee.csv",
                           command="impacteval evaluate servicetrainee.csv ...")


def n_figures(evs, with_data: bool) -> int:
    n = 1 if with_data else 0
    for ev in evs:
        ests = [ev.estimate, *ev.sensitivity.values()]
        n += 1  # ladder
        n += any("event_time" in e.tables for e in ests)
        has_bal = any("balance" in e.tables for e in (
            ev.estimate, ev.sensitivity.get("matched_did"), ev.sensitivity.get("matched"))
            if e is not None)
        n += has_bal
        # overlap: the propensity scores of the model the matching used, else the range table
        ps_used = any(e.diagnostics.get("caliper_units") == "SD of the logit propensity score"
                      for e in ests)
        n += 1 if (with_data and ps_used) else has_bal
        n += ev.estimate.draws is not None
    return n


# ---------------------------------------------------------------------- tests
def test_report_has_every_section_in_swedish(st, st_html_sv):
    _, evs = st
    html = st_html_sv
    assert html.startswith("<!DOCTYPE html>") and '<html lang="sv">' in html
    R = REPORT_TEXT["sv"]
    for key in ("overview", "in_plain_words", "verdict", "key_numbers", "ratings",
                "designs_tried", "plots", "diagnostics", "sensitivity", "deviations",
                "methods", "versions"):
        assert R[key].replace("&", "&amp;") in html, key
    reg = evs["register"]
    # the effect and interval in the verdict box use the Swedish number format
    e = reg.estimate
    box = (f"{texts.design_name('matched_did', 'sv')}: {texts.fmt_num(e.estimate, 'sv')} "
           f"[{texts.fmt_num(e.conf_low, 'sv')}, {texts.fmt_num(e.conf_high, 'sv')}]")
    assert box in html
    # four ratings shown as padlocks, e.g. security 2/5
    assert f"{reg.ratings['security']}/5" in html
    # figures: group means once; per evaluation the ladder and the overlap, the event time
    # when a DiD was estimated, the love plot when a matched design was, the bootstrap
    # distribution when the chosen estimate kept draws
    assert html.count("<figure>") == n_figures(evs, with_data=True)
    assert html.count("data:image/svg+xml;base64,") == n_figures(evs, with_data=True)
    assert html.count("<figcaption>" + REPORT_TEXT["sv"]["fig_ladder"].replace("{level}", "95")) == 2
    # weaker designs as sensitivity, with their estimates
    for d, s in reg.sensitivity.items():
        assert texts.design_name(d, "sv") in html
        assert texts.fmt_num(s.estimate, "sv") in html
    # the reproduce call carries every role and the list of comparison groups
    assert "ie.evaluate(" in html and "control=[&#x27;waitlist&#x27;, &#x27;register&#x27;]" in html
    assert "pre=list(range(-12, 0))" in html and "start=&#x27;start_month&#x27;" in html


def test_report_english_and_plain_words(st):
    _, evs = st
    ev = evs["register"]
    html = evaluation_html(ev, lang="en")
    assert '<html lang="en">' in html
    for key in ("overview", "in_plain_words", "designs_tried", "methods"):
        assert REPORT_TEXT["en"][key] in html
    # the plain paragraph is the ladder's explain(), html-escaped
    import html as _h

    assert _h.escape(ev.explain("en")) in html
    # without data: no group-means or propensity figure, but the ladder, event-time,
    # love and covariate-range overlap figures
    assert html.count("<figure>") == n_figures([ev], with_data=False)


def test_report_is_self_contained(st_html_sv):
    html = st_html_sv
    assert "<script" not in html.lower()
    assert "Content-Security-Policy" in html and "default-src &#x27;none&#x27;" not in html
    assert "default-src 'none'" in html
    # every resource reference is an in-file data URI or an in-page anchor
    for attr, val in re.findall(r'\b(src|href)="([^"]*)"', html):
        assert val.startswith("data:") if attr == "src" else val.startswith("#"), (attr, val)
    assert not re.search(r"url\(|@import|https?://", html.split("<body>")[0].split("</style>")[0]
                         .split("<style>")[-1])
    assert not re.search(r"(?<![\w.])https?://", re.sub(r'"data:[^"]*"', '""', html))


def test_report_argument_errors(st):
    _, evs = st
    with pytest.raises(ArgumentError, match="lang"):
        evaluation_html(evs, lang="de")
    with pytest.raises(ArgumentError, match="suppress_below"):
        evaluation_html(evs, suppress_below=0)
    with pytest.raises(ArgumentError, match="Evaluation"):
        evaluation_html(["not an evaluation"])
    assert suppress_count(4) == "< 5" and suppress_count(5) == "5"
    assert suppress_count(9, k=10) == "< 10"


def test_report_money_section(small_ev):
    ev = small_ev
    bc = ie.economics.cost_effectiveness(ev.estimate, cost=4_000_000)
    html = evaluation_html(ev, economics={"Cost-effectiveness": bc})
    assert REPORT_TEXT["en"]["money"] in html and "Cost-effectiveness" in html
    import html as _h

    assert _h.escape(bc.summary()) in html


def test_to_html_writes_the_file(small_ev, tmp_path):
    out = tmp_path / "r.html"
    text = small_ev.to_html(out, lang="en")
    assert out.read_text(encoding="utf-8") == text


@needs_chrome
def test_report_renders_in_chromium_without_errors_or_requests(st, st_html_sv, tmp_path):
    art = _artifact_dir(tmp_path)
    page = tmp_path / "servicetrainee_sv.html"
    page.write_text(st_html_sv, encoding="utf-8")
    res = render(page, art / "servicetrainee_sv.png")
    assert res["console"] == []
    assert [e for e in res["log"] if e.get("level") in ("error", "warning")] == []
    outside = [u for u in res["requests"] if not (u == page.resolve().as_uri()
                                                  or u.startswith("data:"))]
    assert outside == []
    n = n_figures(st[1], with_data=True)
    assert res["images"] == n and res["images_ok"] == n  # every figure decoded
    assert res["scripts"] == 0
    assert res["title"].startswith("Effektutvärdering")
    assert res["height"] > 3000
    assert (art / "servicetrainee_sv.png").stat().st_size > 50_000


@needs_chrome
def test_browser_harness_catches_requests_and_console_errors(tmp_path):
    # negative control: the harness must see what the report must never do
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html><head><title>bad</title></head><body>'
                   '<img src="http://127.0.0.1:9/x.png"><script>console.error("boom")</script>'
                   "</body></html>", encoding="utf-8")
    res = render(bad, tmp_path / "bad.png")
    assert "http://127.0.0.1:9/x.png" in res["requests"]
    assert any(c.get("type") == "error" for c in res["console"])
    assert res["images_ok"] == 0
