"""A plain torch training loop: AdamW, linear warm-up and decay, one dev evaluation per epoch.

Each epoch trains on ``EpochPlan.epoch``: the corpora read whole plus fresh samples of the large ones.

Each step reads ``batch_articles`` whole articles through the same windowing as inference, so the model is
trained on exactly the token states it will be asked to label. The epoch with the best dev selection score
is kept (the last one when there is no dev split).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F
from tqdm import tqdm

from bench.models.transformers.encoding import WindowedEncoder
from bench.models.transformers.multitask import MultiTaskTagger
from bench.models.transformers.placement import CPU_FLOAT32, Placement
from bench.schema import Article, Prediction
from bench.training.epochs import EpochPlan
from bench.training.examples import IGNORE, Example
from bench.training.selection import dev_scores


@dataclass(frozen=True)
class Recipe:
    """Hyper-parameters (``conf/train/<model>.yaml``)."""

    epochs: int
    batch_articles: int
    lr: float  # encoder
    head_lr: float  # the three heads, which start untrained
    warmup: float  # fraction of all steps
    weight_decay: float
    clip: float  # max gradient norm
    loss_weights: Mapping[str, float]  # entities, cues, claims


@dataclass(frozen=True)
class Fitted:
    state: dict[str, torch.Tensor]
    best_epoch: int
    history: list[dict[str, Any]]


def fit(
    model: MultiTaskTagger,
    windowed: WindowedEncoder,
    plan: EpochPlan,
    dev: Sequence[Article],
    predict: Callable[[Sequence[Article]], list[Prediction]],
    recipe: Recipe,
    seed: int,
    placement: Placement,
) -> Fitted:
    """Train ``model`` (already on ``placement.device``); a dtype other than float32 trains in mixed precision
    (autocast), the weights themselves staying float32."""
    steps_per_epoch = -(-len(plan) // recipe.batch_articles)
    optimizer = _optimizer(model, recipe)
    schedule = _schedule(optimizer, steps_per_epoch * recipe.epochs, recipe.warmup)
    order = torch.Generator().manual_seed(seed)
    history: list[dict[str, Any]] = []
    best_state, best_epoch, best_score = None, 0, float("-inf")
    for epoch in tqdm(range(1, recipe.epochs + 1), desc="epochs", unit="epoch"):
        examples = plan.epoch(epoch, seed)
        permutation = torch.randperm(len(examples), generator=order).tolist()
        batches = [
            [examples[i] for i in permutation[b : b + recipe.batch_articles]]
            for b in range(0, len(examples), recipe.batch_articles)
        ]
        loss = _train_epoch(model, windowed, batches, optimizer, schedule, recipe, epoch, placement)
        record = {"epoch": epoch, "loss": round(loss, 6), **_evaluate(model, predict, dev)}
        history.append(record)
        tqdm.write(" ".join(f"{key} {value}" for key, value in record.items()))
        score = record.get("dev_selection", float(epoch))  # no dev split: the latest epoch wins
        if score > best_score:
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
            best_epoch, best_score = epoch, score
    if best_state is None:
        raise ValueError("recipe.epochs must be at least 1")
    return Fitted(best_state, best_epoch, history)


def _train_epoch(
    model: MultiTaskTagger,
    windowed: WindowedEncoder,
    batches: Sequence[Sequence[Example]],
    optimizer: torch.optim.Optimizer,
    schedule: torch.optim.lr_scheduler.LRScheduler,
    recipe: Recipe,
    epoch: int,
    placement: Placement,
) -> float:
    """One pass over ``batches``; returns the mean batch loss."""
    model.train()
    losses = []
    for batch in tqdm(batches, desc=f"epoch {epoch}", unit="batch", leave=False):
        loss = batch_loss(model, windowed, batch, recipe.loss_weights, placement)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), recipe.clip)
        optimizer.step()
        schedule.step()
        losses.append(loss.item())
    return sum(losses) / len(losses)


def batch_loss(
    model: MultiTaskTagger,
    windowed: WindowedEncoder,
    batch: Sequence[Example],
    weights: Mapping[str, float],
    placement: Placement = CPU_FLOAT32,
) -> torch.Tensor:
    """Weighted sum of the three heads' mean losses over the batch; a head with no labels adds nothing.

    On CPU in float32 the ``.to``/``.float`` calls return their input: the same operations as without them,
    so checkpoints trained before devices existed retrain byte for byte."""
    device = placement.device
    mixed = placement.dtype != "float32"
    with torch.autocast(device_type=device, dtype=placement.torch_dtype, enabled=mixed):
        states = windowed(
            lambda ids, mask: model.encode(ids.to(device), mask.to(device)), [e.encoded for e in batch]
        )
        outputs = [model.heads(s, e.claims, e.shapes) for s, e in zip(states, batch, strict=True)]
    entity = _token_loss(
        _annotated_only([o.entities for o in outputs], batch).float(),
        torch.cat([e.entity_labels for e in batch]).to(device),
    )
    cue = _token_loss(
        torch.cat([o.cues for o in outputs]).float(), torch.cat([e.cue_labels for e in batch]).to(device)
    )
    # Untrusted claims (see ``examples``) are dropped, not weighted 0: with every claim trusted the loss is
    # the same tensor operations as before, so earlier checkpoints retrain byte for byte.
    trusted = torch.cat([e.trusted for e in batch]).to(device)
    claim_logits = torch.cat([o.claims for o in outputs]).float()[trusted]
    hedged = torch.cat([e.hedged for e in batch]).to(device)[trusted]
    claim = F.binary_cross_entropy_with_logits(claim_logits, hedged) if len(hedged) else claim_logits.sum()
    return weights["entities"] * entity + weights["cues"] * cue + weights["claims"] * claim


def _annotated_only(logits: Sequence[torch.Tensor], batch: Sequence[Example]) -> torch.Tensor:
    """Each article's entity logits with the tags its corpus does not annotate set to -inf, so the softmax
    runs over the annotated tags only (``Example.entity_allowed``). A batch of fully annotated corpora is the
    plain concatenation: the same operations as before masks existed, so old checkpoints retrain byte for
    byte."""
    if all(e.entity_allowed is None for e in batch):
        return torch.cat(logits)
    masked = [
        rows
        if e.entity_allowed is None
        else rows.masked_fill(~e.entity_allowed.to(rows.device), float("-inf"))
        for rows, e in zip(logits, batch, strict=True)
    ]
    return torch.cat(masked)


def _token_loss(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    if not (labels != IGNORE).any():
        return logits.sum() * 0.0  # keeps the graph connected; cross_entropy over no labels would be nan
    return F.cross_entropy(logits, labels, ignore_index=IGNORE)


def _evaluate(
    model: MultiTaskTagger, predict: Callable[[Sequence[Article]], list[Prediction]], dev: Sequence[Article]
) -> dict[str, float]:
    if not dev:
        return {}
    model.eval()
    scores = dev_scores(dev, predict(dev))
    return {f"dev_{name}": round(value, 6) for name, value in scores.items()}


def _optimizer(model: MultiTaskTagger, recipe: Recipe) -> torch.optim.Optimizer:
    groups: dict[tuple[float, float], list[torch.nn.Parameter]] = {}
    for name, parameter in model.named_parameters():
        is_head = not name.startswith("token_model.") or name.startswith("token_model.classifier.")
        # The usual exemption: no weight decay on biases and LayerNorm weights.
        decay = 0.0 if parameter.ndim == 1 else recipe.weight_decay
        groups.setdefault((recipe.head_lr if is_head else recipe.lr, decay), []).append(parameter)
    return torch.optim.AdamW([{"params": p, "lr": lr, "weight_decay": d} for (lr, d), p in groups.items()])


def _schedule(
    optimizer: torch.optim.Optimizer, total: int, warmup: float
) -> torch.optim.lr_scheduler.LambdaLR:
    warm = max(1, round(total * warmup))

    def factor(step: int) -> float:
        return (step + 1) / warm if step < warm else max(0.0, (total - step) / max(1, total - warm))

    return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)
