# Compiled from templates/redis/service.yaml.j2: generated, do not edit.
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'redis/service.yaml.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_namespace = resolve('namespace')
    l_0_labels = resolve('labels')
    l_0_selector = resolve('selector')
    l_0_port = resolve('port')
    try:
        t_1 = environment.filters['tojson']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'tojson' found.")
    pass
    yield 'apiVersion: v1\nkind: Service\nmetadata:\n  name: redis\n  namespace: '
    yield str(t_1((undefined(name='namespace') if l_0_namespace is missing else l_0_namespace)))
    yield '\n  labels: '
    yield str(t_1(context.call((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'redis', 'cache')))
    yield '\nspec:\n  type: ClusterIP\n  selector: '
    yield str(t_1(context.call((undefined(name='selector') if l_0_selector is missing else l_0_selector), 'redis')))
    yield '\n  ports:\n    - name: redis\n      port: '
    yield str((undefined(name='port') if l_0_port is missing else l_0_port))
    yield '\n      targetPort: redis\n      protocol: TCP\n'

blocks = {}
debug_info = '5=22&6=24&9=26&12=28'
