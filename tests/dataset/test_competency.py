"""Competency questions: every example query returns exactly the answer the article supports.

``server/queries/examples`` are asked of the store as loaded (pyoxigraph, union of named graphs);
``server/queries/wikidata-terms`` use Wikidata's properties and items and are answered from the OWL RL
closure (rdflib), through our owl:equivalentProperty / rdfs:subPropertyOf and owl:sameAs links.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT, rows

QUERIES = ROOT / "server" / "queries"
ID = "https://w3id.org/dialogue55/id/"
WD = "http://www.wikidata.org/entity/"
SENTENCE = "https://w3id.org/dialogue55/graph/sentence-"

STATES = {"morocco": "Q1028", "algeria": "Q262", "libya": "Q1016", "mauritania": "Q1025", "tunisia": "Q948",
          "spain": "Q29", "france": "Q142", "italy": "Q38", "malta": "Q233", "portugal": "Q45"}
STATE_LABELS = {"morocco": "Maroc", "algeria": "Algérie", "libya": "Libye", "mauritania": "Mauritanie",
                "tunisia": "Tunisie", "spain": "Espagne", "france": "France", "italy": "Italie", "malta": "Malte",
                "portugal": "Portugal"}
ORGANIZATIONS = {"iom": ("OIM", "Q472311"), "au": ("UA", "Q7159"), "eu": ("UE", "Q458"), "ufm": ("UpM", "Q192177"),
                 "amu": ("UMA", "Q370862"), "ecowas": ("CEDEAO", "Q193272"), "oecd": ("OCDE", "Q41550")}
HEADLINE = "Le Maroc préside la 8ème Conférence Ministérielle du 'Dialogue 5+5' sur la Migration et le Développement"
SENTENCE_04 = (
    "Marrakech – Le Royaume du Maroc préside, les 1 et 2 Mars à Marrakech, la 8ème Conférence Ministérielle du "
    "'Dialogue 5+5' sur la Migration et le Développement, qui vise à définir un cadre d'action globale, consensuel et "
    "équilibré en Méditerranée Occidentale portant sur la question migratoire dans ses différentes dimensions, "
    "notamment le lien entre la migration et le développement, la migration régulière et la mobilité, l'intégration "
    "des migrants et la préservation de leurs droits, ainsi que la lutte contre le trafic des migrants et la traite "
    "des êtres humains.")

EXAMPLES = {
    "01-member-states.rq": {(ID + s, label) for s, label in STATE_LABELS.items()},
    "02-forum-inception.rq": {("1990",)},
    "03-conference-president.rq": {(ID + "morocco",)},
    "04-conference-place-and-dates.rq": {(ID + "marrakesh", "2020-03-01", "2020-03-02")},
    "05-participating-organizations.rq": {(ID + o, acronym) for o, (acronym, _) in ORGANIZATIONS.items()},
    "06-participating-ministers.rq": {(ID + "foreign-minister-of-" + s, ID + s) for s in STATES},
    "07-conference-themes.rq": {
        (ID + "migration-question", "question migratoire"),
        (ID + "migration-and-development", "la Migration et le Développement"),
        (ID + "migration-development-link", "lien entre la migration et le développement"),
        (ID + "regular-migration-and-mobility", "migration régulière et mobilité"),
        (ID + "integration-and-rights-of-migrants", "intégration des migrants et préservation de leurs droits"),
        (ID + "fight-against-smuggling-and-trafficking",
         "lutte contre le trafic des migrants et la traite des êtres humains"),
    },
    "08-conference-objectives.rq": {
        (ID + "framework-for-action", "cadre d'action globale, consensuel et équilibré en Méditerranée Occidentale"),
        (ID + "good-governance", "bonne gouvernance"),
        (ID + "consensual-approach", "approche consensuelle des questions migratoires"),
    },
    "09-forms-of-cooperation.rq": {
        (ID + "joint-operational-actions", "actions opérationnelles conjointes"),
        (ID + "regular-dialogue-and-consultation",
         "dialogue régulier et concertation effective entre les instances nationales concernées"),
        (ID + "best-practice-sharing", "partage des meilleures pratiques sur les aspects positifs de la migration"),
        (ID + "technological-solutions", "développement des solutions technologiques capables d'améliorer la "
                                         "collecte, l'analyse et la gestion des données en la matière"),
        (ID + "platform-networking", "mise en réseau de ces plateformes et leur inclusion dans le travail de "
                                     "coordination en impliquant la société civile de la Méditerranée occidentale"),
    },
    "10-global-compact.rq": {(ID + "global-compact-for-migration", ID + "marrakesh", "2018-12")},
    "11-sentence-morocco-presided.rq": {
        (SENTENCE + "01", HEADLINE), (SENTENCE + "02", "02.03.2020 | " + HEADLINE), (SENTENCE + "04", SENTENCE_04),
    },
    "12-wikidata-items.rq": {(ID + s, WD + q) for s, q in STATES.items()}
        | {(ID + o, WD + q) for o, (_, q) in ORGANIZATIONS.items()} | {(ID + "marrakesh", WD + "Q101625")},
    "13-source-article.rq": {(ID + "article", HEADLINE, "2020-03-02", ID + "article19-ma",
                              "http://id.loc.gov/vocabulary/iso639-1/fr", "http://article19.ma/accueil/archives/124459")},
    "14-which-sentence-states-a-triple.rq": {
        (SENTENCE + "12", "Le Dialogue 5+5, créé en 1990, est un forum sous régional qui constitue une des premières "
                          "initiatives fructueuses entre des pays méditerranéens."),
    },
}

SENTENCE_13 = ("Il regroupe les dix pays de la Méditerranée Occidentale, à savoir : le Maroc, l'Algérie, la Libye, "
               "la Mauritanie, la Tunisie, l'Espagne, la France, l'Italie, Malte et le Portugal.")
STATE_LABELS_AR = {"morocco": "المغرب", "algeria": "الجزائر", "libya": "ليبيا", "mauritania": "موريتانيا",
                   "tunisia": "تونس", "spain": "إسبانيا", "france": "فرنسا", "italy": "إيطاليا", "malta": "مالطا",
                   "portugal": "البرتغال"}
SOURCE = "http://article19.ma/accueil/archives/124459"

# Answered by the endpoint itself, from the derived Wikidata view (dates as WDQS encodes them).
WIKIDATA_TERMS = {
    "01-member-states.rq": {(WD + q,) for q in STATES.values()},
    "02-inception.rq": {("1990-01-01T00:00:00Z",)},
    "03-chairperson.rq": {(WD + "Q1028",)},
    "04-location-and-time.rq": {(WD + "Q101625", "2020-03-01T00:00:00Z", "2020-03-02T00:00:00Z")},
    "05-short-names.rq": {(WD + q, acronym) for acronym, q in ORGANIZATIONS.values()},
    "06-foreign-ministers.rq": {(ID + "foreign-minister-of-" + s, WD + q) for s, q in STATES.items()},
    "07-member-reference.rq": {(SENTENCE_13, SOURCE)},
    "08-article.rq": {(ID + "article", "2020-03-02T00:00:00Z", ID + "article19-ma")},
    "09-member-states-labelled.rq": {(WD + STATES[s], label) for s, label in STATE_LABELS_AR.items()},
    "10-where-and-who-presided.rq": {("8ème Conférence Ministérielle du 'Dialogue 5+5' sur la Migration et le "
                                      "Développement", "Marrakech", "Maroc", "2020-03-01T00:00:00Z")},
}


def query_files(folder: str) -> list[Path]:
    return sorted((QUERIES / folder).glob("*.rq"))


@pytest.mark.parametrize("folder, expected", [("examples", EXAMPLES), ("wikidata-terms", WIKIDATA_TERMS)])
def test_every_query_file_has_an_expected_answer(folder, expected):
    assert {p.name for p in query_files(folder)} == set(expected)


@pytest.mark.parametrize("path", query_files("examples") + query_files("wikidata-terms"), ids=lambda p: p.name)
def test_query_file_starts_with_titles_in_english_french_and_arabic(path):
    first, second, third = path.read_text(encoding="utf-8").splitlines()[:3]
    assert first.startswith("# title@en: ") and len(first) > len("# title@en: ")
    assert second.startswith("# title@fr: ") and len(second) > len("# title@fr: ")
    assert third.startswith("# title@ar: ") and len(third) > len("# title@ar: ")


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_answer(oxi_store, name):
    assert rows(oxi_store, (QUERIES / "examples" / name).read_text(encoding="utf-8")) == EXAMPLES[name]


def endpoint_rows(client, query: str) -> set[tuple[str, ...]]:
    """The solutions of a SELECT asked at /sparql (JSON results), as tuples of lexical values."""
    response = client.post("/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.get_data(as_text=True)
    results = response.get_json()
    names = results["head"]["vars"]
    return {tuple(b[n]["value"] if n in b else "" for n in names) for b in results["results"]["bindings"]}


@pytest.mark.parametrize("name", sorted(WIKIDATA_TERMS))
def test_wikidata_terms_are_answered_by_the_endpoint(client, name):
    query = (QUERIES / "wikidata-terms" / name).read_text(encoding="utf-8")
    assert endpoint_rows(client, query) == WIKIDATA_TERMS[name]


def test_wikidata_terms_need_the_derived_view(oxi_store):
    """On the files as they are (no view), no Wikidata-terms question has an answer: the data uses our terms."""
    from server.dataset.iris import IriSpace
    from server.engine import label_service

    prefixes = IriSpace("https://w3id.org/dialogue55/").prefixes
    for name in WIKIDATA_TERMS:
        query = label_service.rewrite((QUERIES / "wikidata-terms" / name).read_text(encoding="utf-8"), prefixes)
        assert not rows(oxi_store, query), name
