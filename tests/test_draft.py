"""`maliquiz draft` on a small article written for these tests (tests/data/draft_article.txt,
not one of the bundled articles), through the real command line."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from maliquiz.core.deck.loader import load_deck
from maliquiz.core.deck.mentions import date_found, dates_in, name_found, numbers_in, paragraphs
from maliquiz.core.deck.models import ChoiceCard, DateCard, Deck, NumberCard, TextCard
from maliquiz.core.text.normalize import normalize

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
ARTICLE = DATA / "draft_article.txt"
PARAGRAPHS = paragraphs(ARTICLE.read_text(encoding="utf-8"))


def _maliquiz(
    *args: str, tmp: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {
        **os.environ,
        "MALIQUIZ_LANG": "en",
        "MALIQUIZ_DATA_DIR": str(tmp / "data"),
        "MALIQUIZ_USER": "tester",
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "maliquiz", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=180,
    )


@pytest.fixture(scope="module")
def drafted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Deck]:
    """The draft of the test article, written once for the module (spaCy loads in a few
    seconds)."""
    tmp = tmp_path_factory.mktemp("draft")
    out = tmp / "lyon.yaml"
    done = _maliquiz("draft", str(ARTICLE), "-o", str(out), tmp=tmp)
    assert done.returncode == 0, done.stderr
    assert "review it before use" in done.stderr
    return out, load_deck(out)


def _of(deck: Deck, kind: type) -> list:
    return [card for card in deck.cards if isinstance(card, kind)]


def test_figures_with_their_unit_and_qualifier(drafted: tuple[Path, Deck]) -> None:
    _path, deck = drafted
    numbers = {(card.value, card.unit, card.answer) for card in _of(deck, NumberCard)}
    assert (3000, "personnes", "plus de 3 000") in numbers  # "plus de" kept
    assert (450, "lits", "environ 450") in numbers
    assert any(value == 15000 and unit == "repas" for value, unit, _a in numbers)  # in words


def test_dates_at_the_precision_written(drafted: tuple[Path, Deck]) -> None:
    _path, deck = drafted
    assert {card.answer for card in _of(deck, DateCard)} == {"2023-03-12", "2021", "2024"}
    prompts = {card.answer: card.prompt for card in _of(deck, DateCard)}
    assert prompts["2021"].lower().startswith("selon la croix-rouge, depuis quelle année")
    assert prompts["2024"].startswith("D'après l'article (mai 2023), à la fin de quelle année")
    assert deck.sources[0].date == "2023-05"  # from the dateline, which is no fact


def test_people_organisations_and_places(drafted: tuple[Path, Deck]) -> None:
    _path, deck = drafted
    names = {card.answer: card for card in _of(deck, TextCard)}
    assert {"Jean Martin", "Sophie Laurent", "Croix-Rouge", "Grenoble", "Lyon"} <= set(names)
    assert names["Jean Martin"].kind == "person"
    assert "Martin" in names["Jean Martin"].accept
    assert names["Croix-Rouge"].kind == "organisation"
    assert names["Grenoble"].kind == "place"


def test_every_card_cites_the_paragraph_holding_its_answer(drafted: tuple[Path, Deck]) -> None:
    _path, deck = drafted
    assert {card.type for card in deck.cards} >= {"number", "date", "text", "choice"}
    for card in deck.cards:
        (citation,) = card.sources
        assert citation.ref == deck.sources[0].id
        text = "\n".join(PARAGRAPHS[n - 1] for n in citation.paragraphs)
        if isinstance(card, NumberCard):
            assert card.value in numbers_in(text), card.id
        elif isinstance(card, DateCard):
            assert date_found(card.date, dates_in(text, 2023)), card.id
        elif isinstance(card, TextCard):
            assert name_found([card.answer], text), card.id
        else:
            assert isinstance(card, ChoiceCard)
            assert len(card.options) >= 3 and card.answer in card.options


def test_choice_cards_share_the_group_of_their_fact(drafted: tuple[Path, Deck]) -> None:
    _path, deck = drafted
    by_id = {card.id: card for card in deck.cards}
    choices = [card for card in _of(deck, ChoiceCard) if card.id.endswith("-choix")]
    assert choices
    for choice in choices:
        typed = by_id[choice.id.removesuffix("-choix")]
        assert choice.group is not None and choice.group == typed.group
        # Distractors are other figures of the article: 3 000, 450 and 15 000.
        if isinstance(typed, NumberCard):
            assert set(choice.options) == {"450", "3 000", "15 000"}


def _words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text.lower())
    return re.findall(r"\w+", "".join(c for c in folded if not unicodedata.combining(c)))


def test_no_card_repeats_twelve_words_of_the_article(drafted: tuple[Path, Deck]) -> None:
    _path, deck = drafted
    copied = set()
    for paragraph in PARAGRAPHS:
        words = _words(paragraph)
        copied |= {tuple(words[i : i + 12]) for i in range(len(words) - 11)}
    for card in deck.cards:
        for text in (card.prompt, *getattr(card, "options", [])):
            words = _words(text)
            assert not {tuple(words[i : i + 12]) for i in range(len(words) - 11)} & copied


def test_the_draft_checks_clean_and_previews(drafted: tuple[Path, Deck], tmp_path: Path) -> None:
    path, _deck = drafted
    head = path.read_text(encoding="utf-8").splitlines()[:3]
    assert head[0].startswith("# yaml-language-server: $schema=")
    assert "DRAFT" in head[1] and "review it before use" in head[1]
    checked = _maliquiz("check", str(path), "--sources", str(DATA), tmp=tmp_path)
    assert checked.returncode == 0 and checked.stdout == "", checked.stdout
    assert "0 errors, 0 warnings" in checked.stderr
    shown = _maliquiz("preview", str(path), tmp=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "Jean Martin" in shown.stdout and "paragraph 2" in shown.stdout


def test_the_same_article_gives_the_same_deck(drafted: tuple[Path, Deck], tmp_path: Path) -> None:
    path, _deck = drafted
    again = tmp_path / "lyon.yaml"
    done = _maliquiz("draft", str(ARTICLE), "-o", str(again), tmp=tmp_path)
    assert done.returncode == 0, done.stderr
    assert again.read_text(encoding="utf-8") == path.read_text(encoding="utf-8")


def test_without_the_extra_one_line_says_how_to_install_it(tmp_path: Path) -> None:
    shim = tmp_path / "shim" / "spacy"
    shim.mkdir(parents=True)
    (shim / "__init__.py").write_text('raise ImportError("spaCy hidden by the test")\n')
    out = tmp_path / "deck.yaml"
    done = _maliquiz(
        "draft", str(ARTICLE), "-o", str(out), tmp=tmp_path, env={"PYTHONPATH": str(shim.parent)}
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "pip install 'maliquiz[draft]'" in done.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"  \n\n \n", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        ("Le Mali a été fondé en 1960.".encode("latin-1"), "not UTF-8"),
    ],
    ids=["empty", "blank", "binary", "latin-1"],
)
def test_unreadable_articles_write_nothing(tmp_path: Path, content: bytes, message: str) -> None:
    article = tmp_path / "article.txt"
    article.write_bytes(content)
    out = tmp_path / "deck.yaml"
    done = _maliquiz("draft", str(article), "-o", str(out), tmp=tmp_path)
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert message in done.stderr and "article.txt" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


# The rules that keep a draft precise, on small made-up articles drafted in one process
# (the spaCy model is loaded once for these tests).


@pytest.fixture(scope="module")
def nlp() -> object:
    from maliquiz.draft.pipeline import load_pipeline

    return load_pipeline()


def _draft(nlp: object, text: str) -> list[dict]:
    from maliquiz.draft.article import read_article
    from maliquiz.draft.cards import Drafted, build_deck, find_facts

    article = read_article("essai.txt", text)
    docs = list(nlp.pipe(article.paragraphs))  # type: ignore[attr-defined]
    deck = build_deck([Drafted(article, "essai", docs, find_facts(article, docs))], "essai", None)
    Deck.model_validate(deck)
    return deck["cards"]


def _named(cards: list[dict], answer: str) -> list[dict]:
    return [c for c in cards if c.get("answer") == answer]


def test_a_country_only_when_it_is_one_and_no_choice_copy_of_a_name(nlp: object) -> None:
    cards = _draft(
        nlp,
        "date 2022-03 Le gouvernement du Togo a critiqué l'Occident lundi à Lomé.\n"
        "La Norvège a envoyé des médecins au Togo pendant trois semaines en 2021.\n"
        "Des experts jugent que l'Occident a perdu la bataille de l'opinion publique.\n",
    )
    (norway,) = _named(cards, "Norvège")
    assert norway["kind"] == "country" and norway["prompt"].startswith("Quel pays ?")
    for west in _named(cards, "Occident"):
        assert west["kind"] != "country" and "pays" not in west["prompt"]
    assert not [c for c in cards if c["type"] == "choice" and c["id"].startswith("acteur-")]


def test_aliases_are_one_actor_and_set_phrases_give_no_gap(nlp: object) -> None:
    cards = _draft(
        nlp,
        "date 2022-03 Les Casques bleus de l'ONU patrouillent dans le pays d'Afrique de "
        "l'Ouest depuis longtemps.\n"
        "Les Nations Unies ont annoncé mardi un nouveau plan d'aide pour les réfugiés du "
        "Sahel, selon leur porte-parole.\n"
        "Le Niger et le Tchad ont ouvert leurs frontières aux convois humanitaires.\n"
        "La Croix-Rouge a livré des vivres à Niamey pendant tout le mois de février.\n"
        "Les pluies ont coupé plusieurs routes du sud, selon les services météorologiques.\n"
        "Les écoles de la région rouvriront leurs portes au début du mois prochain.\n",
    )
    un = [c for c in cards if c.get("answer") in {"ONU", "Nations Unies"}]
    assert len(un) == 1, un
    names = {normalize(n) for n in [un[0]["answer"], *un[0].get("accept", [])]}
    assert {"onu", "nations unies"} <= names
    assert "Casques bleus de l'____" not in un[0]["prompt"]
    assert not [c for c in cards if "d'____ de l'Ouest" in c.get("prompt", "")]


def test_a_figure_keeps_its_whole_unit_and_says_when(nlp: object) -> None:
    cards = _draft(
        nlp,
        "date 2022-03 La mission compte 12 480 soldats, policiers, civils et volontaires "
        "déployés dans le nord du pays.\n",
    )
    (figure,) = [c for c in cards if c["type"] == "number"]
    assert figure["unit"].startswith("soldats, policiers, civils et volontaires")
    assert figure["prompt"].startswith(
        "D'après l'article (mars 2022), combien de soldats, policiers, civils et volontaires"
    )


def test_a_role_keeps_the_article_s_determiner(nlp: object) -> None:
    cards = _draft(
        nlp,
        "date 2022-03 Paul Durand, un ministre belge de la Coopération, a déclaré que "
        "l'aide serait doublée.\n"
        "Le Parlement de Bruxelles votera le budget de la Coopération au mois de juin.\n",
    )
    (person,) = _named(cards, "Paul Durand")
    assert person["kind"] == "person"
    assert "« un ministre belge de la Coopération »" in person["prompt"]
    assert "(mars 2022)" in person["prompt"]


def test_a_gap_with_nothing_around_it_is_not_drafted(nlp: object) -> None:
    cards = _draft(
        nlp,
        "date 2022-03 « La situation humanitaire reste très difficile », a déclaré Marie "
        "Dupont, de Solidar.\n"
        "D'après les experts de l'Occident, rien.\n",
    )
    for card in cards:
        assert "de l'____" not in card.get("prompt", ""), card
    for card in _named(cards, "Marie Dupont"):
        assert "difficile" in card["prompt"]  # what she said is shown


def _prompts(cards: list[dict], answer: str) -> list[str]:
    return [c["prompt"] for c in cards if c.get("answer") == answer]


def test_a_quotation_from_an_earlier_paragraph_keeps_its_speaker(nlp: object) -> None:
    cards = _draft(
        nlp,
        "date 2022-03 Le sénateur Paul Durand a dénoncé ce départ : « Les Belges ont quitté "
        "le Congo depuis longtemps et cela continue sans fin.\n"
        "Le Portugal a quitté l'Angola, les Belges quittent le Togo », a-t-il expliqué.\n"
        "Le Parlement de Bruxelles votera le budget de la Coopération au mois de juin.\n",
    )
    portugal = _prompts(cards, "Portugal")
    assert portugal and all(p.startswith("Selon Paul Durand") for p in portugal), portugal
    assert any(c.get("source", {}).get("paragraph") == [2, 1] for c in cards)


def test_a_pronoun_speaker_is_resolved_or_the_claim_is_skipped(nlp: object) -> None:
    cards = _draft(
        nlp,
        "date 2022-03 Les autorités togolaises ont mis en avant leur désir d'autonomie. "
        "Elles affirment vouloir compter sur leurs propres forces. Notamment avec la "
        "Norvège, pour assurer la sécurité du pays.\n"
        "« Le Ghana nous aidera encore pendant trois ans », a-t-on ajouté lundi à Lomé.\n"
        "Le Togo a signé un accord avec le Bénin sur les routes du sud.\n"
        "Le Togo a aussi ouvert ses frontières aux convois humanitaires du Niger.\n",
    )
    norway = _prompts(cards, "Norvège")
    assert norway and all(p.startswith("Selon les autorités togolaises") for p in norway)
    assert not _prompts(cards, "Ghana")  # "on" says it: nobody to credit


def test_according_to_at_the_start_covers_the_whole_sentence(nlp: object) -> None:
    cards = _draft(
        nlp,
        "date 2022-03 D'après les experts de l'Unicef, après 12 ans de crise, le Togo est au "
        "bord du gouffre, la situation est la pire depuis les 7 dernières années.\n",
    )
    figures = [c["prompt"] for c in cards if c["type"] == "number"]
    assert figures and all(p.startswith("Selon les experts de l'Unicef") for p in figures)


def test_contested_labels_and_relative_years_are_not_drafted(nlp: object) -> None:
    cards = _draft(
        nlp,
        "Des instructeurs norvégiens sont arrivés au Togo l'année dernière pour former 300 "
        "soldats.\n"
        "Le Ghana a nié employer des mercenaires, ne reconnaissant que des « conseillers » "
        "venus de Norvège en 2021.\n",
    )
    assert not [c for c in cards if "instructeurs" in c.get("prompt", "")]
    assert not [c for c in cards if c["type"] == "date" and c["answer"] == "2020"]
    (word,) = _named(cards, "conseillers")
    assert word["prompt"].startswith("Quel mot, employé par le Ghana")


def test_a_region_s_figure_keeps_its_scope(nlp: object) -> None:
    cards = _draft(
        nlp,
        "date 2022-03 Les violences armées liées au trafic dans la région du Sahel ont fait "
        "plus de 4 000 morts en 2021, selon l'ONG Acled, un groupe de surveillance, qui "
        "publie ses chiffres chaque mois.\n",
    )
    (figure,) = [c for c in cards if c["type"] == "number"]
    assert "région du Sahel" in figure["prompt"]
    assert figure["prompt"].startswith("Selon l'ONG Acled")


def test_an_organisation_in_a_job_title_asks_whose_role_it_is(nlp: object) -> None:
    cards = _draft(
        nlp,
        "date 2022-03 « Le Togo a besoin de routes », a déclaré le porte-parole du ministère "
        "des Transports, Marcel Koffi Adjovi. Il parlait lundi à Lomé devant la presse.\n"
        "« Les villages du nord manquent d'eau », a déclaré Awa Sika Mensah, de Tazara, "
        "une ONG. Elle demande des puits dans toute la région des Savanes.\n",
    )
    spokes = [c["prompt"] for c in cards if c.get("answer", "").startswith("ministère")]
    assert spokes == [
        "Dans l'article, Marcel Koffi Adjovi est porte-parole de quelle institution ?"
    ]
    assert _prompts(cards, "Tazara") == ["Dans l'article, Awa Sika Mensah est de quelle ONG ?"]


def test_regions_lists_and_the_year_of_a_figure_are_asked_with_their_context(
    nlp: object,
) -> None:
    cards = _draft(
        nlp,
        "date 2022-03 Les attaques armées se multiplient dans la région du Sahel, où elles "
        "ont tué plus de 4 000 personnes en 2021 selon les chercheurs du collectif.\n"
        "Le ministre Paul Durand a rappelé l'expérience des soldats belges au Rwanda et au "
        "Burundi, avant de partir pour Kinshasa.\n",
    )
    assert all(p.startswith("Dans quelle région ?") for p in _prompts(cards, "Sahel"))
    (year,) = [c for c in cards if c["type"] == "date" and c["answer"] == "2021"]
    assert "le chiffre de plus de 4 000 personnes vaut pour quelle année" in year["prompt"]
    assert not _prompts(cards, "Rwanda") and not _prompts(cards, "Burundi")
    (pair,) = [c for c in cards if "Rwanda" in c.get("answer", "")]
    assert pair["prompt"].startswith("Quels deux pays ?") and "Burundi" in pair["answer"]


def test_a_day_of_an_undated_article_keeps_no_guessed_year(nlp: object) -> None:
    cards = _draft(
        nlp,
        "Le Parlement du Togo a voté le budget le 12 mars, après deux ans de débats.\n"
        "Le gouvernement avait annoncé la réforme en 2019, puis en 2021 devant la presse.\n",
    )
    days = [c for c in cards if c.get("answer") == "12 mars"]
    assert days and all(c["type"] == "text" and "jour et mois" in c["prompt"] for c in days)
    assert not [c for c in cards if c["type"] == "date" and str(c["answer"]).endswith("-03-12")]
    assert all("(2021)" not in c["prompt"] for c in cards)  # a guessed year is marked


def test_the_window_keeps_the_subject_of_its_clause(nlp: object) -> None:
    cards = _draft(
        nlp,
        "date 2022-03 La mission des Nations unies pour la reconstruction du port de Lomé, "
        "approuvée par le gouvernement togolais après de longues négociations avec les "
        "bailleurs, quittera définitivement le territoire togolais le 15 novembre 2024.\n",
    )
    days = [c for c in cards if c["type"] == "date" and c["answer"] == "2024-11-15"]
    assert days and all("mission" in c["prompt"].lower() for c in days)


def test_a_figure_year_needs_one_year_and_listed_years_are_not_blanked(nlp: object) -> None:
    cards = _draft(
        nlp,
        "date 2022-03 Les inondations ont provoqué trois crises sanitaires au Togo en 2019, "
        "2020 et 2021, et la population du littoral réclame désormais des digues.\n",
    )
    years = [c for c in cards if c["type"] == "date"]
    assert not [c for c in years if "vaut pour quelle année" in c["prompt"]]
    assert not [c for c in years if c["answer"] in {"2019", "2020", "2021"}]


def test_the_sentence_does_not_answer_its_blank(nlp: object) -> None:
    cards = _draft(
        nlp,
        "date 2022-03 Le Bénin a rejoint la mission de maintien de la paix de l'ONU au "
        "Soudan, a indiqué le ministre béninois Paul Houngbo devant les députés.\n",
    )
    assert all("maintien de la paix de l'____" not in c["prompt"] for c in cards)


def test_according_to_covers_only_its_clause(nlp: object) -> None:
    cards = _draft(
        nlp,
        "date 2022-03 Le Togo subit des inondations répétées depuis 2015, dans le cadre d'une "
        "crise climatique plus large, qui a chassé plus de 40 000 personnes de leurs maisons "
        "en 2021, selon l'OMM, une agence de l'ONU.\n",
    )
    since = [c for c in cards if c["type"] == "date" and c["answer"] == "2015"]
    assert all(not c["prompt"].startswith("Selon") for c in since)
    counted = [c for c in cards if c["type"] == "number"]
    assert counted and all(c["prompt"].startswith("Selon l'OMM") for c in counted)


def test_the_other_names_an_article_writes_are_accepted(nlp: object) -> None:
    cards = _draft(
        nlp,
        "date 2022-03 Le Togo a ouvert trois nouvelles prisons en 2021 à Kara, à Dapaong et à "
        "Sokodé, où 300 détenus attendent leur procès.\n"
        "Un rapport publié lundi par Human Rights Watch décrit les cellules surpeuplées de la "
        "prison de Kara.\n"
        "Selon HRW, les gardiens frappent les détenus chaque semaine dans la prison de Dapaong.\n"
        "Le Conseil de sécurité de l'ONU a voté une résolution sur le Togo le 3 mars 2022 à "
        "New York.\n"
        "Le Conseil de sécurité a demandé au gouvernement togolais de libérer les détenus.\n"
        "Le Togo a promis de construire une quatrième prison à Atakpamé avant 2023.\n",
    )

    def names(card: dict) -> set[str]:
        return {card["answer"], *card.get("accept", [])}

    (watch,) = [c for c in cards if "HRW" in names(c) or "Human Rights Watch" in names(c)]
    assert {"HRW", "Human Rights Watch"} <= names(watch)
    (council,) = [c for c in cards if any(n.startswith("Conseil de sécurité") for n in names(c))]
    assert {"Conseil de sécurité de l'ONU", "Conseil de sécurité"} <= names(council)


def test_a_date_card_says_whose_claim_and_when(nlp: object) -> None:
    cards = _draft(
        nlp,
        "date 2024-11 Le Togo a adopté une nouvelle Constitution en 2019, après trois mois de "
        "débats très vifs au Parlement de Lomé.\n"
        "Le gouvernement togolais a lancé un programme de reconstruction des digues en 2021, "
        "mais les travaux avancent lentement dans les villages du littoral.\n"
        "Les écoles du nord sont fermées depuis le début de l'année 2023, faute d'enseignants "
        "dans les districts les plus pauvres.\n",
    )
    dates = [c for c in cards if c["id"].startswith("date-") and "Selon" not in c["prompt"]]
    assert {c["type"] for c in dates} >= {"date", "choice"}, cards
    for card in dates:
        assert card["prompt"].startswith("D'après l'article (novembre 2024), "), card
        assert card["prompt"][len("D'après l'article (novembre 2024), ")].islower(), card
    undated = _draft(
        nlp,
        "Le gouvernement togolais a lancé un programme de reconstruction des digues en 2021, "
        "mais les travaux avancent lentement dans les villages du littoral.\n",
    )
    years = [c for c in undated if c["id"].startswith("date-")]
    assert years and all(
        c["prompt"].startswith("D'après l'article (article non daté, vers 2021), ") for c in years
    ), undated


def test_no_gap_inside_a_group_s_name(nlp: object) -> None:
    cards = _draft(
        nlp,
        "date 2022-03 Des milliers d'habitants ont fui leurs villages de la région de Tahoua "
        "lors d'attaques menées par des combattants alignés sur l'État islamique dans le "
        "Grand Désert, ont déclaré les chercheurs du collectif.\n"
        "Les chercheurs du collectif ont aussi compté de nombreuses attaques revendiquées par "
        "Al-Qaïda au Maghreb islamique dans les villages proches de la frontière.\n",
    )
    assert not _named(cards, "Grand Désert")
    assert not [c for c in cards if "Maghreb" in c.get("answer", "")]
    assert not [c for c in cards if "région" in c["prompt"] and "Désert" in c["prompt"]]


def test_a_figure_choice_has_no_option_its_sentence_rules_out(nlp: object) -> None:
    cards = _draft(
        nlp,
        "date 2022-03 Le pays accueille sur son sol près de 30 000 hommes dont environ 12 000 "
        "gendarmes venus de la région, a indiqué le ministre Paul Durand.\n"
        "Le ministre Paul Durand a ajouté que 500 camions et 4 000 motos avaient été livrés "
        "aux gendarmes du pays en un an.\n",
    )
    choices = {c["answer"]: c["options"] for c in cards if c["type"] == "choice"}
    # 30 000 is shown beside the blank, and a part of 30 000 is below it.
    assert sorted(choices["12 000"]) == ["12 000", "4 000", "500"]
    assert "12 000" not in choices.get("30 000", [])
