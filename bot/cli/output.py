"""Output files written whole or not at all, never through a link, never over the template read.

A file is first written complete to a new temporary file beside its target (created with
O_EXCL, so nothing existing is opened) and only then renamed over the name. A rename replaces
the name itself: a symbolic link that appears there meanwhile is replaced, not followed, so no
other file is ever written. A target that already is a link, is a folder, or is the template
being read (also by another path or a hard link) is refused before anything is written.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import click
from radsbot.data.words import Message, msg


class OutputError(click.ClickException):
    """An output file that cannot or may not be written; `message` is in the command's language,
    `problem` the catalogue message (the audit log keeps its bokmål text)."""

    audited = False  # True once the audit log has the outcome (or refused to take it)

    def __init__(self, problem: Message) -> None:
        from radsbot.bot.cli import say

        super().__init__(say(problem))
        self.problem = problem


@dataclass
class Staged:
    """A complete new file beside its target, not yet visible under the target's name."""

    target: Path
    temp: Path
    replaces: bool  # a file of that name existed when it was staged

    def publish(self) -> None:
        """Give the file its name (atomically, replacing an existing file of that name).

        Raises:
            OutputError: the rename failed; the temporary file is removed.
        """
        try:
            os.replace(self.temp, self.target)
        except OSError as exc:
            self.discard()
            raise OutputError(cannot_write(self.target, exc)) from None

    def discard(self) -> None:
        """Remove the temporary file (if it is still there)."""
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.temp)


def stage(path: Path, data: bytes, *, template: Path | None = None) -> Staged:
    """Write `data` to a temporary file beside `path`, after checking that `path` may be written.

    Args:
        path: the file the user named.
        data: the complete content.
        template: a file being read for this output, which must not be overwritten.

    Raises:
        OutputError: the folder is missing or not writable, or the target is a symbolic link, a
            folder, or the template (Norwegian messages; nothing is written).
    """
    target = path.expanduser().absolute()  # not resolve(): the name itself must not be followed
    folder = target.parent
    if not folder.is_dir():
        raise OutputError(
            msg("The folder {folder} does not exist. Create it or choose another --out.", folder=folder)
        )
    existing = _lstat(target)
    if existing is not None:
        _refuse_replacing(target, existing, template)
    try:
        fd, temp = tempfile.mkstemp(dir=folder, prefix=".radsbot-", suffix=".tmp")
    except OSError as exc:
        raise OutputError(
            msg("Cannot write in {folder}: {reason}.", folder=folder, reason=exc.strerror)
        ) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(temp, 0o644)  # mkstemp makes the file private; a document is an ordinary file
    except OSError as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise OutputError(cannot_write(target, exc)) from None
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    return Staged(target, Path(temp), replaces=existing is not None)


@contextlib.contextmanager
def staged(files: dict[Path, bytes], *, template: Path | None = None) -> Iterator[list[Staged]]:
    """Stage every file; if anything fails before they are published, none is left behind."""
    done: list[Staged] = []
    try:
        for path, data in files.items():
            done.append(stage(path, data, template=template))
        yield done
    finally:
        for item in done:
            item.discard()  # a no-op for those published


def publish_audited(sessions, items: list[Staged], actor: str, action: str, target: str, **details) -> None:
    """Commit the audit entry, then publish the staged files: both or neither.

    A refused audit entry leaves no file (the staged ones are discarded by `staged`); a file
    that cannot be published leaves the entry marked failed, not claiming success.

    Raises:
        OutputError: the audit log refused the entry, or a file could not be published.
    """
    from radsbot.data.access import AuditFailed, mark_failed, record

    try:
        entry = record(sessions, actor, action, target=target, **details)
    except AuditFailed as exc:
        refused = OutputError(exc.problem)
        refused.audited = True
        raise refused from None
    try:
        for item in items:
            item.publish()
    except OutputError as exc:
        with contextlib.suppress(AuditFailed):  # logged there; the user hears of the file
            mark_failed(sessions, entry, str(exc.problem))
        exc.audited = True
        raise


def cannot_write(target: Path, exc: OSError) -> Message:
    """The file could not be written, and the system's reason."""
    return msg("Cannot write {file}: {reason}.", file=target, reason=exc.strerror)


def replaced_note(items: list[Staged]) -> str:
    """ " (erstattet den forrige filen)", or a list of the files replaced; "" when none was."""
    from radsbot.bot.cli import language

    replaced = [s.target.name for s in items if s.replaces]
    if not replaced:
        return ""
    if len(items) == 1:
        return language()._(" (replaced the previous file)")
    return language()._(" (replaced: {files})", files=", ".join(replaced))


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None


def _refuse_replacing(target: Path, existing: os.stat_result, template: Path | None) -> None:
    if stat.S_ISLNK(existing.st_mode):
        raise OutputError(
            msg(
                "{file} is a symbolic link. Rådsbot does not write through links; choose an ordinary file "
                "name.",
                file=target,
            )
        )
    if stat.S_ISDIR(existing.st_mode):
        raise OutputError(msg("{file} is a folder. Choose a file name for --out.", file=target))
    if not stat.S_ISREG(existing.st_mode):
        raise OutputError(
            msg("{file} is not an ordinary file. Choose another file name for --out.", file=target)
        )
    if template is not None:
        with contextlib.suppress(OSError):
            read = os.stat(template)
            if (read.st_dev, read.st_ino) == (existing.st_dev, existing.st_ino):
                raise OutputError(
                    msg(
                        "--out {file} is the template being read (--template). Choose another file name, "
                        "so that the template is not overwritten.",
                        file=target,
                    )
                )
