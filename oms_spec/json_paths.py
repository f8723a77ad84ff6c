"""JSON path notation for locations in the spec (`$.paths['/v2/{project_id}/sync-tasks'].get`)."""

from __future__ import annotations

from collections.abc import Iterable


def json_path(segments: Iterable[str | int]) -> str:
    """Render a location as a JSON path: identifiers as `.name`, indexes as `[3]`, other keys as `['key']`."""
    parts = ["$"]
    for segment in segments:
        if isinstance(segment, int):
            parts.append(f"[{segment}]")
        elif segment.isidentifier():
            parts.append(f".{segment}")
        else:
            escaped = segment.replace("\\", "\\\\").replace("'", "\\'")
            parts.append(f"['{escaped}']")
    return "".join(parts)
