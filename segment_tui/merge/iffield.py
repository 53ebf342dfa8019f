"""Nested field nodes and evaluation of Word ``IF`` fields.

Word evaluates ``{ IF expr1 op expr2 "true text" "false text" }`` during a mail merge after
substituting the MERGEFIELDs nested inside.  We do the same per record, so a template like
``{ IF { MERGEFIELD Gender } = "F" "Dear Ms" "Dear Mr" }`` merges correctly.

Supported: operators ``= <> < <= > >=``; numeric comparison when both sides are numbers,
otherwise case-sensitive text comparison; ``?``/``*`` wildcards when the right-hand side is
quoted and the operator is ``=`` or ``<>``; nested MERGEFIELDs and nested IFs anywhere in the
instruction; ``\\*`` case switches on the result.  Anything else (another nested field such
as PAGE, a missing operator, an IF spanning paragraphs) makes the compiler leave the IF
field untouched - its nested MERGEFIELDs are still merged - and nothing is reported as an
error.
"""

from __future__ import annotations

import decimal
import re
from dataclasses import dataclass

from .slots import ContentSlot, RenderContext, TextWriter
from .switches import FieldSpec, apply_cases, parse_switches

_OPERATORS = frozenset({"=", "<>", "<", "<=", ">", ">="})


@dataclass(frozen=True)
class MergeNode:
    """A MERGEFIELD nested in another field's instruction."""

    spec: FieldSpec

    @property
    def specs(self) -> tuple[FieldSpec, ...]:
        """The merge fields this node uses."""
        return (self.spec,)

    def text(self, ctx: RenderContext) -> str:
        """The field's formatted value (or its visible fallback)."""
        return ctx.field_text(self.spec)


@dataclass(frozen=True)
class OpaqueNode:
    """A nested field we do not evaluate (PAGE, DATE, an IF we could not parse...)."""

    specs: tuple[FieldSpec, ...] = ()

    def text(self, ctx: RenderContext) -> str:
        """Opaque nodes never get evaluated; a parent containing one is left alone."""
        raise NotImplementedError


OPAQUE = OpaqueNode()


@dataclass(frozen=True)
class Token:
    """One argument of an IF instruction: literal text and nested nodes, maybe quoted."""

    parts: tuple[str | MergeNode | IfNode, ...]
    quoted: bool

    def text(self, ctx: RenderContext) -> str:
        """The argument's text for this record."""
        return "".join(p if isinstance(p, str) else p.text(ctx) for p in self.parts)

    @property
    def literal(self) -> str | None:
        """The text when the token has no nested nodes."""
        if all(isinstance(p, str) for p in self.parts):
            return "".join(p for p in self.parts if isinstance(p, str))
        return None


@dataclass(frozen=True)
class IfNode:
    """A compiled ``IF expr1 op expr2 "true" "false"`` field."""

    left: Token
    op: str
    right: Token
    when_true: Token
    when_false: Token | None
    cases: tuple[str, ...]
    specs: tuple[FieldSpec, ...]

    def text(self, ctx: RenderContext) -> str:
        """Evaluate the condition for this record and return the chosen text."""
        a, b = self.left.text(ctx), self.right.text(ctx)
        chosen = self.when_true if _compare(a, self.op, b, self.right.quoted) else self.when_false
        result = chosen.text(ctx) if chosen is not None else ""
        return apply_cases(result, self.cases)


Part = str | MergeNode | OpaqueNode | IfNode


@dataclass(frozen=True)
class IfSlot(ContentSlot):
    """Slot that renders an evaluated IF field."""

    node: IfNode
    write: TextWriter

    def render(self, ctx: RenderContext) -> str:
        """Escaped result text of the IF for this record."""
        return self.write(self.node.text(ctx))


def compile_if(parts: list[Part]) -> IfNode | None:
    """Compile the instruction of an IF field; ``None`` when we cannot evaluate it."""
    if any(isinstance(p, OpaqueNode) for p in parts):
        return None
    tokens = _tokenize([p for p in parts if not isinstance(p, OpaqueNode)])
    if not tokens or tokens[0].quoted or (tokens[0].literal or "").upper() != "IF":
        return None
    args: list[Token] = []
    rest: list[tuple[str, bool]] = []
    for tok in tokens[1:]:
        lit = tok.literal
        if rest or (not tok.quoted and lit is not None and lit.startswith("\\")):
            if lit is None:
                return None
            rest.append((lit, tok.quoted))
        else:
            args.append(tok)
    if len(args) not in (4, 5):
        return None
    op = args[1].literal
    if args[1].quoted or op not in _OPERATORS:
        return None
    specs: list[FieldSpec] = []
    for tok in args:
        for p in tok.parts:
            if not isinstance(p, str):
                specs.extend(p.specs)
    cases = parse_switches(rest).cases
    false = args[4] if len(args) == 5 else None
    return IfNode(args[0], op, args[2], args[3], false, cases, tuple(specs))


def _tokenize(parts: list[str | MergeNode | IfNode]) -> list[Token]:
    """Split instruction parts into tokens; nested nodes stick to adjacent text."""
    tokens: list[Token] = []
    cur: list[str | MergeNode | IfNode] | None = None
    quoted = False

    def flush() -> None:
        nonlocal cur
        if cur is not None:
            tokens.append(Token(_merge_strings(cur), quoted))
        cur = None

    for part in parts:
        if not isinstance(part, str):
            cur = [] if cur is None else cur
            cur.append(part)
            continue
        i = 0
        while i < len(part):
            ch = part[i]
            if quoted:
                if ch == "\\" and i + 1 < len(part) and part[i + 1] in '"\\':
                    assert cur is not None
                    cur.append(part[i + 1])
                    i += 1
                elif ch == '"':
                    flush()
                    quoted = False
                else:
                    assert cur is not None
                    cur.append(ch)
            elif ch.isspace():
                flush()
            elif ch == '"':
                flush()
                cur, quoted = [], True
            else:
                cur = [] if cur is None else cur
                cur.append(ch)
            i += 1
    flush()
    return tokens


def _merge_strings(parts: list[str | MergeNode | IfNode]) -> tuple[str | MergeNode | IfNode, ...]:
    out: list[str | MergeNode | IfNode] = []
    for p in parts:
        if isinstance(p, str) and out and isinstance(out[-1], str):
            out[-1] = out[-1] + p
        else:
            out.append(p)
    return tuple(out)


def _compare(a: str, op: str, b: str, b_quoted: bool) -> bool:
    if op in ("=", "<>") and b_quoted and ("*" in b or "?" in b):
        pattern = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in b)
        matched = re.fullmatch(pattern, a, re.DOTALL) is not None
        return matched if op == "=" else not matched
    na, nb = _number(a), _number(b)
    c = (na > nb) - (na < nb) if na is not None and nb is not None else (a > b) - (a < b)
    if op == "=":
        return c == 0
    if op == "<>":
        return c != 0
    if op == "<":
        return c < 0
    if op == "<=":
        return c <= 0
    if op == ">":
        return c > 0
    return c >= 0


def _number(text: str) -> decimal.Decimal | None:
    try:
        d = decimal.Decimal(text.strip())
    except decimal.InvalidOperation:
        return None
    return d if d.is_finite() else None
