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

{{- /* plan.security_contexts: the pod's securityContext, Pod Security `restricted` unless values relax it. */ -}}
{{- define "hd.podSecurity" -}}
{{- $pod := dict "runAsUser" .runAsUser "runAsGroup" .runAsGroup "seccompProfile" (dict "type" "RuntimeDefault") -}}
{{- if ne (int64 .runAsUser) 0 }}{{ $_ := set $pod "runAsNonRoot" true }}{{ end -}}
{{- if hasKey . "fsGroup" }}{{ $_ := merge $pod (dict "fsGroup" .fsGroup "fsGroupChangePolicy" "OnRootMismatch") }}{{ end -}}
{{- toJson $pod -}}
{{- end -}}

{{- /* plan.security_contexts: the container's securityContext. */ -}}
{{- define "hd.containerSecurity" -}}
{{- $capabilities := dict "drop" (list "ALL") -}}
{{- if .addCapabilities }}{{ $_ := set $capabilities "add" .addCapabilities }}{{ end -}}
{{- toJson (dict "allowPrivilegeEscalation" .allowPrivilegeEscalation "capabilities" $capabilities
  "readOnlyRootFilesystem" .readOnlyRootFilesystem) -}}
{{- end -}}

{{- /* plan.scratch_volumes: one emptyDir per writable path, by path (model.volume_name names it), as JSON. */ -}}
{{- define "hd.scratch" -}}
{{- $volumes := list -}}
{{- range $path, $size := .writablePaths -}}
{{- $slug := trimAll "-" (regexReplaceAll "[^a-z0-9]+" (lower $path) "-") -}}
{{- $name := regexReplaceAll "-+$" (trunc 63 (printf "writable-%s" $slug)) "" -}}
{{- $volumes = append $volumes (dict "name" $name "mountPath" $path "sizeLimit" $size) -}}
{{- end -}}
{{- toJson $volumes -}}
{{- end -}}

{{- /* quantities.value, whole: `256Mi` -> 268435456 (values hold only the model's QUANTITY pattern). */ -}}
{{- define "hd.bytes" -}}
{{- $number := regexFind "^[0-9]+(\\.[0-9]+)?" . -}}
{{- $scale := get (dict "" 1 "m" 0.001 "k" 1000 "M" 1e6 "G" 1e9 "T" 1e12 "P" 1e15 "E" 1e18
  "Ki" 1024 "Mi" 1048576 "Gi" 1073741824 "Ti" 1099511627776 "Pi" 1125899906842624 "Ei" 1152921504606846976)
  (trimPrefix $number .) -}}
{{- mulf $number $scale | int64 -}}
{{- end -}}

{{- /* quantities.redis_bytes / vmagent_bytes: the largest of GiB, MiB that divides a byte count, in the
program's spelling, else plain bytes. Argument: list bytes gib-suffix mib-suffix */ -}}
{{- define "hd.wholeBytes" -}}
{{- $size := int64 (index . 0) -}}
{{- if and $size (eq (mod $size 1073741824) 0) }}{{ div $size 1073741824 }}{{ index . 1 }}
{{- else if and $size (eq (mod $size 1048576) 0) }}{{ div $size 1048576 }}{{ index . 2 }}
{{- else }}{{ $size }}{{ end -}}
{{- end -}}

{{- /* plan.config_checksums: one annotation per ConfigMap key, a digest of its value, as JSON. */ -}}
{{- define "hd.configChecksums" -}}
{{- $checksums := dict -}}
{{- range $key, $value := . -}}
{{- $name := printf "config.%s" $key -}}
{{- if or (gt (len $name) 63) (not (regexMatch "^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$" $name)) -}}
{{- $name = printf "config.key-%s" (sha256sum $key | trunc 16) -}}
{{- end -}}
{{- $_ := set $checksums (printf "checksum/%s" $name) (sha256sum $value | trunc 16) -}}
{{- end -}}
{{- toJson $checksums -}}
{{- end -}}

{{- /* plan.checksum's text: json.dumps(data, sort_keys=True, ensure_ascii=False), Python's separators. */ -}}
{{- define "hd.pythonJson" -}}
{{- if kindIs "map" . -}}
{{- $items := list -}}
{{- range $key := keys . | sortAlpha }}{{ $items = append $items (printf "%s: %s" (toJson $key) (include "hd.pythonJson" (index $ $key))) }}{{ end -}}
{{- printf "{%s}" (join ", " $items) -}}
{{- else if kindIs "slice" . -}}
{{- $items := list -}}
{{- range . }}{{ $items = append $items (include "hd.pythonJson" .) }}{{ end -}}
{{- printf "[%s]" (join ", " $items) -}}
{{- else -}}
{{- /* Go escapes <, > and & in strings; Python does not. */ -}}
{{- toJson . | replace "\\u003c" "<" | replace "\\u003e" ">" | replace "\\u0026" "&" -}}
{{- end -}}
{{- end -}}

{{- /* rollout._agent: the GitOps agent, or "" */ -}}
{{- define "hd.agent" -}}
{{- with .Values.gitops }}{{ .agent }}{{ end -}}
{{- end -}}

{{- /* rollout._migrating: "true" when an app has a migration, else "" */ -}}
{{- define "hd.migrating" -}}
{{- range .Values.apps }}{{ if .migration }}true{{ break }}{{ end }}{{ end -}}
{{- end -}}
