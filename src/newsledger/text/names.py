"""Names of people and organizations, as data: the pronouns that name nobody, the titles and
descriptions written before a person's name, the legal forms that end an organization's, and the
small words that stand inside names. `corpus/actors.py` reads names with them."""
from __future__ import annotations

# Personal, possessive, reflexive, relative, demonstrative and indefinite pronouns: a name made of
# these alone ("He", "They") names nobody (a source made of them is no speaker: pipeline.py).
PRONOUNS = frozenset("""
i me my mine myself we us our ours ourselves you your yours yourself yourselves
he him his himself she her hers herself it its itself they them their theirs themselves
one oneself who whom whose which that what whoever whatever this these those
someone somebody anyone anybody everyone everybody nobody none others another
some many few several all both most each either neither
""".split())

# Words written before a person's name that are not part of it: honorifics, offices, ranks and the
# descriptions news writing glues to a name ("Billionaire Donald Trump", "Presidential candidate
# Marco Rubio"). Lower case, without their period; read only before a capitalized word, and only
# for a PERSON's name (an organization's "General" is its own: General Motors).
TITLES = frozenset("""
mr mrs ms miss mx dr prof professor sir dame lord lady rev reverend fr msgr
president vice pres sen senator rep representative congressman congresswoman gov governor
mayor judge justice chief secretary sec minister premier chancellor ambassador amb commissioner
attorney general gen col colonel maj lt lieut capt captain cmdr adm admiral sgt cpl pvt
sheriff detective det inspector officer speaker chairman chairwoman chair ceo
king queen prince princess pope cardinal bishop archbishop rabbi imam sheikh ayatollah
billionaire businessman businesswoman tycoon mogul candidate nominee frontrunner front-runner
presidential democratic democrat republican gop former then late acting deputy prime
""".split())

# Legal forms that end an organization's name ("Pacific Gas & Electric Co.", "Apple Inc."), lower
# case, without periods; dropped from its matching key (never the whole name).
LEGAL_FORMS = frozenset("""
inc incorporated corp corporation co company cos ltd limited llc plc lp llp pllc
gmbh ag sa nv bv spa srl pty pte oyj kk
""".split())

# Generational suffixes: part of the name ("Hank Williams Jr." is not his father), never an initial.
GENERATIONAL = frozenset("jr sr ii iii iv v".split())

# Small words that stand inside names in lower case ("Bank of America", "Ludwig van Beethoven",
# "Osama bin Laden"): a mention made of capitalized words and these reads as a name.
CONNECTORS = frozenset("""
and & of for the on in at to de del della dei di da do dos das du des la le les van von der den
ter ten bin ibn al el y e und
""".split())

# Head words of organizations' names: a "person" whose name ends with one ("Obama White House",
# "Trump Campaign") is an organization the tagger took for a person.
ORG_HEADS = frozenset("""
house party committee campaign foundation department ministry news times post journal university
institute center centre council association administration court senate congress assembly group
company network agency bank fund office board union church hospital school college airlines
commission corporation organization organisation society service services team club
""".split())

# Articles that begin a description, not a name ("the company", "a spokesman").
ARTICLES = frozenset({"the", "a", "an"})
