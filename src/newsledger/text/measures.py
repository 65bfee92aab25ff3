"""What a figure counts, as a reader searches for it: the words of a figure's `quantity` that name a
state ("killed", "dead", "wounded") or a head that is its own measure ("troops", "votes"), each
mapped to one measure, so that one death toll phrased different ways is one series
(corpus/series.py). Data only.

A phrase of several words is matched before its words; each table maps a lower-case word or phrase
to the measure it names.
"""
from __future__ import annotations

# the state things are in: whatever the counted noun ("people", "Palestinians", "soldiers"),
# the state is what a reader searches by, and what makes two figures the same story
STATES = {
    "killed": ("killed", "dead", "died", "die", "dies", "death", "deaths", "death toll", "toll",
               "fatalities", "fatality", "slain", "lost their lives", "lives lost", "drowned",
               "murdered", "perished"),
    "injured": ("injured", "wounded", "hurt", "injuries", "injury", "maimed"),
    "casualties": ("casualties", "casualty", "killed or injured", "killed or wounded", "dead or injured",
                   "dead or wounded", "killed and injured", "killed and wounded"),
    "missing": ("missing", "disappeared", "unaccounted for", "unaccounted"),
    "displaced": ("displaced", "evacuated", "homeless", "fled", "forced from their homes",
                  "forced to flee", "evacuees"),
    "arrested": ("arrested", "detained", "jailed", "imprisoned", "in custody", "arrests", "detainees"),
    "hospitalized": ("hospitalized", "hospitalised", "in hospital"),
    "rescued": ("rescued",),
    "hostages": ("hostages", "hostage", "taken hostage", "abducted", "kidnapped", "held hostage", "captives"),
    "without power": ("without power", "without electricity", "lost power", "in the dark"),
    "cases": ("cases", "infected", "infections", "tested positive", "confirmed cases"),
}

# heads that are a measure whatever their state ("troops deployed", "soldiers stationed")
HEADS = {
    "troops": ("troops", "soldiers", "servicemen", "service members", "forces", "reservists"),
    "votes": ("votes", "ballots"),
    "jobs": ("jobs", "positions", "posts"),
    "refugees": ("refugees", "asylum seekers", "migrants"),
}

# a head's state that makes it another measure: jobs cut are not jobs created
HEAD_STATES = {
    "jobs": {"lost": ("lost", "cut", "shed", "axed", "eliminated", "slashed"),
             "added": ("added", "created", "filled")},
}

# words that say nothing of what is counted: a quantity of only these (and numbers) joins no series
GENERIC = frozenset("""
one ones people person persons individuals time times year years month months week weeks day days
hour hours minute minutes second seconds decade decades century centuries percent per cent number
numbers figure figures thing things other others more less total age point points lot lots unit units
them those these it some many all each every both several few dozen dozens hundred hundreds thousand
thousands million millions billion billions
""".split())

# the units of a duration or an age: such a figure joins no series ("lasted three years")
TIME_UNITS = frozenset("year month week day hour minute second decade century".split())

# words ending a quantity that is only a currency's name ("US dollars", "pounds sterling")
CURRENCY_WORDS = frozenset("""
dollar dollars euro euros pound pounds sterling yen yuan renminbi rupee rupees shekel shekels franc
francs rouble roubles ruble rubles won peso pesos real reais rand ringgit dirham dirhams crown crowns
kroner krone kronor krona lira riyal riyals naira cedi cedis shilling shillings baht dong rupiah zloty
""".split())
MINOR_CURRENCY_UNITS = frozenset(("cent", "pence", "sen"))

# what, said before a number whose quantity is not given, is its measure ("the death toll rose to 1,600")
LEAD_PHRASES = {
    "killed": ("death toll", "toll", "number of dead", "number of deaths", "number of people killed",
               "number of fatalities"),
    "injured": ("number of injured", "number of wounded", "number of people injured"),
    "missing": ("number of missing", "number of people missing"),
    "displaced": ("number of displaced", "number of people displaced"),
}

# words that are never a measure's noun: said after an amount of money, they are not what it is of
FUNCTION_WORDS = frozenset("""
a an the and or but nor so yet of in on at to for from by with without into onto over under about
above below after before since until than as per via each every this that these those which who whom
whose what when where while is are was were be been being am has have had do does did will would
shall should can could may might must not no it its their his her our your my they we he she you i
more less most least some any all also just only still even up down out off than then there here
million billion trillion thousand hundred bn mn m k year years month months week weeks day days
""".split())

# irregular plurals (a lemma for what the rule of endings gets wrong)
IRREGULAR_PLURALS = {"people": "people", "men": "man", "women": "woman", "children": "child",
                     "lives": "life", "wives": "wife", "feet": "foot", "teeth": "tooth", "mice": "mouse",
                     "geese": "goose", "police": "police", "news": "news", "series": "series",
                     "species": "species", "data": "data", "media": "media", "criteria": "criterion",
                     "analyses": "analysis", "crises": "crisis", "thieves": "thief", "leaves": "leaf",
                     "halves": "half", "shelves": "shelf", "wolves": "wolf", "knives": "knife"}
