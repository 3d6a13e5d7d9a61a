"""hdgen schemas: regenerate schemas/ (update) or add users' own CRDs (import-crd)."""

from __future__ import annotations

import argparse
from pathlib import Path

from hdgen import kubeversions
from hdgen.errors import EXIT_OK

HELP = "generate the offline kubeconform schemas in schemas/ (update, import-crd)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="schemas_command", metavar="SUBCOMMAND", required=True)
    update = sub.add_parser(
        "update",
        help="regenerate schemas/ from the pinned kubernetes-validate package and schemas/crds/_sources/",
        description="Regenerate the built-in schemas for each Kubernetes version (default: the versions "
        f"schemas/ holds plus the pinned {' and '.join(kubeversions.PINNED)}) and the CRD schemas from schemas/crds/_sources/.",
    )
    update.add_argument(
        "--kubernetes-version",
        dest="versions",
        action="append",
        metavar="X.Y.Z",
        help="generate for this Kubernetes version (repeatable; default: the versions already in schemas/ and the pinned ones)",
    )
    update.set_defaults(schemas_run=_update)
    crd = sub.add_parser(
        "import-crd",
        help="convert CustomResourceDefinition YAML into schemas/crds/<group>/<kind>_<version>.json",
        description="Convert CRD files into kubeconform schemas and keep each file in schemas/crds/_sources/ "
        "so `hdgen schemas update` regenerates them.",
    )
    crd.add_argument("files", nargs="+", type=Path, metavar="FILE", help="CRD YAML file(s)")
    crd.set_defaults(schemas_run=_import_crd)


def run(args: argparse.Namespace) -> int:
    return args.schemas_run(args)


def _update(args: argparse.Namespace) -> int:
    from hdgen.project import find_project
    from hdgen.validate.schemas import CRDS_FOLDER, check_version, generate, project_versions, write_generated

    project = find_project(args.project_dir)
    schemas_dir = project.schemas_dir
    versions = [check_version(v) for v in dict.fromkeys(args.versions)] if args.versions else project_versions(schemas_dir)
    files = generate(schemas_dir, versions)  # everything is generated before anything is written
    owned = [f"v{v}{suffix}" for v in versions for suffix in ("-standalone-strict", "-standalone")] + [CRDS_FOLDER]
    changed = write_generated(schemas_dir, files, owned)
    shown = project.relative(schemas_dir)
    print(f"schemas: {len(files)} files for Kubernetes {', '.join(versions)}; {len(changed)} changed ({shown}/)")
    for path in changed:
        print(f"  {shown}/{path}")
    return EXIT_OK


def _import_crd(args: argparse.Namespace) -> int:
    from hdgen.errors import InputError
    from hdgen.project import find_project
    from hdgen.validate.schemas import import_crds

    for path in args.files:
        if not path.is_file():
            raise InputError(f"{path}: no such file")
    project = find_project(args.project_dir)
    changed = import_crds(project.schemas_dir, args.files)
    shown = project.relative(project.schemas_dir)
    print(f"schemas: imported {len(args.files)} CRD file(s); {len(changed)} changed ({shown}/)")
    for path in changed:
        print(f"  {shown}/{path}")
    return EXIT_OK
