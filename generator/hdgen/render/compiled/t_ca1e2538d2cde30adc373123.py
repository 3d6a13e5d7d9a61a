# Compiled from templates/app/migration-job.yaml.j2: generated, do not edit.
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'app/migration-job.yaml.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_job_name = resolve('job_name')
    l_0_namespace = resolve('namespace')
    l_0_object_labels = resolve('object_labels')
    l_0_annotations = resolve('annotations')
    l_0_migration = resolve('migration')
    l_0_pod_template = resolve('pod_template')
    try:
        t_1 = environment.filters['tojson']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'tojson' found.")
    pass
    yield 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  # <app>-migrate-<hash of the pod template>: a new image is a new Job, which the agent creates and so runs.\n  name: '
    yield str(t_1((undefined(name='job_name') if l_0_job_name is missing else l_0_job_name)))
    yield '\n  namespace: '
    yield str(t_1((undefined(name='namespace') if l_0_namespace is missing else l_0_namespace)))
    yield '\n  labels: '
    yield str(t_1((undefined(name='object_labels') if l_0_object_labels is missing else l_0_object_labels)))
    yield '\n  annotations: '
    yield str(t_1((undefined(name='annotations') if l_0_annotations is missing else l_0_annotations)))
    yield "\nspec:\n  # No ttlSecondsAfterFinished: a Job deleted by its TTL is one the agent creates, and runs, again.\n  # The finished Job and its pod's logs stay until the next image's migration replaces them.\n  backoffLimit: "
    yield str(environment.getattr((undefined(name='migration') if l_0_migration is missing else l_0_migration), 'backoff_limit'))
    yield '\n  activeDeadlineSeconds: '
    yield str(environment.getattr((undefined(name='migration') if l_0_migration is missing else l_0_migration), 'active_deadline_seconds'))
    yield '\n  template: '
    yield str(t_1((undefined(name='pod_template') if l_0_pod_template is missing else l_0_pod_template)))
    yield '\n'

blocks = {}
debug_info = '5=24&6=26&7=28&8=30&12=32&13=34&14=36'
