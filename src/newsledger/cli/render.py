"""The text report of analyze --format text, and the consoles that print reports and tables.

Written to a terminal, long lines wrap to its width; written to a pipe or a file, they do not: a
long quote stays on one line, for grep and for the next program."""
from __future__ import annotations

from typing import IO

from rich.console import Console
from rich.markup import escape

from ..text import marks

QUOTE_MARKS = marks.QUOTES + " "
JOINED = " … "  # between the pieces of one content ("...," she said, "...")
SHORTENED = " […] "  # where the report left out the middle of a long content


def is_terminal(out: IO[str]) -> bool:
    return bool(getattr(out, "isatty", None) and out.isatty())


def report_console(out: IO[str]) -> Console:
    """A console for the text report on `out`: wrapping to a terminal's width, never wrapping
    (soft wrap) into a pipe or a file."""
    terminal = is_terminal(out)
    return Console(file=out, highlight=False, soft_wrap=not terminal, force_terminal=terminal)


def table_console(out: IO[str]) -> Console:
    """A console for tables on `out`: a terminal's width, or, into a pipe or a file, a width no row
    reaches (a table takes the width its cells need: no value is folded onto a second line)."""
    if is_terminal(out):
        return Console(file=out, highlight=False)
    return Console(file=out, highlight=False, width=100_000)


def _snippet(text: str, spans, limit: int = 240, strip_quotes: bool = True) -> str:
    """The content, whitespace collapsed (and, for a direct quote, without its outer quotation
    marks), its pieces joined by " … "; a long one keeps its beginning and its end, " […] " between."""
    parts = [" ".join(text[s:e].split()) for s, e in spans]
    out = JOINED.join(p for p in parts if p)
    if strip_quotes:
        out = out.strip(QUOTE_MARKS).rstrip(",").rstrip(QUOTE_MARKS)
    if len(out) <= limit:
        return out
    head, tail = out[: limit * 2 // 3].rstrip(), out[-(limit // 3):].lstrip()
    return f"{head}{SHORTENED}{tail}"


def _number(x) -> str:
    """1300000.0 -> '1,300,000'; 0.25 -> '0.25'; None -> '?'."""
    if x is None:
        return "?"
    if float(x).is_integer() and abs(x) < 1e15:
        return f"{int(x):,}"
    return f"{x:,.6g}"


def _figure_line(led, fig) -> str:
    """"over 5,700 → >5700 Palestinians dead · Gaza · since October 7 · per local officials"."""
    said = " ".join(led.text[fig.span[0]:fig.span[1]].split())
    value = _number(fig.value)
    if fig.value_max is not None:
        value += f"–{_number(fig.value_max)}"
    approx = {"exact": "", "about": "~", "at_least": "≥", "at_most": "≤", "more_than": ">",
              "less_than": "<", "up_to": "≤"}.get(fig.approx, "")
    what = " ".join(x for x in (approx + value, fig.unit, fig.quantity) if x)
    parts = [f"{said} → {what}"]
    if fig.change:
        parts.append(fig.change)
    parts += [x for x in (fig.location, fig.time) if x]
    if fig.attribution is not None and 0 <= fig.attribution < len(led.attributions):
        src = led.attributions[fig.attribution].source
        who = src.name or (" ".join(led.text[src.span[0]:src.span[1]].split()) if src.span else None)
        if who and src.resolved is False:
            who += " (unresolved)"
        parts.append(f"per {who}" if who else "attributed")
    else:
        parts.append("unsourced")
    return " · ".join(parts)


def render_text(result, console: Console) -> None:
    """A readable report of one ledger (or error record) for a terminal."""
    from ..ledger import ErrorRecord

    if isinstance(result, ErrorRecord):
        console.print(f"[bold red]✗ {escape(str(result.id))}[/]  {escape(result.error.type)}: "
                      f"{escape(result.error.message)}")
        console.print()
        return
    led = result
    console.rule(f"[bold]{escape(led.id)}[/]", align="left")
    if led.title:
        console.print(f"[bold]{escape(led.title)}[/]")
    meta = [x for x in (led.outlet, led.author, led.published) if x]
    if meta:
        console.print("[dim]" + escape(" · ".join(meta)) + "[/]")
    for w in led.warnings:
        console.print(f"[yellow]warning:[/] {escape(w)}")
    names = {e.id: e.name for e in led.entities}
    console.print(f"[bold cyan]Entities[/] ({len(led.entities)})")
    for ent in sorted(led.entities, key=lambda e: (-len(e.mentions), e.name)):
        console.print(f"  {escape(ent.name)} [dim]{escape(ent.type)}[/] ×{len(ent.mentions)}")
    console.print(f"[bold cyan]Attributions[/] ({len(led.attributions)})")
    for att in led.attributions:
        src = att.source
        who = " ".join(led.text[src.span[0]:src.span[1]].split()) if src.span else "?"
        if src.entity and src.entity in names and names[src.entity] != who:
            who += f" (→ {names[src.entity]})"
        elif src.resolved is False:
            who += " (unresolved)"
        elif src.span and src.name and src.name != who:  # a relative pronoun's antecedent
            who += f" (→ {src.name})"
        elif not src.span and src.name:
            who = src.name
        cue = " ".join(led.text[att.cue.span[0]:att.cue.span[1]].split()) if att.cue else "—"
        if att.kind == "direct":
            what = f"{marks.LEFT_DOUBLE}{_snippet(led.text, att.content)}{marks.RIGHT_DOUBLE}"
        else:  # reported and mixed speech as written, its own quotation marks kept
            what = _snippet(led.text, att.content, strip_quotes=False)
        console.print(f"  [green]{escape(who)}[/] [magenta]{escape(cue)}[/] [dim]({att.kind})[/]")
        console.print(f"      {escape(what)}")
    if led.figures:
        console.print(f"[bold cyan]Figures[/] ({len(led.figures)})")
        for fig in led.figures:
            console.print("  " + escape(_figure_line(led, fig)))
    if led.dates:
        console.print(f"[bold cyan]Dates[/] ({len(led.dates)})")
        for d in led.dates:
            console.print(f"  {escape(' '.join(led.text[d.span[0]:d.span[1]].split()))} "
                          f"[dim]{d.type}[/] = {escape(d.value)}")
    console.print()


def _cell(value) -> str:
    """A value as a table cell: lists joined, numbers grouped, whitespace collapsed, at most 300 characters."""
    if value is None:
        return ""
    if isinstance(value, list):  # top-k lists of {"name", "count"}; a run's sources
        return ", ".join(f"{v['name']} ({v['count']})" if isinstance(v, dict) else str(v) for v in value)
    if isinstance(value, float):
        return _number(value)
    text_ = " ".join(str(value).split())
    return text_ if len(text_) <= 300 else text_[:299] + "…"


def ambiguous_name(row: dict, key: str = "speaker") -> dict:
    """An ambiguous actor's name as a table shows it: "Clinton (ambiguous: Hillary Clinton, Bill Clinton)"."""
    if not row.get("ambiguous"):
        return row
    who = ", ".join(c["name"] for c in row.get("candidates", [])[:4])
    return {**row, key: f"{row[key]} (ambiguous{': ' + who if who else ''})"}


def print_table(rows: list[dict], columns: list[tuple[str, str]]) -> None:
    """Rows (dicts) as a table on standard output, `columns` (key, title) in order; the count on
    standard error."""
    import sys

    from rich.table import Table

    from .errors import err

    table = Table(show_lines=False, highlight=False)
    for _, title in columns:
        table.add_column(title, overflow="fold")
    for row in rows:
        table.add_row(*[escape(_cell(row.get(key))) for key, _ in columns])
    table_console(sys.stdout).print(table)
    err.print(f"[dim]{len(rows)} row(s)[/]")
