"""Word classes and place names as token features: what a model of one province cannot know."""

import spacy
from solieu.models.components.lexicon_features import LexiconFeatures, PhraseTable, token_features

from solieu.text.tokenizer import tokenize_words


def _features(text):
    words = tokenize_words(text)[0]
    morph, lemma = token_features(words)
    return dict(zip(words, zip(morph, lemma, strict=True), strict=False)), words, morph, lemma


def test_places_of_any_province_are_marked_from_the_address_data():
    _, words, _, lemma = _features("UBND huyện Mường Nhé và phường Ninh Kiều")
    assert [lemma[words.index(w)] for w in ("huyện", "Mường", "Nhé", "phường", "Ninh", "Kiều")] == [
        "Unit", "Place-B", "Place-I", "Unit", "Place-B", "Place-I"]


def test_lower_case_words_are_not_places():
    _, words, _, lemma = _features("an bình trong tháng")
    assert set(lemma) == {"-"}


def test_heads_sectors_and_name_enders():
    _, words, morph, _ = _features("Sở Nông nghiệp và Môi trường làm chủ đầu tư dự án Hồ chứa nước Bản Mồng")
    assert morph[0] == "AgencyHead=B"
    assert "Sector=B" in morph[1] and "Sector=I" in morph[5]
    assert morph[words.index("làm")].startswith("Ender=B")
    assert "Trigger=B" in morph[words.index("dự")]
    assert "ProjectHead=B" in morph[words.index("Hồ")]


def test_phrase_table_takes_the_longest_match():
    table = PhraseTable(["Kho bạc", "Kho bạc Nhà nước"])
    assert table.matches(["Kho", "bạc", "Nhà", "nước", "tỉnh"]) == [(0, 4)]
    assert table.matches(["Kho", "bạc", "tỉnh"]) == [(0, 2)]
    assert table.matches([]) == []


def test_component_sets_morph_and_lemma_that_tok2vec_embeds():
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "solieu.vi_tokenizer.v1"}}})
    doc = LexiconFeatures()(nlp.make_doc("Kho bạc Nhà nước khu vực V đã giải ngân"))
    assert str(doc[0].morph).startswith("AgencyHead=B")
    assert doc[0].lemma_ == "-"
    assert LexiconFeatures()(nlp.make_doc("")).text == ""
