"""Reading what the fake Slack Web API received: blocks checked by slack_sdk, their texts, buttons."""

from __future__ import annotations

from slack_sdk.models.blocks import Block

from tests.fakes.slack_api import Call

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TOKEN = "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def blocks_of(call: Call) -> list[dict]:
    """The blocks a chat.postMessage carried, checked by slack_sdk's own models."""
    blocks = call.json_param("blocks") or []
    for block in Block.parse_all(blocks):
        block.to_dict()  # validates
    return blocks


def all_text(blocks: list[dict]) -> str:
    """Every text in the blocks, for content checks."""
    out = []
    for block in blocks:
        if "text" in block:
            out.append(block["text"]["text"])
        out += [f["text"] for f in block.get("fields", [])]
        out += [e.get("text", "") for e in block.get("elements", []) if isinstance(e.get("text", ""), str)]
    return "\n".join(out)


def buttons_of(blocks: list[dict]) -> list[dict]:
    """Every button in the blocks."""
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
