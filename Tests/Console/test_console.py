"""Browser tests of the console (issue 13): headless chromium against a real `tagway run` with
simulated readers on ptys. Each test starts its own gateway, whose scenario runs on the
simulators' clock; a test checks that its page was ready before the scenario's step, so a slow
machine shows up as a clear failure rather than as a pass that proved nothing."""

import time
import unittest

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from browser import DESKTOP, TABLET, Browser, record
from gateway import TOKEN, Gateway, Reader, epc, iso_to_epoch

STORE = ["  - { id: store, name: Store room, readPoints: [shelf-a] }"]
DOCK = ["  - { id: dock, name: Dock door, door: { inside: [door-in], outside: [door-out] } }"]
BAYS = ["  - { id: bay-a, readPoints: [rp-a] }", "  - { id: bay-b, readPoints: [rp-b] }"]


class ConsoleTest(unittest.TestCase):
    gateway = None
    browser = None

    def start(self, readers, zones, size=DESKTOP, **options):
        # The browser first: its start is not part of the scenario's time, which runs from the simulators' start.
        self.browser = Browser(size)
        self.addCleanup(self.browser.quit)
        self.gateway = Gateway(readers, zones, **options).start()
        self.addCleanup(self.gateway.stop)
        return self.gateway, self.browser

    def assertReadyBefore(self, seconds, what):
        lead = self.gateway.scenario_time(seconds) - time.time()
        self.assertGreater(lead, 0.2, f"the page was ready {-lead:.1f} s after the scenario's step at {seconds} s "
                                      f"({what}); the machine is too slow for this scenario")


class LoginTests(ConsoleTest):
    def test_a_wrong_token_is_refused_and_the_right_one_lets_in(self):
        gateway, browser = self.start([Reader("shelf", [], read_point="shelf-a")], STORE)
        browser.open(gateway)
        browser.testid("login-token").send_keys("not-the-token-at-all-0000")
        browser.testid("login-submit").click()
        error = browser.testid("login-error")
        self.assertIn("not accepted", error.text)
        self.assertIsNone(browser.driver.execute_script("return sessionStorage.getItem('tagway.token')"))
        self.assertEqual(browser.all('[data-testid="nav-overview"]'), [])
        browser.screenshot("login-refused")
        field = browser.testid("login-token")
        field.clear()
        field.send_keys(TOKEN)
        browser.testid("login-submit").click()
        browser.testid("nav-overview")
        self.assertEqual(browser.driver.execute_script("return sessionStorage.getItem('tagway.token')"), TOKEN)
        self.assertNotIn(TOKEN, browser.driver.current_url)
        self.assertEqual(browser.all('[data-testid="login-token"]'), [])

    def test_a_gateway_without_tokens_says_so_and_lets_the_user_in(self):
        gateway, browser = self.start([Reader("shelf", [], read_point="shelf-a")], STORE, tokens=False)
        browser.open(gateway)
        browser.testid("nav-overview")
        self.assertIn("No token needed", browser.driver.find_element(By.ID, "auth").text)


class ZonesTests(ConsoleTest):
    ARRIVAL = 8.0

    def check_zones(self, size, name):
        tag = epc(0x4101)
        gateway, browser = self.start([Reader("shelf", [f"{self.ARRIVAL} enter {tag} rssi=-55"], read_point="shelf-a")],
                                      STORE, size=size)
        browser.login(gateway)
        browser.go("#/zones")
        browser.testid("zone-card-store")
        assets = browser.testid("zone-assets-store")
        browser.wait(lambda d: assets.find_elements(By.CSS_SELECTOR, '[data-testid="empty-state"]'), 5,
                     "the store's empty state (no asset yet)")
        self.assertReadyBefore(self.ARRIVAL, "zones page with an empty store")
        link = browser.wait(lambda d: assets.find_elements(By.CSS_SELECTOR, '[data-testid^="asset-link-"]'),
                            self.ARRIVAL + 15, "an asset in the store")[0]
        seen = time.time()
        arrived = gateway.wait_event(type="arrived", to="store")
        latency = seen - iso_to_epoch(arrived["time"])
        self.assertEqual(link.get_attribute("data-testid"), f"asset-link-{arrived['asset']['key']}")
        self.assertLessEqual(latency, 2.0, f"the asset showed {latency:.2f} s after its arrival")
        browser.screenshot(f"zones-{name}")
        return gateway, browser, arrived, latency

    def test_a_read_tag_appears_in_its_zone_within_2_s_and_its_history_opens(self):
        gateway, browser, arrived, latency = self.check_zones(DESKTOP, "desktop")
        record(zoneAppearLatencySeconds=round(latency, 3))
        key = arrived["asset"]["key"]
        browser.all(f'[data-testid="asset-link-{key}"]')[0].click()
        history = browser.testid("asset-history")
        browser.wait(lambda d: history.find_elements(By.CSS_SELECTOR, 'tr[data-type="arrived"]'), 5, "the arrival in the history")
        self.assertIn("store", browser.driver.find_element(By.ID, "main").text)
        browser.screenshot("asset")

    def test_the_zones_page_on_a_tablet(self):
        self.check_zones(TABLET, "tablet")
        width = self.browser.driver.execute_script("return document.documentElement.scrollWidth")
        self.assertLessEqual(width, TABLET[0], "no horizontal scrolling on a tablet")


class FeedTests(ConsoleTest):
    INSIDE = 8.0
    OUTSIDE = 10.0

    def test_a_door_crossing_shows_as_passed_in_the_live_feed(self):
        tag = epc(0x4201)
        door = Reader("door", [f"{self.INSIDE} enter {tag} antenna=1 rssi=-50", f"{self.OUTSIDE} enter {tag} antenna=2 rssi=-45"],
                      antennas={1: "door-in", 2: "door-out"})
        gateway, browser = self.start([door], DOCK)
        browser.login(gateway)
        browser.present("feed")
        browser.wait(lambda d: "live" in d.find_element(By.ID, "h-feed").text, 5, "the live feed connected")
        self.assertReadyBefore(self.INSIDE, "overview with its live feed")
        item = browser.wait(lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="feed-item"][data-type="passed"]'),
                            self.OUTSIDE + 20, "a passed event in the live feed")[0]
        passed = gateway.wait_event(type="passed")
        self.assertEqual(item.get_attribute("data-asset"), passed["asset"]["key"])
        self.assertEqual(item.get_attribute("data-zone"), "dock")
        self.assertEqual(passed.get("direction"), "out")
        # The type filter keeps the crossing and hides the arrival.
        Select(browser.testid("feed-filter-type")).select_by_value("passed")
        visible = [i.get_attribute("data-type") for i in browser.all('[data-testid="feed-item"]') if i.is_displayed()]
        self.assertEqual(set(visible), {"passed"})
        Select(browser.testid("feed-filter-type")).select_by_value("")
        browser.screenshot("overview-desktop")
        browser.resize(TABLET)
        browser.screenshot("overview-tablet")


class TuningTests(ConsoleTest):
    def test_per_read_point_rssi_of_a_tag_read_by_two_antennas(self):
        tag = epc(0x4301)
        gateway, browser = self.start([Reader("tune-a", [f"0.5 enter {tag} rssi=-50"], read_point="rp-a"),
                                       Reader("tune-b", [f"0.5 enter {tag} rssi=-64"], read_point="rp-b")], BAYS)
        arrived = gateway.wait_event(type="arrived")
        key = arrived["asset"]["key"]
        browser.login(gateway)
        browser.go("#/tuning")
        field = browser.testid("tuning-tag")
        field.send_keys(key)
        field.submit()
        rows = {point: float(browser.attribute(f"tuning-row-{point}", "data-rssi")) for point in ("rp-a", "rp-b")}
        self.assertAlmostEqual(rows["rp-a"], -50, delta=1.0)
        self.assertAlmostEqual(rows["rp-b"], -64, delta=1.0)
        # The stronger read point holds the asset (the weaker one does not beat it by the threshold).
        browser.wait(lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="tuning-row-rp-a"].anchor'), 10, "rp-a as the anchor")
        # Pick a read point: every tag it hears, with its RSSI (the tag view stays).
        Select(browser.testid("tuning-readpoint")).select_by_value("rp-b")
        self.assertAlmostEqual(float(browser.attribute(f"tuning-tag-row-{tag}", "data-rssi")), -64, delta=1.0)
        browser.testid("tuning-row-rp-b")
        browser.screenshot("tuning")


class MeasurementTests(ConsoleTest):
    CPU_SECONDS = 30

    def test_page_weight_first_render_and_gateway_cpu_with_the_live_feed(self):
        tags = [epc(0x4400 + n) for n in range(20)]
        shelf = Reader("shelf", [f"0.5 enter {t} rssi=-{50 + n % 10}" for n, t in enumerate(tags)], read_point="shelf-a")
        door = Reader("door", [f"0.5 enter {epc(0x4500)} antenna=1 rssi=-50"], antennas={1: "door-in", 2: "door-out"})
        gateway, browser = self.start([shelf, door], STORE + DOCK)
        # A first load with the token already in the tab (a fresh profile, so nothing is cached):
        # a page of the same origin first, to put the token in sessionStorage, then the console.
        browser.open(gateway, "no-such-page")
        browser.driver.execute_script("sessionStorage.setItem('tagway.token', arguments[0])", TOKEN)
        browser.open(gateway)
        browser.wait(lambda d: d.execute_script("return performance.getEntriesByName('overview-rendered').length"), 10,
                     "the overview's first render")
        first = browser.driver.execute_script("""
            const nav = performance.getEntriesByType('navigation')[0];
            const files = performance.getEntriesByType('resource').filter((r) => r.name.includes('/console/'));
            return {render: performance.getEntriesByName('overview-rendered')[0].startTime,
                    total: nav.transferSize + files.reduce((s, r) => s + r.transferSize, 0),
                    files: Object.fromEntries([[nav.name, nav.transferSize], ...files.map((r) => [r.name, r.transferSize])])};
        """)
        self.assertGreater(first["total"], 0)
        self.assertLess(first["total"], 200 * 1024, "first load under 200 KB")
        # The overview open with the live feed following 21 tags read continuously.
        browser.present("feed")
        start = gateway.cpu_seconds()
        time.sleep(self.CPU_SECONDS)
        used = gateway.cpu_seconds() - start
        self.assertGreater(len(browser.all('[data-testid="feed-item"]')), 0)
        browser.screenshot("overview-busy")
        browser.go("#/zones")
        browser.wait(lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="zone-assets-store"] [data-testid^="asset-link-"]'), 10,
                     "the store's assets")
        browser.screenshot("zones-busy")
        record(pageWeightBytes=first["total"],
               pageWeightFiles={name.rsplit("/", 1)[-1] or "index.html": size for name, size in first["files"].items()},
               overviewFirstRenderMs=round(first["render"], 1),
               gatewayCpuSecondsPerMinute=round(used * 60 / self.CPU_SECONDS, 3),
               gatewayCpuMeasuredOverSeconds=self.CPU_SECONDS)


if __name__ == "__main__":
    unittest.main()
