# Compiled from templates/gitops/flux-kustomization.yaml.j2: generated, do not edit.
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'gitops/flux-kustomization.yaml.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_name = resolve('name')
    l_0_agent_namespace = resolve('agent_namespace')
    l_0_labels = resolve('labels')
    l_0_path = resolve('path')
    l_0_timeout_seconds = resolve('timeout_seconds')
    try:
        t_1 = environment.filters['tojson']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'tojson' found.")
    pass
    yield 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: '
    yield str(t_1((undefined(name='name') if l_0_name is missing else l_0_name)))
    yield '\n  namespace: '
    yield str(t_1((undefined(name='agent_namespace') if l_0_agent_namespace is missing else l_0_agent_namespace)))
    yield '\n  labels: '
    yield str(t_1(context.call((undefined(name='labels') if l_0_labels is missing else l_0_labels), (undefined(name='name') if l_0_name is missing else l_0_name), 'gitops')))
    yield '\nspec:\n  interval: 10m\n  sourceRef:\n    kind: GitRepository\n    name: '
    yield str(t_1((undefined(name='name') if l_0_name is missing else l_0_name)))
    yield '\n  path: '
    yield str(t_1(str_join(('./', (undefined(name='path') if l_0_path is missing else l_0_path), ))))
    yield "\n  # Git is the truth: objects removed from the tree are pruned.\n  prune: true\n  # Health checks: wait for every applied object to become ready, longer than\n  # the api's cold boot (the Deployments' progressDeadlineSeconds) before failing.\n  wait: true\n  timeout: "
    yield str(t_1(str_join(((undefined(name='timeout_seconds') if l_0_timeout_seconds is missing else l_0_timeout_seconds), 's', ))))
    yield '\n'

blocks = {}
debug_info = '4=23&5=25&6=27&11=29&12=31&18=33'
