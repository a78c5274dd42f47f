#!/usr/bin/env python3
"""Screenshots of the desk (laptop and phone widths), the coordinator's console and the wall, from
headless Chromium against a real `smcc serve` on a small desk, to look at what a volunteer sees.

Usage: python3 Tools/screenshots.py OUTDIR   (SMCC_BINARY picks the binary; else the debug build)
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "tests"))

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

from desk_browser import Desk, chromium, wait  # noqa: E402

POSTS = [
    ("sofiaswift", "When does the keynote start? The app says 9 but the screen in hall A says 9:30 #askpivot", ("askpivot",)),
    ("jon_dev", "Is there wifi in hall B? Nothing connects #wifidown", ("wifidown",)),
    ("pablotech", "Loved the server-side Swift talk, slides anywhere? #pivotcon26", ("pivotcon26",)),
    ("ali_data", "The coffee queue is 40 people long #coffeegate", ("coffeegate",)),
    ("mkim", "<img src=x onerror=alert(1)> is this escaped?", ()),
    ("ivanux8", "Is there a cloakroom? Dragging my suitcase around #askpivot", ("askpivot",)),
    ("lena_ops", "Livestream has no sound for the AI panel #pivotcon26", ("pivotcon26",)),
    ("dara", "Coffee machine on floor 2 is broken too #coffeegate", ("coffeegate",)),
    ("yusuf", "Where do speakers check in? #askpivot", ("askpivot",)),
    ("cora", "#coffeegate still no coffee", ("coffeegate",)),
    ("tom_b", "Third coffee queue complaint #coffeegate", ("coffeegate",)),
    ("ruth", "#coffeegate is real", ("coffeegate",)),
]


def main(out):
    os.makedirs(out, exist_ok=True)
    desk = Desk()
    try:
        for number, (author, text, tags) in enumerate(POSTS, start=1):
            desk.receive(number, text, author=author, hashtags=tags, posted_ago=60 * (len(POSTS) - number) + 30)
        desk.ana.ok("POST", "/v1/posts/twitter:1/assign", {"to": "vol:bob"})
        desk.bob.ok("POST", "/v1/posts/twitter:1/reply", {"text": "At 9:30 in hall A"})
        desk.ana.ok("POST", "/v1/posts/twitter:2/assign", {"to": "vol:bob"})
        desk.ana.ok("POST", "/v1/posts/twitter:7/escalate", {"to": "vol:ana", "reason": "AV team", "priority": "high"})
        desk.ana.ok("POST", "/v1/posts/twitter:3/assign", {"to": "vol:cat"})
        for name, actor, width, height in (("desk-laptop", "vol:bob", 1366, 900), ("desk-phone", "vol:bob", 390, 844), ("console", "vol:ana", 1366, 1000)):
            driver = chromium(width, height)
            try:
                driver.get(desk.server.base + "/")
                wait(driver, lambda d: d.find_element(By.ID, "token")).send_keys(desk.tokens[actor] + Keys.ENTER)
                wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#triage li.post"))
                if name == "console":
                    driver.get(desk.server.base + "/console")
                    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#roster tbody tr"))
                height_needed = driver.execute_script("return document.documentElement.scrollHeight")
                driver.set_window_size(width, min(max(height, height_needed + 120), 3000))
                driver.save_screenshot(os.path.join(out, f"{name}.png"))
            finally:
                driver.quit()
        driver = chromium(1920, 1080)
        try:
            driver.get(f"{desk.server.base}/wall#token={desk.tokens['viewer:wall']}")
            wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, '[data-metric="seq"]').text == str(desk.head()))
            driver.save_screenshot(os.path.join(out, "wall.png"))
        finally:
            driver.quit()
    finally:
        desk.close()
    print(f"screenshots in {out}: desk-laptop.png, desk-phone.png, console.png, wall.png")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
