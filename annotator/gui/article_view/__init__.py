"""The article view: an article's text with its entity, claim, source and cue spans drawn over it.

`ArticleView` is the public widget; the modules behind it each do one job: `marks` decides
what to draw, `layout_formats` makes room for tags without touching the text, `geometry`
finds where a range sits, `painting` draws, `canvas` handles paint and input.
"""

from annotator.gui.article_view.view import ArticleView

__all__ = ["ArticleView"]
