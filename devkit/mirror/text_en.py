# ruff: noqa: E501 - prose templates are split where the sentence reads best
"""English news prose for the mirror: Sputnik International (world and Middle East news),
Syrian local news (Enab Baladi English, North Press English) and Politico (US politics for
politico.com, EU politics for politico.eu, a Playbook-style newsletter and live blogs).

People quoted in the Politico stories are invented (names drawn from fixed lists), so no real
person is ever given words they did not say.
"""

from __future__ import annotations

import random

from devkit.mirror.prose import Beat

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# ---- Sputnik International ------------------------------------------------------------------

# (country, adjective, capital)
COUNTRIES = (
    ("Egypt", "Egyptian", "Cairo"),
    ("Jordan", "Jordanian", "Amman"),
    ("Iraq", "Iraqi", "Baghdad"),
    ("Algeria", "Algerian", "Algiers"),
    ("Saudi Arabia", "Saudi", "Riyadh"),
    ("the UAE", "Emirati", "Abu Dhabi"),
    ("Lebanon", "Lebanese", "Beirut"),
    ("Tunisia", "Tunisian", "Tunis"),
    ("Oman", "Omani", "Muscat"),
    ("Qatar", "Qatari", "Doha"),
    ("Indonesia", "Indonesian", "Jakarta"),
    ("India", "Indian", "New Delhi"),
    ("Brazil", "Brazilian", "Brasilia"),
    ("South Africa", "South African", "Pretoria"),
)
MEDIATORS = (
    ("Egypt", "Egyptian", "Cairo"),
    ("Qatar", "Qatari", "Doha"),
    ("Oman", "Omani", "Muscat"),
)
PRODUCERS = (
    ("Saudi Arabia", "Saudi", "Riyadh"),
    ("Iraq", "Iraqi", "Baghdad"),
    ("the UAE", "Emirati", "Abu Dhabi"),
    ("Algeria", "Algerian", "Algiers"),
    ("Kuwait", "Kuwaiti", "Kuwait City"),
    ("Kazakhstan", "Kazakh", "Astana"),
)

WORLD_EN: tuple[Beat, ...] = (
    Beat(
        "diplomacy",
        "World",
        titles=(
            "Lavrov, {adj} counterpart discuss Middle East tensions in Moscow",
            "Russia and {country} agree to deepen political coordination on regional crises",
        ),
        leads=(
            "Russian Foreign Minister Sergei Lavrov and his {adj} counterpart discussed the"
            " situation in the Middle East and ways to expand bilateral ties during talks in"
            " Moscow on {weekday}.",
            "Moscow and {country} have agreed to step up political coordination on regional"
            " crises, the Russian Foreign Ministry said after talks in the Russian capital on"
            " {weekday}.",
        ),
        details=(
            "Lavrov told reporters after the meeting that Russia supports political solutions to"
            " the region's conflicts based on international law and the UN Charter.",
            "Trade between the two countries has grown by {pct} percent since the start of the"
            " year, the Russian minister noted.",
            "The {adj} foreign minister, for his part, said his country intends to keep up close"
            " consultations with Moscow on international and regional issues.",
            "The talks also covered the situation in Gaza, Lebanon and Syria, as well as Yemen and"
            " the security of shipping in the Red Sea.",
            "The sides agreed to hold the next meeting of their intergovernmental commission in"
            " {capital} in the first quarter of next year.",
            "Lavrov stressed that Russia opposes any attempt to impose solutions on the peoples of"
            " the region from outside.",
        ),
        closings=(
            "The visit is part of a series of meetings Russian diplomats are holding with"
            " partners in the Global South ahead of the next Russia-Arab summit.",
        ),
        quotes=(
            '"We are convinced that there is no alternative to dialogue and political and'
            " diplomatic means of settling conflicts in the region, and Russia is ready to"
            ' contribute to this in every possible way."',
        ),
        pool="countries",
        tags=("country",),
    ),
    Beat(
        "gaza",
        "Middle East",
        titles=(
            "New round of Gaza ceasefire talks to open in {capital}, sources say",
            "UN warns of worsening humanitarian crisis as {k},000 Gaza families face winter"
            " in tents",
        ),
        leads=(
            "A new round of negotiations on a ceasefire in the Gaza Strip will begin in"
            " {capital} next week with the participation of regional and international"
            " mediators, sources familiar with the matter told Sputnik.",
            "The UN humanitarian office has warned that the situation in the Gaza Strip is"
            " deteriorating as winter sets in, with some {k},000 families living in tents that"
            " offer little protection from cold and rain.",
        ),
        details=(
            (
                "According to the sources, the talks will focus on mechanisms for aid deliveries, an"
                " exchange of detainees and the reopening of border crossings.",
                0,
            ),
            "An official with the Red Crescent said no more than {trucks} trucks enter the"
            " enclave each day, far below what is needed.",
            "The United Nations has called for all land crossings to be opened to humanitarian"
            " convoys without restrictions.",
            (
                "The UN update pointed to an acute shortage of the fuel needed to run hospitals and"
                " water desalination plants.",
                1,
            ),
            "Several areas of the enclave have seen sporadic strikes despite the diplomatic"
            " efforts to consolidate the truce.",
            "{country} has said it is ready to host an international conference on the"
            " reconstruction of Gaza as soon as a lasting agreement is reached.",
        ),
        closings=(
            "Russia has repeatedly called for an immediate ceasefire and a political process"
            " leading to the creation of an independent Palestinian state.",
        ),
        quotes=(
            '"The humanitarian situation in the enclave is catastrophic, and children are'
            ' paying the highest price for the war and the lack of food and medicine."',
        ),
        pool="mediators",
        tags=("country",),
    ),
    Beat(
        "wheat",
        "Economy",
        titles=(
            "Russian wheat exports to {country} up {pct}% since start of season",
            "Russia, {country} discuss grain logistics hub",
        ),
        leads=(
            "Russian wheat exports to {country} have risen by {pct} percent since the start of"
            " the current agricultural season, according to data from the Russian Grain Union.",
            "A Russian delegation discussed plans for a logistics hub to store Russian grain and"
            " re-export it to neighbouring markets with government officials in {capital} on"
            " {weekday}.",
        ),
        details=(
            ("Shipments reached about {kt},000 tonnes over the past four months.", 0),
            "Russia is the world's largest wheat exporter, and countries in the Middle East and"
            " North Africa buy the largest share of its shipments.",
            "Analysts say competitive prices and short shipping distances have made Russian wheat"
            " the first choice for many importers in the region.",
            (
                "The statement said the sides had also discussed using national currencies in trade"
                " settlements.",
                1,
            ),
            "Russia's grain harvest this year is expected to exceed {harvest} million tonnes.",
            "A {adj} official said his country is seeking to diversify its food imports and"
            " secure stable supplies.",
        ),
        closings=(
            "Economic cooperation between Russia and its partners in the region has grown"
            " markedly in recent years despite Western sanctions.",
        ),
        pool="countries",
        tags=("country",),
    ),
    Beat(
        "oil",
        "Economy",
        titles=(
            "Oil climbs to ${brent} a barrel as OPEC+ reaffirms output cuts",
            "Novak says OPEC+ can keep oil market balanced as {country} extends voluntary cut",
        ),
        leads=(
            "Oil prices rose in trading on {weekday} after members of the OPEC+ alliance"
            " confirmed their commitment to agreed production cuts until the end of the first"
            " quarter of next year.",
            "Russian Deputy Prime Minister Alexander Novak said on {weekday} that the OPEC+"
            " alliance is able to keep the global oil market balanced despite volatility caused"
            " by geopolitical tensions.",
        ),
        details=(
            "Brent crude futures rose to ${brent} per barrel, while West Texas Intermediate gained"
            " a similar amount.",
            (
                "Novak said the countries in the deal were meeting their quotas, with compliance above"
                " {compliance} percent last month.",
                1,
            ),
            "Analysts believe demand in Asia will remain the decisive factor for prices in the"
            " coming months.",
            "{country} had earlier announced an extension of its voluntary production cut until"
            " the end of next quarter.",
            "The next ministerial meeting of the alliance will be held by video link early next"
            " month, Novak said.",
            "US crude inventories fell last week, lending further support to prices.",
        ),
        closings=(
            "OPEC+ brings together the members of OPEC and a number of independent"
            " producers led by Russia.",
        ),
        quotes=(
            '"The market is balanced at the moment, and we will continue to monitor the'
            ' situation closely and take the necessary decisions collectively."',
        ),
        pool="producers",
        tags=("country",),
    ),
    Beat(
        "suez",
        "Middle East",
        titles=(
            "Suez Canal revenue down {pct}% as Red Sea crisis drags on",
            "Only {ships} ships a day: carriers keep avoiding the Red Sea",
        ),
        leads=(
            "Revenue from the Suez Canal fell by {pct} percent in the first ten months of the"
            " year as shipping companies continued to divert vessels away from the Red Sea, the"
            " Suez Canal Authority said.",
            "Many global shipping companies are still avoiding the Red Sea and the Bab"
            " el-Mandeb Strait despite a decline in attacks on merchant vessels in recent weeks,"
            " shipping data showed on {weekday}.",
        ),
        details=(
            "The authority's chairman said the number of vessels transiting the canal had fallen"
            " to about {ships} a day, compared with more than seventy before the crisis.",
            "Many ships are forced to sail around the Cape of Good Hope, adding about two weeks to"
            " voyages between Asia and Europe.",
            "Insurance costs for ships bound for ports in the region have risen sharply since the"
            " start of the crisis.",
            "The authority has announced a new package of incentives, including discounts on"
            " transit fees for some categories of vessels.",
            "A maritime transport expert told Sputnik that a return to normal traffic would"
            " require long-term security guarantees.",
            "The canal is one of Egypt's main sources of foreign currency, along with tourism and"
            " remittances from workers abroad.",
        ),
        closings=(
            "In normal conditions, about 12 percent of global trade passes through the Red Sea.",
        ),
        pool="countries",
    ),
    Beat(
        "arctic",
        "Russia",
        titles=(
            "Record {mt} million tonnes of cargo shipped along Northern Sea Route",
            "Russia to launch new nuclear icebreaker as Arctic shipping grows by {pct}%",
        ),
        leads=(
            "Cargo traffic along the Northern Sea Route reached a record {mt} million tonnes"
            " this year, the head of Russia's state nuclear corporation Rosatom said on"
            " {weekday}.",
            "Russia will launch a new nuclear-powered icebreaker next year as traffic on its"
            " Arctic shipping lanes grew by {pct} percent, Rosatom said on {weekday}.",
        ),
        details=(
            "Most of the cargo consisted of liquefied natural gas, oil and coal bound for Asian"
            " markets.",
            "The route cuts the sea journey between Europe and East Asia by up to two weeks"
            " compared with the Suez Canal.",
            "Several Chinese shipping companies made regular voyages along the route this summer.",
            "Rosatom said year-round navigation in the eastern sector would become possible once"
            " the new icebreakers enter service.",
            "Officials also plan to expand ports and search-and-rescue bases along the Arctic"
            " coast.",
            "Experts note that melting ice has lengthened the navigation season in recent years.",
        ),
        closings=(
            "Russia considers the development of the Arctic one of its strategic economic"
            " priorities.",
        ),
        pool="countries",
    ),
)


def world_values(rng: random.Random, beat: Beat) -> dict[str, object]:
    pool = {"mediators": MEDIATORS, "producers": PRODUCERS}.get(beat.pool, COUNTRIES)
    country, adj, capital = rng.choice(pool)
    return {
        "country": country,
        "adj": adj,
        "capital": capital,
        "weekday": rng.choice(WEEKDAYS),
        "pct": rng.randint(8, 46),
        "k": rng.randint(35, 95),
        "trucks": rng.randint(40, 95),
        "kt": rng.randint(120, 980),
        "harvest": rng.randint(121, 139),
        "brent": rng.randint(61, 89),
        "compliance": rng.randint(91, 99),
        "ships": rng.randint(26, 44),
        "mt": rng.randint(38, 49),
    }


# ---- Syria: Enab Baladi English and North Press English ------------------------------------

NW_CITIES = ("Idlib", "Azaz", "al-Bab", "Afrin", "Sarmada", "Jarablus", "al-Dana", "Ariha")
GOV_CITIES = ("Damascus", "Aleppo", "Homs", "Hama", "Latakia", "Tartus", "Daraa")
NE_CITIES = ("al-Hasakah", "Qamishli", "Raqqa", "Kobani", "Tabqa", "Manbij", "Amuda", "Derik")
DEIR_TOWNS = ("al-Shuhail", "Theban", "al-Busayrah", "Hajin", "al-Sour", "al-Kasrah")

SYRIA_EN: tuple[Beat, ...] = (
    Beat(
        "currency",
        "Economy",
        titles=(
            "Syrian pound trades at {rate} to the dollar in {city}",
            "Syrian pound slides again as dollar reaches SYP {rate} in {city}",
        ),
        leads=(
            "The Syrian pound traded at {rate} to the US dollar in {city} markets on {weekday},"
            " according to exchange offices surveyed by {agency}.",
            "The Syrian pound continued to weaken against foreign currencies, with the dollar"
            " selling for about SYP {rate} in {city} amid rising food prices.",
        ),
        details=(
            "The Central Bank has set the official rate for remittances well below the parallel"
            " market rate.",
            "Traders in {city} said the volatile exchange rate was pushing them to price goods in"
            " dollars or Turkish liras.",
            "The price of a gram of 21-carat gold rose to a new record as the pound fell.",
            "Economists cite weak local production and falling exports among the main reasons for"
            " the currency's decline.",
            "The average public sector salary is worth no more than {wage} dollars a month,"
            " according to local estimates.",
            "Thousands of families rely on remittances from relatives abroad to cover their basic"
            " expenses.",
        ),
        closings=(
            "Syria is going through a severe economic crisis that has eroded the"
            " purchasing power of most of its population.",
        ),
        pool="gov",
        tags=("city",),
    ),
    Beat(
        "bread",
        "Economy",
        titles=(
            "Price of a bread bundle rises to SYP {bread} in {city}",
            "Bakeries in {city} cut bundle weight amid flour shortage",
        ),
        leads=(
            "The authorities running bakeries in {city} have raised the price of a bundle of"
            " bread to SYP {bread} while keeping the same number of loaves, they announced on"
            " {weekday}.",
            "Residents of {city} have complained that several bakeries have reduced the weight of"
            " a bread bundle as flour allocations for the area fell in recent weeks.",
        ),
        details=(
            (
                "Officials attributed the decision to the rising cost of flour, fuel and transport.",
                0,
            ),
            "One resident said his family of six needs at least two bundles a day.",
            "People queue in front of bakeries from the early hours of the morning to get their"
            " share.",
            "Humanitarian organisations support a number of bakeries in the area, but their"
            " funding has shrunk this year.",
            "Residents called for more bread distribution points in neighbourhoods far from the"
            " city centre.",
            "The price of a kilogram of flour on the open market reached unprecedented levels last"
            " month.",
        ),
        pool="nw",
        tags=("city",),
    ),
    Beat(
        "water",
        "Services",
        titles=(
            "Drinking water crisis worsens in {city} as Alouk station stays offline",
            "Residents of {city} pay SYP {tanker},000 for a tank of trucked water",
        ),
        leads=(
            "The drinking water crisis in {city}, northeastern Syria, is worsening as the Alouk"
            " water station that supplies the city and its countryside remains out of service.",
            "Residents of {city} are paying up to SYP {tanker},000 for a single tank of trucked"
            " water because the public network has stopped supplying their neighbourhoods.",
        ),
        details=(
            "The Autonomous Administration said its teams were drilling additional wells to cover"
            " part of residents' needs.",
            "Hundreds of thousands of people depend on water delivered by tanker trucks, which is"
            " often not subject to health checks.",
            "Humanitarian organisations have warned of the spread of waterborne diseases,"
            " especially among children.",
            "A resident of the city's al-Nasra neighbourhood said his family needs a tank at least"
            " every three days.",
            "The water crisis has recurred for years, and the Autonomous Administration accuses"
            " Turkey of cutting power to the station.",
            "Some local organisations distribute free drinking water to the neediest families in"
            " camps and poor neighbourhoods.",
        ),
        closings=(
            "The Alouk station lies in the countryside of Ras al-Ain (Serekaniye) and is"
            " the main source of drinking water in the region.",
        ),
        pool="hasakah",
        tags=("city",),
    ),
    Beat(
        "wheat_price",
        "Economy",
        titles=(
            "Autonomous Administration sets wheat purchase price at ${wheat} per tonne",
            "Farmers in {city} demand higher wheat price before new season",
        ),
        leads=(
            "The agriculture authority of the Autonomous Administration of North and East Syria"
            " has set the price it will pay farmers for wheat next season at the equivalent of"
            " ${wheat} per tonne, according to a decision issued on {weekday}.",
            "Farmers in the countryside of {city} have called for a higher wheat purchase price"
            " before the start of the new season, saying the current price does not cover their"
            " costs.",
        ),
        details=(
            "Farmers said the prices of fertiliser, seed and fuel had risen sharply this year.",
            "The authority said collection centres would open at the beginning of May across the"
            " region.",
            "Farmers fear a repeat of the drought that cut harvests in recent seasons.",
            "The Jazira region is Syria's main wheat-growing area.",
            "A farmer from a village near {city} said the cost of irrigating a single dunam with"
            " diesel pumps was now beyond the means of most growers.",
            "Farmers' associations are demanding subsidised agricultural diesel delivered on a"
            " fixed schedule.",
        ),
        pool="ne",
        tags=("city",),
    ),
    Beat(
        "returnees",
        "Syria",
        titles=(
            "Displaced families return to villages around {city} despite destruction",
            "Camps near {city} face winter without enough heating fuel",
        ),
        leads=(
            "Displaced families have begun returning to their villages in the countryside of"
            " {city} in recent weeks, despite heavy damage to homes and infrastructure.",
            "Displaced people in camps around {city} are facing winter without sufficient"
            " heating fuel as support from humanitarian organisations declines.",
        ),
        details=(
            (
                "One returnee said his house needs almost complete renovation before it can be lived"
                " in again.",
                0,
            ),
            ("Many villages lack water and electricity networks, schools and health centres.", 0),
            (
                "The Syria Response Coordinators group said the number of camps in the area exceeded"
                " 1,500.",
                1,
            ),
            ("Dirt roads inside the camps turned into pools of mud with the first rains.", 1),
            (
                "Some families burn old clothes and plastic for heating because firewood has become"
                " too expensive.",
                1,
            ),
            "Activists urged international organisations to increase funding for early recovery"
            " projects and the rehabilitation of services.",
        ),
        closings=(
            "More than two million people live in camps in northwestern Syria, according to"
            " UN estimates.",
        ),
        pool="nw",
        tags=("city",),
    ),
    Beat(
        "security",
        "Security",
        titles=(
            "SDF says it captured Islamic State cell in {town}",
            "Gunmen attack SDF checkpoint near {town} in eastern Deir ez-Zor",
        ),
        leads=(
            "The Syrian Democratic Forces (SDF) said on {weekday} that they had captured an"
            " Islamic State cell in the town of {town} in eastern Deir ez-Zor during a security"
            " operation backed by the international coalition.",
            "Gunmen attacked a checkpoint of the Syrian Democratic Forces near the town of"
            " {town} in the eastern countryside of Deir ez-Zor on {weekday} night, wounding two"
            " fighters.",
        ),
        details=(
            (
                "The SDF media centre said members of the cell were involved in assassinations and"
                " attacks on military posts.",
                0,
            ),
            (
                "Light weapons, ammunition and communication devices were seized during the"
                " operation.",
                0,
            ),
            "The area has seen repeated security incidents, and residents have called for more"
            " protection on the main roads.",
            "The forces imposed a temporary curfew in the town while searching houses.",
            ("A local source said the attackers fled towards the desert after the clash.", 1),
            "Islamic State cells periodically claim attacks on military positions in the Deir"
            " ez-Zor countryside.",
        ),
        pool="deir",
        tags=("town",),
    ),
    Beat(
        "exams",
        "Education",
        titles=(
            "Thousands of students in {city} sit secondary school exams",
            "Schools in {city} short of teachers as term begins",
        ),
        leads=(
            "Thousands of students in {city} and its countryside are sitting their secondary"
            " school certificate exams this week under new arrangements announced by the"
            " education directorate.",
            "Schools in {city} and the surrounding countryside are short of teachers as the new"
            " term begins, because of low salaries and the emigration of staff.",
        ),
        details=(
            (
                "The director of education said there were {centers} exam centres across the city and"
                " the countryside.",
                0,
            ),
            "Teachers said their salaries do not even cover the cost of travelling to distant"
            " schools.",
            "Some students travel long distances every day to reach the nearest secondary school.",
            (
                "The directorate has installed cameras in several exam centres for the first time.",
                0,
            ),
            "Local organisations are temporarily topping up teachers' salaries in some schools.",
            ("Parents asked for free transport for students during the exam period.", 0),
        ),
        pool="any",
        tags=("city",),
    ),
)


def syria_values(rng: random.Random, beat: Beat, region: str, agency: str) -> dict[str, object]:
    """Slot values for a Syrian local story in English (see ``text_ar.syria_values``)."""
    if beat.pool == "hasakah":
        cities: tuple[str, ...] = ("al-Hasakah", "Tal Tamr", "al-Darbasiyah")
    elif region == "ne":
        cities = NE_CITIES
    elif beat.pool == "gov":
        cities = GOV_CITIES
    else:
        cities = NW_CITIES
    return {
        "city": rng.choice(cities),
        "town": rng.choice(DEIR_TOWNS),
        "agency": agency,
        "weekday": rng.choice(WEEKDAYS),
        "rate": f"{rng.randrange(14150, 16650, 25):,}",
        "wage": rng.randint(21, 45),
        "bread": f"{rng.randrange(3000, 6001, 500):,}",
        "tanker": rng.randint(25, 60),
        "wheat": rng.randint(311, 449),
        "centers": rng.randint(31, 89),
    }


# ---- Politico (politico.com) ----------------------------------------------------------------

SENATORS = (
    ("Dana Whitfield", "R", "Ohio"),
    ("Marcus Ortega", "D", "Ariz."),
    ("Helen Brandt", "R", "Kan."),
    ("Tom Reyes", "D", "Nev."),
    ("Caroline Pike", "R", "Tenn."),
    ("Samuel Greer", "D", "Mich."),
    ("Laura Kim", "D", "Va."),
    ("Robert Haines", "R", "Iowa"),
)
REPS = (
    ("Ellen Novak", "R", "Pa."),
    ("Jorge Salinas", "D", "Texas"),
    ("Priya Raman", "D", "Calif."),
    ("Kevin Doyle", "R", "Fla."),
    ("Anna Lindqvist", "D", "Minn."),
    ("Wade Carter", "R", "Ga."),
)
AGENCIES = (
    ("Department of Energy", "Energy secretary"),
    ("Pentagon", "deputy defense secretary"),
    ("Treasury Department", "deputy Treasury secretary"),
    ("Department of Transportation", "Transportation secretary"),
    ("Environmental Protection Agency", "EPA administrator"),
)
STATES = (
    "Pennsylvania",
    "Arizona",
    "Georgia",
    "Wisconsin",
    "Michigan",
    "Nevada",
    "North Carolina",
    "Ohio",
)
GOVERNORS_RACES = ("Virginia", "New Jersey", "Kentucky", "Louisiana", "Mississippi")
POLITICO_STAFF = (
    "Olivia Beavers",
    "Jordain Carney",
    "Burgess Everett",
    "Eli Stokols",
    "Daniel Lippman",
    "Adam Wren",
    "Jessica Piper",
    "Connor O'Brien",
    "Ari Hawkins",
    "Alex Gangitano",
    "Zach Montellaro",
    "Meridith McGraw",
)

POLITICO_US: tuple[Beat, ...] = (
    Beat(
        "funding",
        "Congress",
        titles=(
            "House GOP leaders tee up stopgap to avert {month} shutdown",
            "Senate Democrats demand health care deal before backing {weeks}-week funding patch",
        ),
        leads=(
            "House Republican leaders plan to bring a stopgap spending bill to the floor next"
            " week, hoping to keep the government funded through the end of {month} and buy"
            " time for a broader deal.",
            "Senate Democrats are refusing to back a {weeks}-week funding patch unless"
            " Republicans agree to extend expiring health insurance subsidies, setting up a"
            " tense standoff days before the deadline.",
        ),
        details=(
            "The plan would keep agencies running at current levels while appropriators try to"
            " finish work on the 12 annual spending bills.",
            "Rep. {rep} ({rep_party}-{rep_state}) said leadership had not yet secured the votes"
            " to pass the measure without Democratic help.",
            "Conservatives have balked at another short-term extension, arguing it locks in"
            " spending levels they want to cut.",
            "Sen. {senator} ({sen_party}-{sen_state}) told reporters that a deal was \u201cstill"
            " within reach\u201d but warned that time was running out.",
            "The White House has signaled the president would sign a clean extension, according"
            " to two people familiar with the discussions.",
            "Appropriators in both chambers remain roughly ${gap} billion apart on overall"
            " domestic spending.",
            "A shutdown would furlough hundreds of thousands of federal workers just as the"
            " holiday travel season begins.",
        ),
        quotes=(
            "\u201cNobody wants a shutdown, but we are not going to keep kicking the can"
            " without getting something real in return,\u201d Sen. {senator} said.",
        ),
        tags=("month",),
    ),
    Beat(
        "confirmation",
        "Congress",
        titles=(
            "Senate confirms {nominee} as {role} in party-line vote",
            "{senator_last} emerges as key holdout on {nominee} nomination",
        ),
        leads=(
            "The Senate voted {yeas}-{nays} on {weekday} to confirm {nominee} as {role},"
            " ending a months-long fight over the nomination.",
            "Sen. {senator} ({sen_party}-{sen_state}) has become the pivotal vote on {nominee}'s"
            " nomination to be {role}, and the senator's office has yet to announce a"
            " decision.",
        ),
        details=(
            "Democrats argued that {nominee_last} lacked the experience needed to run the"
            " {agency}.",
            "Republicans praised the nominee's record in the private sector and accused Democrats"
            " of slow-walking the administration's picks.",
            "The nomination cleared committee last month after a contentious hearing that ran"
            " more than four hours.",
            "Majority leadership has set aside floor time next week for several other executive"
            " branch nominees.",
            "Outside groups spent millions of dollars on ads urging senators to oppose the"
            " nomination.",
            "{nominee_last} pledged during the hearing to cooperate with congressional oversight"
            " requests.",
        ),
        tags=("agency",),
    ),
    Beat(
        "tariffs",
        "Trade",
        titles=(
            "White House weighs new tariffs on imported {product}",
            "Farm-state Republicans push back on tariff plan for {product}",
        ),
        leads=(
            "The White House is weighing new tariffs on imported {product}, according to three"
            " people familiar with internal deliberations, a move that could rattle markets"
            " ahead of the holidays.",
            "Republican senators from farm states are pushing back against an administration"
            " plan to impose tariffs on {product}, warning that retaliation could hit American"
            " exporters.",
        ),
        details=(
            "Officials are considering a rate of {tariff} percent, though no final decision has"
            " been made.",
            "Industry groups warned that higher costs would be passed on to consumers.",
            "Sen. {senator} ({sen_party}-{sen_state}) said farmers were still recovering from the"
            " last round of retaliatory tariffs.",
            "A White House spokesperson said the president was committed to protecting American"
            " manufacturing jobs.",
            "Trading partners have signaled they would respond with measures targeting"
            " agricultural goods.",
            "The Commerce Department is expected to deliver its recommendations by the end of the"
            " month.",
        ),
        tags=("product",),
    ),
    Beat(
        "campaign",
        "Elections",
        titles=(
            "{state} Senate primary turns nasty as {candidate} goes on the attack",
            "Democrats see {state} as must-win as {candidate} launches campaign",
        ),
        leads=(
            "The Republican primary for Senate in {state} turned sharply negative this week as"
            " {candidate} launched a seven-figure ad campaign attacking the front-runner's"
            " record.",
            "Democrats are treating {state} as a must-win state in the next cycle, and"
            " {candidate}'s entry into the race on {weekday} gives the party the recruit it"
            " wanted.",
        ),
        details=(
            (
                "The ads accuse the rival campaign of flip-flopping on border security and energy"
                " policy.",
                0,
            ),
            "Internal polling shared with POLITICO shows the race within the margin of error.",
            "National Republicans have so far stayed neutral, but some strategists worry a bruising"
            " primary could weaken the eventual nominee.",
            (
                "{candidate} raised more than ${raised} million in the first 48 hours, according to the"
                " campaign.",
                1,
            ),
            "The state has backed the winning presidential candidate in each of the last four"
            " elections.",
            "Both parties expect to spend heavily on television in the state's two largest media"
            " markets.",
        ),
        tags=("state",),
    ),
    Beat(
        "court",
        "Supreme Court",
        titles=(
            "Supreme Court agrees to hear challenge to {law}",
            "Justices skeptical of {law} in oral arguments",
        ),
        leads=(
            "The Supreme Court on {weekday} agreed to hear a challenge to {law}, setting up a"
            " major ruling on federal power that could come by the end of June.",
            "Several justices appeared skeptical on {weekday} of the government's defense of"
            " {law}, suggesting the court could narrow the law or strike it down.",
        ),
        details=(
            "The challengers argue that Congress exceeded its authority when it passed the"
            " measure.",
            (
                "The administration's lawyer told the justices that striking down the law would"
                " upend decades of settled practice.",
                1,
            ),
            "Lower courts have split on the question, increasing the pressure on the justices to"
            " step in.",
            "A coalition of {states_n} states filed briefs supporting the challengers.",
            "Legal experts said the case could become one of the most consequential of the term.",
            "The court has increasingly used its emergency docket to weigh in on disputes over"
            " executive power.",
        ),
        tags=("law",),
    ),
    Beat(
        "defense",
        "Defense",
        titles=(
            "Armed Services negotiators strike deal on ${ndaa} billion defense bill",
            "Pentagon pushes Congress for faster shipbuilding money",
        ),
        leads=(
            "House and Senate negotiators reached agreement on a ${ndaa} billion annual defense"
            " policy bill, clearing the way for final votes before the holiday recess.",
            "Senior Pentagon officials are pressing lawmakers to speed up funding for new"
            " warships, warning that delays at shipyards are eroding the Navy's readiness.",
        ),
        details=(
            ("The compromise includes a pay raise of {raise_pct} percent for service members.", 0),
            (
                "Negotiators dropped several contentious provisions on social policy that had"
                " threatened to sink the bill.",
                0,
            ),
            (
                "Rep. {rep} ({rep_party}-{rep_state}) called the agreement a strong bipartisan"
                " result.",
                0,
            ),
            ("The bill also expands support for munitions production and missile defense.", 0),
            "Watchdogs say cost overruns on major programs have grown over the past five years.",
            (
                "Navy officials told lawmakers that only a fraction of the planned submarines will"
                " be delivered on schedule.",
                1,
            ),
            (
                "Shipyards in Virginia and Connecticut are struggling to hire and keep skilled"
                " workers.",
                1,
            ),
            (
                "Appropriators signaled they would consider a multiyear procurement deal for"
                " destroyers.",
                1,
            ),
            (
                "Leaders hope to send the measure to the president's desk before the end of the"
                " year.",
                0,
            ),
        ),
    ),
)

PRODUCTS = (
    "steel",
    "semiconductors",
    "pharmaceuticals",
    "lumber",
    "solar panels",
    "electric vehicles",
    "critical minerals",
)
LAWS = (
    "the federal ban on ghost guns",
    "a key provision of the Voting Rights Act",
    "the independent agency removal protections",
    "a federal vaping regulation",
    "the nationwide broadband subsidy program",
)
NOMINEES = (
    "Rachel Sutton",
    "Gregory Hale",
    "Nina Castellanos",
    "Paul Whitaker",
    "Diane Okafor",
    "Victor Lang",
)
CANDIDATES = (
    "Mike Delaney",
    "Sarah Whitcomb",
    "Jason Pruitt",
    "Teresa Alvarez",
    "Brian Hollis",
    "Keisha Monroe",
)
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def politico_values(rng: random.Random, beat: Beat) -> dict[str, object]:
    senator, sen_party, sen_state = rng.choice(SENATORS)
    rep, rep_party, rep_state = rng.choice(REPS)
    agency, role = rng.choice(AGENCIES)
    nominee = rng.choice(NOMINEES)
    yeas = rng.randint(50, 53)
    return {
        "senator": senator,
        "senator_last": senator.split()[-1],
        "sen_party": sen_party,
        "sen_state": sen_state,
        "rep": rep,
        "rep_party": rep_party,
        "rep_state": rep_state,
        "agency": agency,
        "role": role,
        "nominee": nominee,
        "nominee_last": nominee.split()[-1],
        "yeas": yeas,
        "nays": 100 - yeas - rng.randint(0, 2),
        "weekday": rng.choice(WEEKDAYS[:5]),
        "month": rng.choice(MONTHS[11:] + MONTHS[:2]),
        "weeks": rng.choice((4, 6, 8, 10)),
        "gap": rng.randint(18, 64),
        "product": rng.choice(PRODUCTS),
        "tariff": rng.choice((10, 15, 20, 25, 30)),
        "state": rng.choice(STATES),
        "candidate": rng.choice(CANDIDATES),
        "raised": rng.randint(2, 6),
        "law": rng.choice(LAWS),
        "states_n": rng.randint(12, 24),
        "ndaa": rng.randint(880, 930),
        "raise_pct": rng.choice(("3.8", "4.5", "5.2")),
    }


# Playbook-style newsletter: paragraphs only (no all-caps section labels, which an extractor
# would rightly take for furniture).
NEWSLETTER = Beat(
    "playbook",
    "Playbook",
    titles=(
        "Playbook: The {weekday} scramble over {topic}",
        "Playbook: Why the fight over {topic} is suddenly everyone's problem",
    ),
    leads=(
        "Good morning. Washington woke up on {weekday} to yet another fight over {topic}, and"
        " this one could shape the rest of the year on Capitol Hill.",
    ),
    details=(
        "Leadership aides in both parties spent the weekend trading offers, and the gap between"
        " them narrowed less than either side hoped.",
        "One senior House Republican told us the conference is exhausted and wants to go home"
        " for the holidays with something to show for the year.",
        "Sen. {senator} ({sen_party}-{sen_state}) has been quietly working on a bipartisan"
        " framework that could give both sides a way out.",
        "At the White House, officials insist the president is not worried, though two people"
        " close to the West Wing describe a more anxious mood.",
        "The calendar is the real enemy: the House is scheduled to be in session for only"
        " {days} more days this year.",
        "Governors are also weighing in, with several warning that their budgets depend on a"
        " quick resolution.",
        "Expect the issue to dominate the Sunday shows, where at least three committee chairs"
        " are booked.",
    ),
    closings=("We will be watching the House floor schedule closely this week.",),
)
NEWSLETTER_TOPICS = (
    "the spending deadline",
    "health care subsidies",
    "the farm bill",
    "tariff exemptions",
    "the defense bill",
    "border funding",
    "the debt limit",
    "permitting reform",
)


def newsletter_values(rng: random.Random) -> dict[str, object]:
    senator, party, state = rng.choice(SENATORS)
    return {
        "weekday": rng.choice(WEEKDAYS[:5]),
        "topic": rng.choice(NEWSLETTER_TOPICS),
        "senator": senator,
        "sen_party": party,
        "sen_state": state,
        "days": rng.randint(6, 14),
    }


# Live updates: a headline and a list of timestamped updates, each one paragraph.
LIVE_TITLES = (
    "Election night in {race}: Live updates and results",
    "{race} governor's race: Live updates as the results come in",
)
LIVE_UPDATES = (
    "Polls have now closed across {race}, and election officials say turnout in the early"
    " hours was higher than in the last comparable election.",
    "The first batch of results from the suburban counties shows a tight contest, with fewer"
    " than two percentage points separating the candidates.",
    "Both campaigns have lawyers on standby, and officials warned that counting mail ballots"
    " could take until the end of the week.",
    "The Republican candidate told supporters at a hotel ballroom that the campaign felt good"
    " about the numbers coming in from rural areas.",
    "The Democratic campaign said its internal tracking showed strong turnout among younger"
    " voters in the state's largest cities.",
    "The Associated Press has not yet called the race, citing the number of ballots still"
    " outstanding in several large counties.",
    "Party officials in Washington are watching the result closely as an early test of the"
    " national mood ahead of next year's midterms.",
    "Turnout data released by the secretary of state's office showed more than {votes} million"
    " ballots cast by early evening.",
)


def live_values(rng: random.Random) -> dict[str, object]:
    return {"race": rng.choice(GOVERNORS_RACES), "votes": f"{rng.randint(12, 38) / 10:.1f}"}


# ---- Politico Europe (politico.eu) ----------------------------------------------------------

MEPS = (
    "Anneke de Vries",
    "Tomasz Zielinski",
    "Claire Moreau",
    "Lukas Hofer",
    "Ines Carvalho",
    "Mikko Laine",
)
CAPITALS_EU = ("Berlin", "Paris", "Warsaw", "Rome", "Madrid", "The Hague", "Stockholm")

POLITICO_EU: tuple[Beat, ...] = (
    Beat(
        "budget",
        "Politics",
        titles=(
            "Commission's \u20ac{mff} trillion budget plan meets resistance in {capital}",
            "Frugal capitals dig in against EU long-term budget proposal",
        ),
        leads=(
            "The European Commission's proposal for a \u20ac{mff} trillion long-term budget ran"
            " into resistance in {capital} on {weekday}, with officials warning that net"
            " contributors would not accept a bigger bill.",
            "A group of net-contributor countries led by {capital} is digging in against the"
            " Commission's long-term budget proposal, setting the stage for months of"
            " bruising talks.",
        ),
        details=(
            "The plan merges dozens of programs into national partnership plans, a change that"
            " farm and regional lobbies have fiercely opposed.",
            "MEP {mep} said Parliament would not accept cuts to cohesion funding.",
            "Diplomats expect the issue to dominate the next summit of EU leaders in Brussels.",
            "The Commission argues that new own resources, including a levy on large companies,"
            " would limit the burden on national treasuries.",
            "Agriculture ministers have demanded a ring-fenced budget for the Common Agricultural"
            " Policy.",
        ),
        tags=("capital",),
    ),
    Beat(
        "defense",
        "Defense",
        titles=(
            "EU defense ministers back \u20ac{loans} billion loan scheme for arms",
            "NATO allies in Europe race to meet new spending target",
        ),
        leads=(
            "EU defense ministers on {weekday} backed a \u20ac{loans} billion loan scheme to help"
            " capitals buy weapons jointly, in a bid to rebuild stockpiles depleted by support"
            " for Ukraine.",
            "European NATO allies are racing to show progress toward the alliance's new spending"
            " target, with {capital} unveiling a multiyear plan to raise its defense budget.",
        ),
        details=(
            (
                "The loans would be backed by the EU budget and favor purchases from European"
                " manufacturers.",
                0,
            ),
            "Officials said air defense and artillery ammunition were the top priorities.",
            "Several countries on NATO's eastern flank already spend well above the old target of"
            " two percent of GDP.",
            "Industry executives warned that factories need long-term orders to expand production.",
            ("MEP {mep} called for stronger parliamentary oversight of the new instrument.", 0),
        ),
        tags=("capital",),
    ),
    Beat(
        "trade",
        "Trade",
        titles=(
            "EU and China trade barbs over electric vehicle tariffs",
            "Brussels readies new probe into imports of Chinese {good}",
        ),
        leads=(
            "The EU and China traded barbs on {weekday} over Brussels' tariffs on Chinese"
            " electric vehicles, as talks on a minimum price deal stalled again.",
            "The European Commission is preparing a new investigation into imports of Chinese"
            " {good}, according to two officials, in a sign that trade tensions are"
            " spreading.",
        ),
        details=(
            "Beijing accused the EU of protectionism and threatened measures against European"
            " pork and dairy exports.",
            "A Commission spokesperson said the bloc remained open to a negotiated solution.",
            (
                "Carmakers in {capital} have lobbied against escalation, fearing retaliation in their"
                " biggest export market.",
                0,
            ),
            (
                "The investigation would examine whether state subsidies allow Chinese producers to"
                " undercut European rivals.",
                1,
            ),
            "Trade ministers are due to discuss the issue at their next meeting in Brussels.",
        ),
        tags=("good",),
    ),
    Beat(
        "energy",
        "Energy and Climate",
        titles=(
            "EU gas storage at {storage} percent as winter demand rises",
            "Ministers clash over 2040 climate target as {capital} seeks flexibility",
        ),
        leads=(
            "EU gas storage sites were {storage} percent full on {weekday}, giving the bloc a"
            " comfortable buffer as heating demand picks up across the continent.",
            "Environment ministers clashed over the EU's 2040 climate target on {weekday}, with"
            " {capital} pushing for more flexibility in how countries count emissions cuts.",
        ),
        details=(
            (
                "Officials credited higher imports of liquefied natural gas and lower industrial"
                " demand.",
                0,
            ),
            ("Analysts warned that a cold snap in January could still push prices higher.", 0),
            ("Storage levels are well above the EU's legal target for the start of November.", 0),
            ("Norway remained the bloc's largest supplier of pipeline gas last month.", 0),
            (
                "The Commission has proposed allowing the use of international carbon credits for"
                " part of the target.",
                1,
            ),
            (
                "Climate campaigners said any loopholes would undermine the credibility of the"
                " goal.",
                1,
            ),
            (
                "MEP {mep} said Parliament would insist on a binding target for every member"
                " country.",
                1,
            ),
        ),
        tags=("capital",),
    ),
)
EU_GOODS = ("steel", "wind turbines", "medical devices", "tires", "solar panels")
POLITICO_EU_STAFF = (
    "Gregorio Sorgi",
    "Jacopo Barigazzi",
    "Camille Gijs",
    "Karl Mathiesen",
    "Nicholas Vinocur",
    "Hanne Cokelaere",
    "Laura Kayali",
    "Koen Verhelst",
)


def politico_eu_values(rng: random.Random, beat: Beat) -> dict[str, object]:
    return {
        "mff": f"{rng.randint(18, 21) / 10:.1f}",
        "capital": rng.choice(CAPITALS_EU),
        "weekday": rng.choice(WEEKDAYS[:5]),
        "mep": rng.choice(MEPS),
        "loans": rng.randint(120, 180),
        "good": rng.choice(EU_GOODS),
        "storage": rng.randint(78, 94),
    }
