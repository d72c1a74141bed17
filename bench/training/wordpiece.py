"""A cased WordPiece tokenizer for the tiny model, built from the training texts.

The vocabulary is counted here rather than by ``tokenizers``' ``WordPieceTrainer``: that trainer breaks ties
in hash-map order, so two runs on the same texts gave different vocabularies (measured: 1,300-3,000 of 4,000
ids differed), and a benchmark model must be rebuilt bit for bit. The result is an ordinary ``tokenizers``
WordPiece model with BERT normalisation and pre-tokenisation: every character seen in training, as a word
start and as a ``##`` continuation, then the most frequent words (ties by spelling).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

SPECIALS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")


def count_words(texts: Iterable[str]) -> Counter[str]:
    normalizer = normalizers.BertNormalizer(lowercase=False, strip_accents=False)
    splitter = pre_tokenizers.BertPreTokenizer()
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(word for word, _ in splitter.pre_tokenize_str(normalizer.normalize_str(text)))
    return counts


def build_vocab(counts: Counter[str], size: int) -> dict[str, int]:
    chars = sorted({char for word in counts for char in word})
    pieces = [*SPECIALS, *chars, *(f"##{char}" for char in chars)]
    words = [w for w, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0])) if len(w) > 1]
    pieces += words[: max(0, size - len(pieces))]
    return {piece: index for index, piece in enumerate(pieces)}


def build_tokenizer(texts: Iterable[str], vocab_size: int) -> Any:
    """A fast tokenizer (``PreTrainedTokenizerFast``) whose vocabulary comes from ``texts``."""
    from transformers import PreTrainedTokenizerFast

    vocab = build_vocab(count_words(texts), vocab_size)
    tokenizer = Tokenizer(models.WordPiece(vocab, unk_token="[UNK]", max_input_chars_per_word=100))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=False, strip_accents=False)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    cls, sep = vocab["[CLS]"], vocab["[SEP]"]
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", cls), ("[SEP]", sep)],
    )
    tokenizer.decoder = decoders.WordPiece()
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
        model_max_length=512,
    )
