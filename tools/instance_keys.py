"""Write the instance's secret key files on first start and keep them afterwards
(`make run`): ``instance/secret_key`` (sessions) and ``instance/audit_key`` (the audit
trail's HMAC key), mode 0600, git-ignored. ``INSTANCE_PATH`` moves the
instance folder, as for the application."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.keys import ensure_instance_keys  # noqa: E402


def main() -> int:
    instance = Path(os.environ.get("INSTANCE_PATH") or ROOT / "instance")
    for path in ensure_instance_keys(instance):
        print(f"  New key written to {path} (mode 0600; keep it, back it up with the instance)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
