"""Headless Debian chromium driven by chromedriver through Selenium, with the console's login,
screenshots and the measurements file."""

import json
import os
import shutil
import tempfile
import time

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from gateway import REPO, TOKEN

DESKTOP = (1280, 800)
TABLET = (800, 1280)
SCREENSHOTS = os.path.abspath(os.environ.get("CONSOLE_SCREENSHOTS", os.path.join(REPO, ".build", "console-screenshots")))
REPORT = os.path.join(REPO, ".build", "console-report.json")


class Browser:
    """One chromium with a fresh profile (so the first load is a first load: nothing cached)."""

    def __init__(self, size=DESKTOP):
        self.profile = tempfile.mkdtemp(prefix="tagway-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
        for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--no-first-run", "--disable-extensions", "--disable-background-networking",
                         f"--user-data-dir={self.profile}", f"--window-size={size[0]},{size[1]}"]:
            options.add_argument(argument)
        # The page's console, for js_errors(): an uncaught error or a rejected promise shows there.
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(options=options, service=Service(executable_path=shutil.which("chromedriver")))
        self.resize(size)

    def resize(self, size):
        # The viewport, not the window, is what a tablet has: set the window so the page gets `size`.
        self.driver.set_window_size(*size)
        inner = self.driver.execute_script("return [window.innerWidth, window.innerHeight]")
        self.driver.set_window_size(size[0] * 2 - inner[0], size[1] * 2 - inner[1])

    def quit(self):
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)

    def js_errors(self):
        """The page's errors since the last call (uncaught exceptions, rejected promises, failed
        loads): chromium's console entries at level SEVERE."""
        return [entry["message"] for entry in self.driver.get_log("browser") if entry.get("level") == "SEVERE"]

    # MARK: finding things

    def wait(self, condition, timeout=10, message=""):
        return WebDriverWait(self.driver, timeout, poll_frequency=0.05).until(condition, message)

    def testid(self, name, timeout=10):
        return self.wait(EC.visibility_of_element_located((By.CSS_SELECTOR, f'[data-testid="{name}"]')), timeout,
                         f"no visible [data-testid={name}]")

    def present(self, name, timeout=10):
        """In the page (an empty list has no size, so it is never "visible")."""
        return self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, f'[data-testid="{name}"]')), timeout,
                         f"no [data-testid={name}]")

    def attribute(self, name, attribute, timeout=10):
        """An attribute of the element with this test id once it has one; the element is looked up
        again on each try, since live pages replace their rows."""
        def read(driver):
            try:
                for node in driver.find_elements(By.CSS_SELECTOR, f'[data-testid="{name}"]'):
                    value = node.get_attribute(attribute)
                    if value not in (None, "", "null"):
                        return value
            except StaleElementReferenceException:
                return None
            return None
        return self.wait(read, timeout, f"no [data-testid={name}] with {attribute}")

    def all(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    # MARK: the console

    def open(self, gateway, hash=""):
        self.driver.get(f"{gateway.base}/console/{hash}")

    def login(self, gateway, token=TOKEN):
        self.open(gateway)
        field = self.testid("login-token")
        field.clear()
        field.send_keys(token)
        self.testid("login-submit").click()
        self.testid("nav-overview")

    def go(self, hash):
        self.driver.execute_script("location.hash = arguments[0]", hash)

    def screenshot(self, name):
        os.makedirs(SCREENSHOTS, exist_ok=True)
        path = os.path.join(SCREENSHOTS, f"{name}.png")
        # The whole page, not only the viewport: grow the window to the page's height for the shot.
        width, height = self.driver.get_window_size()["width"], self.driver.get_window_size()["height"]
        full = self.driver.execute_script("return Math.max(document.body.scrollHeight, window.innerHeight)")
        self.driver.set_window_size(width, min(max(height, full + 140), 4000))
        time.sleep(0.2)
        self.driver.save_screenshot(path)
        self.driver.set_window_size(width, height)
        return path


def record(**measurements):
    """Adds measurements to .build/console-report.json (kept across test classes) and prints them."""
    os.makedirs(os.path.dirname(REPORT), exist_ok=True)
    try:
        with open(REPORT) as f:
            report = json.load(f)
    except (OSError, ValueError):
        report = {}
    report.update(measurements)
    with open(REPORT, "w") as f:
        json.dump(report, f, indent=2, sort_keys=True)
        f.write("\n")
    for key, value in measurements.items():
        print(f"console measurement {key}: {json.dumps(value)}", flush=True)
