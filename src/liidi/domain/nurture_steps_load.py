"""The steps of a nurture track: waits and actions, every problem reported with its position."""

from __future__ import annotations

import re
from typing import Any

import yaml

from liidi.domain.nurture import Action, Step
from liidi.domain.scoring.yamlread import Fields, Reader, Where, scalar, shown

STEP_KEYS = ("wait", "action", "template", "campaign", "subject", "task")
# The texts each action takes, and what it needs: every key of `all`, and at least one of `any`.
ACTION_KEYS: dict[Action, dict[str, tuple[str, ...]]] = {
    Action.WEBHOOK: {"takes": ("campaign", "template"), "all": (), "any": ("campaign", "template")},
    Action.EMAIL: {"takes": ("subject", "template"), "all": ("subject", "template"), "any": ()},
    Action.TASK: {"takes": ("task",), "all": ("task",), "any": ()},
}
LIMITS = {"name": 100, "model": 80, "theme": 100, "stage": 50, "template": 200, "campaign": 200}
LIMITS |= {"subject": 300, "task": 500, "description": 2000, "nurture": 100}
MAX_STEPS = 50
MAX_WAIT_DAYS = 365
_WAIT = re.compile(r"^(\d{1,9})\s*([dw])$")


class NurtureReader(Reader):
    """The YAML reader of nurture files, with texts bounded in length."""

    empty_file = ("nurture", "the file is empty; it needs at least 'model:' and 'tracks:'")

    def compose(self, text: str) -> yaml.Node | None:
        """Parse YAML into nodes; a character YAML does not allow (such as NUL) is named with its position."""
        bad = yaml.reader.Reader.NON_PRINTABLE.search(text)
        if bad is None:
            return super().compose(text)
        at = bad.start()
        line, column = text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)
        message = f"not valid YAML: the character U+{ord(bad.group()):04X} is not allowed"
        self.report_at(line, column, Where("YAML", ""), message)
        return None

    def bounded(self, node: yaml.Node, where: Where, limit_key: str, empty_ok: bool = False) -> str | None:
        """A text value of at most the length its key allows."""
        value = self.text(node, where, empty_ok=empty_ok)
        limit = LIMITS[limit_key]
        if value is not None and len(value) > limit:
            self.report(node, where, f"expected at most {limit} characters, got {len(value)}", value[:40])
            return None
        return value


class StepLoader:
    """Builds the steps of one track."""

    def __init__(self, reader: NurtureReader) -> None:
        self.r = reader

    def steps(self, node: yaml.Node | None, where: Where) -> list[Step] | None:
        """The steps in order, each with its wait and action."""
        items = self.r.sequence(node, where) if node is not None else None
        if items is None:
            return None
        if not items or len(items) > MAX_STEPS:
            self.r.report(node, where, f"give between 1 and {MAX_STEPS} steps, got {len(items)}")
            return None
        steps = [self.step(item, where.key(i)) for i, item in enumerate(items)]
        return None if any(step is None for step in steps) else [s for s in steps if s is not None]

    def step(self, node: yaml.Node, where: Where) -> Step | None:
        """`{wait: 3d, action: email, subject: …, template: …}`."""
        f = self.r.mapping(node, where, STEP_KEYS, required=("action",))
        if f is None:
            return None
        wait_node = f.get("wait")
        wait = self.wait(wait_node, where.key("wait")) if wait_node is not None else 0
        action = self.action(f.get("action"), where.key("action"))
        if action is None:
            return None
        texts = self.action_texts(f, where, action)
        if wait is None or texts is None:
            return None
        return Step(action, wait, **texts)

    def wait(self, node: yaml.Node, where: Where) -> int | None:
        """Days to wait: '0d', '3d' or '2w', at most MAX_WAIT_DAYS."""
        value = scalar(node) if isinstance(node, yaml.ScalarNode) else None
        match = _WAIT.match(value.strip()) if isinstance(value, str) else None
        if match is None:
            self.r.report(node, where, f"expected a wait such as 0d, 3d or 2w, got {shown(node)}", value)
            return None
        days = int(match.group(1)) * (7 if match.group(2) == "w" else 1)
        if days > MAX_WAIT_DAYS:
            self.r.report(node, where, f"expected at most {MAX_WAIT_DAYS}d, got {value}", value)
            return None
        return days

    def action(self, node: yaml.Node | None, where: Where) -> Action | None:
        value = scalar(node) if isinstance(node, yaml.ScalarNode) else None
        if node is not None and value not in {a.value for a in Action}:
            choices = ", ".join(a.value for a in Action)
            self.r.report(node, where, f"expected one of {choices}, got {shown(node)}", value)
            return None
        return Action(str(value)) if node is not None else None

    def action_texts(self, f: Fields, where: Where, action: Action) -> dict[str, Any] | None:
        """The texts of an action: a webhook campaign and/or template, an e-mail subject and template…"""
        rule = ACTION_KEYS[action]
        stray = [
            key
            for key in ("template", "campaign", "subject", "task")
            if key in f and key not in rule["takes"]
        ]
        for key in stray:
            takes = " and ".join(rule["takes"])
            self.r.report(f.key_node(key), where, f"{_a(action)} step takes {takes}, not '{key}'", key)
        missing = [key for key in rule["all"] if key not in f]
        if rule["any"] and not any(key in f for key in rule["any"]):
            missing.append(" or ".join(rule["any"]))
        for key in missing:
            self.r.report(f.node, where, f"{_a(action)} step needs '{key}'")
        texts = {
            key: self.r.bounded(node, where.key(key), key) for key in rule["takes"] if (node := f.get(key))
        }
        if stray or missing or any(value is None for value in texts.values()):
            return None
        return texts


def _a(action: Action) -> str:
    """'a webhook', 'an email', 'a task'."""
    return f"{'an' if action.value[0] in 'aeiou' else 'a'} {action.value}"
