"""Finding writers: text, json, junit, github, sarif. Chosen by name; each sees only Findings.

The json format is a stable contract for CI integrations (documented in
docs/validation.md, "Formats"): fields are only ever added, never renamed or removed, and
`version` changes if that promise ever has to be broken.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable

from hdgen import __version__
from hdgen.errors import InputError
from hdgen.finding import Finding, Level

JSON_CONTRACT_VERSION = 1
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
# What the rules that are not policy rules check (policy rules describe themselves).
BUILTIN_RULES = {
    "parse": "The file is readable YAML or JSON and each document is a Kubernetes object with apiVersion and kind.",
    "schema": "The object is valid for the Kubernetes (or CRD) schema of its apiVersion and kind (kubeconform, strict).",
}


# findings: the Findings, sorted; resources: Kubernetes objects checked; files: files read;
# rule_descriptions: rule id -> one line, for formats that describe rules (a named tuple: see hdgen.objects.record).
class Report(namedtuple("Report", "findings resources files rule_descriptions", defaults=(None,))):
    __slots__ = ()

    def count(self, level: Level) -> int:
        return sum(1 for finding in self.findings if finding.level == level)

    def describe(self, rule: str) -> str:
        return (self.rule_descriptions or {}).get(rule) or BUILTIN_RULES.get(rule) or rule


def summary_line(report: Report) -> str:
    counts = [(report.count(level), level.value) for level in Level]
    found = ", ".join(f"{n} {word}{'s' if n != 1 else ''}" for n, word in counts if n)
    checked = f"{report.resources} resource{'s' if report.resources != 1 else ''} in {report.files} file{'s' if report.files != 1 else ''}"
    return f"hdgen validate: {found or 'no findings'} ({checked})"


def _subject(finding: Finding) -> str:
    if not finding.kind:
        return ""
    name = f"{finding.namespace}/{finding.name}" if finding.namespace else finding.name
    return f" [{finding.kind} {name}]" if name else f" [{finding.kind}]"


def write_text(report: Report) -> str:
    lines = [
        f"{f.file}:{f.line}: {f.level.value} {f.rule} {f.message}{_subject(f)}" for f in report.findings
    ]
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def write_json(report: Report) -> str:
    data = {
        "version": JSON_CONTRACT_VERSION,
        "findings": [
            {
                "file": f.file,
                "line": f.line,
                "kind": f.kind,
                "name": f.name,
                "namespace": f.namespace,
                "apiVersion": f.api_version,
                "rule": f.rule,
                "level": f.level.value,
                "message": f.message,
            }
            for f in report.findings
        ],
        "summary": {
            "errors": report.count(Level.ERROR),
            "warnings": report.count(Level.WARNING),
            "infos": report.count(Level.INFO),
            "resources": report.resources,
            "files": report.files,
            "passed": report.count(Level.ERROR) == 0,
        },
    }
    import json  # here, not at the top: the text report (and a cached validate) needs none

    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write_junit(report: Report) -> str:
    """One testcase per finding (errors fail), plus one that passes when nothing failed."""
    from xml.etree import ElementTree  # here, not at the top: only this format needs it

    errors = report.count(Level.ERROR)
    cases = []
    for finding in report.findings:
        case = ElementTree.Element(
            "testcase",
            {"classname": finding.file, "name": f"{finding.rule} {finding.file}:{finding.line}{_subject(finding)}"},
        )
        text = f"{finding.file}:{finding.line}: {finding.level.value} {finding.rule} {finding.message}"
        if finding.level == Level.ERROR:
            failure = ElementTree.SubElement(case, "failure", {"message": finding.message, "type": finding.rule})
            failure.text = text
        else:
            ElementTree.SubElement(case, "system-out").text = text
        cases.append(case)
    if errors == 0:
        cases.append(ElementTree.Element("testcase", {"classname": "hdgen", "name": "all resources valid"}))
    attributes = {"name": "hdgen validate", "tests": str(len(cases)), "failures": str(errors), "errors": "0", "skipped": "0"}
    suites = ElementTree.Element("testsuites", attributes)
    suite = ElementTree.SubElement(suites, "testsuite", attributes)
    suite.extend(cases)
    ElementTree.SubElement(suite, "system-out").text = summary_line(report)
    ElementTree.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(suites, encoding="unicode") + "\n"


def _github_escape(text: str, *, property_value: bool = False) -> str:
    # The workflow-command escaping GitHub Actions documents for data and property values.
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def write_github(report: Report) -> str:
    command = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "notice"}
    lines = []
    for f in report.findings:
        properties = [f"file={_github_escape(f.file, property_value=True)}"]
        if f.line > 0:
            properties.append(f"line={f.line}")
        properties.append(f"title={_github_escape(f.rule, property_value=True)}")
        lines.append(f"::{command[f.level]} {','.join(properties)}::{_github_escape(f.message + _subject(f))}")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def write_sarif(report: Report) -> str:
    level = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "note"}
    rule_ids = sorted({f.rule for f in report.findings})
    index = {rule: number for number, rule in enumerate(rule_ids)}
    results = []
    for f in report.findings:
        location: dict = {"artifactLocation": {"uri": f.file}}
        if f.line > 0:
            location["region"] = {"startLine": f.line}
        result = {
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": level[f.level],
            "message": {"text": f.message + _subject(f)},
            "locations": [{"physicalLocation": location}],
        }
        results.append(result)
    sarif = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "hdgen",
                        "version": __version__,
                        "rules": [
                            {"id": rule, "name": rule, "shortDescription": {"text": report.describe(rule)}}
                            for rule in rule_ids
                        ],
                    }
                },
                "results": results,
            }
        ],
    }
    import json

    return json.dumps(sarif, indent=2, ensure_ascii=False) + "\n"


WRITERS: dict[str, Callable[[Report], str]] = {
    "text": write_text,
    "json": write_json,
    "junit": write_junit,
    "github": write_github,
    "sarif": write_sarif,
}
FORMATS = tuple(WRITERS)


def writer(name: str) -> Callable[[Report], str]:
    try:
        return WRITERS[name]
    except KeyError:
        raise InputError(f"unknown format {name!r}: use one of {', '.join(FORMATS)}") from None
