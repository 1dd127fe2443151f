"""The console on `tagway demo`, the README's first command: the demo serves it on loopback
without a token, its readers and events show, its configuration is a real file the Configure
page reads. The overview's first render is measured here, on the demo, for the issue's note."""

import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

from selenium.webdriver.common.by import By

from browser import Browser, record
from gateway import BINARY, REPO, free_port


class DemoTests(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="tagway-console-demo-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.browser = Browser()
        self.addCleanup(self.browser.quit)
        self.port = free_port()
        self.output = os.path.join(self.dir, "demo.out")
        with open(self.output, "w") as out:
            self.demo = subprocess.Popen(
                [BINARY, "demo", "--duration", "0", "--api", f"127.0.0.1:{self.port}",
                 "--data-dir", os.path.join(self.dir, "data"), "--devices", os.path.join(REPO, "devices")],
                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        self.addCleanup(self.stop)
        self.wait_output(f"web console: http://127.0.0.1:{self.port}/console/")

    def stop(self):
        if self.demo.poll() is None:
            self.demo.send_signal(signal.SIGINT)
            try:
                self.demo.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.demo.kill()
                self.demo.wait()

    def wait_output(self, text, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with open(self.output) as f:
                if text in f.read():
                    return
            if self.demo.poll() is not None:
                break
            time.sleep(0.05)
        with open(self.output) as f:
            self.fail(f"the demo did not print {text!r}:\n{f.read()[-3000:]}")

    def test_the_demo_serves_the_console_with_its_readers_events_and_configuration(self):
        browser = self.browser
        browser.driver.get(f"http://127.0.0.1:{self.port}/console/")
        browser.wait(lambda d: d.execute_script("return performance.getEntriesByName('overview-rendered').length"), 10,
                     "the overview's first render")
        render = browser.driver.execute_script("return performance.getEntriesByName('overview-rendered')[0].startTime")
        self.assertIn("No token needed", browser.driver.find_element(By.ID, "auth").text)
        # Every demo reader is listed; the demo's scenarios loop, so events reach the live feed.
        for reader in ["door-badge", "dock-door", "storage-uhf", "lab-uhf", "desk-nfc"]:
            browser.testid(f"reader-row-{reader}")
        browser.wait(lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="feed-item"]'), 30, "a demo event in the live feed")
        browser.screenshot("demo-overview")
        browser.go("#/zones")
        browser.testid("zone-card-dock-3")
        browser.screenshot("demo-zones")
        browser.go("#/configure")
        browser.wait(lambda d: "id: demo" in (d.find_element(By.CSS_SELECTOR, '[data-testid="config-yaml"]').get_attribute("value") or ""),
                     10, "the demo's configuration in the editor")
        record(demoOverviewFirstRenderMs=round(render, 1))


if __name__ == "__main__":
    unittest.main()
