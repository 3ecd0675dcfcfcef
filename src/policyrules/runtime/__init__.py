"""Runtime support for evaluated rules: exact money and the working-day calendar."""

__all__: list[str] = []
