"""The Audit page in headless chromium against a real `tagway run` (issue 13): an expected list
of two assets, one on the shelf and one nowhere, gives 1 found and 1 missing on the page, per zone
and in total, and the CSV report downloads with one row each; a list the gateway refuses shows
its problems with their lines, and no result."""

import csv
import os
import shutil
import tempfile
import unittest

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from browser import DESKTOP, TABLET, Browser
from gateway import Gateway, Reader, epc

STORE = ["  - { id: store, name: Store room, readPoints: [shelf-a] }",
         "  - { id: lab, name: Hardware lab, readPoints: [bench] }"]
ON_SHELF = epc(0x4601)
NOWHERE = "urn:epc:id:giai:0614141.99999"


class AuditPageTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.gateway = Gateway([Reader("shelf", [f"0.5 enter {ON_SHELF} rssi=-55"], read_point="shelf-a"),
                               Reader("bench", [], read_point="bench")], STORE).start()
        cls.present = cls.gateway.wait_event(type="arrived", to="store")["asset"]["key"]
        cls.files = tempfile.mkdtemp(prefix="tagway-audit-")

    @classmethod
    def tearDownClass(cls):
        cls.gateway.stop()
        shutil.rmtree(cls.files, ignore_errors=True)

    def setUp(self):
        self.browser = Browser()
        self.addCleanup(self.browser.quit)
        self.downloads = tempfile.mkdtemp(prefix="tagway-downloads-", dir=self.files)
        self.browser.driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": self.downloads})
        self.browser.login(self.gateway)
        self.browser.go("#/audit")

    def write(self, name, text):
        path = os.path.join(self.files, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_two_expected_one_found_one_missing_and_the_csv_downloads(self):
        browser = self.browser
        browser.testid("empty-state")
        expected = self.write("expected-store.csv", f"asset_key,zone\n{self.present},store\n{NOWHERE},store\n")
        browser.testid("audit-file").send_keys(expected)
        zone = Select(browser.testid("audit-zone"))
        browser.wait(lambda d: any(o.get_attribute("value") == "store" for o in zone.options), 5, "the zones in the zone list")
        zone.select_by_value("store")
        browser.testid("audit-submit").click()
        browser.testid("audit-summary")
        counts = {name: browser.testid(f"audit-count-{name}").text for name in ("found", "missing", "misplaced", "unexpected")}
        self.assertEqual(counts, {"found": "1", "missing": "1", "misplaced": "0", "unexpected": "0"})
        row = browser.driver.find_element(By.CSS_SELECTOR, '[data-testid="audit-zones"] tbody tr[data-zone="store"]')
        self.assertEqual([c.text for c in row.find_elements(By.CSS_SELECTOR, "th, td")], ["store", "2", "1", "1", "0", "0", "0"])
        # Every zone row only for the audited zone; the result says which categories in words.
        self.assertEqual(len(browser.all('[data-testid="audit-zones"] tbody tr')), 1)
        self.assertEqual(browser.all('[data-testid="empty-state"]'), [])
        browser.driver.find_element(By.CSS_SELECTOR, 'details[data-zone="store"] summary').click()
        details = browser.driver.find_element(By.CSS_SELECTOR, 'details[data-zone="store"]').text
        self.assertIn("Found", details)
        self.assertIn("Missing", details)
        self.assertIn(NOWHERE, details)
        browser.screenshot("audit")
        browser.resize(TABLET)
        width = browser.driver.execute_script("return document.documentElement.scrollWidth")
        self.assertLessEqual(width, TABLET[0], "no horizontal scrolling on a tablet")
        browser.screenshot("audit-tablet")
        browser.resize(DESKTOP)

        browser.testid("audit-download").click()
        path = os.path.join(self.downloads, "expected-store-audit.csv")
        browser.wait(lambda d: os.path.exists(path) and not any(n.endswith(".crdownload") for n in os.listdir(self.downloads)),
                     10, "the CSV download")
        with open(path, newline="") as f:
            rows = list(csv.DictReader(f))
        self.assertEqual([(r["zone"], r["category"], r["expected"], r["key"]) for r in rows],
                         [("store", "found", self.present, self.present), ("store", "missing", NOWHERE, "")])
        self.assertEqual(rows[0]["current_zone"], "store")
        self.assertEqual(rows[0]["read_point"], "shelf-a")

    def test_a_refused_list_shows_its_problems_with_their_lines(self):
        browser = self.browser
        refused = self.write("refused.csv", f"asset_key,zone\n{self.present},store\n{NOWHERE},cellar\n")
        browser.testid("audit-file").send_keys(refused)
        browser.testid("audit-submit").click()
        problems = browser.testid("audit-problems")
        self.assertIn("line 3", problems.text)
        self.assertIn("cellar", problems.text)
        self.assertEqual(browser.all('[data-testid="audit-summary"]'), [])
        self.assertTrue(browser.testid("audit-download").get_attribute("disabled"))
        browser.screenshot("audit-refused")


if __name__ == "__main__":
    unittest.main()
