"""Parse ``.rule`` text into the syntax tree (:mod:`policyrules.syntax`).

A thin facade over lark's LALR parser: lark's tree is transformed into our frozen nodes at
once, lark's exceptions become :class:`~policyrules.errors.RuleSyntaxError` with a span and
a readable list of what was expected, and comments are kept on the nearest statement.

>>> m = parse('parameter rate: rate "一定支持"  # open in the text')
>>> m.items[0].name, m.items[0].trailing
('rate', '# open in the text')
"""

from __future__ import annotations

import functools
import os
import threading
from importlib import resources
from pathlib import Path
from typing import Any

import attrs
import lark
from lark import Token
from lark.exceptions import UnexpectedEOF, UnexpectedInput, VisitError

from . import syntax as s
from .check_names import declared_keyword_hint
from .errors import Diagnostic, RuleSyntaxError, Span
from .parse_transform import ToSyntax
from .syntax_errors import friendly_message, unclosed_bracket

__all__ = ["grammar_text", "lark_parser", "parse"]

_local = threading.local()


def grammar_text() -> str:
    """The grammar, as shipped inside the package."""
    return resources.files("policyrules").joinpath("grammar/policyrules.lark").read_text("utf-8")


def _collect_comment(token: Token) -> None:
    _local.comments.append(token)


def _cache_file() -> str | bool:
    """Where lark keeps the built parser: a private per-user directory (the cache is a
    pickle, so never a shared one).  Lark checks the grammar's hash on loading and carries on
    without the cache when the file cannot be read or written."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base) / "policyrules"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return False
    return str(folder / f"grammar-lark-{lark.__version__}.pickle")


def lark_parser() -> lark.Lark:
    """The LALR parser built from the grammar (built once): for tools that ask it which
    terminals may come next (the language server's keyword completion)."""
    return _parser()


@functools.cache
def _parser() -> lark.Lark:
    return lark.Lark(
        grammar_text(),
        parser="lalr",
        propagate_positions=True,
        maybe_placeholders=True,
        lexer_callbacks={"COMMENT": _collect_comment},
        cache=_cache_file(),
    )


def parse(text: str, file: str = "<string>") -> s.Module:
    """Parse one ``.rule`` file's text; raise :class:`RuleSyntaxError` if it does not parse."""
    _local.comments = []
    text = text.removeprefix("\ufeff")  # a byte-order mark is not content
    try:
        tree = _parser().parse(text)
        module = ToSyntax(file).transform(tree)
    except RecursionError:
        raise RuleSyntaxError(
            Diagnostic(
                "E109",
                "the file nests too deeply to read",
                Span(file, 1, 1, 1, 2),
                hint="split deeply nested expressions",
            ),
        ) from None
    except UnexpectedInput as exc:
        raise RuleSyntaxError(_syntax_diagnostic(exc, text, file), sources={file: text}) from None
    except VisitError as exc:
        orig = exc.orig_exc
        if isinstance(orig, RuleSyntaxError):
            raise RuleSyntaxError(orig.diagnostics, sources={file: text}) from None
        raise
    finally:
        comments: list[Token] = _local.comments
        _local.comments = []
    assert isinstance(module, s.Module)
    if (deep := _too_deep(module)) is not None:
        raise RuleSyntaxError(
            Diagnostic(
                "E109",
                f"an expression nests more than {MAX_DEPTH} levels deep",
                # Point at where the too-deep part begins, not across the rest of the line.
                Span(deep.file, deep.line, deep.col, deep.line, deep.col + 1),
                hint="split it: name a part as a parameter or write it flatter",
            ),
            sources={file: text},
        )
    return _attach_comments(module, comments)


MAX_DEPTH = 100  # keeps every later recursive stage (check, compile, print) far from limits


def _too_deep(module: s.Module) -> Span | None:
    """The span of a node deeper than :data:`MAX_DEPTH`, found without recursion."""
    stack: list[tuple[s.Node, int]] = [(module, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return node.span
        stack.extend((child, depth + 1) for child in s.children(node))
    return None


def _syntax_diagnostic(exc: UnexpectedInput, text: str, file: str) -> Diagnostic:
    unclosed = unclosed_bracket(exc, text)
    if unclosed is not None:  # at the bracket never closed, not where the parser noticed
        opened, said, close = unclosed
        row, col = opened.line or 1, opened.column or 1
        return Diagnostic("E115", said, Span(file, row, col, row, col + 1), hint=close)
    line = getattr(exc, "line", 1) or 1
    col = getattr(exc, "column", 1) or 1
    if isinstance(exc, UnexpectedEOF) or line < 1:
        lines = text.splitlines() or [""]
        line, col = len(lines), len(lines[-1]) + 1
    width = 1
    token = getattr(exc, "token", None)
    if isinstance(token, Token) and token.type != "$END" and token.end_column:
        width = max(1, token.end_column - (token.column or token.end_column))
    code, message, hint = friendly_message(exc, text, _parser())
    hint = hint or declared_keyword_hint(text)
    return Diagnostic(code, message, Span(file, line, col, line, col + width), hint=hint)


# ---- comments ------------------------------------------------------------------------------


def _preorder(node: s.Node, out: list[s.Stmt]) -> None:
    if isinstance(node, s.Stmt):
        out.append(node)
    for child in s.children(node):
        _preorder(child, out)


def _inside_condition(stmts: list[s.Stmt], line: int, col: int) -> tuple[s.Stmt, int] | None:
    """The statement and operand (its index in :func:`~policyrules.syntax.chain_operands`) a
    comment on a line inside a condition follows: of the operands ending on that line before
    the comment, the one ending last, the outermost if several (``(a or b)  # c``: ``a or
    b``).  ``None`` on a condition's last line (there the comment ends the statement)."""
    for st in stmts:
        cond = s.condition_of(st)
        if cond is None or st.span is None or not st.span.line <= line < st.span.end_line:
            continue
        ends = [
            (op.span.end_col, -i)
            for i, op in enumerate(s.chain_operands(cond))
            if op.span is not None and op.span.end_line == line and op.span.end_col <= col
        ]
        if ends:
            return st, -max(ends)[1]
    return None


def _before_operand(stmts: list[s.Stmt], line: int, col: int) -> tuple[s.Stmt, int] | None:
    """A comment on a line of its own inside a condition, after its first line: the statement
    and ``-(i + 1)``, ``i`` the operand the comment precedes (the next to start, the
    outermost if several: ``(a or b)`` before ``a``), where ``Stmt.inner`` keeps it."""
    for st in stmts:
        cond = s.condition_of(st)
        if cond is None or st.span is None or not st.span.line < line < st.span.end_line:
            continue
        starts = [
            ((op.span.line, op.span.col), i)
            for i, op in enumerate(s.chain_operands(cond))
            if op.span is not None and (op.span.line, op.span.col) > (line, col)
        ]
        if starts:
            return st, -min(starts)[1] - 1
    return None


def _attach_comments(module: s.Module, tokens: list[Token]) -> s.Module:
    """Give each comment to the statement whose line it ends, else to the next statement."""
    if not tokens:
        return module
    stmts: list[s.Stmt] = []
    _preorder(module, stmts)
    leading: dict[int, list[str]] = {}
    trailing: dict[int, str] = {}
    inner: dict[int, list[tuple[int, str]]] = {}
    loose: list[str] = []
    header: list[str] = []
    first = module.items[0].span if module.items and module.items[0].span else None
    if first is not None:
        # A comment block at the top, set off by a blank line, is the file's header.
        block = [tok for tok in tokens if (tok.line or 0) < first.line]
        if block and (block[-1].line or 0) < first.line - 1:
            header = [str(tok).rstrip() for tok in block]
            tokens = tokens[len(block) :]
    for tok in tokens:
        text = str(tok).rstrip()
        line, col = tok.line or 0, tok.column or 0
        found = _inside_condition(stmts, line, col) or _before_operand(stmts, line, col)
        if found is not None:
            inner.setdefault(id(found[0]), []).append((found[1], text))
            continue
        ends_here = [
            st
            for st in stmts
            if st.span
            and st.span.end_line == line
            and st.span.end_col <= col
            and id(st) not in trailing
        ]
        if not ends_here:
            # A comment after the first line of a block (entity, clause...) trails that line.
            ends_here = [
                st
                for st in stmts
                if st.span and st.span.line == line and st.span.col < col and id(st) not in trailing
            ]
        if ends_here:
            trailing[id(ends_here[-1])] = text
            continue
        after = next(
            (st for st in stmts if st.span and (st.span.line, st.span.col) > (line, col)), None
        )
        if after is None:
            loose.append(text)
        else:
            leading.setdefault(id(after), []).append(text)

    def rebuild(node: Any) -> Any:
        if isinstance(node, tuple):
            return tuple(rebuild(x) for x in node)
        if not isinstance(node, s.Node):
            return node
        changes = {
            f.name: rebuild(getattr(node, f.name))
            for f in attrs.fields(type(node))
            if f.name not in ("span", "comments", "trailing", "inner")
        }
        if isinstance(node, s.Stmt):
            if id(node) in leading:
                changes["comments"] = tuple(leading[id(node)])
            if id(node) in trailing:
                changes["trailing"] = trailing[id(node)]
            if id(node) in inner:
                changes["inner"] = tuple(inner[id(node)])
        return attrs.evolve(node, **changes)

    rebuilt: s.Module = rebuild(module)
    return attrs.evolve(rebuilt, comments=tuple(loose), header=tuple(header))
