"""Browser tests of the console against a site (issue 17): headless chromium against a real
`tagway site` on a real `nats-server -js`, fed by two real `tagway run` gateways of the site
(simulated readers, a JetStream sink each). One asset stays at each gateway; one is read at the
dock, leaves it and arrives in the store: the site makes that one `moved` with both gateways.
The processes start once for the class (about 30 s of scenario) and are stopped in teardown."""

import time
import unittest

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from browser import Browser
from gateway import TOKEN, epc
from siteview import Site, start_fleet

SITE = "console-site"
MOVER, AT_DOCK, AT_STORE = epc(0x4801), epc(0x4802), epc(0x4803)


class SiteConsoleTest(unittest.TestCase):
    # Scenario seconds, each gateway from its own simulators' start (the store's about 2 s later).
    # The mover leaves the dock at 6 s (departed about 2 s later, departAfter) and arrives in the
    # store at 24 s: far inside the handover window, and after the page has opened.
    LEAVE = 6.0
    ARRIVE = 24.0

    @classmethod
    def setUpClass(cls):
        cls.browser = Browser()
        cls.addClassCleanup(cls.browser.quit)
        start_fleet(cls, SITE,
                    [f"1.0 enter {AT_DOCK} rssi=-50", f"2.0 enter {MOVER} rssi=-50", f"{cls.LEAVE} leave {MOVER}"],
                    [f"1.0 enter {AT_STORE} rssi=-50", f"{cls.ARRIVE} enter {MOVER} rssi=-52"])

    def setUp(self):
        self.browser.js_errors()  # what an earlier test left
        self.addCleanup(self.browser.screenshot, f"site-{self._testMethodName}")

    def login(self, site=None):
        """Logs in unless the tab already holds the token (the class shares one browser)."""
        browser = self.browser
        browser.open(site or self.site)
        browser.wait(lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="login-token"], [data-testid="nav-overview"]'), 10,
                     "the login form or the console")
        if browser.all('[data-testid="login-token"]'):
            # The probe without a token was refused (401, in the page's log): the login, not an error.
            browser.js_errors()
            browser.testid("login-token").send_keys(TOKEN)
            browser.testid("login-submit").click()
        browser.wait(lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="site-status"]'), 10, "the site overview")
        return browser

    def assertNoJSErrors(self):
        self.assertEqual(self.browser.js_errors(), [], "the console's page logged errors")

    def test_a_cross_gateway_move_shows_live_as_one_moved_with_both_gateways(self):
        browser = self.login()
        browser.wait(lambda d: "live" in d.find_element(By.ID, "h-feed").text, 10, "the live feed connected")
        store = self.gateways[1]
        lead = store.scenario_time(self.ARRIVE) - time.time()
        self.assertGreater(lead, 0.5, f"the overview was ready {-lead:.1f} s after the arrival; the machine is too slow for this scenario")
        moved = '[data-testid="feed-item"][data-type="moved"]'
        item = browser.wait(lambda d: d.find_elements(By.CSS_SELECTOR, moved), lead + 30, "a moved in the live feed")[0]
        self.assertEqual(item.get_attribute("data-asset"), self.site.wait_event(type="moved")["asset"]["key"])
        self.assertEqual(item.get_attribute("data-from"), "gw-dock/dock")
        self.assertEqual(item.get_attribute("data-to"), "gw-store/shelves")
        self.assertEqual(item.get_attribute("data-gateways"), "gw-dock gw-store")
        self.assertIn("handover gw-dock → gw-store", item.text)
        browser.screenshot("site-overview-moved")
        # The gateway filter keeps the events that involve the dock: the move, not the store's own arrival.
        Select(browser.testid("feed-filter-gateway")).select_by_value("gw-dock")
        shown = [i.get_attribute("data-gateways") for i in browser.all('[data-testid="feed-item"]') if i.is_displayed()]
        self.assertIn("gw-dock gw-store", shown)
        self.assertTrue(all("gw-dock" in g.split() for g in shown), shown)
        self.assertLess(len(shown), len(browser.all('[data-testid="feed-item"]')), "the store's own arrival hidden")
        Select(browser.testid("feed-filter-gateway")).select_by_value("")
        time.sleep(1.0)  # a second moved (the departure and arrival applied apart) would show by now
        key = item.get_attribute("data-asset")
        self.assertEqual(len(browser.all(f'{moved}[data-asset="{key}"]')), 1)
        self.assertEqual([e["type"] for e in self.site.events() if e["asset"]["key"] == key], ["arrived", "moved"],
                         "the site's events of the mover: no departed, one moved")
        # Its history: the arrival at the dock, then the one move with both gateways; now in the store.
        item.find_element(By.CSS_SELECTOR, "a.key").click()
        history = browser.testid("asset-history")
        rows = browser.wait(lambda d: history.find_elements(By.CSS_SELECTOR, "tbody tr") if len(
            history.find_elements(By.CSS_SELECTOR, "tbody tr")) >= 2 else None, 10, "the mover's two site events")
        self.assertEqual([r.get_attribute("data-type") for r in rows], ["moved", "arrived"])
        self.assertEqual(rows[0].get_attribute("data-gateways"), "gw-dock gw-store")
        self.assertIn("gw-dock/dock", rows[0].text)
        self.assertIn("gw-store/shelves", rows[0].text)
        now = browser.driver.find_element(By.CSS_SELECTOR, '[aria-labelledby="h-now"]')
        browser.wait(lambda d: "gw-store/shelves" in now.text, 5, "where the mover is now")
        self.assertIn("gw-store", now.text)
        self.assertNoJSErrors()

    def test_the_overview_shows_the_sites_assets_and_status_and_no_gateway_pages(self):
        self.site.wait_event(type="arrived", to="gw-dock/dock")
        in_store = self.site.wait_event(type="arrived", to="gw-store/shelves")["asset"]["key"]
        browser = self.login()
        facts = browser.testid("site-facts")
        self.assertEqual(facts.get_attribute("data-role"), "active")
        status = self.site.get("/v1/status")
        self.assertEqual(facts.get_attribute("data-lease-holder"), status["owner"])
        self.assertIn(SITE, browser.driver.find_element(By.ID, "gateway").text)
        # Each gateway with its applied position (the next seq of its log), as /v1/status has it.
        for gateway in ["gw-dock", "gw-store"]:
            row = browser.testid(f"site-gateway-{gateway}")
            self.assertGreater(int(row.get_attribute("data-position")), 1)
        browser.wait(lambda d: int(d.find_element(By.CSS_SELECTOR, '[data-testid="site-zone-gw-dock/dock"]')
                                   .get_attribute("data-assets")) >= 1, 10, "an asset at gw-dock/dock")
        self.assertGreaterEqual(int(browser.testid("site-zone-gw-store/shelves").get_attribute("data-assets")), 1)
        self.assertIn("none counted", browser.testid("site-problems").text)
        browser.screenshot("site-overview")
        # A site has no readers, tuning, configuration or audit: none in the page or its navigation.
        self.assertEqual(browser.all('[data-testid="readers-table"]') + browser.all("#h-readers"), [])
        self.assertEqual(sorted(a.get_attribute("data-testid") for a in browser.all("#nav a")), ["nav-overview", "nav-zones"])
        for route in ["tuning", "configure", "audit"]:
            browser.go(f"#/{route}")
            self.assertIn("not of a site", browser.testid("gateway-only").text)
        # Zones: a card per gateway/zone, with its assets.
        browser.go("#/zones")
        assets = browser.present("zone-assets-gw-store/shelves")
        browser.wait(lambda d: assets.find_elements(By.CSS_SELECTOR, f'[data-testid="asset-link-{in_store}"]'), 10,
                     "the store's asset on its card")
        self.assertIn("zone shelves of gateway gw-store", browser.testid("zone-card-gw-store/shelves").text)
        self.assertNoJSErrors()
        # The check above can fail: an error thrown in the page is collected.
        browser.driver.execute_script("setTimeout(() => { throw new Error('site test: collected'); })")
        browser.wait(lambda d: any("site test: collected" in e for e in browser.js_errors()), 5, "the thrown error collected")

    def test_a_standby_process_serves_the_same_picture_and_says_it_stands_by(self):
        self.site.wait_event(type="arrived", to="gw-store/shelves")
        standby = Site(self.nats, SITE, standby=True)
        self.addCleanup(standby.stop)
        standby.start()
        browser = self.login(standby)
        facts = browser.testid("site-facts")
        self.assertEqual(facts.get_attribute("data-role"), "standby")
        self.assertEqual(facts.get_attribute("data-lease-holder"), self.site.get("/v1/status")["owner"])
        self.assertIn("standby", browser.driver.find_element(By.ID, "gateway").text)
        browser.wait(lambda d: int(d.find_element(By.CSS_SELECTOR, '[data-testid="site-zone-gw-store/shelves"]')
                                   .get_attribute("data-assets")) >= 1, 10, "the store's assets, read from the bucket")
        self.assertNoJSErrors()


if __name__ == "__main__":
    unittest.main()
