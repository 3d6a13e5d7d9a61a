# Compiled from templates/gitops/argocd-application.yaml.j2: generated, do not edit.
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'gitops/argocd-application.yaml.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_name = resolve('name')
    l_0_agent_namespace = resolve('agent_namespace')
    l_0_labels = resolve('labels')
    l_0_gitops = resolve('gitops')
    l_0_path = resolve('path')
    l_0_target_namespace = resolve('target_namespace')
    try:
        t_1 = environment.filters['tojson']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'tojson' found.")
    pass
    yield 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: '
    yield str(t_1((undefined(name='name') if l_0_name is missing else l_0_name)))
    yield '\n  namespace: '
    yield str(t_1((undefined(name='agent_namespace') if l_0_agent_namespace is missing else l_0_agent_namespace)))
    yield '\n  labels: '
    yield str(t_1(context.call((undefined(name='labels') if l_0_labels is missing else l_0_labels), (undefined(name='name') if l_0_name is missing else l_0_name), 'gitops')))
    yield '\nspec:\n  project: '
    yield str(t_1(environment.getattr((undefined(name='gitops') if l_0_gitops is missing else l_0_gitops), 'argocd_project')))
    yield '\n  source:\n    repoURL: '
    yield str(t_1(environment.getattr((undefined(name='gitops') if l_0_gitops is missing else l_0_gitops), 'repo_url')))
    yield '\n    targetRevision: '
    yield str(t_1(environment.getattr((undefined(name='gitops') if l_0_gitops is missing else l_0_gitops), 'revision')))
    yield '\n    path: '
    yield str(t_1((undefined(name='path') if l_0_path is missing else l_0_path)))
    yield '\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: '
    yield str(t_1((undefined(name='target_namespace') if l_0_target_namespace is missing else l_0_target_namespace)))
    yield '\n  syncPolicy:\n    # Git is the truth: objects removed from the tree are pruned, drift is reverted.\n    automated:\n      prune: true\n      selfHeal: true\n    syncOptions:\n      - ServerSideApply=true\n      - PruneLast=true\n    retry:\n      limit: 5\n      backoff:\n        duration: 10s\n        factor: 2\n        maxDuration: 3m\n'

blocks = {}
debug_info = '4=24&5=26&6=28&8=30&10=32&11=34&12=36&15=38'
