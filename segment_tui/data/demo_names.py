"""Names and places for the demo company (CRONUS-like), several countries, some accents."""

from __future__ import annotations

# country code -> (language code, cities with post codes, first names, surnames, phone prefix)
COUNTRY_PROFILES: dict[str, tuple[str, list[tuple[str, str]], list[str], list[str], str]] = {
    "GB": (
        "ENU",
        [("London", "W2 8HG"), ("Manchester", "M1 1AA"), ("Edinburgh", "EH1 1YZ"),
         ("Cardiff", "CF10 1AA"), ("Bristol", "BS1 4DJ"), ("Leeds", "LS1 1UR")],
        ["Oliver", "Amelia", "Harry", "Isla", "George", "Ava", "Noah", "Emily", "Jack", "Sophie"],
        ["Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "O'Brien", "Hughes", "Wright"],
        "+44 20 ",
    ),
    "US": (
        "ENU",
        [("Atlanta", "31772"), ("Chicago", "61236"), ("Miami", "37125"), ("Seattle", "98101"),
         ("Boston", "02108")],
        ["James", "Mary", "Robert", "Patricia", "Michael", "Jennifer", "David", "Linda"],
        ["Johnson", "Williams", "Garcia", "Miller", "Davis", "Martinez", "Anderson"],
        "+1 404 ",
    ),
    "DE": (
        "DEU",
        [("München", "80331"), ("Köln", "50667"), ("Berlin", "10115"), ("Düsseldorf", "40213"),
         ("Hamburg", "20095")],
        ["Lukas", "Jürgen", "Anna", "Sören", "Mia", "Björn", "Lea", "Jörg", "Käthe"],
        ["Müller", "Schäfer", "Weiß", "Groß", "Schmidt", "Böhm", "Köhler", "Hoffmann"],
        "+49 89 ",
    ),
    "FR": (
        "FRA",
        [("Paris", "75001"), ("Lyon", "69001"), ("Marseille", "13001"), ("Lille", "59000")],
        ["Léa", "Hélène", "François", "Zoé", "Jérôme", "Chloé", "Benoît", "Céline"],
        ["Lefèvre", "Moreau", "Dupré", "Girard", "Bézier", "Léger", "Fournier"],
        "+33 1 ",
    ),
    "ES": (
        "ESP",
        [("Madrid", "28001"), ("Barcelona", "08001"), ("Sevilla", "41001"), ("Málaga", "29001")],
        ["José", "María", "Sofía", "Andrés", "Lucía", "Iñaki", "Nuria"],
        ["García", "Martínez", "López", "Sánchez", "Pérez", "Muñoz", "Gómez"],
        "+34 91 ",
    ),
    "DK": (
        "DAN",
        [("København", "1050"), ("Aarhus", "8000"), ("Odense", "5000")],
        ["Søren", "Åse", "Jørgen", "Freja", "Mads", "Ida"],
        ["Jørgensen", "Møller", "Nielsen", "Sørensen", "Kjær"],
        "+45 33 ",
    ),
    "SE": (
        "SVE",
        [("Stockholm", "111 20"), ("Göteborg", "411 01"), ("Malmö", "211 19")],
        ["Åsa", "Björn", "Märta", "Örjan", "Elsa", "Nils"],
        ["Åström", "Lindqvist", "Öberg", "Nyström", "Berglund"],
        "+46 8 ",
    ),
    "NL": (
        "NLD",
        [("Amsterdam", "1012"), ("Rotterdam", "3011"), ("Utrecht", "3511")],
        ["Sanne", "Daan", "Eva", "Joris", "Fleur", "Bram"],
        ["de Vries", "Jansen", "van Dijk", "Bakker", "Visser", "van den Berg"],
        "+31 20 ",
    ),
    "IT": (
        "ITA",
        [("Milano", "20121"), ("Roma", "00118"), ("Torino", "10121")],
        ["Giulia", "Luca", "Niccolò", "Francesca", "Matteo"],
        ["Rossi", "Bianchi", "Ferrari", "Esposito", "Colombo"],
        "+39 02 ",
    ),
}  # fmt: skip

COMPANY_STEMS = [
    "Adatum", "Trey Research", "School of Fine Art", "Alpine Ski House", "Relecloud",
    "Coho Winery", "Fabrikam", "Litware", "Northwind Traders", "Tailspin Toys",
    "Wide World Importers", "Contoso", "Proseware", "Woodgrove Bank", "Lamna Healthcare",
    "Fourth Coffee", "Graphic Design Institute", "Humongous Insurance", "Margie's Travel",
    "Nod Publishers", "Southridge Video", "VanArsdel", "Blue Yonder Airlines",
    "Consolidated Messenger", "Lucerne Publishing", "Wingtip Toys", "The Phone Company",
    "City Power & Light", "Bürohaus Köln", "Électricité Lumière", "Møbelhuset Århus",
    "Café São Paulo", "Åkesson Möbler", "Vinícola Andaluza",
]  # fmt: skip
COMPANY_SUFFIXES = ["Ltd.", "Corporation", "GmbH", "S.A.", "A/S", "AB", "B.V.", "Inc.", "S.p.A."]

JOB_TITLES = [
    "Purchasing Manager", "Sales Manager", "Managing Director", "IT Manager",
    "Marketing Assistant", "Accountant", "Owner", "Office Manager", "Buyer",
]  # fmt: skip
