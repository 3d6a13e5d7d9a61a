"""Validation as one function: load documents, run the policy rules, run kubeconform, one Report.

Shared by `hdgen validate` and `hdgen ci`.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Sequence
from pathlib import Path

from hdgen.errors import InputError
from hdgen.project import Project
from hdgen.report.writers import Report


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
    cache: bool = True,
) -> Report:
    """Load, check and report.

    kubeconform starts first, on the files as they are, and runs while Python
    reads the same files and runs the policy rules: the two take about as long,
    so overlapping them nearly halves the wall time. Files kubeconform cannot be
    trusted to read the way hdgen's loader does (see _needs_own_text) have their
    documents checked afterwards, one scratch file each, as before.

    Unchanged inputs give the report of the last run from hdgen.validate.cache,
    before anything is parsed or started; --server runs are never cached.
    """
    from hdgen.validate import cache as validatecache
    from hdgen.objects.reader import manifest_files, shown_path

    # One group per rendered env (its folder plus its GitOps agent objects) and one for
    # the other paths: rules that resolve references look only within their own group.
    groups = [(env, manifest_files(folders), project.root) for env, folders in env_folders.items()]
    if paths:
        groups.append((None, manifest_files(paths), Path.cwd()))
    shown = [(env, [(file, shown_path(file, shown_from)) for file in files]) for env, files, shown_from in groups]
    inputs = _cache_inputs(project, shown, rules, kubernetes_version, skip_kinds) if cache and server is None else None
    key = None
    if inputs is not None:
        cached, key = validatecache.lookup(inputs)
        if cached is not None:
            return cached
    report, version = _validate(project, env_folders, shown, rules, kubernetes_version, skip_kinds, server)
    if inputs is not None:
        validatecache.store(inputs, key, version, report)
    return report


def _cache_inputs(project: Project, shown, rules: str, kubernetes_version: str | None, skip_kinds: Sequence[str]):
    """What the validation cache keys on, or None when kubeconform is not found (the run says so)."""
    from hdgen.validate import cache as validatecache
    from hdgen.errors import HdgenError
    from hdgen.validate.kubeconform_binary import find_binary

    try:
        binary = find_binary(project.root)
    except HdgenError:
        return None
    return validatecache.Inputs(project, shown, rules, kubernetes_version, tuple(skip_kinds), binary)


def _validate(
    project: Project,
    env_folders: dict[str, list[Path]],
    groups: list[tuple[str | None, list[tuple[Path, str]]]],
    rules: str,
    kubernetes_version: str | None,
    skip_kinds: Sequence[str],
    server,
) -> tuple[Report, str]:
    """The report of one run, uncached, and the Kubernetes version it validated against."""
    from hdgen.validate import kubeconform
    from hdgen.finding import Finding
    from hdgen.rules import RULES

    run = _settings_of_run(project, rules, kubernetes_version, skip_kinds)
    every_file = [file for _, files in groups for file, _ in files]
    # Started first: kubeconform runs while Python reads the same files and runs the rules.
    running = _start_early(kubeconform, every_file, run.source, project.root, run.skipped)
    try:
        read = _read_groups(project, env_folders, groups)
        findings = _rule_findings(read, run)
        findings += _schema_findings(project, kubeconform, running, read, run)
    finally:
        if running is not None:
            running.stop()
    if server is not None and read.applied:
        from hdgen.validate.server_dry_run import dry_run

        findings += dry_run(read.applied, server)
    findings.sort(key=Finding.sort_key)
    descriptions = {rule.id: rule.summary for rule in RULES.values()}
    files = sum(len(files) for _, files in groups)
    return Report(findings=findings, resources=len(read.documents), files=files, rule_descriptions=descriptions), run.version


# What one run checks with: hdgen.yaml's settings, the Kubernetes version, the rules, the schemas, the kinds skipped.
_RunSettings = namedtuple("_RunSettings", "settings version selected source skipped")


def _settings_of_run(project: Project, rules: str, kubernetes_version: str | None, skip_kinds: Sequence[str]):
    from hdgen.validate import kubeconform
    from hdgen.rules import select_rules
    from hdgen import kubeversions
    from hdgen.settings_file import load_settings
    from hdgen.validate.schemas import check_version

    settings = load_settings(project.root)
    version = check_version(kubernetes_version or settings.validate_.kubernetes_version or kubeversions.DEFAULT)
    selected = select_rules(rules, settings)
    source = kubeconform.SchemaSource(project.schemas_dir, version)
    return _RunSettings(settings, version, selected, source, [*settings.validate_.skip_kinds, *skip_kinds])


# loaded: (env, documents, findings) per group; documents: all of them; applied: what the GitOps
# agent applies; by_file: documents kubeconform reads in their file; own_text: the others.
_ReadGroups = namedtuple("_ReadGroups", "loaded documents applied by_file own_text")


def _read_groups(project: Project, env_folders: dict[str, list[Path]], groups) -> _ReadGroups:
    from hdgen.objects.reader import load_file

    # What the GitOps agent applies: not the agent's own objects, which are bootstrapped by hand.
    agent_dirs = [project.agent_dir(env) for env in env_folders]
    read = _ReadGroups([], [], [], {}, [])
    for env, files in groups:
        group_documents, group_findings = [], []
        for file, shown in files:
            file_documents, file_findings = load_file(file, shown)
            group_documents += file_documents
            group_findings += file_findings
            if not (env is not None and any(file.is_relative_to(d) for d in agent_dirs)):
                read.applied.extend(file_documents)
            if file_documents:
                if file_findings or _needs_own_text(file, file_documents):
                    read.own_text.extend(file_documents)
                else:
                    read.by_file[str(file)] = file_documents
        read.loaded.append((env, group_documents, group_findings))
        read.documents.extend(group_documents)
    return read


def _rule_findings(read: _ReadGroups, run: _RunSettings) -> list:
    """The read findings and the policy rules' findings, group by group (rules look within their group)."""
    from hdgen.rules import make_context, run_rules

    findings = []
    for env, group_documents, group_findings in read.loaded:
        context = make_context(group_documents, settings=run.settings, env=env, kubernetes_version=run.version)
        findings += group_findings + run_rules(group_documents, run.selected, context)
    return findings


def _schema_findings(project: Project, kubeconform, running, read: _ReadGroups, run: _RunSettings) -> list:
    """kubeconform's findings: from the early run on whole files, then one document at a time for the rest."""
    findings = []
    own_text = read.own_text
    if running is None:  # not started early: kubeconform or its schemas are missing, say so now
        own_text = read.documents
    elif read.documents:
        findings += kubeconform.file_findings(running, read.by_file, run.version)
    if own_text:
        run.source.check()  # before looking for the binary: a missing schema folder is an input error
        binary = kubeconform.find_binary(project.root)
        findings += kubeconform.validate(own_text, run.source, binary, run.skipped)
    return findings


def _start_early(kubeconform, files: list[Path], source, root: Path, skip_kinds: Sequence[str]):
    """kubeconform running on files, or None when it cannot start (the errors are raised later, if needed)."""
    from hdgen.errors import HdgenError

    if not files:
        return None
    try:
        source.check()
        return kubeconform.start_on_files(files, source, kubeconform.find_binary(root), skip_kinds)
    except HdgenError:
        return None


def _needs_own_text(file: Path, documents: list) -> bool:
    """Whether kubeconform might read file differently from hdgen's loader, or its results could
    not be told apart: then each document goes to kubeconform on its own.

    Plain UTF-8 YAML or JSON with `---` separators reads the same in both; a byte
    order mark, CR line ends, separators with text after them, `...` markers,
    two objects with the same kind, apiVersion and name (kubeconform's results do
    not name the namespace) or a typed list (ConfigMapList: kubeconform unpacks
    only `kind: List`) are left to the one-document-per-file path.
    """
    from hdgen.validate.kubeconform import signature

    if file.suffix.lower() not in (".yaml", ".yml", ".json"):
        return True
    if any(document.list_kind and document.list_kind.lower() != "list" for document in documents):
        return True
    signatures = [signature(document) for document in documents]
    if len(set(signatures)) != len(signatures):
        return True
    try:
        raw = file.read_bytes()
    except OSError:
        return True
    if raw.startswith(b"\xef\xbb\xbf") or b"\r" in raw:
        return True
    if b"---" not in raw and b"..." not in raw:  # no line can start with either
        return False
    return any(
        (line.startswith(b"---") and line != b"---") or line.startswith(b"...") for line in raw.split(b"\n")
    )
