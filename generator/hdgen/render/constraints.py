"""The constrained strings and numbers of the values model, each saying in words what is wrong.

A type here is `Annotated[base, Worded(...)]`: its check returns the words for what
is wrong with a value and how to write it instead ("'512MB' is not a Kubernetes
quantity: use 512Mi or 512M"), never a regular expression. The pattern still goes
into the JSON Schema, for editors. A new field takes one of these types (or a new
Worded) instead of `Field(pattern=...)`, whose message would print the pattern:
tests/test_value_words.py triggers every constraint of every model class and fails
on a message that looks like a regex.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from hdgen.patterns import DIGEST_PATTERN
from hdgen.words import char_name, whitespace_problem

DNS_LABEL = r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$"
QUANTITY = r"^[0-9]+(\.[0-9]+)?(m|[KMGTPE]i?|[kMGTPE])?$"
DURATION = r"^[0-9]+(ms|s|m|h)$"
IMAGE_TAG = r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$"
HOST = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
URL_PATH = r"^/\S*$"
HTTP_URL = r"^https?://\S+$"

WORDED_ERROR = "hdgen_words"  # the pydantic error type of every Worded check


@dataclass(frozen=True)
class Worded:
    """A constraint that explains itself: check(value) is None, or the words for what is wrong.

    name: how the values reference calls the type ("DNS label"); pattern and schema:
    the JSON Schema's view (editors), never shown in a message; bad: values it refuses,
    which the tests feed it (each must be refused, in words), and good: values it must take.
    """

    name: str
    check: Callable[[Any], str | None]
    pattern: str | None = None
    schema: tuple[tuple[str, Any], ...] = ()
    bad: tuple[Any, ...] = ()
    good: tuple[Any, ...] = ()  # values it takes, for the same tests

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(self.validate, handler(source))

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> dict:
        result = handler(schema)
        if self.pattern:
            result["pattern"] = self.pattern
        result.update(self.schema)
        return result

    def validate(self, value: Any) -> Any:
        # The words quote the value: never one that holds a credential (the loader names the key only).
        words = _credential_words(value) or self.check(value)
        if words is not None:
            from pydantic_core import PydanticCustomError

            raise PydanticCustomError(WORDED_ERROR, "{words}", {"words": words})
        return value


def _credential_words(value: Any) -> str | None:
    from hdgen.patterns import CREDENTIAL_SHAPES

    for pattern, what in CREDENTIAL_SHAPES if isinstance(value, str) else ():
        if pattern.search(value):
            return f"holds {what}: keep it in a Secret the tree references, never in values"
    return None


def _first_bad(value: str, allowed: Callable[[str], bool]) -> tuple[int, str] | None:
    return next(((i, c) for i, c in enumerate(value) if not allowed(c)), None)


def _lower_alnum(char: str) -> bool:
    return char.isascii() and (char.islower() or char.isdigit())


def dns_label_problem(value: str) -> str | None:
    """A Kubernetes name: 1-63 lowercase letters, digits and '-', a letter or digit at each end."""
    what = f"{value!r} is not a DNS label"
    if not value:
        return "an empty name is not a DNS label: use 1 to 63 lowercase letters, digits and '-'"
    spaces = whitespace_problem(value)
    if spaces:
        return f"{what}: it {spaces}"
    bad = _first_bad(value, lambda c: _lower_alnum(c) or c == "-")
    if bad:
        index, char = bad
        if char.isascii() and char.isupper():
            fix = f" (use {value.lower()!r})" if dns_label_problem(value.lower()) is None else ""
            return f"{what}: {char!r} at position {index + 1} is uppercase{fix}"
        instead = ": use '-'" if char in "_." else ""
        return (f"{what}: {char_name(char)} at position {index + 1} is not allowed{instead} "
                "(only lowercase letters, digits and '-')")
    if len(value) > 63:
        return f"{what}: it is {len(value)} characters long, over the 63 a name may have"
    if value[0] == "-" or value[-1] == "-":
        end = "starts" if value[0] == "-" else "ends"
        return f"{what}: it {end} with '-' (a name starts and ends with a letter or digit)"
    return None


_QUANTITY_UNITS = ("m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei")


def quantity_problem(value: str) -> str | None:
    """A Kubernetes quantity: a number and an optional unit (250m, 1.5, 512Mi, 1G)."""
    what = f"{value!r} is not a Kubernetes quantity"
    spaces = whitespace_problem(value)
    if spaces:
        return f"{what}: it {spaces} (write {''.join(value.split())})"
    number = re.match(r"[0-9]+(\.[0-9]+)?", value)
    if not number:
        start = "it is negative" if value.startswith("-") else "it does not start with a number"
        return f"{what}: {start} (e.g. 250m for a quarter CPU, 512Mi of memory)"
    digits, unit = number.group(0), value[number.end():]
    if unit in _QUANTITY_UNITS or not unit:
        return None
    if unit.startswith((".", ",")):
        return f"{what}: write one number with '.' for the decimal point, e.g. 1.5Gi"
    letter = unit[0].upper()
    if letter in "KMGTPE" and re.fullmatch(r"[KkMmGgTtPpEe]([Ii])?[Bb]?", unit):
        decimal = "k" if letter == "K" else letter
        return f"{what}: use {digits}{letter}i or {digits}{decimal}"
    return f"{what}: the unit {unit!r} is none of {', '.join(_QUANTITY_UNITS)}"


def duration_problem(value: str) -> str | None:
    """A duration as Prometheus and Flux write it: a whole number and ms, s, m or h."""
    what = f"{value!r} is not a duration"
    spaces = whitespace_problem(value)
    if spaces:
        return f"{what}: it {spaces} (write {''.join(value.split())})"
    match = re.fullmatch(r"([0-9]*)(\.[0-9]+)?([a-z]*)", value)
    if match is None or not match.group(1):
        return f"{what}: write a whole number and a unit, e.g. 30s or 1m"
    if match.group(2):
        return f"{what}: whole numbers only (90s, not 1.5m)"
    if not match.group(3):
        return f"{what}: it has no unit (write {value}s for seconds)"
    if match.group(3) not in ("ms", "s", "m", "h"):
        return f"{what}: the unit {match.group(3)!r} is none of ms, s, m, h"
    return None


def image_tag_problem(value: str) -> str | None:
    """A tag as registries take it: letters, digits, '_', '.', '-'; up to 128; not starting with '.' or '-'."""
    what = f"the tag {value!r}"
    if not value:
        return "an empty tag: set one, or remove the key"
    spaces = whitespace_problem(value)
    if spaces:
        return f"{what} {spaces}"
    for char, where in ((":", "the tag is what follows ':' in an image; the repository goes in image.repository"),
                        ("@", "a digest goes in image.digest"), ("/", "the repository goes in image.repository")):
        if char in value:
            return f"{what} has {char!r} in it: {where}"
    bad = _first_bad(value, lambda c: c.isascii() and (c.isalnum() or c in "_.-"))
    if bad:
        return f"{what}: {char_name(bad[1])} at position {bad[0] + 1} is not allowed (letters, digits, '_', '.', '-')"
    if value[0] in ".-":
        return f"{what} starts with {value[0]!r}: a tag starts with a letter, a digit or '_'"
    if len(value) > 128:
        return f"{what} is {len(value)} characters long, over the 128 a tag may have"
    return None


def digest_problem(value: str) -> str | None:
    """An image digest: sha256: and 64 lowercase hex digits."""
    what = f"{value!r} is not an image digest"
    spaces = whitespace_problem(value)
    if spaces:
        return f"{what}: it {spaces}"
    algorithm, colon, hexdigits = value.partition(":")
    if not colon or algorithm != "sha256":
        return f"{what}: start it with 'sha256:', then 64 lowercase hex digits"
    if any(c not in "0123456789abcdef" for c in hexdigits):
        lower = " (use lowercase)" if all(c in "0123456789abcdefABCDEF" for c in hexdigits) else ""
        return f"{what}: after 'sha256:' come hex digits only{lower}"
    if len(hexdigits) != 64:
        return f"{what}: it has {len(hexdigits)} hex digits after 'sha256:', not 64"
    return None


def host_problem(value: str) -> str | None:
    """A host name of a route: lowercase DNS labels joined by '.'."""
    what = f"{value!r} is not a host name"
    if not value:
        return "an empty host: write the name the route answers, e.g. api.example.com"
    spaces = whitespace_problem(value)
    if spaces:
        return f"{what}: it {spaces}"
    scheme = re.match(r"[a-z]+://", value)
    if scheme:
        return f"{what}: it is a URL; write the host only, {value[scheme.end():].split('/')[0]!r}"
    for char, words in (("/", "a path goes in the route's path"), (":", "a route has no port"),
                        ("*", "wildcard hosts are not supported")):
        if char in value:
            return f"{what}: it has {char!r} in it ({words})"
    bad = _first_bad(value, lambda c: _lower_alnum(c) or c in "-.")
    if bad:
        index, char = bad
        if char.isascii() and char.isupper():
            return f"{what}: {char!r} at position {index + 1} is uppercase (use {value.lower()!r})"
        return f"{what}: {char_name(char)} at position {index + 1} is not allowed (lowercase letters, digits, '-', '.')"
    labels = value.split(".")
    if "" in labels:
        return f"{what}: it has an empty part between dots, or a dot at one end"
    for label in labels:
        if len(label) > 63:
            return f"{what}: the part {label[:20]!r}… is {len(label)} characters long, over 63"
        if label[0] == "-" or label[-1] == "-":
            return f"{what}: the part {label!r} starts or ends with '-'"
    return None


def url_path_problem(value: str) -> str | None:
    """An HTTP path: starts with '/', no spaces."""
    if not value.startswith("/"):
        return f"{value!r} is not a path: start it with '/' ({'/' + value.strip()!r})"
    spaces = whitespace_problem(value)
    return f"the path {value!r} {spaces}" if spaces else None


def http_url_problem(value: str) -> str | None:
    """An http:// or https:// URL."""
    if not re.match(r"https?://", value):
        return f"{value!r} is not an http(s) URL: start it with https:// (or http://)"
    spaces = whitespace_problem(value)
    return f"the URL {value!r} {spaces}" if spaces else None


def percent_problem(value: str) -> str | None:
    """A whole percentage, 0% to 100%, as Kubernetes writes it in a PodDisruptionBudget."""
    what = f"{value!r} is not a percentage"
    spaces = whitespace_problem(value)
    if spaces:
        return f"{what}: it {spaces}"
    number = value.removesuffix("%")
    if number == value:
        return f"{what}: end it with '%' ({value}%)" if number.isdigit() else f"{what}: write a whole number and '%', e.g. 50%"
    if not number.isdigit():
        return f"{what}: whole percents only, e.g. 50%" if number.replace(".", "", 1).isdigit() else \
            f"{what}: write a whole number and '%', e.g. 50%"
    if int(number) > 100 or (len(number) > 1 and number[0] == "0"):
        return f"{what}: use 0% to 100%, without leading zeros"
    return None


def absolute_path_problem(value: str) -> str | None:
    """A file path in a container: '/' and one or more segments of letters, digits, '-', '.', '_'."""
    what = f"{value!r} is not an absolute path"
    if not value.startswith("/"):
        return f"{what}: start it with '/' ({'/' + value!r})"
    spaces = whitespace_problem(value)
    if spaces:
        return f"{what}: it {spaces}"
    if value == "/":
        return f"{what} below the root: '/' alone would make the whole filesystem writable"
    if "//" in value or value.endswith("/"):
        return f"{what}: it has an empty part ('//' or a '/' at the end)"
    bad = _first_bad(value, lambda c: c.isascii() and (c.isalnum() or c in "/-._"))
    if bad:
        return f"{what}: {char_name(bad[1])} at position {bad[0] + 1} is not allowed (letters, digits, '-', '.', '_')"
    return None


def capability_problem(value: str) -> str | None:
    """A Linux capability as Kubernetes names it: NET_BIND_SERVICE (no CAP_ prefix needed)."""
    if re.fullmatch(r"[A-Z][A-Z0-9_]*", value):
        return None
    upper = value.strip().upper().replace("-", "_")
    fix = f" ({upper!r})" if re.fullmatch(r"[A-Z][A-Z0-9_]*", upper) else ""
    return f"{value!r} is not a capability name: uppercase letters, digits and '_', e.g. NET_BIND_SERVICE{fix}"


def wildcard_host_problem(value: str) -> str | None:
    """A host name, or `*.` and a host name (a certificate's wildcard)."""
    if not value.startswith("*."):
        problem = host_problem(value)
        return problem.replace("wildcard hosts are not supported", "a wildcard is '*.' at the start") if problem else None
    stand_in = "w" + value[1:]  # the same length, so positions in the words stay right
    problem = host_problem(stand_in)
    if problem is None:
        return None
    return problem.replace(repr(stand_in), repr(value)).replace(repr(stand_in.lower()), repr(value.lower())).replace(
        "wildcard hosts are not supported", "a wildcard is '*.' at the start")


def port_problem(value: int) -> str | None:
    if not 1 <= value <= 65535:
        return f"{value} is not a port: use 1 to 65535"
    return None


DnsLabel = Annotated[
    str, Worded("DNS label", dns_label_problem, DNS_LABEL, bad=("Api", "api_v2", "-api", "a" * 64, "", "ápi", "api "), good=("api", "honeydue-secrets", "a1"))
]
Quantity = Annotated[
    str,
    Worded("quantity (`100m`, `256Mi`)", quantity_problem, QUANTITY, bad=("512MB", "1.5 Gi", "Mi", "-1", "5x", "1,5Gi"), good=("512Mi", "250m", "1.5", "1G")),
]
Duration = Annotated[
    str, Worded("duration (`30s`, `1m`)", duration_problem, DURATION, bad=("30", "1min", "1.5m", "30 s", "s"), good=("30s", "1m", "250ms", "2h"))
]
ImageTag = Annotated[
    str,
    Worded("image tag", image_tag_problem, IMAGE_TAG, (("maxLength", 128),),
           bad=("", "d3708e6 ", "repo:tag", "a@b", ".x", "t" * 129, "é"), good=("d3708e6", "7.4-alpine", "v1.106.1", "_x")),
]
Digest = Annotated[
    str, Worded("digest (`sha256:` and 64 hex digits)", digest_problem, DIGEST_PATTERN,
                bad=("sha256:abc", "md5:" + "0" * 64, "sha256:" + "A" * 64, " sha256:" + "0" * 64), good=("sha256:" + "a" * 64,))
]
Host = Annotated[
    str,
    Worded("host name", host_problem, HOST,
           bad=("", "https://api.example.com", "api.example.com:443", "Api.example.com", "a..b", "*.example.com",
                "api.example.com/x", "api_1.example.com"), good=("api.myhoneydue.com", "localhost", "a-b.c")),
]
UrlPath = Annotated[str, Worded("path (starts with `/`)", url_path_problem, URL_PATH, bad=("health", "/a b", ""), good=("/", "/api/health/", "/metrics"))]
HttpUrl = Annotated[str, Worded("http(s) URL", http_url_problem, HTTP_URL, bad=("obs.example.com/write", "https://a b"), good=("https://obs.example.com/api/v1/write", "http://x"))]
Port = Annotated[
    int, Worded("port (1–65535)", port_problem, None, (("minimum", 1), ("maximum", 65535)), bad=(0, 65536, -1), good=(1, 8080, 65535))
]
Percent = Annotated[
    str, Worded("percentage (`0%`–`100%`)", percent_problem, r"^(100|[1-9]?[0-9])%$", bad=("50", "150%", "5.5%", "%", "05%"), good=("0%", "50%", "100%"))
]
AbsolutePath = Annotated[
    str, Worded("absolute path", absolute_path_problem, r"^(/[-._A-Za-z0-9]+)+$", bad=("tmp", "/", "/a//b", "/tmp/", "/a b", "/ä"), good=("/tmp", "/app/.next/cache"))
]
Capability = Annotated[
    str, Worded("capability (`NET_BIND_SERVICE`)", capability_problem, r"^[A-Z][A-Z0-9_]*$", bad=("net_bind_service", "", "1X"), good=("NET_BIND_SERVICE",))
]
WildcardHost = Annotated[
    str, Worded("host name or `*.` and a host name", wildcard_host_problem,
                r"^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
                bad=("*.Example.com", "a.*.example.com", "*example.com", "https://x.example.com"), good=("*.myhoneydue.com", "myhoneydue.com"))
]
