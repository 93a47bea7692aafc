"""The site's Content-Security-Policy: only our own files run, nothing loads from elsewhere.

Every page carries `PAGE_POLICY` in a `<meta http-equiv>` tag; the web server should send
`HEADER_POLICY` as a header too (docs/网站.md has the nginx lines), which adds what a meta tag
cannot carry (`frame-ancestors`). The site ships no inline script and no inline style, so neither
is allowed; Pagefind compiles its WebAssembly (`'wasm-unsafe-eval'`) and runs a same-origin worker;
Material's CSS uses `data:` SVG icons.
"""

from __future__ import annotations

PAGE_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "frame-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    )
)
HEADER_POLICY = f"{PAGE_POLICY}; frame-ancestors 'self'"
