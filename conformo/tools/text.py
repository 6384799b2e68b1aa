"""Plain-text rendering of calculator results for the CLI (without ``--json``): tables and the trace."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from conformo.domain.trace import TraceStep


def table(headers: Sequence[str], rows: Iterable[Sequence[object]], *, right: Sequence[bool] = ()) -> list[str]:
    """Lines of an aligned text table; ``right[i]`` right-aligns column ``i`` (numbers)."""
    cells = [[str(cell) for cell in row] for row in rows]
    widths = [max([len(header)] + [len(row[i]) for row in cells]) for i, header in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        parts = [
            value.rjust(widths[i]) if i < len(right) and right[i] else value.ljust(widths[i])
            for i, value in enumerate(values)
        ]
        return "  ".join(parts).rstrip()

    return [line(headers), line(["-" * width for width in widths]), *(line(row) for row in cells)]


def facts(pairs: Iterable[tuple[str, object]]) -> list[str]:
    """``label: value`` lines with the values aligned."""
    items = [(label, str(value)) for label, value in pairs]
    width = max((len(label) for label, _ in items), default=0)
    return [f"{(label + ':').ljust(width + 1)} {value}" for label, value in items]


def warnings(messages: Sequence[str]) -> list[str]:
    if not messages:
        return []
    return ["", "Warnings:", *(f"  ! {message}" for message in messages)]


def trace(steps: Sequence[TraceStep]) -> list[str]:
    """The trace as a numbered list: step and value, then its rule and source clause."""
    lines = ["", "Trace (step, rule, source, value):"]
    width = len(str(len(steps)))
    indent = " " * (width + 4)
    for number, step in enumerate(steps, start=1):
        lines.append(f"  {number:>{width}}. {step.step}: {step.value}")
        lines.append(f"{indent}rule:   {step.rule}")
        lines.append(f"{indent}source: {step.source}")
    return lines
