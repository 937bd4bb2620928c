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


def zeros(config: dict) -> list[dict]:
    """Every award at 0 and every deduction at 0: a sheet with nothing to its credit."""
    return [{"criterion": code, "value": "0", "reason": "无相关材料"} for code in read_system(config).criteria]


def run_through(tree, assessment, *, sheet: list[dict], report: str, ballots: dict, on: str, assessor=None, owner=None,
                vetoes: tuple[str, ...] = ()):
    """Every stage of an opened assessment, by the services, the same sheet for the self-assessment and the
    on-site check; the result confirmed on `on` (YYYY-MM-DD)."""
    import datetime

    from scoring.assessment import services

    assessor = assessor or tree.reviewer
    owner = owner or tree.secretary
    day = datetime.date.fromisoformat(on)
    services.save_sheet(actor=owner, assessment=assessment, stage="self", scores=sheet)
    services.record_stage(actor=owner, assessment=assessment, stage="self", date=day, data={"report": "自评报告"})
    services.save_sheet(actor=assessor, assessment=assessment, stage="onsite", scores=sheet)
    services.record_stage(actor=assessor, assessment=assessment, stage="onsite", date=day)
    services.record_stage(actor=assessor, assessment=assessment, stage="report", date=day,
                          data={"meeting_on": on, "report": "述职", "appraisers": 7, "score": report})
    services.record_stage(actor=assessor, assessment=assessment, stage="satisfaction", date=day, data=ballots)
    for code in vetoes:
        services.record_finding(actor=assessor, assessment=assessment, code=code, reason="经查属实", date=day)
    services.record_stage(actor=assessor, assessment=assessment, stage="confirmation", date=day)
    assessment.refresh_from_db()
    return assessment
