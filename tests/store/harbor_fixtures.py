"""Small island-harbor articles for the corpus-layer tests (linking stored articles, exports with
actors): each quotes the harbor master's ferry pledge, given to "Ana Reyes" or "A. Reyes", and
reports the harbor patrol's count of people injured on Gull Island, a figure that joins a series."""
from newsledger import ledger as L
from newsledger.store.write import ToStore

PLEDGE = "The ferry to Gull Island will run every hour from the first of June"


def harbor_story(i: int, speaker: str, injured: int, outlet: str, day: str) -> ToStore:
    """“PLEDGE,” said SPEAKER at the pier. The Harbor Patrol said N people were injured on Gull Island."""
    text = (f"\u201c{PLEDGE},\u201d said {speaker} at the pier.\n\n"
            f"The Harbor Patrol said {injured} people were injured on Gull Island when the storm hit.")
    quote = text.index(PLEDGE)
    who = text.index(speaker, quote + len(PLEDGE))
    patrol, island = text.index("Harbor Patrol"), text.index("Gull Island", quote + len(PLEDGE))
    said = text.index(str(injured))
    figure = (said, said + len(str(injured)))
    led = L.Ledger(id=f"harbor-{i}", text=text, outlet=outlet, published=day, entities=[
        L.Entity(id="E1", name=speaker, type="PERSON", mentions=[(who, who + len(speaker))]),
        L.Entity(id="E2", name="Harbor Patrol", type="ORG", mentions=[(patrol, patrol + 13)]),
        L.Entity(id="E3", name="Gull Island", type="GPE", mentions=[(island, island + 11)])],
        attributions=[
            L.Attribution(kind="direct", content=[(quote, quote + len(PLEDGE))], type="intention",
                          source=L.Source(span=(who, who + len(speaker)), entity="E1", name=speaker, resolved=True)),
            L.Attribution(kind="indirect", content=[(said, text.index(" when"))], type="statement",
                          source=L.Source(span=(patrol, patrol + 13), entity="E2", name="Harbor Patrol",
                                          resolved=True))],
        figures=[L.Figure(span=figure, value=injured, quantity="people injured", attribution=1)])
    return ToStore(led, f"harbor-key-{i}")


STORIES = [harbor_story(1, "Ana Reyes", 12, "Island Courier", "2024-05-02"),
           harbor_story(2, "Ana Reyes", 14, "Coast Herald", "2024-05-03"),
           harbor_story(3, "A. Reyes", 15, "Valley Post", "2024-05-03")]
