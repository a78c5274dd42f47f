"""The desk and the wall in a real browser (headless Chromium) against the real `smcc serve` on
loopback: sign in, claim, reply, another volunteer's claim appearing live, the conflict message,
a double click acting once, the keyboard alone, resuming after the server restarts, the wall's
numbers against `smcc stats --json` and `smcc queues --json` at the same seq, and a hostile post
rendered as text. Every wait is for a condition, never a fixed sleep."""

import datetime
import json

import pytest
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from desk_browser import Desk, Server, chromium, click, requested_urls, wait

XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def desk():
    team = Desk()
    yield team
    team.close()


def sign_in(driver, desk, actor):
    driver.get(desk.server.base + "/")
    field = wait(driver, lambda d: d.find_element(By.ID, "token"))
    field.send_keys(desk.tokens[actor] + Keys.ENTER)
    wait(driver, lambda d: d.find_element(By.ID, "lists").is_displayed() and "on shift" in d.find_element(By.ID, "who").text)


def card(driver, list_id, post):
    """The card of `post` in the list `list_id`, or None."""
    for node in driver.find_elements(By.CSS_SELECTOR, f"#{list_id} li.post"):
        if node.get_attribute("data-post") == post:
            return node
    return None


def button(driver, list_id, post, action):
    found = card(driver, list_id, post)
    if found is None:
        return None
    buttons = found.find_elements(By.CSS_SELECTOR, f'[data-action="{action}"]')
    return buttons[0] if buttons else None


def message(driver):
    node = driver.find_element(By.ID, "message")
    return node.text if node.is_displayed() else ""


def kinds(desk, post):
    entries = desk.ana.ok("GET", f"/v1/audit/posts/{post}")["entries"]
    return [entry["event"]["kind"] for entry in entries]


def no_alert(driver):
    try:
        driver.switch_to.alert
    except NoAlertPresentException:
        return True
    return False


def test_the_desk(desk):
    desk.receive(1, "When does the keynote start? #askpivot")
    desk.receive(2, "Is there wifi in hall B? #askpivot")
    desk.receive(3, XSS)
    bob, ana = chromium(1280, 900), chromium(390, 844)  # Bob on a laptop, Ana on a phone
    try:
        sign_in(bob, desk, "vol:bob")
        sign_in(ana, desk, "vol:ana")

        # A post is attacker-controlled: it renders as text, nothing runs.
        wait(bob, lambda d: card(d, "triage", "twitter:3"))
        assert wait(bob, lambda d: card(d, "triage", "twitter:3").find_element(By.CLASS_NAME, "text").text) == XSS
        assert bob.find_elements(By.CSS_SELECTOR, "#triage img") == []
        assert no_alert(bob)

        # Bob claims a post: it moves to his posts; Ana's phone sees it leave triage, live.
        bob.execute_script("window.notReloaded = true")
        ana.execute_script("window.notReloaded = true")
        click(bob, lambda d: button(d, "triage", "twitter:1", "claim"))
        wait(bob, lambda d: card(d, "mine", "twitter:1") is not None, message="Bob's claim is not in his posts")
        wait(ana, lambda d: card(d, "triage", "twitter:1") is None, message="Bob's claim did not reach Ana live")

        # Ana takes twitter:2 on her phone: Bob sees it go, without reloading.
        click(ana, lambda d: button(d, "triage", "twitter:2", "claim"))
        wait(bob, lambda d: card(d, "triage", "twitter:2") is None, message="Ana's claim did not reach Bob live")
        assert bob.execute_script("return window.notReloaded") is True
        assert ana.execute_script("return window.notReloaded") is True

        # Bob replies, with the text.
        click(bob, lambda d: button(d, "mine", "twitter:1", "reply"))
        field = wait(bob, lambda d: d.find_element(By.ID, "field-text"))
        field.send_keys("At ten, in hall A.")
        bob.find_element(By.ID, "compose-send").click()
        wait(bob, lambda d: message(d) == "Done.")
        replies = [e["event"] for e in desk.ana.ok("GET", "/v1/audit/posts/twitter:1")["entries"] if e["event"]["kind"] == "replied"]
        assert [(r["actor"], r["text"]) for r in replies] == [("vol:bob", "At ten, in hall A.")]

        # Someone else acts while Bob's dialog is open: his command is refused, he is told, the lists reload.
        click(bob, lambda d: button(d, "mine", "twitter:1", "resolve"))
        wait(bob, lambda d: d.find_element(By.ID, "field-outcome"))
        desk.ana.ok("POST", "/v1/posts/twitter:1/notes", {"text": "the press asked too"})
        bob.find_element(By.ID, "compose-send").click()
        wait(bob, lambda d: message(d).startswith("Someone else got there first"), message="no conflict message")
        assert "postResolved" not in kinds(desk, "twitter:1")

        # A double click claims once.
        desk.receive(4, "Where is the cloakroom?")
        double = "arguments[0].click(); arguments[0].click(); return true;"
        wait(bob, lambda d: (claim := button(d, "triage", "twitter:4", "claim")) is not None and d.execute_script(double, claim))
        wait(bob, lambda d: card(d, "mine", "twitter:4") is not None)
        assert kinds(desk, "twitter:4").count("postAssigned") == 1

        # The keyboard alone: Tab to the claim button of a new post, Enter.
        desk.receive(5, "Lost and found?")
        wait(bob, lambda d: button(d, "triage", "twitter:5", "claim"))
        bob.find_element(By.TAG_NAME, "body").click()
        for _ in range(300):
            active = bob.switch_to.active_element
            if active.get_attribute("data-action") == "claim" and active.find_element(By.XPATH, "./ancestor::li").get_attribute("data-post") == "twitter:5":
                break
            active.send_keys(Keys.TAB)
        else:
            pytest.fail("Tab never reached the claim button of twitter:5")
        bob.switch_to.active_element.send_keys(Keys.ENTER)
        wait(bob, lambda d: card(d, "mine", "twitter:5") is not None)

        # The server restarts: the stream resumes by itself (Last-Event-ID) and new posts appear.
        port = desk.server.port
        assert desk.server.stop() == 0
        wait(bob, lambda d: "reconnecting" in d.find_element(By.ID, "live").text)
        desk.server = Server(desk.smcc, desk.log, port=port)
        wait(bob, lambda d: d.find_element(By.ID, "live").text.startswith("Live"), seconds=40)
        desk.receive(6, "Back online?")
        wait(bob, lambda d: card(d, "triage", "twitter:6") is not None, message="no live update after the restart")
        assert bob.execute_script("return window.notReloaded") is True

        # The token is never in a URL the server sees.
        for driver, actor in ((bob, "vol:bob"), (ana, "vol:ana")):
            urls = requested_urls(driver)
            assert urls and not [url for url in urls if desk.tokens[actor] in url]
        assert not [entry for entry in bob.get_log("browser") if "Uncaught" in entry["message"]]
    finally:
        bob.quit()
        ana.quit()


def metrics(driver):
    """Every `data-metric` of the page, read in one go (the wall redraws once a second)."""
    return driver.execute_script(
        "const all = {}; for (const node of document.querySelectorAll('[data-metric]')) all[node.dataset.metric] = node.textContent; return all;")


def minutes(seconds):
    return "–" if seconds is None else f"{seconds / 60:.1f}"


def test_the_wall_shows_what_stats_and_queues_say(desk):
    # Five posts of a hashtag no rule covers in ten minutes: it emerges.
    for number in range(20, 26):
        desk.receive(number, f"Coffee queue is endless #coffeegate {number}", hashtags=("coffeegate",), posted_ago=300 - number)
    desk.receive(26, XSS, hashtags=(), posted_ago=60)
    desk.ana.ok("POST", "/v1/posts/twitter:20/assign", {"to": "vol:cat"})
    desk.cat.ok("POST", "/v1/posts/twitter:20/reply", {"text": "More cups are on the way"})
    desk.ana.ok("POST", "/v1/posts/twitter:21/escalate", {"to": "vol:ana", "reason": "catering"})
    wall = chromium(1920, 1080)
    try:
        head = desk.head()
        wall.get(f"{desk.server.base}/wall#token={desk.tokens['viewer:wall']}")
        wait(wall, lambda d: metrics(d).get("seq") == str(head), message="the wall never reached the head")
        shown = metrics(wall)
        at = datetime.datetime.fromisoformat(shown["at"].replace("Z", "+00:00"))
        start = at - datetime.timedelta(hours=1)
        since = start.strftime("%Y-%m-%dT%H:%M:%S.") + f"{start.microsecond // 1000:03d}Z"
        stats = json.loads(desk.run("stats", desk.log, "--json", "--since", since))
        queues = json.loads(desk.run("queues", desk.log, "--json"))
        assert queues["seq"] == head and stats["events"] == head

        response = stats["firstResponse"]
        assert response["posts"] > 0 and response["answered"] > 0
        assert shown["firstResponseP50Minutes"] == minutes(response["p50Seconds"])
        assert shown["firstResponseP90Minutes"] == minutes(response["p90Seconds"])
        assert shown["withinTargetPercent"] == f"{response['withinTarget'] * 100:.1f}"
        assert shown["firstResponseAnswered"] == str(response["answered"])
        assert shown["firstResponsePosts"] == str(response["posts"])
        assert shown["targetMinutes"] == minutes(response["targetSeconds"])
        assert shown["emergingCount"] == str(len(stats["hashtags"]["emerging"])) != "0"
        covered = {"askpivot"}
        assert shown["emergingUncovered"] == str(len([e for e in stats["hashtags"]["emerging"] if e["tag"] not in covered])) != "0"

        assert shown["triageWaiting"] == str(queues["counts"]["triage"])
        assert shown["escalationsOpen"] == str(queues["counts"]["escalations"]) == "1"
        on_shift = [v for v in queues["volunteers"].values() if v["onShift"]]
        assert shown["onShiftTotal"] == str(len(on_shift))
        for role in ("coordinator", "streamMonitor", "ambassador", "photo", "liveTweets"):
            assert shown[f"onShift.{role}"] == str(len([v for v in on_shift if v["role"] == role]))
        oldest = min(datetime.datetime.fromisoformat(p["receivedAt"].replace("Z", "+00:00")) for p in queues["triage"])
        assert shown["oldestWaitingMinutes"] == f"{(at - oldest).total_seconds() / 60:.1f}"

        # Posts in the last hour, by the minute of postedAt, recounted from the export.
        recount = 0
        for line in desk.run("export", desk.log).splitlines():
            event = json.loads(line)
            if event["kind"] == "postReceived" and not event.get("isRepost"):
                minute = datetime.datetime.fromisoformat(event["postedAt"].replace("Z", "+00:00")).replace(second=0, microsecond=0)
                recount += start < minute <= at
        assert shown["postsLastHour"] == str(recount) and recount > 0
        assert shown["postsLastHour.twitter"] == str(recount)

        # The feed shows the hostile post as text.
        feed = [node.text for node in wall.find_elements(By.CSS_SELECTOR, "#feed .text")]
        assert XSS in feed
        assert wall.find_elements(By.CSS_SELECTOR, "#feed img") == []
        assert no_alert(wall)
        # The fragment never reaches the server.
        assert not [url for url in requested_urls(wall) if desk.tokens["viewer:wall"] in url]
    finally:
        wall.quit()


def test_pages_forbid_inline_script_and_a_read_only_token_acts_on_nothing(desk):
    import urllib.request
    for path in ("/", "/console", "/wall"):
        with urllib.request.urlopen(desk.server.base + path) as response:
            policy = response.headers["Content-Security-Policy"]
            assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "default-src 'none'" in policy
    viewer = desk.client("viewer:wall")
    status, answer = viewer.call("POST", "/v1/posts/twitter:6/notes", {"text": "hello"})
    assert status == 403 and answer["code"] == "forbidden"
    status, _ = viewer.call("GET", "/v1/events")
    assert status == 403


def test_the_console(desk):
    """A coordinator listens for an emerging hashtag from its button, changes a role and resolves
    an escalation, each shown back by the live stream."""
    for number in range(40, 46):
        desk.receive(number, f"Lost my badge {number} #lostbadges", hashtags=("lostbadges",), posted_ago=400 - number)
    desk.ana.ok("POST", "/v1/posts/twitter:40/escalate", {"to": "vol:ana", "reason": "badges are printed by the venue"})
    ana = chromium(1366, 1000)
    try:
        sign_in(ana, desk, "vol:ana")
        ana.get(desk.server.base + "/console")
        wait(ana, lambda d: d.find_elements(By.CSS_SELECTOR, "#roster tbody tr"))
        click(ana, lambda d: next((b for b in d.find_elements(By.CSS_SELECTOR, "#emerging button") if b.text == "Listen for #lostbadges"), None))
        wait(ana, lambda d: "covered by #lostbadges" in d.find_element(By.ID, "emerging").text)
        assert "#lostbadges" in [r["rule"] for r in desk.ana.ok("GET", "/v1/listening-rules")["rules"]]

        def row(d):
            return next((r for r in d.find_elements(By.CSS_SELECTOR, "#roster tbody tr") if r.get_attribute("data-volunteer") == "vol:cat"), None)
        wait(ana, lambda d: row(d).find_element(By.TAG_NAME, "select").send_keys("photo") or True)
        click(ana, lambda d: next((b for b in row(d).find_elements(By.TAG_NAME, "button") if b.text == "Change"), None))
        wait(ana, lambda d: row(d).find_element(By.TAG_NAME, "select").get_attribute("value") == "photo")
        assert [v["role"] for v in desk.ana.ok("GET", "/v1/volunteers")["volunteers"] if v["volunteer"] == "vol:cat"] == ["photo"]

        def resolve(d):
            item = next((li for li in d.find_elements(By.CSS_SELECTOR, "#escalations li.post") if li.get_attribute("data-post") == "twitter:40"), None)
            return item.find_element(By.TAG_NAME, "button") if item else None
        click(ana, resolve)
        wait(ana, lambda d: resolve(d) is None)
        assert "escalationResolved" in kinds(desk, "twitter:40")
        assert no_alert(ana)
    finally:
        ana.quit()
