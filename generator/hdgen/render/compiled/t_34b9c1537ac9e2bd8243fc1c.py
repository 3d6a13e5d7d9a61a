# Compiled from templates/namespace.yaml.j2: generated, do not edit.
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'namespace.yaml.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_namespace = resolve('namespace')
    l_0_labels = resolve('labels')
    l_0_pod_security = resolve('pod_security')
    try:
        t_1 = environment.filters['dictsort']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'dictsort' found.")
    try:
        t_2 = environment.filters['tojson']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'tojson' found.")
    pass
    yield 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: '
    yield str(t_2((undefined(name='namespace') if l_0_namespace is missing else l_0_namespace)))
    yield '\n  labels:\n'
    for (l_1_key, l_1_value) in t_1(context.call((undefined(name='labels') if l_0_labels is missing else l_0_labels), (undefined(name='namespace') if l_0_namespace is missing else l_0_namespace), 'namespace')):
        _loop_vars = {}
        pass
        yield '    '
        yield str(t_2(l_1_key))
        yield ': '
        yield str(t_2(l_1_value))
        yield '\n'
    l_1_key = l_1_value = missing
    yield '    # Pod Security admission: the API server refuses pods that break the enforced level.\n'
    for (l_1_key, l_1_value) in context.call(environment.getattr((undefined(name='pod_security') if l_0_pod_security is missing else l_0_pod_security), 'items')):
        _loop_vars = {}
        pass
        yield '    '
        yield str(t_2(l_1_key))
        yield ': '
        yield str(t_2(l_1_value))
        yield '\n'
    l_1_key = l_1_value = missing

blocks = {}
debug_info = '4=27&6=29&7=33&10=39&11=43'
