# Compiled from templates/network/allow-ingress-controller.yaml.j2: generated, do not edit.
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'network/allow-ingress-controller.yaml.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_namespace = resolve('namespace')
    l_0_labels = resolve('labels')
    l_0_apps = resolve('apps')
    l_0_controller = resolve('controller')
    l_0_ports = resolve('ports')
    try:
        t_1 = environment.filters['tojson']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'tojson' found.")
    pass
    yield 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: allow-ingress-controller\n  namespace: '
    yield str(t_1((undefined(name='namespace') if l_0_namespace is missing else l_0_namespace)))
    yield '\n  labels: '
    yield str(t_1(context.call((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'allow-ingress-controller', 'network')))
    yield '\nspec:\n  # The ingress controller reaches the apps that the Ingress routes to, on their http port.\n  podSelector:\n    matchExpressions:\n      - key: app.kubernetes.io/name\n        operator: In\n        values: '
    yield str(t_1((undefined(name='apps') if l_0_apps is missing else l_0_apps)))
    yield '\n  policyTypes: [Ingress]\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              kubernetes.io/metadata.name: '
    yield str(t_1(environment.getattr((undefined(name='controller') if l_0_controller is missing else l_0_controller), 'namespace')))
    yield '\n          podSelector:\n            matchLabels: '
    yield str(t_1(environment.getattr((undefined(name='controller') if l_0_controller is missing else l_0_controller), 'pod_labels')))
    yield '\n      ports:\n'
    for l_1_port in (undefined(name='ports') if l_0_ports is missing else l_0_ports):
        _loop_vars = {}
        pass
        yield '        - port: '
        yield str(l_1_port)
        yield '\n          protocol: TCP\n'
    l_1_port = missing

blocks = {}
debug_info = '5=23&6=25&13=27&19=29&21=31&23=33&24=37'
