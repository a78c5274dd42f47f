"""What the browser tests and Tools/screenshots.py share: the built `smcc`, a server on loopback
over a fresh log with a small team, an API client, and headless Chromium driven by Selenium
(Debian's `chromium` and `chromium-driver`; nothing is downloaded)."""

import datetime
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def smcc_binary():
    """The built smcc: $SMCC_BINARY, else `swift build --show-bin-path`."""
    explicit = os.environ.get("SMCC_BINARY")
    if explicit:
        return explicit
    path = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()
    binary = os.path.join(path, "smcc")
    if not os.path.exists(binary):
        raise RuntimeError(f"{binary} is not built; run `swift build` first (or set SMCC_BINARY)")
    return binary


def now_rfc3339(offset_seconds=0):
    moment = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=offset_seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class Server:
    """`smcc serve LOG --port PORT` (0: any), stopped with SIGTERM."""

    def __init__(self, smcc, log, port=0, extra=()):
        self.smcc, self.log = smcc, log
        # Its log messages go to a file: a pipe nobody reads could fill and stop the server.
        self.errors = tempfile.TemporaryFile(mode="w+")
        self.process = subprocess.Popen([smcc, "serve", log, "--port", str(port), *extra], stdout=subprocess.PIPE, stderr=self.errors, text=True)
        line = self.process.stdout.readline()
        if not line.startswith("listening on "):
            self.process.kill()
            self.errors.seek(0)
            raise RuntimeError(f"smcc serve did not start: {line}{self.errors.read()}")
        self.base = line.strip()[len("listening on "):]
        self.port = int(self.base.rsplit(":", 1)[1])

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


class Client:
    """The API with one token."""

    def __init__(self, base, token):
        self.base, self.token = base, token

    def call(self, method, path, body=None, headers=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Authorization", f"Bearer {self.token}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")

    def ok(self, method, path, body=None, headers=None):
        status, answer = self.call(method, path, body, headers)
        assert 200 <= status < 300, f"{method} {path}: {status} {answer}"
        return answer


class Desk:
    """A fresh log with a team (Ana the coordinator, Bob a stream monitor, Cat an ambassador), a
    monitoring tool's token, a wall's read-only token, and the server."""

    def __init__(self):
        self.smcc = smcc_binary()
        self.directory = tempfile.mkdtemp(prefix="smcc-browser-")
        self.log = os.path.join(self.directory, "log")
        self.run("init", self.log)
        self.tokens = {"vol:ana": self.run("volunteer", "add", self.log, "vol:ana", "--name", "Ana", "--coordinator").split()[1]}
        self.server = Server(self.smcc, self.log)
        self.ana = self.client("vol:ana")
        self.ana.ok("POST", "/v1/volunteers", {"volunteer": "vol:bob", "name": "Bob", "role": "streamMonitor"})
        self.ana.ok("POST", "/v1/volunteers", {"volunteer": "vol:cat", "name": "Cat", "role": "ambassador", "team": "day"})
        for line in self.run("token", "issue", self.log, "vol:bob", "vol:cat").splitlines():
            actor, token = line.split()
            self.tokens[actor] = token
        self.tokens["monitor:tweets"] = self.run("token", "issue", self.log, "tweets", "--ingest").split()[1]
        self.tokens["viewer:wall"] = self.run("token", "issue", self.log, "wall", "--read-only").split()[1]
        self.bob, self.cat = self.client("vol:bob"), self.client("vol:cat")
        self.monitor = self.client("monitor:tweets")
        for volunteer in ("vol:ana", "vol:bob", "vol:cat"):
            self.ana.ok("POST", f"/v1/volunteers/{volunteer}/shift/start", {})
        self.ana.ok("POST", "/v1/listening-rules", {"rule": "#askpivot"})

    def run(self, *arguments):
        result = subprocess.run([self.smcc, *arguments], capture_output=True, text=True)
        assert result.returncode == 0, f"smcc {' '.join(arguments)}: {result.stderr}"
        return result.stdout

    def client(self, actor):
        return Client(self.server.base, self.tokens[actor])

    def receive(self, number, text, author="fan", hashtags=("askpivot",), posted_ago=120):
        return self.monitor.ok("POST", "/v1/posts", {
            "post": f"twitter:{number}", "channel": "twitter", "author": author, "text": text,
            "hashtags": list(hashtags), "postedAt": now_rfc3339(-posted_ago)})

    def head(self):
        return self.ana.ok("GET", "/v1/events?limit=1")["head"]

    def close(self):
        self.server.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


def chromium(width=1280, height=900):
    """Headless Chromium (`--no-sandbox`: CI runs as root), with the browser's console and network log."""
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", f"--window-size={width},{height}"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    return webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)


def wait(driver, condition, seconds=20, message=""):
    """Waits until `condition(driver)` is truthy (no sleeping as synchronisation). The lists redraw
    on every live event, so an element found a moment ago may be gone: that is tried again."""
    return WebDriverWait(driver, seconds, poll_frequency=0.1, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: condition(d), message)


def click(driver, find, message=""):
    """Clicks the element `find(driver)` returns, as soon as there is one (again if it was redrawn)."""
    def attempt(d):
        element = find(d)
        if element is None:
            return False
        element.click()
        return True
    wait(driver, attempt, message=message)


def requested_urls(driver):
    """Every URL the page asked the network for, from Chromium's performance log."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls
