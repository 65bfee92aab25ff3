"""The web pages, served by the same app as the API: paste or upload an article and see its ledger;
the annotated article (quotes in their speaker's colour, cue and source marked, figures with their
source and date, entities linked); speaker and entity pages; a figure timeline (Vega-Lite, shipped
in static/vendor); series of figures, each with a chart drawn here as SVG (web/chart.py); search.

Safety: every piece of article text and metadata reaches the page through Jinja2 with autoescape on;
article-supplied URLs become links only when they are http(s); long titles are cut for display.
The pages' Content-Security-Policy (`PAGE_CSP`) allows scripts and styles from the app itself only:
no inline script or style, no eval (Vega runs its expressions with vega-interpreter), so a script
smuggled into an article cannot run even if it were ever rendered unescaped.
"""
from __future__ import annotations

import bisect
import hmac
from pathlib import Path
from typing import Optional
from urllib.parse import quote, urlencode, urlsplit

import anyio
from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape

from .. import __version__
from ..store import Store, queries, read
from ..store import provenance
from .turns import Busy, TooSlow, Turns

HERE = Path(__file__).parent
PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
PAGE_SIZE = 50
TITLE_CHARS = 300  # titles are cut to this on every page (a 5 MB title must not weigh on any)
PALETTE = 12  # speaker colours: CSS classes s0..s11 in static/app.css
UPLOAD_TYPES = (".txt", ".text", ".html", ".htm")

templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True),
                        trim_blocks=True, lstrip_blocks=True)


def _short(value: Optional[str], limit: int = TITLE_CHARS) -> str:
    if not value:
        return ""
    return value if len(value) <= limit else value[:limit].rstrip() + "…"


def _safe_url(value: Optional[str]) -> Optional[str]:
    """The URL if it may be a link (http or https, and a host), else None: it is then shown as text."""
    if not value or len(value) > 2000:
        return None
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return None
    return value.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def _speaker_href(name: str) -> str:
    return "/speakers/" + quote(name, safe="")




def is_page(path: str) -> bool:
    """Whether `path` is one of the pages (HTML answers), not the API."""
    return not (path.startswith("/api") or path == "/openapi.json")


def render(template: str, status: int = 200, /, **context) -> HTMLResponse:
    return HTMLResponse(templates.get_template(template).render(**context), status_code=status)


def error_page(status: int, message: str) -> HTMLResponse:
    titles = {400: "Bad request", 401: "Token needed", 403: "Not from this site", 404: "Not found", 413: "Too large", 422: "Cannot analyze",
              503: "Too slow"}
    return render("error.html", status, title=titles.get(status, "Error"), message=message)


# ---------------------------------------------------------------- the annotated article

UNNAMED = "unnamed source"


def _speaker_of(att) -> Optional[str]:
    """The speaker's name, which a speaker page has; None for no source, or one that is a bare
    pronoun nothing resolved ("I", "who"), which is no speaker."""
    return None if att.source.resolved is False else (att.source.name or None)


def _label_of(att) -> str:
    """How a quote's source reads on the article page: its speaker, the unresolved pronoun as such,
    or "unnamed source"."""
    who = _speaker_of(att)
    if who:
        return who
    if att.source.resolved is False and att.source.name:
        return f"{att.source.name} (unresolved)"
    return UNNAMED


def _number(value: Optional[float]) -> str:
    return "" if value is None else f"{value:,.10g}"


def figure_value(fig) -> str:
    """'at least 14', '150,000,000 USD', '3–5 percent': a figure (ledger record or query row) as read."""
    get = fig.get if isinstance(fig, dict) else lambda k: getattr(fig, k)
    value = _number(get("value")) + (f"–{_number(get('value_max'))}" if get("value_max") is not None else "")
    approx = get("approx") or "exact"
    words = [approx.replace("_", " ") if approx != "exact" else "", value, get("unit") or "",
             f"({get('change')})" if get("change") else ""]
    return " ".join(w for w in words if w)


def _figure_tip(fig, source: Optional[str], led) -> str:
    """One line about a figure: value, what it counts, source, date (the tooltip in the text)."""
    parts = [figure_value(fig)]
    if fig.quantity:
        parts.append(f"counts: {_short(fig.quantity, 80)}")
    parts.append(f"source: {_short(source, 80)}" if source else "no source given")
    when = fig.time or led.published
    if when:
        parts.append(f"when: {_short(when, 40)}")
    return "; ".join(p for p in parts if p)


def with_actor_names(led, names: dict[str, str]):
    """The ledger with each quote's source named as the corpus names its actor ("Trump" →
    "Donald Trump"), for the page: its speaker links then lead to the one speaker page."""
    if led is None or not names:
        return led
    atts = [att.model_copy(update={"source": att.source.model_copy(update={"name": names[att.source.entity]})})
            if att.source.entity in names and att.source.resolved is not False else att
            for att in led.attributions]
    return led.model_copy(update={"attributions": atts})


def annotate(led, entity_ids: dict[str, int]) -> dict:
    """The article text cut into segments for the template: outer segments are quote contents (or
    plain text); inside each, pieces are plain text or a marked cue, source, figure, date or entity
    mention. Overlaps are settled by priority (first wins), so the markup always nests."""
    text = led.text
    n = len(text)
    speakers: dict[str, int] = {}  # speaker name -> index in the legend, in order of first quote
    counts: dict[str, int] = {}
    named: set[str] = set()  # the legend's names that have a speaker page
    for att in led.attributions:
        who = _label_of(att)
        speakers.setdefault(who, len(speakers))
        counts[who] = counts.get(who, 0) + 1
        if _speaker_of(att):
            named.add(who)

    def clip(span):
        s, e = max(0, int(span[0])), min(n, int(span[1]))
        return (s, e) if s < e else None

    def claim(taken: list, sp) -> bool:
        """Take `sp` into the sorted, disjoint `taken` unless it overlaps one there."""
        if sp is None:
            return False
        k = bisect.bisect_left(taken, sp)
        if (k > 0 and taken[k - 1][1] > sp[0]) or (k < len(taken) and taken[k][0] < sp[1]):
            return False
        taken.insert(k, sp)
        return True

    # outer: quote contents, non-overlapping
    outer, taken = [], []
    for i, att in enumerate(led.attributions):
        who = _label_of(att)
        for j, span in enumerate(att.content):
            sp = clip(span)
            if claim(taken, sp):
                outer.append((sp[0], sp[1], {"quote": i, "first": j == 0, "speaker": who,
                                             "colour": speakers[who] % PALETTE, "number": speakers[who] + 1,
                                             "kind": att.kind}))
    outer.sort(key=lambda x: x[0])

    # inner: by priority figure > cue > source > date > entity mention, non-overlapping
    fig_source = {}
    for k, fig in enumerate(led.figures):
        if fig.attribution is not None and 0 <= fig.attribution < len(led.attributions):
            label = _label_of(led.attributions[fig.attribution])
            fig_source[k] = None if label == UNNAMED else label
    candidates = []
    for k, fig in enumerate(led.figures):
        candidates.append((0, fig.span, {"type": "figure", "index": k, "tip": _figure_tip(fig, fig_source.get(k), led)}))
    for i, att in enumerate(led.attributions):
        who = _label_of(att)
        if att.cue:
            candidates.append((1, att.cue.span, {"type": "cue", "quote": i}))
        if att.source.span:
            candidates.append((2, att.source.span, {"type": "source", "quote": i, "speaker": _speaker_of(att),
                                                    "colour": speakers[who] % PALETTE, "number": speakers[who] + 1}))
    for d in led.dates:
        candidates.append((3, d.span, {"type": "date", "value": d.value}))
    for ent in led.entities:
        for span in ent.mentions:
            candidates.append((4, span, {"type": "entity", "name": ent.name, "entity_type": ent.type,
                                         "id": entity_ids.get(ent.id)}))
    candidates.sort(key=lambda c: (c[0], c[1][0]))
    occupied: list[tuple[int, int]] = []
    inner = []
    for _prio, span, info in candidates:
        sp = clip(span)
        if claim(occupied, sp):
            inner.append((sp[0], sp[1], info))
    inner.sort(key=lambda x: x[0])

    # cut the text at outer boundaries, then each outer segment at its inner pieces
    cuts, pos = [], 0
    for s, e, info in outer:
        if s > pos:
            cuts.append((pos, s, None))
        cuts.append((s, e, info))
        pos = e
    if pos < n:
        cuts.append((pos, n, None))
    segments, k = [], 0
    for s, e, info in cuts:
        pieces, at = [], s
        while k < len(inner) and inner[k][1] <= s:
            k += 1
        j = k
        while j < len(inner) and inner[j][0] < e:
            ps, pe, pinfo = inner[j]
            ps, pe = max(ps, s), min(pe, e)
            if ps > at:
                pieces.append({"text": text[at:ps]})
            pieces.append({"text": text[ps:pe], **pinfo})
            at = pe
            j += 1
        if at < e:
            pieces.append({"text": text[at:e]})
        segments.append({"quote": info, "pieces": pieces})
    legend = [{"name": who, "number": i + 1, "colour": i % PALETTE, "quotes": counts[who],
               "named": who in named} for who, i in speakers.items()]
    fig_speaker = {k: who for k, who in fig_source.items() if who in named}
    return {"segments": segments, "legend": legend, "fig_source": fig_source, "fig_speaker": fig_speaker}


templates.filters.update(short=_short, safe_url=_safe_url, speaker_href=_speaker_href, figure_value=figure_value)
templates.globals.update(version=__version__)


# ---------------------------------------------------------------- the chart

def _figure_source(row: dict) -> str:
    if not row["source"]:
        return "(no source)"
    return row["source"] + (" (unresolved)" if row.get("source_resolved") is False else "")


def timeline_spec(quantity: str, rows: list[dict]) -> Optional[dict]:
    """A Vega-Lite spec of one quantity over publication dates, a line and points by source."""
    data = [{"date": (r["published"] or "")[:10], "value": r["value"], "source": _figure_source(r),
             "article": _short(r["title"] or r["article"], 120), "text": _short(r["text"], 120)}
            for r in rows if r["value"] is not None and r["published"]]
    if not data:
        return None
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": f"{quantity}: each figure by publication date, coloured by source",
        "width": "container", "height": 280, "autosize": {"type": "fit-x", "contains": "padding"},
        "data": {"values": data},
        "encoding": {
            "x": {"field": "date", "type": "temporal", "title": "published"},
            "y": {"field": "value", "type": "quantitative", "title": quantity[:80]},
            "color": {"field": "source", "type": "nominal", "title": "source",
                      "legend": {"orient": "bottom", "columns": 1, "labelLimit": 220}},
        },
        "layer": [
            {"mark": {"type": "line", "interpolate": "step-after", "opacity": 0.5}},
            {"mark": {"type": "point", "filled": True, "size": 80},
             "encoding": {"tooltip": [{"field": "date", "type": "temporal"}, {"field": "value", "type": "quantitative"},
                                      {"field": "source"}, {"field": "text"}, {"field": "article"}]}},
        ],
    }


def _point_href(point: dict) -> str:
    """A series point's figure, in its sentence on its article's page."""
    return f"/articles/{quote(point['article_key'], safe='')}#ft-{int(point['position'])}"


def _series_title(s: dict) -> str:
    """"killed in Gaza", "heater (USD) in Texas"."""
    return _short(s["measure"] + (f" ({s['unit']})" if s["unit"] else "") + (f" in {s['place']}" if s["place"] else ""), 160)


templates.filters.update(series_title=_series_title)


# ---------------------------------------------------------------- routes

def _page(page: int) -> tuple[int, int]:
    return PAGE_SIZE, (page - 1) * PAGE_SIZE


def _more(items: list, limit: int) -> tuple[list, bool]:
    return items[:limit], len(items) > limit


def add_pages(app: FastAPI, store: Store, turns: Turns, *, token: Optional[str] = None,
              max_body: int = 2_000_000) -> None:
    """The HTML pages and their static files, on the app that `create_app` made; pasted articles
    are analyzed in `turns`, the same line as the API's analyses."""
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    page_q = Query(1, ge=1, le=100_000)
    text_q = Query(None, max_length=500)

    def needs_token() -> bool:
        return token is not None

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home():
        return render("home.html", title="Analyze an article", needs_token=needs_token(), form={},
                      recent=queries.articles(store, limit=10))

    @app.post("/analyze", response_class=HTMLResponse, include_in_schema=False)
    async def analyze_form(request: Request):
        from ..corpus.batch import load
        from ..ledger import Article
        from ..store.write import article_key
        from .turns import analyze_for_store

        form = await request.form(max_files=1, max_fields=20, max_part_size=max_body)
        fields = {k: (form.get(k) or "").strip() if isinstance(form.get(k), str) else ""
                  for k in ("title", "url", "outlet", "published", "token")}
        fields["text"] = form.get("text") if isinstance(form.get("text"), str) else ""  # as given: offsets point into it

        def again(status: int, message: str):
            shown = {k: v for k, v in fields.items() if k != "token"}
            return render("home.html", status, title="Analyze an article", needs_token=needs_token(),
                          form=shown, error=message, recent=[])

        if token is not None and not hmac.compare_digest(fields["token"].encode(), token.encode()):
            return again(401, "This server needs its write token: give it in the token field.")
        upload = form.get("file")
        html = None
        text = fields["text"] if fields["text"].strip() else None
        if upload is not None and not isinstance(upload, str) and upload.filename:
            name = upload.filename.lower()
            if not name.endswith(UPLOAD_TYPES):
                return again(422, "Upload a .txt or .html file.")
            raw = await upload.read()
            try:
                content = raw.decode("utf-8")
            except UnicodeDecodeError:
                return again(422, "The file is not UTF-8 text.")
            if name.endswith((".html", ".htm")):
                html, text = content, None
            else:
                text = content
        if not (text or html or "").strip():
            return again(422, "Paste the article's text or choose a file.")
        if fields["published"]:
            from ..ingest import parse_published

            if parse_published(fields["published"]) is None:
                return again(422, "The date must look like 2024-03-14 (ISO 8601).")
        article = Article(id=(fields["title"][:80] or "pasted article"), text=text, html=html,
                          title=fields["title"] or None, url=fields["url"] or None,
                          outlet=fields["outlet"] or None, published=fields["published"] or None)
        key = article_key(article)
        if queries.article(store, key) is not None:  # stored already: nothing to do again
            return RedirectResponse(f"/articles/{key}", status_code=303)
        try:
            outcome = await turns.run(analyze_for_store, (article, key))
        except (Busy, TooSlow) as exc:
            return again(503, f"{str(exc)[0].upper()}{str(exc)[1:]}.")
        # stored here, as a batch run stores a worker's outcome (a near-copy linked to its original)
        summary = await anyio.to_thread.run_sync(lambda: load([(key, outcome)], store, ["web form"]))
        if queries.article(store, key) is None:
            why = summary.failures[0].error if summary.failures else None
            return again(422, f"The article could not be analyzed: {why.message} ({why.type})." if why
                         else "The article could not be analyzed.")
        return RedirectResponse(f"/articles/{key}", status_code=303)

    @app.get("/articles", response_class=HTMLResponse, include_in_schema=False)
    def article_list(q: Optional[str] = text_q, page: int = page_q):
        limit, offset = _page(page)
        items, more = _more(queries.articles(store, text=q or None, limit=limit + 1, offset=offset), limit)
        return render("articles.html", title="Articles", items=items, q=q or "", page=page, more=more)

    @app.get("/articles/{key}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(key: str):
        meta = queries.article(store, key) if len(key) <= 64 else None
        if meta is None:
            return error_page(404, "No stored article has this key.")
        led = with_actor_names(read.ledger(store, key), queries.entity_actor_names(store, key))
        ids = queries.entity_ids(store, key)
        return render("article.html", title=_short(meta["title"] or meta["article"], 120), meta=meta, led=led,
                      entity_ids=ids, claims=provenance.article_claims(store, key), **annotate(led, ids))

    @app.get("/speakers", response_class=HTMLResponse, include_in_schema=False)
    def speaker_list(q: Optional[str] = Query(None, max_length=200)):
        return render("speakers.html", title="Speakers", q=q or "",
                      items=queries.speakers(store, name=q or None, limit=PAGE_SIZE))

    @app.get("/speakers/{name:path}", response_class=HTMLResponse, include_in_schema=False)
    def speaker_page(name: str, page: int = page_q):
        if len(name) > 500:
            return error_page(404, "No speaker has this name.")
        limit, offset = _page(page)
        items, more = _more(queries.quotes(store, speaker_is=name, limit=limit + 1, offset=offset), limit)
        if not items and page == 1:
            known = queries.actor(store, name, articles=0)  # "Trump": a name of Donald Trump's
            if known is not None and known["name"] != name:
                return RedirectResponse(_speaker_href(known["name"]), status_code=307)
            return error_page(404, "No stored quote has this speaker.")
        profile = next(iter(queries.speakers(store, name=name, exact=True, limit=1)), None)
        actor_id = (profile or {}).get("actor")
        entities = queries.entities(store, actor=actor_id, limit=20) if actor_id is not None \
            else queries.entities_named(store, name, limit=20)
        return render("speaker.html", title=_short(name, 120), name=name, items=items, profile=profile,
                      entities=entities, page=page, more=more)

    @app.get("/entities/{entity_id}", response_class=HTMLResponse, include_in_schema=False)
    def entity_page(entity_id: int):
        ent = queries.entity(store, entity_id) if 0 < entity_id < 2**62 else None
        if ent is None:
            return error_page(404, "No stored entity has this id.")
        actor = ent["actor"]
        same = queries.entities(store, actor=actor["id"], limit=50) if actor \
            else queries.entities_named(store, ent["name"], limit=50)
        said = queries.quotes(store, speaker_is=actor["name"] if actor else ent["name"], limit=20)
        about = queries.quotes(store, mentioning=ent["name"], limit=20)
        return render("entity.html", title=_short(ent["name"], 120), ent=ent, same=same, said=said, about=about)

    @app.get("/figures", response_class=HTMLResponse, include_in_schema=False)
    def figure_page(quantity: Optional[str] = Query(None, max_length=200), page: int = page_q):
        quantities = queries.figure_quantities(store, limit=100)
        rows, spec, more = [], None, False
        if quantity:
            limit, offset = _page(page)
            rows, more = _more(queries.figures(store, quantity=quantity, limit=limit + 1, offset=offset), limit)
            spec = timeline_spec(quantity, queries.figures(store, quantity=quantity, limit=1000))
        return render("figures.html", title=f"Figures: {_short(quantity, 80)}" if quantity else "Figures",
                      quantity=quantity or "", quantities=quantities, rows=rows, spec=spec, page=page, more=more)

    @app.get("/series", response_class=HTMLResponse, include_in_schema=False)
    def series_list(measure: Optional[str] = Query(None, max_length=120), place: Optional[str] = Query(None, max_length=200),
                    disagree: bool = False, page: int = page_q):
        limit, offset = _page(page)
        items, more = _more(queries.series(store, measure=measure or None, place=place or None,
                                           disagree=True if disagree else None, limit=limit + 1, offset=offset), limit)
        params = "".join(f"{k}={quote(v, safe='')}&" for k, v in (("measure", measure), ("place", place)) if v)
        return render("series_list.html", title="Series", items=items, measure=measure or "", place=place or "",
                      disagree=disagree, page=page, more=more, params=params + ("disagree=true&" if disagree else ""))

    @app.get("/series/{series_id}", response_class=HTMLResponse, include_in_schema=False)
    def series_page(series_id: int):
        from .chart import series_chart, voice

        found = queries.one_series(store, series_id) if 0 < series_id < 2**62 else None
        if found is None:
            return error_page(404, "No series has this id.")
        chart = series_chart(found["items"], _point_href)
        return render("series.html", title=_series_title(found), s=found, chart=chart, voice=voice,
                      href=_point_href)

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search(q: Optional[str] = text_q):
        found = queries.search(store, q, limit=PAGE_SIZE) if q else {"quotes": [], "articles": []}
        return render("search.html", title=f"Search: {_short(q, 80)}" if q else "Search", q=q or "", **found)

    @app.get("/claims", response_class=HTMLResponse, include_in_schema=False)
    def claim_list(speaker: Optional[str] = Query(None, max_length=200), q: Optional[str] = text_q,
                   changed: bool = False, page: int = page_q):
        limit, offset = _page(page)
        items, more = _more(provenance.claims(store, speaker=speaker or None, text=q or None, changed=changed or None,
                                              limit=limit + 1, offset=offset), limit)
        params = urlencode([(k, v) for k, v in (("speaker", speaker), ("q", q), ("changed", "true" if changed else ""))
                            if v])
        return render("claims.html", title="Claims", items=items, speaker=speaker or "", q=q or "", changed=changed,
                      page=page, more=more, params=params + "&" if params else "")

    @app.get("/claims/{claim_id}", response_class=HTMLResponse, include_in_schema=False)
    def claim_page(claim_id: int):
        found = provenance.claim(store, claim_id) if 0 < claim_id < 2**62 else None
        if found is None:
            return error_page(404, "No claim has this id.")
        return render("claim.html", title=f"Claim: {_short(found['quote'], 80)}", c=found,
                      variants=claim_variants(found))


def claim_variants(found: dict) -> list[dict]:
    """A claim's variants beside its first occurrence: each quote cut into pieces, the words that
    differ marked (corpus.provenance.side_by_side), and the speakers."""
    from ..corpus.provenance import side_by_side

    first = next((o for o in found["timeline"] if o["first"]), None)
    if first is None:
        return []
    out = []
    for o in found["timeline"]:
        if o["variant"]:
            left, right = side_by_side(first["quote"], o["quote"])
            out.append({"occurrence": o, "first": first, "left": left, "right": right,
                        "kinds": sorted({ch["kind"] for ch in o["changes"]})})
    return out
