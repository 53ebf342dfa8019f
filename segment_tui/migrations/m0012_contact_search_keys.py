"""Search keys for the worksheet's `/`: one folded key per contact (contact no., name,
company name), so a search scans a narrow table instead of folding every line's contact.

``contact_search_key`` holds ``fold(no) ␟ fold(name) ␟ fold(company_name)`` (the folding
of :mod:`segment_tui.filters.search_fold`: lower case, no accents, letters and digits only;
the table below is a frozen copy of its ``FOLD_TABLE`` and ``PUNCTUATION``).

* PostgreSQL keeps it in step itself: statement-level triggers on ``contact`` (one
  ``INSERT … SELECT`` per statement, also for bulk inserts) fold in SQL with the function
  ``segment_search_fold`` built from the table; existing contacts are keyed here. A
  trigram index (``pg_trgm``, when the database allows it) serves "contains".
* SQLite cannot fold accents in SQL, so its keys are filled lazily by the application
  (:func:`segment_tui.services.segments.line_search.ensure_search_keys`, with the ``st_search_key``
  function); triggers written in plain SQL drop the key of a contact whose number, name or
  company name changes, or that is deleted, so any client (even the ``sqlite3`` shell)
  keeps the table a subset of the contacts and a count tells whether keys are missing.
  An FTS5 table with the ``trigram`` tokenizer indexes the keys (kept by triggers on the
  key table), when the SQLite library has it.
"""

from __future__ import annotations

from typing import Any

from peewee import Database, PostgresqlDatabase

VERSION = 12

FOLD_FROM = (
    "\xc0\xc1\xc2\xc3\xc4\xc5\xc7\xc8\xc9\xca\xcb\xcc\xcd\xce\xcf\xd0"
    "\xd1\xd2\xd3\xd4\xd5\xd6\xd8\xd9\xda\xdb\xdc\xdd\xe0\xe1\xe2\xe3"
    "\xe4\xe5\xe7\xe8\xe9\xea\xeb\xec\xed\xee\xef\xf0\xf1\xf2\xf3\xf4"
    "\xf5\xf6\xf8\xf9\xfa\xfb\xfc\xfd\xff\u0100\u0101\u0102\u0103\u0104\u0105\u0106"
    "\u0107\u0108\u0109\u010a\u010b\u010c\u010d\u010e\u010f\u0110\u0111\u0112\u0113\u0114\u0115\u0116"
    "\u0117\u0118\u0119\u011a\u011b\u011c\u011d\u011e\u011f\u0120\u0121\u0122\u0123\u0124\u0125\u0126"
    "\u0127\u0128\u0129\u012a\u012b\u012c\u012d\u012e\u012f\u0130\u0131\u0134\u0135\u0136\u0137\u0138"
    "\u0139\u013a\u013b\u013c\u013d\u013e\u013f\u0140\u0141\u0142\u0143\u0144\u0145\u0146\u0147\u0148"
    "\u014a\u014b\u014c\u014d\u014e\u014f\u0150\u0151\u0154\u0155\u0156\u0157\u0158\u0159\u015a\u015b"
    "\u015c\u015d\u015e\u015f\u0160\u0161\u0162\u0163\u0164\u0165\u0166\u0167\u0168\u0169\u016a\u016b"
    "\u016c\u016d\u016e\u016f\u0170\u0171\u0172\u0173\u0174\u0175\u0176\u0177\u0178\u0179\u017a\u017b"
    "\u017c\u017d\u017e\u017f\u0180\u0191\u0192\u0197\u01a0\u01a1\u01af\u01b0\u01cd\u01ce\u01cf\u01d0"
    "\u01d1\u01d2\u01d3\u01d4\u01d5\u01d6\u01d7\u01d8\u01d9\u01da\u01db\u01dc\u01de\u01df\u01e0\u01e1"
    "\u01e6\u01e7\u01e8\u01e9\u01ea\u01eb\u01ec\u01ed\u01f0\u01f4\u01f5\u01f8\u01f9\u01fa\u01fb\u01fe"
    "\u01ff\u0200\u0201\u0202\u0203\u0204\u0205\u0206\u0207\u0208\u0209\u020a\u020b\u020c\u020d\u020e"
    "\u020f\u0210\u0211\u0212\u0213\u0214\u0215\u0216\u0217\u0218\u0219\u021a\u021b\u021e\u021f\u0226"
    "\u0227\u0228\u0229\u022a\u022b\u022c\u022d\u022e\u022f\u0230\u0231\u0232\u0233\u0243\u1e00\u1e01"
    "\u1e02\u1e03\u1e04\u1e05\u1e06\u1e07\u1e08\u1e09\u1e0a\u1e0b\u1e0c\u1e0d\u1e0e\u1e0f\u1e10\u1e11"
    "\u1e12\u1e13\u1e14\u1e15\u1e16\u1e17\u1e18\u1e19\u1e1a\u1e1b\u1e1c\u1e1d\u1e1e\u1e1f\u1e20\u1e21"
    "\u1e22\u1e23\u1e24\u1e25\u1e26\u1e27\u1e28\u1e29\u1e2a\u1e2b\u1e2c\u1e2d\u1e2e\u1e2f\u1e30\u1e31"
    "\u1e32\u1e33\u1e34\u1e35\u1e36\u1e37\u1e38\u1e39\u1e3a\u1e3b\u1e3c\u1e3d\u1e3e\u1e3f\u1e40\u1e41"
    "\u1e42\u1e43\u1e44\u1e45\u1e46\u1e47\u1e48\u1e49\u1e4a\u1e4b\u1e4c\u1e4d\u1e4e\u1e4f\u1e50\u1e51"
    "\u1e52\u1e53\u1e54\u1e55\u1e56\u1e57\u1e58\u1e59\u1e5a\u1e5b\u1e5c\u1e5d\u1e5e\u1e5f\u1e60\u1e61"
    "\u1e62\u1e63\u1e64\u1e65\u1e66\u1e67\u1e68\u1e69\u1e6a\u1e6b\u1e6c\u1e6d\u1e6e\u1e6f\u1e70\u1e71"
    "\u1e72\u1e73\u1e74\u1e75\u1e76\u1e77\u1e78\u1e79\u1e7a\u1e7b\u1e7c\u1e7d\u1e7e\u1e7f\u1e80\u1e81"
    "\u1e82\u1e83\u1e84\u1e85\u1e86\u1e87\u1e88\u1e89\u1e8a\u1e8b\u1e8c\u1e8d\u1e8e\u1e8f\u1e90\u1e91"
    "\u1e92\u1e93\u1e94\u1e95\u1e96\u1e97\u1e98\u1e99\u1e9b\u1ea0\u1ea1\u1ea2\u1ea3\u1ea4\u1ea5\u1ea6"
    "\u1ea7\u1ea8\u1ea9\u1eaa\u1eab\u1eac\u1ead\u1eae\u1eaf\u1eb0\u1eb1\u1eb2\u1eb3\u1eb4\u1eb5\u1eb6"
    "\u1eb7\u1eb8\u1eb9\u1eba\u1ebb\u1ebc\u1ebd\u1ebe\u1ebf\u1ec0\u1ec1\u1ec2\u1ec3\u1ec4\u1ec5\u1ec6"
    "\u1ec7\u1ec8\u1ec9\u1eca\u1ecb\u1ecc\u1ecd\u1ece\u1ecf\u1ed0\u1ed1\u1ed2\u1ed3\u1ed4\u1ed5\u1ed6"
    "\u1ed7\u1ed8\u1ed9\u1eda\u1edb\u1edc\u1edd\u1ede\u1edf\u1ee0\u1ee1\u1ee2\u1ee3\u1ee4\u1ee5\u1ee6"
    "\u1ee7\u1ee8\u1ee9\u1eea\u1eeb\u1eec\u1eed\u1eee\u1eef\u1ef0\u1ef1\u1ef2\u1ef3\u1ef4\u1ef5\u1ef6"
    "\u1ef7\u1ef8\u1ef9"
)

FOLD_TO = (
    "aaaaaaceeeeiiiidnoooooouuuuyaaaaaaceeeeiiiidnoooooouuuuyyaaa"
    "aaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiijjkkkllllllll"
    "llnnnnnnnnoooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs"
    "bffioouuaaiioouuuuuuuuuuaaaaggkkoooojggnnaaooaaaaeeeeiiiiooo"
    "orrrruuuusstthhaaeeooooooooyybaabbbbbbccddddddddddeeeeeeeeee"
    "ffgghhhhhhhhhhiiiikkkkkkllllllllmmmmmmnnnnnnnnoooooooopppprr"
    "rrrrrrssssssssssttttttttuuuuuuuuuuvvvvwwwwwwwwwwxxxxyyzzzzzz"
    "htwysaaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeiiiiooooooooooo"
    "ooooooooooooouuuuuuuuuuuuuuyyyyyyyy"
)

DELETED = (
    "!\"#$%&'()*+,-./:"
    ";<=>?@[\\]^_`{|}~"
    " \t\n\r\x0b\x0c\x1f\xa0\u2007\u202f\u2009\u200a\u2002\u2003\u2018\u2019"
    "\u201a\u201b\u201c\u201d\u201e\xab\xbb\u2039\u203a\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
    "\u2026\xb7\u2022\xb4\xa8\xb8\u02bc\u02bb\u2032\u2033\xa1\xbf\xa7\xb6\xa9\xae"
    "\u2122\xb0\u0300\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308\u0309\u030a\u030b\u030c\u030d"
    "\u030e\u030f\u0310\u0311\u0312\u0313\u0314\u0315\u0316\u0317\u0318\u0319\u031a\u031b\u031c\u031d"
    "\u031e\u031f\u0320\u0321\u0322\u0323\u0324\u0325\u0326\u0327\u0328\u0329\u032a\u032b\u032c\u032d"
    "\u032e\u032f\u0330\u0331\u0332\u0333\u0334\u0335\u0336\u0337\u0338\u0339\u033a\u033b\u033c\u033d"
    "\u033e\u033f\u0340\u0341\u0342\u0343\u0344\u0345\u0346\u0347\u0348\u0349\u034a\u034b\u034c\u034d"
    "\u034e\u034f\u0350\u0351\u0352\u0353\u0354\u0355\u0356\u0357\u0358\u0359\u035a\u035b\u035c\u035d"
    "\u035e\u035f\u0360\u0361\u0362\u0363\u0364\u0365\u0366\u0367\u0368\u0369\u036a\u036b\u036c\u036d"
    "\u036e\u036f"
)

MULTI = {
    "\xc6": "ae",
    "\xde": "th",
    "\xdf": "ss",
    "\xe6": "ae",
    "\xfe": "th",
    "\u0132": "ij",
    "\u0133": "ij",
    "\u0152": "oe",
    "\u0153": "oe",
    "\u01c4": "dz",
    "\u01c5": "dz",
    "\u01c6": "dz",
    "\u01c7": "lj",
    "\u01c8": "lj",
    "\u01c9": "lj",
    "\u01ca": "nj",
    "\u01cb": "nj",
    "\u01cc": "nj",
    "\u01e2": "ae",
    "\u01e3": "ae",
    "\u01f1": "dz",
    "\u01f2": "dz",
    "\u01f3": "dz",
    "\u01fc": "ae",
    "\u01fd": "ae",
    "\u1e9e": "ss",
}

SQLITE = [
    # A rowid table: the trigram index below points at its rows by rowid.
    'CREATE TABLE "contact_search_key" ("contact_no" VARCHAR(20) NOT NULL PRIMARY KEY, '
    '"search_key" TEXT NOT NULL)',
    'CREATE TRIGGER "contact_search_key_stale" AFTER UPDATE OF "no", "name", "company_name" '
    'ON "contact" BEGIN DELETE FROM "contact_search_key" WHERE "contact_no" IN (OLD."no", '
    'NEW."no"); END',
    'CREATE TRIGGER "contact_search_key_gone" AFTER DELETE ON "contact" '
    'BEGIN DELETE FROM "contact_search_key" WHERE "contact_no" = OLD."no"; END',
]

SQLITE_TRIGRAMS = [
    'CREATE VIRTUAL TABLE "contact_search_trigrams" USING fts5("search_key", '
    "content='contact_search_key', tokenize='trigram')",
    'CREATE TRIGGER "contact_search_key_added" AFTER INSERT ON "contact_search_key" '
    'BEGIN INSERT INTO "contact_search_trigrams" (rowid, "search_key") '
    'VALUES (NEW.rowid, NEW."search_key"); END',
    'CREATE TRIGGER "contact_search_key_removed" AFTER DELETE ON "contact_search_key" '
    'BEGIN INSERT INTO "contact_search_trigrams" ("contact_search_trigrams", rowid, '
    """"search_key") VALUES ('delete', OLD.rowid, OLD."search_key"); END""",
]


POSTGRES_TRIGGERS = """
CREATE TABLE contact_search_key (
    contact_no VARCHAR(20){collation} NOT NULL PRIMARY KEY,
    search_key TEXT COLLATE "C" NOT NULL
);
CREATE FUNCTION segment_search_key(no TEXT, name TEXT, company_name TEXT) RETURNS TEXT
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT segment_search_fold(no) || chr(31) || segment_search_fold(name)
                 || chr(31) || segment_search_fold(company_name) $$;
CREATE FUNCTION contact_search_key_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO contact_search_key (contact_no, search_key)
    SELECT n.no, segment_search_key(n.no, n.name, n.company_name) FROM new_contacts n
    ON CONFLICT (contact_no) DO UPDATE SET search_key = EXCLUDED.search_key;
    RETURN NULL;
END $$;
CREATE FUNCTION contact_search_key_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM contact_search_key k USING old_contacts o
    WHERE k.contact_no = o.no AND NOT EXISTS (SELECT 1 FROM new_contacts n WHERE n.no = o.no);
    INSERT INTO contact_search_key (contact_no, search_key)
    SELECT n.no, segment_search_key(n.no, n.name, n.company_name) FROM new_contacts n
    WHERE NOT EXISTS (
        SELECT 1 FROM old_contacts o
        WHERE o.no = n.no AND o.name = n.name AND o.company_name = n.company_name
    )
    ON CONFLICT (contact_no) DO UPDATE SET search_key = EXCLUDED.search_key;
    RETURN NULL;
END $$;
CREATE FUNCTION contact_search_key_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM contact_search_key k USING old_contacts o WHERE k.contact_no = o.no;
    RETURN NULL;
END $$;
CREATE TRIGGER contact_search_key_insert AFTER INSERT ON contact
    REFERENCING NEW TABLE AS new_contacts
    FOR EACH STATEMENT EXECUTE FUNCTION contact_search_key_added();
CREATE TRIGGER contact_search_key_update AFTER UPDATE ON contact
    REFERENCING OLD TABLE AS old_contacts NEW TABLE AS new_contacts
    FOR EACH STATEMENT EXECUTE FUNCTION contact_search_key_changed();
CREATE TRIGGER contact_search_key_delete AFTER DELETE ON contact
    REFERENCING OLD TABLE AS old_contacts
    FOR EACH STATEMENT EXECUTE FUNCTION contact_search_key_removed();
INSERT INTO contact_search_key (contact_no, search_key)
    SELECT no, segment_search_key(no, name, company_name) FROM contact;
ANALYZE contact_search_key;
"""


def _quote(text: str) -> str:
    """A SQL string literal (standard conforming strings: only quotes are doubled)."""
    return "'" + text.replace("'", "''") + "'"


def postgres_fold_function() -> str:
    """``segment_search_fold(text)``: lower case (in the database's collation), then the
    frozen table: ``translate`` maps one letter to one and deletes ``DELETED``
    (characters past the end of its third argument), ``replace`` turns the few letters
    that read as two."""
    # The database's own collation, not the column's: a "C" column would fold ASCII only.
    lowered = """lower(coalesce(value, '') COLLATE "default")"""
    expression = f"translate({lowered}, {_quote(FOLD_FROM + DELETED)}, "
    expression += f"{_quote(FOLD_TO)})"
    for char, base in MULTI.items():
        expression = f"replace({expression}, {_quote(char)}, {_quote(base)})"
    return (
        "CREATE FUNCTION segment_search_fold(value TEXT) RETURNS TEXT "
        f"LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fold$ SELECT {expression} $fold$"
    )


POSTGRES_TRIGRAMS = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX contact_search_key_trigrams ON contact_search_key "
    "USING gin (search_key gin_trgm_ops)",
)


def apply(database: Database) -> None:
    """Create the key table and what keeps it in step (see the module docstring)."""
    if isinstance(database, PostgresqlDatabase):
        # The raw cursor: no parameters, so "%" in the table needs no escaping.
        cursor = database.cursor()
        cursor.execute(postgres_fold_function())
        cursor.execute(POSTGRES_TRIGGERS.replace("{collation}", _collation_of_contact_no(cursor)))
        _optional(database, POSTGRES_TRIGRAMS)
        return
    for statement in SQLITE:
        database.execute_sql(statement)
    _optional(database, SQLITE_TRIGRAMS)


def _collation_of_contact_no(cursor: Any) -> str:
    """`` COLLATE "x"`` when ``contact.no`` has a collation of its own: the key table is
    joined with ``contact`` and ``segment_line`` on contact numbers, and PostgreSQL
    refuses to compare two columns of different collations."""
    cursor.execute(
        "SELECT collation_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = 'contact' AND column_name = 'no'"
    )
    row = cursor.fetchone()
    return f' COLLATE "{row[0]}"' if row and row[0] else ""


def _optional(database: Database, statements: list[str] | tuple[str, ...]) -> None:
    """A trigram index, so "contains" (``LIKE '%…%'``) reads a few index pages instead of
    every key: PostgreSQL's ``pg_trgm`` (it ships with PostgreSQL and a database owner may
    create it: a trusted extension), SQLite's FTS5 ``trigram`` tokenizer (SQLite 3.34+).
    Where it is missing or not allowed, searches scan the keys."""
    try:
        with database.atomic():  # a savepoint: a refusal must not abort the migration
            for statement in statements:
                database.execute_sql(statement)
    except Exception:  # noqa: BLE001 - the index is an optional speed-up
        return
