# Compiled from templates/gitops/flux-gitrepository.yaml.j2: generated, do not edit.
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'gitops/flux-gitrepository.yaml.j2'

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
    try:
        t_1 = environment.filters['tojson']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'tojson' found.")
    pass
    yield 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: '
    yield str(t_1((undefined(name='name') if l_0_name is missing else l_0_name)))
    yield '\n  namespace: '
    yield str(t_1((undefined(name='agent_namespace') if l_0_agent_namespace is missing else l_0_agent_namespace)))
    yield '\n  labels: '
    yield str(t_1(context.call((undefined(name='labels') if l_0_labels is missing else l_0_labels), (undefined(name='name') if l_0_name is missing else l_0_name), 'gitops')))
    yield '\nspec:\n  interval: '
    yield str(t_1(environment.getattr((undefined(name='gitops') if l_0_gitops is missing else l_0_gitops), 'sync_interval')))
    yield '\n  url: '
    yield str(t_1(environment.getattr((undefined(name='gitops') if l_0_gitops is missing else l_0_gitops), 'repo_url')))
    yield '\n  ref:\n    branch: '
    yield str(t_1(environment.getattr((undefined(name='gitops') if l_0_gitops is missing else l_0_gitops), 'revision')))
    yield '\n'
    if environment.getattr((undefined(name='gitops') if l_0_gitops is missing else l_0_gitops), 'credentials_secret'):
        pass
        yield '  secretRef:\n    name: '
        yield str(t_1(environment.getattr((undefined(name='gitops') if l_0_gitops is missing else l_0_gitops), 'credentials_secret')))
        yield '\n'

blocks = {}
debug_info = '4=22&5=24&6=26&8=28&9=30&11=32&12=34&14=37'
