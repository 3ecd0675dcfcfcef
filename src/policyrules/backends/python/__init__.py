"""The one-by-one Python back end: a checked policy lowered to closures (:mod:`.compile`),
evaluated on one registry of facts at a time with its trace (:mod:`.evaluate`), claims served
in pool-wide order through indexed running totals (:mod:`.claims`), on generated code where
it can be (:mod:`.codegen`, :mod:`.fastpath`, one function per award: :mod:`.fused`, and
without explanations its lean twin: :mod:`.lean`), deadlines and targets
(:mod:`.timelimits`)."""

__all__: list[str] = []
