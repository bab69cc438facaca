"""The demo market's vocabulary: industries, sizes, titles, sales reps and the website's content."""

from __future__ import annotations

from dataclasses import dataclass

from liidi.demo.records import BUYING_STAGES


@dataclass(frozen=True, slots=True)
class Industry:
    """An industry with its share of the market, its fit to what we sell, and name suffixes."""

    name: str
    weight: float
    fit: float
    suffixes_en: tuple[str, ...]
    suffixes_fi: tuple[str, ...]


def _w(text: str) -> tuple[str, ...]:
    return tuple(text.split())


INDUSTRIES: tuple[Industry, ...] = (
    Industry(
        "software", 12, 0.90, _w("Software Systems Digital Tech Labs"), _w("Ohjelmistot Digi Tech Systems")
    ),
    Industry(
        "manufacturing", 14, 0.75, _w("Industries Works Machinery"), _w("Metalli Tehtaat Konepaja Teollisuus")
    ),
    Industry(
        "logistics",
        9,
        0.80,
        _w("Logistics Freight Transport Cargo"),
        _w("Logistiikka Kuljetus Logistics Rahti"),
    ),
    Industry(
        "finance", 7, 0.85, _w("Capital Finance Insurance Invest"), _w("Rahoitus Vakuutus Capital Sijoitus")
    ),
    Industry("retail", 10, 0.70, _w("Retail Stores Trading Commerce"), _w("Kauppa Tukku Retail Kaupat")),
    Industry("healthcare", 8, 0.60, _w("Health Care Medical Clinics"), _w("Terveys Hoiva Lääkärit Care")),
    Industry("public_sector", 7, 0.35, _w("Agency Authority Services"), _w("Kuntapalvelut Palvelukeskus")),
    Industry("energy", 6, 0.70, _w("Energy Power Grid Utilities"), _w("Energia Sähkö Voima Lämpö")),
    Industry(
        "construction", 9, 0.45, _w("Construction Building Engineering"), _w("Rakennus Rakentajat Urakointi")
    ),
    Industry("education", 5, 0.25, _w("Academy Learning Institute"), _w("Opisto Koulutus Akatemia")),
    Industry("media", 5, 0.50, _w("Media Publishing Studios"), _w("Media Viestintä Kustannus Studio")),
)
COMPETITOR_SUFFIXES: tuple[str, ...] = _w("Consulting Cloud Solutions Digital")

# (lowest, highest employees, share of accounts, fit)
SIZE_CLASSES: tuple[tuple[int, int, float, float], ...] = (
    (10, 49, 30, 0.30),
    (50, 249, 35, 0.80),
    (250, 999, 22, 1.00),
    (1000, 4999, 10, 0.85),
    (5000, 30000, 3, 0.60),
)
COUNTRY_FIT: dict[str, float] = {
    "FI": 1.0,
    "SE": 0.85,
    "NO": 0.8,
    "DK": 0.8,
    "EE": 0.75,
    "DE": 0.5,
    "NL": 0.55,
    "GB": 0.4,
    "US": 0.25,
}

SERVICES: tuple[str, ...] = ("pilvi", "tietoturva", "data-analytiikka", "integraatiot", "ohjelmistokehitys")
SERVICE_LABELS: dict[str, str] = {
    "pilvi": "Cloud platform",
    "tietoturva": "Security services",
    "data-analytiikka": "Data & analytics",
    "integraatiot": "Integration platform",
    "ohjelmistokehitys": "Software development",
}
SERVICE_PRICE: dict[str, float] = {
    "pilvi": 1.2,
    "tietoturva": 1.0,
    "data-analytiikka": 1.1,
    "integraatiot": 0.9,
    "ohjelmistokehitys": 1.4,
}
SERVICE_THEMES: dict[str, tuple[str, ...]] = {
    "pilvi": ("cloud", "cost"),
    "tietoturva": ("security",),
    "data-analytiikka": ("data", "ai"),
    "integraatiot": ("integration", "data"),
    "ohjelmistokehitys": ("ai", "integration", "cloud"),
}
SERVICE_SUBPAGES: dict[str, tuple[str, ...]] = {
    "pilvi": _w("pilvisiirto kustannusoptimointi hallinnoitu-pilvi"),
    "tietoturva": _w("auditointi soc-palvelu nis2"),
    "data-analytiikka": _w("tietovarasto raportointi tekoaly"),
    "integraatiot": _w("rajapinnat erp-integraatio integraatioalusta"),
    "ohjelmistokehitys": _w("sovelluskehitys modernisointi tekoalysovellukset"),
}
# Extra weight of a service by industry (default 1.0).
SERVICE_AFFINITY: dict[str, dict[str, float]] = {
    "finance": {"tietoturva": 2.5},
    "healthcare": {"tietoturva": 2.5},
    "public_sector": {"tietoturva": 2.0, "pilvi": 1.5},
    "logistics": {"integraatiot": 2.5},
    "manufacturing": {"integraatiot": 2.0, "data-analytiikka": 1.5},
    "retail": {"data-analytiikka": 2.5},
    "software": {"pilvi": 2.0, "ohjelmistokehitys": 2.0},
    "energy": {"data-analytiikka": 2.0},
}

THEMES: tuple[str, ...] = ("cloud", "security", "data", "integration", "ai", "cost")
THEME_SERVICE: dict[str, str] = {
    "cloud": "pilvi",
    "cost": "pilvi",
    "security": "tietoturva",
    "data": "data-analytiikka",
    "ai": "data-analytiikka",
    "integration": "integraatiot",
}
EARLY, NEED, COMPARING, DECIDING = BUYING_STAGES
THEME_POSTS: dict[str, tuple[tuple[str, str], ...]] = {
    "cloud": (
        ("pilvi-vai-oma-konesali", EARLY),
        ("pilvisiirron-sudenkuopat", NEED),
        ("monipilvi-vertailu", COMPARING),
    ),
    "security": (
        ("nis2-mita-muuttuu", EARLY),
        ("tietoturva-auditoinnin-tarve", NEED),
        ("soc-palvelun-valinta", COMPARING),
    ),
    "data": (
        ("datastrategia-alkuun", EARLY),
        ("raportoinnin-pullonkaulat", NEED),
        ("tietovarastot-vertailussa", COMPARING),
    ),
    "integration": (
        ("integraatiot-selkokielella", EARLY),
        ("erp-integraation-tarve", NEED),
        ("ipaas-vertailu", COMPARING),
    ),
    "ai": (
        ("tekoaly-yrityksessa", EARLY),
        ("tekoalyn-kayttotapaukset", NEED),
        ("tekoalykumppanin-valinta", COMPARING),
    ),
    "cost": (
        ("it-kulut-kuriin", EARLY),
        ("pilvikulujen-seuranta", NEED),
        ("finops-tyokalut-vertailussa", COMPARING),
    ),
}
THEME_DOWNLOADS: dict[str, tuple[tuple[str, str], ...]] = {
    "cloud": (
        ("pilvi-tilannekuva-2026", EARLY),
        ("pilvisiirron-opas", NEED),
        ("pilvialustojen-vertailu", COMPARING),
    ),
    "security": (
        ("tietoturvaraportti-2026", EARLY),
        ("nis2-tarkistuslista", NEED),
        ("soc-ostajan-opas", COMPARING),
    ),
    "data": (
        ("data-kypsyystesti", EARLY),
        ("datastrategian-opas", NEED),
        ("bi-tyokalujen-vertailu", COMPARING),
    ),
    "integration": (
        ("integraatiokartoitus", EARLY),
        ("erp-integraatio-opas", NEED),
        ("ipaas-ostajan-opas", COMPARING),
    ),
    "ai": (
        ("tekoaly-trendit-2026", EARLY),
        ("tekoaly-pilotin-opas", NEED),
        ("tekoalyalustojen-vertailu", COMPARING),
    ),
    "cost": (
        ("it-budjetti-2026", EARLY),
        ("pilvikustannusten-opas", NEED),
        ("finops-ostajan-opas", COMPARING),
    ),
}
GENERIC_PAGES: tuple[str, ...] = ("/", "/", "/tietoa-meista", "/asiakkaat", "/blogi/", "/yhteystiedot")
CAREER_PAGES: tuple[str, ...] = _w(
    "/rekry/ /rekry/avoimet-paikat /rekry/ohjelmistokehittaja /rekry/pilviarkkitehti "
    "/rekry/kesaharjoittelu /rekry/tietoturva-asiantuntija /rekry/elama-talossa"
)

# Job titles by buying role; every title maps to that role under liidi.domain.people.role_from_title.
TITLES_EN: dict[str, tuple[str, ...]] = {
    "decision_maker": (
        "CEO",
        "CTO",
        "CIO",
        "CFO",
        "COO",
        "Chief Digital Officer",
        "VP Engineering",
        "VP Operations",
        "IT Director",
        "Head of Operations",
        "Head of IT",
        "Finance Director",
        "Head of Data",
        "CISO",
    ),
    "influencer": (
        "IT Manager",
        "Solution Architect",
        "Enterprise Architect",
        "Procurement Manager",
        "Controller",
        "Product Manager",
        "Security Manager",
        "Data Team Lead",
        "Development Manager",
    ),
    "user": (
        "Developer",
        "Software Engineer",
        "Data Analyst",
        "System Administrator",
        "Security Specialist",
        "Integration Specialist",
        "Business Analyst",
        "DevOps Engineer",
    ),
}
TITLES_FI: dict[str, tuple[str, ...]] = {
    "decision_maker": (
        "Toimitusjohtaja",
        "Tietohallintojohtaja",
        "Talousjohtaja",
        "Teknologiajohtaja",
        "Kehitysjohtaja",
        "Operatiivinen johtaja",
    ),
    "influencer": (
        "IT-päällikkö",
        "Kehityspäällikkö",
        "Hankintapäällikkö",
        "Tietoturvapäällikkö",
        "Controller",
    ),
    "user": ("Kehittäjä", "IT-asiantuntija", "Tietoturva-asiantuntija", "Data-asiantuntija", "Suunnittelija"),
}
OTHER_TITLES: tuple[str, ...] = (
    "Marketing Coordinator",
    "HR Specialist",
    "Assistant",
    "Sales Representative",
)
STUDENT_TITLES: tuple[str, ...] = ("Student", "Opiskelija", "Harjoittelija", "Student")

REP_DOMAIN = "liidi-demo.example"
REPS_BY_COUNTRY: dict[str, tuple[str, ...]] = {
    "FI": ("anna.virtanen", "mikko.korhonen", "laura.nieminen"),
    "SE": ("erik.lindqvist",),
    "NO": ("ingrid.hansen",),
    "DK": ("ingrid.hansen",),
    "EE": ("kadri.tamm",),
    "DE": ("jonas.weber",),
    "NL": ("jonas.weber",),
    "GB": ("emma.clarke",),
    "US": ("emma.clarke",),
}

INBOUND_CHANNELS: dict[str, float] = {
    "organic_search": 35,
    "paid_search": 12,
    "linkedin_ads": 12,
    "email": 8,
    "referral": 10,
    "direct": 18,
    "event": 5,
}
UTM_SOURCE: dict[str, str] = {
    "paid_search": "google",
    "linkedin_ads": "linkedin",
    "email": "newsletter",
    "referral": "partner",
}
LOST_REASONS: dict[str, float] = {
    "chose_competitor": 40,
    "no_budget": 20,
    "no_decision": 20,
    "timing": 12,
    "bad_fit": 8,
}
STALL_REASONS: dict[str, float] = {"no_decision": 50, "timing": 35, "no_budget": 15}
