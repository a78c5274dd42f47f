#!/usr/bin/env python3
"""Does the browser keep up with a replay? Plays LOG with `smcc serve LOG --replay --speed N` to
the wall and to a desk (headless Chromium, both pages open at once) for SECONDS, and samples
every two seconds: the replay's position on the server, what the wall shows (its `seq` and `at`),
the last event the desk's live stream has processed, and Chromium's main-thread time
(DevTools `Performance.getMetrics`: TaskDuration) and JS heap.

Usage: python3 Tools/bench-wall.py LOG [--speed 60] [--seconds 120] [--from TIME] [--volunteer vol:mia]
(--from seeks there first: the log's busiest hour is the test that matters.)
Prints the medians and maxima of the lags (events, and seconds of the log's clock) and the share
of the wall's and the desk's main threads that was busy.
"""

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "tests"))

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

from desk_browser import Client, Server, chromium, smcc_binary, wait  # noqa: E402


def instant(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def busy(driver):
    metrics = {m["name"]: m["value"] for m in driver.execute_cdp_cmd("Performance.getMetrics", {})["metrics"]}
    return metrics["TaskDuration"], metrics.get("JSHeapUsedSize", 0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("log")
    parser.add_argument("--speed", type=float, default=60)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--volunteer", default="vol:mia")
    parser.add_argument("--from", dest="start", help="seek to this instant (RFC 3339) before measuring")
    arguments = parser.parse_args()
    smcc = smcc_binary()
    wall_token = subprocess.run([smcc, "token", "issue", arguments.log, "bench-wall", "--read-only"], check=True, capture_output=True, text=True).stdout.split()[1]
    desk_token = subprocess.run([smcc, "token", "issue", arguments.log, arguments.volunteer], check=True, capture_output=True, text=True).stdout.split()[1]
    server = Server(smcc, arguments.log, extra=("--replay", "--speed", str(arguments.speed)))
    api = Client(server.base, wall_token)
    wall, desk = chromium(1920, 1080), chromium(1366, 900)
    try:
        for driver in (wall, desk):
            driver.execute_cdp_cmd("Performance.enable", {})
        if arguments.start:
            api.ok("POST", "/v1/replay", {"seek": arguments.start})
        wall.get(f"{server.base}/wall#token={wall_token}")
        desk.get(server.base + "/")
        wait(desk, lambda d: d.find_element(By.ID, "token")).send_keys(desk_token + Keys.ENTER)
        wait(desk, lambda d: d.find_element(By.ID, "lists").is_displayed())
        wait(wall, lambda d: d.find_element(By.CSS_SELECTOR, '[data-metric="seq"]').text not in ("–", ""))
        start = time.monotonic()
        first = {"wall": busy(wall), "desk": busy(desk)}
        samples = []
        while time.monotonic() - start < arguments.seconds:
            time.sleep(2)  # sampling a measurement, not synchronising a test
            status = api.ok("GET", "/v1/replay")
            shown = wall.execute_script("const m = {}; for (const n of document.querySelectorAll('[data-metric]')) m[n.dataset.metric] = n.textContent; return m;")
            desk_seq = desk.execute_script("return document.getElementById('live').dataset.seq || '0'")
            samples.append({
                "server_seq": status["seq"], "wall_seq": int(shown["seq"]), "desk_seq": int(desk_seq or 0),
                "wall_lag_seconds": (instant(status["at"]) - instant(shown["at"])).total_seconds(),
            })
            if status["finished"]:
                break
        elapsed = time.monotonic() - start
        last = {"wall": busy(wall), "desk": busy(desk)}
    finally:
        wall.quit()
        desk.quit()
        server.stop()
    wall_lag = [s["server_seq"] - s["wall_seq"] for s in samples]
    desk_lag = [s["server_seq"] - s["desk_seq"] for s in samples]
    clock_lag = [s["wall_lag_seconds"] for s in samples]
    played = samples[-1]["server_seq"] - samples[0]["server_seq"]
    report = {
        "speed": arguments.speed, "seconds": round(elapsed, 1), "samples": len(samples),
        "events_played": played, "events_per_second": round(played / elapsed, 1),
        "wall_lag_events": {"median": statistics.median(wall_lag), "max": max(wall_lag)},
        "wall_lag_log_seconds": {"median": statistics.median(clock_lag), "max": max(clock_lag)},
        "desk_lag_events": {"median": statistics.median(desk_lag), "max": max(desk_lag)},
        "wall_main_thread_busy": round((last["wall"][0] - first["wall"][0]) / elapsed, 3),
        "desk_main_thread_busy": round((last["desk"][0] - first["desk"][0]) / elapsed, 3),
        "wall_heap_mb": [round(first["wall"][1] / 1e6, 1), round(last["wall"][1] / 1e6, 1)],
        "desk_heap_mb": [round(first["desk"][1] / 1e6, 1), round(last["desk"][1] / 1e6, 1)],
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
