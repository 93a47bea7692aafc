"""Signing a statement with the reviewer's SSH key through `ssh-keygen -Y sign`.

gongkai never reads a private key: it names the key file to ssh-keygen (which asks for the
passphrase itself), or lets ssh-keygen use a key held by ssh-agent — the one git's
`user.signingkey` names, or the agent's key that the roster gives this reviewer.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .git_repo import NO_BARE, repository
from .signatures import NAMESPACE, PublicKey, UnusableKey

INSTALL_HINT = ("找不到 ssh-keygen：Windows 10 及以上在“设置 → 应用 → 可选功能”中添加“OpenSSH 客户端”，"
                "Linux 安装 openssh-client（例如 `apt install openssh-client`）")
TIMEOUT = 300  # seconds: time enough to type a passphrase or touch a hardware key
MAX_SIGNATURE = 64 * 1024  # bytes of ssh-keygen's signature file read: an SSHSIG of an 8,192-bit RSA key is under 3 KB


class SigningFailed(Exception):
    """ssh-keygen could not sign; the message is for the reviewer (Chinese)."""


def _ssh_keygen() -> str:
    found = shutil.which("ssh-keygen")
    if found is None:
        raise SigningFailed(INSTALL_HINT)
    return found


def sign(message: bytes, key_file: Path | None = None, agent_key: str | None = None) -> str:
    """The armoured SSHSIG of `message` by the key in `key_file`, or by the agent's `agent_key`."""
    try:
        return _sign(message, key_file, agent_key)
    except OSError as exc:  # the temporary folder: a full disk, no write permission
        from .writer import system_reason

        raise SigningFailed(f"签名用的临时文件无法写入（{system_reason(exc)}），没有写入审查记录：请检查临时目录"
                            f" {tempfile.gettempdir()} 的磁盘空间和写权限后重新运行") from None


def _sign(message: bytes, key_file: Path | None, agent_key: str | None) -> str:
    with tempfile.TemporaryDirectory(prefix="gongkai-sign-") as folder:
        data = Path(folder) / "statement"
        data.write_bytes(message)
        command = [_ssh_keygen(), "-Y", "sign", "-n", NAMESPACE]
        if agent_key is not None:
            public = Path(folder) / "key.pub"
            public.write_text(agent_key + "\n", encoding="ascii")
            command += ["-U", "-f", str(public)]
        elif key_file is not None:
            if not key_file.is_file():
                raise SigningFailed(f"找不到私钥文件 {key_file}：--key 写私钥文件的路径（例如 ~/.ssh/id_ed25519，不是 .pub 文件）")
            command += ["-f", str(key_file)]
        else:
            raise SigningFailed("没有可用的签名密钥")
        command.append(str(data))
        try:
            # stdin stays the terminal's, so ssh-keygen can ask for the passphrase itself
            result = subprocess.run(command, capture_output=True, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            raise SigningFailed("ssh-keygen 超时未完成签名（等待口令或硬件密钥确认超过 5 分钟）") from None
        except OSError:
            raise SigningFailed(INSTALL_HINT) from None
        signature = Path(folder) / "statement.sig"
        if result.returncode != 0 or not signature.is_file():
            if key_file is not None and agent_key is None and _is_public_key(key_file):
                raise SigningFailed(PUBLIC_KEY_GIVEN)
            raise SigningFailed(_explain(result.stderr.decode("utf-8", "replace")))
        armoured = signature.read_bytes()[:MAX_SIGNATURE]
        if not armoured.isascii():  # an SSHSIG is armoured base64: anything else is no signature of ours
            raise SigningFailed("ssh-keygen 返回的签名不是 ASCII 文本，没有写入审查记录：请确认 PATH 中的 ssh-keygen 是 OpenSSH 的"
                                "（运行 `ssh-keygen -V` 或 `which ssh-keygen` 查看）")
        return armoured.decode("ascii")


PUBLIC_KEY_GIVEN = ("--key 指定的是公钥文件（一行 ssh-ed25519 AAAA…，通常以 .pub 结尾），不能用它签名：请写私钥文件"
                    "（同名但没有 .pub，例如 ~/.ssh/id_ed25519），或先用 `ssh-add 私钥文件` 把私钥加入 ssh-agent")


def _is_public_key(key_file: Path) -> bool:
    """Whether `key_file` holds an OpenSSH public key line (a .pub file) rather than a private key. ssh-keygen, handed
    one without its private half in the agent, complained about the file's permissions or its format instead."""
    try:
        with open(key_file, "rb") as stream:
            head = stream.read(64).lstrip()
    except OSError:
        return False
    return head.startswith((b"ssh-", b"ecdsa-sha2-", b"sk-ssh-", b"sk-ecdsa-"))


def _explain(stderr: str) -> str:
    """ssh-keygen's English, said in Chinese."""
    text = stderr.lower()
    if "passphrase" in text or "incorrect" in text:
        return "私钥口令不对，签名未完成：请重新运行并输入正确的口令"
    if "invalid format" in text or "load key" in text or "not a private key" in text:
        return "--key 指定的文件不是可用的私钥：请写私钥文件（例如 ~/.ssh/id_ed25519），不要写 .pub 公钥文件"
    if "agent" in text:
        return "ssh-agent 中没有这把密钥或无法连接 ssh-agent：请先运行 `ssh-add 私钥文件`，或用 --key 指定私钥文件"
    if "permissions" in text or "unprotected" in text:
        return "私钥文件的权限过宽，ssh-keygen 拒绝使用：Linux 上运行 `chmod 600 私钥文件`"
    return "ssh-keygen 未能签名：请确认 --key 指向本人的私钥文件，口令正确；可先运行 `ssh-keygen -y -f 私钥文件` 检查"


def git_signing_key(cwd: Path) -> tuple[Path | None, str | None]:
    """git's `user.signingkey`: (a key file, None) or (None, a literal public key); (None, None) if unset.

    Asked of the checkout's own repository (`git_repo`), never of a folder that merely holds a repository's files:
    run in an item's folder, plain `git config` read the `config` of a `HEAD`, `objects/` and `refs/` committed
    there, and signed with whatever key it named. Without a repository to use, only the user's own settings."""
    git = shutil.which("git")
    if git is None:
        return None, None
    repo = repository(cwd)
    if repo.git_dir is not None:
        output = repo.run(cwd, "config", "--get", "user.signingkey", timeout=30)
    else:
        try:
            result = subprocess.run([git, *NO_BARE, "config", "--global", "--get", "user.signingkey"],
                                    cwd=tempfile.gettempdir(), capture_output=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            return None, None
        output = result.stdout if result.returncode == 0 else None
    value = (output or b"").decode("utf-8", "replace").strip()
    if not value:
        return None, None
    if value.startswith("key::"):
        return None, value[len("key::"):].strip()
    if value.startswith(("ssh-", "ecdsa-", "sk-")):
        return None, value
    return Path(os.path.expanduser(value)), None


def agent_keys() -> list[PublicKey]:
    """The public keys ssh-agent holds (none when no agent runs)."""
    ssh_add = shutil.which("ssh-add")
    if ssh_add is None or not os.environ.get("SSH_AUTH_SOCK"):
        return []
    try:
        result = subprocess.run([ssh_add, "-L"], capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return []
    return list(_parse_keys(result.stdout.decode("utf-8", "replace").splitlines()) if result.returncode == 0 else [])


def _parse_keys(lines: Iterable[str]) -> Iterable[PublicKey]:
    for line in lines:
        try:
            yield PublicKey.parse(line.strip())
        except UnusableKey:
            continue
