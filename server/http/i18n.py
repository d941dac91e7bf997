"""The languages of the pages, how one is chosen for a request, and the UI strings.

A page is shown in French, English or Arabic. The language comes from
``?lang=`` when given (an unknown one is a 400), else from ``Accept-Language``,
else English. Labels of the data follow the fixed fallback chain of
:func:`fallback_chain`; UI strings exist in all three languages.

>>> fallback_chain("ar")
('ar', 'en', 'fr', '')
>>> direction("ar"), direction("fr")
('rtl', 'ltr')
>>> text("search", "fr")
'Rechercher'
"""

from __future__ import annotations

from dataclasses import dataclass

from . import problems

LANGUAGES = ("en", "fr", "ar")
DEFAULT = "en"
NAMES = {"en": "English", "fr": "Français", "ar": "العربية"}


@dataclass(frozen=True)
class Choice:
    """The language of one response, and whether the client named it in ``?lang=``."""

    lang: str
    explicit: bool

    @property
    def dir(self) -> str:
        return direction(self.lang)


def choose(args, accept_languages, strict: bool = True) -> Choice:
    """The language for a request: ``?lang=``, else Accept-Language, else English.

    With ``strict`` an unknown ``?lang=`` raises :class:`problems.BadRequest`;
    without it (error pages) it is ignored.
    """
    asked = args.get("lang")
    if asked is not None:
        if asked in LANGUAGES:
            return Choice(asked, True)
        if strict:
            raise problems.BadRequest(f"unknown language {asked[:20]!r}; use one of {', '.join(LANGUAGES)}")
    best = accept_languages.best_match(LANGUAGES) if accept_languages else None
    return Choice(best or DEFAULT, False)


def fallback_chain(lang: str) -> tuple[str, ...]:
    """Language tags tried in order for a label: the chosen one, English, French, untagged."""
    return tuple(dict.fromkeys((lang, "en", "fr", "")))


def direction(lang: str) -> str:
    return "rtl" if lang == "ar" else "ltr"


def text(key: str, lang: str) -> str:
    """The UI string ``key`` in ``lang`` (English when a translation is missing)."""
    entry = STRINGS[key]
    return entry.get(lang) or entry["en"]


def plural_forms(key: str, lang: str) -> dict[str, str]:
    """The forms of the counted phrase ``key`` in ``lang``, by CLDR plural category (``Intl.PluralRules``).

    ``other`` is always there; Arabic has all six categories.

    >>> plural_forms("rows", "ar")["two"]
    'صفّان'
    """
    entry = PLURALS[key]
    return dict(entry.get(lang) or entry["en"])


def plural_category(lang: str, n: int) -> str:
    """The CLDR plural category of the whole number ``n`` in ``lang``, as ``Intl.PluralRules`` gives it.

    >>> [plural_category("ar", n) for n in (0, 1, 2, 3, 11, 100)], plural_category("fr", 0)
    (['zero', 'one', 'two', 'few', 'many', 'other'], 'one')
    """
    if lang == "ar":
        if n in (0, 1, 2):
            return ("zero", "one", "two")[n]
        return "few" if 3 <= n % 100 <= 10 else "many" if 11 <= n % 100 <= 99 else "other"
    return "one" if n == 1 or (lang == "fr" and n == 0) else "other"


def count(key: str, lang: str, n: int) -> str:
    """``n`` of the counted phrase ``key``, in ``lang``.

    >>> count("rows", "en", 10000), count("rows", "ar", 10), count("rows", "ar", 1)
    ('10000 rows', '10 صفوف', 'صف واحد')
    """
    forms = plural_forms(key, lang)
    return (forms.get(plural_category(lang, n)) or forms["other"]).format(n=n)


def strings(lang: str) -> dict[str, str]:
    """Every UI string in ``lang``, for templates (``ui.search``)."""
    return {key: text(key, lang) for key in STRINGS}


STRINGS: dict[str, dict[str, str]] = {
    "site": {"en": "Dialogue 5+5 knowledge graph", "fr": "Graphe de connaissances du Dialogue 5+5",
             "ar": "مخطط المعرفة لـ«حوار 5+5»"},
    "home": {"en": "Home", "fr": "Accueil", "ar": "الرئيسية"},
    "query": {"en": "SPARQL query", "fr": "Requête SPARQL", "ar": "استعلام SPARQL"},
    "ontology": {"en": "Ontology", "fr": "Ontologie", "ar": "الأنطولوجيا"},
    "search": {"en": "Search", "fr": "Rechercher", "ar": "بحث"},
    "search_placeholder": {"en": "a name, in any language", "fr": "un nom, dans toute langue",
                           "ar": "اسم بأي لغة"},
    "no_results": {"en": "Nothing matches.", "fr": "Aucun résultat.", "ar": "لا نتائج."},
    "language": {"en": "Language", "fr": "Langue", "ar": "اللغة"},
    "type": {"en": "Type", "fr": "Type", "ar": "النوع"},
    "property": {"en": "Property", "fr": "Propriété", "ar": "الخاصية"},
    "value": {"en": "Value", "fr": "Valeur", "ar": "القيمة"},
    "subject": {"en": "Resource", "fr": "Ressource", "ar": "المورد"},
    "statements": {"en": "Statements", "fr": "Énoncés", "ar": "البيانات"},
    "incoming": {"en": "Links to this resource", "fr": "Liens vers cette ressource",
                 "ar": "روابط إلى هذا المورد"},
    "evidence": {"en": "Evidence", "fr": "Sources des faits", "ar": "الأدلة"},
    "evidence_intro": {"en": "Each fact is stated by a sentence of the source article, quoted here in French.",
                       "fr": "Chaque fait est énoncé par une phrase de l'article source, citée ici.",
                       "ar": "كل معلومة مذكورة في جملة من المقال المصدر، مقتبسة هنا بالفرنسية."},
    "source": {"en": "source", "fr": "source", "ar": "المصدر"},
    "named_graph": {"en": "named graph", "fr": "graphe nommé", "ar": "مخطط بيانات مسمّى"},
    "same_as": {"en": "Same as (Wikidata)", "fr": "Identique à (Wikidata)", "ar": "مطابق لـ (ويكي بيانات)"},
    "as_data": {"en": "This page as data", "fr": "Cette page en données", "ar": "هذه الصفحة كبيانات"},
    "reproduce": {"en": "The SPARQL query behind this page", "fr": "La requête SPARQL de cette page",
                  "ar": "استعلام SPARQL لهذه الصفحة"},
    "run_query": {"en": "Run it", "fr": "L'exécuter", "ar": "تنفيذه"},
    "count": {"en": "{n} in all", "fr": "{n} au total", "ar": "{n} في المجموع"},
    "page_n": {"en": "page {page} of {pages}", "fr": "page {page} sur {pages}", "ar": "الصفحة {page} من {pages}"},
    "previous": {"en": "previous", "fr": "précédente", "ar": "السابقة"},
    "next": {"en": "next", "fr": "suivante", "ar": "التالية"},
    "diagram": {"en": "Diagram", "fr": "Schéma", "ar": "رسم بياني"},
    "members": {"en": "Members", "fr": "Membres", "ar": "الأعضاء"},
    "participants": {"en": "Participants", "fr": "Participants", "ar": "المشاركون"},
    "more": {"en": "and {n} more", "fr": "et {n} autres", "ar": "و{n} آخرون"},
    "intro": {
        "en": "Linked data about the 8th Ministerial Conference of the Dialogue 5+5 on Migration and "
              "Development (Marrakesh, 1–2 March 2020), drawn from one French news article: every fact "
              "with the sentence that states it, every entity linked to Wikidata.",
        "fr": "Données liées sur la 8ème Conférence ministérielle du Dialogue 5+5 sur la migration et le "
              "développement (Marrakech, 1er et 2 mars 2020), tirées d'un article de presse : chaque fait "
              "avec la phrase qui l'énonce, chaque entité liée à Wikidata.",
        "ar": "بيانات مترابطة حول المؤتمر الوزاري الثامن للحوار 5+5 بشأن الهجرة والتنمية (مراكش، 1-2 مارس "
              "2020)، مستخلصة من مقال صحفي فرنسي: كل معلومة مع الجملة التي تذكرها، وكل كيان مرتبط بويكي بيانات.",
    },
    "forum": {"en": "The forum", "fr": "Le forum", "ar": "المنتدى"},
    "conference": {"en": "The conference", "fr": "La conférence", "ar": "المؤتمر"},
    "states": {"en": "Member states", "fr": "États membres", "ar": "الدول الأعضاء"},
    "organizations": {"en": "Organizations", "fr": "Organisations", "ar": "المنظمات"},
    "themes": {"en": "Themes", "fr": "Thèmes", "ar": "المواضيع"},
    "article": {"en": "The source article", "fr": "L'article source", "ar": "المقال المصدر"},
    "downloads": {"en": "Downloads", "fr": "Téléchargements", "ar": "التنزيلات"},
    "dataset": {"en": "Dataset description (VoID)", "fr": "Description du jeu de données (VoID)",
                "ar": "وصف مجموعة البيانات (VoID)"},
    "classes": {"en": "Classes", "fr": "Classes", "ar": "الأصناف"},
    "properties": {"en": "Properties", "fr": "Propriétés", "ar": "الخصائص"},
    "domain": {"en": "Domain", "fr": "Domaine", "ar": "المجال"},
    "range": {"en": "Range", "fr": "Portée", "ar": "المدى"},
    "inverse": {"en": "Inverse of", "fr": "Inverse de", "ar": "عكس"},
    "superclass": {"en": "Subclass of", "fr": "Sous-classe de", "ar": "صنف فرعي من"},
    "superproperty": {"en": "Subproperty of", "fr": "Sous-propriété de", "ar": "خاصية فرعية من"},
    "equivalent": {"en": "Equivalent to", "fr": "Équivalente à", "ar": "مكافئة لـ"},
    "instances": {"en": "Instances", "fr": "Instances", "ar": "الأمثلة"},
    "kinds": {"en": "Characteristics", "fr": "Caractéristiques", "ar": "الخصائص المميزة"},
    "not_found_help": {"en": "Try a search, or start from the home page.",
                       "fr": "Essayez une recherche, ou partez de la page d'accueil.",
                       "ar": "جرّب البحث، أو ابدأ من الصفحة الرئيسية."},
    "contents": {"en": "Contents of this graph", "fr": "Contenu de ce graphe", "ar": "محتوى مخطط البيانات هذا"},
    "reading": {"en": "The text, annotated", "fr": "Le texte, annoté", "ar": "النص مشروحاً"},
    "reading_intro": {
        "en": "The source sentence by sentence, quoted in French from the provenance graph, with the statements "
              "the graph takes from each sentence. Marks: the mood of a statement (announced, conditional, "
              "possible) and the other sentences that state it too.",
        "fr": "La source phrase par phrase, citée depuis le graphe de provenance, avec les énoncés que le graphe "
              "tire de chaque phrase. Marques : le mode d'un énoncé (annoncé, conditionnel, possible) et les "
              "autres phrases qui l'énoncent aussi.",
        "ar": "المصدر جملةً جملة، مقتبساً بالفرنسية من مخطط المنشأ، مع البيانات التي يستخلصها المخطط من كل جملة. "
              "العلامات: صيغة البيان (مُعلَن، شرطي، محتمل) والجمل الأخرى التي تذكره أيضاً.",
    },
    "read_source": {"en": "Read the source, annotated", "fr": "Lire la source, annotée", "ar": "اقرأ المصدر مشروحاً"},
    "sources": {"en": "The sources, annotated", "fr": "Les sources, annotées", "ar": "المصادر مشروحة"},
    "sentences_n": {"en": "{n} sentences", "fr": "{n} phrases", "ar": "{n} جملة"},
    "statements_n": {"en": "{n} statements", "fr": "{n} énoncés", "ar": "{n} بياناً"},
    "states_nothing": {"en": "The graph takes no statement from this sentence.",
                       "fr": "Le graphe ne tire aucun énoncé de cette phrase.",
                       "ar": "لا يستخلص المخطط أي بيان من هذه الجملة."},
    "mood_announced": {"en": "announced", "fr": "annoncé", "ar": "مُعلَن"},
    "mood_conditional": {"en": "conditional", "fr": "conditionnel", "ar": "شرطي"},
    "mood_possible": {"en": "possible", "fr": "possible", "ar": "محتمل"},
    "also_in": {"en": "also stated by", "fr": "énoncé aussi par", "ar": "مذكور أيضاً في"},
    "as_table": {"en": "the graph as a table", "fr": "le graphe en tableau", "ar": "المخطط في جدول"},
    "summary": {"en": "Summary", "fr": "En bref", "ar": "خلاصة"},
    "summary_line": {
        "en": "{statements} statements from {sentences} sentences; {silent} sentences state nothing in the graph; "
              "{editorial} statements are editorial or derived ({graphs} graphs, listed after the text).",
        "fr": "{statements} énoncés tirés de {sentences} phrases ; {silent} phrases n'énoncent rien dans le graphe ; "
              "{editorial} énoncés sont éditoriaux ou dérivés ({graphs} graphes, listés après le texte).",
        "ar": "{statements} بياناً مستخلصاً من {sentences} جملة؛ {silent} جملة لا تذكر شيئاً في المخطط؛ "
              "{editorial} بياناً تحريرياً أو مشتقاً ({graphs} مخططاً، مذكورة بعد النص).",
    },
    "per_sentence": {"en": "Statements per sentence", "fr": "Énoncés par phrase", "ar": "البيانات في كل جملة"},
    "not_from_source": {"en": "What is not from the text", "fr": "Ce qui ne vient pas du texte",
                        "ar": "ما ليس من النص"},
    "not_from_source_intro": {
        "en": "These graphs are ours: each says what it adds and where it comes from.",
        "fr": "Ces graphes sont les nôtres : chacun dit ce qu'il ajoute et d'où il vient.",
        "ar": "هذه المخططات من عملنا: كل منها يذكر ما يضيفه ومن أين يأتي.",
    },
    "editorial": {"en": "editorial", "fr": "éditorial", "ar": "تحريري"},
    "derived": {"en": "derived", "fr": "dérivé", "ar": "مشتق"},
    "derived_from": {"en": "from", "fr": "tiré de", "ar": "مصدره"},
    "inferred": {"en": "inferred, not stated by the text", "fr": "inféré, non énoncé par le texte",
                 "ar": "مُستدَل، لا يذكره النص"},
    "attribution": {"en": "Source and rights", "fr": "Source et droits", "ar": "المصدر والحقوق"},
    "attribution_line": {
        "en": "The sentences above are quoted from this source, which they are attributed to; its rights remain "
              "with its rights holders. The dataset's licence does not cover them, and no licence for them is "
              "known here.",
        "fr": "Les phrases ci-dessus sont citées de cette source, à laquelle elles sont attribuées ; ses droits "
              "restent à leurs titulaires. La licence du jeu de données ne les couvre pas, et aucune licence "
              "n'en est connue ici.",
        "ar": "الجمل أعلاه مقتبسة من هذا المصدر ومنسوبة إليه؛ وتبقى حقوقه لأصحابها. لا تشملها رخصة مجموعة البيانات، "
              "ولا تُعرف لها رخصة هنا.",
    },
    "address": {"en": "address", "fr": "adresse", "ar": "العنوان"},
    "published": {"en": "published", "fr": "publié le", "ar": "نُشر في"},
    "publisher": {"en": "publisher", "fr": "éditeur", "ar": "الناشر"},
    "rdf_type": {"en": "is a", "fr": "est un(e)", "ar": "من نوع"},
    "rdfs_label": {"en": "is named", "fr": "a pour nom", "ar": "اسمه"},
    "skos_prefLabel": {"en": "is preferably named", "fr": "a pour nom préféré", "ar": "اسمه المفضّل"},
    "skos_altLabel": {"en": "is also named", "fr": "est aussi nommé", "ar": "يُسمّى أيضاً"},
    "skos_narrower": {"en": "includes the narrower notion", "fr": "comprend la notion plus précise",
                      "ar": "يشمل المفهوم الأخص"},
    # The query page at /sparql: the template's strings, then its script's.
    "q_title": {"en": "Query the graph with SPARQL", "fr": "Interroger le graphe en SPARQL",
                "ar": "استعلم عن المخطط بلغة SPARQL"},
    "q_hint": {"en": "A read-only SPARQL 1.1 endpoint. Common prefixes need no PREFIX line; "
                     "each query may run {timeout} s and return {rows}.",
               "fr": "Point d’accès SPARQL 1.1 en lecture seule. Les préfixes courants sont déclarés d’office ; "
                     "limite de {timeout} s et de {rows} par requête.",
               "ar": "نقطة وصول SPARQL 1.1 للقراءة فقط. البادئات الشائعة معرّفة مسبقًا فلا تحتاج إلى سطر PREFIX؛ "
                     "لكل استعلام {timeout} ثانية على الأكثر و{rows} على الأكثر."},
    "q_examples": {"en": "Examples (competency questions)", "fr": "Exemples (questions de compétence)",
                   "ar": "أمثلة (أسئلة الكفاءة)"},
    "q_pick": {"en": "— pick an example —", "fr": "— choisir un exemple —", "ar": "— اختر مثالًا —"},
    "q_ours": {"en": "In our terms", "fr": "Dans nos termes", "ar": "بمصطلحاتنا"},
    "q_wikidata": {"en": "In the terms of Wikidata (wd:, wdt:, p:, SERVICE wikibase:label)",
                   "fr": "Dans les termes de Wikidata (wd:, wdt:, p:, SERVICE wikibase:label)",
                   "ar": "بمصطلحات ويكي بيانات (wd:, wdt:, p:, SERVICE wikibase:label)"},
    "q_run": {"en": "Run", "fr": "Exécuter", "ar": "تنفيذ"},
    "q_share": {"en": "Shareable link", "fr": "Lien à partager", "ar": "رابط للمشاركة"},
    "q_download": {"en": "Download:", "fr": "Télécharger :", "ar": "تنزيل:"},
    "q_prefixes": {"en": "Built-in prefixes", "fr": "Préfixes déclarés d’office", "ar": "البادئات المعرّفة مسبقًا"},
    "q_running": {"en": "Running…", "fr": "Exécution…", "ar": "جارٍ التنفيذ…"},
    "q_status": {"en": "{count} in {ms} ms", "fr": "{count} en {ms} ms", "ar": "{count} في {ms} مللي ثانية"},
    "q_true": {"en": "true", "fr": "vrai", "ar": "صحيح"},
    "q_false": {"en": "false", "fr": "faux", "ar": "خطأ"},
    "q_network": {"en": "The server could not be reached: ", "fr": "Le serveur est injoignable : ",
                  "ar": "تعذّر الوصول إلى الخادم: "},
    "q_cut": {"en": "The result was cut at the endpoint's limit: {rows}.",
              "fr": "Le résultat a été tronqué à la limite du point d’accès : {rows}.",
              "ar": "اقتُطعت النتيجة عند حدّ نقطة الوصول: {rows}."},
    "q_error_at": {"en": "Error at line {line}, column {column}", "fr": "Erreur ligne {line}, colonne {column}",
                   "ar": "خطأ في السطر {line}، العمود {column}"},
    "q_subject": {"en": "subject", "fr": "sujet", "ar": "الموضوع"},
    "q_predicate": {"en": "predicate", "fr": "prédicat", "ar": "المسند"},
    "q_object": {"en": "object", "fr": "objet", "ar": "الكائن"},
    "q_filter": {"en": "Filter the results", "fr": "Filtrer les résultats", "ar": "تصفية النتائج"},
    "q_sort": {"en": "Sort by {column}", "fr": "Trier par {column}", "ar": "الترتيب حسب {column}"},
    "q_shown": {"en": "{shown} of {total}", "fr": "{shown} sur {total}", "ar": "{shown} من {total}"},
}

PLURALS: dict[str, dict[str, dict[str, str]]] = {
    "rows": {"en": {"one": "{n} row", "other": "{n} rows"},
             "fr": {"one": "{n} ligne", "other": "{n} lignes"},
             "ar": {"zero": "لا صفوف", "one": "صف واحد", "two": "صفّان", "few": "{n} صفوف",
                    "many": "{n} صفًا", "other": "{n} صف"}},
    "triples": {"en": {"one": "{n} triple", "other": "{n} triples"},
                "fr": {"one": "{n} triplet", "other": "{n} triplets"},
                "ar": {"zero": "لا ثلاثيات", "one": "ثلاثية واحدة", "two": "ثلاثيتان", "few": "{n} ثلاثيات",
                       "many": "{n} ثلاثية", "other": "{n} ثلاثية"}},
}

# The query editor's tools (completion, the error marker, "copy as", history): their strings in a
# block of their own, keys starting with "e_"; the page's script receives them all.
STRINGS.update({
    "e_shortcut": {"en": "Ctrl+Space completes", "fr": "Ctrl+Espace complète", "ar": "Ctrl+Space للإكمال"},
    "e_completions": {"en": "Completions", "fr": "Complétions", "ar": "الإكمالات"},
    "e_keyword": {"en": "keyword", "fr": "mot-clé", "ar": "كلمة مفتاحية"},
    "e_function": {"en": "function", "fr": "fonction", "ar": "دالة"},
    "e_prefix": {"en": "prefix", "fr": "préfixe", "ar": "بادئة"},
    "e_class": {"en": "class", "fr": "classe", "ar": "صنف"},
    "e_property": {"en": "property", "fr": "propriété", "ar": "خاصية"},
    "e_entity": {"en": "resource", "fr": "ressource", "ar": "مورد"},
    "e_variable": {"en": "variable", "fr": "variable", "ar": "متغيّر"},
    "e_error_mark": {"en": "The error is here", "fr": "L’erreur est ici", "ar": "الخطأ هنا"},
    "e_copy_as": {"en": "Copy as code", "fr": "Copier en code", "ar": "نسخ كشيفرة برمجية"},
    "e_code_language": {"en": "Language of the code", "fr": "Langage du code", "ar": "لغة الشيفرة"},
    "e_snippet_intro": {"en": "The query as it stands in the editor, sent to {endpoint}:",
                        "fr": "La requête telle qu’elle est dans l’éditeur, envoyée à {endpoint} :",
                        "ar": "الاستعلام كما هو في المحرّر، مُرسَلًا إلى {endpoint}:"},
    "e_copy": {"en": "Copy", "fr": "Copier", "ar": "نسخ"},
    "e_copied": {"en": "Copied to the clipboard.", "fr": "Copié dans le presse-papiers.", "ar": "نُسخ إلى الحافظة."},
    "e_copy_refused": {"en": "The browser refused to copy: select the code and copy it yourself.",
                       "fr": "Le navigateur a refusé de copier : sélectionnez le code et copiez-le vous-même.",
                       "ar": "رفض المتصفح النسخ: حدّد الشيفرة وانسخها بنفسك."},
    "e_history": {"en": "History ({count})", "fr": "Historique ({count})", "ar": "السجل ({count})"},
    "e_history_intro": {"en": "The queries run on this page, kept in this browser only; the newest {count}.",
                        "fr": "Les requêtes exécutées sur cette page, gardées dans ce navigateur seulement ; "
                              "les {count} plus récentes.",
                        "ar": "الاستعلامات المنفَّذة في هذه الصفحة، محفوظة في هذا المتصفح فقط؛ أحدث {count}."},
    "e_history_empty": {"en": "No query run yet.", "fr": "Aucune requête exécutée pour l’instant.",
                        "ar": "لم يُنفَّذ أي استعلام بعد."},
    "e_history_load": {"en": "Load this query into the editor", "fr": "Charger cette requête dans l’éditeur",
                       "ar": "حمّل هذا الاستعلام في المحرّر"},
    "e_history_clear": {"en": "Clear the history", "fr": "Effacer l’historique", "ar": "امسح السجل"},
})
PLURALS.update({
    "suggestions": {"en": {"one": "{n} suggestion", "other": "{n} suggestions"},
                    "fr": {"one": "{n} suggestion", "other": "{n} suggestions"},
                    "ar": {"zero": "لا اقتراحات", "one": "اقتراح واحد", "two": "اقتراحان", "few": "{n} اقتراحات",
                           "many": "{n} اقتراحًا", "other": "{n} اقتراح"}},
    "queries": {"en": {"one": "{n} query", "other": "{n} queries"},
                "fr": {"one": "{n} requête", "other": "{n} requêtes"},
                "ar": {"zero": "لا استعلامات", "one": "استعلام واحد", "two": "استعلامان", "few": "{n} استعلامات",
                       "many": "{n} استعلامًا", "other": "{n} استعلام"}},
})

# The query page's views of an answer (graph, timeline) and their tabs; the script reads them.
VIEW_STRINGS: dict[str, dict[str, str]] = {
    "q_view_tabs": {"en": "Views of the answer", "fr": "Vues de la réponse", "ar": "طرق عرض الإجابة"},
    "q_view_table": {"en": "Table", "fr": "Tableau", "ar": "جدول"},
    "q_view_graph": {"en": "Graph", "fr": "Graphe", "ar": "مخطط بيانات"},
    "q_view_timeline": {"en": "Timeline", "fr": "Frise chronologique", "ar": "خط زمني"},
    "q_view_graph_cut": {"en": "{shown} of {total} are drawn; the table has them all.",
                         "fr": "{shown} sur {total} sont dessinés ; le tableau les a tous.",
                         "ar": "رُسم منها {shown} من أصل {total}؛ والجدول يضمّها كلها."},
    "q_view_timeline_cut": {"en": "{shown} of {total} are placed; the table has them all.",
                            "fr": "{shown} sur {total} sont placées ; le tableau les a toutes.",
                            "ar": "وُضع منها {shown} من أصل {total}؛ والجدول يضمّها كلها."},
}
STRINGS.update(VIEW_STRINGS)
PLURALS.update({
    "nodes": {"en": {"one": "{n} node", "other": "{n} nodes"},
              "fr": {"one": "{n} nœud", "other": "{n} nœuds"},
              "ar": {"zero": "لا عُقد", "one": "عقدة واحدة", "two": "عقدتان", "few": "{n} عُقد",
                     "many": "{n} عقدة", "other": "{n} عقدة"}},
    "links": {"en": {"one": "{n} link", "other": "{n} links"},
              "fr": {"one": "{n} lien", "other": "{n} liens"},
              "ar": {"zero": "لا روابط", "one": "رابط واحد", "two": "رابطان", "few": "{n} روابط",
                     "many": "{n} رابطًا", "other": "{n} رابط"}},
    "dates": {"en": {"one": "{n} date", "other": "{n} dates"},
              "fr": {"one": "{n} date", "other": "{n} dates"},
              "ar": {"zero": "لا تواريخ", "one": "تاريخ واحد", "two": "تاريخان", "few": "{n} تواريخ",
                     "many": "{n} تاريخًا", "other": "{n} تاريخ"}},
})

# Keyboard and screen-reader use of every page: the skip link and the names of the navigation landmarks.
STRINGS.update({
    "skip": {"en": "Skip to content", "fr": "Aller au contenu", "ar": "انتقل إلى المحتوى"},
    "nav_site": {"en": "Site", "fr": "Site", "ar": "الموقع"},
    "toc": {"en": "On this page", "fr": "Sur cette page", "ar": "في هذه الصفحة"},
})
