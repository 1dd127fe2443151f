"""Browser tests of the Configure page (issue 13): a config edit with a mistake shows the error
with its line (the caret goes there) and applies nothing; a correct edit made in the zone form is
checked, applied (the old file kept as a numbered backup) and changes the gateway's behaviour:
the next read at the moved read point lands in its new zone."""

import json
import os
import time

from selenium.webdriver.common.by import By

from test_console import ConsoleTest
from gateway import Reader, epc

BAYS = ["  - { id: bay-a, name: Bay A, readPoints: [rp-a, rp-b] }", "  - { id: bay-b, readPoints: [rp-c] }"]


class ConfigureTests(ConsoleTest):
    # The tag read at rp-b after the edit: the page must have applied before this step.
    ARRIVAL = 25.0

    def start_bays(self):
        gateway, browser = self.start([
            Reader("r1", [], read_point="rp-a"),
            Reader("r2", [f"{self.ARRIVAL} enter {epc(0x5202)} rssi=-50"], read_point="rp-b"),
            Reader("r3", [], read_point="rp-c"),
        ], BAYS)
        browser.login(gateway)
        browser.go("#/configure")
        textarea = browser.testid("config-yaml")
        browser.wait(lambda d: "bay-a" in textarea.get_property("value"), 10, "the file's text in the editor")
        return gateway, browser, textarea

    def set_text(self, browser, textarea, text):
        browser.driver.execute_script(
            "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'))", textarea, text)

    @staticmethod
    def read(path):
        with open(path) as f:
            return f.read()

    def files(self, gateway):
        return sorted(name for name in os.listdir(gateway.dir) if name.startswith("gateway.yaml"))

    def test_a_mistake_shows_its_line_and_applies_nothing(self):
        gateway, browser, textarea = self.start_bays()
        original = self.read(gateway.config_file)
        self.assertEqual(textarea.get_property("value"), original)
        lines = original.split("\n")
        line = next(i for i, text in enumerate(lines) if "bay-b" in text) + 1
        lines[line - 1] = "  - { id: bay-b, readPoints: [rp-c, rp-x] }"
        self.set_text(browser, textarea, "\n".join(lines))

        browser.testid("config-check").click()
        error = browser.testid("config-error")
        self.assertEqual(error.get_attribute("data-line"), str(line))
        self.assertEqual(error.get_attribute("data-key"), "zones[1].readPoints[1]")
        self.assertIn(f"line {line}", error.text)
        self.assertIn("unknown read point 'rp-x'", error.text)
        self.assertEqual(len(browser.all('[data-testid="config-error"]')), 1)
        # Selecting the error puts the caret on its line.
        error.click()
        caret = browser.driver.execute_script("return [arguments[0].selectionStart, document.activeElement === arguments[0]]",
                                              textarea)
        self.assertEqual(caret, [len("\n".join(lines[:line - 1])) + 1, True])
        browser.screenshot("configure-error")

        browser.testid("config-apply").click()
        browser.wait(lambda d: "nothing was applied" in d.find_element(By.CSS_SELECTOR, ".config-status").text, 10,
                     "the refusal of the apply")
        self.assertEqual(len(browser.all('[data-testid="config-error"]')), 1)
        self.assertEqual(browser.testid("config-error").get_attribute("data-line"), str(line))
        self.assertEqual(self.read(gateway.config_file), original)
        self.assertEqual(self.files(gateway), ["gateway.yaml"])
        self.assertIn("configuration not applied by token 'token-1'", gateway.log)
        self.assertNotIn("configuration reloaded", gateway.log)

    def test_a_zone_form_edit_applies_and_the_next_read_lands_in_the_new_zone(self):
        gateway, browser, textarea = self.start_bays()
        original = self.read(gateway.config_file)
        form = browser.testid("zone-form")

        def field(zone, name):
            ids = form.find_elements(By.CSS_SELECTOR, '[data-field="id"]')
            row = next(i for i in ids if i.get_property("value") == zone).find_element(By.XPATH, "./ancestor::tr")
            return row.find_element(By.CSS_SELECTOR, f'[data-field="{name}"]')

        # rp-b moves from bay-a to bay-b, and bay-b gets a name that needs quoting in YAML.
        for zone, points in [("bay-a", "rp-a"), ("bay-b", "rp-c, rp-b")]:
            field(zone, "readPoints").clear()
            field(zone, "readPoints").send_keys(points)
        name = 'Bay "B": Süd, yes'
        field("bay-b", "name").send_keys(name)
        browser.testid("zone-form-write").click()
        text = textarea.get_property("value")
        self.assertIn('  - { id: bay-b, name: "Bay \\"B\\": Süd, yes", readPoints: [rp-c, rp-b] }', text)
        self.assertEqual(text.split("zones:")[0], original.split("zones:")[0], "only the zones: block is rewritten")

        browser.testid("config-check").click()
        browser.wait(lambda d: "No errors" in d.find_element(By.CSS_SELECTOR, ".config-status").text, 10, "a passed check")
        self.assertEqual(browser.all('[data-testid="config-error"]'), [])
        browser.testid("config-apply").click()
        changes = browser.testid("config-changes")
        browser.wait(lambda d: "bay-b" in changes.text, 10, "the changes of the apply")
        applied = time.time()
        self.assertReadyBefore(self.ARRIVAL, "the edit applied")
        self.assertIn("zone bay-a: readPoints rp-a, rp-b → rp-a", changes.text)
        self.assertIn("zone bay-b: readPoints rp-c → rp-c, rp-b", changes.text)
        self.assertIn("previous version kept as gateway.yaml.~1~", changes.text)
        browser.screenshot("configure-applied")

        self.assertEqual(self.read(gateway.config_file), text)
        self.assertEqual(self.read(gateway.config_file + ".~1~"), original)
        self.assertIn("configuration applied by token 'token-1' from 127.0.0.1:", gateway.log)
        running = gateway.get("/v1/config")["running"]
        self.assertEqual([z.get("name") for z in running["zones"]], ["Bay A", name])
        # The behaviour: the tag read at rp-b after the apply arrives in bay-b, no longer in bay-a.
        event = gateway.wait_event(timeout=self.ARRIVAL + 15, type="arrived", readPoint="rp-b")
        self.assertEqual(event["to"], "bay-b", json.dumps(event))
        self.assertGreater(time.time(), applied)
