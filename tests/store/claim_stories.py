"""Articles of one story told by several outlets, written for the claims tests: the mayor's promise
carried word for word by three outlets on different days, a misquote that drops its "not", one
that changes its year, one that gives it to another speaker, a partial quote, a reprint of the wire
story (a near-duplicate), and quotes of other claims beside them.

`STORIES`: article-v1 records (for `ingest` with the real pipeline); `ledger(story)`: the same
article's ledger made by hand (its quotes where `QUOTES` says), for tests that must not depend on
the extractors."""
from newsledger.ledger import Article, Attribution, Cue, Ledger, Source

PROMISE = "The harbor bridge will not close before the 2026 season, and no family on Cannery Row will lose its home"
NO_NOT = PROMISE.replace("will not close", "will close")
YEAR = PROMISE.replace("2026", "2027")
PART = "no family on Cannery Row will lose its home"
WARNED = "We were warned about these piers in 2019, and nobody on the council listened"

HARBOR_WIRE = (
    "PORT ALDER, March 12 (Harbor Wire) — Mayor Tomas Reyes said on Tuesday that repairs to the harbor "
    "bridge would be paid for from the city's reserve fund, not from a new tax.\n\n"
    f"“{PROMISE},” Reyes told reporters at City Hall.\n\n"
    "Engineers found cracks in two of the bridge's 14 piers last month, and the state has asked the city "
    "for a full inspection report by June.\n\n"
    f"Council member Dana Whitfield said the city should have acted sooner. “{WARNED},” Whitfield said.")

STORIES = [
    Article(id="harbor-wire", outlet="Harbor Wire", published="2024-03-12T08:00:00Z",
            title="Port Alder mayor vows harbor bridge stays open", text=HARBOR_WIRE),
    Article(id="coast-herald", outlet="Coast Herald", published="2024-03-13T10:30:00Z",
            title="Mayor moves to calm Cannery Row residents",
            text=("Port Alder's mayor moved on Wednesday to calm residents of Cannery Row, where many fear "
                  "that the harbor bridge repairs will cost them their homes.\n\n"
                  f"“{PROMISE},” Mayor Tomas Reyes said at a packed meeting in the community hall.\n\n"
                  "Engineers presented a repair plan that would close one lane at a time.")),
    Article(id="valley-post", outlet="Valley Post", published="2024-03-14T07:15:00Z",
            title="Bridge repairs: what residents need to know",
            text=("Repairs to the Port Alder harbor bridge are due to start in April, city officials said.\n\n"
                  f"“{PROMISE},” Mayor Tomas Reyes said this week.\n\n"
                  "Residents can follow the work on the city's website.")),
    Article(id="daily-ledger", outlet="Daily Ledger", published="2024-03-14T18:00:00Z",
            title="Harbor bridge to close, mayor says",
            text=("The harbor bridge in Port Alder is set for repairs that could take two years.\n\n"
                  f"“{NO_NOT},” Mayor Tomas Reyes said on Tuesday.\n\n"
                  "Commuters will have to use the coast road while the work goes on.")),
    Article(id="metro-times", outlet="Metro Times", published="2024-03-15T09:00:00Z",
            title="Port Alder sets bridge timetable",
            text=("Port Alder has set a timetable for repairs to its harbor bridge.\n\n"
                  f"“{YEAR},” Mayor Tomas Reyes said.\n\n"
                  "The council votes on the repair budget next month.")),
    Article(id="evening-star", outlet="Evening Star", published="2024-03-15T17:45:00Z",
            title="Deputy mayor reassures Cannery Row",
            text=("Residents of Cannery Row heard reassurances from City Hall on Friday.\n\n"
                  f"“{PROMISE},” Deputy Mayor Ana Ruiz said.\n\n"
                  "Ruiz said the city would publish the engineers' report in full.")),
    Article(id="river-gazette", outlet="River Gazette", published="2024-03-16T12:00:00Z",
            title="Cannery Row waits for the bridge crews",
            text=("Along Cannery Row, shop owners are counting the days until the bridge crews arrive.\n\n"
                  f"Mayor Tomas Reyes has promised that “{PART},” but many residents remain doubtful.\n\n"
                  "“We have heard promises before,” said Maria Lopez, who has run a bakery on the row for 20 years.")),
]
# a reprint of the wire story, hours later: a near-duplicate of its original, not analyzed again
REPRINT = Article(id="bay-times-reprint", outlet="Bay Times", published="2024-03-12T15:00:00Z",
                  title="Port Alder mayor vows harbor bridge stays open",
                  text="Reprinted from Harbor Wire.\n\n" + HARBOR_WIRE + "\n\nMore on our site.")

# each article's quotes: (content as in its text, kind, the source's mention (the first after the
# content, else the last before it), the source's name)
QUOTES = {
    "harbor-wire": [(f"“{PROMISE},”", "direct", "Reyes", "Tomas Reyes"),
                    (f"“{WARNED},”", "direct", "Whitfield", "Dana Whitfield")],
    "coast-herald": [(f"“{PROMISE},”", "direct", "Mayor Tomas Reyes", "Tomas Reyes")],
    "valley-post": [(f"“{PROMISE},”", "direct", "Mayor Tomas Reyes", "Tomas Reyes")],
    "daily-ledger": [(f"“{NO_NOT},”", "direct", "Mayor Tomas Reyes", "Tomas Reyes")],
    "metro-times": [(f"“{YEAR},”", "direct", "Mayor Tomas Reyes", "Tomas Reyes")],
    "evening-star": [(f"“{PROMISE},”", "direct", "Deputy Mayor Ana Ruiz", "Ana Ruiz")],
    "river-gazette": [(f"that “{PART},”", "mixed", "Mayor Tomas Reyes", "Tomas Reyes"),
                      ("“We have heard promises before,”", "direct", "Maria Lopez", "Maria Lopez")],
}
BY_ID = {s.id: s for s in STORIES}


def ledger(story: Article) -> Ledger:
    """The story's ledger by hand: its quotes (QUOTES), each source a name, the cue the verb nearest it."""
    text = story.text
    atts = []
    for content, kind, mention, name in QUOTES[story.id]:
        c = text.index(content)
        e = c + len(content)
        s = text.find(mention, e)
        s = s if s >= 0 else text.rindex(mention, 0, c)
        at = min(s, c)
        v, verb = min((text.find(w, at), w) for w in ("said", "told", "promised") if text.find(w, at) >= 0)
        atts.append(Attribution(kind=kind, content=[(c, e)], cue=Cue(span=(v, v + len(verb))),
                                source=Source(span=(s, s + len(mention)), name=name, resolved=True),
                                confidence=0.9))
    return Ledger(id=story.id, title=story.title, outlet=story.outlet, published=story.published,
                  language="en", text=text, attributions=atts)
