"""Operations: probes, metrics, structured logs and error reports (docs/operator-guide.md)."""
