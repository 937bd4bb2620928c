"""The deployment files say what operations rely on: one beat, session pooling, probes that exist,
resource requests, autoscaling for web and worker only, a non-root image built from the lock file.

deploy/validate.sh checks the same files with `docker compose config` and `kubectl kustomize`."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings

from ops.middleware import ProbeMiddleware

DEPLOY = Path(settings.BASE_DIR) / "deploy"


def k8s_objects() -> list[dict]:
    found = []
    for path in sorted((DEPLOY / "k8s").glob("*.yaml")):
        found += [document for document in yaml.safe_load_all(path.read_text()) if document]
    return found


def k8s(kind: str, name: str) -> dict:
    [found] = [item for item in k8s_objects() if item["kind"] == kind and item["metadata"]["name"] == name]
    return found


def pod_spec(item: dict) -> dict:
    if item["kind"] == "CronJob":
        return item["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return item["spec"]["template"]["spec"]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def test_compose_runs_every_part_of_the_platform(compose):
    assert {"postgres", "pgbouncer", "redis", "migrate", "web", "worker", "beat", "nginx", "backup"} <= set(compose["services"])
    assert compose["services"]["web"]["command"][0] == "gunicorn"
    assert compose["services"]["postgres"]["image"] == "postgres:15"


def test_compose_runs_exactly_one_beat(compose):
    assert compose["services"]["beat"]["deploy"]["replicas"] == 1


def test_compose_pools_connections_in_session_mode_only(compose):
    assert compose["services"]["pgbouncer"]["environment"]["POOL_MODE"] == "session"
    assert "#732" in (DEPLOY / "compose.yaml").read_text()


def test_compose_migrates_counties_with_the_multiprocessing_executor(compose):
    assert compose["services"]["migrate"]["command"][-2:] == ["migrate_all", "--executor=multiprocessing"]


def test_nginx_answers_the_base_domain_and_every_county_under_it_over_tls():
    template = (DEPLOY / "nginx" / "templates" / "xianfeng.conf.template").read_text()
    assert "server_name ${BASE_DOMAIN} *.${BASE_DOMAIN};" in template
    assert "listen 443 ssl;" in template and "ssl_certificate /etc/nginx/certs/fullchain.pem;" in template
    assert "proxy_set_header Host $host;" in template
    assert "location = /metrics { return 404; }" in template


def test_the_image_is_built_in_stages_from_the_hashed_lock_file_and_runs_as_a_user():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert dockerfile.count("\nFROM ") + dockerfile.startswith("FROM ") >= 2
    assert "pip install --require-hashes --no-deps -r /tmp/requirements.lock" in dockerfile
    assert "manage.py collectstatic --noinput" in dockerfile
    assert "\nUSER 10001" in dockerfile
    assert "postgresql-client-15" in dockerfile


def test_kubernetes_runs_one_beat_and_never_two_during_a_rollout():
    beat = k8s("Deployment", "beat")
    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"] == {"type": "Recreate"}


def test_kubernetes_scales_web_and_worker_and_nothing_else():
    targets = {item["spec"]["scaleTargetRef"]["name"] for item in k8s_objects() if item["kind"] == "HorizontalPodAutoscaler"}
    assert targets == {"web", "worker"}


def test_kubernetes_probes_ask_paths_the_application_answers_on_any_host():
    [web] = pod_spec(k8s("Deployment", "web"))["containers"]
    assert web["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert web["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert {"/healthz", "/readyz"} <= set(ProbeMiddleware.views)
    [worker] = pod_spec(k8s("Deployment", "worker"))["containers"]
    assert worker["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "metrics"}


def test_every_kubernetes_container_requests_resources():
    workloads = [item for item in k8s_objects() if item["kind"] in {"Deployment", "Job", "CronJob"}]
    assert {item["metadata"]["name"] for item in workloads} >= {"web", "worker", "beat", "migrate", "pgbouncer", "backup"}
    for item in workloads:
        for container in pod_spec(item)["containers"]:
            assert {"cpu", "memory"} <= set(container["resources"]["requests"]), item["metadata"]["name"]


def test_kubernetes_migrates_in_a_job_straight_to_postgresql_with_the_multiprocessing_executor():
    [container] = pod_spec(k8s("Job", "migrate"))["containers"]
    assert container["command"] == ["python", "manage.py", "migrate_all", "--executor=multiprocessing"]
    [database] = [env for env in container["env"] if env["name"] == "DATABASE_URL"]
    assert database["valueFrom"]["secretKeyRef"]["key"] == "DIRECT_DATABASE_URL"


def test_kubernetes_pools_connections_in_session_mode_only():
    [container] = pod_spec(k8s("Deployment", "pgbouncer"))["containers"]
    assert {"name": "POOL_MODE", "value": "session"} in container["env"]
    assert "#732" in (DEPLOY / "k8s" / "pgbouncer.yaml").read_text()


def test_kubernetes_pods_run_as_the_images_user():
    for item in k8s_objects():
        if item["kind"] in {"Deployment", "Job", "CronJob"} and item["metadata"]["name"] != "pgbouncer":
            assert pod_spec(item)["securityContext"]["runAsNonRoot"] is True, item["metadata"]["name"]


def test_every_image_from_elsewhere_is_pinned_to_a_version(compose):
    """A redeploy pulls what was tested: no `latest`, no missing tag (our own image is tagged by the build)."""
    images = [service["image"] for service in compose["services"].values() if "image" in service]
    for item in k8s_objects():
        if item["kind"] in {"Deployment", "Job", "CronJob"}:
            images += [container["image"] for container in pod_spec(item)["containers"]]
    foreign = {image for image in images if not image.startswith("xianfeng")}
    assert {"postgres:15", "redis:7", "nginx:1.27", "edoburu/pgbouncer:v1.25.2-p0"} <= foreign
    for image in foreign:
        name, _, tag = image.rpartition(":")
        assert name and tag and tag != "latest", image
