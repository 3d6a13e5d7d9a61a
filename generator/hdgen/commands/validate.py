"""hdgen validate: strict kubeconform validation of rendered envs or any files/folders of manifests."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from hdgen.commands.envargs import complete_envs
from hdgen.errors import EXIT_FINDINGS, EXIT_OK, InputError

HELP = "validate rendered envs or any manifest files/folders (kubeconform strict, offline schemas)"
FORMATS = ("text", "json", "junit", "github", "sarif")  # report.FORMATS, kept here so --help stays light


def add_arguments(parser: argparse.ArgumentParser) -> None:
    targets = parser.add_argument(
        "targets",
        nargs="*",
        metavar="ENV|PATH",
        help="an env name (validates rendered/ENV) or a manifest file or folder",
    )
    targets.completer = complete_envs  # argcomplete reads this attribute
    parser.add_argument("--all", action="store_true", help="every env in values/ (rendered/ENV of each)")
    parser.add_argument("--format", choices=FORMATS, default="text", help="report format (default: text)")
    parser.add_argument(
        "--kubernetes-version",
        metavar="X.Y.Z",
        default=None,
        help="validate against this Kubernetes version's schemas in schemas/ (default: 1.33.0)",
    )
    parser.add_argument(
        "--skip-kind",
        dest="skip_kinds",
        action="append",
        default=[],
        metavar="KIND",
        help="do not schema-check this kind (or apiVersion/Kind); repeatable",
    )
    parser.add_argument("--output", type=Path, metavar="FILE", help="write the report to FILE (atomically) instead of stdout")
    parser.add_argument(
        "--rules",
        default="all",
        metavar="all|none|ID,…",
        help="policy rules to run (default: all that hdgen.yaml enables; none = schema validation only)",
    )


def run(args: argparse.Namespace) -> int:
    from hdgen import kubeconform
    from hdgen.finding import Finding, Level
    from hdgen.loader import load_documents, manifest_files
    from hdgen.project import find_project
    from hdgen.report import Report, summary_line, writer
    from hdgen.rules import RULES, make_context, run_rules, select_rules
    from hdgen.schemas import DEFAULT_KUBERNETES_VERSION, check_version
    from hdgen.settings import load_settings

    project = find_project(args.project_dir)
    settings = load_settings(project.root)
    version = check_version(
        args.kubernetes_version or settings.validate_.kubernetes_version or DEFAULT_KUBERNETES_VERSION
    )
    rules = select_rules(args.rules, settings)
    env_folders, paths = _targets(args, project)
    write = writer(args.format)
    source = kubeconform.SchemaSource(project.schemas_dir, version)

    # One group per rendered env (its folder plus its GitOps agent objects) and one for
    # the other paths: rules that resolve references look only within their own group.
    groups = [(env, folders, project.root) for env, folders in env_folders.items()]
    if paths:
        groups.append((None, paths, Path.cwd()))
    documents, findings, files = [], [], 0
    for env, folders, shown_from in groups:
        group_documents, group_findings = load_documents(folders, shown_from)
        context = make_context(group_documents, settings=settings, env=env, kubernetes_version=version)
        findings += group_findings + run_rules(group_documents, rules, context)
        documents += group_documents
        files += len(manifest_files(folders))
    if documents:
        source.check()  # before looking for the binary: a missing schema folder is an input error
        binary = kubeconform.find_binary(project.root)
        skip_kinds = [*settings.validate_.skip_kinds, *args.skip_kinds]
        findings += kubeconform.validate(documents, source, binary, skip_kinds)
    findings.sort(key=Finding.sort_key)
    descriptions = {rule.id: rule.summary for rule in RULES.values()}
    report = Report(findings=findings, resources=len(documents), files=files, rule_descriptions=descriptions)
    text = write(report)
    if args.output is not None:
        _write_atomically(args.output, text)
        print(summary_line(report))
    else:
        sys.stdout.write(text)
    failed = any(finding.level == Level.ERROR for finding in findings)
    return EXIT_FINDINGS if failed else EXIT_OK


def _targets(args: argparse.Namespace, project) -> tuple[dict[str, list[Path]], list[Path]]:
    """({env: its rendered folders}, other paths) the user named; each checked, so a typo is exit 2."""
    known = project.envs()
    if args.all:
        if args.targets:
            raise InputError("give env names, paths or --all, not both")
        if not known:
            raise InputError(f"no env values in {project.relative(project.values_dir)}/")
        names = known
        paths: list[Path] = []
    else:
        if not args.targets:
            raise InputError(f"name an env, a file or a folder, or --all (known envs: {', '.join(known) or 'none'})")
        names = [t for t in dict.fromkeys(args.targets) if t in known]
        paths = [Path(t) for t in dict.fromkeys(args.targets) if t not in known]
    env_folders = {}
    for name in names:
        folder = project.rendered_dir / name
        if not folder.is_dir():
            raise InputError(f"{project.relative(folder)}: env {name!r} is not rendered: run `hdgen render {name}`")
        agent_folder = project.agent_dir(name)
        env_folders[name] = [folder] + ([agent_folder] if agent_folder.is_dir() else [])
    for path in paths:
        if not path.exists():
            raise InputError(
                f"{path}: not a known env (known envs: {', '.join(known) or 'none'}) and no such file or folder"
            )
    return env_folders, paths


def _write_atomically(path: Path, text: str) -> None:
    """Readers of the report file see the old one or the new one, never half of it."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, scratch = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    except OSError as error:
        raise InputError(f"{path}: cannot write the report: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(scratch, path)
    except OSError as error:
        Path(scratch).unlink(missing_ok=True)
        raise InputError(f"{path}: cannot write the report: {error.strerror or error}") from None
