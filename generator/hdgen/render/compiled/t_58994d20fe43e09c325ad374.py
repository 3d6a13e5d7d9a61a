# Compiled from templates/app/hpa.yaml.j2: generated, do not edit.
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'app/hpa.yaml.j2'

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
    l_0_behavior = resolve('behavior')
    try:
        t_1 = environment.filters['tojson']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'tojson' found.")
    pass
    yield 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: '
    yield str(t_1((undefined(name='name') if l_0_name is missing else l_0_name)))
    yield '\n  namespace: '
    yield str(t_1((undefined(name='namespace') if l_0_namespace is missing else l_0_namespace)))
    yield '\n  labels: '
    yield str(t_1(context.call((undefined(name='labels') if l_0_labels is missing else l_0_labels), (undefined(name='name') if l_0_name is missing else l_0_name), environment.getattr((undefined(name='app') if l_0_app is missing else l_0_app), 'component'))))
    yield '\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: '
    yield str(t_1((undefined(name='name') if l_0_name is missing else l_0_name)))
    yield '\n  minReplicas: '
    yield str(environment.getattr(environment.getattr((undefined(name='app') if l_0_app is missing else l_0_app), 'autoscaling'), 'min_replicas'))
    yield '\n  maxReplicas: '
    yield str(environment.getattr(environment.getattr((undefined(name='app') if l_0_app is missing else l_0_app), 'autoscaling'), 'max_replicas'))
    yield '\n  metrics:\n    - type: Resource\n      resource:\n        name: cpu\n        target:\n          type: Utilization\n          averageUtilization: '
    yield str(environment.getattr(environment.getattr((undefined(name='app') if l_0_app is missing else l_0_app), 'autoscaling'), 'target_cpu_utilization'))
    yield '\n  behavior: '
    yield str(t_1((undefined(name='behavior') if l_0_behavior is missing else l_0_behavior)))
    yield '\n'

blocks = {}
debug_info = '4=23&5=25&6=27&11=29&12=31&13=33&20=35&21=37'
