#!/usr/bin/env python3
"""Fails unless the pytest JUnit report says at least one test passed
(pytest itself exits 5 when it collects nothing; this also catches a run
where everything was skipped or deselected)."""

import sys
import xml.etree.ElementTree as ET

root = ET.parse(sys.argv[1]).getroot()
suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
total = sum(int(s.get("tests", 0)) for s in suites)
bad = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) + int(s.get("skipped", 0)) for s in suites)
passed = total - bad
print("py-test: %d tests, %d passed" % (total, passed))
if passed <= 0:
    sys.exit("py-test: no test ran")
