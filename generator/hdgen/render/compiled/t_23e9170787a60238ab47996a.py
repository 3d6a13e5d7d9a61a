# Compiled from templates/redis/statefulset.yaml.j2: generated, do not edit.
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'redis/statefulset.yaml.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_namespace = resolve('namespace')
    l_0_labels = resolve('labels')
    l_0_service_name = resolve('service_name')
    l_0_selector = resolve('selector')
    l_0_node_arch = resolve('node_arch')
    l_0_pod_security = resolve('pod_security')
    l_0_container = resolve('container')
    l_0_args = resolve('args')
    l_0_redis = resolve('redis')
    l_0_resources = resolve('resources')
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
    yield 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: redis\n  namespace: '
    yield str(t_2((undefined(name='namespace') if l_0_namespace is missing else l_0_namespace)))
    yield '\n  labels: '
    yield str(t_2(context.call((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'redis', 'cache')))
    yield "\nspec:\n  # One replica with its own volume: a StatefulSet replaces the pod in place,\n  # where a Deployment's surge pod would wait forever on the ReadWriteOnce claim.\n  replicas: 1\n  serviceName: "
    yield str(t_2((undefined(name='service_name') if l_0_service_name is missing else l_0_service_name)))
    yield '\n  revisionHistoryLimit: 10\n  selector:\n    matchLabels: '
    yield str(t_2(context.call((undefined(name='selector') if l_0_selector is missing else l_0_selector), 'redis')))
    yield '\n  updateStrategy:\n    type: RollingUpdate\n  template:\n    metadata:\n      labels: '
    yield str(t_2(context.call((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'redis', 'cache')))
    yield '\n    spec:\n      automountServiceAccountToken: false\n      nodeSelector:\n        kubernetes.io/arch: '
    yield str(t_2((undefined(name='node_arch') if l_0_node_arch is missing else l_0_node_arch)))
    yield '\n      securityContext: '
    yield str(t_2((undefined(name='pod_security') if l_0_pod_security is missing else l_0_pod_security)))
    yield '\n      containers:\n        - name: redis\n          image: '
    yield str(t_2(environment.getattr((undefined(name='container') if l_0_container is missing else l_0_container), 'image')))
    yield '\n          imagePullPolicy: '
    yield str(t_2(environment.getattr((undefined(name='container') if l_0_container is missing else l_0_container), 'imagePullPolicy')))
    yield '\n          args: '
    yield str(t_2((undefined(name='args') if l_0_args is missing else l_0_args)))
    yield '\n          ports:\n            - name: redis\n              containerPort: '
    yield str(environment.getattr((undefined(name='redis') if l_0_redis is missing else l_0_redis), 'port'))
    yield '\n              protocol: TCP\n          resources: '
    yield str(t_2((undefined(name='resources') if l_0_resources is missing else l_0_resources)))
    yield '\n          readinessProbe:\n            exec:\n              command: [redis-cli, -p, '
    yield str(t_2(t_1(environment.getattr((undefined(name='redis') if l_0_redis is missing else l_0_redis), 'port'))))
    yield ', ping]\n            periodSeconds: 10\n            timeoutSeconds: 2\n            failureThreshold: 3\n          livenessProbe:\n            tcpSocket:\n              port: redis\n            initialDelaySeconds: 10\n            periodSeconds: 20\n            timeoutSeconds: 2\n            failureThreshold: 3\n          securityContext: '
    yield str(t_2((undefined(name='container_security') if l_0_container_security is missing else l_0_container_security)))
    yield '\n          volumeMounts:\n            - name: data\n              mountPath: /data\n'
    for l_1_volume in (undefined(name='scratch') if l_0_scratch is missing else l_0_scratch):
        _loop_vars = {}
        pass
        yield '            - name: '
        yield str(t_2(environment.getattr(l_1_volume, 'name')))
        yield '\n              mountPath: '
        yield str(t_2(environment.getattr(l_1_volume, 'mountPath')))
        yield '\n'
    l_1_volume = missing
    if (t_3(environment.getattr((undefined(name='redis') if l_0_redis is missing else l_0_redis), 'storage')) or (undefined(name='scratch') if l_0_scratch is missing else l_0_scratch)):
        pass
        yield '      volumes:\n'
        if t_3(environment.getattr((undefined(name='redis') if l_0_redis is missing else l_0_redis), 'storage')):
            pass
            yield '        - name: data\n          emptyDir:\n            sizeLimit: '
            yield str(t_2(environment.getattr((undefined(name='redis') if l_0_redis is missing else l_0_redis), 'data_size_limit')))
            yield '\n'
        for l_1_volume in (undefined(name='scratch') if l_0_scratch is missing else l_0_scratch):
            _loop_vars = {}
            pass
            yield '        - name: '
            yield str(t_2(environment.getattr(l_1_volume, 'name')))
            yield '\n          emptyDir:\n            sizeLimit: '
            yield str(t_2(environment.getattr(l_1_volume, 'sizeLimit')))
            yield '\n'
        l_1_volume = missing
    if (not t_3(environment.getattr((undefined(name='redis') if l_0_redis is missing else l_0_redis), 'storage'))):
        pass
        yield '  volumeClaimTemplates:\n    - metadata:\n        name: data\n        labels: '
        yield str(t_2(context.call((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'redis', 'cache')))
        yield '\n      spec:\n        accessModes: [ReadWriteOnce]\n'
        if environment.getattr(environment.getattr((undefined(name='redis') if l_0_redis is missing else l_0_redis), 'storage'), 'storage_class_name'):
            pass
            yield '        storageClassName: '
            yield str(t_2(environment.getattr(environment.getattr((undefined(name='redis') if l_0_redis is missing else l_0_redis), 'storage'), 'storage_class_name')))
            yield '\n'
        yield '        resources:\n          requests:\n            storage: '
        yield str(t_2(environment.getattr(environment.getattr((undefined(name='redis') if l_0_redis is missing else l_0_redis), 'storage'), 'size')))
        yield '\n'

blocks = {}
debug_info = '5=42&6=44&11=46&14=48&19=50&23=52&24=54&27=56&28=58&29=60&32=62&34=64&37=66&48=68&52=70&53=74&54=76&56=79&58=82&61=85&63=87&64=91&66=93&69=96&73=99&76=101&77=104&81=107'
