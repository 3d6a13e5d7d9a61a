# Compiled from templates/app/pdb.yaml.j2: generated, do not edit.
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'app/pdb.yaml.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_name = resolve('name')
    l_0_namespace = resolve('namespace')
    l_0_labels = resolve('labels')
    l_0_app = resolve('app')
    l_0_selector = resolve('selector')
    l_0_budget = resolve('budget')
    try:
        t_1 = environment.filters['tojson']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'tojson' found.")
    try:
        t_2 = environment.tests['none']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No test named 'none' found.")
    pass
    yield 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: '
    yield str(t_1((undefined(name='name') if l_0_name is missing else l_0_name)))
    yield '\n  namespace: '
    yield str(t_1((undefined(name='namespace') if l_0_namespace is missing else l_0_namespace)))
    yield '\n  labels: '
    yield str(t_1(context.call((undefined(name='labels') if l_0_labels is missing else l_0_labels), (undefined(name='name') if l_0_name is missing else l_0_name), environment.getattr((undefined(name='app') if l_0_app is missing else l_0_app), 'component'))))
    yield '\nspec:\n  selector:\n    matchLabels: '
    yield str(t_1(context.call((undefined(name='selector') if l_0_selector is missing else l_0_selector), (undefined(name='name') if l_0_name is missing else l_0_name))))
    yield '\n'
    if (not t_2(environment.getattr((undefined(name='budget') if l_0_budget is missing else l_0_budget), 'min_available'))):
        pass
        yield '  minAvailable: '
        yield str(t_1(environment.getattr((undefined(name='budget') if l_0_budget is missing else l_0_budget), 'min_available')))
        yield '\n'
    else:
        pass
        yield '  maxUnavailable: '
        yield str(t_1(environment.getattr((undefined(name='budget') if l_0_budget is missing else l_0_budget), 'max_unavailable')))
        yield '\n'
    yield '  # A crash-looping pod is never "healthy": without this it would count against the budget and block drains.\n  unhealthyPodEvictionPolicy: AlwaysAllow\n'

blocks = {}
debug_info = '4=30&5=32&6=34&9=36&10=38&11=41&13=46'
