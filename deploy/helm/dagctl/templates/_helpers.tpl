{{- define "dagctl.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}{{ .Release.Name | trunc 50 | trimSuffix "-" }}{{- else -}}{{ printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" }}{{- end -}}
{{- end -}}

{{- define "dagctl.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "dagctl.selector" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "dagctl.image" -}}
{{ printf "%s/%s:%s" .root.Values.image.repository .name (default .root.Chart.AppVersion .root.Values.image.tag) }}
{{- end -}}

{{- define "dagctl.tokenSecret" -}}
{{- default (printf "%s-api-token" (include "dagctl.fullname" .)) .Values.auth.existingSecret -}}
{{- end -}}

{{- define "dagctl.dispatchTopic" -}}
{{ .Values.topics.prefix }}.dispatch
{{- end -}}

{{- define "dagctl.kafkaSecret" -}}
{{- default (printf "%s-kafka" (include "dagctl.fullname" .)) .Values.kafka.existingSecret -}}
{{- end -}}

{{- define "dagctl.kafkaSecured" -}}
{{- if or .Values.kafka.existingSecret .Values.kafka.properties }}true{{ end -}}
{{- end -}}

{{/* the Kafka client settings, mounted where DAGCTL_KAFKA_PROPERTIES_FILE points */}}
{{- define "dagctl.kafkaVolumeMount" -}}
{{- if include "dagctl.kafkaSecured" . }}
- name: kafka-client
  mountPath: /etc/dagctl/kafka
  readOnly: true
{{- end }}
{{- end -}}

{{- define "dagctl.kafkaVolume" -}}
{{- if include "dagctl.kafkaSecured" . }}
- name: kafka-client
  secret:
    secretName: {{ include "dagctl.kafkaSecret" . }}
{{- end }}
{{- end -}}

{{/* settings both services read */}}
{{- define "dagctl.commonEnv" -}}
- name: DAGCTL_KAFKA_BOOTSTRAP_SERVERS
  value: {{ .Values.kafka.bootstrapServers | quote }}
{{- if include "dagctl.kafkaSecured" . }}
- name: DAGCTL_KAFKA_PROPERTIES_FILE
  value: /etc/dagctl/kafka/kafka.properties
{{- end }}
- name: DAGCTL_TOPICS_PREFIX
  value: {{ .Values.topics.prefix | quote }}
- name: DAGCTL_LOG_JSON
  value: {{ .Values.logs.json | quote }}
{{- if .Values.otel.endpoint }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ .Values.otel.endpoint | quote }}
- name: OTEL_TRACES_SAMPLER_ARG
  value: {{ .Values.otel.samplerRatio | quote }}
{{- end }}
{{- end -}}

{{- /*
The worker pools as a YAML list: each pool is the worker settings overridden by its own entry (deep merge), with a
name and its queues. Without workerPools, one pool named "" (Deployment <fullname>-worker) serving the default queue.
*/ -}}
{{- define "dagctl.workerPools" -}}
{{- $pools := list -}}
{{- $names := dict -}}
{{- if .Values.workerPools -}}
{{- range $i, $entry := .Values.workerPools -}}
{{- $name := toString (default "" $entry.name) -}}
{{- if not (regexMatch "^[a-z0-9]([a-z0-9-]{0,28}[a-z0-9])?$" $name) -}}
{{- fail (printf "workerPools[%d].name %q must be 1 to 30 lower-case letters, digits and '-' (part of a Kubernetes name)" $i $name) -}}
{{- end -}}
{{- if hasKey $names $name -}}
{{- fail (printf "workerPools[%d].name %q is used twice" $i $name) -}}
{{- end -}}
{{- $_ := set $names $name true -}}
{{- $longest := printf "%s-worker-%s-metrics" (include "dagctl.fullname" $) $name -}}
{{- if gt (len $longest) 63 -}}
{{- fail (printf "workerPools[%d].name %q makes the Service name %s, over Kubernetes' 63 characters: shorten the pool's or the release's name" $i $name $longest) -}}
{{- end -}}
{{- if not $entry.queues -}}
{{- fail (printf "workerPools[%d] (%s) needs queues: the queues its workers serve, e.g. [default] or [gpu]" $i $name) -}}
{{- end -}}
{{- range $entry.queues -}}
{{- if not (regexMatch "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$" (toString .)) -}}
{{- fail (printf "workerPools[%d] (%s): queue %q must be letters, digits, '_' and '-', starting with a letter or digit, at most 64" $i $name (toString .)) -}}
{{- end -}}
{{- end -}}
{{- $pools = append $pools (mergeOverwrite (deepCopy $.Values.worker) (deepCopy $entry)) -}}
{{- end -}}
{{- else -}}
{{- $pools = list (mergeOverwrite (deepCopy .Values.worker) (dict "name" "" "queues" (list "default"))) -}}
{{- end -}}
{{- toYaml $pools -}}
{{- end -}}

{{- /* A queue's dispatch topic: the default queue's is <prefix>.dispatch, every other's <prefix>.dispatch.<queue>. */ -}}
{{- define "dagctl.queueTopic" -}}
{{- if eq .queue "default" -}}{{ .prefix }}.dispatch{{- else -}}{{ .prefix }}.dispatch.{{ .queue }}{{- end -}}
{{- end -}}
