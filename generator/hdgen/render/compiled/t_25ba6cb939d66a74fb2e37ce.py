# Compiled from templates/traefik/traefikservice.yaml.j2: generated, do not edit.
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'traefik/traefikservice.yaml.j2'

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
    l_0_services = resolve('services')
    try:
        t_1 = environment.filters['tojson']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'tojson' found.")
    pass
    yield 'apiVersion: traefik.io/v1alpha1\nkind: TraefikService\nmetadata:\n  name: '
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
    yield "spec:\n  # The app's routed requests, split by weight (percent) between its Service and the canary's.\n  weighted:\n    services:\n"
    for l_1_service in (undefined(name='services') if l_0_services is missing else l_0_services):
        _loop_vars = {}
        pass
        yield '      - name: '
        yield str(t_1(environment.getattr(l_1_service, 'name')))
        yield '\n        port: '
        yield str(environment.getattr(l_1_service, 'port'))
        yield '\n        weight: '
        yield str(environment.getattr(l_1_service, 'weight'))
        yield '\n'
    l_1_service = missing

blocks = {}
debug_info = '4=23&5=25&6=27&7=29&8=32&14=35&15=39&16=41&17=43'
