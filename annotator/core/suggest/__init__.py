"""Model suggestions: entities and attributed claims from spaCy, in batch and on demand.

Public API (the contract the GUI, the CLI and the quality benchmark rely on):
`load_pipeline`, `suggest_text`, `cached_payload`, `ensure_suggestions`. A payload is
``{"spans": [{start, end, label, score, origin}], "claims": [{type, content, source, cue}]}``.
"""

from annotator.core.suggest.engine import suggest_text
from annotator.core.suggest.memory import Memory
from annotator.core.suggest.pipeline import PipelineError, load_pipeline, model_key

__all__ = ["Memory", "PipelineError", "load_pipeline", "model_key", "suggest_text"]
