"""Real channels that fail: an e-mail backend and an SMS adapter whose first attempt at each message fails
(a gateway timing out), and which deliver on the next attempt. What they delivered is kept for the test."""

from django.core.mail.backends.locmem import EmailBackend


class FlakyEmailBackend(EmailBackend):
    """Django's in-memory backend (mail.outbox), refusing the first attempt of each Message-ID."""

    attempted: set[str] = set()

    @classmethod
    def reset(cls) -> None:
        cls.attempted = set()

    def send_messages(self, messages):
        for message in messages:
            key = message.extra_headers.get("Message-ID", "")
            if key not in self.attempted:
                self.attempted.add(key)
                raise ConnectionError(f"SMTP server unreachable for {key}")
        return super().send_messages(messages)


class FlakySms:
    """An SMS gateway refusing the first attempt of each idempotency key; `sent` lists what it delivered."""

    attempted: set[str] = set()
    sent: list[dict] = []

    @classmethod
    def reset(cls) -> None:
        cls.attempted = set()
        cls.sent = []

    def __init__(self, channel: str) -> None:
        self.channel = channel

    def send(self, *, address: str, subject: str, text: str, idempotency_key: str) -> None:
        if idempotency_key not in self.attempted:
            self.attempted.add(idempotency_key)
            raise TimeoutError("SMS gateway timed out")
        self.sent.append({"address": address, "subject": subject, "key": idempotency_key})


class DownEmailBackend(EmailBackend):
    """An SMTP server that stays down."""

    def send_messages(self, messages):
        raise ConnectionError("SMTP server down")
