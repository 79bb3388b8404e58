"""The dashboard's two languages (zh-CN, en): one JSON file of messages each, English as fallback."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

LANGUAGES = ("zh-CN", "en")


@dataclass(frozen=True)
class Translator:
    messages: dict[str, dict[str, str]]

    @classmethod
    def load(cls, folder: Path) -> Translator:
        return cls({lang: json.loads((folder / f"{lang}.json").read_text("utf-8")) for lang in LANGUAGES})

    def for_language(self, lang: str) -> Callable[..., str]:
        table = self.messages.get(lang, self.messages["en"])
        fallback = self.messages["en"]

        def t(key: str, **values: object) -> str:
            text = table.get(key) or fallback.get(key) or key.split(".", 1)[-1]
            return text.format(**values) if values else text

        return t
