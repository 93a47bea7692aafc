"""`gongkai serve` and `gongkai preview`: the site as editors and reviewers need to see it.

Every item is shown — unreviewed, changed since review, scheduled, not public, withdrawn — each
with its banner, and the problems that would stop `gongkai build` get a page of their own instead of
stopping the preview. The content is kept in memory and brought up to date file by file (`model`);
pages are rendered through MkDocs and Material when a browser asks for them and kept until something
they show changes (`rendering`); they are served from memory with a small live-reload endpoint
(`server`). Nothing is written to site/: every page carries the preview banner, `noindex` and a
title that says 预览.
"""
