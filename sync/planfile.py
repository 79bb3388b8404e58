"""Saved plans: `sync plan --out FILE` writes the plans with a fingerprint per channel; apply checks them.

A plan file is JSON: `{"format": "oneprice.sync.plan/1", "made_at", "fingerprints":
{channel: fp}, "channels": [...]}`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from oneprice.errors import PlanError
from sync.plan import ChannelPlan

FORMAT = "oneprice.sync.plan/1"


def plan_file_document(plans: Sequence[ChannelPlan], made_at: datetime | None = None) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "made_at": (made_at or datetime.now(UTC)).isoformat(),
        "fingerprints": {p.channel: p.fingerprint() for p in plans},
        "writes": sum(len(p.writes) for p in plans),
        "channels": [p.model_dump(mode="json") for p in plans],
    }


def write_plan_file(path: Path, plans: Sequence[ChannelPlan]) -> None:
    """Write the plans atomically (temp file, then rename), so a half-written plan never exists."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(plan_file_document(plans), ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(path)


def read_plan_file(path: Path) -> dict[str, str]:
    """The channel -> fingerprint map of a saved plan; a PlanError names the file and what is wrong.

    The fingerprints are checked against the plans stored beside them, so an edited
    file is refused instead of applied.
    """
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PlanError(f"{path}: no such plan file (make one with `oneprice sync plan --out {path}`)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise PlanError(f"{path}: not a readable plan file ({e})") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise PlanError(f"{path}: not a oneprice plan file (expected format {FORMAT!r})")
    fingerprints = doc.get("fingerprints")
    channels = doc.get("channels")
    if not isinstance(fingerprints, dict) or not isinstance(channels, list):
        raise PlanError(f"{path}: 'fingerprints' and 'channels' are missing")
    for n, raw in enumerate(channels):
        try:
            plan = ChannelPlan.model_validate(raw)
        except ValidationError as e:
            raise PlanError(f"{path}: channels[{n}]: {e.errors()[0]['msg']}") from None
        if fingerprints.get(plan.channel) != plan.fingerprint():
            raise PlanError(f"{path}: channels[{n}] ({plan.channel}): the plan was edited after it was made")
    if set(fingerprints) != {c.get("channel") for c in channels if isinstance(c, dict)}:
        raise PlanError(f"{path}: 'fingerprints' does not match the channels in the file")
    return {str(k): str(v) for k, v in fingerprints.items()}
