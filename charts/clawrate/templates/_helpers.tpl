{{/*
Names are fixed, not derived from the release: the operator finds the raters by
app.kubernetes.io/name=clawrate-rater, CanaryReleases name the Services clawrate-rater-stable and
clawrate-rater-canary, and the leader Lease is clawrate-operator. One release per namespace.
*/}}

{{- define "clawrate.chart" -}}
{{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels every object carries; pass (dict "ctx" $ "name" "clawrate-rater" "component" "rater"). */}}
{{- define "clawrate.labels" -}}
helm.sh/chart: {{ include "clawrate.chart" .ctx }}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
app.kubernetes.io/part-of: clawrate
app.kubernetes.io/component: {{ .component }}
{{- with .ctx.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* The operator's pod labels and selector. */}}
{{- define "clawrate.operator.selector" -}}
app.kubernetes.io/name: clawrate-operator
app.kubernetes.io/component: operator
{{- end }}

{{/* A track's selector; pass (dict "track" "stable"). */}}
{{- define "clawrate.rater.selector" -}}
app.kubernetes.io/name: clawrate-rater
clawrate.dev/track: {{ .track }}
{{- end }}

{{- define "clawrate.operator.image" -}}
{{ .Values.operator.image.repository }}:{{ .Values.operator.image.tag | default .Chart.AppVersion }}
{{- end }}

{{- define "clawrate.rater.image" -}}
{{ .Values.raters.image.repository }}:{{ .Values.raters.image.tag | default .Chart.AppVersion }}
{{- end }}

{{/* The pod securityContext every pod runs with. */}}
{{- define "clawrate.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.podSecurityContext.runAsUser }}
runAsGroup: {{ .Values.podSecurityContext.runAsGroup }}
fsGroup: {{ .Values.podSecurityContext.fsGroup }}
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* The container securityContext every container runs with. */}}
{{- define "clawrate.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* Where the operator's rights on the custom resources and their Events apply. */}}
{{- define "clawrate.operator.crRoleKind" -}}
{{ if .Values.operator.watchNamespace }}Role{{ else }}ClusterRole{{ end }}
{{- end }}

{{/* NetworkPolicy pieces; pass .Values.networkPolicy. */}}
{{- define "clawrate.np.dns" -}}
- to:
    - namespaceSelector:
        {{- toYaml .dns.namespaceSelector | nindent 8 }}
      podSelector:
        {{- toYaml .dns.podSelector | nindent 8 }}
  ports:
    - port: 53
      protocol: UDP
    - port: 53
      protocol: TCP
{{- end }}
{{- define "clawrate.np.apiServer" -}}
- ports:
    {{- range .apiServer.ports }}
    - port: {{ . }}
      protocol: TCP
    {{- end }}
  {{- with .apiServer.cidrs }}
  to:
    {{- range . }}
    - ipBlock:
        cidr: {{ . }}
    {{- end }}
  {{- end }}
{{- end }}
{{- define "clawrate.np.monitoring" -}}
- namespaceSelector:
    {{- toYaml .monitoring.namespaceSelector | nindent 4 }}
  podSelector:
    {{- toYaml .monitoring.podSelector | nindent 4 }}
{{- end }}
