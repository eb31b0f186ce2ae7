"""A synthetic country shaped like an East African one: 3 regions, 12 districts, 60 communities.

Region and district names are given in each language; community names are local proper names,
with an Arabic-script spelling for the Arabic interface.
"""

from __future__ import annotations

COUNTRY = {
    "code": "KG",
    "names": {
        "en": "Kinga Republic",
        "fr": "République de Kinga",
        "sw": "Jamhuri ya Kinga",
        "pt": "República de Kinga",
        "ar": "جمهورية كينغا",
    },
}

REGIONS = [
    {
        "code": "KG-PW",
        "names": {
            "en": "Pwani Region",
            "fr": "Région de Pwani",
            "sw": "Mkoa wa Pwani",
            "pt": "Região de Pwani",
            "ar": "إقليم بواني",
        },
        "districts": {
            "Kilifi Kaskazini": ["Mtwapa", "Takaungu", "Kikambala", "Chasimba", "Junju"],
            "Kwale Magharibi": ["Kinango", "Samburu Chini", "Mwavumbo", "Ndavaya", "Puma"],
            "Lamu Mashariki": ["Faza", "Kizingitini", "Kiunga", "Mkokoni", "Shella"],
            "Tana Delta": ["Garsen", "Kipini", "Ngao", "Tarasaa", "Bilisa Gafo"],
        },
    },
    {
        "code": "KG-ZW",
        "names": {
            "en": "Ziwa Region",
            "fr": "Région de Ziwa",
            "sw": "Mkoa wa Ziwa",
            "pt": "Região de Ziwa",
            "ar": "إقليم زيوا",
        },
        "districts": {
            "Nyando Chini": ["Ahero", "Awasi", "Kobura", "Onjiko", "Kochogo"],
            "Rachuonyo Kusini": ["Kosele", "Kodera", "Kachien", "Kojwach", "Wang Chieng"],
            "Busia Kati": ["Nambale", "Bukhayo", "Matayos", "Burumba", "Mayenje"],
            "Mbita Visiwani": ["Rusinga", "Mfangano", "Gembe", "Lambwe", "Kaksingri"],
        },
    },
    {
        "code": "KG-ML",
        "names": {
            "en": "Milima Region",
            "fr": "Région de Milima",
            "sw": "Mkoa wa Milima",
            "pt": "Região de Milima",
            "ar": "إقليم ميليما",
        },
        "districts": {
            "Nyandarua Juu": ["Ol Kalou", "Kaimbaga", "Rurii", "Kanjuiri", "Mirangine"],
            "Laikipia Mashariki": ["Ngobit", "Tigithi", "Thingithu", "Umande", "Segera"],
            "Marsabit Milimani": ["Karare", "Songa", "Kituruni", "Dakabaricha", "Ulanula"],
            "Elgeyo Escarpment": ["Chepkorio", "Kaptarakwa", "Metkei", "Soy Kapsowar", "Tambach"],
        },
    },
]

DISTRICT_WORD = {
    "en": "{} District",
    "fr": "District de {}",
    "sw": "Wilaya ya {}",
    "pt": "Distrito de {}",
    "ar": "مقاطعة {}",
}
