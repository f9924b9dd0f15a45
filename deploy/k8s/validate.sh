#!/usr/bin/env bash
# Client-side schema validation of the manifests, no cluster needed: kustomize renders them (kubectl), then
# kubernetes-models' JSON schemas check every object (node + npm, installed into a temporary folder).
#   bash deploy/k8s/validate.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
kubectl kustomize "$here" > "$work/all.yaml"
(cd "$work" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund kubernetes-models@5.1.0 yaml@2 >/dev/null)
cp "$here/validate.mjs" "$work/"
(cd "$work" && node validate.mjs all.yaml)
