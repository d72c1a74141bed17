"""Adapter for the benchmark's own fine-tuned encoders (``tiny``, ``minilm``): both tasks in one pass."""

from __future__ import annotations

import inspect
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import Any

import torch

from bench.core.paths import resolve
from bench.errors import InputError
from bench.models.base import certainty_label
from bench.models.transformers import encoding, multitask, orthography, token_spans, windows
from bench.models.transformers.encoding import Encoded, Specials, WindowedEncoder, tokenize
from bench.models.transformers.loading import shown
from bench.models.transformers.multitask import TRAIN_MANIFEST, HeadOutputs, MultiTaskTagger, load_multitask
from bench.models.transformers.orthography import shape_features
from bench.models.transformers.placement import Placement, check_quantize, quantized_int8
from bench.models.transformers.token_spans import CUE_TAGS, ENTITY_TAGS, decode_entities, decode_spans
from bench.schema import Article, ClaimPrediction, Prediction, Span


def hedged_probabilities(claim_logits: torch.Tensor) -> list[float]:
    """Each claim's P(hedged) as a prediction carries it: float32 sigmoid, rounded to 6 places (the label is
    ``certainty_label`` of this number, so training-time choices call this too)."""
    return [round(p, 6) for p in torch.sigmoid(claim_logits.float()).tolist()]


def claim_certainties(claim_logits: torch.Tensor) -> list[str]:
    """Each claim's label as the decoder gives it: ``certainty_label`` of the rounded P(hedged) (a logit of
    -1e-6 rounds to 0.5, so it is hedged; ``logit >= 0`` would call it confirmed)."""
    return [certainty_label(p) for p in hedged_probabilities(claim_logits)]


class MultiTaskPredictor:
    """Turns a ``MultiTaskTagger``'s outputs into predictions; the trainer uses it for dev scores too."""

    def __init__(self, model: MultiTaskTagger, tokenizer: Any, windowed: WindowedEncoder) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.windowed = windowed

    def predict(self, articles: Sequence[Article]) -> list[Prediction]:
        encoded, outputs = self._outputs(articles)
        return [self._decode(a, e, o) for a, e, o in zip(articles, encoded, outputs, strict=True)]

    def logits(self, articles: Sequence[Article]) -> list[dict[str, torch.Tensor]]:
        """Per article, the float32 logits of the three heads (``python -m bench.audit`` compares them)."""
        _, outputs = self._outputs(articles)
        return [
            {"entities": o.entities.float(), "cues": o.cues.float(), "claims": o.claims.float()}
            for o in outputs
        ]

    def _outputs(self, articles: Sequence[Article]) -> tuple[list[Encoded], list[HeadOutputs]]:
        encoded = [tokenize(self.tokenizer, article.text) for article in articles]
        device = next(self.model.parameters()).device
        with torch.inference_mode():
            forward = lambda ids, mask: self.model.encode(ids.to(device), mask.to(device))  # noqa: E731
            states = self.windowed(forward, encoded)
            return encoded, [self._heads(a, e, s) for a, e, s in zip(articles, encoded, states, strict=True)]

    def _heads(self, article: Article, encoded: Encoded, states: torch.Tensor) -> HeadOutputs:
        tokens = encoded.tokens
        shapes = shape_features(article.text, tokens) if self.model.shape_head is not None else None
        return self.model.heads(states, [tokens.overlapping(claim.span) for claim in article.claims], shapes)

    def _decode(self, article: Article, encoded: Encoded, out: HeadOutputs) -> Prediction:
        tokens = encoded.tokens
        # Decisions in float32 whatever the model computed in (a no-op for a float32 model).
        entity_tags = [ENTITY_TAGS[i] for i in out.entities.float().argmax(-1).tolist()]
        cue_tags = [CUE_TAGS[i] for i in out.cues.float().argmax(-1).tolist()]
        cues = [Span(start, end) for start, end, _ in decode_spans(article.text, tokens, cue_tags)]
        claims = []
        for claim, p_hedged in zip(article.claims, hedged_probabilities(out.claims), strict=True):
            inside = tuple(cue for cue in cues if claim.span.contains(cue))
            claims.append(
                ClaimPrediction(claim.start, claim.end, certainty_label(p_hedged), p_hedged, inside)
            )
        return Prediction(article.id, decode_entities(article.text, tokens, entity_tags), tuple(claims))


class EncoderModel:
    """A checkpoint written by ``python -m bench.train``: entities, claim P(hedged) and cue spans.

    Args:
        checkpoint: the checkpoint folder, relative to the project root.
        max_length: encoder input length in tokens, special tokens included (longer articles are windowed).
        stride: tokens shared by consecutive windows.
        batch_size: windows per forward pass.
        device: ``auto`` (cuda, else mps, else cpu), ``cpu``, ``cuda`` or ``mps``; a device torch cannot find
            is refused here, before anything is loaded.
        dtype: ``float32``, ``bfloat16`` or ``float16``: the precision the weights are cast to.
        quantize: ``none``, or ``int8`` for dynamic int8 quantisation of the linear layers (CPU, float32,
            ``batch_size`` 1; other predictions than float32, with their own cache entries).
    """

    def __init__(
        self,
        checkpoint: str,
        max_length: int = 256,
        stride: int = 64,
        batch_size: int = 8,
        device: str = "auto",
        dtype: str = "float32",
        quantize: str = "none",
    ) -> None:
        check_windows(max_length, stride, batch_size)
        self.checkpoint = resolve(checkpoint)
        self.max_length = max_length
        self.stride = stride
        self.batch_size = batch_size
        self._placement = Placement.resolve(device, dtype)
        check_quantize(quantize, self._placement, batch_size)
        self.quantize = quantize

    def placement(self) -> dict[str, str] | None:
        return self._placement.record()

    def use_threads(self, threads: int) -> int | None:
        torch.set_num_threads(threads)
        return torch.get_num_threads()

    def weights_files(self) -> list[Path]:
        require_checkpoint(self.checkpoint)
        files = sorted(p for p in self.checkpoint.iterdir() if p.is_file() and p.name != TRAIN_MANIFEST)
        # The decoding code turns logits into spans, so it counts as weights: editing it invalidates the
        # prediction cache.
        code = [Path(inspect.getfile(m)) for m in (encoding, multitask, orthography, token_spans, windows)]
        return [*files, *code, Path(__file__)]

    @cached_property
    def _predictor(self) -> MultiTaskPredictor:
        require_checkpoint(self.checkpoint)
        quiet_transformers()
        with checkpoint_errors(self.checkpoint):
            model, tokenizer = load_multitask(self.checkpoint)
        model.to(device=self._placement.device, dtype=self._placement.torch_dtype)
        if self.quantize == "int8":
            # The encoder only: the heads are tiny, and the claim head sees one pooled vector (1-D), which
            # the int8 kernels refuse.
            token_model = model.token_model
            setattr(token_model, token_model.base_model_prefix, quantized_int8(token_model.base_model))
        window = (self.max_length, self.stride, self.batch_size)
        windowed = windowed_encoder(tokenizer, *window, self.checkpoint, model.token_model.config)
        return MultiTaskPredictor(model, tokenizer, windowed)

    def predict(self, articles: Sequence[Article]) -> list[Prediction]:
        return self._predictor.predict(articles)

    def logits(self, articles: Sequence[Article]) -> list[dict[str, torch.Tensor]]:
        return self._predictor.logits(articles)


def require_checkpoint(folder: Path) -> None:
    where = shown(folder)
    if not (folder / "config.json").is_file():
        raise InputError(where, None, f"no checkpoint at {where}; train it with: {train_command(folder)}")
    if not (folder / "model.safetensors").is_file():  # never fall back to a pickled pytorch_model.bin
        raise InputError(where, None, "no model.safetensors: weights are read from safetensors files only")


def check_windows(max_length: int, stride: int, batch_size: int) -> None:
    """The window sizes ``WindowedEncoder`` needs, checked when the adapter is built (before any loading)."""
    for key, value in (("max_length", max_length), ("batch_size", batch_size)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"model.{key} must be an integer >= 1, got {value!r}")
    if isinstance(stride, bool) or not isinstance(stride, int) or not 0 <= stride < max_length:
        raise ValueError(f"model.stride must be an integer in [0, max_length={max_length}), got {stride!r}")


def windowed_encoder(
    tokenizer: Any, max_length: int, stride: int, batch_size: int, folder: Path, config: Any
) -> WindowedEncoder:
    """``WindowedEncoder`` for ``tokenizer``; refuses windows longer than the encoder's positions (``config``
    is the checkpoint's) or with no room beyond the stride, before any article is encoded."""
    limit = position_limit(config)
    if limit is not None and max_length > limit:
        message = (f"model.max_length {max_length} is above the checkpoint's {limit} positions (its longest "
                   f"input): set model.max_length <= {limit}")  # fmt: skip
        raise InputError(shown(folder), None, message)
    specials = Specials.of(tokenizer)
    room = max_length - len(specials)  # tokens of text per window
    if not 0 <= stride < room:
        message = f"model.max_length {max_length} leaves {room} text tokens, not > model.stride {stride}"
        raise InputError(shown(folder), None, message)
    return WindowedEncoder(specials, max_length, stride, batch_size)


# Position ids start after the padding index in these families (RoBERTa's 514 positions hold 512 tokens).
_PADDING_OFFSET = {"roberta", "xlm-roberta", "xlm-roberta-xl", "camembert", "longformer", "mpnet"}


def position_limit(config: Any) -> int | None:
    """The longest input (in tokens, special tokens included) the encoder's absolute position embeddings
    cover, from its ``config.json``; ``None`` for an encoder that declares no such table."""
    positions = getattr(config, "max_position_embeddings", None)
    if isinstance(positions, bool) or not isinstance(positions, int):
        return None
    padding = getattr(config, "pad_token_id", None)
    if getattr(config, "model_type", None) in _PADDING_OFFSET and isinstance(padding, int):
        return positions - padding - 1
    return positions


@contextmanager
def checkpoint_errors(folder: Path) -> Iterator[None]:
    """A checkpoint that transformers, tokenizers or safetensors cannot read is bad input, in one line."""
    try:
        yield
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 -- whatever the libraries raise on a corrupt or foreign file
        message = f"cannot load the checkpoint: {type(exc).__name__}: {' '.join(str(exc).split())}"
        raise InputError(shown(folder), None, message) from None


def train_command(folder: Path) -> str:
    """The command that writes ``folder``. A default location (``results/checkpoints/<id>``) names the model;
    elsewhere the model id cannot be known here, only the override that points training at ``folder``."""
    if folder == resolve(Path("results") / "checkpoints" / folder.name):
        return f"python -m bench.train model={folder.name}"
    return f"python -m bench.train model=<id> model.checkpoint={folder}"


def quiet_transformers() -> None:
    """transformers prints load reports and long-input warnings to stderr; windowing handles long inputs."""
    from transformers.utils import logging

    logging.set_verbosity_error()
    logging.disable_progress_bar()
