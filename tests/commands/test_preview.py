"""`gongkai preview PATH`: the address of one item, from the preview it starts or from one already running."""

from __future__ import annotations

import subprocess

from tests.commands.test_serve import ENV, GONGKAI, Serving, found


def test_preview_prints_the_address_of_one_item(project):
    root = project.root
    serving = Serving(root, "preview", "content/items/2024/2024-00001.md", ready="条目预览")
    try:
        address = found(r"条目预览：(http://\S+)", "\n".join(serving.lines))
        assert address == f"{serving.base}items/2024/00001/"
        again = subprocess.run([GONGKAI, "preview", "content/items/2024/2024-00001.md", "--dev-addr",
                                serving.base.split("//")[1].rstrip("/")], cwd=root, env=ENV, capture_output=True,
                               text=True, timeout=60)
        assert again.stdout.strip() == address  # a preview already runs there: only the address
        broken = root / "content" / "items" / "2024" / "broken.md"
        broken.write_text("---\ntitle: [\n---\n", encoding="utf-8")
        located = subprocess.run([GONGKAI, "preview", str(broken), "--dev-addr", serving.base.split("//")[1].rstrip("/")],
                                 cwd=root, env=ENV, capture_output=True, text=True, timeout=60)
        assert located.stdout.strip().startswith(f"{serving.base}_preview/#f-")  # no page: its problems
    finally:
        serving.stop()
