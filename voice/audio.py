"""Audio for every sentence a caller hears: a program's recorded file when there is one, else
speech synthesised once with espeak-ng (and sox, to the 8 kHz mono WAV telephones carry).

Files live under `instance/voice/`: `recorded/<language>/<key>.wav` are a program's own
recordings of the fixed prompts (see `voice.prompts.PROMPTS`); `clips/` holds what was
synthesised for fixed prompts, `calls/` what was synthesised for one caller (a status, a
tracking number), removed after a day. A clip's file name is an HMAC of its language and text
under the app's secret: the gateway fetches it without a login, and nobody can guess the name
of another caller's clip.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from voice.turn import Speech

log = logging.getLogger(__name__)

ESPEAK_VOICES = {"en": "en", "fr": "fr", "sw": "sw", "pt": "pt", "ar": "ar"}
CLIP_NAME = re.compile(r"^[0-9a-f]{40}$")
CALL_CLIP_MAX_AGE_SECONDS = 24 * 3600
SYNTH_TIMEOUT_SECONDS = 20
RECORDED_SUFFIXES = (".wav",)


class AudioLibrary:
    def __init__(self, root: Path, secret: str) -> None:
        self.root = root
        self._secret = secret.encode()
        self._lock = threading.Lock()
        self._last_purge = 0.0

    @property
    def can_synthesise(self) -> bool:
        return shutil.which("espeak-ng") is not None and shutil.which("sox") is not None

    def name_of(self, speech: Speech, recorded: Path | None = None) -> str:
        """Changes with the text, and with a program's recording when one is provided."""
        version = str(recorded.stat().st_mtime_ns) if recorded is not None else "synth"
        message = f"{speech.language}\0{speech.key or ''}\0{speech.text}\0{version}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()[:40]

    def recorded_file(self, language: str, key: str) -> Path | None:
        for suffix in RECORDED_SUFFIXES:
            path = self.root / "recorded" / language / f"{key}{suffix}"
            if path.is_file():
                return path
        return None

    def clip(self, speech: Speech) -> str | None:
        """The clip name for `speech`, made now if needed; None when no audio can be made
        (the gateway then speaks the text with its own voice)."""
        recorded = self.recorded_file(speech.language, speech.key) if speech.key else None
        name = self.name_of(speech, recorded)
        if self.path_of(name) is not None:
            return name
        folder = self.root / ("clips" if speech.key else "calls")
        target = folder / f"{name}.wav"
        folder.mkdir(parents=True, exist_ok=True)
        if recorded is not None:
            shutil.copyfile(recorded, target)
            return name
        if not self.can_synthesise:
            return None
        if not self._synthesise(speech, target):
            return None
        if not speech.key:
            self._purge_old_call_clips()
        return name

    def path_of(self, name: str) -> Path | None:
        if not CLIP_NAME.match(name):
            return None
        for folder in ("clips", "calls"):
            path = self.root / folder / f"{name}.wav"
            if path.is_file():
                return path
        return None

    def _synthesise(self, speech: Speech, target: Path) -> bool:
        voice = ESPEAK_VOICES.get(speech.language, "en")
        with tempfile.TemporaryDirectory(prefix="kinga-voice-") as tmp:
            raw = Path(tmp) / "raw.wav"
            phone = Path(tmp) / "phone.wav"
            try:
                subprocess.run(
                    ["espeak-ng", "-v", voice, "-s", "145", "-w", str(raw), "--stdin"],
                    input=speech.text.encode(),
                    check=True,
                    capture_output=True,
                    timeout=SYNTH_TIMEOUT_SECONDS,
                )
                subprocess.run(
                    ["sox", str(raw), "-r", "8000", "-c", "1", "-b", "16", str(phone)],
                    check=True,
                    capture_output=True,
                    timeout=SYNTH_TIMEOUT_SECONDS,
                )
            except (OSError, subprocess.SubprocessError) as exc:
                log.error("voice: could not synthesise a %s clip (%s)", speech.language, exc)
                return False
            # A rename within one file system: a gateway never fetches half a file.
            staged = target.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
            shutil.copyfile(phone, staged)
            staged.replace(target)
        return True

    def _purge_old_call_clips(self) -> None:
        now = time.time()
        with self._lock:
            if now - self._last_purge < 3600:
                return
            self._last_purge = now
        for path in (self.root / "calls").glob("*.wav"):
            try:
                if now - path.stat().st_mtime > CALL_CLIP_MAX_AGE_SECONDS:
                    path.unlink()
            except OSError:
                pass


def prepare(library: AudioLibrary, speech: list[Speech]) -> dict[str, list[Speech]]:
    """Makes (or finds) the clip of each sentence; sorted into recorded, synthesised, missing."""
    report: dict[str, list[Speech]] = {"recorded": [], "synthesised": [], "missing": []}
    for sentence in speech:
        recorded = sentence.key and library.recorded_file(sentence.language, sentence.key)
        name = library.clip(sentence)
        kind = "missing" if name is None else "recorded" if recorded else "synthesised"
        report[kind].append(sentence)
    return report
