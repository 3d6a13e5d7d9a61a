"""hdgen validate: strict kubeconform validation of rendered envs or any files/folders of manifests."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from hdgen import kubeversions
from hdgen.commands.envargs import complete_envs
from hdgen.errors import EXIT_FINDINGS, EXIT_OK, InputError
from hdgen.report.writers import FORMATS

HELP = "validate rendered envs or any manifest files/folders: kubeconform (strict, offline schemas) + policy rules"


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
        help=f"validate against this Kubernetes version's schemas in schemas/ (default: {kubeversions.DEFAULT}, "
        "or validate.kubernetesVersion in hdgen.yaml)",
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
    from hdgen.finding import Level
    from hdgen.project import find_project
    from hdgen.report.writers import summary_line, writer
    from hdgen.validate.pipeline import validate_targets

    project = find_project(args.project_dir)
    write = writer(args.format)
    client = _server_client(args)  # before any work: a bad --server is exit 2 straight away
    env_folders, paths = _targets(args, project)
    report = validate_targets(
        project,
        env_folders,
        paths,
        rules=args.rules,
        kubernetes_version=args.kubernetes_version,
        skip_kinds=args.skip_kinds,
        server=client,
    )
    text = write(report)
    if args.output is not None:
        from hdgen.safewrite import write_text_atomically

        write_text_atomically(args.output, text)
        print(summary_line(report))
    else:
        sys.stdout.write(text)
    failed = any(finding.level == Level.ERROR for finding in report.findings)
    return EXIT_FINDINGS if failed else EXIT_OK


def _server_client(args: argparse.Namespace):
    """The API client for --server, or None. The token is read from the environment, never a flag (shell history)."""
    if args.server is None:
        if args.insecure_skip_tls_verify:
            raise InputError("--insecure-skip-tls-verify needs --server URL")
        return None
    from hdgen.validate.kubeapi import ApiClient

    return ApiClient(
        url=args.server,
        token=os.environ.get("HDGEN_SERVER_TOKEN") or None,
        ca_file=os.environ.get("HDGEN_SERVER_CA") or None,
        insecure=args.insecure_skip_tls_verify,
    )


def _targets(args: argparse.Namespace, project) -> tuple[dict[str, list[Path]], list[Path]]:
    """({env: its rendered folders}, other paths) the user named; each checked, so a typo is exit 2."""
    from hdgen.validate.pipeline import env_folders_of

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
    env_folders = env_folders_of(project, names)
    for path in paths:
        if not path.exists():
            raise InputError(
                f"{path}: not a known env (known envs: {', '.join(known) or 'none'}) and no such file or folder"
            )
    return env_folders, paths
