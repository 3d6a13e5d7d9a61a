# Compiled from templates/observability/configmap.yaml.j2: generated, do not edit.
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'observability/configmap.yaml.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_name = resolve('name')
    l_0_namespace = resolve('namespace')
    l_0_labels = resolve('labels')
    l_0_scrape_config = resolve('scrape_config')
    try:
        t_1 = environment.filters['tojson']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'tojson' found.")
    pass
    yield 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: '
    yield str(t_1(str_join(((undefined(name='name') if l_0_name is missing else l_0_name), '-config', ))))
    yield '\n  namespace: '
    yield str(t_1((undefined(name='namespace') if l_0_namespace is missing else l_0_namespace)))
    yield '\n  labels: '
    yield str(t_1(context.call((undefined(name='labels') if l_0_labels is missing else l_0_labels), (undefined(name='name') if l_0_name is missing else l_0_name), 'observability')))
    yield '\ndata:\n  scrape.yml: '
    yield str(t_1((undefined(name='scrape_config') if l_0_scrape_config is missing else l_0_scrape_config)))
    yield '\n'

blocks = {}
debug_info = '4=22&5=24&6=26&8=28'
