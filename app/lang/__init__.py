"""The language the question stages recognise, each kind of word loaded from data by one module.

    vocabulary.py   vocabulary.toml: operations' cue words, filler, follow-up words, kinds and totals
    names.py        names.toml + lexicon.tsv: how institution names are built and shortened (a model)
    phrases_zh.py   the Chinese phrases of a question that may name an institution
    phrases_en.py   the English runs that may name one (lexicon words, places)
    gazetteer.py    places.tsv: China's places by adcode, in Chinese and English
    departments.py  which stored department a question names (Catalog), using the four above
    label_match.py  whether a phrase names a printed row label

Adding a word is a data change here; the Python reads shapes, not lists (tests/test_lang_literals.py).
"""
