"""The base of every problem a user can fix: it carries a Message, put into words at the edge.

The edges (the CLI, the chat engine, the Slack renderer) show `error.text(lang)` in the
reader's language. `str(error)` is the bokmål text, for logs and the audit log.
"""

from __future__ import annotations

from radsbot.data.words import DEFAULT_LANGUAGE, Message, verbatim, words


class DomainError(Exception):
    """A problem with what a user asked or supplied; `problem` says what is wrong and what to do.

    (Named `problem`, not `message`: Jinja's and Click's exceptions have a `message` of their own.)
    """

    def __init__(self, problem: Message | str) -> None:
        super().__init__(problem)
        self._problem = problem if isinstance(problem, Message) else verbatim(problem)

    @property
    def problem(self) -> Message:
        """What is wrong and what to do (subclasses may compose it from their fields)."""
        return self._problem

    def text(self, lang: str) -> str:
        """The problem in the reader's language."""
        return words(lang).text(self.problem)

    def __str__(self) -> str:
        return self.text(DEFAULT_LANGUAGE)


def problem_text(error: BaseException, lang: str) -> str:
    """A DomainError in the reader's language; any other exception's own message."""
    return error.text(lang) if isinstance(error, DomainError) else str(error)
