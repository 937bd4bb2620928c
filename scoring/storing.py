"""Storing computed results: only what changed is written; a county's new results stream in as they come.

A county's batch computes about 60,000 results. Inserting them after the computation, and checking
their references at commit, took PostgreSQL as long as Python took to compute them. So while the
whole county is computed, results nobody has stored yet go straight into the table through COPYs,
each checking its rows' references as it ends: PostgreSQL inserts and checks on its own core while
Python computes the next people (docs/decisions/0013). Results that changed are upserted at the end, and unchanged ones are left alone.

Streaming needs to know which results are new, and that nobody adds one meanwhile. The batch holds
the year's lock exclusively from reading what is stored until it commits; a few people's recomputation
holds it shared and upserts, so recomputations never wait for each other, only for a running batch.
"""

import json
import queue
import threading
from collections.abc import Collection

from django.db import connection
from django.utils import timezone

from .models import Result

# The columns a result is written with (besides its person and year), in the order of a result row.
WRITTEN_COLUMNS = ["scheme_id", "scheme_version", "org_id", "stage", "total", "components", "months", "grade",
                   "vetoed_by", "consequences"]
# The stored fields a result row is compared with, in their stored order (scheme and org come first).
COMPARED_FIELDS = ["scheme_version", "stage", "total", "components", "months", "grade", "vetoed_by", "consequences"]
# Rows per COPY of streamed results: each COPY's reference checks overlap the computing of the next rows.
STREAMED_PER_COPY = 5000
_TABLE = Result._meta.db_table
_COLUMNS = ["person_id", "year", *WRITTEN_COLUMNS, "computed_at"]


def lock_year(year: int, *, exclusive: bool) -> None:
    """The county's lock on the year's results, held until the transaction ends."""
    function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(hashtext('scoring_result:' || current_schema()), %s)", [year])


def _comparable(row: tuple) -> tuple:
    """A result row as the stored ones are read: scheme, org, then COMPARED_FIELDS."""
    return (row[0], row[2], row[1], *row[3:])


def _json(value: dict | list) -> str:
    # Most results have no monthly values and no consequences: the empty ones need no encoder.
    if not value:
        return "{}" if isinstance(value, dict) else "[]"
    return json.dumps(value)


def _copy_values(person_id: int, year: int, row: tuple, now) -> tuple:
    """A result row as the columns of a COPY: person, year, WRITTEN_COLUMNS (JSON as text), computed_at."""
    scheme, version, org, stage, total, components, months, grade, vetoed_by, consequences = row
    return (person_id, year, scheme, version, org, stage, total, _json(components), _json(months), grade, vetoed_by,
            _json(consequences), now)


class ResultWriter:
    """Writes the year's results handed to it, leaving alone those stored as they are.

    Results are held until `finish()`, which upserts those that changed. Within `streaming()` (only
    under the exclusive lock, see the module) results not stored yet go to the table at once; no other
    query may run on the connection until it closes.
    """

    def __init__(self, year: int):
        self.year = year
        self.now = timezone.now()
        self.pending: dict[int, tuple] = {}
        self._known: dict[int, tuple] | None = None  # every stored result of the year, once streaming read them
        self._stream: _Streaming | None = None

    def add(self, person_id: int, row: tuple) -> None:
        """A result row (the values of WRITTEN_COLUMNS) to store, unless it is stored as it is."""
        if self._stream is not None:
            stored = self._known.get(person_id)
            if stored is None:
                self._stream.write(_copy_values(person_id, self.year, row, self.now))
                return
            if stored == _comparable(row):
                return
        self.pending[person_id] = row

    def streaming(self) -> "_Streaming":
        """A context within which results not stored yet go to the table at once (see `_Streaming`)."""
        self._known = self._stored(None)
        return _Streaming(self)

    def finish(self) -> None:
        """Insert or update the pending results that differ from the stored ones, in one COPY and one
        INSERT … ON CONFLICT."""
        stored = self._known if self._known is not None else self._stored(self.pending)
        changed = {
            person_id: row for person_id, row in self.pending.items()
            if stored.get(person_id) != _comparable(row)
        }
        self.pending = {}
        if not changed:
            return
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS scoring_result_batch")
            cursor.execute(f"CREATE TEMP TABLE scoring_result_batch AS SELECT {', '.join(_COLUMNS)} FROM {_TABLE} WITH NO DATA")
            with cursor.cursor.copy(f"COPY scoring_result_batch ({', '.join(_COLUMNS)}) FROM STDIN") as copy:
                for person_id, row in changed.items():
                    copy.write_row(_copy_values(person_id, self.year, row, self.now))
            updated = ", ".join(f"{column} = EXCLUDED.{column}" for column in [*WRITTEN_COLUMNS, "computed_at"])
            cursor.execute(
                f"INSERT INTO {_TABLE} ({', '.join(_COLUMNS)}) SELECT {', '.join(_COLUMNS)} FROM scoring_result_batch "
                f"ON CONFLICT (person_id, year) DO UPDATE SET {updated}"
            )
            cursor.execute("DROP TABLE scoring_result_batch")

    def _stored(self, person_ids: Collection[int] | None) -> dict[int, tuple]:
        """The stored results as (scheme, org, *COMPARED_FIELDS), by person."""
        stored = Result.objects.filter(year=self.year)
        if person_ids is not None:
            if not person_ids:
                return {}
            stored = stored.filter(person_id__in=list(person_ids))
        return {
            row[0]: row[1:]
            for row in stored.values_list("person_id", "scheme_id", "org_id", *COMPARED_FIELDS).iterator(chunk_size=5000)
        }


class _Streaming:
    """The new results sent by a thread of its own, in COPYs of a few thousand rows.

    A COPY checks its rows' references when it ends (they are set to be checked per statement, not at
    commit): the thread waits for that while the batch computes on. The batch makes no query until the
    streaming ends, so the thread is the connection's only user meanwhile.
    """

    def __init__(self, writer: ResultWriter):
        self.writer = writer
        self.batch: list[tuple] = []
        self.rows: queue.SimpleQueue[list[tuple] | None] = queue.SimpleQueue()
        self.failure: BaseException | None = None

    def __enter__(self) -> ResultWriter:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT string_agg(quote_ident(conname), ', ') FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'f'",
                [_TABLE],
            )
            self.references = cursor.fetchone()[0]
            if self.references:
                cursor.execute(f"SET CONSTRAINTS {self.references} IMMEDIATE")
        self.thread = threading.Thread(target=self._send, args=(connection.connection,), name="scoring-results")
        self.thread.start()
        self.writer._stream = self
        return self.writer

    def write(self, row: tuple) -> None:
        self.batch.append(row)
        if len(self.batch) >= STREAMED_PER_COPY:
            self.rows.put(self.batch)
            self.batch = []

    def _send(self, raw_connection) -> None:
        try:
            with raw_connection.cursor() as cursor:
                while (rows := self.rows.get()) is not None:
                    with cursor.copy(f"COPY {_TABLE} ({', '.join(_COLUMNS)}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
        except BaseException as error:  # handed to the batch, which raises it once the thread ends
            self.failure = error
            while self.rows.get() is not None:
                pass

    def __exit__(self, kind, error, traceback) -> None:
        self.writer._stream = None
        if self.batch and kind is None:
            self.rows.put(self.batch)
        self.rows.put(None)
        self.thread.join()
        if self.failure is not None:
            if kind is None:
                with connection.wrap_database_errors:  # as Django's own cursors raise them
                    raise self.failure
            return
        if self.references:
            with connection.cursor() as cursor:
                cursor.execute(f"SET CONSTRAINTS {self.references} DEFERRED")
