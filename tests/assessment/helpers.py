"""Driving an assessment through its stages as the people who act on them, through the API."""

from scoring.assessment.config import read_system


def task_of(client, assessment_id: int, step: str) -> int:
    """The id of the open task of this step, as the client's inbox lists it."""
    tasks = client.get("/api/tasks/?flow=assessment").json()["results"]
    found = [t["id"] for t in tasks if t["process"] == _process(client, assessment_id) and t["step"] == step]
    assert found, f"{step} is not in this inbox: {[t['step'] for t in tasks]}"
    return found[0]


def _process(client, assessment_id: int) -> int:
    return client.get(f"/api/assessments/{assessment_id}/").json()["process"]


def complete(client, assessment_id: int, step: str, date: str, data: dict | None = None, decision: str = ""):
    response = client.post(
        f"/api/tasks/{task_of(client, assessment_id, step)}/complete/",
        {"decision": decision, "date": date, "data": data or {}},
        format="json",
    )
    assert response.status_code == 200, response.json()
    return response.json()


def full_marks(config: dict, but: dict | None = None) -> list[dict]:
    """Every award at its full points (deductions at 0), except the values given in `but` (criterion → value).

    Each line gives its reason, so that a value other than the system's evidence is accepted.
    """
    system = read_system(config)
    lines = []
    for code, (_indicator, criterion) in system.criteria.items():
        value = (but or {}).get(code, criterion.points if criterion.kind == "award" else 0)
        lines.append({"criterion": code, "value": str(value), "reason": "现场核实"})
    return lines
