"""Reads every module's surefire XML reports and prints 'N passed, N failed, N skipped'.

Fails when no test ran at all, or when a module that has tests ran none (a silently skipped suite must not
pass for a green run), or when any test failed.
"""
import pathlib
import sys
import xml.etree.ElementTree as ET


def main(root: pathlib.Path) -> int:
    passed = failed = skipped = 0
    silent = []
    for module in sorted(p.parent for p in root.glob("*/pom.xml")):
        if not any((module / "src" / "test").rglob("*Test.java")):
            continue
        reports = list((module / "target" / "surefire-reports").glob("TEST-*.xml"))
        ran = 0
        for report in reports:
            suite = ET.parse(report).getroot()
            tests = int(suite.get("tests", 0))
            bad = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
            skip = int(suite.get("skipped", 0))
            passed += tests - bad - skip
            failed += bad
            skipped += skip
            ran += tests - skip
        if ran == 0:
            silent.append(module.name)
    for name in silent:
        print(f"tally: module {name} has tests but none ran", file=sys.stderr)
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed or silent or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main(pathlib.Path(sys.argv[1])))
