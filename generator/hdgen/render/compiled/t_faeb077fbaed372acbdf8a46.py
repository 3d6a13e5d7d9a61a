# Compiled from templates/ingress/ingress.yaml.j2: generated, do not edit.
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'ingress/ingress.yaml.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_namespace = resolve('namespace')
    l_0_labels = resolve('labels')
    l_0_annotations = resolve('annotations')
    l_0_ingress = resolve('ingress')
    l_0_tls = resolve('tls')
    l_0_hosts = resolve('hosts')
    try:
        t_1 = environment.filters['tojson']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'tojson' found.")
    pass
    yield 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: honeydue\n  namespace: '
    yield str(t_1((undefined(name='namespace') if l_0_namespace is missing else l_0_namespace)))
    yield '\n  labels: '
    yield str(t_1(context.call((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'honeydue', 'ingress')))
    yield '\n'
    if (undefined(name='annotations') if l_0_annotations is missing else l_0_annotations):
        pass
        yield '  annotations: '
        yield str(t_1((undefined(name='annotations') if l_0_annotations is missing else l_0_annotations)))
        yield '\n'
    yield 'spec:\n  ingressClassName: '
    yield str(t_1(environment.getattr((undefined(name='ingress') if l_0_ingress is missing else l_0_ingress), 'class_name')))
    yield '\n'
    if (undefined(name='tls') if l_0_tls is missing else l_0_tls):
        pass
        yield '  tls: '
        yield str(t_1((undefined(name='tls') if l_0_tls is missing else l_0_tls)))
        yield '\n'
    yield '  rules:\n'
    for (l_1_host, l_1_paths) in context.call(environment.getattr((undefined(name='hosts') if l_0_hosts is missing else l_0_hosts), 'items')):
        _loop_vars = {}
        pass
        yield '    - host: '
        yield str(t_1(l_1_host))
        yield '\n      http:\n        paths:\n'
        for l_2_route in l_1_paths:
            _loop_vars = {}
            pass
            yield '          - path: '
            yield str(t_1(environment.getattr(l_2_route, 'path')))
            yield '\n            pathType: Prefix\n            backend:\n              service:\n                name: '
            yield str(t_1(environment.getattr(l_2_route, 'service')))
            yield '\n                port:\n                  number: '
            yield str(environment.getattr(l_2_route, 'port'))
            yield '\n'
        l_2_route = missing
    l_1_host = l_1_paths = missing

blocks = {}
debug_info = '5=24&6=26&7=28&8=31&11=34&12=36&13=39&16=42&17=46&20=48&21=52&25=54&27=56'
