"""Countries of the demo market: weights, domains, company stems and people's names."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CountryProfile:
    """How organisations and people of one country are named."""

    code: str
    weight: float
    tld: str
    legal: str
    finnish: bool
    stems: tuple[str, ...]
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    free_mail: tuple[str, ...]
    cities: tuple[str, ...]


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


COUNTRIES: tuple[CountryProfile, ...] = (
    CountryProfile(
        "FI",
        45.0,
        "fi",
        "Oy",
        True,
        _words(
            "Kivikoski Mäkelä Järvinen Lahtinen Koskinen Virta Salmi Aalto Kallio Niemi Honka Tammi Pohjola "
            "Saarinen Laine Heinonen Rautio Vuori Harju Karhu Lumi Revontuli Kuusi Koivu Paju Sampo Tähti "
            "Ilves Kotka Merikoski Kaleva Tapio Louhi Kuura Routa Halla Savo Häme Karjala Lappi Pirkka "
            "Vellamo Ahti Otava Kajava Suvanto Lehto Rinne Kangas Aapa Kelo Hiisi Tuuli Myrsky Sarastus"
        ),
        _words(
            "Anna Mikko Laura Juha Sanna Antti Katja Timo Minna Jukka Heidi Petri Riikka Ville Elina Janne "
            "Tiina Markku Johanna Sami Hanna Teemu Päivi Kari Noora Eero Aino Ilkka Satu Tuomas Jussi Outi"
        ),
        _words(
            "Virtanen Korhonen Mäkinen Nieminen Mäkelä Hämäläinen Laine Heikkinen Koskinen Järvinen Lehtonen "
            "Lehtinen Saarinen Salminen Heinonen Niemi Heikkilä Kinnunen Salonen Turunen Salo Laitinen "
            "Tuominen Rantanen Karjalainen Jokinen Mattila Savolainen Lahtinen Ahonen Kallio Peltonen"
        ),
        _words("gmail.com hotmail.fi outlook.com luukku.com suomi24.fi gmail.com"),
        _words("helsinki espoo tampere turku oulu jyvaskyla kuopio lahti vaasa"),
    ),
    CountryProfile(
        "SE",
        14.0,
        "se",
        "AB",
        False,
        _words(
            "Nordvik Lindqvist Björk Stensund Ekholm Solberg Alvik Granlund Sjövall Holmberg Vinga Gotland "
            "Ljungby Strömsberg Fjällström Ekdal Norrsken Lövgren Bergsjö Älvsborg"
        ),
        _words("Erik Anna Johan Maria Lars Karin Anders Sara Per Emma Oskar Linnea Magnus Elin Henrik Sofia"),
        _words("Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson"),
        _words("gmail.com outlook.com hotmail.com icloud.com"),
        _words("stockholm goteborg malmo uppsala vasteras orebro"),
    ),
    CountryProfile(
        "NO",
        8.0,
        "no",
        "AS",
        False,
        _words("Fjordline Havdal Nordheim Solli Bergvik Vestby Skogheim Lofot Hardanger Tinde Varanger Sogn"),
        _words("Ingrid Ole Kari Lars Silje Håkon Nora Even Marte Sindre Ida Magnus"),
        _words("Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Kristiansen Jensen Berg"),
        _words("gmail.com outlook.com hotmail.com"),
        _words("oslo bergen trondheim stavanger tromso"),
    ),
    CountryProfile(
        "DK",
        7.0,
        "dk",
        "A/S",
        False,
        _words(
            "Kronborg Søholm Vestergaard Lykke Holmgaard Skovby Fanø Limfjord Møllerup Strandvej Hvidbjerg"
        ),
        _words("Mette Søren Camilla Rasmus Louise Mads Line Jesper Sofie Frederik Signe Kasper"),
        _words("Nielsen Jensen Hansen Pedersen Andersen Christensen Larsen Sørensen Rasmussen Madsen"),
        _words("gmail.com outlook.com hotmail.com"),
        _words("kobenhavn aarhus odense aalborg esbjerg"),
    ),
    CountryProfile(
        "EE",
        6.0,
        "ee",
        "OÜ",
        False,
        _words(
            "Tamm Saar Kask Mets Põder Rebane Lõuna Kuusk Pärn Läänemere Toompea Emajõe Saaremaa Vooremaa"
        ),
        _words("Kadri Mart Triin Andres Kristiina Tõnu Liis Rasmus Kati Marko Eva Siim"),
        _words("Tamm Saar Sepp Mägi Kask Kukk Rebane Ilves Pärn Koppel"),
        _words("gmail.com outlook.com yahoo.com"),
        _words("tallinn tartu parnu narva"),
    ),
    CountryProfile(
        "DE",
        8.0,
        "de",
        "GmbH",
        False,
        _words(
            "Bergmann Rheinwald Falkenstein Lindenhof Brückner Sonnenfeld Hagedorn Eichwald Steinbach "
            "Auental Nordwerk Elbtal Isarwerk Mainfeld Harzberg"
        ),
        _words("Jonas Lena Felix Anna Lukas Julia Maximilian Laura Paul Katharina Tobias Sabine"),
        _words("Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch Richter"),
        _words("gmail.com gmx.de web.de t-online.de outlook.com"),
        _words("berlin hamburg munchen koln frankfurt stuttgart"),
    ),
    CountryProfile(
        "NL",
        5.0,
        "nl",
        "B.V.",
        False,
        _words("Vandijk Zeeland Molenaar Brouwer Waterkant Haverkamp Dijkstra Polderweg Oosterhout Veluwe"),
        _words("Daan Sanne Bram Lotte Joost Femke Thijs Eva Ruben Anouk"),
        _words("Jansen Bakker Visser Smit Meijer Mulder Bos Vos Peters Hendriks"),
        _words("gmail.com outlook.com hotmail.com"),
        _words("amsterdam rotterdam utrecht eindhoven"),
    ),
    CountryProfile(
        "GB",
        4.0,
        "co.uk",
        "Ltd",
        False,
        _words("Ashford Thornbury Kingsley Whitmore Carrow Hollins Pennine Severn Bramley Northgate"),
        _words("Emma James Olivia Thomas Sophie Daniel Charlotte Oliver Hannah George"),
        _words("Smith Jones Taylor Brown Williams Wilson Clarke Evans Walker Wright"),
        _words("gmail.com outlook.com btinternet.com yahoo.co.uk"),
        _words("london manchester leeds bristol edinburgh"),
    ),
    CountryProfile(
        "US",
        3.0,
        "com",
        "Inc.",
        False,
        _words("Redwood Lakeshore Summit Granite Bluewater Ironbridge Prairie Cascade Keystone Silverline"),
        _words("Michael Jennifer David Jessica Chris Ashley Ryan Megan Kevin Lauren"),
        _words("Johnson Miller Davis Garcia Rodriguez Martinez Anderson Thomas Moore Jackson"),
        _words("gmail.com outlook.com yahoo.com icloud.com"),
        _words("boston austin denver seattle chicago"),
    ),
)

_ASCII = str.maketrans({"ä": "a", "ö": "o", "å": "a", "ü": "u", "õ": "o", "ø": "o", "æ": "ae", "é": "e"})


def ascii_slug(text: str) -> str:
    """Lower-case ASCII form of a name for domains and e-mail addresses: 'Söholm' → 'soholm'."""
    slug = text.lower().replace("ß", "ss").translate(_ASCII)
    return "".join(ch if ch.isalnum() else "-" for ch in slug).strip("-")
