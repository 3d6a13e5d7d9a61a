# Compiled from templates/traefik/ingressroute.yaml.j2: generated, do not edit.
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'traefik/ingressroute.yaml.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_name = resolve('name')
    l_0_namespace = resolve('namespace')
    l_0_object_labels = resolve('object_labels')
    l_0_annotations = resolve('annotations')
    l_0_class_name = resolve('class_name')
    l_0_entry_points = resolve('entry_points')
    l_0_routes = resolve('routes')
    l_0_tls = resolve('tls')
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
    yield 'apiVersion: traefik.io/v1alpha1\nkind: IngressRoute\nmetadata:\n  name: '
    yield str(t_1((undefined(name='name') if l_0_name is missing else l_0_name)))
    yield '\n  namespace: '
    yield str(t_1((undefined(name='namespace') if l_0_namespace is missing else l_0_namespace)))
    yield '\n  labels: '
    yield str(t_1((undefined(name='object_labels') if l_0_object_labels is missing else l_0_object_labels)))
    yield '\n'
    if (undefined(name='annotations') if l_0_annotations is missing else l_0_annotations):
        pass
        yield '  annotations: '
        yield str(t_1((undefined(name='annotations') if l_0_annotations is missing else l_0_annotations)))
        yield '\n'
    yield 'spec:\n  ingressClassName: '
    yield str(t_1((undefined(name='class_name') if l_0_class_name is missing else l_0_class_name)))
    yield '\n'
    if (undefined(name='entry_points') if l_0_entry_points is missing else l_0_entry_points):
        pass
        yield '  entryPoints: '
        yield str(t_1((undefined(name='entry_points') if l_0_entry_points is missing else l_0_entry_points)))
        yield '\n'
    yield '  routes:\n'
    for l_1_route in (undefined(name='routes') if l_0_routes is missing else l_0_routes):
        l_1_priority = resolve('priority')
        _loop_vars = {}
        pass
        yield '    - kind: Rule\n      match: '
        yield str(t_1(environment.getattr(l_1_route, 'match')))
        yield "\n      # Above the Ingress's router for the same rule, which stays as the fallback to the stable pods.\n      priority: "
        yield str((undefined(name='priority') if l_1_priority is missing else l_1_priority))
        yield '\n'
        if environment.getattr(l_1_route, 'middlewares'):
            pass
            yield '      middlewares: '
            yield str(t_1(environment.getattr(l_1_route, 'middlewares')))
            yield '\n'
        yield '      services:\n        - kind: TraefikService\n          name: '
        yield str(t_1((undefined(name='name') if l_0_name is missing else l_0_name)))
        yield '\n'
    l_1_route = l_1_priority = missing
    if (not t_2((undefined(name='tls') if l_0_tls is missing else l_0_tls))):
        pass
        yield '  tls: '
        yield str(t_1((undefined(name='tls') if l_0_tls is missing else l_0_tls)))
        yield '\n'

blocks = {}
debug_info = '4=32&5=34&6=36&7=38&8=41&11=44&12=46&13=49&16=52&18=57&20=59&21=61&22=64&26=67&28=70&29=73'
