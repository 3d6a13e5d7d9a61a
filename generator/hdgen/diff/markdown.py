"""The markdown diff report, for a pull-request comment.

Layout: a title and summary, a warning when an apply will fail, a table of
every changed object with its impact, a mermaid graph of the changed objects
and what refers to them, then one collapsible <details> block per object with
a fenced diff.

GitHub refuses comments over 65,536 characters, so the report stays under
MAX_CHARS. It is assembled from whole units (a table row, the graph, one
details block); when the next unit does not fit, the rest is replaced by a
truncation note. Units are complete, so every fence and <details> is closed.
"""

from __future__ import annotations

import re

from hdgen.diff.writers import AGENT_FOLDER_MARK, base_description, change_lines, drift_line, summary_line
from hdgen.diff.review import DiffReport, ReviewedResource

MAX_CHARS = 60_000
MAX_TABLE_CHARS = 20_000  # the table may use a third of the budget; details get the rest
MAX_BLOCK_LINES = 300  # one object's diff beyond this is cut inside its own fence
MAX_GRAPH_NODES = 60
TRUNCATION_RESERVE = 400

_CHANGE_ICONS = {"added": "🆕", "removed": "🗑️", "changed": "✏️"}
_ROLLOUT_ICONS = {"migration": "🗄️", "canary-started": "🐤", "canary-changed": "🐤", "canary-promoted": "✅",
                  "canary-aborted": "↩️"}


def write_markdown(report: DiffReport, max_chars: int = MAX_CHARS) -> str:
    """The report as markdown, at most max_chars long (hdgen ci shares the budget among envs)."""
    header = [
        f"### hdgen diff `{report.env}`",
        "",
        f"Base: `{base_description(report)}` · head: a fresh render of `values/`",
        "",
    ]
    drift = report.drift
    if drift is not None:
        files = "<br>".join(f"{word}: `{path}`" for word, path in drift.files[:20])
        more = f"<br>… and {len(drift.files) - 20} more" if len(drift.files) > 20 else ""
        header += [f"> [!WARNING]\n> {_html(drift_line(report))}.<br>{files}{more}", ""]
        if report.resources:
            header += ["#### What `values/` render", ""]
    if not report.resources:
        header.append(f"**No differences** ({report.unchanged} objects unchanged).")
        text = "\n".join(header) + "\n"
    else:
        header.append(f"**{summary_line(report)}**")
        if report.rotations:
            header += ["", *(f"- 🔑 {rotation.line}" for rotation in report.rotations)]
        if report.rollouts:
            header += ["", *(f"- {_ROLLOUT_ICONS[e.event]} {_html(e.line)}" for e in report.rollouts)]
        text = _body(report, report.resources, header, max_chars if drift is None else max_chars // 2)
    if drift is not None:
        text += "\n" + _drift_section(report, max_chars - len(text))
    return text


def _body(report: DiffReport, resources: list[ReviewedResource], header: list[str], max_chars: int) -> str:
    """The caution for failing applies, the table, the graph and one details block per object."""
    failing = [r for r in resources if r.impact == "immutable"]
    if failing:
        names = ", ".join(f"`{r.diff.title}`" for r in failing)
        header += ["", f"> [!CAUTION]\n> The apply will fail: {names} change a field that cannot change. See below."]
    text = "\n".join(header) + "\n\n"

    text += _table(resources) + "\n"
    graph = _graph(report) if resources is report.resources else ""
    if graph and len(text) + len(graph) + TRUNCATION_RESERVE <= max_chars:
        text += graph + "\n"

    for shown, resource in enumerate(resources):
        block = _details(resource)
        if len(text) + len(block) + TRUNCATION_RESERVE > max_chars:
            hidden = len(resources) - shown
            text += (
                f"> **Truncated:** the details of {hidden} more of {len(resources)} objects are not shown "
                f"(this report is kept under {max_chars:,} characters). "
                f"Run `hdgen diff {report.env}` for the full diff.\n"
            )
            break
        text += block + "\n"
    return text


def _drift_section(report: DiffReport, max_chars: int) -> str:
    """What the agent would apply: the committed files at HEAD against the base."""
    drift = report.drift
    header = [f"#### What the agent would apply: the committed files at HEAD (`{drift.commit[:12]}`)", ""]
    if drift.error:
        return "\n".join(header) + f"\nThey cannot be read as manifests: {_html(drift.error)}\n"
    if not drift.resources:
        return "\n".join(header) + f"\n**No differences** from the base ({drift.unchanged} objects unchanged).\n"
    s = drift.summary()
    header.append(f"**{s['changed']} changed, {s['added']} added, {s['removed']} removed, {s['unchanged']} unchanged**")
    return _body(report, drift.resources, header, max(max_chars, 2 * TRUNCATION_RESERVE))


def _table(resources: list[ReviewedResource]) -> str:
    lines = ["| | Object | Change | Impact |", "|---|---|---|---|"]
    size = sum(len(line) + 1 for line in lines)
    for index, resource in enumerate(resources):
        diff = resource.diff
        where = f" ({resource.folder})" if AGENT_FOLDER_MARK in resource.folder else ""
        row = (
            f"| {_CHANGE_ICONS[diff.change]} | `{diff.title}`{where} | {diff.change} | "
            f"**{resource.impact}**: {_cell(resource.detail)} |"
        )
        if size + len(row) + 1 > MAX_TABLE_CHARS:
            lines.append(f"| … | {len(resources) - index} more objects, see the full report | | |")
            break
        lines.append(row)
        size += len(row) + 1
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _details(resource: ReviewedResource) -> str:
    diff = resource.diff
    lines = []
    for change in diff.fields:
        lines += [f"{sign} {text}" if sign != " " else f"  {text}" for sign, text in change_lines(change)]
    if len(lines) > MAX_BLOCK_LINES:
        cut = len(lines) - MAX_BLOCK_LINES
        lines = lines[:MAX_BLOCK_LINES] + [f"  … {cut} more lines not shown"]
    body = "\n".join(lines)
    fence = "`" * max(3, _longest_backtick_run(body) + 1)  # a value holding ``` cannot end the block
    return (
        f"<details><summary><code>{_html(diff.title)}</code>: {diff.change}, {resource.impact}</summary>\n\n"
        f"{_html(resource.detail)}\n\n"
        f"{fence}diff\n{body}\n{fence}\n\n"
        "</details>\n"
    )


def _longest_backtick_run(text: str) -> int:
    return max((len(run) for run in re.findall(r"`+", text)), default=0)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _graph(report: DiffReport) -> str:
    """Changed objects and the objects that refer to them (or they refer to), one hop."""
    changed = {r.diff.key: r for r in report.resources}
    if len(changed) > MAX_GRAPH_NODES:
        return f"_The graph is left out: {len(changed)} objects changed (it shows at most {MAX_GRAPH_NODES})._\n"
    edges = [e for e in report.edges if e.source in changed or e.target in changed]
    nodes = sorted({*changed, *(e.source for e in edges), *(e.target for e in edges)}, key=lambda k: (k[1], k[2], k[3], k[0]))
    ids = {key: f"n{index}" for index, key in enumerate(nodes)}
    lines = ["```mermaid", "graph LR"]
    for key in nodes:
        label = f"{key[1]} {key[3]}".replace('"', "#quot;")
        style = ""
        if key in changed:
            resource = changed[key]
            style = ":::failing" if resource.impact == "immutable" else f":::{resource.diff.change}"
        lines.append(f'  {ids[key]}["{label}"]{style}')
    for edge in edges:
        lines.append(f"  {ids[edge.source]} -->|{edge.why}| {ids[edge.target]}")
    lines += [
        "  classDef changed fill:#fff3bf,stroke:#f08c00",
        "  classDef added fill:#d3f9d8,stroke:#2f9e44",
        "  classDef removed fill:#ffe3e3,stroke:#e03131",
        "  classDef failing fill:#ff8787,stroke:#c92a2a",
        "```",
    ]
    return "\n".join(lines) + "\n"
