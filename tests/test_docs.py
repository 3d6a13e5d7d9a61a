"""README stays a user's page; docs/ holds the rest, its links resolve, and the values reference is the model's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hdgen.render import values_doc
from hdgen.render.model import Values
from tests.conftest import REPO, run_hdgen
from tests.refresh_docs import generated_blocks

README = REPO / "README.md"
PAGES = [README, *sorted((REPO / "docs").glob("*.md"))]
README_LIMIT = 25_000  # bytes: one page a user reads, not the reference

# The runbook's jobs (chapter 14, "Deployment Process"): each has a row in README's "I want to…" table.
RUNBOOK_JOBS = (
    "ship a SHA", "promote staging to prod", "hotfix one service", "config-only change", "change a secret",
    "manifest change", "roll back", "watch a rollout", "review a pull request",
)


def test_readme_is_a_short_users_page_with_the_two_commands() -> None:
    text = README.read_text()
    assert len(text.encode()) < README_LIMIT, f"README.md is {len(text.encode()):,} bytes: move reference to docs/"
    assert re.search(r"^make render +#", text, re.MULTILINE) and re.search(r"^make test +#", text, re.MULTILINE)


def test_readme_maps_every_runbook_job_to_a_command_and_a_page() -> None:
    section = README.read_text().split("## I want to…", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| I want")]
    for job in RUNBOOK_JOBS:
        row = next((r for r in rows if job in r.split(" | ")[0]), None)
        assert row is not None, f"no row for {job!r} in README's I want to… table"
        task, command, page = row.strip("| ").split(" | ")
        assert "`" in command and "](docs/" in page, row


def test_readme_links_every_page_of_docs() -> None:
    text = README.read_text()
    for page in PAGES[1:]:
        assert f"](docs/{page.name})" in text, f"README does not link docs/{page.name}"


def _headings(text: str) -> set[str]:
    """GitHub's anchors of the headings of a page (outside fenced code)."""
    anchors, seen, fence = set(), {}, None
    for line in text.splitlines():
        marker = re.match(r"^(`{3,}|~{3,})", line)
        if marker and (fence is None or marker.group(1).startswith(fence)):
            fence = None if fence else marker.group(1)
            continue
        heading = re.match(r"^#{1,6} +(.*?) *#*$", line)
        if heading and fence is None:
            slug = re.sub(r"[^\w\- ]", "", heading.group(1).lower()).replace(" ", "-")
            count = seen.get(slug, 0)
            seen[slug] = count + 1
            anchors.add(slug if count == 0 else f"{slug}-{count}")
    return anchors


def _links(text: str) -> list[str]:
    text = re.sub(r"^(`{3,}).*?^\1", "", text, flags=re.MULTILINE | re.DOTALL)  # no links in code blocks
    text = re.sub(r"`[^`\n]*`", "", text)  # nor in code spans (a regex may hold "](")
    return re.findall(r"\]\(([^)\s]+)\)", text)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_link_and_anchor_resolves(page: Path) -> None:
    for link in _links(page.read_text()):
        if re.match(r"[a-z]+:", link):
            continue
        target, _, anchor = link.partition("#")
        path = (page.parent / target).resolve() if target else page
        assert path.exists(), f"{page.name}: {link}: no such file"
        if anchor and path.suffix == ".md":
            assert anchor in _headings(path.read_text()), f"{page.name}: {link}: no such heading"


@pytest.mark.parametrize("page, start, end, block", generated_blocks(), ids=lambda v: str(v)[:40])
def test_each_generated_table_is_fresh(page: str, start: str, end: str, block: str) -> None:
    text = (REPO / page).read_text()
    assert text.count(start) == 1 and text.count(end) == 1, page
    assert block in text, f"{page} is stale: run `make docs`"


def test_values_reference_is_what_the_cli_prints() -> None:
    result = run_hdgen("values-schema", "--markdown")
    assert result.code == 0, result.err
    assert result.out == values_doc.reference_block()


def test_values_reference_lists_every_key_of_the_model_and_no_other() -> None:
    """Read back from the page and compared with the JSON Schema, a source the generator does not use."""
    text = (REPO / values_doc.DOC_FILE).read_text()
    block = text.split(values_doc.START, 1)[1].split(values_doc.END, 1)[0]
    documented: dict[str, set[str]] = {}
    for part in block.split("\n### ")[1:]:
        name, _, body = part.partition("\n")
        documented[name.strip()] = set(re.findall(r"^\| `([^`]+)` \|", body, re.MULTILINE))
    schema = Values.model_json_schema(by_alias=True)
    expected = {"Values": set(schema["properties"])}
    expected |= {name: set(part.get("properties", {})) for name, part in schema["$defs"].items()}
    assert documented == expected


def test_values_reference_shows_types_defaults_and_descriptions() -> None:
    block = values_doc.reference_block()
    assert "| `registry` | string (length ≥ 1) | required | e.g. gitea.treytartt.com/admin |" in block
    assert "| `containerPort` | port (1–65535) or null | `null` |" in block
    assert "| `nodeArch` | `\"amd64\"` or `\"arm64\"` | `\"amd64\"` |" in block
    assert "| `apps` | map of DNS label to [App](#app) (length ≥ 1) | required |" in block
    assert "Used at: `apps.<name>.image`, `redis.image`, `observability.image`." in block
