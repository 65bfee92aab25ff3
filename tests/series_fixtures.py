"""Small real-looking articles for the series tests (tests/store/test_series.py, the API and page
tests): one Gaza death toll over three days from two sources, phrased three ways, the sources
disagreeing on the third day; teachers registered in Ohio; a $49 heater and a $1.2 billion loss."""
STORIES = [
    {"id": "harbor-2023-10-10-gaza", "outlet": "Harbor Wire", "published": "2023-10-10T09:00:00Z",
     "title": "Gaza toll passes 1,400, ministry says",
     "text": "GAZA CITY, Oct 10 (Harbor Wire) — At least 1,400 people have been killed in Gaza since the fighting began, "
             "the Gaza Health Ministry said on Tuesday.\n\nHospitals across the strip are running short of fuel and "
             "medicine, the ministry said, and aid convoys remain stuck at the border crossing."},
    {"id": "courier-2023-10-11-gaza", "outlet": "Northern Courier", "published": "2023-10-11T11:30:00Z",
     "title": "Israeli military gives its own count",
     "text": "JERUSALEM, Oct 11 (Northern Courier) — The Israeli military said on Wednesday that 1,500 Palestinians "
             "were dead in Gaza, most of them fighters.\n\nThe figure could not be independently verified."},
    {"id": "harbor-2023-10-12-gaza", "outlet": "Harbor Wire", "published": "2023-10-12T08:15:00Z",
     "title": "Death toll rises again",
     "text": "GAZA CITY, Oct 12 (Harbor Wire) — The death toll in Gaza rose to 1,600 on Thursday, according to the "
             "Gaza Health Ministry.\n\nRescue workers were still searching the rubble of a collapsed building."},
    {"id": "courier-2023-10-12-gaza", "outlet": "Northern Courier", "published": "2023-10-12T16:40:00Z",
     "title": "Military disputes ministry figures",
     "text": "JERUSALEM, Oct 12 (Northern Courier) — About 1,300 Palestinians have died in Gaza, the Israeli military "
             "said on Thursday, disputing the health ministry's figures.\n\nThe army did not say how it counted."},
    {"id": "courier-2023-10-11-ohio", "outlet": "Northern Courier", "published": "2023-10-11T07:00:00Z",
     "title": "Teachers sign up for pension plan",
     "text": "COLUMBUS, Ohio, Oct 11 (Northern Courier) — More than 15,000 teachers registered for the new state "
             "pension plan in Ohio in its first week, officials said on Wednesday.\n\nThe plan opens to nurses next month."},
    {"id": "harbor-2023-10-11-brightmart", "outlet": "Harbor Wire", "published": "2023-10-11T14:00:00Z",
     "title": "Brightmart recalls heaters after loss",
     "text": "PORT ALDER, Oct 11 (Harbor Wire) — Brightmart is recalling a $49 heater sold in its stores after reports "
             "of fires, the retailer said on Wednesday.\n\nThe company also reported a $1.2 billion loss for the "
             "quarter, its chief executive, Dana Whitcombe, told investors."},
]

TOLL_IDS = ("harbor-2023-10-10-gaza", "courier-2023-10-11-gaza", "harbor-2023-10-12-gaza", "courier-2023-10-12-gaza")


def articles():
    from newsledger.ledger import Article

    return [Article(**s) for s in STORIES]
