"""Verifying a county's hash chain of audit events (docs/decisions/0007-history-chained-by-triggers.md).

The database computed each event's hash when the event was written; the check recomputes every hash
with the same database function from the row as it is now, and follows the links from the first
event to the chain head. Each intact check is kept as an anchor: a later check also confirms that
the events an earlier check saw still carry the hashes it saw, so a rewritten tail shows too.
"""

import logging
from dataclasses import dataclass

from django.db import connection, transaction

from .models import EVENT_MODELS, GENESIS_HASH, ChainHead, ChainVerification

logger = logging.getLogger(__name__)

# Rows fetched per round trip while walking the chain.
CHUNK = 2000


@dataclass(frozen=True)
class _Break:
    seq: int | None
    table: str
    reason: str


def _events_query(through_seq: int) -> tuple[str, list]:
    """Every event up to the head, in chain order, with its hash recomputed from the row as it is now."""
    parts, params = [], []
    for model in EVENT_MODELS:
        table = model._meta.db_table
        parts.append(
            "SELECT pgh_chain_seq, %s AS tbl, pgh_prev_hash, pgh_hash, "
            f'history_event_digest(pgh_prev_hash, %s, e) AS digest FROM "{table}" e WHERE pgh_chain_seq <= %s'
        )
        params += [table, table, through_seq]
    return " UNION ALL ".join(parts) + " ORDER BY 1", params


def _walk(through_seq: int, anchors: dict[int, str]) -> tuple[int, str, _Break | None]:
    """Follow the chain up to `through_seq`: (events seen, last hash, the first break if any)."""
    expected, previous = 1, GENESIS_HASH
    sql, params = _events_query(through_seq)
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK):
            for seq, table, prev_hash, stored, recomputed in rows:
                if seq != expected:
                    missing = seq > expected
                    reason = f"event #{expected} is missing" if missing else f"event #{seq} appears twice"
                    return expected - 1, previous, _Break(expected if missing else seq, table, reason)
                if prev_hash != previous:
                    return seq - 1, previous, _Break(seq, table, "it does not follow the event before it")
                if recomputed != stored:
                    return seq - 1, previous, _Break(seq, table, "its content no longer matches its hash")
                if anchors.get(seq, stored) != stored:
                    return seq - 1, previous, _Break(seq, table, "its hash differs from the one an earlier check saw")
                expected, previous = seq + 1, stored
    return expected - 1, previous, None


def verify_chain() -> ChainVerification:
    """Check this county's chain from its first event to its head; record the result and alert on a break."""
    with transaction.atomic():
        head = ChainHead.objects.filter(pk=1).first()
        head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
        anchors = dict(ChainVerification.objects.filter(ok=True).values_list("through_seq", "head_hash"))
        seen, last_hash, found = _walk(head_seq, anchors)
        if found is None and seen < head_seq:
            found = _Break(seen + 1, "", f"the chain ends at event #{seen} but its head says #{head_seq}")
        elif found is None and last_hash != head_hash:
            found = _Break(seen, "", "the last event's hash differs from the chain head's")
        elif found is None and anchors and max(anchors) > head_seq:
            found = _Break(head_seq + 1, "", f"an earlier check saw the chain reach event #{max(anchors)}")
        result = ChainVerification.objects.create(
            through_seq=seen,
            head_hash=last_hash,
            ok=found is None,
            broken_at_seq=found.seq if found else None,
            broken_table=found.table if found else "",
            reason=found.reason if found else "",
        )
    if found is not None:
        logger.critical(
            "History chain of county %s is broken at event #%s (%s): %s",
            connection.schema_name,
            found.seq,
            found.table or "-",
            found.reason,
            extra={"county": connection.schema_name, "alert": "history_chain_broken"},
        )
    else:
        logger.info("History chain of county %s intact through event #%s (%s)", connection.schema_name, seen, last_hash)
    return result
