"""Where a transformer computes and in which precision: ``device`` and ``dtype`` of the model configs.

A prediction depends on both (bf16 logits differ from fp32 logits in their low bits, sometimes in a label), so
the *resolved* placement, never the requested ``auto``, goes into the prediction cache key and the manifest:
byte-identical reruns are promised per (device, dtype).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import torch
from torch import nn

DEVICES = ("auto", "cpu", "cuda", "mps")
QUANTIZE = ("none", "int8")
DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}


@dataclass(frozen=True)
class Placement:
    device: str  # resolved: cpu, cuda or mps
    dtype: str  # a key of DTYPES

    @classmethod
    def resolve(cls, device: str, dtype: str) -> Placement:
        """Check ``model.device`` and ``model.dtype`` and resolve ``auto``; an unusable choice raises
        ValueError in one line."""
        if device not in DEVICES:
            raise ValueError(f"model.device must be one of {', '.join(DEVICES)}, got {device!r}")
        if dtype not in DTYPES:
            raise ValueError(f"model.dtype must be one of {', '.join(DTYPES)}, got {dtype!r}")
        resolved = _auto() if device == "auto" else device
        if not _available(resolved):
            raise ValueError(
                f"model.device={device}: torch finds no {resolved.upper()} device on this machine "
                f"(torch {torch.__version__}); use model.device=cpu or model.device=auto"
            )
        return cls(resolved, dtype)

    @property
    def torch_dtype(self) -> torch.dtype:
        return DTYPES[self.dtype]

    def record(self) -> dict[str, str]:
        return {"device": self.device, "dtype": self.dtype}


CPU_FLOAT32 = Placement("cpu", "float32")


def _auto() -> str:
    for device in ("cuda", "mps"):
        if _available(device):
            return device
    return "cpu"


def _available(device: str) -> bool:
    if device == "cuda":
        return torch.cuda.is_available()
    if device == "mps":
        return torch.backends.mps.is_available()
    return True


def check_quantize(quantize: str, placement: Placement, batch_size: int) -> None:
    """``int8``: dynamic quantisation, a CPU float32 path. It scales activations per forward call, that is
    per batch, so a window's result would depend on the windows sharing its batch (and a resumed run would
    differ from a fresh one): it is refused unless every window is its own batch."""
    if quantize not in QUANTIZE:
        raise ValueError(f"model.quantize must be one of {', '.join(QUANTIZE)}, got {quantize!r}")
    if quantize == "int8" and (placement.device, placement.dtype) != ("cpu", "float32"):
        raise ValueError(
            "model.quantize=int8 is a CPU float32 path: set model.device=cpu model.dtype=float32"
        )
    if quantize == "int8" and batch_size != 1:
        raise ValueError(
            "model.quantize=int8 needs model.batch_size=1: int8 activations are scaled per batch, so a "
            "window's labels would depend on its batch-mates"
        )


def quantized_int8(model: nn.Module) -> nn.Module:
    """A copy of ``model`` with every ``nn.Linear`` in int8, activations quantised on the fly (embeddings and
    LayerNorms stay float32)."""
    with warnings.catch_warnings():
        # torch.ao.quantization is deprecated in favour of torchao but still works in torch 2.13; torchao
        # would be one more dependency for one call.
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", UserWarning)  # the same deprecation, raised by quantize_per_tensor
        from torch.ao.quantization import quantize_dynamic

        return quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)
