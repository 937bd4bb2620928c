"""The audit history that cannot be quietly rewritten (docs/decisions/0007-history-chained-by-triggers.md).

Database triggers (django-pghistory) copy every insert, update and delete of the audited tables into
event tables here, whatever wrote them: the ORM, `.update()`, bulk writes or raw SQL. Event rows are
append-only (pgtrigger.Protect refuses UPDATE, DELETE and TRUNCATE). At commit, a deferred trigger
links each new event into its county's SHA-256 hash chain (`ChainLink`), which
`history.chain.verify_chain` checks.

The audited models are listed once, in AUDITED: add a model there and run
`manage.py makemigrations history`. The triggers sit on proxies of the audited models in this app,
so the migrations of the apps that own those models stay untouched. Adding, removing or retyping a
field of an audited model changes its event table too: run `makemigrations history` as well.
"""

import pghistory
import pgtrigger
from django.db import models
from django.utils.translation import gettext_lazy as _

from dues.models import Payment, Relief
from members.models import ArchiveAccessRequest, ArchiveEntry, ArchiveRead
from orgs.life.models import Appraisal, AppraisalResult, ElectedOfficer, Election
from workflows.models import AdmissionRecord, DispositionAppeal, DispositionCase, StepRecord

# Decisions, votes and ballots, payments, the member archive and who read it (issue 10).
AUDITED: tuple[type[models.Model], ...] = (
    StepRecord,
    AdmissionRecord,
    DispositionCase,
    DispositionAppeal,
    Appraisal,
    AppraisalResult,
    Election,
    ElectedOfficer,
    Payment,
    Relief,
    ArchiveEntry,
    ArchiveAccessRequest,
    ArchiveRead,
)

# The previous hash of a county's first event.
GENESIS_HASH = "0" * 64

# Links the event into its county's chain. A deferred constraint trigger runs while its transaction
# commits: the head row's lock (taken by the upsert) is held only from there to the end of the commit,
# and orders the county's committing transactions, so sequence numbers follow commit order with no gap
# and no fork. Names are qualified with the event table's own schema, so a raw INSERT from any
# search_path links into the right county. history_event_digest is created by migration 0001.
CHAIN_FUNC = f"""
EXECUTE format(
    'INSERT INTO %I.history_chainhead AS head (id, seq, hash) VALUES (1, 1, %L) '
    'ON CONFLICT (id) DO UPDATE SET seq = head.seq + 1 RETURNING head.seq, head.hash',
    TG_TABLE_SCHEMA, '{GENESIS_HASH}'
) INTO seq, prev;
EXECUTE format('SELECT %I.history_event_digest($1, $2, $3)', TG_TABLE_SCHEMA)
    INTO digest USING prev, TG_TABLE_NAME, NEW;
EXECUTE format('UPDATE %I.history_chainhead SET hash = $1 WHERE id = 1', TG_TABLE_SCHEMA) USING digest;
EXECUTE format(
    'INSERT INTO %I.history_chainlink (seq, event_table, event_id, prev_hash, hash) VALUES ($1, $2, $3, $4, $5)',
    TG_TABLE_SCHEMA
) USING seq, TG_TABLE_NAME, NEW.pgh_id, prev, digest;
RETURN NULL;
"""


def append_only() -> list[pgtrigger.Trigger]:
    """The database refuses to change or remove a row of the table, one row or all at once."""
    return [
        pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        pgtrigger.Trigger(
            name="no_truncate",
            level=pgtrigger.Statement,
            when=pgtrigger.Before,
            operation=pgtrigger.Truncate,
            func="RAISE EXCEPTION 'pgtrigger: Cannot truncate the % table', TG_TABLE_NAME;",
        ),
    ]


class ChainHead(models.Model):
    """The county's chain head: the last event's sequence number and hash (one row, id 1)."""

    seq = models.BigIntegerField()
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("history chain head")

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash}"


class ChainLink(models.Model):
    """One event's place in its county's chain: hash = sha256(previous hash + the event row's content)."""

    seq = models.BigIntegerField(primary_key=True)
    event_table = models.CharField(max_length=63)
    event_id = models.BigIntegerField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("history chain link")
        verbose_name_plural = _("history chain links")
        ordering = ["seq"]
        constraints = [models.UniqueConstraint(fields=["event_table", "event_id"], name="one_link_per_event")]
        triggers = append_only()

    def __str__(self) -> str:
        return f"#{self.seq} {self.event_table}:{self.event_id}"


def _keep_columns_only(event_model: type[pghistory.models.Event]) -> None:
    """An event keeps the audited row's values, not its form: its copied fields drop choices, labels,
    help and validators, so editing those on an audited model needs no migration of this app."""
    for field in event_model._meta.local_fields:
        if field.name.startswith("pgh_"):
            continue
        field.choices = None
        field._verbose_name = None
        field.verbose_name = field.name.replace("_", " ")
        field.help_text = ""
        field._validators = []


def _audit(model: type[models.Model]) -> type[pghistory.models.Event]:
    """The event model of an audited model, with its triggers on a proxy of it in this app."""
    proxy = type(
        f"Audited{model.__name__}",
        (model,),
        {"__module__": __name__, "Meta": type("Meta", (), {"proxy": True, "app_label": "history"})},
    )
    globals()[proxy.__name__] = proxy
    # A stored file is kept as its name: the event does not depend on where or how files are stored.
    files = {
        field.name: models.CharField(max_length=field.max_length, blank=True)
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField)
    }
    event_model = pghistory.create_event_model(
        proxy,
        pghistory.InsertEvent(),
        pghistory.UpdateEvent(),
        pghistory.DeleteEvent(),
        model_name=f"{model.__name__}Event",
        app_label="history",
        abstract=False,
        # The context (who acted) is stored in the event row itself, so the chain's hash covers it.
        context_field=pghistory.ContextJSONField(),
        context_id_field=pghistory.ContextUUIDField(),
        meta={
            "triggers": [
                pgtrigger.Trigger(
                    name="chain",
                    when=pgtrigger.After,
                    operation=pgtrigger.Insert,
                    timing=pgtrigger.Deferred,
                    declare=[("seq", "bigint"), ("prev", "text"), ("digest", "text")],
                    func=CHAIN_FUNC,
                ),
                *append_only(),
            ],
        },
        attrs=files,
    )
    _keep_columns_only(event_model)
    return event_model


EVENT_MODELS: tuple[type[pghistory.models.Event], ...] = tuple(_audit(model) for model in AUDITED)


class ChainVerification(models.Model):
    """One check of the county's chain: how far it reached, and where it broke if it did."""

    verified_at = models.DateTimeField(_("verified at"), auto_now_add=True)
    through_seq = models.BigIntegerField(_("events checked up to"))
    head_hash = models.CharField(_("hash at that event"), max_length=64)
    ok = models.BooleanField(_("intact"))
    broken_at_seq = models.BigIntegerField(_("broken at event"), null=True, blank=True)
    broken_table = models.CharField(_("table"), max_length=100, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("history chain verification")
        verbose_name_plural = _("history chain verifications")
        ordering = ["-verified_at", "-id"]
        triggers = append_only()

    def __str__(self) -> str:
        return f"{self.verified_at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'BROKEN'} #{self.through_seq}"
