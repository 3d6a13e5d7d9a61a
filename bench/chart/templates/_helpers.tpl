{{- /*
What hdgen computes in Python before its templates run (render/plan.py, render/images.py),
as named templates. Each hdgen template has one template of the same path here.
Values are hdgen's merged values as its model dumps them (every default filled, no nulls);
the release name is the env.
*/ -}}

{{- /* plan.labels: the recommended labels. Argument: list $ name component */ -}}
{{- define "hd.labels" -}}
{{- $root := index . 0 -}}
{{- toJson (dict
  "app.kubernetes.io/component" (index . 2)
  "app.kubernetes.io/instance" (printf "%s-%s" $root.Values.partOf $root.Release.Name)
  "app.kubernetes.io/managed-by" "hdgen"
  "app.kubernetes.io/name" (index . 1)
  "app.kubernetes.io/part-of" $root.Values.partOf) -}}
{{- end -}}

{{- /* plan.selector: the labels that never change. Argument: list $ name */ -}}
{{- define "hd.selector" -}}
{{- $root := index . 0 -}}
{{- toJson (dict
  "app.kubernetes.io/instance" (printf "%s-%s" $root.Values.partOf $root.Release.Name)
  "app.kubernetes.io/name" (index . 1)) -}}
{{- end -}}

{{- /* images.reference: repository:tag@digest. Argument: list image default-repository */ -}}
{{- define "hd.image" -}}
{{- $image := index . 0 -}}
{{- $ref := $image.repository | default (index . 1) -}}
{{- if $image.tag }}{{ $ref = printf "%s:%s" $ref $image.tag }}{{ end -}}
{{- if $image.digest }}{{ $ref = printf "%s@%s" $ref $image.digest }}{{ end -}}
{{- toJson $ref -}}
{{- end -}}

{{- /* plan.pull_policy: Always unless pinned by digest or a commit SHA tag (patterns.COMMIT_SHA). */ -}}
{{- define "hd.pullPolicy" -}}
{{- if or .digest (and .tag (regexMatch "^[0-9a-f]{7,40}$" .tag)) }}IfNotPresent{{ else }}Always{{ end -}}
{{- end -}}

{{- /* plan.probe: one handler, timings; a zero initialDelaySeconds is left out. */ -}}
{{- define "hd.probe" -}}
{{- $probe := dict "periodSeconds" .periodSeconds "timeoutSeconds" .timeoutSeconds "failureThreshold" .failureThreshold -}}
{{- if .httpGet }}{{ $_ := set $probe "httpGet" (dict "path" .httpGet.path "port" .httpGet.port) }}
{{- else if .exec }}{{ $_ := set $probe "exec" (dict "command" .exec) }}
{{- else }}{{ $_ := set $probe "tcpSocket" (dict "port" .tcpSocket) }}{{ end -}}
{{- if .initialDelaySeconds }}{{ $_ := set $probe "initialDelaySeconds" .initialDelaySeconds }}{{ end -}}
{{- toJson $probe -}}
{{- end -}}

{{- /* plan.scrape_config: vmagent's scrape config, laid out as hdgen's dumper writes it. */ -}}
{{- define "hd.scrapeConfig" -}}
global:
  scrape_interval: {{ .Values.observability.scrapeInterval }}
{{- with .Values.observability.externalLabels }}
  external_labels:
{{- range $key, $value := . }}
    {{ $key }}: {{ $value }}
{{- end }}
{{- end }}
scrape_configs:
- job_name: honeydue-pods
  kubernetes_sd_configs:
  - role: pod
    namespaces:
      names:
      - {{ .Values.namespace }}
  relabel_configs:
  - source_labels:
    - __meta_kubernetes_pod_annotation_prometheus_io_scrape
    action: keep
    regex: 'true'
  - source_labels:
    - __meta_kubernetes_pod_annotation_prometheus_io_path
    action: replace
    target_label: __metrics_path__
    regex: (.+)
  - source_labels:
    - __address__
    - __meta_kubernetes_pod_annotation_prometheus_io_port
    action: replace
    regex: ([^:]+)(?::\d+)?;(\d+)
    replacement: $1:$2
    target_label: __address__
  - source_labels:
    - __meta_kubernetes_pod_label_app_kubernetes_io_name
    target_label: app
  - source_labels:
    - __meta_kubernetes_pod_name
    target_label: pod
{{ end -}}
