# Compiled from templates/app/deployment.yaml.j2: generated, do not edit.
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'app/deployment.yaml.j2'

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
    l_0_values = resolve('values')
    l_0_selector = resolve('selector')
    l_0_pod_annotations = resolve('pod_annotations')
    l_0_pod_security = resolve('pod_security')
    l_0_spread = resolve('spread')
    l_0_container = resolve('container')
    l_0_ports = resolve('ports')
    l_0_env_from = resolve('env_from')
    l_0_env_vars = resolve('env_vars')
    l_0_resources = resolve('resources')
    l_0_probes = resolve('probes')
    l_0_lifecycle = resolve('lifecycle')
    l_0_container_security = resolve('container_security')
    l_0_scratch = resolve('scratch')
    try:
        t_1 = environment.filters['string']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'string' found.")
    try:
        t_2 = environment.filters['tojson']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'tojson' found.")
    try:
        t_3 = environment.tests['none']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No test named 'none' found.")
    pass
    yield 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: '
    yield str(t_2((undefined(name='name') if l_0_name is missing else l_0_name)))
    yield '\n  namespace: '
    yield str(t_2((undefined(name='namespace') if l_0_namespace is missing else l_0_namespace)))
    yield '\n  labels: '
    yield str(t_2(context.call((undefined(name='labels') if l_0_labels is missing else l_0_labels), (undefined(name='name') if l_0_name is missing else l_0_name), environment.getattr((undefined(name='app') if l_0_app is missing else l_0_app), 'component'))))
    yield '\n'
    if (not t_3(environment.getattr((undefined(name='app') if l_0_app is missing else l_0_app), 'cold_boot_seconds'))):
        pass
        yield '  annotations:\n    # Read by policy rule HD003: the startup probe must cover this.\n    hdgen.io/cold-boot-seconds: '
        yield str(t_2(t_1(environment.getattr((undefined(name='app') if l_0_app is missing else l_0_app), 'cold_boot_seconds'))))
        yield '\n'
    yield 'spec:\n'
    if t_3(environment.getattr((undefined(name='app') if l_0_app is missing else l_0_app), 'autoscaling')):
        pass
        yield '  replicas: '
        yield str(environment.getattr((undefined(name='app') if l_0_app is missing else l_0_app), 'replicas'))
        yield '\n'
    yield '  revisionHistoryLimit: '
    yield str(environment.getattr((undefined(name='values') if l_0_values is missing else l_0_values), 'revision_history_limit'))
    yield '\n  progressDeadlineSeconds: '
    yield str(environment.getattr((undefined(name='values') if l_0_values is missing else l_0_values), 'progress_deadline_seconds'))
    yield '\n  minReadySeconds: '
    yield str(environment.getattr((undefined(name='values') if l_0_values is missing else l_0_values), 'min_ready_seconds'))
    yield '\n  selector:\n    matchLabels: '
    yield str(t_2(context.call((undefined(name='selector') if l_0_selector is missing else l_0_selector), (undefined(name='name') if l_0_name is missing else l_0_name))))
    yield '\n  strategy:\n    # One new pod at a time, and no old pod goes before its replacement is ready.\n    type: RollingUpdate\n    rollingUpdate:\n      maxSurge: 1\n      maxUnavailable: 0\n  template:\n    metadata:\n      labels: '
    yield str(t_2(context.call((undefined(name='labels') if l_0_labels is missing else l_0_labels), (undefined(name='name') if l_0_name is missing else l_0_name), environment.getattr((undefined(name='app') if l_0_app is missing else l_0_app), 'component'))))
    yield '\n'
    if (undefined(name='pod_annotations') if l_0_pod_annotations is missing else l_0_pod_annotations):
        pass
        yield '      annotations: '
        yield str(t_2((undefined(name='pod_annotations') if l_0_pod_annotations is missing else l_0_pod_annotations)))
        yield '\n'
    yield '    spec:\n      automountServiceAccountToken: false\n      nodeSelector:\n        kubernetes.io/arch: '
    yield str(t_2(environment.getattr((undefined(name='values') if l_0_values is missing else l_0_values), 'node_arch')))
    yield '\n'
    if environment.getattr((undefined(name='values') if l_0_values is missing else l_0_values), 'image_pull_secrets'):
        pass
        yield '      imagePullSecrets:\n'
        for l_1_secret in environment.getattr((undefined(name='values') if l_0_values is missing else l_0_values), 'image_pull_secrets'):
            _loop_vars = {}
            pass
            yield '        - name: '
            yield str(t_2(l_1_secret))
            yield '\n'
        l_1_secret = missing
    yield "      # Pod Security `restricted`: a numeric non-root user, the runtime's default seccomp profile.\n      securityContext: "
    yield str(t_2((undefined(name='pod_security') if l_0_pod_security is missing else l_0_pod_security)))
    yield '\n'
    if (undefined(name='spread') if l_0_spread is missing else l_0_spread):
        pass
        yield '      topologySpreadConstraints: '
        yield str(t_2((undefined(name='spread') if l_0_spread is missing else l_0_spread)))
        yield '\n'
    yield "      # Covers the preStop drain plus the app's own shutdown (the values model checks the sum).\n      terminationGracePeriodSeconds: "
    yield str(environment.getattr((undefined(name='app') if l_0_app is missing else l_0_app), 'termination_grace_period_seconds'))
    yield '\n      containers:\n        - name: '
    yield str(t_2((undefined(name='name') if l_0_name is missing else l_0_name)))
    yield '\n          image: '
    yield str(t_2(environment.getattr((undefined(name='container') if l_0_container is missing else l_0_container), 'image')))
    yield '\n          imagePullPolicy: '
    yield str(t_2(environment.getattr((undefined(name='container') if l_0_container is missing else l_0_container), 'imagePullPolicy')))
    yield '\n'
    if environment.getattr((undefined(name='app') if l_0_app is missing else l_0_app), 'command'):
        pass
        yield '          command: '
        yield str(t_2(environment.getattr((undefined(name='app') if l_0_app is missing else l_0_app), 'command')))
        yield '\n'
    if environment.getattr((undefined(name='app') if l_0_app is missing else l_0_app), 'args'):
        pass
        yield '          args: '
        yield str(t_2(environment.getattr((undefined(name='app') if l_0_app is missing else l_0_app), 'args')))
        yield '\n'
    if (undefined(name='ports') if l_0_ports is missing else l_0_ports):
        pass
        yield '          ports: '
        yield str(t_2((undefined(name='ports') if l_0_ports is missing else l_0_ports)))
        yield '\n'
    if (undefined(name='env_from') if l_0_env_from is missing else l_0_env_from):
        pass
        yield '          envFrom: '
        yield str(t_2((undefined(name='env_from') if l_0_env_from is missing else l_0_env_from)))
        yield '\n'
    if (undefined(name='env_vars') if l_0_env_vars is missing else l_0_env_vars):
        pass
        yield '          env: '
        yield str(t_2((undefined(name='env_vars') if l_0_env_vars is missing else l_0_env_vars)))
        yield '\n'
    yield '          resources: '
    yield str(t_2((undefined(name='resources') if l_0_resources is missing else l_0_resources)))
    yield '\n'
    for (l_1_kind, l_1_spec) in context.call(environment.getattr((undefined(name='probes') if l_0_probes is missing else l_0_probes), 'items')):
        _loop_vars = {}
        pass
        yield '          '
        yield str(l_1_kind)
        yield ': '
        yield str(t_2(l_1_spec))
        yield '\n'
    l_1_kind = l_1_spec = missing
    if (undefined(name='lifecycle') if l_0_lifecycle is missing else l_0_lifecycle):
        pass
        yield '          # Traefik and the endpoints stop sending requests before the app gets SIGTERM.\n          lifecycle: '
        yield str(t_2((undefined(name='lifecycle') if l_0_lifecycle is missing else l_0_lifecycle)))
        yield '\n'
    yield '          securityContext: '
    yield str(t_2((undefined(name='container_security') if l_0_container_security is missing else l_0_container_security)))
    yield '\n'
    if (undefined(name='scratch') if l_0_scratch is missing else l_0_scratch):
        pass
        yield '          volumeMounts:\n'
        for l_1_volume in (undefined(name='scratch') if l_0_scratch is missing else l_0_scratch):
            _loop_vars = {}
            pass
            yield '            - name: '
            yield str(t_2(environment.getattr(l_1_volume, 'name')))
            yield '\n              mountPath: '
            yield str(t_2(environment.getattr(l_1_volume, 'mountPath')))
            yield '\n'
        l_1_volume = missing
        yield '      volumes:\n'
        for l_1_volume in (undefined(name='scratch') if l_0_scratch is missing else l_0_scratch):
            _loop_vars = {}
            pass
            yield '        - name: '
            yield str(t_2(environment.getattr(l_1_volume, 'name')))
            yield '\n          emptyDir:\n            sizeLimit: '
            yield str(t_2(environment.getattr(l_1_volume, 'sizeLimit')))
            yield '\n'
        l_1_volume = missing

blocks = {}
debug_info = '4=48&5=50&6=52&7=54&10=57&13=60&14=63&16=66&17=68&18=70&20=72&29=74&30=76&31=79&36=82&37=84&39=87&40=91&44=95&45=97&46=100&49=103&51=105&52=107&53=109&54=111&55=114&57=116&58=119&60=121&61=124&63=126&64=129&66=131&67=134&69=137&70=139&71=143&73=148&75=151&77=154&78=156&80=159&81=163&82=165&85=169&86=173&88=175'
