"""Voice prompts: how long espeak-ng + sox take to make every fixed prompt in five languages
(cold cache), and how long a cached clip takes to find.

    .venv/bin/python -m benchmarks.voice_prompts

Writes the "voice-prompts" section of docs/benchmarks.md.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.report import write_section
from voice.audio import AudioLibrary, prepare
from voice.prompts import fixed_prompts
from voice.turn import Speech

LANGUAGES = ("en", "fr", "sw", "pt", "ar")


def main() -> None:
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="kinga-bench-voice-") as folder:
        library = AudioLibrary(Path(folder), "benchmark-secret")
        speech = fixed_prompts(LANGUAGES)
        started = time.perf_counter()
        report = prepare(library, speech)
        cold = time.perf_counter() - started
        made = len(report["synthesised"])
        if report["missing"] or made != len(speech):
            raise SystemExit(f"{len(report['missing'])} prompt(s) without audio: espeak-ng/sox?")
        lookups = []
        for sentence in speech:
            t0 = time.perf_counter()
            assert library.clip(sentence) is not None
            lookups.append(time.perf_counter() - t0)
        per_call = []
        for n in range(10):  # a tracking number said in each language: made per call
            for language in LANGUAGES:
                t0 = time.perf_counter()
                assert library.clip(Speech(f"4, 8, 2, 1, 3, 5, 7, {n}", language)) is not None
                per_call.append(time.perf_counter() - t0)
        size = sum(p.stat().st_size for p in Path(folder).rglob("*.wav"))
    body = f"""
| measure | value |
| --- | --- |
| fixed prompts made (5 languages) | {made} |
| time to make all, cold | {cold:.1f} s ({cold / made * 1000:.0f} ms a clip) |
| cached clip found, median | {statistics.median(lookups) * 1e6:.0f} µs |
| a caller's sentence (8 digits) made, median | {statistics.median(per_call) * 1000:.0f} ms |
| disk for all clips (8 kHz mono WAV) | {size / 1e6:.1f} MB |
| load average (1 min) before / after | {load_before:.1f} / {os.getloadavg()[0]:.1f} |

Run with `kinga voice prompts` at install time, the cold cost is paid once; afterwards a call
only makes the sentences that carry its own values (a status, a tracking number).
"""
    write_section("voice-prompts", "Voice prompts (espeak-ng + sox)", body)
    print(body)


if __name__ == "__main__":
    main()
