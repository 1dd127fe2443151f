"""WCAG 2.1 AA contrast of the console's palette (1.4.3: 4.5:1 for text; 1.4.11: 3:1 for the
RSSI bars and focus ring): every text colour the stylesheets use against every background it is
drawn on. The palette lives in console.css's :root; a colour changed there is checked here."""

import os
import re
import unittest

ASSETS = os.path.join(os.path.dirname(__file__), "..", "..", "Sources", "TagwayConsole", "Assets")

# (foreground, background, minimum ratio): the pairs the pages draw.
TEXT = ["fg", "muted", "link", "ok", "warn", "bad"]
BACKGROUNDS = ["bg", "panel", "#e6eefb"]  # page, cards and tables, the highlighted table row
PAIRS = [(f, b, 4.5) for f in TEXT for b in BACKGROUNDS] + [
    ("#ffffff", "fg", 4.5),      # the top bar and dark buttons
    ("#dfe4ea", "fg", 4.5),      # the gateway name and auth note in the top bar
    ("#ffffff", "ok", 4.5),      # the Apply button
    ("focus", "fg", 3.0),        # the focus ring on the top bar
    ("bar", "bg", 3.0),          # RSSI bars (non-text contrast)
    ("bar", "panel", 3.0),
]


def palette():
    with open(os.path.join(ASSETS, "console.css")) as f:
        css = f.read()
    root = re.search(r":root\s*\{([^}]*)\}", css).group(1)
    return dict(re.findall(r"--([a-z]+):\s*(#[0-9a-fA-F]{3,6})", root))


def luminance(colour):
    hex_ = colour.lstrip("#")
    if len(hex_) == 3:
        hex_ = "".join(c * 2 for c in hex_)
    channels = [int(hex_[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def ratio(a, b):
    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


class ContrastTests(unittest.TestCase):
    def test_every_text_and_background_pair_meets_aa(self):
        colours = palette()
        self.assertTrue({"fg", "muted", "bg", "panel", "link", "ok", "warn", "bad", "focus", "bar"} <= colours.keys(), colours)
        resolve = lambda name: name if name.startswith("#") else colours[name]
        failures = [f"{f} on {b}: {ratio(resolve(f), resolve(b)):.2f} < {minimum}"
                    for f, b, minimum in PAIRS if ratio(resolve(f), resolve(b)) < minimum]
        self.assertEqual(failures, [])

    def test_the_ratio_is_the_standards(self):
        # WCAG's own examples: black on white is 21:1, a colour on itself 1:1.
        self.assertAlmostEqual(ratio("#000000", "#ffffff"), 21.0, places=2)
        self.assertAlmostEqual(ratio("#777777", "#777777"), 1.0, places=6)
        self.assertAlmostEqual(ratio("#767676", "#ffffff"), 4.54, places=2)


if __name__ == "__main__":
    unittest.main()
