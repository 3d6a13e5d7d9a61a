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
        "--server",
        metavar="URL",
        help="also server-side dry-run every object against this API server "
        "(token from HDGEN_SERVER_TOKEN, CA file from HDGEN_SERVER_CA); rejections are findings with rule id server",
    )
    parser.add_argument(
        "--insecure-skip-tls-verify",
        action="store_true",
        help="with --server: do not check the server's certificate",
    )


def run(args: argparse.Namespace) -> int:
    from hdgen import kubeconform
    from hdgen.finding import Finding, Level
    from hdgen.loader import load_documents, manifest_files
    from hdgen.project import find_project
    from hdgen.report import Report, summary_line, writer
    from hdgen.schemas import DEFAULT_KUBERNETES_VERSION, check_version

    project = find_project(args.project_dir)
    version = check_version(args.kubernetes_version or DEFAULT_KUBERNETES_VERSION)
    env_folders, paths = _targets(args, project)
    write = writer(args.format)
    client = _server_client(args)  # before any work: a bad --server is exit 2 straight away
    source = kubeconform.SchemaSource(project.schemas_dir, version)

    documents, findings = load_documents(env_folders, project.root)
    more_documents, more_findings = load_documents(paths, Path.cwd())
    documents += more_documents
    findings += more_findings
    if documents:
        source.check()  # before looking for the binary: a missing schema folder is an input error
        binary = kubeconform.find_binary(project.root)
        findings += kubeconform.validate(documents, source, binary, args.skip_kinds)
    if client is not None and documents:
        from hdgen.serverdryrun import dry_run

        findings += dry_run(documents, client)
    findings.sort(key=Finding.sort_key)
    files = len(manifest_files(env_folders)) + len(manifest_files(paths))
    report = Report(findings=findings, resources=len(documents), files=files)
    text = write(report)
    if args.output is not None:
        _write_atomically(args.output, text)
        print(summary_line(report))
    else:
        sys.stdout.write(text)
    failed = any(finding.level == Level.ERROR for finding in findings)
    return EXIT_FINDINGS if failed else EXIT_OK


def _server_client(args: argparse.Namespace):
    """The API client for --server, or None. The token is read from the environment, never a flag (shell history)."""
    if args.server is None:
        if args.insecure_skip_tls_verify:
            raise InputError("--insecure-skip-tls-verify needs --server URL")
        return None
    from hdgen.kubeapi import ApiClient

    return ApiClient(
        url=args.server,
        token=os.environ.get("HDGEN_SERVER_TOKEN") or None,
        ca_file=os.environ.get("HDGEN_SERVER_CA") or None,
        insecure=args.insecure_skip_tls_verify,
    )


def _targets(args: argparse.Namespace, project) -> tuple[list[Path], list[Path]]:
    """(rendered env folders, other paths) the user named; each checked, so a typo is exit 2."""
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
    env_folders = []
    for name in names:
        folder = project.rendered_dir / name
        if not folder.is_dir():
            raise InputError(f"{project.relative(folder)}: env {name!r} is not rendered: run `hdgen render {name}`")
        env_folders.append(folder)
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
