"""The one record that validation produces: kubeconform results and policy rule
hits both become Findings, and the writers in report.py only ever see these."""

from __future__ import annotations

from collections import namedtuple
from enum import Enum


class Level(str, Enum):
    ERROR = "error"  # fails validation (exit 1)
    WARNING = "warning"  # shown, does not fail
    INFO = "info"


SCHEMA_RULE = "schema"  # the rule id of every kubeconform finding


# A named tuple, not a dataclass: the record style and its reason are in hdgen.objects.record.
_FindingFields = namedtuple(
    "Finding",
    [
        "file",  # str: as given by the user, or relative to the project root
        "line",  # int: 1-based line of the document (or the key) the finding is about; 0 if unknown
        "rule",  # str: "schema" for kubeconform, "HD001"… for policy rules, "parse" for unreadable input
        "level",  # Level
        "message",  # str
        "kind",  # str, and the three below: the object the finding is about, "" if unknown
        "name",
        "namespace",
        "api_version",
    ],
    defaults=("", "", "", ""),
)


class Finding(_FindingFields):
    __slots__ = ()

    @classmethod
    def about(cls, document, rule: str, level: Level, message: str, line: int = 0) -> Finding:
        """A finding about a Document (hdgen.objects.record), on line or else the document's first line."""
        return cls(
            file=document.file,
            line=line or document.line,
            rule=rule,
            level=level,
            message=message,
            kind=document.kind,
            name=document.name,
            namespace=document.namespace,
            api_version=document.api_version,
        )

    def sort_key(self) -> tuple:
        return (self.file, self.line, self.rule, self.kind, self.name, self.message)
