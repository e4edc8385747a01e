"""Model suggestions: entities and attributed claims from spaCy, in batch and on demand.

Public API (the contract the GUI, the CLI and the quality benchmark rely on):
`load_pipeline`, `suggest_text`, `cached_payload`, `ensure_suggestions`. A payload is
``{"spans": [{start, end, label, score, origin}], "claims": [{type, content, source, cue}]}``.
Modules: `pipeline` (loading, reloading, long texts), `model_id` (which pipeline is which:
the hash of its files), `entities`, `claims` (with `quotes`
and `syntax`), `memory` (corpus memory and the conflict rule), `engine` (texts → payloads),
`batch` (the project, cached), `materialise` (into an annotator's set).
"""

from annotator.core.suggest.engine import suggest_text
from annotator.core.suggest.materialise import cached_payload, ensure_suggestions
from annotator.core.suggest.memory import Memory, memory_for
from annotator.core.suggest.pipeline import (PipelineError, claims_notice, load_pipeline,
                                             model_key)

__all__ = ["Memory", "PipelineError", "cached_payload", "claims_notice", "ensure_suggestions",
           "load_pipeline", "memory_for", "model_key", "suggest_text"]
