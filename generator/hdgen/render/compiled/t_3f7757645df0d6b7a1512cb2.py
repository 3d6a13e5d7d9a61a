# Compiled from templates/redis/service.yaml.j2: generated, do not edit.
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'redis/service.yaml.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_name = resolve('name')
    l_0_namespace = resolve('namespace')
    l_0_labels = resolve('labels')
    l_0_headless = resolve('headless')
    l_0_selector = resolve('selector')
    l_0_port = resolve('port')
    try:
        t_1 = environment.filters['tojson']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'tojson' found.")
    pass
    yield 'apiVersion: v1\nkind: Service\nmetadata:\n  name: '
    yield str(t_1((undefined(name='name') if l_0_name is missing else l_0_name)))
    yield '\n  namespace: '
    yield str(t_1((undefined(name='namespace') if l_0_namespace is missing else l_0_namespace)))
    yield '\n  labels: '
    yield str(t_1(context.call((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'redis', 'cache')))
    yield '\nspec:\n  type: ClusterIP\n'
    if (undefined(name='headless') if l_0_headless is missing else l_0_headless):
        pass
        yield "  # Headless: the StatefulSet's governing Service, which gives redis-0 its stable DNS name.\n  clusterIP: None\n"
    yield '  selector: '
    yield str(t_1(context.call((undefined(name='selector') if l_0_selector is missing else l_0_selector), 'redis')))
    yield '\n  ports:\n    - name: redis\n      port: '
    yield str((undefined(name='port') if l_0_port is missing else l_0_port))
    yield '\n      targetPort: redis\n      protocol: TCP\n'

blocks = {}
debug_info = '4=24&5=26&6=28&9=30&13=34&16=36'
