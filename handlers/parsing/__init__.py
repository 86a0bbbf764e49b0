"""Parsing: pure functions that turn what Chinese users type into values (no database, no I/O)."""

from __future__ import annotations


class ParseError(ValueError):
    """What was not understood, and a correct example to show the user."""

    def __init__(self, problem: str, example: str = "") -> None:
        super().__init__(problem)
        self.problem = problem
        self.example = example

    def reply_text(self) -> str:
        return f"{self.problem}\n例：{self.example}" if self.example else self.problem
