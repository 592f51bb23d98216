#!/usr/bin/python3
"""Parses a JUnit XML report with a real XML parser (expat, through ElementTree) and prints what
a CI system would read from it, as JSON: the suites' counts and each test case with its failure.

Usage: parse_junit.py FILE     (exit 1 when the file is not well-formed XML)
"""
import json
import sys
import xml.etree.ElementTree as ET

try:
    root = ET.parse(sys.argv[1]).getroot()
except ET.ParseError as e:
    print(f"not well-formed XML: {e}")
    sys.exit(1)
out = {"root": root.tag, "tests": root.get("tests"), "failures": root.get("failures"), "cases": []}
for case in root.iter("testcase"):
    failure = case.find("failure")
    out["cases"].append({
        "classname": case.get("classname"),
        "name": case.get("name"),
        "failure_message": None if failure is None else failure.get("message"),
        "failure_text": None if failure is None else (failure.text or ""),
        "system_out": (case.findtext("system-out") or ""),
    })
print(json.dumps(out, ensure_ascii=False))
