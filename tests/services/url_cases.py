"""Tables of links for the watch's URL handling (bot.services.watch.urls).

SAME: pairs that are one page (one item with both contributors). DIFFERENT: pairs that are
two pages (never merged). PUBLISHED: what a member gives -> the link published (trackers
removed, every other byte as given).

The W3LIB_* and URL_NORMALIZE_* tables are modeled on the cases of two public suites,
rewritten for this project: scrapy/w3lib `tests/test_url.py` (TestCanonicalizeUrl) and
niksite/url-normalize `tests/` (test_url_normalize, test_normalize_*). Where those
libraries merge what this project keeps apart (or the reverse), the pair is in the
DEFAULT/DIFFERENT table with the reason; see the docstring of bot.services.watch.urls.
The FR_* tables are links as French networks share them (hand-written examples of the
trackers seen on those sites).
"""

from __future__ import annotations

# -- modeled on scrapy/w3lib tests/test_url.py (canonicalize_url) ------------------------
W3LIB_SAME = [
    ("http://www.example.com", "http://www.example.com/"),
    ("http://www.example.com/do?c=1&b=2&a=3", "http://www.example.com/do?a=3&b=2&c=1"),
    ("http://www.example.com/do?&a=1", "http://www.example.com/do?a=1"),
    ("http://www.example.com:/do?a=1&b=2&c=3", "http://www.example.com/do?a=1&b=2&c=3"),
    # repeated names keep their order (w3lib also sorts their values)
    ("http://www.example.com/do?c=3&b=5&b=2&a=50", "http://www.example.com/do?a=50&b=5&b=2&c=3"),
    ("http://www.example.com/do?b=&c&a=2", "http://www.example.com/do?a=2&b=&c="),
    ("http://www.example.com/do?q=a+space&a=1", "http://www.example.com/do?a=1&q=a%20space"),
    ("http://www.example.com/résumé", "http://www.example.com/r%C3%A9sum%C3%A9"),
    ("http://www.example.com/résumé?q=résumé", "http://www.example.com/r%C3%A9sum%C3%A9?q=r%C3%A9sum%C3%A9"),
    ("http://www.example.com/r%c3%a9sum%c3%a9", "http://www.example.com/r%C3%A9sum%C3%A9"),
    ("http://www.example.com/a%a3do", "http://www.example.com/a%A3do"),
    ("http://www.example.com/a%a3do?q=r%c3%a9sum%c3%a9", "http://www.example.com/a%A3do?q=r%C3%A9sum%C3%A9"),
    ("http://www.example.com/a%a3do?q=r%e9sum%e9", "http://www.example.com/a%A3do?q=r%E9sum%E9"),
    ("http://www.example.com/do?k=b%a3", "http://www.example.com/do?k=b%A3"),
    ("http://www.example.com/do?price=£500&a=5&z=3", "http://www.example.com/do?a=5&price=%C2%A3500&z=3"),
    ("http://www.example.com/do?price(£)=500&a=1", "http://www.example.com/do?a=1&price(%C2%A3)=500"),
    ("http://user:pass@www.EXAMPLE.com:81/do?now=1", "http://user:pass@www.example.com:81/do?now=1"),
    ("http://user:pass@www.example.com/do?a=1#frag", "http://user:pass@www.example.com/do?a=1"),
    ("http://[::1]/do?a=1#frag", "http://[::1]/do?a=1"),
    ("http://www.example.com/caf%e9-con-leche.htm", "http://www.example.com/caf%E9-con-leche.htm"),
    ("http://www.EXAMPLE.com/", "http://www.example.com/"),
    ("http://www.bücher.de?q=bücher", "http://www.xn--bcher-kva.de/?q=b%C3%BCcher"),
    (
        "http://はじめよう.みんな/?query=サ&maxResults=5",
        "http://xn--p8j9a0d9c9a.xn--q9jyb4c/?maxResults=5&query=%E3%82%B5",
    ),
    ("http://www.bücher.de:8080/?q=bücher", "http://www.xn--bcher-kva.de:8080/?q=b%C3%BCcher"),
    ("http://user@例え.jp/path", "http://user@xn--r8jz45g.jp/path"),
    ("http://user:pass@例え.jp:8080/p", "http://user:pass@xn--r8jz45g.jp:8080/p"),
    ("http://foo.com/AC%2FDC+rocks%3f/?yeah=1", "http://foo.com/AC%2FDC+rocks%3F/?yeah=1"),
    (
        "http://www.simplybedrooms.com/White-Bedroom-Furniture/Bedroom-Mirror:-Josephine-Cheval-Mirror.html",
        "http://www.SimplyBedrooms.com/White-Bedroom-Furniture/Bedroom-Mirror:-Josephine-Cheval-Mirror.html",
    ),
]
W3LIB_DIFFERENT = [
    # a reserved character escaped is not the same as the character (w3lib decodes %2C)
    ("https://example.com/a%23b%2cc", "https://example.com/a%23b,c"),
    ("http://foo.com/AC%2FDC/", "http://foo.com/AC/DC/"),
    # user information is case-sensitive
    ("http://UsEr:PaSsWoRd@www.example.com/", "http://user:password@www.example.com/"),
    # bytes of another charset are other bytes: never decoded, never re-encoded
    ("http://www.example.com/a%A3do", "http://www.example.com/a%C2%A3do"),
    ("http://www.example.com/do?q=r%E9sum%E9", "http://www.example.com/do?q=r%C3%A9sum%C3%A9"),
    ("http://www.example.com/do?a=1&b=2&c=3", "http://www.example.com/do?a=1&b=2&c=4"),
    ("http://www.example.com:8888/do", "http://www.example.com/do"),
    ("http://www.example.com/do?a=1", "http://www.example.com/do?a=1;b=2"),
]

# -- modeled on niksite/url-normalize tests/ --------------------------------------------
URL_NORMALIZE_SAME = [
    ("http://example.com:081/", "http://example.com:81/"),
    ("http://example.com:80/", "http://example.com/"),
    ("http://127.0.0.1:80/", "http://127.0.0.1/"),
    ("https://example.com:443/a", "https://example.com/a"),
    ("http://example.com/?q=%5c", "http://example.com/?q=%5C"),
    ("http://example.com/a/../a/b", "http://example.com/a/b"),
    ("http://example.com/a/./b", "http://example.com/a/b"),
    ("http://example.com/../foo", "http://example.com/foo"),
    ("http://example.com/./../foo", "http://example.com/foo"),
    ("http://example.com/./foo/.", "http://example.com/foo/"),
    ("http://example.com/foo/bar/..", "http://example.com/foo/"),
    ("http://example.com/foo/bar/../..", "http://example.com/"),
    ("http://example.com/foo/bar/../../../../baz", "http://example.com/baz"),
    ("http://example.com/foo/bar/../baz", "http://example.com/foo/baz"),
    ("http://example.com/foo/bar/./", "http://example.com/foo/bar/"),
    ("http://:@example.com/", "http://example.com/"),
    ("http://@example.com/", "http://example.com/"),
    ("http://EXAMPLE.COM/", "http://example.com/"),
    ("http://example.com/%7Ejane", "http://example.com/~jane"),
    ("http://www.foo.com/%7ebar", "http://www.foo.com/~bar"),
    ("http://www.example.com./", "http://www.example.com/"),
    ("http://www.foo.com.:81/foo", "http://www.foo.com:81/foo"),
    ("http://USER:pass@www.Example.COM/foo/bar", "http://USER:pass@www.example.com/foo/bar"),
    (
        "https://пример.испытание/Служебная:Search/Test",
        "https://xn--e1afmkfd.xn--80akhbyknj4f/%D0%A1%D0%BB%D1%83%D0%B6%D0%B5%D0%B1%D0%BD%D0%B0%D1%8F:Search/Test",
    ),
    ("http://ExAmPle.РФ/", "http://example.xn--p1ai/"),
    ("http://faß.de/", "http://xn--fa-hia.de/"),
    ("http://ドメイン.テスト/", "http://xn--eckwd4c7c.xn--zckzah/"),
    ("http://domain.café/", "http://domain.xn--caf-dma/"),
    ("http://über.example/", "http://xn--ber-goa.example/"),
    ("http://example。com/", "http://example.com/"),
    ("http://example.com/?Ç=Ç", "http://example.com/?%C3%87=%C3%87"),
    ("http://example.com/?b&a", "http://example.com/?a&b"),  # url-normalize keeps the order
]
URL_NORMALIZE_DIFFERENT = [
    # issue #36 of url-normalize: a state fragment selects a spreadsheet's tab
    (
        "https://docs.google.com/spreadsheets/d/abcd/edit#gid=1234",
        "https://docs.google.com/spreadsheets/d/abcd/edit#gid=0",
    ),
    # issue #25: an escaped "?" in the path is not a query
    ("http://example.com/More+Tea+Vicar%3F/discussion", "http://example.com/More+Tea+Vicar?/discussion"),
    ("http://example.com/?q=%23test", "http://example.com/?q=test"),
    ("http://example.com/?where=code%3D123", "http://example.com/?where=code=123"),
    # url-normalize turns Latin-1 bytes into U+FFFD and composes NFD: both would merge pages
    ("http://example.com/?q=%C7", "http://example.com/?q=%C3%87"),
    ("http://example.com/?q=%C7", "http://example.com/?q=%E9"),
    ("http://example.com/?q=C%CC%A7", "http://example.com/?q=%C3%87"),
    # url-normalize rewrites "#!" into _escaped_fragment_; here the route is kept
    ("http://example.com/#!5753509/hello-world", "http://example.com/#!5753510/autre-page"),
    # "//" is not "/" (url-normalize merges them)
    ("http://example.com/foo//bar", "http://example.com/foo/bar"),
    ("http://example.com/FOO", "http://example.com/foo"),
    ("http://example.com:8080/", "http://example.com/"),
]

# -- the project's own choices ---------------------------------------------------------
OWN_DIFFERENT = [
    ("http://www.cnil.fr/fr/parents", "https://www.cnil.fr/fr/parents"),
    ("https://cnil.fr/fr/parents", "https://www.cnil.fr/fr/parents"),
    ("https://app.example.org/#!/actus", "https://app.example.org/#!/agenda"),
    ("https://app.example.org/#/actus", "https://app.example.org/#/agenda"),
    ("https://www.example.org/doc.pdf#page=3", "https://www.example.org/doc.pdf#page=4"),
    ("https://www.example.org/liste?a=1&a=2", "https://www.example.org/liste?a=2&a=1"),
]

# -- French links and their trackers ----------------------------------------------------
FR_PUBLISHED = [
    # Le Monde: xtor (AT Internet) on every RSS link
    (
        "https://www.lemonde.fr/pixels/article/2024/03/12/les-ados-et-les-ecrans_6221512_4408996.html?xtor=RSS-3208",
        "https://www.lemonde.fr/pixels/article/2024/03/12/les-ados-et-les-ecrans_6221512_4408996.html",
    ),
    (
        "https://www.lemonde.fr/societe/live/2024/06/01/direct_6236789_3224.html?xtor=RSS-3208#live-12",
        "https://www.lemonde.fr/societe/live/2024/06/01/direct_6236789_3224.html#live-12",
    ),
    # Ouest-France: utm_* and AT Internet's at_*
    (
        "https://www.ouest-france.fr/bretagne/rennes-35000/des-promeneurs-du-net-au-cdij-7f1c.html"
        "?utm_source=of&utm_medium=rss&at_medium=rss&at_campaign=of_une",
        "https://www.ouest-france.fr/bretagne/rennes-35000/des-promeneurs-du-net-au-cdij-7f1c.html",
    ),
    # France Info: xtor in the fragment, at_* from the newsletter
    (
        "https://www.francetvinfo.fr/societe/education/ecrans-et-ados_6512345.html#xtor=RSS-3-[lestitres]",
        "https://www.francetvinfo.fr/societe/education/ecrans-et-ados_6512345.html",
    ),
    (
        "https://www.francetvinfo.fr/internet/reseaux-sociaux/tiktok_6512346.html"
        "?at_medium=newsletter&at_campaign=quotidienne&at_send_date=20240601&at_recipient_id=123-456",
        "https://www.francetvinfo.fr/internet/reseaux-sociaux/tiktok_6512346.html",
    ),
    # CNIL: the anchor stays in the published link (the key drops it)
    (
        "https://www.cnil.fr/fr/les-conseils-de-la-cnil-aux-parents?utm_source=lettre&utm_medium=email#top",
        "https://www.cnil.fr/fr/les-conseils-de-la-cnil-aux-parents#top",
    ),
    # service-public.fr: xtor on newsletter links, kept parameters byte-exact and in order
    (
        "https://www.service-public.fr/particuliers/actualites/A17123?xtor=EPR-100",
        "https://www.service-public.fr/particuliers/actualites/A17123",
    ),
    (
        "https://www.service-public.fr/particuliers/recherche?keyword=%E9cole&xtor=EPR-100&page=2",
        "https://www.service-public.fr/particuliers/recherche?keyword=%E9cole&page=2",
    ),
    # YouTube and Spotify: si is their share tracker
    ("https://youtu.be/dQw4w9WgXcQ?si=Ab12Cd34Ef56", "https://youtu.be/dQw4w9WgXcQ"),
    (
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ&si=Ab12Cd34Ef56&t=42",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42",
    ),
    (
        "https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk?si=a1b2c3d4",
        "https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk",
    ),
    # ...but si elsewhere is the site's own parameter
    ("https://www.insee.fr/fr/statistiques?si=2&debut=0", "https://www.insee.fr/fr/statistiques?si=2&debut=0"),
    # Instagram
    ("https://www.instagram.com/p/C7abcDEF12/?igsh=MWQ1ZGUxMzBkMA==", "https://www.instagram.com/p/C7abcDEF12/"),
    ("https://www.instagram.com/reel/C7xyz/?igshid=YmMyMTA2M2Y=", "https://www.instagram.com/reel/C7xyz/"),
    # Google: srsltid on results pointing to a shop
    (
        "https://www.fnac.com/a17891234/Guide-des-ecrans?srsltid=AfmBOopQx1",
        "https://www.fnac.com/a17891234/Guide-des-ecrans",
    ),
    # Mailchimp
    (
        "https://www.promeneursdunet.fr/actualites?mc_cid=ab12cd&mc_eid=ef34gh",
        "https://www.promeneursdunet.fr/actualites",
    ),
    ("https://www.promeneursdunet.fr/ressources?mc_tc=2&id=7", "https://www.promeneursdunet.fr/ressources?id=7"),
    # Facebook: fbclid on any site, in any case; share ids on facebook.com
    ("https://www.ouest-france.fr/x-7f1d.html?fbclid=IwAR3xYz", "https://www.ouest-france.fr/x-7f1d.html"),
    ("https://www.ouest-france.fr/x-7f1d.html?FBCLID=IwAR3xYz&p=2", "https://www.ouest-france.fr/x-7f1d.html?p=2"),
    ("https://www.facebook.com/share/p/1AbCdEf/?mibextid=WC7FNe", "https://www.facebook.com/share/p/1AbCdEf/"),
    # Brevo (ex-Sendinblue): utm_* and _se, the reader's address in base64
    (
        "https://www.exemple-asso.fr/agenda?utm_source=brevo&utm_campaign=Lettre%20juin&utm_medium=email"
        "&_se=bWFyaWVAZXhhbXBsZS5mcg%3D%3D",
        "https://www.exemple-asso.fr/agenda",
    ),
    (
        "https://www.exemple-asso.fr/agenda?utm_source=sendinblue&utm_campaign=Lettre_mai",
        "https://www.exemple-asso.fr/agenda",
    ),
    # AT Internet (Radio France)
    (
        "https://www.radiofrance.fr/franceinter/podcasts/le-zoom/ados-ecrans-1234?at_medium=Newsletter"
        "&at_campaign=franceinter&at_platform=brevo&at_creation=zoom",
        "https://www.radiofrance.fr/franceinter/podcasts/le-zoom/ados-ecrans-1234",
    ),
    # Matomo
    (
        "https://www.caf.fr/allocataires/actualites/2024/pass-jeunes?mtm_campaign=lettre&mtm_source=email&pk_kwd=jeunes",
        "https://www.caf.fr/allocataires/actualites/2024/pass-jeunes",
    ),
    (
        "https://www.jeunes.gouv.fr/dispositif?pk_campaign=rs&pk_source=fb&page=3",
        "https://www.jeunes.gouv.fr/dispositif?page=3",
    ),
    # Google Analytics linker
    ("https://www.exemple-mjc.fr/stage?_gl=1*1x2y3z*_ga*MTIzNDU2&_ga=2.1234.5678", "https://www.exemple-mjc.fr/stage"),
    # ";" stays; an IDN host stays as given
    ("https://www.exemple-mjc.fr/liste?a=1;b=2&utm_medium=x", "https://www.exemple-mjc.fr/liste?a=1;b=2"),
    (
        "https://www.élysée.fr/emmanuel-macron/2024/06/01/jeunesse?xtor=CS1-5",
        "https://www.élysée.fr/emmanuel-macron/2024/06/01/jeunesse",
    ),
    (
        "https://docs.google.com/spreadsheets/d/1AbC/edit#gid=1234",
        "https://docs.google.com/spreadsheets/d/1AbC/edit#gid=1234",
    ),
    ("https://app.exemple.fr/#!/agenda/42?x=1", "https://app.exemple.fr/#!/agenda/42?x=1"),
    ("https://www.exemple.fr/?mot=%E9cole", "https://www.exemple.fr/?mot=%E9cole"),
]
FR_SAME = [
    ("https://www.cnil.fr/fr/parents", "https://www.cnil.fr/fr/parents/#top"),
    ("https://www.cnil.fr/fr/parents", "https://www.cnil.fr/fr/parents#section-2"),
    ("https://www.cnil.fr/fr/parents", "https://www.cnil.fr/fr/parents#:~:text=Les%20parents"),
    ("https://www.lemonde.fr/a_6221512_4408996.html?xtor=RSS-3208", "https://www.lemonde.fr/a_6221512_4408996.html"),
    ("https://www.francetvinfo.fr/a_6512345.html#xtor=RSS-3-[lestitres]", "https://www.francetvinfo.fr/a_6512345.html"),
    ("https://youtu.be/dQw4w9WgXcQ?si=Ab12", "https://youtu.be/dQw4w9WgXcQ?si=Zz99"),
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&si=Ab12", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
    ("https://www.instagram.com/p/C7abcDEF12/?igsh=MWQ1", "https://www.instagram.com/p/C7abcDEF12/"),
    ("https://www.exemple.fr/page?srsltid=Af1&_ga=2.1&_gl=1*x", "https://www.exemple.fr/page"),
    ("https://www.exemple.fr/page?at_medium=email&at_campaign=juin", "https://www.exemple.fr/page"),
    ("https://www.exemple.fr/page?fbclid=IwAR1", "https://www.exemple.fr/page?fbclid=IwAR2"),
    ("https://www.exemple.fr/page?mc_cid=1&mc_eid=2&mc_tc=3", "https://www.exemple.fr/page"),
    ("https://www.exemple.fr/page?mtm_campaign=a&pk_campaign=b", "https://www.exemple.fr/page"),
    ("https://www.exemple.fr/page?utm_source=brevo&_se=bWFyaWU%3D", "https://www.exemple.fr/page"),
    ("https://www.élysée.fr/jeunesse", "https://www.xn--lyse-9oad.fr/jeunesse"),
    (
        "https://WWW.Service-Public.FR/particuliers/vosdroits/F1234",
        "https://www.service-public.fr/particuliers/vosdroits/F1234/",
    ),
    ("https://www.exemple.fr/?mot=%e9cole", "https://www.exemple.fr/?mot=%E9cole"),
]
FR_DIFFERENT = [
    (
        "https://docs.google.com/spreadsheets/d/1AbC/edit#gid=0",
        "https://docs.google.com/spreadsheets/d/1AbC/edit#gid=1234",
    ),
    ("https://www.exemple.fr/?mot=%E9cole", "https://www.exemple.fr/?mot=%E8cole"),
    ("https://www.exemple.fr/?mot=%E9cole", "https://www.exemple.fr/?mot=%C3%A9cole"),
    ("https://www.exemple.fr/liste?a=1;b=2", "https://www.exemple.fr/liste?a=1&b=2"),
    ("https://www.insee.fr/fr/statistiques?si=2", "https://www.insee.fr/fr/statistiques?si=3"),
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&si=Ab12", "https://www.youtube.com/watch?v=oHg5SJYRHA0&si=Ab12"),
    (
        "https://www.lemonde.fr/a_6221512_4408996.html?xtor=RSS-3208",
        "https://www.lemonde.fr/b_6221513_4408996.html?xtor=RSS-3208",
    ),
    ("https://app.exemple.fr/#!/agenda/42", "https://app.exemple.fr/#!/agenda/43"),
    ("https://www.cnil.fr/fr/parents", "https://www.cnil.fr/fr/enfants"),
]

SAME = W3LIB_SAME + URL_NORMALIZE_SAME + FR_SAME
DIFFERENT = W3LIB_DIFFERENT + URL_NORMALIZE_DIFFERENT + OWN_DIFFERENT + FR_DIFFERENT
