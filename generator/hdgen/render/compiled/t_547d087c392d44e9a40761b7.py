# Compiled from templates/observability/deployment.yaml.j2: generated, do not edit.
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'observability/deployment.yaml.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_name = resolve('name')
    l_0_namespace = resolve('namespace')
    l_0_labels = resolve('labels')
    l_0_progress_deadline_seconds = resolve('progress_deadline_seconds')
    l_0_min_ready_seconds = resolve('min_ready_seconds')
    l_0_selector = resolve('selector')
    l_0_pod_annotations = resolve('pod_annotations')
    l_0_node_arch = resolve('node_arch')
    l_0_pod_security = resolve('pod_security')
    l_0_container = resolve('container')
    l_0_observability = resolve('observability')
    l_0_token_dir = resolve('token_dir')
    l_0_token = resolve('token')
    l_0_buffer_dir = resolve('buffer_dir')
    l_0_max_disk_usage = resolve('max_disk_usage')
    l_0_port = resolve('port')
    l_0_resources = resolve('resources')
    l_0_container_security = resolve('container_security')
    l_0_scratch = resolve('scratch')
    l_0_buffer_size_limit = resolve('buffer_size_limit')
    try:
        t_1 = environment.filters['tojson']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'tojson' found.")
    pass
    yield 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: '
    yield str(t_1((undefined(name='name') if l_0_name is missing else l_0_name)))
    yield '\n  namespace: '
    yield str(t_1((undefined(name='namespace') if l_0_namespace is missing else l_0_namespace)))
    yield '\n  labels: '
    yield str(t_1(context.call((undefined(name='labels') if l_0_labels is missing else l_0_labels), (undefined(name='name') if l_0_name is missing else l_0_name), 'observability')))
    yield '\nspec:\n  replicas: 1\n  revisionHistoryLimit: 10\n  progressDeadlineSeconds: '
    yield str((undefined(name='progress_deadline_seconds') if l_0_progress_deadline_seconds is missing else l_0_progress_deadline_seconds))
    yield '\n  minReadySeconds: '
    yield str((undefined(name='min_ready_seconds') if l_0_min_ready_seconds is missing else l_0_min_ready_seconds))
    yield '\n  selector:\n    matchLabels: '
    yield str(t_1(context.call((undefined(name='selector') if l_0_selector is missing else l_0_selector), (undefined(name='name') if l_0_name is missing else l_0_name))))
    yield '\n  strategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxSurge: 1\n      maxUnavailable: 0\n  template:\n    metadata:\n      labels: '
    yield str(t_1(context.call((undefined(name='labels') if l_0_labels is missing else l_0_labels), (undefined(name='name') if l_0_name is missing else l_0_name), 'observability')))
    yield '\n      annotations: '
    yield str(t_1((undefined(name='pod_annotations') if l_0_pod_annotations is missing else l_0_pod_annotations)))
    yield '\n    spec:\n      serviceAccountName: '
    yield str(t_1((undefined(name='name') if l_0_name is missing else l_0_name)))
    yield '\n      nodeSelector:\n        kubernetes.io/arch: '
    yield str(t_1((undefined(name='node_arch') if l_0_node_arch is missing else l_0_node_arch)))
    yield '\n      securityContext: '
    yield str(t_1((undefined(name='pod_security') if l_0_pod_security is missing else l_0_pod_security)))
    yield '\n      containers:\n        - name: '
    yield str(t_1((undefined(name='name') if l_0_name is missing else l_0_name)))
    yield '\n          image: '
    yield str(t_1(environment.getattr((undefined(name='container') if l_0_container is missing else l_0_container), 'image')))
    yield '\n          imagePullPolicy: '
    yield str(t_1(environment.getattr((undefined(name='container') if l_0_container is missing else l_0_container), 'imagePullPolicy')))
    yield '\n          args:\n            - -promscrape.config=/etc/vmagent/scrape.yml\n            - '
    yield str(t_1(str_join(('-remoteWrite.url=', environment.getattr((undefined(name='observability') if l_0_observability is missing else l_0_observability), 'remote_write_url'), ))))
    yield '\n            # The token is read from the mounted Secret at run time: it is never in this file.\n            - '
    yield str(t_1(str_join(('-remoteWrite.bearerTokenFile=', (undefined(name='token_dir') if l_0_token_dir is missing else l_0_token_dir), '/', environment.getattr((undefined(name='token') if l_0_token is missing else l_0_token), 'key'), ))))
    yield '\n            - '
    yield str(t_1(str_join(('-remoteWrite.tmpDataPath=', (undefined(name='buffer_dir') if l_0_buffer_dir is missing else l_0_buffer_dir), ))))
    yield "\n            # Below the buffer's sizeLimit: vmagent drops its oldest data before the kubelet evicts the pod.\n            - "
    yield str(t_1(str_join(('-remoteWrite.maxDiskUsagePerURL=', (undefined(name='max_disk_usage') if l_0_max_disk_usage is missing else l_0_max_disk_usage), ))))
    yield '\n            - '
    yield str(t_1(str_join(('-httpListenAddr=:', (undefined(name='port') if l_0_port is missing else l_0_port), ))))
    yield '\n          ports:\n            - name: http\n              containerPort: '
    yield str((undefined(name='port') if l_0_port is missing else l_0_port))
    yield '\n              protocol: TCP\n          resources: '
    yield str(t_1((undefined(name='resources') if l_0_resources is missing else l_0_resources)))
    yield '\n          readinessProbe:\n            httpGet:\n              path: /health\n              port: http\n            periodSeconds: 10\n            failureThreshold: 3\n          livenessProbe:\n            tcpSocket:\n              port: http\n            initialDelaySeconds: 10\n            periodSeconds: 20\n            failureThreshold: 3\n          securityContext: '
    yield str(t_1((undefined(name='container_security') if l_0_container_security is missing else l_0_container_security)))
    yield '\n          volumeMounts:\n            - name: config\n              mountPath: /etc/vmagent/scrape.yml\n              subPath: scrape.yml\n              readOnly: true\n            - name: remote-write-token\n              mountPath: '
    yield str(t_1((undefined(name='token_dir') if l_0_token_dir is missing else l_0_token_dir)))
    yield '\n              readOnly: true\n            - name: buffer\n              mountPath: '
    yield str(t_1((undefined(name='buffer_dir') if l_0_buffer_dir is missing else l_0_buffer_dir)))
    yield '\n'
    for l_1_volume in (undefined(name='scratch') if l_0_scratch is missing else l_0_scratch):
        _loop_vars = {}
        pass
        yield '            - name: '
        yield str(t_1(environment.getattr(l_1_volume, 'name')))
        yield '\n              mountPath: '
        yield str(t_1(environment.getattr(l_1_volume, 'mountPath')))
        yield '\n'
    l_1_volume = missing
    yield '      volumes:\n        - name: config\n          configMap:\n            name: '
    yield str(t_1(str_join(((undefined(name='name') if l_0_name is missing else l_0_name), '-config', ))))
    yield '\n        - name: remote-write-token\n          secret:\n            secretName: '
    yield str(t_1(environment.getattr((undefined(name='token') if l_0_token is missing else l_0_token), 'name')))
    yield '\n            items:\n              - key: '
    yield str(t_1(environment.getattr((undefined(name='token') if l_0_token is missing else l_0_token), 'key')))
    yield '\n                path: '
    yield str(t_1(environment.getattr((undefined(name='token') if l_0_token is missing else l_0_token), 'key')))
    yield '\n        - name: buffer\n          emptyDir:\n            sizeLimit: '
    yield str(t_1((undefined(name='buffer_size_limit') if l_0_buffer_size_limit is missing else l_0_buffer_size_limit)))
    yield '\n'
    for l_1_volume in (undefined(name='scratch') if l_0_scratch is missing else l_0_scratch):
        _loop_vars = {}
        pass
        yield '        - name: '
        yield str(t_1(environment.getattr(l_1_volume, 'name')))
        yield '\n          emptyDir:\n            sizeLimit: '
        yield str(t_1(environment.getattr(l_1_volume, 'sizeLimit')))
        yield '\n'
    l_1_volume = missing

blocks = {}
debug_info = '4=38&5=40&6=42&10=44&11=46&13=48&21=50&22=52&24=54&26=56&27=58&29=60&30=62&31=64&34=66&36=68&37=70&39=72&40=74&43=76&45=78&58=80&65=82&68=84&69=86&70=90&71=92&76=96&79=98&81=100&82=102&85=104&86=106&87=110&89=112'
