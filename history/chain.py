"""Verifying a county's hash chain of audit events (docs/decisions/0007-history-chained-by-triggers.md).

The database linked each event into the chain when its transaction committed (`ChainLink`); the check
recomputes every link's hash with the same database function from the event row as it is now, and
follows the links from the first to the chain head. Each intact check is kept as an anchor: a later
check also confirms that the links an earlier check saw still carry the hashes it saw, so a rewritten
tail shows too. An event row without a link was written with the chain switched off.
"""

import logging
from dataclasses import dataclass

from django.db import connection, transaction

from .models import EVENT_MODELS, GENESIS_HASH, ChainHead, ChainLink, ChainVerification

logger = logging.getLogger(__name__)

# Rows fetched per round trip while walking the chain.
CHUNK = 2000


@dataclass(frozen=True)
class _Break:
    seq: int | None
    table: str
    reason: str


def _links_query(through_seq: int) -> tuple[str, list]:
    """Every link up to the head, in chain order, with its event's hash recomputed from the row as it is now."""
    links = ChainLink._meta.db_table
    tables = [model._meta.db_table for model in EVENT_MODELS]
    parts, params = [], []
    for table in tables:
        parts.append(
            f"SELECT l.seq, l.event_table, l.prev_hash, l.hash, e.pgh_id IS NULL, "
            f'history_event_digest(l.prev_hash, l.event_table, e) FROM "{links}" l '
            f'LEFT JOIN "{table}" e ON e.pgh_id = l.event_id WHERE l.event_table = %s AND l.seq <= %s'
        )
        params += [table, through_seq]
    parts.append(
        f'SELECT seq, event_table, prev_hash, hash, true, NULL FROM "{links}" '
        "WHERE NOT (event_table = ANY(%s)) AND seq <= %s"
    )
    params += [tables, through_seq]
    return " UNION ALL ".join(parts) + " ORDER BY 1", params


def _walk(through_seq: int, anchors: dict[int, str]) -> tuple[int, str, _Break | None]:
    """Follow the chain up to `through_seq`: (links seen intact, last hash, the first break if any)."""
    expected, previous = 1, GENESIS_HASH
    sql, params = _links_query(through_seq)
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK):
            for seq, table, prev_hash, stored, missing, recomputed in rows:
                found = None
                if seq != expected:
                    found = _Break(expected, table, f"link #{expected} is missing")
                elif prev_hash != previous:
                    found = _Break(seq, table, "it does not follow the event before it")
                elif missing:
                    found = _Break(seq, table, "its event is missing")
                elif recomputed != stored:
                    found = _Break(seq, table, "its content no longer matches its hash")
                elif anchors.get(seq, stored) != stored:
                    found = _Break(seq, table, "its hash differs from the one an earlier check saw")
                if found is not None:
                    return expected - 1, previous, found
                expected, previous = seq + 1, stored
    return expected - 1, previous, None


def _unlinked() -> _Break | None:
    """An event row that no link names: written while the chain was switched off."""
    links = ChainLink._meta.db_table
    with connection.cursor() as cursor:
        for model in EVENT_MODELS:
            table = model._meta.db_table
            cursor.execute(
                f'SELECT min(e.pgh_id) FROM "{table}" e WHERE NOT EXISTS '
                f'(SELECT 1 FROM "{links}" l WHERE l.event_table = %s AND l.event_id = e.pgh_id)',
                [table],
            )
            (event_id,) = cursor.fetchone()
            if event_id is not None:
                return _Break(None, table, f"event {event_id} is not in the chain")
    return None


def verify_chain() -> ChainVerification:
    """Check this county's chain from its first event to its head; record the result and alert on a break."""
    with transaction.atomic():
        head = ChainHead.objects.filter(pk=1).first()
        head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
        anchors = dict(ChainVerification.objects.filter(ok=True).values_list("through_seq", "head_hash"))
        seen, last_hash, found = _walk(head_seq, anchors)
        if found is None and seen < head_seq:
            found = _Break(seen + 1, "", f"the chain ends at link #{seen} but its head says #{head_seq}")
        elif found is None and last_hash != head_hash:
            found = _Break(seen, "", "the last link's hash differs from the chain head's")
        elif found is None and anchors and max(anchors) > head_seq:
            found = _Break(head_seq + 1, "", f"an earlier check saw the chain reach link #{max(anchors)}")
        found = found or _unlinked()
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
            "History chain of county %s is broken at link #%s (%s): %s",
            connection.schema_name,
            found.seq,
            found.table or "-",
            found.reason,
            extra={"county": connection.schema_name, "alert": "history_chain_broken"},
        )
    else:
        logger.info("History chain of county %s intact through link #%s (%s)", connection.schema_name, seen, last_hash)
    return result
