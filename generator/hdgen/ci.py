"""hdgen ci's checks, in the order a pull request needs them.

  values    every env's values load and render (nothing else makes sense otherwise)
  fresh     the committed rendered/ tree is exactly what the values render
  tracked   no rendered file is left out of git (fresh on disk, missing in the PR)
  validate  kubeconform + policy rules on the committed tree (what the agent applies)
  diff      what the change does, against the base, as a markdown report

Each check records what failed and the command that fixes it; a failing check
does not stop the later ones, so one run shows everything to fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from hdgen.errors import HdgenError, ToolError
from hdgen.project import Project

REPORT_BUDGET = 60_000  # GitHub refuses comments over 65,536 characters


@dataclass
class Check:
    name: str
    passed: bool = True
    lines: list[str] = field(default_factory=list)  # what was found, one item per line
    fixes: list[str] = field(default_factory=list)  # commands that fix it
    tool_failed: bool = False

    def fail(self, line: str, fix: str | None = None, *, tool: bool = False) -> None:
        self.passed = False
        self.tool_failed |= tool
        self.lines.append(line)
        if fix and fix not in self.fixes:
            self.fixes.append(fix)


@dataclass
class CiResult:
    checks: list[Check]
    report_markdown: str
    validation: object | None  # hdgen.report.Report, for --sarif

    @property
    def passed(self) -> bool:
        return all(check.passed for check in self.checks)

    @property
    def tool_failed(self) -> bool:
        return any(check.tool_failed for check in self.checks)


def run_ci(project: Project, base: str | None) -> CiResult:
    """Every check; a bad --base is a usage error (InputError, exit 2) raised before any check runs,
    as `hdgen diff` raises it, not a failed diff check (exit 1)."""
    from hdgen.render import render_envs

    if base is not None:
        from hdgen.diff.base import resolve_base

        resolve_base(project.root, base)
    envs = project.envs()
    values = Check("values load and render")
    diff_check = Check("diff against the base")
    markdown: list[str] = []
    trees = {}
    for env in envs:
        try:
            ((tree, _),) = render_envs(project, [env], manifests=True)  # one at a time: a bad env fails alone
        except HdgenError as error:
            for one in error.each():  # every error of the env's values, one line each
                values.fail(one.message, f"fix values/{env}.yaml, then `hdgen render {env}`")
            continue
        # The diff uses this render (one render per env); afterwards only the files are kept:
        # the parsed objects of every env would stay in memory for nothing.
        _diff_env(project, env, base, tree, len(envs), diff_check, markdown)
        trees[env] = tree._replace(manifests=None)
    if values.passed:
        values.lines.append(", ".join(envs))
    from hdgen.render.warnings import values_warnings

    values.lines += [f"warning: {line}" for found in values_warnings(project, envs).values() for line in found]

    fresh = _fresh_check(project, trees)
    tracked = _tracked_check(project)
    validation_check, validation = _validate_check(project, [env for env in envs if env in trees])
    checks = [values, fresh, tracked, validation_check, diff_check]
    return CiResult(checks, _report(checks, markdown), validation)


def _fresh_check(project: Project, trees: dict) -> Check:
    from hdgen.render.tree import compare_env

    check = Check("rendered/ is fresh")
    for env, tree in trees.items():
        for folder, changes in compare_env(project.rendered_dir, tree):
            shown = project.relative(folder)
            for word, path in changes.differences():
                check.fail(f"{word}: {shown}/{path}", f"hdgen render {env}  (then commit rendered/)")
    if check.passed:
        check.lines.append(f"{', '.join(trees)}: the committed tree is what the values render")
    return check


def _tracked_check(project: Project) -> Check:
    from hdgen.git import Git

    check = Check("rendered/ is committed")
    try:
        out = Git(project.root).run(
            "ls-files", "--others", "--exclude-standard", "--", project.relative(project.rendered_dir)
        )
    except ToolError as error:
        check.fail(error.message, tool=True)
        return check
    for path in out.splitlines():
        check.fail(f"untracked: {path}", f"git add {project.relative(project.rendered_dir)}")
    if check.passed:
        check.lines.append("no untracked files under rendered/")
    return check


def _validate_check(project: Project, envs: list[str]):
    from hdgen.finding import Level
    from hdgen.report.writers import summary_line
    from hdgen.validate.pipeline import env_folders_of, validate_targets

    check = Check("validation (kubeconform + policy rules)")
    rendered = [env for env in envs if (project.rendered_dir / env).is_dir()]
    if not rendered:
        return check, None
    try:
        report = validate_targets(project, env_folders_of(project, rendered))
    except HdgenError as error:
        check.fail(error.message, "make bootstrap" if isinstance(error, ToolError) else None,
                   tool=isinstance(error, ToolError))
        return check, None
    for finding in report.findings:
        if finding.level == Level.ERROR:
            env = Path(finding.file).parts[1] if finding.file.startswith("rendered/") else ""
            check.fail(f"{finding.file}:{finding.line}: {finding.rule} {finding.message}",
                       f"hdgen validate {env}".strip())
    check.lines.insert(0, summary_line(report))
    return check, report


def _diff_env(project: Project, env: str, base: str | None, rendered, env_count: int,
              check: Check, sections: list[str]) -> None:
    """Diff one env's fresh render (a RenderedFiles with its manifests) against the base, both its
    folders (rendered/ENV and rendered/_gitops/ENV); record it in check and its markdown in sections."""
    from hdgen.diff.markdown import write_markdown
    from hdgen.diff.writers import drift_line, summary_line
    from hdgen.diff.review import build_review

    try:
        report = build_review(project, env, base, rendered=rendered)
    except HdgenError as error:
        check.fail(f"{env}: {error.message}", tool=isinstance(error, ToolError))
        return
    check.lines.append(f"{env}: {summary_line(report) if report.resources else 'no differences'}")
    if report.drift is not None:  # the fresh check fails too; this says what the agent would apply instead
        check.lines.append(f"{env}: {drift_line(report)}")
    if any(r.impact == "immutable" for r in report.resources):
        check.fail(f"{env}: a change touches a field the API server will not change (see the report)",
                   f"hdgen diff {env}")
    budget = (REPORT_BUDGET - 4_000) // max(env_count, 1)  # the checks table gets the rest
    sections.append(write_markdown(report, budget))


def _report(checks: list[Check], sections: list[str]) -> str:
    lines = ["## hdgen ci", "", "| check | result |", "|---|---|"]
    for check in checks:
        mark = "✅" if check.passed else "❌"
        shown = check.lines[:5]
        extra = len(check.lines) - len(shown)
        detail = "<br>".join(_cell(line) for line in shown) + (f"<br>… and {extra} more" if extra > 0 else "")
        if check.fixes:
            detail += "<br>fix: " + "; ".join(f"`{_cell(fix)}`" for fix in check.fixes)
        lines.append(f"| {mark} {check.name} | {detail} |")
    return "\n".join(lines) + "\n\n" + "\n".join(sections)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
