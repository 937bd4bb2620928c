"""The restore drill: back a county up, drop it, restore it, and find every table's row count and the
people table's checksum as they were; a copy under another code and a restore over the live county too.

The drill works on committed records of a county of its own ("drill", dropped again at the end), so
the commands run as an operator runs them: `manage.py backup_county` and `restore_county` in their
own processes against this run's test database, with pg_dump, pg_restore and psql of the cluster.
Checks of the drill county run in a thread of their own with its own connection (tests/ops/helpers.py):
the test's transaction must hold no lock on the tables that a restore drops.
"""

import datetime
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext as _

from members.models import Person
from tenants.backups import rename_schema
from tenants.models import County
from tests.conftest import in_county
from tests.ops.helpers import Operator, manage

pytestmark = pytest.mark.django_db

SLUG, COPY = "drill", "drillcopy"
PASSWORD = "Drill-pass-2026"


class DrillOperator(Operator):
    def change_people(self, added: int) -> None:
        """Rename everyone and add people: what the replaced county did after its backup."""
        from tests.factories import PersonFactory

        def change() -> None:
            with in_county(County.objects.get(slug=SLUG)):
                Person.objects.update(name="改过的名字")
                PersonFactory.create_batch(added, org=Person.objects.first().org)
            connection.set_schema_to_public()

        self.run(change)


def _fill(county: County) -> None:
    """Organizations, people, users and an admission under way: rows in many tables, viewflow's too."""
    from members.models import Stage
    from orgs.models import OrgKind, Role, RoleAssignment
    from tests.factories import OrganizationFactory, PersonFactory, UserFactory
    from workflows.services.admission import start_admission

    with in_county(county):
        committee = OrganizationFactory(kind=OrgKind.COMMITTEE, name="城关镇党委")
        branch = OrganizationFactory(parent=committee, name="东街社区党支部")
        secretary = UserFactory(username="secretary")
        RoleAssignment.objects.create(user=secretary, org=branch, role=Role.BRANCH_SECRETARY)
        PersonFactory.create_batch(25, org=branch)
        applicant = PersonFactory(org=branch, stage=Stage.APPLICANT)
        start_admission(actor=secretary, branch=branch, date=datetime.date.today(), person=applicant)


@pytest.fixture(scope="module")
def operator(django_db_setup, django_db_blocker) -> Iterator[DrillOperator]:
    operator = DrillOperator(django_db_blocker)
    yield operator
    operator.close()


@pytest.fixture(scope="module")
def drill(operator) -> Iterator[str]:
    """The drill county, committed; it and whatever the drill made of it are dropped at the end."""
    from tenants.services import create_county

    def clean() -> None:
        for slug in (SLUG, COPY):
            operator.drop(slug)
        for aside in operator.schemas(f"{SLUG}_old_"):
            operator.run(lambda name=aside: connection.cursor().execute(f'DROP SCHEMA "{name}" CASCADE'))

    clean()
    county = operator.run(lambda: create_county(slug=SLUG, name="演练县", admin_username="admin", admin_password=PASSWORD))
    operator.run(_fill, county)
    yield SLUG
    clean()


@pytest.fixture(scope="module")
def original(drill, operator) -> tuple[dict[str, int], str]:
    return operator.counts(SLUG), operator.checksum(SLUG)


@pytest.fixture(scope="module")
def archive(drill, original, tmp_path_factory) -> Path:
    result = manage("backup_county", SLUG, "--output", str(tmp_path_factory.mktemp("backups")))
    assert result.returncode == 0, result.stderr
    [path] = result.stdout.split()
    return Path(path)


def test_restore_drill_back_up_drop_restore_and_every_table_counts_the_same(drill, original, archive, operator):
    counts, checksum = original
    assert counts["members_person"] == 26  # 25 members and 1 applicant (_fill)
    assert counts["viewflow_process"] >= 1 and counts["orgs_organization"] == 3

    operator.drop(SLUG)
    assert operator.schemas(SLUG) == [] and operator.domains(SLUG) == []

    result = manage("restore_county", str(archive))

    assert result.returncode == 0, result.stderr
    assert f"Restored county {SLUG}" in result.stdout
    assert operator.counts(SLUG) == counts
    assert operator.checksum(SLUG) == checksum
    assert operator.domains(SLUG) == [f"{SLUG}.localhost"]


def test_a_backup_restores_as_a_copy_under_another_code_beside_the_live_county(drill, original, archive, operator):
    counts, checksum = original

    result = manage("restore_county", str(archive), "--as", COPY)

    assert result.returncode == 0, result.stderr
    assert operator.counts(COPY) == counts
    assert operator.checksum(COPY) == checksum
    assert operator.domains(COPY) == [f"{COPY}.localhost"]
    assert operator.counts(SLUG) == counts  # the live county is untouched


def test_restoring_over_a_live_county_is_refused_without_replace(drill, archive, operator):
    result = manage("restore_county", str(archive))

    assert result.returncode != 0
    # The command speaks the county's language (LANGUAGE_CODE), as an operator's terminal shows it.
    with translation.override(settings.LANGUAGE_CODE):
        refusal = _("County %(slug)s exists: restore it under another code, or replace it.") % {"slug": SLUG}
    assert refusal in result.stderr


def test_a_backup_replaces_the_live_county_whose_schema_is_kept_aside(drill, original, archive, operator):
    counts, checksum = original
    operator.change_people(added=2)
    assert operator.counts(SLUG)["members_person"] == counts["members_person"] + 2
    assert operator.checksum(SLUG) != checksum

    result = manage("restore_county", str(archive), "--replace")

    assert result.returncode == 0, result.stderr
    assert operator.counts(SLUG) == counts
    assert operator.checksum(SLUG) == checksum
    [aside] = operator.schemas(f"{SLUG}_old_")
    assert f"kept as {aside}" in result.stdout
    assert operator.counts(aside)["members_person"] == counts["members_person"] + 2


def test_backup_of_every_county_writes_one_archive_each(drill, tmp_path):
    result = manage("backup_county", "--all", "--output", str(tmp_path))

    assert result.returncode == 0, result.stderr
    names = sorted(Path(line).name.split("-")[0] for line in result.stdout.split())
    assert {"alpha", "beta", SLUG} <= set(names)


def test_renaming_the_schema_in_the_restore_script_leaves_the_rows_alone():
    script = [
        "CREATE SCHEMA drill;\n",
        "CREATE TABLE drill.members_person (id bigint NOT NULL, name text);\n",
        "COPY drill.members_person (id, name) FROM stdin;\n",
        "1\tdrill.members_person is a name here\n",
        "\\.\n",
        "SELECT pg_catalog.setval('drill.members_person_id_seq', 1, true);\n",
        "ALTER TABLE ONLY drill.members_person ADD CONSTRAINT pk PRIMARY KEY (id);\n",
    ]

    renamed = list(rename_schema(script, "drill", "copy2"))

    assert renamed == [
        'CREATE SCHEMA "copy2";\n',
        'CREATE TABLE "copy2".members_person (id bigint NOT NULL, name text);\n',
        'COPY "copy2".members_person (id, name) FROM stdin;\n',
        "1\tdrill.members_person is a name here\n",
        "\\.\n",
        "SELECT pg_catalog.setval('\"copy2\".members_person_id_seq', 1, true);\n",
        'ALTER TABLE ONLY "copy2".members_person ADD CONSTRAINT pk PRIMARY KEY (id);\n',
    ]
