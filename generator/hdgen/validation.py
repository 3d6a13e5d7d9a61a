"""Validation as one function: load documents, run the policy rules, run kubeconform, one Report.

Shared by `hdgen validate` and `hdgen ci`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from hdgen.errors import InputError
from hdgen.project import Project
from hdgen.report import Report


def env_folders_of(project: Project, envs: Sequence[str]) -> dict[str, list[Path]]:
    """Each env's rendered folders: the applied folder, plus its GitOps agent objects if any."""
    folders = {}
    for env in envs:
        folder = project.rendered_dir / env
        if not folder.is_dir():
            raise InputError(f"{project.relative(folder)}: env {env!r} is not rendered: run `hdgen render {env}`")
        agent_folder = project.agent_dir(env)
        folders[env] = [folder] + ([agent_folder] if agent_folder.is_dir() else [])
    return folders


def validate_targets(
    project: Project,
    env_folders: dict[str, list[Path]],
    paths: Sequence[Path] = (),
    *,
    rules: str = "all",
    kubernetes_version: str | None = None,
    skip_kinds: Sequence[str] = (),
    server=None,  # hdgen.kubeapi.ApiClient: also server-side dry-run every object (`validate --server`)
) -> Report:
    from hdgen import kubeconform
    from hdgen.finding import Finding
    from hdgen.loader import load_documents, manifest_files
    from hdgen.rules import RULES, make_context, run_rules, select_rules
    from hdgen.schemas import DEFAULT_KUBERNETES_VERSION, check_version
    from hdgen.settings import load_settings

    settings = load_settings(project.root)
    version = check_version(kubernetes_version or settings.validate_.kubernetes_version or DEFAULT_KUBERNETES_VERSION)
    selected = select_rules(rules, settings)
    source = kubeconform.SchemaSource(project.schemas_dir, version)

    # One group per rendered env (its folder plus its GitOps agent objects) and one for
    # the other paths: rules that resolve references look only within their own group.
    groups = [(env, folders, project.root) for env, folders in env_folders.items()]
    if paths:
        groups.append((None, list(paths), Path.cwd()))
    documents, findings, files = [], [], 0
    applied = []  # what the GitOps agent applies: not the agent's own objects, which are bootstrapped by hand
    for env, folders, shown_from in groups:
        group_documents, group_findings = load_documents(folders, shown_from)
        agent_prefixes = tuple(f"{project.relative(f)}/" for f in folders[1:]) if env else ()
        applied += [d for d in group_documents if not (agent_prefixes and d.file.startswith(agent_prefixes))]
        context = make_context(group_documents, settings=settings, env=env, kubernetes_version=version)
        findings += group_findings + run_rules(group_documents, selected, context)
        documents += group_documents
        files += len(manifest_files(folders))
    if documents:
        source.check()  # before looking for the binary: a missing schema folder is an input error
        binary = kubeconform.find_binary(project.root)
        findings += kubeconform.validate(documents, source, binary, [*settings.validate_.skip_kinds, *skip_kinds])
    if server is not None and applied:
        from hdgen.serverdryrun import dry_run

        findings += dry_run(applied, server)
    findings.sort(key=Finding.sort_key)
    descriptions = {rule.id: rule.summary for rule in RULES.values()}
    return Report(findings=findings, resources=len(documents), files=files, rule_descriptions=descriptions)
